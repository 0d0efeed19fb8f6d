from django.utils.functional import SimpleLazyObject

from lcspr.notifications.selectors import unread_notifications_for_user


def notifications(request):
    """The signed-in user's unread notification count for the header: one COUNT query, run only
    when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: unread_notifications_for_user(user).count()
        ),
    }

from django.conf import settings
from django.utils.functional import SimpleLazyObject


def partnership(request):
    """The partnership's name for the header, titles and footer of every page."""
    return {
        "PARTNERSHIP_NAME": settings.PARTNERSHIP_NAME,
        "PARTNERSHIP_SHORT_NAME": settings.PARTNERSHIP_SHORT_NAME,
    }


def notifications(request):
    """The signed-in user's unread notification count for the header: one COUNT query, run only
    when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from lcspr.core.models import InAppNotification
    from lcspr.core.reminders import MANAGER_ROLE

    return {
        "unread_notification_count": SimpleLazyObject(
            lambda: InAppNotification.objects.filter(recipient=user, read_at__isnull=True).count()
        ),
        "show_reminders_link": SimpleLazyObject(lambda: user.has_role(MANAGER_ROLE)),
    }

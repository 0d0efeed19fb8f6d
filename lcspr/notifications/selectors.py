from django.db.models import Case, IntegerField, Value, When

from lcspr.notifications.models import InAppNotification


def notifications_for_user(user):
    """The user's notifications, unread first, newest first within each."""
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return InAppNotification.objects.filter(recipient=user).order_by(
        unread_first, "-created_at", "-pk"
    )


def unread_notifications_for_user(user):
    """The user's notifications not yet read."""
    return InAppNotification.objects.filter(recipient=user, read_at__isnull=True)

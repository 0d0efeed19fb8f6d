"""The notification centre: every reminder a user has been sent, unread first, with a way to
mark them read. A user only ever sees their own notifications; anyone else's are 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from lcspr.core.models import InAppNotification
from lcspr.core.permissions import get_object_for

PER_PAGE = 25


# --- selectors and services --------------------------------------------------------------------


def notifications_for_user(user):
    """The user's notifications, unread first, newest first within each."""
    unread_first = Case(
        When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return InAppNotification.objects.filter(recipient=user).order_by(
        unread_first, "-created_at", "-pk"
    )


def notification_mark_read(*, notification: InAppNotification, by) -> InAppNotification:
    """Mark one notification read (reading it again changes nothing)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, by) -> int:
    """Mark every unread notification of `by` read; returns how many were unread."""
    return InAppNotification.objects.filter(recipient=by, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- views -------------------------------------------------------------------------------------


def _page_number(value) -> int:
    return int(value) if str(value or "").isdigit() and int(value) > 0 else 1


@login_required
@require_GET
def notification_list(request):
    paginator = Paginator(notifications_for_user(request.user), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "core/notification_list.html",
        {
            "page": page,
            "notifications": page.object_list,
            "unread": InAppNotification.objects.filter(
                recipient=request.user, read_at__isnull=True
            ).exists(),
        },
    )


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_for(
        request.user,
        visible=InAppNotification.objects.filter(recipient=request.user),
        pk=pk,
        allowed=lambda _: True,  # a user may do anything to their own notifications
    )
    notification_mark_read(notification=notification, by=request.user)
    messages.success(request, f"“{notification.title}” marked as read.")
    return _back_to_list(request)


@login_required
@require_POST
def notifications_read_all(request):
    count = notifications_mark_all_read(by=request.user)
    if count:
        noun = "notification" if count == 1 else "notifications"
        messages.success(request, f"{count} {noun} marked as read.")
    else:
        messages.info(request, "You had no unread notifications.")
    return _back_to_list(request)


def _back_to_list(request):
    page = _page_number(request.POST.get("page"))
    url = reverse("core:notifications")
    return redirect(f"{url}?page={page}" if page > 1 else url)

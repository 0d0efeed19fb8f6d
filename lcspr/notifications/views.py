"""The notification centre: every reminder a user has been sent, unread first, with a way to
mark them read. A user only ever sees their own notifications; anyone else's are 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from lcspr.core.permissions import get_object_for
from lcspr.notifications.selectors import notifications_for_user, unread_notifications_for_user
from lcspr.notifications.services import notification_mark_read, notifications_mark_all_read

PER_PAGE = 25


def _page_number(value) -> int:
    return int(value) if str(value or "").isdigit() and int(value) > 0 else 1


@login_required
@require_GET
def notification_list(request):
    paginator = Paginator(notifications_for_user(request.user), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "notifications": page.object_list,
            "unread": unread_notifications_for_user(request.user).exists(),
        },
    )


@login_required
@require_POST
def notification_read(request, pk):
    notification = get_object_for(
        request.user,
        visible=notifications_for_user(request.user),
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
    url = reverse("notifications:list")
    return redirect(f"{url}?page={page}" if page > 1 else url)

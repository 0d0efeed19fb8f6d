"""The home page's reminder button: remind those late on something the user leads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from lcspr.core.exceptions import WorkflowError
from lcspr.core.steps import refuse
from lcspr.reminders.services import reminder_chase
from reviews import queue


@login_required
@require_POST
def remind(request, kind, pk):
    item = queue.late_item(request.user, kind, pk)
    back = reverse("core:home") + "#waiting-for-others"
    if item is None:
        messages.info(request, "That is no longer overdue: no reminder was sent.")
        return redirect(back)
    try:
        reminder_chase(
            by=request.user,
            review=item.review,
            key=item.key,
            title=f"{item.what} for {item.review.reference} is overdue",
            url=item.url,
            due_date=item.due_date,
            recipients=item.recipients,
        )
    except WorkflowError as error:
        refuse(request, " ".join(error.messages))
    else:
        names = ", ".join(str(user) for user in item.recipients if user.is_active)
        messages.success(request, f"Reminder sent to {names} ({item.who}): {item.what.lower()}.")
    return redirect(back)


urlpatterns = [
    path("remind/<slug:kind>/<int:pk>/", remind, name="remind"),
]

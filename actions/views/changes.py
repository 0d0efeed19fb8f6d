"""What changed in an action: every change to it in words. Whoever may see the action may see
its changes."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from actions.permissions import get_action_for
from lcspr.access_log.services import log_access
from lcspr.core.changes import record_changes

# Kept by the services for lists and reminders, never typed by anyone.
BOOKKEEPING = ("review", "created_by", "created_at", "number")


@login_required
@require_GET
def action_changes(request, pk):
    action = get_action_for(request.user, pk, "view")
    log_access(request, what="What changed in an action", obj=action, review_id=action.review_id)
    changes = record_changes(action.history.all(), exclude=BOOKKEEPING)
    return render(request, "actions/action_changes.html", {"action": action, "changes": changes})


urlpatterns = [path("<int:pk>/changes/", action_changes, name="changes")]

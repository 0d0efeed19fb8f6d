"""What changed in a chronology entry: every change to it in words. Whoever may see the
agency's working entries (its own people and the partnership manager) may see their changes."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from chronologies.permissions import get_request_for
from lcspr.access_log.services import log_access
from lcspr.core.changes import record_changes


@login_required
@require_GET
def entry_changes(request, pk, entry_pk):
    chronology = get_request_for(request.user, pk, "view_draft")
    entry = get_object_or_404(chronology.entries, pk=entry_pk)
    log_access(
        request,
        what="What changed in a chronology entry",
        obj=chronology,
        review_id=chronology.review_id,
    )
    changes = record_changes(entry.history.all(), exclude=("request",))
    context = {
        "review": chronology.review,
        "chronology": chronology,
        "entry": entry,
        "changes": changes,
    }
    return render(request, "chronologies/entry_changes.html", context)


urlpatterns = [
    path("requests/<int:pk>/entries/<int:entry_pk>/changes/", entry_changes, name="entry_changes"),
]

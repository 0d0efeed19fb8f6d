"""A review's panel meetings (with their minutes), practitioner events and the family
involvement log. Practitioners are not users: they are listed here and get no access."""

import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lcspr.access_log.services import log_access
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.steps import posted
from lcspr.core.text import in_sentence, long_date
from lcspr.core.uploads import document_content_type
from lcspr.core.versions import version_of
from panels import meetings as services
from panels.forms.meetings import (
    AttendanceForm,
    FamilyContactForm,
    LearningForm,
    MeetingForm,
    PractitionerEventForm,
    PractitionerForm,
    ScopeForm,
)
from panels.permissions import get_review_for_panel
from reviews.models import Stage


def _files(request):
    return request.FILES if request.method == "POST" else None


def _why_locked(review, what: str) -> str:
    """Why nothing can be recorded now, or "" while the LCSPR is in progress."""
    if review.stage == Stage.LCSPR:
        return ""
    return (
        f"{what} are recorded while an LCSPR is in progress. This review is at the "
        f"{in_sentence(review.get_stage_display())} stage, so nothing more can be recorded here."
    )


# --- panel meetings -------------------------------------------------------------------------


@login_required
@require_GET
def meeting_list(request, pk):
    review = get_review_for_panel(request.user, pk, "view_meetings")
    meetings = list(
        review.panel_meetings.annotate(
            present_count=Count("present", distinct=True),
            apologies_count=Count("apologies", distinct=True),
        )
    )
    log_access(request, what="Panel meetings", obj=review, review_id=review.pk)
    context = {
        "review": review,
        "meetings": meetings,
        "next_meeting_on": meetings[0].next_meeting_on if meetings else None,
        "today": timezone.localdate(),
    }
    return render(request, "panels/meeting_list.html", context)


def _meeting_of(review, meeting_pk):
    return get_object_or_404(review.panel_meetings.select_related("recorded_by"), pk=meeting_pk)


def _meeting_form_page(request, review, meeting=None):
    """Record a new meeting, or change the record of `meeting`."""
    form = MeetingForm(posted(request), _files(request), review=review, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            if meeting is None:
                meeting = services.meeting_record(
                    review=review, by=request.user, **form.cleaned_data
                )
                done = "recorded"
            else:
                services.meeting_update(meeting=meeting, by=request.user, **form.cleaned_data)
                done = "updated"
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(
                request, f"The panel meeting of {long_date(meeting.held_on)} was {done}."
            )
            return redirect("panels:meeting_detail", pk=review.pk, meeting_pk=meeting.pk)
    context = {
        "review": review,
        "form": form,
        "meeting": meeting,
        "locked": _why_locked(review, "Panel meetings"),
    }
    return render(request, "panels/meeting_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_add(request, pk):
    review = get_review_for_panel(request.user, pk, "manage_meetings")
    return _meeting_form_page(request, review)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk, meeting_pk):
    review = get_review_for_panel(request.user, pk, "manage_meetings")
    return _meeting_form_page(request, review, _meeting_of(review, meeting_pk))


@login_required
@require_GET
def meeting_detail(request, pk, meeting_pk):
    review = get_review_for_panel(request.user, pk, "view_meetings")
    meeting = _meeting_of(review, meeting_pk)
    log_access(request, what="Panel meeting", obj=meeting, review_id=review.pk)
    context = {
        "review": review,
        "meeting": meeting,
        "present": meeting.present.select_related("user", "agency"),
        "apologies": meeting.apologies.select_related("user", "agency"),
        "locked": _why_locked(review, "Panel meetings"),
    }
    return render(request, "panels/meeting_detail.html", context)


@login_required
@require_GET
def minutes_file(request, pk, meeting_pk):
    review = get_review_for_panel(request.user, pk, "view_meetings")
    meeting = _meeting_of(review, meeting_pk)
    if not meeting.minutes_file:
        raise Http404
    try:
        file = meeting.minutes_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    log_access(request, what="Downloaded panel meeting minutes", obj=meeting, review_id=review.pk)
    name = meeting.minutes_file_name or os.path.basename(meeting.minutes_file.name)
    response = FileResponse(
        file, as_attachment=True, filename=name, content_type=document_content_type(name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


# --- practitioner events --------------------------------------------------------------------


@login_required
@require_GET
def event_list(request, pk):
    review = get_review_for_panel(request.user, pk, "view_events")
    events = review.practitioner_events.annotate(
        invited=Count("practitioners"),
        attended=Count("practitioners", filter=Q(practitioners__attended=True)),
    )
    log_access(request, what="Practitioner events", obj=review, review_id=review.pk)
    return render(request, "panels/event_list.html", {"review": review, "events": events})


@login_required
@require_http_methods(["GET", "POST"])
def event_add(request, pk):
    review = get_review_for_panel(request.user, pk, "record_events")
    form = PractitionerEventForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.practitioner_event_record(
                review=review, by=request.user, **form.cleaned_data
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(
                request, f"{event.get_format_display()} of {long_date(event.held_on)} recorded."
            )
            return redirect("panels:event_detail", pk=review.pk, event_pk=event.pk)
    locked = _why_locked(review, "Practitioner events")
    return render(
        request, "panels/event_add.html", {"review": review, "form": form, "locked": locked}
    )


def _event_save(name, form, event, by) -> str:
    """Apply one of the event page's forms; the success message."""
    if name == "practitioner":
        services.practitioner_add(event=event, by=by, **form.cleaned_data)
        return f"{form.cleaned_data['name']} was added to the practitioners invited."
    if name == "scope":
        services.event_scope_update(event=event, by=by, **form.cleaned_data)
        return "The scope was saved: practitioners invited from now on are e-mailed it."
    if name == "attendance":
        services.attendance_record(event=event, by=by, attended_ids=form.attended_ids())
        return "Attendance was recorded."
    services.event_learning_update(event=event, by=by, **form.cleaned_data)
    return "The learning was saved."


@login_required
@require_http_methods(["GET", "POST"])
def event_detail(request, pk, event_pk):
    action = "record_events" if request.method == "POST" else "view_events"
    review = get_review_for_panel(request.user, pk, action)
    event = get_object_or_404(review.practitioner_events.select_related("recorded_by"), pk=event_pk)
    posted = request.POST.get("form") if request.method == "POST" else None

    def bound(name):
        return request.POST if name == posted else None

    version = version_of(event)
    forms = {
        "practitioner": PractitionerForm(bound("practitioner"), prefix="practitioner"),
        "scope": ScopeForm(
            bound("scope"), initial={"scope": event.scope, "version": version}, prefix="scope"
        ),
        "attendance": AttendanceForm(bound("attendance"), event=event, prefix="attendance"),
        "learning": LearningForm(
            bound("learning"),
            initial={"learning": event.learning, "version": version},
            prefix="learning",
        ),
    }
    failed = forms.get(posted)
    if failed is not None and failed.is_valid():
        try:
            done = _event_save(posted, failed, event, request.user)
        except WorkflowError as e:
            apply_workflow_error(failed, e)
        else:
            messages.success(request, done)
            return redirect("panels:event_detail", pk=review.pk, event_pk=event.pk)
    log_access(request, what="Practitioner event", obj=event, review_id=review.pk)
    context = {
        "review": review,
        "event": event,
        "practitioners": event.practitioners.select_related("agency"),
        "form": failed,  # the form that failed, for the error summary and page title
        "locked": _why_locked(review, "Practitioner events"),
        **{f"{name}_form": form for name, form in forms.items()},
    }
    return render(request, "panels/event_detail.html", context)


# --- the family -----------------------------------------------------------------------------


@login_required
@require_GET
def family_log(request, pk):
    review = get_review_for_panel(request.user, pk, "view_family")
    contacts = review.family_contacts.select_related("recorded_by")
    log_access(request, what="Family involvement log", obj=review, review_id=review.pk)
    return render(request, "panels/family_log.html", {"review": review, "contacts": contacts})


@login_required
@require_http_methods(["GET", "POST"])
def family_add(request, pk):
    review = get_review_for_panel(request.user, pk, "record_family")
    form = FamilyContactForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.family_contact_record(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "The contact with the family was recorded.")
            return redirect("panels:family", pk=review.pk)
    locked = _why_locked(review, "Contacts with the family")
    return render(
        request, "panels/family_add.html", {"review": review, "form": form, "locked": locked}
    )


urlpatterns = [
    path("<int:pk>/meetings/", meeting_list, name="meetings"),
    path("<int:pk>/meetings/add/", meeting_add, name="meeting_add"),
    path("<int:pk>/meetings/<int:meeting_pk>/", meeting_detail, name="meeting_detail"),
    path("<int:pk>/meetings/<int:meeting_pk>/edit/", meeting_edit, name="meeting_edit"),
    path("<int:pk>/meetings/<int:meeting_pk>/minutes/", minutes_file, name="minutes_file"),
    path("<int:pk>/practitioner-events/", event_list, name="events"),
    path("<int:pk>/practitioner-events/add/", event_add, name="event_add"),
    path("<int:pk>/practitioner-events/<int:event_pk>/", event_detail, name="event_detail"),
    path("<int:pk>/family/", family_log, name="family"),
    path("<int:pk>/family/add/", family_add, name="family_add"),
]

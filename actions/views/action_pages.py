"""One action's pages: the action itself (RAG with its meaning, progress updates, evidence,
due-date history, impact and closure), the lead agency's steps (progress with evidence files,
evidence of completion and of impact), the sub-group's (edit, move the due date, rate, ask for
evidence of impact, close after checking the evidence, reopen, hand over, share) and the
evidence download, whose SHA-256 is checked against the one stored at upload."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions import selectors, services
from actions.forms import plans as forms
from actions.models import FINISHED_STATUSES, Action
from actions.permissions import can_plan, get_action_for
from lcspr.access_log.services import log_access
from lcspr.core import permissions
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.steps import posted
from lcspr.core.text import in_sentence
from lcspr.core.uploads import evidence_content_type, sha256_of
from lcspr.core.versions import version_of
from lcspr.core.working_days import calendar
from reviews.models import Stage

logger = logging.getLogger(__name__)


def with_countdowns(actions, today=None):
    """Attach the working days to its due date of each action still being delivered (negative:
    overdue, as `Action.is_overdue_on` says); a complete action has no countdown."""
    today, cal = today or timezone.localdate(), calendar()
    for action in actions:
        delivering = action.is_being_delivered
        action.countdown = cal.count_between(today, action.due_date) if delivering else None
    return actions


def open_blocker(action: Action) -> str:
    """Why an open-only step cannot be taken ("" when it can); the service says the same."""
    if action.review.stage == Stage.CLOSED:
        return "The review is closed: its action plan can no longer change."
    if action.status in FINISHED_STATUSES:
        return (
            f"Action {action.number} is {in_sentence(action.get_status_display())}. The sub-group "
            "can reopen it if more is needed."
        )
    return ""


def reopen_blocker(action: Action) -> str:
    if action.review.stage == Stage.CLOSED:
        return "The review is closed: its action plan can no longer change."
    if action.status not in FINISHED_STATUSES:
        return f"Action {action.number} is open: there is nothing to reopen."
    return ""


# --- the action ---------------------------------------------------------------------------------


@login_required
@require_GET
def action_detail(request, pk):
    action = get_action_for(request.user, pk, "view")
    action = selectors.action_page(action)
    with_countdowns([action])
    log_access(request, what="Viewed an action", obj=action, review_id=action.review_id)
    context = {
        "action": action,
        "review": action.review,
        "may_view_plan": can_plan(request.user, "view_plan", action.review),
        "blocker": open_blocker(action),
        "closure_blocker": services.closure_blocker(action),
    }
    return render(request, "actions/action_detail.html", context)


# --- steps on one action: the same form → service → redirect shape ------------------------------


@dataclass
class Step:
    what: str  # the permission asked of actions.permissions.can_action
    form: type
    run: Callable  # (action, by, cleaned_data) -> None
    title: str
    button: str
    success: str  # formatted with the action's number
    intro: str = ""
    blocker: Callable = open_blocker
    initial: Callable = field(default=lambda action: {})
    form_kwargs: Callable = field(default=lambda action: {})


def _step(request, pk, step: Step):
    action = get_action_for(request.user, pk, step.what)
    form = step.form(
        posted(request),
        request.FILES if request.method == "POST" else None,
        initial=step.initial(action),
        **step.form_kwargs(action),
    )
    blocker = step.blocker(action)
    if request.method == "POST" and form.is_valid():
        try:
            step.run(action, request.user, form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, step.success.format(n=action.number))
            return redirect("actions:detail", action.pk)
    context = {"action": action, "review": action.review, "form": form, "step": step}
    return render(request, "actions/action_form.html", {**context, "blocker": blocker})


PROGRESS = Step(
    what="update",
    form=forms.ProgressForm,
    run=lambda action, by, d: services.progress_update_add(action=action, by=by, **d),
    title="Update progress",
    button="Save the update",
    success="Progress on action {n} has been recorded.",
    intro="Say what has been done since the last update. The sub-group reads every update.",
    form_kwargs=lambda action: {"action": action},
    initial=lambda action: {"status": action.status},
)
COMPLETION = Step(
    what="update",
    form=forms.CompletionForm,
    run=lambda action, by, d: services.completion_evidence_record(action=action, by=by, **d),
    title="Record evidence of completion",
    button="Record the evidence",
    success="Action {n} is complete. The sub-group will look for evidence of its impact.",
    intro="The action becomes complete. It is closed only once the sub-group has seen evidence "
    "of its impact on practice.",
    initial=lambda action: {"completion_evidence": action.completion_evidence},
)
IMPACT = Step(
    what="update",
    form=forms.ImpactForm,
    run=lambda action, by, d: services.impact_evidence_record(action=action, by=by, **d),
    title="Record evidence of impact",
    button="Record the evidence of impact",
    success="Evidence of impact on action {n} has been recorded.",
    intro="What changed in practice for children and families, and how you know.",
    initial=lambda action: {
        "impact_evidence": action.impact_evidence,
        "assurance_method": action.assurance_method,
        "assurance_detail": action.assurance_detail,
    },
)
EDIT = Step(
    what="edit",
    form=forms.ActionEditForm,
    run=lambda action, by, d: services.action_edit(action=action, by=by, **d),
    title="Change the action",
    button="Save the changes",
    success="Action {n} has been changed.",
    initial=lambda action: {
        "text": action.text,
        "lead_agency": action.lead_agency,
        "owner": action.owner,
        "themes": list(action.themes.all()),
        "version": version_of(action),
    },
)
DUE_DATE = Step(
    what="edit",
    form=forms.DueDateForm,
    run=lambda action, by, d: services.action_due_date_change(action=action, by=by, **d),
    title="Move the due date",
    button="Move the due date",
    success="The due date of action {n} has moved; the old date is kept with the reason.",
    intro="The current due date and the reason for the change are kept in the action's history.",
)
RATE = Step(
    what="rate",
    form=forms.RateForm,
    run=lambda action, by, d: services.action_rate(action=action, by=by, **d),
    title="Rate the action",
    button="Save the rating",
    success="Action {n} has been rated.",
    intro="The sub-group's rating after discussion: red will not deliver, amber will partly "
    "deliver, green is on track.",
    initial=lambda action: {"rag": action.rag, "note": action.rag_note},
)
REQUEST_IMPACT = Step(
    what="request_impact",
    form=forms.ImpactRequestForm,
    run=lambda action, by, d: services.impact_evidence_request(action=action, by=by, **d),
    title="Ask for evidence of impact",
    button="Ask for the evidence",
    success="The lead agency has been asked for evidence of the impact of action {n}.",
)
REOPEN = Step(
    what="reopen",
    form=forms.ReopenForm,
    run=lambda action, by, d: services.action_reopen(action=action, by=by, **d),
    title="Reopen the action",
    button="Reopen the action",
    success="Action {n} has been reopened and is in progress again.",
    blocker=reopen_blocker,
)
HAND_OVER = Step(
    what="hand_over",
    form=forms.HandOverForm,
    run=lambda action, by, d: services.action_hand_over(action=action, by=by, **d),
    title="Hand the action to another plan",
    button="Hand over the action",
    success="Action {n} has been handed to another plan.",
    intro="The action leaves this review's plan; the plan it goes to follows it up.",
)


def _view(step: Step):
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request, pk):
        return _step(request, pk, step)

    return view


@login_required
@require_http_methods(["GET", "POST"])
def action_close(request, pk):
    """Check the evidence, then confirm closure: THE CLOSURE RULE is the service's."""
    action = get_action_for(request.user, pk, "close")
    form = forms.CloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.action_close(action=action, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            action.review.refresh_from_db()
            closed = " The review's action plan is complete and the review is closed." * (
                action.review.stage == Stage.CLOSED
            )
            messages.success(request, f"Action {action.number} is closed.{closed}")
            return redirect("actions:detail", action.pk)
    context = {
        "action": action,
        "review": action.review,
        "form": form,
        "blocker": services.closure_blocker(action),
        "evidence_files": list(selectors.evidence_files_of(action)),
    }
    return render(request, "actions/action_close.html", context)


@login_required
@require_POST
def action_share(request, pk):
    action = get_action_for(request.user, pk, "share")
    shared = request.POST.get("shared") == "yes"
    services.action_share(action=action, by=request.user, shared=shared)
    messages.success(
        request,
        f"Action {action.number} is shared with every agency's representatives, read-only."
        if shared
        else f"Action {action.number} is no longer shared with other agencies.",
    )
    return redirect("actions:detail", action.pk)


# --- evidence files -----------------------------------------------------------------------------


@login_required
@require_GET
def evidence_file(request, pk):
    evidence = permissions.get_object_for(
        request.user,
        visible=selectors.evidence_for_user(request.user),
        pk=pk,
        allowed=lambda evidence: True,  # whoever may see the action may read its evidence
    )
    try:
        file = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    if sha256_of(file) != evidence.sha256:
        file.close()
        logger.error("Evidence file %s does not match its SHA-256", evidence.pk)
        context = {"action": evidence.action, "evidence": evidence}
        return render(request, "actions/action_evidence_damaged.html", context, status=409)
    log_access(
        request,
        what=f"Downloaded evidence for action {evidence.action.number}",
        obj=evidence,
        review_id=evidence.action.review_id,
    )
    response = FileResponse(
        file,
        as_attachment=True,
        filename=evidence.file_name,
        content_type=evidence_content_type(evidence.file_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("<int:pk>/", action_detail, name="detail"),
    path("<int:pk>/progress/", _view(PROGRESS), name="progress"),
    path("<int:pk>/completion/", _view(COMPLETION), name="completion"),
    path("<int:pk>/impact/", _view(IMPACT), name="impact"),
    path("<int:pk>/edit/", _view(EDIT), name="edit"),
    path("<int:pk>/due-date/", _view(DUE_DATE), name="due_date"),
    path("<int:pk>/rate/", _view(RATE), name="rate"),
    path("<int:pk>/request-impact/", _view(REQUEST_IMPACT), name="request_impact"),
    path("<int:pk>/close/", action_close, name="close"),
    path("<int:pk>/reopen/", _view(REOPEN), name="reopen"),
    path("<int:pk>/hand-over/", _view(HAND_OVER), name="hand_over"),
    path("<int:pk>/share/", action_share, name="share"),
    path("evidence/<int:pk>/", evidence_file, name="evidence"),
]

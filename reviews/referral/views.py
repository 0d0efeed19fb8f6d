"""The referral pages: a new referral, its details and children, the criteria check, closing it
and the notification."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from lcspr.access_log.services import log_access
from lcspr.accounts.models import Role
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import Form, apply_workflow_error, without_version
from lcspr.core.permissions import can
from lcspr.core.steps import posted, take_step
from lcspr.core.versions import version_of
from lcspr.core.working_days import calendar
from reviews.clocks import deadlines
from reviews.clocks.models import DeadlineKind
from reviews.models import Stage
from reviews.permissions import get_review_for, reviews_for_user
from reviews.referral import selectors, services
from reviews.referral.forms import (
    AdultEditForm,
    AdultForm,
    ChildForm,
    CloseForm,
    CriteriaForm,
    LookedAfterDeathNoticeForm,
    NotificationForm,
    PartnersInformedForm,
    ReferralEditForm,
    ReferralForm,
)


def _require_manager(user) -> None:
    # Opening a referral concerns no review yet, so the policy's "manage" is asked of the role.
    if not user.has_role(Role.PARTNERSHIP_MANAGER):
        raise PermissionDenied


def _clock(review, kind):
    """The review's clock of `kind` with its countdown, or None."""
    deadline = review.deadlines.filter(kind=kind).first()
    if deadline is not None:
        today = timezone.localdate()
        cal = calendar()
        deadline.countdown = deadlines.countdown(deadline.due_date, today, cal)
        deadline.countdown_text = deadlines.countdown_text(deadline.due_date, today, cal)
    return deadline


def criteria_not_met_reasons(review) -> str:
    reasons = []
    if review.abuse_or_neglect == "no":
        reasons.append("abuse or neglect is not known or suspected")
    if review.died_or_seriously_harmed == "no":
        reasons.append("the child has not died or been seriously harmed")
    return " and ".join(reasons)


@login_required
@require_http_methods(["GET", "POST"])
def review_new(request):
    _require_manager(request.user)
    form = ReferralForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_open(by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Referral recorded as {review.reference}")
            return redirect("reviews:detail", review.pk)
    return render(request, "reviews/referral/review_new.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request, pk):
    review = get_review_for(request.user, pk, "manage")
    initial = {f: getattr(review, f) for f in services.EDITABLE_DETAILS}
    initial["version"] = version_of(review)
    form = ReferralEditForm(posted(request), initial=initial, review=review)
    if request.method == "POST" and form.is_valid():
        edited = without_version(form.cleaned_data)
        changes = {f: v for f, v in edited.items() if initial[f] != v}
        try:
            services.review_update_details(
                review=review, by=request.user, version=form.cleaned_data["version"], **changes
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(
                request, "Referral details updated" if changes else "No changes were made"
            )
            return redirect("reviews:detail", review.pk)
    log_access(request, what="Referral details form", obj=review, review_id=review.pk)
    blocked = (
        "The review is closed: its details can no longer change."
        if (review.stage == Stage.CLOSED)
        else ""
    )
    return render(
        request,
        "reviews/referral/review_edit.html",
        {"review": review, "form": form, "blocked": blocked},
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_add(request, pk):
    review = get_review_for(request.user, pk, "manage")
    form = ChildForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.child_add(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "Child added")
            return redirect("reviews:detail", review.pk)
    blocked = ""
    if review.children.count() >= services.MAX_CHILDREN:
        blocked = (
            "Four children are already recorded, the most a notification names. Describe "
            "any others under 'Other children involved' in the case details."
        )
    return render(
        request,
        "reviews/referral/child_add.html",
        {"review": review, "form": form, "blocked": blocked},
    )


@login_required
@require_http_methods(["GET", "POST"])
def child_remove(request, pk, child_pk):
    review = get_review_for(request.user, pk, "manage")
    child = get_object_or_404(review.children, pk=child_pk)
    form = Form(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.child_remove(child=child, by=request.user)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "Child removed")
            return redirect("reviews:detail", review.pk)
    blocked = (
        ""
        if review.stage == Stage.REFERRAL
        else ("Children can only be removed while the case is a referral.")
    )
    return render(
        request,
        "reviews/referral/child_remove.html",
        {
            "review": review,
            "child": child,
            "form": form,
            "blocked": blocked,
            "number": list(review.children.values_list("pk", flat=True)).index(child.pk) + 1,
        },
    )


def _adult_page(request, review, form, *, adult=None):
    return render(
        request,
        "reviews/referral/adult_form.html",
        {
            "review": review,
            "form": form,
            "adult": adult,
            "blocked": services.adults_blocker(review),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def adult_add(request, pk):
    """Record a parent, carer or member of the household the review is about."""
    review = get_review_for(request.user, pk, "manage")
    form = AdultForm(posted(request))
    done = take_step(
        request,
        form,
        lambda data: services.adult_add(review=review, by=request.user, **data),
        success="Adult added",
        then=reverse("reviews:detail", args=[review.pk]) + "#adults",
    )
    return done or _adult_page(request, review, form)


@login_required
@require_http_methods(["GET", "POST"])
def adult_edit(request, pk, adult_pk):
    review = get_review_for(request.user, pk, "manage")
    adult = get_object_or_404(selectors.adults(review), pk=adult_pk)
    initial = {f: getattr(adult, f) for f in services.ADULT_FIELDS}
    initial["version"] = version_of(adult)
    form = AdultEditForm(posted(request), initial=initial)
    done = take_step(
        request,
        form,
        lambda data: services.adult_update(adult=adult, by=request.user, **data),
        success="Adult's details updated",
        then=reverse("reviews:detail", args=[review.pk]) + "#adults",
    )
    log_access(request, what="An adult's details", obj=review, review_id=review.pk)
    return done or _adult_page(request, review, form, adult=adult)


@login_required
@require_http_methods(["GET", "POST"])
def adult_remove(request, pk, adult_pk):
    review = get_review_for(request.user, pk, "manage")
    adult = get_object_or_404(selectors.adults(review), pk=adult_pk)
    form = Form(posted(request))
    done = take_step(
        request,
        form,
        lambda data: services.adult_remove(adult=adult, by=request.user),
        success="Adult removed",
        then=reverse("reviews:detail", args=[review.pk]) + "#adults",
    )
    return done or render(
        request,
        "reviews/referral/adult_remove.html",
        {
            "review": review,
            "adult": adult,
            "form": form,
            "blocked": services.adults_blocker(review),
        },
    )


@login_required
@require_GET
def other_reviews(request, pk):
    """Other reviews involving this child or family, among those the reader may see: a review
    they are not part of is never named, and the names compared are shown only to those who
    may see identities."""
    review = get_review_for(request.user, pk, "view")
    may_see_identities = can(request.user, "view_identities", review)
    found = selectors.other_reviews(
        review, visible=reviews_for_user(request.user), details=may_see_identities
    )
    references = ", ".join(other.review.reference for other in found) or "none"
    log_access(
        request,
        what=f"Other reviews involving this child or family (matches: {references})"[:200],
        obj=review,
        review_id=review.pk,
    )
    return render(
        request,
        "reviews/referral/other_reviews.html",
        {
            "review": review,
            "others": found,
            "may_see_identities": may_see_identities,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria(request, pk):
    review = get_review_for(request.user, pk, "manage")
    initial = {
        "abuse_or_neglect": review.abuse_or_neglect,
        "died_or_seriously_harmed": review.died_or_seriously_harmed,
        "note": review.criteria_note,
    }
    form = CriteriaForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.criteria_record(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(
                request,
                "Criteria check saved: the criteria are met. Notify the National Panel next."
                if review.criteria_met
                else "Criteria check saved: the criteria are not met.",
            )
            return redirect("reviews:detail", review.pk)
    blocked = (
        ""
        if review.stage == Stage.REFERRAL
        else ("The criteria check can only change while the case is a referral.")
    )
    return render(
        request,
        "reviews/referral/review_criteria.html",
        {"review": review, "form": form, "blocked": blocked},
    )


@login_required
@require_http_methods(["GET", "POST"])
def close_not_notifiable(request, pk):
    review = get_review_for(request.user, pk, "manage")
    form = CloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.review_close_not_notifiable(
                review=review, by=request.user, reason=form.cleaned_data["reason"]
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, f"Referral {review.reference} closed")
            return redirect("reviews:detail", review.pk)
    if review.stage != Stage.REFERRAL:
        blocked = "Only a referral can be closed this way."
    elif not review.criteria_checked:
        blocked = "Check the criteria before closing the referral."
    elif review.criteria_met:
        blocked = "The criteria are met, so the incident must be notified to the National Panel."
    else:
        blocked = ""
    return render(
        request,
        "reviews/referral/review_close.html",
        {
            "review": review,
            "form": form,
            "blocked": blocked,
            "reasons": criteria_not_met_reasons(review),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification(request, pk):
    review = get_review_for(request.user, pk, "manage")
    form = NotificationForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_record(review=review, by=request.user, **form.cleaned_data)
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "Notification recorded: the rapid review has started")
            return redirect("reviews:detail", review.pk)
    if review.stage != Stage.REFERRAL:
        blocked = (
            "The notification has already been recorded."
            if selectors.notification_recorded(review)
            else "Only a referral can be notified."
        )
    elif not review.criteria_met:
        blocked = "Record that the criteria are met before recording the notification."
    else:
        blocked = ""
    return render(
        request,
        "reviews/referral/notification_form.html",
        {
            "review": review,
            "form": form,
            "blocked": blocked,
            "clock": _clock(review, DeadlineKind.NOTIFICATION),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partners_informed(request, pk):
    review = get_review_for(request.user, pk, "manage")
    form = PartnersInformedForm(
        posted(request), initial={"informed_on": review.partners_informed_on}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.partners_informed_record(
                review=review, by=request.user, informed_on=form.cleaned_data["informed_on"]
            )
        except WorkflowError as e:
            apply_workflow_error(form, e)
        else:
            messages.success(request, "Date the safeguarding partners were informed saved")
            return redirect("reviews:detail", review.pk)
    blocked = services.partners_informed_blocker(review)
    return render(
        request,
        "reviews/referral/partners_informed_form.html",
        {
            "review": review,
            "form": form,
            "blocked": blocked,
            "clock": _clock(review, DeadlineKind.PARTNERS_INFORMED),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def looked_after_death(request, pk):
    """The DfE and Ofsted told of a looked-after child's death, whatever its cause."""
    review = get_review_for(request.user, pk, "manage")
    notice = selectors.looked_after_death_notice(review)
    initial = (
        {"dfe_notified_on": notice.dfe_notified_on, "ofsted_notified_on": notice.ofsted_notified_on}
        if notice
        else {}
    )
    form = LookedAfterDeathNoticeForm(posted(request), initial=initial)
    blocker = services.looked_after_death_blocker(review)
    if not blocker:
        done = take_step(
            request,
            form,
            lambda data: services.looked_after_death_notice_record(
                review=review, by=request.user, **data
            ),
            success="The notice to the DfE and Ofsted has been recorded.",
            then=reverse("reviews:detail", args=[review.pk]),
        )
        if done:
            return done
    clock = selectors.clock(review, DeadlineKind.LOOKED_AFTER_DEATH)
    if clock is not None:
        clock.countdown_text = deadlines.countdown_text(
            clock.due_date, timezone.localdate(), calendar()
        )
    log_access(request, what="Looked-after child's death notice", obj=review, review_id=review.pk)
    context = {
        "review": review,
        "form": form,
        "blocker": blocker,
        "notice": notice,
        "clock": clock,
    }
    return render(request, "reviews/referral/looked_after_death_form.html", context)


@login_required
@require_GET
def notification_answers(request, pk):
    """The national notification form's answers, in its order, each ready to copy: the manager
    fills the National Panel's form in minutes, then records here that it was sent."""
    review = get_review_for(request.user, pk, "manage")
    groups = selectors.national_notification(review)
    log_access(
        request, what="Answers for the national notification", obj=review, review_id=review.pk
    )
    return render(
        request,
        "reviews/referral/notification_answers.html",
        {
            "review": review,
            "groups": groups,
            "missing": sum(1 for group in groups for answer in group.answers if not answer.answer),
            "notification": selectors.notification(review),
            "clock": _clock(review, DeadlineKind.NOTIFICATION),
        },
    )


urlpatterns = [
    path("new/", review_new, name="new"),
    path("<int:pk>/details/", review_edit, name="edit"),
    path("<int:pk>/children/add/", child_add, name="child_add"),
    path("<int:pk>/children/<int:child_pk>/remove/", child_remove, name="child_remove"),
    path("<int:pk>/adults/add/", adult_add, name="adult_add"),
    path("<int:pk>/adults/<int:adult_pk>/", adult_edit, name="adult_edit"),
    path("<int:pk>/adults/<int:adult_pk>/remove/", adult_remove, name="adult_remove"),
    path("<int:pk>/other-reviews/", other_reviews, name="other_reviews"),
    path("<int:pk>/criteria/", criteria, name="criteria"),
    path("<int:pk>/close/", close_not_notifiable, name="close"),
    path("<int:pk>/notification/", notification, name="notification"),
    path("<int:pk>/notification/answers/", notification_answers, name="notification_answers"),
    path("<int:pk>/looked-after-death/", looked_after_death, name="looked_after_death"),
    path("<int:pk>/partners-informed/", partners_informed, name="partners_informed"),
]

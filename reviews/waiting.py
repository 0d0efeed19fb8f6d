"""Telling people that a step of a review now waits for them, in their notification centre and
by e-mail (lcspr.notifications.step_waiting_notify, after commit): the services that create the
step call these. The step is in their "Waiting for you" (reviews.queue) either way."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from lcspr.accounts.models import Role
from lcspr.core.permissions import can, users_with_object_perm
from lcspr.notifications.services import step_waiting_notify


def review_label(review) -> str:
    """The reference and pseudonym: never case detail in a notice."""
    return f"{review.reference} ({review.pseudonym})"


def _with_role(role: str, **filters):
    return (
        get_user_model()
        .objects.filter(is_active=True, role_assignments__role=role, **filters)
        .distinct()
    )


def tell_partner_leads_to_sign_off(review, agencies) -> None:
    """The recommendation waits for the sign-off of these statutory partners' leads."""
    step_waiting_notify(
        recipients=_with_role(Role.STATUTORY_PARTNER_LEAD, agency__in=list(agencies)),
        title="A rapid review's recommendation needs your sign-off",
        review_label=review_label(review),
        url=reverse("reviews:sign_off", args=[review.pk]),
    )


def tell_chair_to_decide(review) -> None:
    """The signed-off recommendation went to the National Panel: the Chair decides."""
    step_waiting_notify(
        recipients=_with_role(Role.INDEPENDENT_CHAIR),
        title="A rapid review's recommendation is waiting for your decision",
        review_label=review_label(review),
        url=reverse("reviews:decision", args=[review.pk]),
    )


def tell_partner_leads_to_agree(review, agencies) -> None:
    """The Chair's decision differs from the recommendation: it waits for the partners."""
    step_waiting_notify(
        recipients=_with_role(Role.STATUTORY_PARTNER_LEAD, agency__in=list(agencies)),
        title="The Independent Chair's decision needs your agreement",
        review_label=review_label(review),
        url=reverse("reviews:decision_agreement", args=[review.pk]),
    )


def tell_agency_summary_requested(request) -> None:
    """The agency's representatives are asked for its summary."""
    step_waiting_notify(
        recipients=_with_role(Role.AGENCY_REPRESENTATIVE, agency=request.agency),
        title="Your agency is asked for a summary for a rapid review",
        review_label=review_label(request.review),
        url=reverse("reviews:summary_detail", args=[request.pk]),
    )


def tell_panel_chair_to_approve(review) -> None:
    """A draft of the Overview Report waits for the panel chair's approval."""
    members = users_with_object_perm("view_case", review)
    step_waiting_notify(
        recipients=[user for user in members if can(user, "approve_report", review)],
        title="A draft report is waiting for your approval",
        review_label=review_label(review),
        url=reverse("reviews:report_approve", args=[review.pk]),
    )


def tell_chair_to_sign_off_report(review) -> None:
    """The approved report waits for the Independent Chair's sign-off."""
    step_waiting_notify(
        recipients=_with_role(Role.INDEPENDENT_CHAIR),
        title="An approved report is waiting for your sign-off",
        review_label=review_label(review),
        url=reverse("reviews:report_sign_off", args=[review.pk]),
    )

"""Panel memberships: the only code that grants or revokes a person's access to a review."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from lcspr.accounts.models import Role
from lcspr.core import permissions
from lcspr.core.exceptions import WorkflowError
from lcspr.core.services import save_with_history, timeline_event
from lcspr.core.text import in_sentence, long_date
from lcspr.core.versions import require_version
from panels.models import MemberRole, Membership
from reviews.models import Review, Stage

# Object permissions on the review that every membership carries.
REVIEW_PERMISSIONS = ("view_case",)
ROLE_NEEDED = {
    MemberRole.PANEL_CHAIR: (Role.SUBGROUP_MEMBER, "a member of the LCSPR sub-group"),
    MemberRole.AUTHOR: (Role.INDEPENDENT_AUTHOR, "an independent author"),
    MemberRole.BUSINESS_UNIT: (Role.PARTNERSHIP_MANAGER, "partnership business unit staff"),
}


@transaction.atomic
def membership_add(*, review: Review, by, user, role: str, agency=None) -> Membership:
    """Add a person to a review's panel or team; their access starts now."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.stage == Stage.CLOSED:
        raise WorkflowError("The review is closed: nobody new can join it.")
    if review.stage != Stage.LCSPR:
        raise WorkflowError("A panel is set up once the Independent Chair has decided on an LCSPR.")
    if not user.is_active:
        raise WorkflowError({"user": f"{user} has no active account."})
    needed = ROLE_NEEDED.get(role)
    if needed and not user.has_role(needed[0]):
        label = in_sentence(MemberRole(role).label)
        raise WorkflowError({"user": f"{user} cannot be {label}: they must be {needed[1]}."})
    if role == MemberRole.PANEL_MEMBER:
        agency = agency or user.agency
        if agency is None:
            raise WorkflowError({"agency": "Choose the agency this panel member represents"})
    active = review.memberships.filter(ended_at__isnull=True)
    if active.filter(user=user, role=role).exists():
        raise WorkflowError({"user": f"{user} is already {in_sentence(MemberRole(role).label)}."})
    if role == MemberRole.PANEL_CHAIR and active.filter(role=role).exists():
        raise WorkflowError(
            {"user": "The review already has a panel chair. Remove them first to change chair."}
        )
    membership = Membership(review=review, user=user, role=role, agency=agency, added_by=by)
    save_with_history(membership, by, validate=False)
    for perm in REVIEW_PERMISSIONS:
        permissions.grant(user, perm, review)
    label = in_sentence(MemberRole(role).label)
    represents = f" for {agency}" if agency and role == MemberRole.PANEL_MEMBER else ""
    timeline_event(
        review=review, by=by, kind="member_added", summary=f"{user} joined as {label}{represents}"
    )
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, by, reason: str = "") -> Membership:
    """End a membership; the person loses access at once unless another membership of the same
    review still gives it. What they wrote stays, attributed to them."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not membership.is_active:
        raise WorkflowError("This person has already left the review.")
    if len(reason) > 300:
        raise ValidationError({"reason": "The reason must be 300 characters or fewer."})
    membership.ended_at = timezone.now()
    membership.ended_by = by
    membership.end_reason = reason
    save_with_history(membership, by, validate=False)
    review, user = membership.review, membership.user
    if not review.memberships.filter(user=user, ended_at__isnull=True).exists():
        for perm in REVIEW_PERMISSIONS:
            permissions.revoke(user, perm, review)
    timeline_event(
        review=review,
        by=by,
        kind="member_removed",
        summary=f"{user} left as {in_sentence(membership.get_role_display())}",
        reason=reason,
    )
    return membership


def memberships_end_for_leaver(*, user, by, reason: str) -> str:
    """A leaver's account was deactivated: every review membership they still hold ends, with
    the reason on each review's timeline (what they did stays attributed to them)."""
    ended = []
    active = Membership.objects.filter(user=user, ended_at__isnull=True).select_related("review")
    for membership in active.order_by("review__reference", "role"):
        membership_end(membership=membership, by=by, reason=f"Left the partnership: {reason}"[:300])
        ended.append(membership.review.reference)
    if not ended:
        return ""
    references = ", ".join(dict.fromkeys(ended))
    count = len(ended)
    return f"{count} review membership{'' if count == 1 else 's'} ended ({references})"


@transaction.atomic
def author_appointment_set(
    *,
    membership: Membership,
    by,
    commissioned_on,
    contract_reference: str = "",
    expected_delivery,
    version: int | None = None,
) -> Membership:
    """Record or change an independent author's appointment: when they were commissioned, the
    contract or agreement reference and when the report is expected (refused when read at an
    older `version` and someone has changed them since)."""
    membership = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    require_version(
        membership, version, fields=("commissioned_on", "contract_reference", "expected_delivery")
    )
    if membership.role != MemberRole.AUTHOR:
        raise WorkflowError("Only an independent author has appointment details.")
    if not membership.is_active:
        raise WorkflowError(f"{membership.user} is no longer the review's author.")
    errors = {}
    if commissioned_on is None:
        errors["commissioned_on"] = "Enter the date the author was commissioned"
    if commissioned_on and expected_delivery and expected_delivery < commissioned_on:
        errors["expected_delivery"] = (
            "The expected delivery date must be on or after the date commissioned"
        )
    if errors:
        raise WorkflowError(errors)
    first = membership.commissioned_on is None
    membership.commissioned_on = commissioned_on
    membership.contract_reference = contract_reference
    membership.expected_delivery = expected_delivery
    save_with_history(membership, by, validate=False)
    details = f"commissioned on {long_date(commissioned_on)}"
    if contract_reference:
        details += f", reference {contract_reference}"
    if expected_delivery:
        details += f", report expected by {long_date(expected_delivery)}"
    timeline_event(
        review=membership.review,
        by=by,
        kind="author_appointment",
        summary=f"{membership.user}'s appointment as author "
        f"{'recorded' if first else 'changed'}: {details}",
    )
    return membership


@transaction.atomic
def author_appoint(
    *, review: Review, by, user, commissioned_on, contract_reference: str = "", expected_delivery
) -> Membership:
    """Appoint an independent author: their membership (and access) starts now, with the
    appointment details, all or nothing."""
    membership = membership_add(review=review, by=by, user=user, role=MemberRole.AUTHOR)
    return author_appointment_set(
        membership=membership,
        by=by,
        commissioned_on=commissioned_on,
        contract_reference=contract_reference,
        expected_delivery=expected_delivery,
    )

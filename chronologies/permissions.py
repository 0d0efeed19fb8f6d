"""Who sees and does what with chronologies: chronologies/' rules on ChronologyRequest and its
actions on Review (docs/adr/0010). An agency's representatives work on
their own agency's chronology for the reviews they were asked about, and never see another
agency's, including through exports and the merged view. The panel (chair, members), the
review's author and the partnership manager see the merged chronology and every agency's
submitted versions; only they see reviewer comments."""

from django.db.models import Q

from chronologies.models import ChronologyRequest
from lcspr.accounts.models import Role
from lcspr.core import permissions
from panels.models import MemberRole, Membership
from panels.permissions import member_roles
from reviews.models import Review
from reviews.permissions import reviews_for_user

PANEL_ROLES = {
    MemberRole.PANEL_CHAIR,
    MemberRole.PANEL_MEMBER,
    MemberRole.AUTHOR,
    MemberRole.BUSINESS_UNIT,
}


def _panel_review_ids(user):
    return Membership.objects.filter(user=user, ended_at__isnull=True, role__in=PANEL_ROLES).values(
        "review_id"
    )


def requests_to_decide(user):
    """The chronology requests whose acceptance is `user`'s (may_decide, as a queryset): all for
    the manager, their reviews' for a panel chair."""
    if not user.is_authenticated or not user.is_active:
        return ChronologyRequest.objects.none()
    if user.has_role(Role.PARTNERSHIP_MANAGER):
        return ChronologyRequest.objects.all()
    chaired = Membership.objects.filter(
        user=user, ended_at__isnull=True, role=MemberRole.PANEL_CHAIR
    ).values("review_id")
    return ChronologyRequest.objects.filter(review_id__in=chaired)


def requests_for_user(user):
    """The chronology requests `user` may know exist."""
    if not user.is_authenticated or not user.is_active:
        return ChronologyRequest.objects.none()
    if user.has_role(Role.PARTNERSHIP_MANAGER):
        return ChronologyRequest.objects.all()
    scope = Q(review_id__in=_panel_review_ids(user))
    if user.has_role(Role.AGENCY_REPRESENTATIVE) and user.agency_id:
        scope |= Q(agency_id=user.agency_id)
    return ChronologyRequest.objects.filter(scope)


def may_know_request(user, request: ChronologyRequest) -> bool:
    """Whether `request` is among requests_for_user(user), from the user's roles and
    memberships (loaded once per request): no query of its own."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.has_role(Role.PARTNERSHIP_MANAGER):
        return True
    if member_roles(user, request.review) & PANEL_ROLES:
        return True
    return (
        user.has_role(Role.AGENCY_REPRESENTATIVE)
        and user.agency_id is not None
        and user.agency_id == request.agency_id
    )


def is_agency_side(user, request: ChronologyRequest) -> bool:
    """The agency's own people: its representatives."""
    return user.has_role(Role.AGENCY_REPRESENTATIVE) and user.agency_id == request.agency_id


def may_decide(user, request: ChronologyRequest) -> bool:
    """Accept or return a submitted chronology: the manager or the review's panel chair."""
    return user.has_role(Role.PARTNERSHIP_MANAGER) or (
        MemberRole.PANEL_CHAIR in member_roles(user, request.review)
    )


# view; view_draft (the working entries, before submission); edit (entries, import, authors,
# submit); decide (accept or return).
REQUEST_RULES = {
    "view": lambda user, request: True,  # visibility is requests_for_user
    "view_draft": lambda user, request: (
        user.has_role(Role.PARTNERSHIP_MANAGER) or is_agency_side(user, request)
    ),
    "edit": is_agency_side,
    "decide": may_decide,
}


def can_request(user, action: str, request: ChronologyRequest) -> bool:
    """What the chronology-request rules say; False for any other action."""
    rule = REQUEST_RULES.get(action)
    return rule is not None and rule(user, request)


def get_request_for(user, pk, action: str = "view") -> ChronologyRequest:
    """A chronology request: 404 if the user may not know it exists, 403 if not allowed."""
    return permissions.get_object_for(
        user,
        visible=requests_for_user(user).select_related("review", "agency"),
        pk=pk,
        allowed=lambda request: can_request(user, action, request),
    )


def may_see_merged(user, review: Review) -> bool:
    """The merged chronology (and its exports, and commenting on entries): the manager and the
    review's PANEL_ROLES."""
    return user.has_role(Role.PARTNERSHIP_MANAGER) or bool(member_roles(user, review) & PANEL_ROLES)


# Review-level chronology actions.
RULES = {
    "view_merged": may_see_merged,
    "comment_entries": may_see_merged,
    "request_chronologies": lambda user, review: user.has_role(Role.PARTNERSHIP_MANAGER),
}


def can_review_chronology(user, action: str, review: Review) -> bool:
    """What chronologies/' rules on Review say; False for an action another app rules."""
    rule = RULES.get(action)
    return rule is not None and rule(user, review)


def get_review_for_chronology(user, pk, action: str) -> Review:
    """The review for a merged-chronology page: 404 / 403 as every access helper."""
    return permissions.get_object_for(
        user,
        visible=reviews_for_user(user),
        pk=pk,
        allowed=lambda review: can_review_chronology(user, action, review),
    )


permissions.register_rules(ChronologyRequest, REQUEST_RULES)
permissions.register_rules(Review, RULES)


def may_list_requests(user) -> bool:
    """Whether the agency's Chronologies page belongs in the user's navigation."""
    return user.is_authenticated and user.has_role(Role.AGENCY_REPRESENTATIVE)

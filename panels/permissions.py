"""Who may see and do what in a review's commissioning steps: panels/' rules on Review, beside
reviews/' own (each action has one rule: docs/adr/0010).

A person's part in a review comes from their active memberships (panel chair, panel member,
independent author, business unit staff); the partnership manager may do everything; the LCSPR
sub-group sees summaries and time-and-quality checkpoints but never family contact.
"""

from lcspr.accounts.models import Role
from lcspr.core import permissions
from panels.models import MemberRole, Membership
from reviews.models import Review
from reviews.permissions import SHARED_REPORT_ACTIONS, reviews_for_user, role_allows

CHAIR, MEMBER = MemberRole.PANEL_CHAIR, MemberRole.PANEL_MEMBER
AUTHOR, STAFF = MemberRole.AUTHOR, MemberRole.BUSINESS_UNIT

# action -> the membership roles that allow it (the partnership manager may always).
MEMBER_ACTIONS = {
    "view_panel": {CHAIR, MEMBER, AUTHOR, STAFF},
    "manage_panel": {STAFF},
    "view_tor": {CHAIR, MEMBER, AUTHOR, STAFF},
    "edit_tor": {AUTHOR, STAFF},
    "comment_tor": {CHAIR, MEMBER},
    "agree_tor": {CHAIR},
    "view_meetings": {CHAIR, MEMBER, AUTHOR, STAFF},
    "manage_meetings": {CHAIR, STAFF},
    "view_events": {CHAIR, MEMBER, AUTHOR, STAFF},
    "record_events": {CHAIR, AUTHOR, STAFF},
    "view_family": {CHAIR, AUTHOR},
    "record_family": {AUTHOR},
    "view_checkpoints": {CHAIR},
    "record_checkpoints": set(),
    # The report: drafts are restricted to the review's panel and author (and the roles of
    # reviews' REPORT_ROLE_ACTIONS: SHARED_REPORT_ACTIONS answer to either).
    "view_drafts": {CHAIR, MEMBER, AUTHOR, STAFF},
    "upload_draft": {AUTHOR},
    "comment_draft": {CHAIR, MEMBER},
    "respond_comment": {AUTHOR},
    "approve_report": {CHAIR},
    "view_names": {AUTHOR},
    "edit_names": {AUTHOR},
    "run_check": {CHAIR, AUTHOR},
    "edit_learning": {AUTHOR},
    "view_final": {CHAIR, MEMBER, AUTHOR, STAFF},
    "view_learning": {CHAIR, MEMBER, AUTHOR, STAFF},
}
# Steps that are one person's alone, which the partnership manager may not take for them.
NOT_FOR_MANAGER = {"approve_report", "comment_draft", "respond_comment"}
# Actions the LCSPR sub-group may take on every LCSPR it can see.
SUBGROUP_ACTIONS = {"view_panel", "view_tor", "view_checkpoints", "record_checkpoints"}


def member_roles(user, review: Review) -> frozenset[str]:
    """The user's active membership roles on `review`, loaded once per request and review."""
    cache = user.__dict__.setdefault("_member_roles", {})
    if review.pk not in cache:
        cache[review.pk] = frozenset(
            Membership.objects.filter(review=review, user=user, ended_at__isnull=True).values_list(
                "role", flat=True
            )
        )
    return cache[review.pk]


def load_member_roles(user, reviews) -> None:
    """The user's active membership roles on each of `reviews`, in one query (member_roles
    then answers from them for the rest of the request)."""
    cache = user.__dict__.setdefault("_member_roles", {})
    reviews = [review for review in reviews if review.pk not in cache]
    for review in reviews:
        if "active_memberships" in review.__dict__:  # loaded with the review page
            mine = (m.role for m in review.active_memberships if m.user_id == user.pk)
            cache[review.pk] = frozenset(mine)
    roles: dict[int, set[str]] = {r.pk: set() for r in reviews if r.pk not in cache}
    if not roles:
        return
    rows = Membership.objects.filter(
        user=user, review_id__in=list(roles), ended_at__isnull=True
    ).values_list("review_id", "role")
    for review_id, role in rows:
        roles[review_id].add(role)
    cache.update({pk: frozenset(found) for pk, found in roles.items()})


def member_allows(user, action: str, review: Review) -> bool:
    """Whether the user's part in `review` allows the commissioning `action` (MEMBER_ACTIONS):
    the partnership manager may, the sub-group may take SUBGROUP_ACTIONS, members by role."""
    if user.has_role(Role.PARTNERSHIP_MANAGER) and action not in NOT_FOR_MANAGER:
        return True
    if action in SUBGROUP_ACTIONS and user.has_role(Role.SUBGROUP_MEMBER):
        return True
    return bool(member_roles(user, review) & MEMBER_ACTIONS[action])


def _rule(action: str):
    if action in SHARED_REPORT_ACTIONS:
        # A report action a partnership role allows too: the role (reviews/' half) or the
        # membership. Panels owns the rule because only it can see both.
        return lambda user, review: (
            role_allows(user, action, review) or member_allows(user, action, review)
        )
    return lambda user, review: member_allows(user, action, review)


RULES = {action: _rule(action) for action in MEMBER_ACTIONS}


def can_panel(user, action: str, review: Review) -> bool:
    """What panels/' rules say; False for an action another app rules."""
    rule = RULES.get(action)
    return rule is not None and rule(user, review)


def get_review_for_panel(user, pk, action: str) -> Review:
    """The review with `pk` for a commissioning step: 404 if the user may not know it exists,
    403 if they may see it but not take this step."""
    return permissions.get_object_for(
        user,
        visible=reviews_for_user(user),
        pk=pk,
        allowed=lambda review: can_panel(user, action, review),
    )


permissions.register_rules(Review, RULES)
permissions.register_facts(Review, load_member_roles)

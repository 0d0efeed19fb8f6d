"""Who may see and do what with action plans: actions/' rules on Action and its plan actions on
Review (docs/adr/0010).

- The partnership manager: everything.
- LCSPR sub-group members: see every action, rate it (RAG) after discussion, ask for evidence of
  impact, confirm closure, reopen, hand over to another plan, share with other agencies.
- Executive members, the Independent Chair and statutory partner leads: read every action, the
  dashboard and the reports. (The sub-group and the Executive see no action of a review not yet
  decided: BEFORE_DECISION.)
- Agency representatives: their own agency's actions across all reviews, which they update
  (progress, evidence); of other agencies' actions only those the sub-group shared, read-only.
- A named owner: their own actions, which they update.
- Panel members and the author of a review (a `view_case` grant): read that review's plan.

Agency scoping is a queryset filter, not per-action grants (style: permissions).
"""

from django.db.models import Q

from actions.models import Action, Source
from lcspr.accounts.models import Role
from lcspr.core import permissions
from reviews.models import Review, Stage
from reviews.permissions import SEE_ALL_ROLES as SEE_EVERY_REVIEW_ROLES
from reviews.permissions import may_view as may_view_review
from reviews.permissions import reviews_for_user

SEE_ALL_ROLES = (
    Role.PARTNERSHIP_MANAGER,
    Role.SUBGROUP_MEMBER,
    Role.EXECUTIVE_MEMBER,
    Role.INDEPENDENT_CHAIR,
    Role.STATUTORY_PARTNER_LEAD,
)
MONITOR_ROLES = (Role.PARTNERSHIP_MANAGER, Role.SUBGROUP_MEMBER)
# Before the decision a review is the statutory partners' business (reviews.permissions), and so
# are the actions added to its plan then; but the immediate safety actions tracked from its rapid
# review are the oversight roles' to follow from the day they are recorded, decision or not.
BEFORE_DECISION = (Stage.REFERRAL, Stage.RAPID_REVIEW, Stage.AWAITING_DECISION)
# What the sub-group (and the manager) decide about an action.
MONITOR_ACTIONS = {"edit", "rate", "request_impact", "close", "reopen", "hand_over", "share"}


def actions_for_user(user):
    """The actions `user` may know exist."""
    if not user.is_authenticated or not user.is_active:
        return Action.objects.none()
    if user.has_role(*SEE_EVERY_REVIEW_ROLES):
        return Action.objects.all()
    granted = permissions.objects_with_perm(user, "reviews.view_case", Review.objects.all())
    visible = Q(review__in=granted.values("pk")) | Q(owner=user)
    if user.has_role(*SEE_ALL_ROLES):  # the oversight roles
        visible |= ~Q(review__stage__in=BEFORE_DECISION) | Q(source=Source.IMMEDIATE)
    if user.has_role(Role.AGENCY_REPRESENTATIVE) and user.agency_id:
        visible |= Q(lead_agency_id=user.agency_id) | Q(shared_with_agencies=True)
    return Action.objects.filter(visible)


def may_update(user, action: Action) -> bool:
    """Progress and evidence: the lead agency's representatives, the named owner, the manager."""
    return (
        user.has_role(Role.PARTNERSHIP_MANAGER)
        or action.owner_id == user.pk
        or (
            user.has_role(Role.AGENCY_REPRESENTATIVE)
            and user.agency_id is not None
            and user.agency_id == action.lead_agency_id
        )
    )


def _monitor(user, action: Action) -> bool:
    return user.has_role(*MONITOR_ROLES)


ACTION_RULES = {
    "view": lambda user, action: True,  # visibility is actions_for_user
    "update": may_update,
    **dict.fromkeys(MONITOR_ACTIONS, _monitor),
}


def can_action(user, what: str, action: Action) -> bool:
    """What the action rules say (`view`, `update`, the sub-group's MONITOR_ACTIONS); False for
    any other."""
    rule = ACTION_RULES.get(what)
    return rule is not None and rule(user, action)


def get_action_for(user, pk, what: str = "view") -> Action:
    """The action with `pk`: 404 if the user may not know it exists, 403 if they may not act."""
    return permissions.get_object_for(
        user,
        visible=actions_for_user(user).select_related("review", "lead_agency", "owner"),
        pk=pk,
        allowed=lambda action: can_action(user, what, action),
    )


def may_view_plan(user, review: Review) -> bool:
    """A review's action plan: those who see the review's case or oversee learning, once the
    review is theirs to see (an immediate action reaches the oversight roles before its review
    does)."""
    return (
        user.has_role(*SEE_ALL_ROLES) and may_view_review(user, review)
    ) or permissions.has_object_perm(user, "view_case", review)


# A review's action plan: `view_plan`; `manage_plan` (add actions, turn recommendations into
# actions) for the manager and the sub-group.
RULES = {
    "view_plan": may_view_plan,
    "manage_plan": lambda user, review: user.has_role(*MONITOR_ROLES),
}


def can_plan(user, what: str, review: Review) -> bool:
    """What actions/' rules on Review say; False for an action another app rules."""
    rule = RULES.get(what)
    return rule is not None and rule(user, review)


def get_review_for_plan(user, pk, what: str) -> Review:
    """The review with `pk` for its action plan: 404 / 403 as every access helper."""
    return permissions.get_object_for(
        user,
        visible=reviews_for_user(user),
        pk=pk,
        allowed=lambda review: can_plan(user, what, review),
    )


permissions.register_rules(Action, ACTION_RULES)
permissions.register_rules(Review, RULES)


def may_see_dashboard(user) -> bool:
    """Whether the action-plan dashboard belongs in the user's navigation."""
    return user.is_authenticated and user.has_role(*SEE_ALL_ROLES)


def may_list_agency_actions(user) -> bool:
    """Whether "Our actions" belongs in the user's navigation."""
    return user.is_authenticated and (
        (user.has_role(Role.AGENCY_REPRESENTATIVE) and user.agency_id is not None)
        or user.owned_actions.exists()
    )

"""Who may see and do what with a review: reviews/' rules on Review and AgencySummaryRequest
(see docs/adr/0003 and docs/adr/0010).

Until a review has a panel, access is by partnership role: the partnership manager,
the Independent Chair and the statutory partner leads see every referral and rapid review.
Agency representatives never see a review; they reach only the agency-summary requests
addressed to their agency. Everyone else gets 404: a review they are not part of does not exist
for them. Per-review grants (panel members, authors) come through guardian's object permission
`view_case`, given and taken only by membership services.
"""

from django.db.models import Q

from lcspr.accounts.models import Role
from lcspr.core import permissions
from reviews.models import ReportStatus, Review, Stage
from reviews.rapid_review.models import AgencySummaryRequest

SEE_ALL_ROLES = (Role.PARTNERSHIP_MANAGER, Role.INDEPENDENT_CHAIR, Role.STATUTORY_PARTNER_LEAD)
IDENTITY_ROLES = SEE_ALL_ROLES
# The LCSPR sub-group oversees every LCSPR (summary, timescale, checkpoints) but not referrals
# and rapid reviews, which are the statutory partners' business. The Executive Partnership reads
# the same LCSPRs' final reports, learning and action plans.
SUBGROUP_STAGES = (Stage.LCSPR,)
OVERSIGHT_ROLES = (Role.SUBGROUP_MEMBER, Role.EXECUTIVE_MEMBER)
# An LCSPR closed once its action plan is complete stays in the oversight roles' view: its report
# and what its learning became are what the sub-group and the Executive report on each year.
OVERSEEN = Q(stage__in=SUBGROUP_STAGES) | (
    Q(stage=Stage.CLOSED) & ~Q(report_status=ReportStatus.NONE)
)
# The report actions a partnership role allows (role_allows). The Independent Chair sees drafts,
# signs off for the partnership and may override the anonymisation block; the partnership manager
# may do all but approve (the panel chair's).
REPORT_ROLE_ACTIONS = {
    "view_drafts": (Role.PARTNERSHIP_MANAGER, Role.INDEPENDENT_CHAIR),
    "view_names": (Role.PARTNERSHIP_MANAGER, Role.INDEPENDENT_CHAIR),
    "edit_names": (Role.PARTNERSHIP_MANAGER,),
    "run_check": (Role.PARTNERSHIP_MANAGER, Role.INDEPENDENT_CHAIR),
    "sign_off_report": (Role.INDEPENDENT_CHAIR,),
    "override_anonymisation": (Role.INDEPENDENT_CHAIR,),
    "manage_publication": (Role.PARTNERSHIP_MANAGER,),
    "view_publication": (Role.PARTNERSHIP_MANAGER, Role.INDEPENDENT_CHAIR),
    "edit_learning": (Role.PARTNERSHIP_MANAGER,),
    "manage_themes": (Role.PARTNERSHIP_MANAGER,),
    # The final (approved and signed-off) report and the learning summary.
    "view_final": (*SEE_ALL_ROLES, *OVERSIGHT_ROLES),
    "view_learning": (*SEE_ALL_ROLES, *OVERSIGHT_ROLES),
}
# The report actions a membership of the review allows too (the panel and the author work on the
# report). Their rules are panels' (panels/permissions.py), which ask role_allows for the role's
# half: reviews cannot see memberships, and one action has one rule (docs/adr/0010).
SHARED_REPORT_ACTIONS = frozenset(
    {
        "view_drafts",
        "view_names",
        "edit_names",
        "run_check",
        "edit_learning",
        "view_final",
        "view_learning",
    }
)


def reviews_for_user(user):
    """The reviews `user` may know exist."""
    if not user.is_authenticated or not user.is_active:
        return Review.objects.none()
    if user.has_role(*SEE_ALL_ROLES):
        return Review.objects.all()
    granted = permissions.objects_with_perm(user, "reviews.view_case", Review.objects.all())
    if user.has_role(*OVERSIGHT_ROLES):
        return Review.objects.filter(Q(pk__in=granted.values("pk")) | OVERSEEN)
    return granted


def may_view(user, review: Review) -> bool:
    """Whether `user` sees `review` (reviews_for_user, for one review)."""
    return (
        user.has_role(*SEE_ALL_ROLES)
        or (user.has_role(*OVERSIGHT_ROLES) and is_overseen(review))
        or permissions.has_object_perm(user, "view_case", review)
    )


def role_allows(user, action: str, review: Review) -> bool:
    """Whether a partnership role of `user` allows the report `action` (REPORT_ROLE_ACTIONS) on
    a review they see."""
    return user.has_role(*REPORT_ROLE_ACTIONS[action]) and may_view(user, review)


def may_sign_off(user, review: Review) -> bool:
    """Whether `user` signs off rapid reviews for a statutory partner."""
    return (
        user.has_role(Role.STATUTORY_PARTNER_LEAD)
        and user.agency is not None
        and user.agency.is_statutory_partner
    )


def _role_rule(action: str):
    return lambda user, review: role_allows(user, action, review)


# reviews/' rules on Review: `manage` is the manager's steps; then the report actions only a role
# allows (SHARED_REPORT_ACTIONS are panels').
RULES = {
    "view": may_view,
    "view_identities": lambda user, review: user.has_role(*IDENTITY_ROLES),
    # The rapid review record holds every agency's summary, which only the statutory roles read
    # (summary_requests_for_user): not the oversight roles, nor a later panel.
    "view_rapid_review": lambda user, review: user.has_role(*SEE_ALL_ROLES),
    "manage": lambda user, review: user.has_role(Role.PARTNERSHIP_MANAGER),
    "sign_off": may_sign_off,
    "decide": lambda user, review: user.has_role(Role.INDEPENDENT_CHAIR),
    **{
        action: _role_rule(action)
        for action in REPORT_ROLE_ACTIONS
        if action not in SHARED_REPORT_ACTIONS
    },
}


def can_review(user, action: str, review: Review) -> bool:
    """What reviews/' own rules say; False for an action another app rules."""
    rule = RULES.get(action)
    return rule is not None and rule(user, review)


def is_overseen(review: Review) -> bool:
    """Whether the oversight roles see `review` (the OVERSEEN filter, for one review)."""
    return review.stage in SUBGROUP_STAGES or (
        review.stage == Stage.CLOSED and review.report_status != ReportStatus.NONE
    )


def get_review_for(user, pk, action: str = "view", *, loading=None) -> Review:
    """The review with `pk`: 404 if the user may not know it exists, 403 if they may not act.
    Asks the rule registered for `action` on Review, whichever app owns it. `loading(queryset)`
    adds what the page reads to the same query (selectors.for_review_page)."""
    visible = reviews_for_user(user)
    return permissions.get_object_for(
        user,
        visible=loading(visible) if loading else visible,
        pk=pk,
        allowed=lambda review: permissions.can(user, action, review),
    )


def summary_requests_for_user(user):
    """Agency-summary requests `user` may see: all of visible reviews, or their agency's."""
    if not user.is_authenticated or not user.is_active:
        return AgencySummaryRequest.objects.none()
    if user.has_role(*SEE_ALL_ROLES):
        return AgencySummaryRequest.objects.all()
    if user.has_role(Role.AGENCY_REPRESENTATIVE) and user.agency_id:
        return AgencySummaryRequest.objects.filter(agency_id=user.agency_id)
    return AgencySummaryRequest.objects.none()


def may_submit_summary(user, request: AgencySummaryRequest) -> bool:
    """The agency's own representatives, or the manager recording a summary that arrived another
    way. Whether the request is still open is the service's rule."""
    return user.has_role(Role.PARTNERSHIP_MANAGER) or (
        user.has_role(Role.AGENCY_REPRESENTATIVE) and user.agency_id == request.agency_id
    )


SUMMARY_RULES = {
    "view": lambda user, request: True,  # visibility is summary_requests_for_user
    "submit": may_submit_summary,
}


def can_summary(user, action: str, request: AgencySummaryRequest) -> bool:
    """What the agency-summary rules say; False for any other action."""
    rule = SUMMARY_RULES.get(action)
    return rule is not None and rule(user, request)


def get_summary_request_for(user, pk, action: str = "view") -> AgencySummaryRequest:
    return permissions.get_object_for(
        user,
        visible=summary_requests_for_user(user).select_related("review", "agency"),
        pk=pk,
        allowed=lambda request: can_summary(user, action, request),
    )


def load_view_grants(user, reviews) -> None:
    """The `view_case` grants of `user` on `reviews`, in one query, for the rules that ask
    has_object_perm (none for the roles that see every review)."""
    if not user.has_role(*SEE_ALL_ROLES):
        permissions.load_object_perms(user, reviews)


permissions.register_rules(Review, RULES)
permissions.register_rules(AgencySummaryRequest, SUMMARY_RULES)
permissions.register_facts(Review, load_view_grants)


def may_list_reviews(user) -> bool:
    """Whether the user sees every review (the statutory roles): the home page's counts and the
    Agency column of the summaries list."""
    return user.is_authenticated and user.has_role(*SEE_ALL_ROLES)


# The roles whose work is reviews: they have the Reviews list even while it is empty.
REVIEW_LIST_ROLES = (*SEE_ALL_ROLES, *OVERSIGHT_ROLES, Role.INDEPENDENT_AUTHOR)


def may_browse_reviews(user) -> bool:
    """Whether the Reviews list (of the reviews `user` may see: reviews_for_user) belongs in the
    user's navigation: the roles whose work is reviews, and anyone a review's panel includes.
    Asked on every page, so the answer is kept on the user for the request."""
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_may_browse_reviews", None)
    if cached is None:
        cached = user.has_role(*REVIEW_LIST_ROLES) or reviews_for_user(user).exists()
        user._may_browse_reviews = cached
    return cached


def may_list_summaries(user) -> bool:
    """Whether the Agency summaries page belongs in the user's navigation."""
    return user.is_authenticated and user.has_role(
        Role.AGENCY_REPRESENTATIVE, Role.PARTNERSHIP_MANAGER
    )


# The partnership's yearly report on reviews: those who run and oversee the reviews, as the
# action-plan dashboard's readers (actions.permissions.SEE_ALL_ROLES). Its figures count only
# the reviews each of them sees (reviews_for_user).
YEARLY_REPORT_ROLES = (*SEE_ALL_ROLES, *OVERSIGHT_ROLES)


def may_see_yearly_report(user) -> bool:
    """Whether the yearly report on reviews belongs in the user's navigation."""
    return user.is_authenticated and user.has_role(*YEARLY_REPORT_ROLES)

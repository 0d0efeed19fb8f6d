"""Who may see and do what with a review: the one policy for reviews/ (see docs/adr/0003).

Until a review has a panel (issue 4), access is by partnership role: the partnership manager,
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
# Role-based report actions (membership-based ones are panels' MEMBER_ACTIONS).
REPORT_ROLE_ACTIONS = {
    # The Independent Chair sees drafts, signs off for the partnership and may override the
    # anonymisation block; the partnership manager may do all but approve (the panel chair's).
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


def can_review(user, action: str, review: Review) -> bool:
    """`view`, `view_identities`, `manage` (the manager's steps), `sign_off`, `decide`, and the
    role-based report actions of REPORT_ROLE_ACTIONS."""
    if action in REPORT_ROLE_ACTIONS:
        return user.has_role(*REPORT_ROLE_ACTIONS[action]) and can_review(user, "view", review)
    if action == "view":
        return (
            user.has_role(*SEE_ALL_ROLES)
            or (user.has_role(*OVERSIGHT_ROLES) and is_overseen(review))
            or permissions.has_object_perm(user, "view_case", review)
        )
    if action == "view_identities":
        return user.has_role(*IDENTITY_ROLES)
    if action == "view_rapid_review":
        # The rapid review record holds every agency's summary, which only the statutory roles
        # read (summary_requests_for_user): not the oversight roles, nor a later panel.
        return user.has_role(*SEE_ALL_ROLES)
    if action == "manage":
        return user.has_role(Role.PARTNERSHIP_MANAGER)
    if action == "sign_off":
        return (
            user.has_role(Role.STATUTORY_PARTNER_LEAD)
            and user.agency is not None
            and user.agency.is_statutory_partner
        )
    if action == "decide":
        return user.has_role(Role.INDEPENDENT_CHAIR)
    return False


def is_overseen(review: Review) -> bool:
    """Whether the oversight roles see `review` (the OVERSEEN filter, for one review)."""
    return review.stage in SUBGROUP_STAGES or (
        review.stage == Stage.CLOSED and review.report_status != ReportStatus.NONE
    )


def get_review_for(user, pk, action: str = "view") -> Review:
    """The review with `pk`: 404 if the user may not know it exists, 403 if they may not act.
    Asks every policy registered on Review, so membership actions (panels) answer too."""
    return permissions.get_object_for(
        user,
        visible=reviews_for_user(user),
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


def can_summary(user, action: str, request: AgencySummaryRequest) -> bool:
    """`view`; `submit`: the agency's own representatives, or the manager recording a summary
    that arrived another way. Whether the request is still open is the service's rule."""
    if action == "view":
        return True  # visibility is the queryset above
    if action == "submit":
        return user.has_role(Role.PARTNERSHIP_MANAGER) or (
            user.has_role(Role.AGENCY_REPRESENTATIVE) and user.agency_id == request.agency_id
        )
    return False


def get_summary_request_for(user, pk, action: str = "view") -> AgencySummaryRequest:
    return permissions.get_object_for(
        user,
        visible=summary_requests_for_user(user).select_related("review", "agency"),
        pk=pk,
        allowed=lambda request: can_summary(user, action, request),
    )


permissions.register_policy(Review, can_review)
permissions.register_policy(AgencySummaryRequest, can_summary)


def may_list_reviews(user) -> bool:
    """Whether the Reviews list belongs in the user's navigation."""
    return user.is_authenticated and user.has_role(*SEE_ALL_ROLES)


def may_list_summaries(user) -> bool:
    """Whether the Agency summaries page belongs in the user's navigation."""
    return user.is_authenticated and user.has_role(
        Role.AGENCY_REPRESENTATIVE, Role.PARTNERSHIP_MANAGER
    )

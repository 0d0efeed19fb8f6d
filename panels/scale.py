"""Panels at scale (see lcspr.core.scale): every LCSPR gets a panel chair from the sub-group, an
independent author, business unit staff and panel members from the agencies in its Terms of
Reference, with the same guardian grants `membership_add` gives (REVIEW_PERMISSIONS on the
review, in guardian's direct table), and a few panel meetings."""

import datetime

from django.contrib.auth.models import Permission

from lcspr.core.scale import ScalePlan, bulk
from panels.models import MemberRole, Membership, PanelMeeting
from panels.services import REVIEW_PERMISSIONS
from reviews.models import Review, ReviewUserObjectPermission

PANEL_MEMBERS = 4


def build(plan: ScalePlan) -> None:
    rng, made = plan.rng, plan.made
    labels = made["by_label"]
    manager = labels["manager"][0]
    reps_by_agency = {}
    for rep in labels["rep"]:
        reps_by_agency.setdefault(rep.agency_id, []).append(rep)
    memberships = []
    for n, review in enumerate(made["lcsprs"]):
        started = made["terms"][review.pk].created_at - datetime.timedelta(days=5)

        def member(user, role, agency=None, review=review, started=started):
            memberships.append(
                Membership(
                    review=review,
                    user=user,
                    role=role,
                    agency=agency,
                    added_by=manager,
                    started_at=started,
                )
            )

        member(labels["subgroup"][n % len(labels["subgroup"])], MemberRole.PANEL_CHAIR)
        member(labels["author"][n % len(labels["author"])], MemberRole.AUTHOR)
        member(labels["manager"][n % len(labels["manager"])], MemberRole.BUSINESS_UNIT)
        agencies = [a for a in made["in_scope"][review.pk] if reps_by_agency.get(a.pk)]
        for agency in rng.sample(agencies, min(PANEL_MEMBERS, len(agencies))):
            member(rng.choice(reps_by_agency[agency.pk]), MemberRole.PANEL_MEMBER, agency)
    memberships = bulk(Membership, memberships, plan)

    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label=Review._meta.app_label, codename__in=REVIEW_PERMISSIONS
        )
    }
    grants = {(m.user_id, m.review_id) for m in memberships}
    ReviewUserObjectPermission.objects.bulk_create(
        (
            ReviewUserObjectPermission(user_id=user, content_object_id=review, permission=perm)
            for user, review in sorted(grants)
            for perm in perms.values()
        ),
        batch_size=2000,
    )
    meetings = bulk(
        PanelMeeting,
        (
            PanelMeeting(
                review=review,
                held_on=made["terms"][review.pk].created_at.date()
                + datetime.timedelta(days=30 * k),
                agenda="Fictional agenda.",
                minutes="Fictional minutes.",
                recorded_by=manager,
            )
            for review in made["lcsprs"]
            for k in range(1, rng.randrange(2, 5))
        ),
        plan,
    )
    by_review = {}
    for membership in memberships:
        by_review.setdefault(membership.review_id, []).append(membership)
    PanelMeeting.present.through.objects.bulk_create(
        (
            PanelMeeting.present.through(panelmeeting_id=meeting.pk, membership_id=m.pk)
            for meeting in meetings
            for m in by_review[meeting.review_id]
        ),
        batch_size=2000,
    )
    big = made.get("big_review")
    if big is not None and "panel_member" not in made["personas"]:
        made["personas"]["panel_member"] = next(
            m.user
            for m in memberships
            if m.review_id == big.pk and m.role == MemberRole.PANEL_MEMBER
        )
    made["memberships"] = memberships
    plan.log(f"  {len(memberships):,} panel memberships, {len(grants):,} review grants")

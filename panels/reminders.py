"""The commissioning clocks of an LCSPR as reminders: agreeing the Terms of Reference,
the sub-group's time and quality checkpoint and completing the review. They name people of the
review's panel, which only panels/ knows; the statutory clocks are in reviews/reminders.py.

One provider, a fixed handful of queries however many reviews there are.
"""

import datetime
from collections import defaultdict

from django.urls import reverse

from lcspr.accounts.models import Role
from lcspr.reminders.clocks import register_clock
from panels.models import MemberRole, Membership
from reviews.clocks.models import DeadlineKind
from reviews.reminders import deadline_due, managers, open_deadlines, union, users_with_role

PAGES = {
    DeadlineKind.TOR_AGREEMENT: "reviews:terms",
    DeadlineKind.CHECKPOINT: "reviews:monitoring",
    DeadlineKind.COMPLETION: "reviews:report_detail",
}
# Who, besides the partnership managers, acts on each clock: the panel chair agrees the Terms
# of Reference; the LCSPR sub-group holds the checkpoints; the author writes the report the
# panel chair approves, which completes the review.
MEMBERS = {
    DeadlineKind.TOR_AGREEMENT: (MemberRole.PANEL_CHAIR,),
    DeadlineKind.CHECKPOINT: (),
    DeadlineKind.COMPLETION: (MemberRole.PANEL_CHAIR, MemberRole.AUTHOR),
}


def _members(deadlines) -> dict[tuple[int, str], list[int]]:
    """The active panel chairs and authors of the deadlines' reviews, by (review id, role)."""
    found = defaultdict(list)
    rows = (
        Membership.objects.filter(
            review_id__in=deadlines.values("review_id"),
            ended_at__isnull=True,
            user__is_active=True,
            role__in=[MemberRole.PANEL_CHAIR, MemberRole.AUTHOR],
        )
        .order_by("started_at", "pk")
        .values_list("review_id", "role", "user_id")
    )
    for review_id, role, user_id in rows:
        found[review_id, role].append(user_id)
    return found


def commissioning_items(today: datetime.date) -> list:
    """Every open Terms of Reference, checkpoint and completion clock (4 queries)."""
    deadlines = open_deadlines(PAGES)
    rows = list(deadlines)
    if not rows:
        return []
    members = _members(deadlines)
    manager_ids = managers()
    subgroup = users_with_role(Role.SUBGROUP_MEMBER)
    items = []
    for deadline in rows:
        named = [members.get((deadline.review_id, role), ()) for role in MEMBERS[deadline.kind]]
        if deadline.kind == DeadlineKind.CHECKPOINT:
            named.append(subgroup)
        items.append(
            deadline_due(
                deadline,
                url=reverse(PAGES[deadline.kind], args=[deadline.review_id]),
                responsible=union(manager_ids, *named),
            )
        )
    return items


register_clock("commissioning_deadlines", commissioning_items)

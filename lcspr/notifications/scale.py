"""The notification centre at scale (see lcspr.core.scale): a few notifications for everyone, many
for the benchmark's notification user."""

import datetime

from lcspr.core.scale import ScalePlan, bulk
from lcspr.notifications.models import InAppNotification

# It describes the reviews the other builders made, so it runs after them.
AFTER_OTHERS = True


def build(plan: ScalePlan) -> None:
    """The notification centre: a few notifications for everyone, many for the benchmark's
    notification user, about the reviews the others made."""
    users = plan.made.get("users", [])
    review_ids = plan.made.get("review_ids") or [0]
    heavy = plan.made.get("personas", {}).get("manager")
    rows = []
    titles = (
        "The rapid review is due in 3 working days",
        "An action is overdue",
        "A chronology is due tomorrow",
        "The Terms of Reference are due to be agreed",
        "A checkpoint is due",
    )

    def notification(user, n):
        created = plan.now - datetime.timedelta(hours=n * 7 + plan.rng.randrange(6))
        return InAppNotification(
            recipient_id=user.pk,
            title=titles[n % len(titles)],
            body="A fictional reminder made by seed_scale.",
            url=f"/reviews/{review_ids[n % len(review_ids)]}/",
            created_at=created,
            read_at=created + datetime.timedelta(hours=2) if n % 3 else None,
        )

    for user in users:
        rows.extend(notification(user, n) for n in range(plan.rng.randrange(5, 25)))
    if heavy is not None:
        rows.extend(notification(heavy, n) for n in range(plan.notifications))
    bulk(InAppNotification, rows, plan, history=False)
    plan.log(f"  {len(rows):,} notifications")


def add_notifications(user, count: int, plan: ScalePlan) -> None:
    """Give `user` `count` more notifications (the tests grow the notification centre)."""
    bulk(
        InAppNotification,
        (
            InAppNotification(
                recipient_id=user.pk,
                title="An action is overdue",
                body="A fictional reminder made by seed_scale.",
                created_at=plan.now - datetime.timedelta(hours=n),
                read_at=None if n % 2 else plan.now,
            )
            for n in range(count)
        ),
        plan,
        history=False,
    )

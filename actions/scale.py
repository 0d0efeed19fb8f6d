"""Action plans at scale (see lcspr.core.scale): `plan.actions` actions over the LCSPRs, those
of reviews with a signed-off report answering its recommendations, each led by an agency in
the review's scope with a named owner from it most of the time, tagged with learning themes,
with progress updates, due dates either side of today (so some are overdue) and RAG ratings.
A closed review's actions are all closed or handed over."""

import datetime

from actions.models import Action, ProgressUpdate, Rag, Source, Status
from lcspr.core.scale import ScalePlan, bulk
from reviews.models import Stage

LIVE_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.IN_PROGRESS, Status.COMPLETE)
DONE_STATUSES = (Status.CLOSED, Status.CLOSED, Status.CLOSED, Status.HANDED_OVER)
SOURCES = (Source.DURING_REVIEW, Source.IMMEDIATE, Source.PARTNERSHIP)


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, max(parts, 1))
    return [base + (1 if n < extra else 0) for n in range(parts)]


def _reps_by_agency(plan: ScalePlan) -> dict:
    reps = {}
    for rep in plan.made["by_label"]["rep"]:
        reps.setdefault(rep.agency_id, []).append(rep)
    return reps


def actions_for(review, count: int, plan: ScalePlan, *, first_number: int = 1) -> list[Action]:
    """`count` unsaved fictional actions of `review`, numbered from `first_number`, with
    `last_update_at` set from the progress updates `_updates` will write."""
    rng, made = plan.rng, plan.made
    manager = made["by_label"]["manager"][0]
    reps_by_agency = made.setdefault("reps_by_agency", _reps_by_agency(plan))
    closed = review.stage == Stage.CLOSED
    agencies = made["in_scope"][review.pk]
    answers = [r for r in made["recommendations"] if r.review_id == review.pk]
    actions = []
    for number in range(first_number, first_number + count):
        agency = rng.choice(agencies)
        status = rng.choice(DONE_STATUSES if closed else LIVE_STATUSES)
        recommendation = answers[number % len(answers)] if answers and number % 4 else None
        created = review.created_at + datetime.timedelta(days=rng.randrange(200, 260))
        created = min(created, plan.now - datetime.timedelta(days=1))
        owners = reps_by_agency.get(agency.pk)
        action = Action(
            review=review,
            number=number,
            source=Source.RECOMMENDATION if recommendation else rng.choice(SOURCES),
            recommendation=recommendation,
            text=f"{agency.name} audits twenty fictional case files for how the child's "
            f"voice is recorded, and reports the findings to the sub-group ({number}).",
            lead_agency=agency,
            owner=rng.choice(owners) if owners and rng.random() < 0.7 else None,
            due_date=plan.today + datetime.timedelta(days=rng.randrange(-200, 300)),
            status=status,
            rag="" if status == Status.NOT_STARTED else rng.choice(["", *Rag.values]),
            completion_evidence="Fictional evidence of completion."
            if status in (Status.COMPLETE, Status.CLOSED)
            else "",
            impact_evidence="Fictional evidence of impact." if status == Status.CLOSED else "",
            closed_at=created + datetime.timedelta(days=120) if status == Status.CLOSED else None,
            closed_by=manager if status == Status.CLOSED else None,
            handed_to="The partnership's neglect strategy" if status == Status.HANDED_OVER else "",
            created_by=manager,
            created_at=created,
        )
        action.update_times = [
            min(created + datetime.timedelta(days=30 * (k + 1)), plan.now)
            for k in range(rng.choice((0, 1, 1, 2, 3)))
        ]
        action.last_update_at = action.update_times[-1] if action.update_times else None
        actions.append(action)
    return actions


def save_actions(actions: list[Action], plan: ScalePlan) -> tuple[list[Action], int]:
    """Insert actions with their progress updates and learning themes; (actions, updates)."""
    manager = plan.made["by_label"]["manager"][0]
    actions = bulk(Action, actions, plan)
    updates = bulk(
        ProgressUpdate,
        (
            ProgressUpdate(
                action=action,
                text=f"Fictional progress update {k + 1}: the audit is under way.",
                status_after=action.status,
                recorded_by=manager,
                recorded_at=recorded,
            )
            for action in actions
            for k, recorded in enumerate(action.update_times)
        ),
        plan,
    )
    themes = plan.made["themes"]
    Action.themes.through.objects.bulk_create(
        (
            Action.themes.through(action_id=action.pk, learningtheme_id=theme.pk)
            for action in actions
            for theme in plan.rng.sample(themes, min(len(themes), plan.rng.choice((1, 1, 2))))
        ),
        batch_size=2000,
    )
    return actions, len(updates)


def add_actions(review, count: int, plan: ScalePlan) -> list[Action]:
    """Add `count` actions to one review's plan after its last (the tests grow a review)."""
    last = review.actions.order_by("-number").values_list("number", flat=True).first() or 0
    return save_actions(actions_for(review, count, plan, first_number=last + 1), plan)[0]


def build(plan: ScalePlan) -> None:
    reviews = plan.made["lcsprs"]
    if not reviews:
        return
    actions = []
    for review, count in zip(reviews, _split(plan.actions, len(reviews)), strict=True):
        actions += actions_for(review, count, plan)
    actions, updates = save_actions(actions, plan)
    plan.log(f"  {len(actions):,} actions, {updates:,} progress updates")

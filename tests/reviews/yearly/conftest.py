"""The yearly report's data: reviews whose statutory steps fell in the financial year April 2025
to March 2026 (and a few just outside it), made directly so each figure is known by heart.

    A (LCSPR, "Child A"): notified 9 May 2025, a day late (due 8 May); partners informed on
      time; rapid review on time; decided LCSPR 10 June 2025; completed 20 January 2026, late
      (due 10 December 2025; a checkpoint found it behind the timescale); published 2 March 2026,
      sent to the Panel, DfE and Ofsted on time. Learning: theme one (primary), theme two (other).
      Actions: A1 closed 2 February 2026 with evidence of impact; A2 in progress since July 2025;
      A3 agreed after the year (not counted); A4 closed before it (not counted).
    B (closed after no further action, "Child B"): notified 2 June 2025 on time; rapid review
      sent 20 June 2025, a day late; decided no further action 1 July 2025.
    C (closed, "Child C"): decided: a national review, 1 September 2025.
    D (closed, "Child D"): decided: another learning review, 1 October 2025.
    E (LCSPR, "Child E"): first decided no further action 1 August 2025, changed to an LCSPR on
      20 August 2025 (only the LCSPR counts); its completion clock, due 20 February 2026, not met.
      Learning: theme one (primary).
    F (closed, "Child F"): notified 20 March 2025 and decided 2 April 2026: outside the year.

The sub-group and the Executive see only A and E (reviews.permissions: LCSPRs).
"""

import datetime
import itertools

import pytest
import time_machine

from actions.models import Action, Assurance, Source, Status
from reviews.clocks.models import Deadline, DeadlineKind
from reviews.decision.models import Decision, Outcome
from reviews.learning.models import LearningSummary, LearningTheme
from reviews.models import ReportStatus, Review, Stage, Trigger
from reviews.monitoring.models import Checkpoint
from reviews.publication.models import Publication
from reviews.rapid_review.models import RapidReview
from reviews.referral.models import Notification
from reviews.yearly.selectors import Period

d = datetime.date
TODAY = d(2026, 6, 15)
YEAR = Period.starting(2025, 4)
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def year_today():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        yield TODAY


def year_review(by, agency, pseudonym, *, stage=Stage.CLOSED, report_status=ReportStatus.NONE):
    return Review.objects.create(
        reference=f"YR-{next(_numbers):05d}",
        pseudonym=pseudonym,
        stage=stage,
        report_status=report_status,
        incident_date=d(2025, 1, 6),
        la_aware_date=d(2025, 1, 7),
        trigger=Trigger.SERIOUS_HARM,
        referring_agency=agency,
        what_is_known="A fictional case.",
        created_by=by,
    )


def clock(review, kind, due, met=None):
    return Deadline.objects.create(
        review=review,
        kind=kind,
        counted_from=due - datetime.timedelta(days=7),
        due_date=due,
        met_on=met,
    )


def decide(review, by, outcome, on, **fields):
    return Decision.objects.create(
        review=review,
        outcome=outcome,
        rationale="Fictional reasons.",
        decided_on=on,
        recorded_by=by,
        **fields,
    )


def theme(name, position):
    return LearningTheme.objects.get_or_create(name=name, defaults={"position": position})[0]


def learning(review, by, primary=(), other=()):
    summary = LearningSummary.objects.create(review=review, updated_by=by)
    summary.primary_themes.set(primary)
    summary.other_themes.set(other)
    return summary


def action(review, agency, by, number, *, created, status=Status.IN_PROGRESS, **fields):
    return Action.objects.create(
        review=review,
        number=number,
        source=Source.DURING_REVIEW,
        text=fields.pop("text", f"{agency} audits fictional case files ({number})."),
        lead_agency=agency,
        due_date=d(2026, 9, 30),
        status=status,
        created_by=by,
        created_at=datetime.datetime.combine(created, datetime.time(9), datetime.UTC),
        **fields,
    )


@pytest.fixture
def year_data(year_today, manager, local_authority, police):
    from types import SimpleNamespace

    one, two = theme("Fictional theme one", 900), theme("Fictional theme two", 901)
    a = year_review(manager, local_authority, "Child A", stage=Stage.LCSPR)
    Notification.objects.create(review=a, sent_on=d(2025, 5, 9), sent_by=manager)
    clock(a, DeadlineKind.NOTIFICATION, d(2025, 5, 8), d(2025, 5, 9))
    clock(a, DeadlineKind.PARTNERS_INFORMED, d(2025, 5, 8), d(2025, 5, 7))
    RapidReview.objects.create(review=a, sent_to_panel_on=d(2025, 5, 28))
    clock(a, DeadlineKind.RAPID_REVIEW, d(2025, 5, 30), d(2025, 5, 28))
    decide(a, manager, Outcome.LCSPR, d(2025, 6, 10))
    clock(a, DeadlineKind.COMPLETION, d(2025, 12, 10), d(2026, 1, 20))
    Checkpoint.objects.create(
        review=a,
        held_on=d(2025, 11, 3),
        progress=Checkpoint.Progress.LATE,
        progress_notes="The author was away for six weeks.",
        recorded_by=manager,
    )
    Publication.objects.create(review=a, published_on=d(2026, 3, 2))
    clock(a, DeadlineKind.PRE_PUBLICATION, d(2026, 2, 20), d(2026, 2, 19))
    learning(a, manager, primary=[one], other=[two])
    action(
        a,
        police,
        manager,
        1,
        created=d(2025, 7, 1),
        status=Status.CLOSED,
        closed_at=datetime.datetime(2026, 2, 2, 10, tzinfo=datetime.UTC),
        impact_evidence="An audit of 20 fictional cases found every missed appointment followed up.",
        assurance_method=Assurance.AUDIT,
    )
    action(a, police, manager, 2, created=d(2025, 7, 1))
    action(a, police, manager, 3, created=d(2026, 5, 1))
    action(
        a,
        police,
        manager,
        4,
        created=d(2024, 7, 1),
        status=Status.CLOSED,
        closed_at=datetime.datetime(2025, 2, 1, 10, tzinfo=datetime.UTC),
    )

    b = year_review(manager, local_authority, "Child B")
    Notification.objects.create(review=b, sent_on=d(2025, 6, 2), sent_by=manager)
    clock(b, DeadlineKind.NOTIFICATION, d(2025, 6, 3), d(2025, 6, 2))
    RapidReview.objects.create(review=b, sent_to_panel_on=d(2025, 6, 20))
    clock(b, DeadlineKind.RAPID_REVIEW, d(2025, 6, 19), d(2025, 6, 20))
    decide(b, manager, Outcome.NO_FURTHER_ACTION, d(2025, 7, 1))

    c = year_review(manager, local_authority, "Child C")
    decide(c, manager, Outcome.NATIONAL_REVIEW, d(2025, 9, 1))
    dd = year_review(manager, local_authority, "Child D")
    decide(dd, manager, Outcome.OTHER_LEARNING, d(2025, 10, 1))

    e = year_review(manager, local_authority, "Child E", stage=Stage.LCSPR)
    first = decide(e, manager, Outcome.NO_FURTHER_ACTION, d(2025, 8, 1))
    decide(e, manager, Outcome.LCSPR, d(2025, 8, 20), supersedes=first, change_reason="New facts.")
    clock(e, DeadlineKind.COMPLETION, d(2026, 2, 20))
    learning(e, manager, primary=[one])

    f = year_review(manager, local_authority, "Child F")
    Notification.objects.create(review=f, sent_on=d(2025, 3, 20), sent_by=manager)
    clock(f, DeadlineKind.NOTIFICATION, d(2025, 3, 25), d(2025, 3, 20))
    decide(f, manager, Outcome.LCSPR, d(2026, 4, 2))
    return SimpleNamespace(a=a, b=b, c=c, d=dd, e=e, f=f, themes=(one, two))


def year_grow(by, agency, *, reviews: int):
    """Many reviews with a notification, a late rapid review, a decision and a checkpoint each,
    in a few bulk inserts: what a page must show without a query per row."""
    made = Review.objects.bulk_create(
        Review(
            reference=f"YG-{next(_numbers):05d}",
            pseudonym=f"Child G{i}",
            stage=Stage.LCSPR,
            incident_date=d(2025, 1, 6),
            la_aware_date=d(2025, 1, 7),
            trigger=Trigger.SERIOUS_HARM,
            referring_agency=agency,
            what_is_known="A fictional case.",
            created_by=by,
        )
        for i in range(reviews)
    )
    Notification.objects.bulk_create(
        Notification(review=r, sent_on=d(2025, 5, 2), sent_by=by) for r in made
    )
    Deadline.objects.bulk_create(
        Deadline(
            review=r,
            kind=kind,
            counted_from=d(2025, 5, 2),
            due_date=d(2025, 5, 23),
            met_on=d(2025, 5, 28),
        )
        for r in made
        for kind in (DeadlineKind.RAPID_REVIEW, DeadlineKind.COMPLETION)
    )
    Decision.objects.bulk_create(
        Decision(
            review=r, outcome=Outcome.LCSPR, rationale="x", decided_on=d(2025, 6, 2), recorded_by=by
        )
        for r in made
    )
    Checkpoint.objects.bulk_create(
        Checkpoint(
            review=r,
            held_on=d(2025, 5, 20),
            progress=Checkpoint.Progress.AT_RISK,
            progress_notes="Fictional delay.",
            recorded_by=by,
        )
        for r in made
    )
    Action.objects.bulk_create(
        Action(
            review=r,
            number=1,
            source=Source.DURING_REVIEW,
            text="A fictional audit.",
            lead_agency=agency,
            due_date=d(2025, 12, 1),
            status=Status.CLOSED,
            closed_at=datetime.datetime(2025, 12, 1, 10, tzinfo=datetime.UTC),
            impact_evidence="Fictional evidence of impact.",
            created_by=by,
            created_at=datetime.datetime(2025, 6, 1, 10, tzinfo=datetime.UTC),
        )
        for r in made
    )
    return made

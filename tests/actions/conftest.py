"""Action-plan fixtures: an LCSPR with two recommendations, an action for the school (the
`agency_author` persona's agency) and one for the police (`other_agency_author`'s), and
helpers to build actions and evidence files. Uploaded files go to a folder of each test's own.
"""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions import services as action_services
from actions.models import Assurance, Source
from reviews.learning.services import recommendation_add
from tests.reviews.conftest import *  # noqa: F403 - the review fixtures actions build on
from tests.reviews.report_fixtures import *  # noqa: F403 - the people of one LCSPR

DUE = datetime.date(2027, 3, 31)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def office_file(part: str) -> bytes:
    """A minimal Office Open XML package holding `part` (word/document.xml, xl/workbook.xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(part, "<document/>")
    return buffer.getvalue()


def upload(name="audit-results.pdf", content=PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """The personas sign in with force_login: a cheap hasher keeps their creation fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded evidence goes to a folder of the test's own."""
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(tmp_path)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return tmp_path


@pytest.fixture
def recommendations(lcspr_review, manager):
    """The final report's two recommendations."""
    return [
        recommendation_add(
            review=lcspr_review,
            by=manager,
            text="Agencies should follow up every missed health appointment of a baby.",
            finding="Missed appointments were not escalated.",
        ),
        recommendation_add(
            review=lcspr_review,
            by=manager,
            text="Schools should share attendance concerns with health visitors.",
        ),
    ]


def add_action(review, by, agency, *, recommendation=None, owner=None, due_date=DUE, text=""):
    """An action on `review`'s plan led by `agency`."""
    return action_services.action_add(
        review=review,
        by=by,
        source=Source.RECOMMENDATION if recommendation else Source.DURING_REVIEW,
        recommendation=recommendation,
        text=text or f"{agency} audits a sample of fictional cases by {due_date:%B %Y}.",
        lead_agency=agency,
        owner=owner,
        due_date=due_date,
    )


@pytest.fixture
def school_action(lcspr_review, manager, school, recommendations):
    return add_action(lcspr_review, manager, school, recommendation=recommendations[1])


@pytest.fixture
def police_action(lcspr_review, manager, police, recommendations):
    return add_action(lcspr_review, manager, police, recommendation=recommendations[0])


def make_ready_to_close(action, by):
    """Complete an action and record its evidence of impact."""
    action_services.completion_evidence_record(
        action=action, by=by, completion_evidence="Training delivered to every fictional team."
    )
    return action_services.impact_evidence_record(
        action=action,
        by=by,
        impact_evidence="An audit of 20 fictional cases found every missed appointment followed up.",
        assurance_method=Assurance.AUDIT,
        assurance_detail="Audit by the named nurse in the spring.",
    )


# --- Dashboard and report data (the monitoring dashboard and reports' tests) -----------------
# Built straight in the database: many reviews and actions at once, with dates in the past.

DASH_TODAY = datetime.date(2026, 4, 7)  # the Tuesday after Easter Monday 2026
DASH_NOW = datetime.datetime(2026, 4, 7, 9, tzinfo=datetime.UTC)
_dash_numbers = iter(range(1, 10**6))  # unique references across a test session


def dash_review(by, agency, pseudonym):
    """An LCSPR made directly, without the referral steps."""
    from reviews.models import Review, Stage, Trigger

    return Review.objects.create(
        reference=f"DASH-{next(_dash_numbers):05d}",
        pseudonym=pseudonym,
        stage=Stage.LCSPR,
        incident_date=datetime.date(2025, 1, 6),
        la_aware_date=datetime.date(2025, 1, 7),
        trigger=Trigger.SERIOUS_HARM,
        referring_agency=agency,
        what_is_known="A fictional case.",
        created_by=by,
    )


def dash_action(review, agency, by, *, number, due, status="not_started", rag="", **fields):
    """An action made directly; `themes` (a list) is set after saving."""
    from actions.models import Action

    themes = fields.pop("themes", ())
    fields.setdefault("created_at", DASH_NOW - datetime.timedelta(weeks=1))
    action = Action.objects.create(
        review=review,
        number=number,
        source=fields.pop("source", Source.DURING_REVIEW),
        text=fields.pop("text", f"{agency} audits fictional case files ({number})."),
        lead_agency=agency,
        due_date=due,
        status=status,
        rag=rag,
        created_by=by,
        **fields,
    )
    action.themes.set(themes)
    return action


def dash_grow(by, agencies, themes, *, reviews: int, per_review: int):
    """Many reviews and actions in a few bulk inserts, spread over statuses, RAG ratings,
    agencies, themes and due dates (some overdue, some without an update for long)."""
    from actions.models import Action, Rag, Status
    from reviews.models import Review

    made = [dash_review(by, agencies[i % len(agencies)], f"Child G{i}") for i in range(reviews)]
    statuses, rags = list(Status.values), ["", *Rag.values]
    actions = Action.objects.bulk_create(
        Action(
            review=review,
            number=n + 1,
            source=Source.DURING_REVIEW,
            text=f"Fictional action {n + 1} of {review.pseudonym}.",
            lead_agency=agencies[n % len(agencies)],
            due_date=DASH_TODAY + datetime.timedelta(days=(n * 7) % 120 - 60),
            status=statuses[n % len(statuses)],
            rag=rags[n % len(rags)],
            created_by=by,
            created_at=DASH_NOW - datetime.timedelta(weeks=n % 12),
        )
        for review in Review.objects.filter(pk__in=[r.pk for r in made])
        for n in range(per_review)
    )
    Action.themes.through.objects.bulk_create(
        Action.themes.through(action_id=action.pk, learningtheme_id=themes[i % len(themes)].pk)
        for i, action in enumerate(actions)
    )
    return actions


@pytest.fixture
def dash_clock():
    """Tuesday 7 April 2026, the day after Easter Monday."""
    import time_machine

    with time_machine.travel(DASH_NOW, tick=False):
        yield DASH_TODAY


@pytest.fixture
def dash_themes(db):
    from reviews.learning.models import LearningTheme

    names = ("Missed health appointments", "Information sharing", "Professional curiosity")
    return [LearningTheme.objects.get_or_create(name=name)[0] for name in names]


@pytest.fixture
def dash_data(dash_clock, manager, school, police, local_authority, dash_themes):
    """Two reviews and six actions whose figures the dashboard tests know by heart:

    review A: a1 school not started unrated, due Thu 2 Apr (1 working day overdue over Easter),
                 no update since it was agreed 10 weeks ago (stale), theme 1
              a2 police in progress red, due Tue 31 Mar (3 working days overdue), updated a
                 week ago, themes 1 and 2
              a3 police complete amber, due 1 Mar (complete: not overdue), last update 8 weeks
                 ago (stale), theme 2
    review B: a4 school closed green, due 1 Jan, last update a year ago (closed: not stale)
              a5 police in progress green, due 30 Jun, updated 2 days ago
              a6 local authority handed over, unrated, due 1 May, no theme
    """
    from types import SimpleNamespace

    week = datetime.timedelta(weeks=1)
    t1, t2, _t3 = dash_themes
    review_a = dash_review(manager, local_authority, "Child A")
    review_b = dash_review(manager, local_authority, "Child B")
    d = datetime.date
    actions = {
        "a1": dash_action(
            review_a,
            school,
            manager,
            number=1,
            due=d(2026, 4, 2),
            created_at=DASH_NOW - 10 * week,
            themes=[t1],
        ),
        "a2": dash_action(
            review_a,
            police,
            manager,
            number=2,
            due=d(2026, 3, 31),
            status="in_progress",
            rag="red",
            last_update_at=DASH_NOW - week,
            created_at=DASH_NOW - 10 * week,
            themes=[t1, t2],
        ),
        "a3": dash_action(
            review_a,
            police,
            manager,
            number=3,
            due=d(2026, 3, 1),
            status="complete",
            rag="amber",
            last_update_at=DASH_NOW - 8 * week,
            created_at=DASH_NOW - 20 * week,
            themes=[t2],
        ),
        "a4": dash_action(
            review_b,
            school,
            manager,
            number=1,
            due=d(2026, 1, 1),
            status="closed",
            rag="green",
            last_update_at=DASH_NOW - 52 * week,
            created_at=DASH_NOW - 60 * week,
        ),
        "a5": dash_action(
            review_b,
            police,
            manager,
            number=2,
            due=d(2026, 6, 30),
            status="in_progress",
            rag="green",
            last_update_at=DASH_NOW - datetime.timedelta(days=2),
        ),
        "a6": dash_action(
            review_b,
            local_authority,
            manager,
            number=3,
            due=d(2026, 5, 1),
            status="handed_over",
            handed_to="The county's neglect strategy",
        ),
    }
    return SimpleNamespace(
        today=DASH_TODAY, reviews=[review_a, review_b], actions=actions, themes=dash_themes
    )

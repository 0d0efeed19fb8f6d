"""Reviews that are not (yet) LCSPRs are the statutory partners' business: a referral, a rapid
review, a rapid review awaiting the Independent Chair's decision, and a referral closed as not
notifiable. The sub-group, the Executive Partnership, every panel chair (a sub-group member),
the panel members and authors of other reviews and the agencies' representatives get 404 on
every page of such a review, except the summary an agency was asked for and the immediate action
it leads, which that agency's representatives reach (and the oversight roles follow: an immediate
safety action is theirs from the day it is recorded). The statutory roles get what they get on
an LCSPR (matrix.early_expect).

The rows and the rule are tests/security/matrix.py's; the reviews are world.early
(tests/security/world.py, build_early_reviews)."""

import re

import pytest
from django.urls import reverse

from reviews.models import ReportStatus, Stage
from tests.security import matrix
from tests.security.conftest import report
from tests.security.world import build_early_reviews

# The id given for an object the early review does not have (a report version, a panel
# meeting...): the page must still answer 404 to those who may not know the review exists.
MISSING = 2_000_000_000


@pytest.fixture(scope="module", autouse=True)
def early(world, django_db_blocker):
    """The early reviews, added to this module's world (and rolled back with it)."""
    with django_db_blocker.unblock():
        world.early = build_early_reviews(world)
    return world.early


def _kwargs(row, side) -> tuple[dict, bool]:
    """The row's URL kwargs for an early review, and whether an id names nothing (a version
    number is of the terms of reference or a chronology, which an early review has none of)."""
    kwargs, missing = dict(row.args), "version" in row.args
    for kwarg, obj in row.ids.items():
        if hasattr(side, obj):
            kwargs[kwarg] = getattr(side, obj).pk
        else:
            kwargs[kwarg], missing = MISSING, True
    return kwargs, missing


def test_each_early_review_is_at_its_stage(world):
    stages = {stage: world.side(stage).review for stage in matrix.EARLY_STAGES}
    for review in stages.values():
        review.refresh_from_db()
    assert {name: review.stage for name, review in stages.items()} == {
        "referral": Stage.REFERRAL,
        "rapid_review": Stage.RAPID_REVIEW,
        "awaiting_decision": Stage.AWAITING_DECISION,
        "closed_not_notifiable": Stage.CLOSED,
    }
    assert stages["closed_not_notifiable"].report_status == ReportStatus.NONE
    rapid = world.side("rapid_review")
    agency = world.users["rep_involved"].agency
    assert rapid.summary_request.file and rapid.summary_request.agency == agency
    assert rapid.action.immediate_action == rapid.immediate and rapid.action.lead_agency == agency


def test_the_walk_covers_every_url_that_takes_a_review_id():
    """Every URL whose <pk> is a review or an agency summary is tried on the early reviews; the
    other URLs' <pk> is a root a review has only once it is an LCSPR (or never: an account)."""
    walked = {row.name for row in matrix.early_rows()}
    with_pk = {name for name, _, kwargs in matrix.url_patterns() if "pk" in kwargs}
    # (The reporting API answers a browser session 401 before any lookup: not walked.)
    roots = {
        row.ids["pk"]
        for row in matrix.ROWS
        if row.name in with_pk - walked and not row.name.startswith("api:")
    }
    assert roots == {
        "chron_request",
        "evidence",
        "notification",
        "person",
        "agency",
        "closure_day",
    }
    assert {"reviews:detail", "reviews:summary_detail", "actions:detail"} <= walked


@pytest.mark.parametrize("stage", matrix.EARLY_STAGES)
def test_an_early_review_is_not_found_but_by_the_statutory_roles(stage, world, requester):
    side = world.side(stage)
    mismatches = []
    for row in matrix.early_rows():
        if not hasattr(side, row.ids["pk"]):
            continue  # only the rapid review has an agency summary and a tracked action
        kwargs, missing = _kwargs(row, side)
        expect = matrix.early_expect(row, stage)
        if missing:
            # An id that matches nothing: 404, or refused as the page refuses the persona anyway.
            expect = {
                p: matrix.NOT_FOUND if got == matrix.OK else (matrix.NOT_FOUND, got)
                for p, got in expect.items()
            }
        mismatches += requester.mismatches(row, kwargs, expect)
    assert not mismatches, report(
        f"The review {matrix.EARLY_STAGES[stage]} does not answer as it should:", mismatches
    )


def test_no_list_page_shows_an_early_review_to_anyone_but_the_statutory_roles(world, requester):
    """The pages without an id (home, notifications, dashboards, "our summaries", "our actions"...)
    that each persona may open name no early review, by reference or pseudonym; the
    representative of the agency asked for a summary sees that one on its summaries page."""
    early = {stage: world.side(stage).review for stage in matrix.EARLY_STAGES}
    patterns = {
        stage: re.compile(rf"\b({re.escape(r.reference)}|{re.escape(r.pseudonym)})\b")
        for stage, r in early.items()
    }
    # The representative of agency A1 sees its agency's summary request and action.
    allowed = {
        ("rep_involved", "reviews:summary_list"): {"rapid_review"},
        ("rep_involved", "actions:agency_list"): {"rapid_review"},
    }
    # The oversight roles follow the rapid review's immediate safety action on their dashboards.
    for persona in matrix.IMMEDIATE_ACTION_FOLLOWERS:
        for name in ("actions:dashboard", "actions:executive_report_pdf"):
            allowed[(persona, name)] = {"rapid_review"}
    leaks = []
    for row in matrix.ROWS:
        if row.ids or row.args or row.method != "GET":
            continue
        for persona in matrix.SIGNED_IN:
            if persona in matrix.STATUTORY or row.expect[persona] != matrix.OK:
                continue
            text = _page_text(requester, persona, reverse(row.name))
            for stage, pattern in patterns.items():
                if pattern.search(text) and stage not in allowed.get((persona, row.name), ()):
                    leaks.append(f"{row.name} shows {persona} the review {early[stage]}")
    assert not leaks, "\n".join(leaks)


def test_the_summary_list_shows_the_agency_its_own_request(world, requester):
    review = world.side("rapid_review").review
    assert review.pseudonym in _page_text(
        requester, "rep_involved", reverse("reviews:summary_list")
    )


def _page_text(requester, persona, url) -> str:
    """The page's text as `persona` gets it (empty for a redirect or a file that is not text)."""
    response = requester.response(persona, "GET", url)
    if response.status_code in (301, 302, 303):
        return ""
    assert response.status_code == 200, (url, persona, response.status_code)
    if not response.get("Content-Type", "").startswith(("text/", "application/json")):
        return ""
    return b"".join(response).decode() if response.streaming else response.content.decode()

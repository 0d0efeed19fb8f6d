"""The demo map (README, sign-in page) says what the demo data holds, and the demo data tells a
consistent story: every review's dates in order, every child born before the incident and old
enough for the agencies that record them."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from chronologies.models import ChronologyRequest
from lcspr.accounts import demo
from lcspr.accounts.models import User
from panels.models import Membership
from reviews.models import Review
from reviews.rapid_review.models import AgencySummaryRequest

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def seeded():
    call_command("seed_demo", "--no-logins")
    return {r.pseudonym: r for r in Review.objects.all()}


def test_the_map_names_every_demo_review_at_its_stage(seeded):
    assert {p: s for p, s, _ in demo.DEMO_REVIEWS} == {
        p: r.get_stage_display() for p, r in seeded.items()
    }


def test_every_part_on_the_map_is_in_the_data(seeded):
    assert {local for local, *_ in demo.PEOPLE} == {local for local, *_ in demo.DEMO_PARTS}
    for local, pseudonym, part in demo.DEMO_PARTS:
        if not pseudonym:
            continue
        user, review = User.objects.get(email=demo.demo_email(local)), seeded[pseudonym]
        if part == "Agency summary":
            assert AgencySummaryRequest.objects.filter(review=review, agency=user.agency).exists()
        elif part.startswith("decides"):
            assert review.stage == "awaiting_decision" and user.has_role("independent_chair")
        else:
            roles = {
                m.get_role_display() for m in Membership.objects.filter(review=review, user=user)
            }
            assert part in roles, f"{local} is not {part} of {pseudonym}"


def test_the_readme_shows_the_map_as_the_demo_data_module_makes_it():
    text = README.read_text()
    start = text.index("<!-- demo-map -->\n") + len("<!-- demo-map -->\n")
    assert text[start : text.index("\n<!-- /demo-map -->")] == demo.demo_map_markdown()


def test_the_sign_in_page_shows_the_map_when_the_demo_is_loaded(client, seeded, settings):
    settings.DEBUG = True
    html = client.get(reverse("accounts:login")).content.decode()
    assert "The demo map" in html and "author@northbridge-scp.example" in html
    settings.DEBUG = False
    assert "The demo map" not in client.get(reverse("accounts:login")).content.decode()


def test_the_demo_dates_are_in_order(seeded):
    problems = []
    for pseudonym, review in seeded.items():
        steps = [("incident", review.incident_date), ("LA aware", review.la_aware_date)]
        for child in review.children.all():
            if child.date_of_birth and child.date_of_birth > review.incident_date:
                problems.append(f"{pseudonym}: {child} born after the incident")
        rapid = getattr(review, "rapid_review", None)
        if rapid is not None:
            steps += [(f"meeting {m.held_on}", m.held_on) for m in rapid.meetings.all()]
            steps += [(f"sign-off {s.agency}", s.signed_at.date()) for s in rapid.sign_offs.all()]
            steps += [("sent to the Panel", rapid.sent_to_panel_on)]
            steps += [("Panel's response", rapid.panel_response_on)]
        steps += [("decided", d.decided_on) for d in review.decisions.all()]
        steps = [(name, day) for name, day in steps if day]
        for (before, d1), (after, d2) in zip(steps, steps[1:], strict=False):
            if d1 > d2:
                problems.append(f"{pseudonym}: {before} ({d1}) after {after} ({d2})")
    assert not problems, "\n".join(problems)


def test_every_chronology_entry_is_from_the_childs_lifetime_and_fits_the_agency(seeded):
    for request in ChronologyRequest.objects.select_related("review", "agency"):
        births = [c.date_of_birth for c in request.review.children.all() if c.date_of_birth]
        for entry in request.entries.all():
            assert all(entry.date >= born for born in births), entry
            if request.agency.kind == "school":
                # A primary school records a child of school age (four or older).
                assert all((entry.date - born).days >= 4 * 365 for born in births), entry

"""The demo action plans, seeded with the rest of the demo partnership."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.models import Action, EvidenceFile, Status
from reviews.models import Review

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_action_plan_with_evidence_an_overdue_and_a_closed_action():
    call_command("seed_demo")
    review = Review.objects.get(pseudonym="Child H")
    actions = list(review.actions.all())
    assert len(actions) == 4
    assert {a.status for a in actions} >= {Status.IN_PROGRESS, Status.CLOSED}
    closed = next(a for a in actions if a.status == Status.CLOSED)
    assert closed.impact_evidence and closed.assurance_method
    assert EvidenceFile.objects.filter(action__review=review).count() == 1
    assert any(a.is_open and a.due_date < timezone.localdate() for a in actions)
    # The rapid review's immediate action is tracked.
    assert Action.objects.filter(source="immediate").count() == 1


def test_seeding_twice_adds_no_second_plan():
    call_command("seed_demo")
    call_command("seed_demo")
    assert Review.objects.get(pseudonym="Child H").actions.count() == 4

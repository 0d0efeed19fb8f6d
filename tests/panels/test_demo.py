import pytest
from django.core.management import call_command

from panels.models import MemberRole
from reviews.models import Review
from reviews.terms.models import TermsOfReference

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_commissioned_review_with_a_panel_agreed_terms_and_a_meeting():
    call_command("seed_demo")
    review = Review.objects.get(pseudonym="Child H")
    roles = sorted(review.memberships.filter(ended_at__isnull=True).values_list("role", flat=True))
    assert roles == sorted(
        [MemberRole.PANEL_CHAIR, MemberRole.AUTHOR] + [MemberRole.PANEL_MEMBER] * 3
    )
    author = review.memberships.get(role=MemberRole.AUTHOR)
    assert author.commissioned_on and author.contract_reference
    terms = review.tor_versions.get()
    assert terms.status == TermsOfReference.Status.AGREED
    assert terms.kloes.count() == 3
    assert review.panel_meetings.count() == 1
    assert review.practitioner_events.get().practitioners.count() == 1
    assert review.family_contacts.count() == 1
    assert review.checkpoints.count() == 1
    assert not review.notices.filter(sent_on__isnull=True).exists()


def test_seeding_twice_adds_no_second_commissioned_review():
    call_command("seed_demo")
    call_command("seed_demo")
    assert Review.objects.filter(pseudonym="Child H").count() == 1

"""Two managers recording the same learning review at once: the save read before the other's is
refused with who changed what, nothing of it is stored, and saving again applies it."""

from html import unescape

import pytest
from django.urls import reverse

from lcspr.accounts.models import Role
from reviews.models import ReviewEvent
from reviews.other_learning import services as other_learning
from reviews.other_learning.models import OtherLearningReview
from reviews.referral import services as referral_services
from tests.factories import UserFactory
from tests.helpers import form_as_read, two_editors

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(referral, manager):
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    referral.refresh_from_db()
    other_learning.learning_review_start(
        review=referral,
        by=manager,
        kind="reflective_session",
        scope="How agencies shared worries about the baby.",
    )
    return referral


def test_a_learning_review_saved_over_a_newer_one_is_refused_then_reapplied(started, manager):
    url = reverse("reviews:other_learning", args=[started.pk])
    colleague = UserFactory(full_name="Robin Reviewer", roles=[Role.PARTNERSHIP_MANAGER])
    first, second = two_editors(url, manager, colleague)
    first.form["scope"] = "How fictional agencies shared worries about the baby at night."
    assert first.save(url).status_code == 302
    events = ReviewEvent.objects.filter(review=started).count()

    second.form["participants"] = "Health visitor, Northbridge Health"
    page = second.save(url).content.decode()
    html = unescape(page)
    assert "Morgan Manager changed this at " in html
    assert (
        "Scope or terms of reference from “How agencies shared worries about the baby.” to "
        "“How fictional agencies shared worries about the baby at night.”"
    ) in html
    assert "Your changes have not been saved." in html
    other = OtherLearningReview.objects.get(review=started)
    assert other.participants == ""
    assert ReviewEvent.objects.filter(review=started).count() == events

    again = form_as_read(page)
    assert again["scope"] == "How fictional agencies shared worries about the baby at night."
    assert again["participants"] == "Health visitor, Northbridge Health"
    assert second.client.post(url, again).status_code == 302
    other.refresh_from_db()
    assert other.scope == "How fictional agencies shared worries about the baby at night."
    assert other.participants == "Health visitor, Northbridge Health"

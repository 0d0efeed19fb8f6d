"""Two managers correcting the same recorded date, or the clock settings, at once: the save
read before the other's is refused with who changed what, and the stored dates are unchanged."""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from lcspr.accounts.models import Role
from reviews.clocks.models import ClockSettings
from reviews.models import ReviewEvent
from reviews.referral.models import Notification
from tests.factories import UserFactory
from tests.helpers import two_editors

pytestmark = pytest.mark.django_db


def _date(name, value):
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }


@pytest.fixture
def colleague(db):
    return UserFactory(full_name="Robin Reviewer", roles=[Role.PARTNERSHIP_MANAGER])


def test_a_date_corrected_over_a_newer_correction_is_refused(in_rapid_review, manager, colleague):
    url = reverse("reviews:date_correct", args=[in_rapid_review.pk, "notification"])
    first, second = two_editors(url, manager, colleague)
    first.form.update(_date("value", datetime.date(2026, 3, 5)), reason="Typed from the e-mail")
    assert first.save(url).status_code == 302
    events = ReviewEvent.objects.filter(review=in_rapid_review).count()

    second.form.update(_date("value", datetime.date(2026, 3, 4)), reason="From the letter")
    html = unescape(second.save(url).content.decode())
    assert "Morgan Manager changed this at " in html
    assert "from 6 March 2026 to 5 March 2026" in html
    assert "Your changes have not been saved." in html
    notification = Notification.objects.get(review=in_rapid_review)
    assert notification.sent_on == datetime.date(2026, 3, 5)
    assert ReviewEvent.objects.filter(review=in_rapid_review).count() == events


def test_clock_settings_saved_over_newer_ones_are_refused(manager, colleague):
    url = reverse("reviews:clock_settings")
    first, second = two_editors(url, manager, colleague)
    first.form["rapid_review_days"] = "20"
    assert first.save(url).status_code == 302

    second.form["completion_months"] = "9"
    page = second.save(url)
    assert page.status_code == 200
    html = unescape(page.content.decode())
    assert "Morgan Manager changed this at " in html
    assert "Your changes have not been saved." in html
    clocks = ClockSettings.load()
    assert (clocks.rapid_review_days, clocks.completion_months) == (20, 6)

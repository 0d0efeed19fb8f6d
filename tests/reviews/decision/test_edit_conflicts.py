"""A decision changed in two browsers at once: the change read before the other is refused with
what the decision in force now says, and no second decision is recorded."""

from html import unescape

import pytest
from django.urls import reverse

from reviews.decision.models import Decision, Outcome
from reviews.models import ReviewEvent
from tests.helpers import form_as_read, two_editors
from tests.reviews.conftest import DECIDED

pytestmark = pytest.mark.django_db


def _date(name, value):
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }


def test_a_change_read_before_another_change_is_refused(independent_chair, lcspr_review):
    url = reverse("reviews:decision_change", args=[lcspr_review.pk])
    first, second = two_editors(url, independent_chair, independent_chair)
    first.form.update(
        reason="The National Panel asked for the reasons in full.",
        rationale="The criteria for an LCSPR are met: the agencies did not share information.",
        outcome=Outcome.LCSPR,
        confirm="yes",
        **_date("decided_on", DECIDED),
    )
    assert first.save(url).status_code == 302
    assert Decision.objects.filter(review=lcspr_review).count() == 2
    events = ReviewEvent.objects.filter(review=lcspr_review).count()

    second.form.update(
        reason="New information about the fictional case.",
        outcome=Outcome.LCSPR,
        rationale="The criteria for an LCSPR are met.",
        **_date("decided_on", DECIDED),
    )
    # Through "check your answers", which carries the version read.
    check = second.save(url).content.decode()
    assert "Check your answers before recording the decision" in check
    assert ">version<" not in check.lower()
    page = second.client.post(url, form_as_read(check)).content.decode()
    html = unescape(page)
    assert "Indira Chair changed this at " in html
    assert (
        "Rationale from “The criteria for an LCSPR are met.” to “The criteria for an LCSPR are "
        "met: the agencies did not share information.”"
    ) in html
    assert "Your changes have not been saved." in html
    assert Decision.objects.filter(review=lcspr_review).count() == 2
    assert ReviewEvent.objects.filter(review=lcspr_review).count() == events
    # The form shown again carries the decision now in force, to change knowingly.
    assert form_as_read(page)["version"] != second.form["version"]

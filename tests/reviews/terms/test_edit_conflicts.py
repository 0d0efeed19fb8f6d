"""Terms of Reference edited by two managers at once: the save read before the other's is
refused with who changed what, and goes through when saved again."""

import pytest
from django.urls import reverse

from lcspr.accounts.models import Role
from reviews.terms import services as tor
from tests.factories import UserFactory
from tests.helpers import form_as_read, two_editors

pytestmark = pytest.mark.django_db


def test_terms_saved_over_a_newer_edit_are_refused_then_reapplied(lcspr_review, manager):
    terms = tor.tor_start(review=lcspr_review, by=manager)
    colleague = UserFactory(full_name="Robin Reviewer", roles=[Role.PARTNERSHIP_MANAGER])
    url = reverse("reviews:terms_edit", args=[lcspr_review.pk])
    first, second = two_editors(url, manager, colleague)
    first.form["methodology"] = "A systems approach with practitioner conversations."
    assert first.save(url).status_code == 302

    second.form["timescales"] = "Six months from the first panel meeting."
    html = second.save(url).content.decode()
    assert "Morgan Manager changed this at " in html
    assert "Methodology from blank to “A systems approach" in html
    terms.refresh_from_db()
    assert terms.timescales == ""

    assert second.client.post(url, form_as_read(html)).status_code == 302
    terms.refresh_from_db()
    assert terms.methodology == "A systems approach with practitioner conversations."
    assert terms.timescales == "Six months from the first panel meeting."

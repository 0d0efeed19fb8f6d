"""Two people correcting the same action: the save read before the other's is refused with who
changed what, and goes through when they save again."""

import pytest
from django.urls import reverse

from lcspr.accounts.models import Role
from reviews.models import ReviewEvent
from tests.factories import UserFactory
from tests.helpers import form_as_read, two_editors

pytestmark = pytest.mark.django_db


def test_a_save_read_before_someone_elses_wording_is_refused_then_reapplied(
    manager, police, school_action
):
    colleague = UserFactory(full_name="Robin Reviewer", roles=[Role.PARTNERSHIP_MANAGER])
    url = reverse("actions:edit", args=[school_action.pk])
    first, second = two_editors(url, manager, colleague)

    first.form["text"] = "Audit thirty fictional case files by April."
    assert first.save(url).status_code == 302
    events = ReviewEvent.objects.count()

    second.form["lead_agency"] = str(police.pk)
    html = second.save(url).content.decode()
    assert "Morgan Manager changed this at " in html
    assert "to “Audit thirty fictional case files by April.”" in html
    assert "Your changes have not been saved." in html
    school_action.refresh_from_db()
    assert school_action.text == "Audit thirty fictional case files by April."
    assert school_action.lead_agency != police
    assert ReviewEvent.objects.count() == events

    again = form_as_read(html)
    assert again["text"] == "Audit thirty fictional case files by April."
    assert second.client.post(url, again).status_code == 302
    school_action.refresh_from_db()
    assert school_action.text == "Audit thirty fictional case files by April."
    assert school_action.lead_agency == police

"""An entry corrected in two tabs: the save read before the other is refused with what changed,
keeps what was typed, and goes through when saved again."""

import datetime

import pytest
from django.urls import reverse

from chronologies import services
from tests.helpers import form_as_read, two_editors

pytestmark = pytest.mark.django_db


def test_an_entry_saved_over_a_newer_correction_is_refused_then_reapplied(
    school_request, school_author
):
    entry = services.entry_save(
        request=school_request,
        by=school_author,
        date=datetime.date(2025, 6, 3),
        description="Home visit; the child was seen.",
    )
    url = reverse("chronologies:entry_edit", args=[school_request.pk, entry.pk])
    first, second = two_editors(url, school_author, school_author)
    first.form["date_0"] = "4"
    assert first.save(url).status_code == 302

    second.form["description"] = "Home visit at 4pm; the child was seen."
    html = second.save(url).content.decode()
    assert "Alex Agency changed this at " in html
    assert "from 3 June 2025 to 4 June 2025. Your changes have not been saved." in html
    entry.refresh_from_db()
    assert entry.description == "Home visit; the child was seen."

    again = form_as_read(html)
    assert again["date_0"] == "4"
    assert second.client.post(url, again).status_code == 302
    entry.refresh_from_db()
    assert (entry.date, entry.description) == (
        datetime.date(2025, 6, 4),
        "Home visit at 4pm; the child was seen.",
    )

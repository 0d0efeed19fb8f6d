"""Two managers correcting the same referral: the second save, read before the first, is refused
with who changed what, keeps what they typed, and goes through when they save again."""

import datetime

import pytest
from django.urls import reverse

from lcspr.accounts.models import Role
from lcspr.core.exceptions import StaleEdit
from lcspr.core.versions import version_of
from reviews.clocks.models import DeadlineKind
from reviews.models import ReviewEvent, Trigger
from reviews.referral import services as referral_services
from tests.factories import UserFactory
from tests.helpers import form_as_read, two_editors

pytestmark = pytest.mark.django_db


def _date(name, value):
    return {
        f"{name}_0": str(value.day),
        f"{name}_1": str(value.month),
        f"{name}_2": str(value.year),
    }


def _notification_due(review):
    return review.deadlines.get(kind=DeadlineKind.NOTIFICATION).due_date


@pytest.fixture
def colleague(db):
    return UserFactory(full_name="Robin Reviewer", roles=[Role.PARTNERSHIP_MANAGER])


def test_a_save_read_before_someone_elses_correction_is_refused_then_reapplied(
    manager, colleague, referral
):
    url = reverse("reviews:edit", args=[referral.pk])
    first, second = two_editors(url, manager, colleague)

    first.form.update(_date("la_aware_date", datetime.date(2026, 3, 4)))
    assert first.save(url).status_code == 302
    referral.refresh_from_db()
    assert _notification_due(referral) == datetime.date(2026, 3, 11)
    events = ReviewEvent.objects.filter(review=referral).count()

    second.form["incident_location"] = "Northbridge town centre"
    refused = second.save(url)
    assert refused.status_code == 200
    html = refused.content.decode()
    assert "Morgan Manager changed this at " in html
    assert (
        "while you were editing: Date the local authority became aware from 3 March 2026 to "
        "4 March 2026. Your changes have not been saved. Check them below and save again."
    ) in html
    referral.refresh_from_db()
    assert referral.incident_location == "Northbridge"
    assert referral.la_aware_date == datetime.date(2026, 3, 4)
    assert _notification_due(referral) == datetime.date(2026, 3, 11)
    assert ReviewEvent.objects.filter(review=referral).count() == events

    # The page shown again keeps what they typed over the other manager's correction.
    again = form_as_read(html)
    assert again["incident_location"] == "Northbridge town centre"
    assert again["la_aware_date_0"] == "4"
    assert again["version"] != second.form["version"]
    assert second.client.post(url, again).status_code == 302
    referral.refresh_from_db()
    assert referral.incident_location == "Northbridge town centre"
    assert referral.la_aware_date == datetime.date(2026, 3, 4)
    assert _notification_due(referral) == datetime.date(2026, 3, 11)


def test_a_save_over_a_change_to_nothing_on_the_form_goes_through(colleague, referral, manager):
    url = reverse("reviews:edit", args=[referral.pk])
    _, second = two_editors(url, manager, colleague)
    referral.stage = referral.stage  # another step saves the review without touching its details
    referral._history_user = manager
    referral.save()
    second.form["pseudonym"] = "Child V"
    assert second.save(url).status_code == 302
    referral.refresh_from_db()
    assert referral.pseudonym == "Child V"


def test_both_changing_the_same_field_keeps_what_the_second_typed_for_them_to_check(
    manager, colleague, referral
):
    url = reverse("reviews:edit", args=[referral.pk])
    first, second = two_editors(url, manager, colleague)
    first.form["pseudonym"] = "Child U"
    first.save(url)
    second.form["pseudonym"] = "Child W"
    html = second.save(url).content.decode()
    assert "Pseudonym from “Child T” to “Child U”" in html
    assert form_as_read(html)["pseudonym"] == "Child W"
    referral.refresh_from_db()
    assert referral.pseudonym == "Child U"


# --- the check in the service ------------------------------------------------------------------


def test_the_service_refuses_a_correction_read_at_an_older_version(referral, manager):
    read_at = version_of(referral)
    referral_services.review_update_details(
        review=referral, by=manager, version=read_at, pseudonym="Child U"
    )
    with pytest.raises(StaleEdit) as refused:
        referral_services.review_update_details(
            review=referral, by=manager, version=read_at, incident_location="Southbridge"
        )
    assert refused.value.version == version_of(referral) > read_at
    assert refused.value.changes == [("pseudonym", "Child T", "Child U")]
    assert "Morgan Manager changed this at" in refused.value.messages[0]
    assert "Pseudonym from “Child T” to “Child U”" in refused.value.messages[0]
    referral.refresh_from_db()
    assert (referral.pseudonym, referral.incident_location) == ("Child U", "Northbridge")
    # Read again, the same correction goes through; a caller with no version is not checked.
    referral_services.review_update_details(
        review=referral, by=manager, version=version_of(referral), incident_location="Southbridge"
    )
    referral_services.review_update_details(review=referral, by=manager, trigger=Trigger.DEATH)
    referral.refresh_from_db()
    assert (referral.incident_location, referral.trigger) == ("Southbridge", Trigger.DEATH)


def test_a_version_that_is_not_the_records_is_refused(referral, manager):
    with pytest.raises(StaleEdit, match="This record changed while you were editing"):
        referral_services.review_update_details(
            review=referral, by=manager, version=10**12, pseudonym="Child U"
        )
    referral.refresh_from_db()
    assert referral.pseudonym == "Child T"

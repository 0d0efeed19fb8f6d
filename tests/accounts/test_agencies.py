"""The partnership manager runs the agencies: add, rename (history kept), mark or unmark a
statutory partner, retire and reinstate; only the manager reaches these pages."""

import html
import re

import pytest
from django.urls import reverse

from lcspr.accounts import agencies
from lcspr.accounts.models import Agency, AgencyKind, Role
from lcspr.accounts.services import user_roles_set
from lcspr.core.exceptions import WorkflowError
from tests.factories import AgencyFactory, UserFactory
from tests.helpers import assert_constant_queries, form_as_read
from tests.reviews.conftest import open_referral


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, needs_pk",
    [
        ("accounts:agencies", False),
        ("accounts:agency_add", False),
        ("accounts:agency_detail", True),
        ("accounts:agency_rename", True),
        ("accounts:agency_statutory", True),
        ("accounts:agency_retire", True),
        ("accounts:agency_changes", True),
    ],
)
def test_only_the_manager_reaches_the_agency_pages(
    client, manager, independent_chair, agency_author, outsider, school, name, needs_pk
):
    url = reverse(name, args=[school.pk] if needs_pk else [])
    assert client.get(url).status_code == 302  # to sign in
    for person in (independent_chair, agency_author, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 200


def test_an_agency_that_does_not_exist_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get(reverse("accounts:agency_detail", args=[999999])).status_code == 404


def test_a_non_manager_cannot_reinstate_and_the_page_takes_no_get(
    client, manager, agency_author, school
):
    school.is_active = False
    school.save()
    url = reverse("accounts:agency_reinstate", args=[school.pk])
    client.force_login(agency_author)
    assert client.post(url).status_code == 403
    client.force_login(manager)
    assert client.get(url).status_code == 405
    school.refresh_from_db()
    assert not school.is_active


def test_the_service_refuses_anyone_but_a_manager(agency_author, school):
    with pytest.raises(WorkflowError, match="Only a partnership manager"):
        agencies.agency_rename(agency=school, by=agency_author, name="Riverside Academy")


# --- the list -----------------------------------------------------------------------------------


def test_the_list_shows_each_agency_and_retired_ones_last(client, manager, police, school):
    retired = AgencyFactory(name="Aardvark Youth Club", kind=AgencyKind.VOLUNTARY, is_active=False)
    client.force_login(manager)
    text = _text(client.get(reverse("accounts:agencies")))
    assert "Northbridge Constabulary Police Yes" in text
    assert "Riverside Primary School School No" in text
    assert "Aardvark Youth Club Voluntary sector No 0 Retired" in text
    assert text.index("Riverside Primary School") < text.index(retired.name)


def test_the_list_runs_the_same_queries_with_many_agencies(client, manager, school):
    AgencyFactory.create_batch(3)
    client.force_login(manager)

    def grow():
        for agency in AgencyFactory.create_batch(30):
            UserFactory(agency=agency, roles=[Role.AGENCY_REPRESENTATIVE])

    assert_constant_queries(client, reverse("accounts:agencies"), grow)


# --- add ----------------------------------------------------------------------------------------


def test_the_manager_adds_an_agency(client, manager):
    client.force_login(manager)
    data = {
        "name": "Northbridge Hospitals NHS Trust",
        "short_name": "NHT",
        "kind": AgencyKind.NHS_TRUST,
        "is_statutory_partner": "no",
    }
    response = client.post(reverse("accounts:agency_add"), data, follow=True)
    assert _messages(response) == ["Northbridge Hospitals NHS Trust has been added."]
    agency = Agency.objects.get(name="Northbridge Hospitals NHS Trust")
    assert (agency.short_name, agency.kind, agency.is_statutory_partner) == (
        "NHT",
        AgencyKind.NHS_TRUST,
        False,
    )
    assert agency.history.get().history_user == manager


def test_adding_an_agency_with_a_name_taken_is_refused_on_the_field(client, manager, school):
    client.force_login(manager)
    data = {"name": "riverside primary SCHOOL", "kind": "school", "is_statutory_partner": "no"}
    response = client.post(reverse("accounts:agency_add"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "name": ["There is already an agency called Riverside Primary School"]
    }
    assert Agency.objects.filter(name__iexact="riverside primary school").count() == 1


def test_adding_an_agency_with_nothing_says_what_is_missing(client, manager):
    client.force_login(manager)
    response = client.post(reverse("accounts:agency_add"), {})
    errors = response.context["form"].errors
    assert errors["name"] == ["Enter name"]
    assert errors["kind"] == ["Select kind of agency"]
    assert errors["is_statutory_partner"] == [
        "Select yes if it is a statutory safeguarding partner"
    ]
    assert not Agency.objects.exists()


# --- rename ---------------------------------------------------------------------------------------


def test_renaming_keeps_the_old_name_in_what_changed(client, manager, school):
    client.force_login(manager)
    url = reverse("accounts:agency_rename", args=[school.pk])
    data = form_as_read(client.get(url).content.decode())
    data.update(name="Riverside Academy", short_name="RA")
    response = client.post(url, data, follow=True)
    assert _messages(response) == ["The agency is now called Riverside Academy."]
    school.refresh_from_db()
    assert school.name == "Riverside Academy"
    text = _text(client.get(reverse("accounts:agency_changes", args=[school.pk])))
    assert "Name Riverside Primary School Riverside Academy" in text
    assert "Reason: Renamed from Riverside Primary School" in text
    assert "By Morgan Manager" in text


def test_a_rename_over_someone_else_s_newer_rename_is_refused(client, manager, school):
    client.force_login(manager)
    url = reverse("accounts:agency_rename", args=[school.pk])
    data = form_as_read(client.get(url).content.decode())
    agencies.agency_rename(agency=school, by=manager, name="Riverside Academy")
    data.update(name="Riverside Junior School")
    response = client.post(url, data)
    assert "changed this" in _text(response)
    school.refresh_from_db()
    assert school.name == "Riverside Academy"


# --- statutory partner --------------------------------------------------------------------------


def test_a_statutory_partner_with_a_lead_cannot_stop_being_one(
    client, manager, police, partner_lead
):
    client.force_login(manager)
    response = client.post(reverse("accounts:agency_statutory", args=[police.pk]))
    assert response.status_code == 400
    assert (
        "Northbridge Constabulary cannot stop being a statutory partner while Pat Partner is "
        "its statutory partner lead. Take the role away from them first." in _text(response)
    )
    police.refresh_from_db()
    assert police.is_statutory_partner

    user_roles_set(user=partner_lead, roles=[Role.AGENCY_REPRESENTATIVE], by=manager)
    response = client.post(reverse("accounts:agency_statutory", args=[police.pk]), follow=True)
    assert _messages(response) == [
        "Northbridge Constabulary is no longer a statutory safeguarding partner."
    ]
    police.refresh_from_db()
    assert not police.is_statutory_partner


def test_the_manager_marks_an_agency_as_a_statutory_partner(client, manager, school):
    client.force_login(manager)
    client.post(reverse("accounts:agency_statutory", args=[school.pk]))
    school.refresh_from_db()
    assert school.is_statutory_partner
    text = _text(client.get(reverse("accounts:agency_changes", args=[school.pk])))
    assert "Statutory safeguarding partner No Yes" in text
    assert "Reason: Marked as a statutory safeguarding partner" in text


# --- retire and reinstate -------------------------------------------------------------------------


def test_an_agency_with_people_cannot_be_retired(client, manager, school, agency_author):
    client.force_login(manager)
    url = reverse("accounts:agency_retire", args=[school.pk])
    response = client.post(url, {"reason": "Merged into the academy trust"})
    assert response.context["form"].non_field_errors() == [
        "Riverside Primary School cannot be retired while Alex Agency belongs to it. Move them "
        "to another agency or deactivate their accounts first."
    ]
    school.refresh_from_db()
    assert school.is_active


def test_a_statutory_partner_cannot_be_retired(manager, police):
    with pytest.raises(WorkflowError, match="mark it as no longer a statutory partner"):
        agencies.agency_retire(agency=police, by=manager, reason="Merged")


def test_retiring_needs_a_reason(client, manager, school):
    client.force_login(manager)
    response = client.post(reverse("accounts:agency_retire", args=[school.pk]), {"reason": " "})
    assert response.context["form"].errors == {"reason": ["Enter why the agency is being retired"]}


def test_a_retired_agency_stays_on_its_reviews_and_is_no_longer_offered(
    client, manager, local_authority, police, icb
):
    health_visiting = AgencyFactory(name="Northbridge Health Visiting", kind=AgencyKind.NHS_TRUST)
    review = open_referral(manager, health_visiting)
    client.force_login(manager)
    response = client.post(
        reverse("accounts:agency_retire", args=[health_visiting.pk]),
        {"reason": "Merged into the community trust"},
        follow=True,
    )
    assert _messages(response)[0].startswith("Northbridge Health Visiting has been retired.")
    health_visiting.refresh_from_db()
    assert not health_visiting.is_active
    changes = _text(client.get(reverse("accounts:agency_changes", args=[health_visiting.pk])))
    assert "Reason: Retired: Merged into the community trust" in changes
    assert "Offered where an agency is chosen (not retired) Yes No" in changes
    # Not offered for a new referral...
    assert "Northbridge Health Visiting" not in client.get(reverse("reviews:new")).content.decode()
    # ...still named on the review that was referred by it, and kept when it is edited.
    assert "Northbridge Health Visiting" in _text(
        client.get(reverse("reviews:detail", args=[review.pk]))
    )
    assert (
        "Northbridge Health Visiting"
        in client.get(reverse("reviews:edit", args=[review.pk])).content.decode()
    )

    response = client.post(
        reverse("accounts:agency_reinstate", args=[health_visiting.pk]), follow=True
    )
    assert _messages(response) == [
        "Northbridge Health Visiting has been reinstated: it is offered again."
    ]
    assert "Northbridge Health Visiting" in client.get(reverse("reviews:new")).content.decode()

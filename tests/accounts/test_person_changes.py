"""What changed for a person: their account and every role given or taken away, in words; the
partnership manager's only."""

import html
import re

from django.urls import reverse

from lcspr.accounts.models import Role
from lcspr.accounts.services import user_roles_set


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_the_manager_sees_each_role_given_and_taken_away(client, manager, agency_author):
    user_roles_set(user=agency_author, roles=[Role.SUBGROUP_MEMBER], by=manager)
    client.force_login(manager)
    url = reverse("accounts:person_changes", args=[agency_author.pk])
    text = _text(client.get(url))
    assert "Role given: LCSPR sub-group member By Morgan Manager" in text
    assert "Role taken away: Agency representative By Morgan Manager" in text
    assert "Role given: Agency representative" in text
    # The account's creation, with its agency by name.
    assert "Agency – Nothing before Riverside Primary School" in text
    assert text.index("LCSPR sub-group member") < text.index("Role given: Agency representative")
    people = client.get(reverse("accounts:person", args=[agency_author.pk])).content.decode()
    assert f'href="{url}"' in people


def test_only_the_manager_sees_a_person_s_changes(client, agency_author, independent_chair):
    url = reverse("accounts:person_changes", args=[agency_author.pk])
    assert client.get(url).status_code == 302
    for person in (independent_chair, agency_author):
        client.force_login(person)
        assert client.get(url).status_code == 403


def test_a_person_who_does_not_exist_is_not_found(client, manager):
    client.force_login(manager)
    assert client.get(reverse("accounts:person_changes", args=[999999])).status_code == 404

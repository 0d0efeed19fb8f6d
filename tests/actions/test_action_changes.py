"""What changed in an action: each change in words (records by name, dates as dates), for
whoever may see the action; 404 for an agency that may not."""

import html
import re

from django.urls import reverse

from actions.services import plan


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def test_whoever_sees_the_action_sees_its_changes_in_words(
    client, school_action, manager, police, agency_author, independent_chair
):
    plan.action_edit(
        action=school_action,
        by=manager,
        text="Riverside audits every fictional attendance case.",
        lead_agency=police,
        owner=None,
        themes=[],
    )
    url = reverse("actions:changes", args=[school_action.pk])
    client.force_login(independent_chair)
    text = _text(client.get(url))
    assert "Lead agency Riverside Primary School Northbridge Constabulary" in text
    assert "Riverside audits every fictional attendance case." in text
    assert "By Morgan Manager" in text
    detail = client.get(reverse("actions:detail", args=[school_action.pk])).content.decode()
    assert f'href="{url}"' in detail


def test_another_agency_gets_404_for_an_action_s_changes(
    client, school_action, other_agency_author, outsider
):
    url = reverse("actions:changes", args=[school_action.pk])
    for person in (other_agency_author, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404

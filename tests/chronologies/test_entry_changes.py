"""What changed in a chronology entry: each change in words, for whoever sees the agency's
working entries (its own people and the partnership manager); 404 for other agencies."""

import datetime
import html
import re

from django.urls import reverse

from chronologies import services

D = datetime.date


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _entry(request, by):
    entry = services.entry_save(
        request=request,
        by=by,
        date=D(2025, 6, 3),
        description="Home visit; the child was seen.",
        child_seen="yes",
    )
    return services.entry_save(
        request=request,
        by=by,
        entry=entry,
        date=D(2025, 6, 4),
        description="Home visit; the child was seen alone.",
        child_seen="yes",
        seen_alone="yes",
    )


def test_the_agency_and_the_manager_see_each_change_to_an_entry_in_words(
    client, school_request, school_author, manager
):
    entry = _entry(school_request, school_author)
    url = reverse("chronologies:entry_changes", args=[school_request.pk, entry.pk])
    for person in (school_author, manager):
        client.force_login(person)
        text = _text(client.get(url))
        assert "Date 3 June 2025 4 June 2025" in text
        assert "Child seen alone Not known Yes" in text
        assert (
            "Description Home visit; the child was seen. Home visit; the child was seen alone."
            in text
        )
        assert "By Alex Agency" in text
    # The chronology page links each entry to its changes.
    body = client.get(reverse("chronologies:request", args=[school_request.pk])).content.decode()
    assert f'href="{url}"' in body


def test_another_agency_and_outsiders_get_404(
    client, school_request, school_author, other_agency_author, outsider
):
    entry = _entry(school_request, school_author)
    url = reverse("chronologies:entry_changes", args=[school_request.pk, entry.pk])
    for person in (other_agency_author, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_an_entry_of_another_chronology_is_not_found(
    client, school_request, police_request, school_author, manager
):
    entry = _entry(school_request, school_author)
    client.force_login(manager)
    url = reverse("chronologies:entry_changes", args=[police_request.pk, entry.pk])
    assert client.get(url).status_code == 404


def test_the_panel_chair_who_sees_the_chronology_but_not_its_drafts_gets_403(
    client, school_request, school_author, subgroup_member
):
    entry = _entry(school_request, school_author)
    client.force_login(subgroup_member)  # the review's panel chair
    url = reverse("chronologies:entry_changes", args=[school_request.pk, entry.pk])
    assert client.get(url).status_code == 403

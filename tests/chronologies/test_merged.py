"""The merged multi-agency chronology: the selector's rules (order, accepted entries only,
filters, the child's age, duplicates, gaps), the page and the entry with reviewer comments, and
who may see them."""

import datetime
import re

import pytest
from django.urls import reverse

from chronologies import selectors, timeline_svg
from chronologies.models import ChronologyRequest, Entry, RequestStatus, ReviewerComment
from lcspr.accounts.models import Role
from reviews.models import Child
from tests.factories import UserFactory
from tests.helpers import assert_constant_queries

D = datetime.date


def accept(*requests):
    ChronologyRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
        status=RequestStatus.ACCEPTED
    )


def add_entries(request, rows, start=1):
    """Entries for `request` from (date, time, description) rows, fast (tests only)."""
    return Entry.objects.bulk_create(
        Entry(request=request, sequence=start + i, date=date, time=time, description=text)
        for i, (date, time, text) in enumerate(rows)
    )


@pytest.fixture
def merged(school_request, police_request):
    add_entries(
        school_request,
        [
            (D(2025, 3, 1), None, "Child attended school, seemed tired"),
            (D(2025, 3, 1), datetime.time(9, 0), "Teacher noted a bruise on the arm"),
            (D(2025, 6, 20), None, "End of term report"),
        ],
    )
    add_entries(
        police_request,
        [
            (D(2025, 3, 1), datetime.time(9, 0), "Teacher noted a bruise on the arm."),
            (D(2025, 1, 10), None, "Domestic incident at the home address"),
        ],
    )
    accept(school_request, police_request)
    return school_request.review


def url(review, name="chronologies:merged", **kwargs):
    return reverse(name, kwargs={"pk": review.pk, **kwargs})


# The selector


def test_entries_are_in_date_then_time_then_agency_then_sequence_order(merged):
    entries = selectors.merged_entries(merged).entries
    assert [(e.date, e.time, e.request.agency.name, e.sequence) for e in entries] == [
        (D(2025, 1, 10), None, "Northbridge Constabulary", 2),
        (D(2025, 3, 1), None, "Riverside Primary School", 1),
        (D(2025, 3, 1), datetime.time(9, 0), "Northbridge Constabulary", 1),
        (D(2025, 3, 1), datetime.time(9, 0), "Riverside Primary School", 2),
        (D(2025, 6, 20), None, "Riverside Primary School", 3),
    ]


def test_only_accepted_chronologies_are_merged(merged, police_request):
    ChronologyRequest.objects.filter(pk=police_request.pk).update(status=RequestStatus.SUBMITTED)
    chronology = selectors.merged_entries(merged)
    assert {e.request.agency.name for e in chronology.entries} == {"Riverside Primary School"}
    assert [a.name for a in chronology.agencies] == ["Riverside Primary School"]


def test_filters_by_agency_dates_kloe_and_theme(merged, police, school_request):
    only_police = selectors.merged_entries(merged, agency_ids=[police.pk]).entries
    assert {e.request.agency_id for e in only_police} == {police.pk}
    march = selectors.merged_entries(merged, date_from=D(2025, 2, 1), date_to=D(2025, 3, 31))
    assert {e.date for e in march.entries} == {D(2025, 3, 1)}
    Entry.objects.filter(request=school_request, sequence=3).update(
        kloe_numbers=[2], themes=["Neglect"]
    )
    assert [e.description for e in selectors.merged_entries(merged, kloe=2).entries] == [
        "End of term report"
    ]
    assert len(selectors.merged_entries(merged, theme="Neglect").entries) == 1
    assert selectors.merged_entries(merged, theme="Young carers").entries == []


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (D(2023, 1, 15), D(2025, 4, 15), "2 years 3 months"),
        (D(2023, 1, 15), D(2025, 4, 14), "2 years 2 months"),
        (D(2024, 1, 31), D(2025, 1, 31), "1 year"),
        (D(2025, 1, 1), D(2025, 3, 5), "2 months"),
        (D(2025, 1, 1), D(2025, 1, 20), "Under 1 month"),
        (D(2025, 1, 1), D(2024, 12, 1), "Before birth"),
        (None, D(2025, 1, 1), ""),
    ],
)
def test_the_childs_age_reads_as_people_say_it(born, on, age):
    assert selectors.age_at(born, on) == age


def test_each_entry_shows_the_first_childs_age(merged):
    Child.objects.create(review=merged, name="First", date_of_birth=D(2022, 12, 1), sex="male")
    Child.objects.create(review=merged, name="Second", date_of_birth=D(2020, 1, 1), sex="male")
    first = selectors.merged_entries(merged).entries[0]
    assert first.age == "2 years 1 month"


def test_similar_entries_of_different_agencies_on_one_date_are_possible_duplicates(merged):
    flagged = {
        (e.request.agency.name, e.sequence)
        for e in selectors.merged_entries(merged).entries
        if e.possible_duplicate
    }
    assert flagged == {("Riverside Primary School", 2), ("Northbridge Constabulary", 1)}


def test_an_agencys_row_recorded_twice_is_a_possible_duplicate(school_request):
    add_entries(
        school_request,
        [
            (D(2025, 5, 1), datetime.time(10, 0), "Home visit: child seen alone"),
            (D(2025, 5, 1), datetime.time(10, 0), "Home visit:  Child seen alone"),
            (D(2025, 5, 1), datetime.time(15, 0), "Home visit: child seen alone"),
            (D(2025, 5, 2), None, "Phone call to mother"),
            (D(2025, 5, 2), None, "Phone call to mother"),
        ],
    )
    accept(school_request)
    review = school_request.review
    flagged = {e.sequence for e in selectors.merged_entries(review).entries if e.possible_duplicate}
    assert flagged == {1, 2, 4, 5}  # the 15:00 visit is another visit, not a duplicate
    rows = selectors.merged_overview(review).entries
    assert {row.pk for row in rows if row.possible_duplicate} == {
        e.pk for e in Entry.objects.filter(request=school_request, sequence__in=flagged)
    }


def test_an_agencys_own_similar_but_different_entries_are_not_duplicates(school_request):
    add_entries(
        school_request,
        [(D(2025, 5, 1), None, "Home visit"), (D(2025, 5, 1), None, "Home visit, no answer")],
    )
    accept(school_request)
    entries = selectors.merged_entries(school_request.review).entries
    assert not any(e.possible_duplicate for e in entries)


def test_periods_of_more_than_sixty_days_without_contact_are_gaps(merged):
    chronology = selectors.merged_entries(merged)
    assert chronology.gaps == [(D(2025, 3, 1), D(2025, 6, 20), 111)]
    gap_entries = [e for e in chronology.entries if e.gap_before]
    assert [(e.date, e.gap_before) for e in gap_entries] == [(D(2025, 6, 20), 111)]
    assert selectors.find_gaps([D(2025, 1, 1), D(2025, 3, 2)]) == []  # 60 days exactly


# The timeline picture


def test_the_timeline_is_an_accessible_svg_with_escaped_labels(merged, school):
    school.name = 'Riverside <script>alert("x")</script>'
    chronology = selectors.merged_entries(merged)
    svg = timeline_svg.render(
        chronology.entries, [school], D(2025, 1, 10), D(2026, 3, 2), gaps=chronology.gaps
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "Timeline of 5 events from 1 agency, January 2025 to March 2026" in svg
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "No agency contact for 111 days" in svg


# The page


def test_a_panel_member_sees_the_merged_chronology_with_the_timeline(client, merged, panel_member):
    client.force_login(panel_member)
    response = client.get(url(merged))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Domestic incident at the home address" in html
    assert "Timeline of 5 events from 2 agencies" in html
    assert "Possible duplicate" in html
    assert "No agency contact for 111 days" in html


def test_the_page_filters_by_agency_in_the_url(client, merged, manager, police):
    client.force_login(manager)
    response = client.get(url(merged), {"agency": [police.pk]})
    html = response.content.decode()
    assert "Domestic incident" in html and "End of term report" not in html


def test_a_bad_date_filter_is_named_and_shows_everything(client, merged, manager):
    client.force_login(manager)
    response = client.get(
        url(merged), {"date_from_0": "31", "date_from_1": "2", "date_from_2": "2025"}
    )
    assert "From must be a real date" in response.content.decode()
    assert "End of term report" in response.content.decode()


def test_the_page_runs_the_same_queries_at_500_and_5000_entries(
    client, school_request, police_request, manager
):
    accept(school_request, police_request)
    start = D(2020, 1, 1)

    def rows(n, offset):
        return [
            (start + datetime.timedelta(days=(i + offset) % 2000), None, f"Event {i}")
            for i in range(n)
        ]

    add_entries(school_request, rows(250, 0))
    add_entries(police_request, rows(250, 7))
    client.force_login(manager)

    def grow():
        add_entries(school_request, rows(2250, 3), start=251)
        add_entries(police_request, rows(2250, 11), start=251)

    assert_constant_queries(client, url(merged_review := school_request.review), grow)
    assert Entry.objects.filter(request__review=merged_review).count() == 5000
    html = client.get(url(merged_review), {"page": 6}).content.decode()
    assert "Entries 501 to 600 of 5,000" in html


@pytest.mark.parametrize("name", ["chronologies:merged"])
def test_the_merged_page_refuses_a_post(client, merged, manager, name):
    client.force_login(manager)
    assert client.post(url(merged, name)).status_code == 405


def _second_subgroup_member():
    return UserFactory(full_name="Sue Subgroup", roles=[Role.SUBGROUP_MEMBER])


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outsider", 404),
        ("agency_author", 404),  # a representative of an agency in scope, not on the panel
        ("other_agency_author", 404),
        ("partner_lead", 403),  # sees every review, is not on this panel
        ("manager", 200),
        ("subgroup_member", 200),  # the panel chair here
        ("panel_member", 200),
    ],
)
def test_who_may_see_the_merged_chronology(client, merged, persona, status, request):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(merged)).status_code == status


def test_a_subgroup_member_not_on_the_panel_is_refused(client, merged):
    client.force_login(_second_subgroup_member())
    assert client.get(url(merged)).status_code == 403


# An entry and its comments


def _entry(review, agency_name="Northbridge Constabulary"):
    return Entry.objects.get(request__review=review, request__agency__name=agency_name, sequence=1)


def test_a_panel_member_comments_on_an_entry(client, merged, panel_member):
    entry = _entry(merged)
    client.force_login(panel_member)
    page = url(merged, "chronologies:merged_entry", entry_pk=entry.pk)
    response = client.post(page, {"text": "Was this shared with the school?"})
    assert response.status_code == 302
    comment = ReviewerComment.objects.get(entry=entry)
    assert comment.author == panel_member
    assert "Was this shared with the school?" in client.get(page).content.decode()
    assert '<td class="govuk-table__cell">1</td>' in client.get(url(merged)).content.decode()


def test_an_empty_comment_is_refused_by_name(client, merged, manager):
    entry = _entry(merged)
    client.force_login(manager)
    response = client.post(
        url(merged, "chronologies:merged_entry", entry_pk=entry.pk), {"text": ""}
    )
    assert response.status_code == 200
    assert "Enter your comment" in response.content.decode()
    assert not ReviewerComment.objects.exists()


def test_an_entry_of_a_chronology_not_accepted_is_not_found(
    client, merged, manager, police_request
):
    entry = _entry(merged)
    ChronologyRequest.objects.filter(pk=police_request.pk).update(status=RequestStatus.SUBMITTED)
    client.force_login(manager)
    assert (
        client.get(url(merged, "chronologies:merged_entry", entry_pk=entry.pk)).status_code == 404
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outsider", 404),
        ("agency_author", 404),
        ("other_agency_author", 404),
        ("partner_lead", 403),
    ],
)
def test_who_may_not_see_or_comment_on_an_entry(client, merged, persona, status, request):
    entry = _entry(merged)
    client.force_login(request.getfixturevalue(persona))
    page = url(merged, "chronologies:merged_entry", entry_pk=entry.pk)
    assert client.get(page).status_code == status
    assert client.post(page, {"text": "Hello"}).status_code == status
    assert not ReviewerComment.objects.exists()


def test_the_entry_page_refuses_other_methods(client, merged, manager):
    client.force_login(manager)
    page = url(merged, "chronologies:merged_entry", entry_pk=_entry(merged).pk)
    assert client.put(page).status_code == 405


# The timeline on the page: zoom, key dates, the table alternative


def test_the_timeline_zooms_to_a_period_and_the_table_keeps_every_entry(
    client, merged, manager, police
):
    client.force_login(manager)
    zoom = {"zoom-date_from_0": "1", "zoom-date_from_1": "3", "zoom-date_from_2": "2025"}
    zoom |= {"zoom-date_to_0": "30", "zoom-date_to_1": "4", "zoom-date_to_2": "2025"}
    html = client.get(url(merged), {**zoom, "agency": [police.pk]}).content.decode()
    assert "Timeline of 1 event from 1 agency, March 2025 to April 2025" in html
    assert "Domestic incident at the home address" in html  # January: in the table, not drawn
    assert f'<input type="hidden" name="agency" value="{police.pk}">' in html
    assert ">Week of 24 February 2025</th>" in html  # the table alternative, by week


def test_a_bad_zoom_is_named_and_the_whole_period_is_drawn(client, merged, manager):
    client.force_login(manager)
    response = client.get(url(merged), {"zoom-date_from_0": "31", "zoom-date_from_1": "2"})
    html = response.content.decode()
    assert "From must" in html
    assert "Timeline of 5 events from 2 agencies, January 2025 to June 2025" in html


def test_the_reviews_key_dates_are_marked_and_listed(client, merged, manager):
    merged.incident_date = D(2025, 5, 3)
    merged.la_aware_date = D(2025, 5, 5)
    merged.save()
    client.force_login(manager)
    html = client.get(url(merged)).content.decode()
    assert ">Serious incident, 3 May 2025</text>" in html
    assert ">Local authority became aware, 5 May 2025</text>" in html
    assert "<li>Serious incident: 3 May 2025</li>" in html


def test_a_long_agency_name_is_shown_whole_in_the_timeline(client, merged, manager, police):
    police.name = "Northbridge and Wendale Constabulary Public Protection Unit"
    police.save()
    client.force_login(manager)
    html = client.get(url(merged)).content.decode()
    lanes = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", html))
    assert "Northbridge and Wendale Constabulary Public Protection Unit" in lanes

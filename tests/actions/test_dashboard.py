"""The sub-group's monitoring dashboard: figures counted on a hand-made set of actions (see
`dash_data` in conftest), overdue working days over Easter, the stale rule, the filters, a
constant number of queries, and who may see it."""

import datetime

import pytest
from django.urls import reverse

from actions import selectors
from actions.models import ActionSettings
from lcspr.access_log.models import AccessLog
from tests.actions.conftest import DASH_NOW, dash_action, dash_grow, dash_review
from tests.helpers import assert_constant_queries

URL = reverse("actions:dashboard")


def numbers(page_or_list):
    """Actions as "A1"-style keys of dash_data (review A's are a1..a3, B's a4..a6)."""
    return {f"a{a.number + (3 if a.review.pseudonym == 'Child B' else 0)}" for a in page_or_list}


def figures(dash_figures):
    return {f.key: f.count for f in dash_figures}


# --- The figures -------------------------------------------------------------------------------


def test_it_counts_actions_by_status_and_rag(dash_data, subgroup_member):
    dash = selectors.dashboard(subgroup_member, {}, dash_data.today)

    assert dash.totals["total"] == 6
    assert dash.totals["open"] == 4
    assert figures(dash.by_status) == {
        "not_started": 1,
        "in_progress": 2,
        "complete": 1,
        "closed": 1,
        "handed_over": 1,
    }
    assert figures(dash.by_rag) == {"red": 1, "amber": 1, "green": 2, "unrated": 2}
    assert {f.key: f.meaning for f in dash.by_rag}["red"] == "Will not deliver"


def test_it_counts_actions_by_agency_review_and_theme(
    dash_data, subgroup_member, school, police, local_authority
):
    dash = selectors.dashboard(subgroup_member, {}, dash_data.today)

    agencies = {row["label"]: row for row in dash.by_agency}
    assert {name: row["total"] for name, row in agencies.items()} == {
        police.name: 3,
        school.name: 2,
        local_authority.name: 1,
    }
    assert agencies[police.name]["in_progress"] == 2
    assert agencies[police.name]["rag_red"] == 1
    assert agencies[police.name]["overdue"] == 1
    assert agencies[school.name]["closed"] == 1

    reviews = {row["label"]: row for row in dash.by_review}
    first, second = dash_data.reviews
    assert reviews[f"{first.reference} (Child A)"]["total"] == 3
    assert reviews[f"{first.reference} (Child A)"]["overdue"] == 2
    assert reviews[f"{second.reference} (Child B)"]["open"] == 1

    t1, t2, t3 = dash_data.themes
    themes = {row["label"]: row["total"] for row in dash.by_theme}
    # a2 has both themes and counts under each; three actions have none.
    assert themes == {t1.name: 2, t2.name: 2, "No learning theme": 3}
    assert dash.by_theme[-1]["label"] == "No learning theme"


def test_overdue_actions_count_working_days_over_the_easter_bank_holidays(
    dash_data, subgroup_member
):
    dash = selectors.dashboard(subgroup_member, {}, dash_data.today)

    overdue = {f"a{a.number}": a.overdue_days for a in dash.overdue}
    # Due Thursday 2 April: Good Friday and Easter Monday are not working days, so on Tuesday
    # 7 April it is 1 working day overdue (5 calendar days). Due Tuesday 31 March: 3.
    assert overdue == {"a1": 1, "a2": 3}
    assert [a.number for a in dash.overdue] == [2, 1], "the most overdue first"
    # a3 is complete: past its due date but delivered, so not overdue.
    assert dash.totals["overdue"] == 2


def test_actions_without_an_update_for_the_set_number_of_weeks_are_stale(
    dash_data, subgroup_member
):
    dash = selectors.dashboard(subgroup_member, {}, dash_data.today)
    # a1: no update since it was agreed 10 weeks ago; a3: last update 8 weeks ago. a4's last
    # update is a year old but it is closed.
    assert numbers(dash.stale) == {"a1", "a3"}
    assert [a.number for a in dash.stale] == [1, 3], "the longest without an update first"

    settings = ActionSettings.load()
    settings.stale_update_weeks = 9
    settings.save()
    dash = selectors.dashboard(subgroup_member, {}, dash_data.today)
    assert numbers(dash.stale) == {"a1"}
    assert dash.stale_weeks == 9


@pytest.mark.parametrize(
    ("make_filters", "expected"),
    [
        (lambda d: {"agency": d.actions["a2"].lead_agency_id}, {"a2", "a3", "a5"}),
        (lambda d: {"review": d.reviews[1].pk}, {"a4", "a5", "a6"}),
        (lambda d: {"status": "in_progress"}, {"a2", "a5"}),
        (lambda d: {"rag": "green"}, {"a4", "a5"}),
        (lambda d: {"rag": "unrated"}, {"a1", "a6"}),
        (lambda d: {"theme": d.themes[0].pk}, {"a1", "a2"}),
        (lambda d: {"overdue": True}, {"a1", "a2"}),
        (lambda d: {"stale": True}, {"a1", "a3"}),
        (
            lambda d: {"due_from": datetime.date(2026, 3, 31), "due_to": datetime.date(2026, 5, 1)},
            {"a1", "a2", "a6"},
        ),
        (lambda d: {"agency": d.actions["a2"].lead_agency_id, "overdue": True}, {"a2"}),
    ],
)
def test_filters_narrow_every_figure_and_list(dash_data, subgroup_member, make_filters, expected):
    dash = selectors.dashboard(subgroup_member, make_filters(dash_data), dash_data.today)

    assert numbers(dash.actions) == expected
    assert dash.totals["total"] == len(expected)
    assert sum(row["total"] for row in dash.by_agency) == len(expected)


def test_a_theme_filter_still_shows_the_other_themes_of_the_matching_actions(
    dash_data, subgroup_member
):
    t1, t2, _t3 = dash_data.themes
    dash = selectors.dashboard(subgroup_member, {"theme": t1.pk}, dash_data.today)

    assert {row["label"]: row["total"] for row in dash.by_theme} == {t1.name: 2, t2.name: 1}


# --- The page ---------------------------------------------------------------------------------


def test_the_page_shows_charts_with_tables_and_links_to_each_action(
    client, dash_data, subgroup_member
):
    client.force_login(subgroup_member)
    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') >= 5
    assert "<title>Actions by RAG rating</title>" in html
    assert "Red: Will not deliver" in html
    assert 'id="status-table"' in html and 'id="agency-table"' in html
    assert 'id="review-table"' in html and 'id="theme-table"' in html
    assert "style=" not in html.split("<main")[1], "no inline styles"
    a1 = dash_data.actions["a1"]
    assert reverse("actions:detail", args=[a1.pk]) in html
    assert "Overdue actions" in html
    assert "Without an update for 6 weeks" in html
    overdue_section = html.split('id="overdue"')[1].split('id="stale"')[0]
    assert a1.reference in overdue_section
    assert dash_data.actions["a5"].reference not in overdue_section
    assert AccessLog.objects.filter(user=subgroup_member, what="Action plan dashboard").exists()


def test_filters_persist_in_the_url_and_in_the_report_links(
    client, dash_data, subgroup_member, police
):
    client.force_login(subgroup_member)
    response = client.get(URL, {"agency": police.pk, "overdue": "on"})

    html = response.content.decode()
    assert response.context["dash"].totals["total"] == 1
    assert f"report.pdf?agency={police.pk}&amp;overdue=on" in html
    assert f"report.xlsx?agency={police.pk}&amp;overdue=on" in html
    assert "Clear filters" in html
    assert dash_data.actions["a2"].reference in html
    assert dash_data.actions["a1"].reference not in html


def test_a_figure_label_narrows_the_dashboard_to_it(client, dash_data, subgroup_member, police):
    client.force_login(subgroup_member)
    html = client.get(URL, {"status": "in_progress", "page": 2}).content.decode()

    # The agency link keeps the status filter and drops the page number.
    assert f'href="?status=in_progress&amp;agency={police.pk}"' in html


def test_a_wrong_date_range_is_explained_and_not_applied(client, dash_data, subgroup_member):
    client.force_login(subgroup_member)
    response = client.get(
        URL,
        {
            "due_from_0": "1",
            "due_from_1": "5",
            "due_from_2": "2026",
            "due_to_0": "1",
            "due_to_1": "4",
            "due_to_2": "2026",
        },
    )

    assert response.status_code == 200
    assert "Due by must be the same as or after Due from" in response.content.decode()
    assert response.context["dash"].totals["total"] == 6


def test_the_list_of_actions_is_paged_fifty_at_a_time(
    client, dash_clock, subgroup_member, manager, school, dash_themes
):
    dash_grow(manager, [school], dash_themes, reviews=1, per_review=55)
    client.force_login(subgroup_member)

    first = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()

    assert "Actions 1 to 50 of 55" in first
    assert "Actions 51 to 55 of 55" in second


def test_the_dashboard_runs_a_constant_number_of_queries(
    client, dash_data, subgroup_member, manager, school, police, local_authority, icb
):
    client.force_login(subgroup_member)
    agencies = [school, police, local_authority, icb]
    dash_grow(manager, agencies, dash_data.themes, reviews=2, per_review=7)  # 20 actions in all

    def grow():  # 200 actions over more reviews, agencies and themes
        dash_grow(manager, agencies, dash_data.themes, reviews=12, per_review=15)

    assert_constant_queries(client, URL + "?rag=red&stale=on&page=1", lambda: None)
    assert_constant_queries(client, URL, grow)


# --- The cached content (settings.ACTIONS_DASHBOARD_CACHE_SECONDS) -------------------------------


@pytest.fixture
def dashboard_cache(settings):
    from django.core.cache import cache

    settings.ACTIONS_DASHBOARD_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


def test_a_cached_dashboard_shows_a_change_at_once(
    client, dash_data, dashboard_cache, subgroup_member, manager
):
    from actions.services import action_rate

    client.force_login(subgroup_member)
    before = client.get(URL, {"rag": "red"}).content.decode()
    assert "1 action" in before.split('id="actions"')[1]
    assert client.get(URL, {"rag": "red"}).context.get("dash") is None  # from the cache

    action_rate(action=dash_data.actions["a5"], by=manager, rag="red", note="Not on track")

    after = client.get(URL, {"rag": "red"}).content.decode()
    assert "2 actions" in after.split('id="actions"')[1]
    assert dash_data.actions["a5"].reference in after


def test_a_cached_dashboard_is_each_users_own(
    client, dash_data, dashboard_cache, subgroup_member, manager
):
    client.force_login(manager)
    client.get(URL)
    client.force_login(subgroup_member)
    response = client.get(URL)
    # The subgroup member's own render (a cache hit would carry no context of the content).
    assert response.context["dash"].totals["total"] == 6


def test_a_cached_dashboard_runs_a_constant_number_of_queries_and_fewer_when_cached(
    client, dash_data, dashboard_cache, subgroup_member, manager, school, police
):
    from django.core.cache import cache

    from tests.helpers import query_count

    client.force_login(subgroup_member)
    agencies = [school, police]

    def grow():
        dash_grow(manager, agencies, dash_data.themes, reviews=10, per_review=15)

    hit_before, hit_after = assert_constant_queries(client, URL, grow)
    cache.clear()
    miss = query_count(client, URL)
    assert hit_before < miss
    assert hit_after == hit_before


def test_a_refused_filter_still_says_error_in_the_title_when_cached(
    client, dash_data, dashboard_cache, subgroup_member
):
    client.force_login(subgroup_member)
    wrong = {"due_from_0": "1", "due_from_1": "5", "due_from_2": "2026", "due_to_0": "1"}
    wrong |= {"due_to_1": "4", "due_to_2": "2026"}
    for _ in range(2):
        html = client.get(URL, wrong).content.decode()
        assert "<title>Error: Action plans" in html
        assert "Due by must be the same as or after Due from" in html


# --- Who may see it ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["manager", "subgroup_member", "executive_member"])
def test_those_who_oversee_learning_see_the_dashboard(client, dash_data, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(URL)

    assert response.status_code == 200
    assert "Action plans" in response.content.decode()


@pytest.mark.parametrize("persona", ["agency_author", "outsider", "independent_author"])
def test_others_are_refused_the_dashboard(client, dash_data, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403


def test_a_review_author_is_refused_the_dashboard(client, lcspr_review, author):
    client.force_login(author)

    assert client.get(URL).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_dashboard_only_answers_get(client, subgroup_member):
    client.force_login(subgroup_member)

    assert client.post(URL).status_code == 405


def test_the_navigation_and_home_page_offer_the_dashboard_to_its_readers(
    client, executive_member, agency_author
):
    client.force_login(executive_member)
    home = client.get(reverse("core:home")).content.decode()
    assert f'href="{URL}"' in home
    assert "Monitor the action plans" in home

    client.force_login(agency_author)
    home = client.get(reverse("core:home")).content.decode()
    assert f'href="{URL}"' not in home


def test_an_action_due_today_is_not_yet_overdue(dash_clock, manager, school, subgroup_member):
    review = dash_review(manager, school, "Child Z")
    dash = selectors.dashboard(subgroup_member, {"review": review.pk}, dash_clock)
    assert dash.totals["total"] == 0
    dash_action(review, school, manager, number=1, due=dash_clock, created_at=DASH_NOW)
    dash = selectors.dashboard(subgroup_member, {"review": review.pk}, dash_clock)
    assert dash.totals["total"] == 1
    assert dash.totals["overdue"] == 0, "due today is not overdue yet"

"""What the action-plan pages' helpers put on the page: status and RAG tags (a RAG rating always
says what it means), dashboard links that keep the filters but go back to the first page, the
pages of a long list, the home page's card, and the SVG bar charts."""

import re
from types import SimpleNamespace

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from actions.charts import Bar, Segment, bar_chart
from actions.models import Status

TAGS = "{% load actions actions_dashboard %}"


def render(source, **context):
    return Template(TAGS + source).render(Context(context))


def with_query(source, query):
    request = RequestFactory().get("/actions/", query)
    return render(source, request=request)


@pytest.mark.parametrize(
    ("status", "css", "label"),
    [
        (Status.NOT_STARTED, "govuk-tag--grey", "Not started"),
        (Status.IN_PROGRESS, "govuk-tag--blue", "In progress"),
        (Status.COMPLETE, "govuk-tag--turquoise", "Complete"),
        (Status.CLOSED, "govuk-tag--green", "Closed"),
        (Status.HANDED_OVER, "govuk-tag--purple", "Handed to another plan"),
    ],
)
def test_each_status_has_its_own_tag(status, css, label):
    action = SimpleNamespace(status=status, get_status_display=lambda: Status(status).label)
    assert render("{{ action|status_tag }}", action=action) == (
        f'<strong class="govuk-tag {css}">{label}</strong>'
    )


@pytest.mark.parametrize(
    ("rag", "shown"),
    [
        ("", '<strong class="govuk-tag govuk-tag--grey">Not rated</strong>'),
        ("red", '<strong class="govuk-tag govuk-tag--red">Red: will not deliver</strong>'),
        (
            "amber",
            '<strong class="govuk-tag govuk-tag--orange">Amber: will partly deliver</strong>',
        ),
        ("green", '<strong class="govuk-tag govuk-tag--green">Green: on track</strong>'),
    ],
)
def test_a_rag_rating_is_never_shown_by_colour_alone(rag, shown):
    action = SimpleNamespace(rag=rag, get_rag_display=lambda: rag.capitalize())
    assert render("{{ action|rag_tag }}", action=action) == shown


def test_a_filter_link_keeps_the_other_filters_and_goes_back_to_the_first_pages():
    link = with_query(
        "{% filter_query 'rag' 'red' %}",
        {"status": "closed", "agency": "5", "page": "3", "overdue_page": "2", "stale_page": "4"},
    )
    assert link == "?status=closed&amp;agency=5&amp;rag=red"


def test_a_filter_link_replaces_the_same_filter():
    assert with_query("{% filter_query 'status' 'complete' %}", {"status": "closed"}) == (
        "?status=complete"
    )


def test_a_page_link_keeps_the_filters_and_the_other_lists_pages():
    link = with_query("{% page_query 'overdue_page' 3 %}", {"status": "closed", "page": "2"})
    assert link == "?status=closed&amp;page=2&amp;overdue_page=3"


def test_a_long_list_shows_the_pages_around_this_one_and_the_ends():
    page = Paginator(range(1000), 50).get_page(10)
    shown = render(
        "{% elided_pages page as numbers %}{% ellipsis as gap %}"
        "{% for n in numbers %}{% if n == gap %}…{% else %}{{ n }}{% endif %} {% endfor %}",
        page=page,
    )
    assert shown.split() == ["1", "…", "8", "9", "10", "11", "12", "…", "20"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "shown"), [("subgroup_member", True), ("agency_author", False)]
)
def test_the_home_page_card_is_for_those_who_monitor_the_plans(request, persona, shown):
    web = RequestFactory().get("/")
    web.user = request.getfixturevalue(persona)
    html = render("{% action_plans_card %}", request=web)
    assert ("Monitor the action plans" in html) is shown


# --- the bar charts -----------------------------------------------------------------------------


def widths(svg):
    return [
        float(w)
        for w in re.findall(
            r'<rect class="app-chart__bar[^"]*" x="[^"]*" y="\d+" width="([\d.]+)"', svg
        )
    ]


def test_the_longest_bar_fills_the_plot_and_the_others_are_in_proportion():
    svg = bar_chart(
        "Actions by status",
        [
            Bar("Not started", [Segment(4, "total", "actions")]),
            Bar("Closed", [Segment(1, "total", "actions")]),
        ],
    )
    assert widths(svg) == [600.0, 150.0]
    assert '<text class="app-chart__value"' in svg
    assert re.findall(r'class="app-chart__value"[^>]*>(\d+)<', svg) == ["4", "1"]


def test_a_stacked_bar_leaves_out_empty_series_and_names_each_in_its_tooltip():
    svg = bar_chart(
        "Actions by lead agency and status",
        [
            Bar(
                "Northbridge Constabulary",
                [
                    Segment(2, "not-started", "Not started"),
                    Segment(0, "in-progress", "In progress"),
                    Segment(1, "closed", "Closed"),
                ],
            )
        ],
        legend=[Segment(0, "not-started", "Not started"), Segment(0, "closed", "Closed")],
    )
    assert "<title>Northbridge Constabulary: 2 not started</title>" in svg
    assert "<title>Northbridge Constabulary: 1 closed</title>" in svg
    assert "in progress</title>" not in svg
    assert svg.count('class="app-chart__legend"') == 2
    assert re.findall(r'class="app-chart__value"[^>]*>(\d+)<', svg) == ["3"]


def test_long_labels_are_shortened_on_the_axis_but_whole_in_the_tooltip_and_escaped():
    label = "Northbridge & Wendale Integrated Care Board's health visiting service"
    svg = bar_chart("Actions <by> agency", [Bar(label, [Segment(1, "total", "actions")])])
    assert ">Northbridge &amp; Wendale Integrated Care B…</text>" in svg
    assert (
        "<title>Northbridge &amp; Wendale Integrated Care Board's health visiting service: 1" in svg
    )
    assert 'aria-label="Actions &lt;by&gt; agency"' in svg
    assert "<by>" not in svg


def test_a_chart_without_bars_says_there_are_no_actions():
    svg = bar_chart("Actions by learning theme and status", [], describedby="theme-table")
    assert ">No actions</text>" in svg
    assert 'aria-describedby="theme-table"' in svg
    assert "<rect" not in svg

"""The merged chronology's timeline picture: what its accessible name says, a lane per agency,
one mark per event (fewer when they would overlap), the axis labelled by month on a short period
and by year on a long one, and long gaps shaded with their length."""

import datetime
import re
from types import SimpleNamespace

import time_machine

from chronologies import timeline_svg

D = datetime.date


def agency(pk, name):
    return SimpleNamespace(pk=pk, name=name)


def entry(date, agency_id):
    return SimpleNamespace(date=date, request=SimpleNamespace(agency_id=agency_id))


SCHOOL, POLICE = agency(1, "Riverside Primary School"), agency(2, "Northbridge Constabulary")


def labels(svg):
    return re.findall(r'font-size="12" fill="#0b0c0c">([^<]*)</text>', svg)


def test_it_names_the_picture_by_its_events_agencies_and_period():
    svg = timeline_svg.render(
        [entry(D(2025, 1, 10), 1), entry(D(2025, 3, 1), 2)],
        [SCHOOL, POLICE],
        D(2025, 1, 10),
        D(2025, 3, 1),
        describedby="merged-table-caption",
    )
    assert 'aria-label="Timeline of 2 events from 2 agencies, January 2025 to March 2025"' in svg
    assert 'aria-describedby="merged-table-caption"' in svg
    assert "<title>Timeline of 2 events" in svg


def test_one_event_of_one_agency_reads_in_the_singular():
    svg = timeline_svg.render([entry(D(2025, 1, 10), 1)], [SCHOOL], D(2025, 1, 10), D(2025, 1, 10))
    assert "Timeline of 1 event from 1 agency, January 2025 to January 2025" in svg
    assert "aria-describedby" not in svg


def test_an_empty_chronology_is_a_picture_of_this_month():
    with time_machine.travel(datetime.datetime(2026, 4, 20, 9, tzinfo=datetime.UTC)):
        svg = timeline_svg.render([], [], None, None)
    assert "Timeline of 0 events from 0 agencies, April 2026 to April 2026" in svg
    assert "<circle" not in svg


def test_a_period_ending_before_it_starts_is_drawn_as_its_start():
    svg = timeline_svg.render([], [SCHOOL], D(2025, 6, 1), D(2025, 1, 1))
    assert "June 2025 to June 2025" in svg


def test_each_agency_has_a_lane_with_its_whole_name_wrapped_over_lines():
    long = agency(3, "Northbridge & Wendale Integrated Care Board and Community Health Trust")
    svg = timeline_svg.render([], [SCHOOL, long], D(2025, 1, 1), D(2025, 2, 1))
    assert re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg) == [
        "Riverside Primary School",
        "Northbridge &amp; Wendale",
        "Integrated Care Board and",
        "Community Health Trust",
    ]
    assert 'height="32"' in svg  # one line fits the usual lane
    assert 'height="55"' in svg  # three lines make the lane taller


def test_a_short_period_labels_every_month_and_the_years_first_month():
    svg = timeline_svg.render([], [SCHOOL], D(2024, 11, 5), D(2025, 2, 20))
    assert labels(svg) == ["Nov 2024", "Dec", "Jan 2025", "Feb"]


def test_a_long_period_labels_the_first_month_and_each_january():
    svg = timeline_svg.render([], [SCHOOL], D(2023, 6, 5), D(2026, 3, 2))
    assert labels(svg) == ["Jun 2023", "2024", "2025", "2026"]


def test_events_of_one_agency_on_one_day_make_one_mark_and_unknown_agencies_none():
    events = [
        entry(D(2025, 1, 10), 1),
        entry(D(2025, 1, 10), 1),
        entry(D(2025, 1, 10), 2),
        entry(D(2025, 3, 1), 1),
        entry(D(2025, 3, 1), 99),  # an agency not drawn (filtered out of the lanes)
    ]
    svg = timeline_svg.render(events, [SCHOOL, POLICE], D(2025, 1, 10), D(2025, 3, 1))
    assert svg.count("<circle") == 3
    assert "Timeline of 5 events" in svg


def test_thousands_of_events_are_counted_per_month_as_bars_of_their_count():
    """Five thousand events over five and a half years: a bar per lane and month, its title
    saying how many, instead of a lane of overlapping marks."""
    events = [entry(D(2020, 1, 1) + datetime.timedelta(days=n % 2000), 1) for n in range(5000)]
    events += [entry(D(2021, 3, 2), 2)] * 40
    svg = timeline_svg.render(events, [SCHOOL, POLICE], D(2020, 1, 1), D(2025, 6, 22))
    assert "<circle" not in svg
    bars = re.findall(
        r'class="app-timeline__cluster"[^>]*height="([\d.]+)"[^>]*><title>([^<]*)<', svg
    )
    assert len(bars) == 66 + 1  # the school's months from January 2020 to June 2025; police's one
    assert ("40 events, March 2021") in [title for _height, title in bars]
    tallest = max(float(height) for height, _title in bars)
    assert tallest == 24  # the busiest month fills its lane (32 less a margin of 4 each side)


def test_a_dense_short_period_is_counted_per_week():
    events = [entry(D(2025, 3, 3) + datetime.timedelta(days=n % 60), 1) for n in range(400)]
    svg = timeline_svg.render(events, [SCHOOL], D(2025, 3, 3), D(2025, 5, 1))
    titles = re.findall(r'class="app-timeline__cluster"[^>]*><title>([^<]*)<', svg)
    assert titles[0] == "49 events, week of 3 March 2025"
    assert len(titles) == 9


def test_a_few_hundred_events_or_fewer_are_one_mark_each():
    events = [entry(D(2025, 1, 1) + datetime.timedelta(days=n), 1) for n in range(300)]
    svg = timeline_svg.render(events, [SCHOOL], D(2025, 1, 1), D(2025, 10, 27))
    assert "app-timeline__cluster" not in svg
    assert svg.count("<circle") > 200


def test_key_events_in_the_period_are_marked_and_labelled():
    svg = timeline_svg.render(
        [entry(D(2025, 1, 10), 1)],
        [SCHOOL],
        D(2025, 1, 10),
        D(2025, 6, 20),
        key_events=[(D(2025, 5, 3), "Serious incident"), (D(2019, 5, 3), "Child born")],
    )
    assert svg.count('class="app-timeline__key-event"') == 1
    assert ">Serious incident, 3 May 2025</text>" in svg
    assert "Child born" not in svg  # before the period drawn


def test_the_counts_table_has_a_row_per_period_with_entries_and_a_column_per_agency():
    events = [entry(D(2025, 1, 10), 1), entry(D(2025, 1, 20), 2), entry(D(2025, 3, 1), 1)]
    table = timeline_svg.period_counts(events, [SCHOOL, POLICE], D(2022, 1, 10), D(2025, 3, 1))
    assert table == {
        "size": "month",
        "rows": [
            {"label": "January 2025", "counts": [1, 1], "total": 2},
            {"label": "March 2025", "counts": [1, 0], "total": 1},
        ],
    }
    weekly = timeline_svg.period_counts(events, [SCHOOL, POLICE], D(2025, 1, 10), D(2025, 3, 1))
    assert weekly["size"] == "week"
    assert weekly["rows"][0] == {"label": "Week of 6 January 2025", "counts": [1, 0], "total": 1}


def test_a_long_gap_is_shaded_and_says_how_long_it_was():
    svg = timeline_svg.render(
        [entry(D(2025, 1, 10), 1), entry(D(2025, 6, 20), 1)],
        [SCHOOL],
        D(2025, 1, 10),
        D(2025, 6, 20),
        gaps=[(D(2025, 1, 10), D(2025, 6, 20), 161)],
    )
    assert svg.count('class="app-timeline__gap"') == 1
    assert "<title>No agency contact for 161 days</title>" in svg

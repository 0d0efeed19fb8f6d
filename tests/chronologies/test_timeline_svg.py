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


def test_each_agency_has_a_lane_named_in_32_characters_at_most():
    long = agency(3, "Northbridge & Wendale Integrated Care Board")
    svg = timeline_svg.render([], [SCHOOL, long], D(2025, 1, 1), D(2025, 2, 1))
    assert ">Riverside Primary School</text>" in svg
    assert ">Northbridge &amp; Wendale Integrated</text>" in svg
    assert svg.count('height="32"') == 2


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


def test_thousands_of_events_stay_a_small_picture():
    events = [entry(D(2020, 1, 1) + datetime.timedelta(days=n % 2000), 1) for n in range(5000)]
    svg = timeline_svg.render(events, [SCHOOL], D(2020, 1, 1), D(2025, 6, 22))
    assert svg.count("<circle") <= 740  # at most one mark per pixel of the plot


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

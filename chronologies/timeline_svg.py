"""The merged chronology as a picture: a server-rendered SVG (no JavaScript) with one swimlane
per agency over time, a mark per entry and long gaps shaded. People read a chronology as a
picture first; the table under it carries the same information for screen readers."""

import datetime
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.safestring import mark_safe

WIDTH = 960
LABEL_WIDTH = 220
LANE_HEIGHT = 32
AXIS_HEIGHT = 40
RIGHT_MARGIN = 16


def _month_label(date: datetime.date) -> str:
    return date.strftime("%B %Y")


def _months(start: datetime.date, end: datetime.date):
    month = datetime.date(start.year, start.month, 1)
    while month <= end:
        yield month
        month = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def render(entries, agencies, start, end, *, gaps=(), describedby="") -> str:
    """The SVG markup for `entries` (each with .date and .request.agency_id) of `agencies`
    between `start` and `end`. Every label is XML-escaped before the markup is marked safe."""
    entries = list(entries)
    agencies = list(agencies)
    if start is None or end is None or end < start:
        start = end = start or end or timezone.localdate()
    plot = WIDTH - LABEL_WIDTH - RIGHT_MARGIN
    height = AXIS_HEIGHT + LANE_HEIGHT * max(len(agencies), 1) + 8
    summary = (
        f"Timeline of {len(entries)} event{'s' if len(entries) != 1 else ''} from "
        f"{len(agencies)} agenc{'ies' if len(agencies) != 1 else 'y'}, "
        f"{_month_label(start)} to {_month_label(end)}"
    )
    # Whole months, so that the first and last ticks frame the marks.
    start = start.replace(day=1)
    end = (end.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    span = (end - start).days

    def x(date):
        return LABEL_WIDTH + plot * (date - start).days / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-timeline" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" font-family="arial, sans-serif" '
        f'aria-label="{escape(summary, {chr(34): "&quot;"})}"'
        + (f' aria-describedby="{escape(describedby)}"' if describedby else "")
        + ">",
        f"<title>{escape(summary)}</title>",
    ]
    lanes_bottom = AXIS_HEIGHT + LANE_HEIGHT * len(agencies)
    lane_of = {}
    for index, agency in enumerate(agencies):
        lane_of[agency.pk] = index
        top = AXIS_HEIGHT + LANE_HEIGHT * index
        parts.append(
            f'<rect x="0" y="{top}" width="{WIDTH}" height="{LANE_HEIGHT}" '
            f'fill="{"#ffffff" if index % 2 else "#f3f2f1"}" />'
            f'<text x="8" y="{top + LANE_HEIGHT / 2 + 4:.1f}" font-size="13" '
            f'fill="#0b0c0c">{escape(agency.name[:32])}</text>'
        )
    for gap_start, gap_end, days in gaps:
        parts.append(
            f'<rect class="app-timeline__gap" x="{x(gap_start):.1f}" y="{AXIS_HEIGHT}" '
            f'width="{x(gap_end) - x(gap_start):.1f}" height="{lanes_bottom - AXIS_HEIGHT}" '
            f'fill="#ffdd00" fill-opacity="0.25" stroke="#b1b4b6" stroke-dasharray="4 2">'
            f"<title>No agency contact for {days} days</title></rect>"
        )
    # Time axis: a tick per month; labels on every month when the period is short, else on
    # each January (and the first month) with the year.
    months = list(_months(start, end))
    every_month = len(months) <= 14
    for month in months:
        tick = x(month)
        major = month.month == 1 or month == start
        parts.append(
            f'<line x1="{tick:.1f}" y1="{AXIS_HEIGHT - (10 if major else 5)}" x2="{tick:.1f}" '
            f'y2="{lanes_bottom}" stroke="{"#6f777b" if major else "#b1b4b6"}" '
            f'stroke-width="{1 if major else 0.5}" />'
        )
        if month == end or not (major or every_month):
            continue  # the closing tick, or a minor month on a long axis
        label = month.strftime("%b %Y" if major else "%b") if every_month else f"{month:%Y}"
        if major and not every_month and month.month != 1:
            label = month.strftime("%b %Y")
        parts.append(
            f'<text x="{tick + 2:.1f}" y="{AXIS_HEIGHT - 14}" font-size="12" '
            f'fill="#0b0c0c">{escape(label)}</text>'
        )
    drawn = set()
    for entry in entries:
        lane = lane_of.get(entry.request.agency_id)
        # One mark per lane and pixel: thousands of entries stay a small picture.
        if lane is None or (lane, round(x(entry.date))) in drawn:
            continue
        drawn.add((lane, round(x(entry.date))))
        cy = AXIS_HEIGHT + LANE_HEIGHT * lane + LANE_HEIGHT / 2
        parts.append(
            f'<circle cx="{x(entry.date):.1f}" cy="{cy:.1f}" r="5" fill="#1d70b8" '
            f'fill-opacity="0.8" stroke="#0b0c0c" stroke-width="0.5" />'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped

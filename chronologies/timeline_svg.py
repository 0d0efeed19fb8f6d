"""The merged chronology as a picture: a server-rendered SVG (no JavaScript) with one swimlane
per agency over time, long gaps shaded and the review's key events marked. Up to DOTS_UP_TO
entries each get a mark; more are counted per week or month (whichever leaves room to draw) and
drawn as bars whose height is the count, so a lane of thousands of entries shows where contact
was dense instead of a solid bar. People read a chronology as a picture first; `period_counts`
gives the same counts as a table, and the entries' table carries every detail."""

import datetime
import textwrap
from collections import Counter
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.safestring import mark_safe

from lcspr.core.text import long_date

WIDTH = 960
LABEL_WIDTH = 220
LANE_HEIGHT = 32
LINE_HEIGHT = 15  # of a lane's name, wrapped over as many lines as it needs
LABEL_CHARACTERS = 28  # per line of a lane's name, at 13px in LABEL_WIDTH
AXIS_HEIGHT = 40
KEY_EVENT_HEIGHT = 20  # a row under the lanes per key event, for its label
RIGHT_MARGIN = 16
DOTS_UP_TO = 300  # more entries than this are drawn as counts per week or month
MIN_BAR_WIDTH = 6  # pixels: weeks narrower than this are counted by month instead


def _month_label(date: datetime.date) -> str:
    return date.strftime("%B %Y")


def _months(start: datetime.date, end: datetime.date):
    month = datetime.date(start.year, start.month, 1)
    while month <= end:
        yield month
        month = _next_month(month)


def _next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _attribute(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _week_start(date: datetime.date) -> datetime.date:
    return date - datetime.timedelta(days=date.weekday())


def bucket_size(start: datetime.date, end: datetime.date) -> str:
    """ "week" when a week of the period is at least MIN_BAR_WIDTH pixels wide, else "month"."""
    plot = WIDTH - LABEL_WIDTH - RIGHT_MARGIN
    days = max((end - start).days, 1)
    return "week" if plot * 7 / days >= MIN_BAR_WIDTH else "month"


def _bucket(date: datetime.date, size: str) -> datetime.date:
    return _week_start(date) if size == "week" else date.replace(day=1)


def _bucket_end(bucket: datetime.date, size: str) -> datetime.date:
    return bucket + datetime.timedelta(days=7) if size == "week" else _next_month(bucket)


def _lane_lines(name: str) -> list[str]:
    return textwrap.wrap(name, LABEL_CHARACTERS, break_long_words=True) or [""]


def render(
    entries, agencies, start, end, *, gaps=(), key_events=(), describedby="", title=""
) -> str:
    """The SVG markup for `entries` (each with .date and .request.agency_id) of `agencies`
    between `start` and `end`, with `gaps` ((start, end, days)) shaded and `key_events`
    ((date, label)) marked. Every label is XML-escaped before the markup is marked safe."""
    entries = list(entries)
    agencies = list(agencies)
    if start is None or end is None or end < start:
        start = end = start or end or timezone.localdate()
    key_events = sorted((d, label) for d, label in key_events if start <= d <= end)
    plot = WIDTH - LABEL_WIDTH - RIGHT_MARGIN
    summary = title or (
        f"Timeline of {len(entries)} event{'s' if len(entries) != 1 else ''} from "
        f"{len(agencies)} agenc{'ies' if len(agencies) != 1 else 'y'}, "
        f"{_month_label(start)} to {_month_label(end)}"
    )
    lines = [_lane_lines(agency.name) for agency in agencies]
    heights = [max(LANE_HEIGHT, LINE_HEIGHT * len(name) + 10) for name in lines]
    tops = [AXIS_HEIGHT + sum(heights[:index]) for index in range(len(agencies))]
    lanes_bottom = AXIS_HEIGHT + sum(heights)
    height = max(lanes_bottom, AXIS_HEIGHT + LANE_HEIGHT) + KEY_EVENT_HEIGHT * len(key_events) + 8
    clustered = len(entries) > DOTS_UP_TO
    size = bucket_size(start, end)
    # Whole months, so that the first and last ticks frame the marks.
    start = start.replace(day=1)
    end = _next_month(end.replace(day=1))
    span = (end - start).days

    def x(date):
        return LABEL_WIDTH + plot * (date - start).days / span

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-timeline" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" font-family="arial, sans-serif" '
        f'aria-label="{_attribute(summary)}"'
        + (f' aria-describedby="{escape(describedby)}"' if describedby else "")
        + ">",
        f"<title>{escape(summary)}</title>",
    ]
    lane_of = {}
    for index, agency in enumerate(agencies):
        lane_of[agency.pk] = index
        top = tops[index]
        name_top = top + (heights[index] - LINE_HEIGHT * len(lines[index])) / 2 - 4
        parts.append(
            f'<rect x="0" y="{top}" width="{WIDTH}" height="{heights[index]}" '
            f'fill="{"#ffffff" if index % 2 else "#f3f2f1"}" />'
            f'<text x="8" font-size="13" fill="#0b0c0c">'
            + "".join(
                f'<tspan x="8" y="{name_top + LINE_HEIGHT * (n + 1):.1f}">{escape(line)}</tspan>'
                for n, line in enumerate(lines[index])
            )
            + "</text>"
        )
    for gap_start, gap_end, days in gaps:
        parts.append(
            f'<rect class="app-timeline__gap" x="{x(gap_start):.1f}" y="{AXIS_HEIGHT}" '
            f'width="{x(gap_end) - x(gap_start):.1f}" height="{lanes_bottom - AXIS_HEIGHT}" '
            f'fill="#ffdd00" fill-opacity="0.25" stroke="#b1b4b6" stroke-dasharray="4 2">'
            f"<title>No agency contact for {days} days</title></rect>"
        )
    parts += _axis(start, end, x, lanes_bottom)
    if clustered:
        parts += _bars(entries, lane_of, tops, heights, size, x, start)
    else:
        parts += _dots(entries, lane_of, tops, heights, x)
    for row, (date, label) in enumerate(key_events):
        at = x(date)
        label_y = lanes_bottom + KEY_EVENT_HEIGHT * (row + 1) - 5
        anchor = "end" if at > WIDTH - 200 else "start"
        parts.append(
            f'<g class="app-timeline__key-event">'
            f'<line x1="{at:.1f}" y1="{AXIS_HEIGHT}" x2="{at:.1f}" y2="{label_y - 10}" '
            f'stroke="#d4351c" stroke-width="2" />'
            f'<text x="{at + (4 if anchor == "start" else -4):.1f}" y="{label_y}" '
            f'font-size="12" font-weight="bold" fill="#0b0c0c" text-anchor="{anchor}">'
            f"{escape(label)}, {escape(long_date(date))}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label above is escaped


def _axis(start, end, x, lanes_bottom) -> list[str]:
    """A tick per month; labels on every month when the period is short, else on each January
    (and the first month) with the year."""
    parts = []
    months = list(_months(start, end))
    every_month = len(months) <= 14
    first = months[0]
    for month in months:
        tick = x(month)
        major = month.month == 1 or month == first
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
    return parts


def _dots(entries, lane_of, tops, heights, x) -> list[str]:
    parts, drawn = [], set()
    for entry in entries:
        lane = lane_of.get(entry.request.agency_id)
        # One mark per lane and pixel: entries on the same day make one mark.
        if lane is None or (lane, round(x(entry.date))) in drawn:
            continue
        drawn.add((lane, round(x(entry.date))))
        cy = tops[lane] + heights[lane] / 2
        parts.append(
            f'<circle cx="{x(entry.date):.1f}" cy="{cy:.1f}" r="5" fill="#1d70b8" '
            f'fill-opacity="0.8" stroke="#0b0c0c" stroke-width="0.5" />'
        )
    return parts


def _bars(entries, lane_of, tops, heights, size, x, start) -> list[str]:
    """A bar per lane and week (or month) with entries, as tall as its count allows against
    the busiest one, with the count in its title."""
    counts = Counter(
        (lane_of[e.request.agency_id], _bucket(e.date, size))
        for e in entries
        if e.request.agency_id in lane_of
    )
    busiest = max(counts.values(), default=1)
    parts = []
    for (lane, bucket), count in sorted(counts.items()):
        # A week that starts before the axis is drawn from the axis' start.
        left, right = x(max(bucket, start)), x(_bucket_end(bucket, size))
        room = heights[lane] - 8
        bar = max(3, room * count / busiest)
        period = f"week of {long_date(bucket)}" if size == "week" else _month_label(bucket)
        parts.append(
            f'<rect class="app-timeline__cluster" x="{left + 0.5:.1f}" '
            f'y="{tops[lane] + 4 + room - bar:.1f}" width="{max(right - left - 1, 1):.1f}" '
            f'height="{bar:.1f}" fill="#1d70b8"><title>{count} '
            f"event{'s' if count != 1 else ''}, {escape(period)}</title></rect>"
        )
    return parts


def period_counts(entries, agencies, start, end) -> dict:
    """The timeline as a table: for each week or month (as the picture counts them) between
    `start` and `end` with at least one entry, its label, the count per agency (in the order of
    `agencies`) and the total."""
    agencies = list(agencies)
    if start is None or end is None:
        return {"size": "month", "rows": []}
    size = bucket_size(start, end)
    column = {agency.pk: index for index, agency in enumerate(agencies)}
    counts: dict = {}
    for entry in entries:
        index = column.get(entry.request.agency_id)
        if index is None:
            continue
        row = counts.setdefault(_bucket(entry.date, size), [0] * len(agencies))
        row[index] += 1
    return {
        "size": size,
        "rows": [
            {
                "label": f"Week of {long_date(bucket)}" if size == "week" else _month_label(bucket),
                "counts": row,
                "total": sum(row),
            }
            for bucket, row in sorted(counts.items())
        ],
    }

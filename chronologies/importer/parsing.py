"""Turning the rows read from a file into entry values, row by row and column by column: every
problem is collected, and rows are returned only when there are none."""

import csv
import datetime
import itertools

from django.utils import timezone

from chronologies.importer import limits
from chronologies.importer.cells import (
    CellError,
    is_blank,
    is_formula,
    parse_date_time,
    parsers,
    shown_date,
    shown_time,
)
from chronologies.importer.columns import (
    BY_HEADING,
    DEFAULTS,
    HEADING_ROWS,
    REQUIRED,
    Column,
    heading_key,
    heading_row,
    recognised,
)
from chronologies.importer.reading import IncompleteRead, read_rows
from chronologies.importer.result import ImportResult


def parse(upload, *, kloe_numbers: set[int]) -> ImportResult:
    """Read an uploaded XLSX or CSV chronology. Every problem is collected, row by row and
    column by column; `rows` holds entry field values only when there are none."""
    result = ImportResult()
    rows = read_rows(upload, result)
    if rows is None:
        return result
    try:
        _parse_rows(rows, kloe_numbers, result)
    except csv.Error as e:
        result.errors = [f"The CSV file could not be read: {e}"]
    except IncompleteRead as e:
        result.errors = [str(e)]
    if result.errors:
        result.rows = []
    return result


def _parse_rows(rows, kloe_numbers: set[int], result: ImportResult) -> None:
    rows = iter(rows)
    top = list(itertools.islice(rows, HEADING_ROWS))
    found = heading_row(top)
    if found is None:
        _no_headings(top, rows, result)
        return
    header = top[found]
    result.heading_row = found + 1
    columns = _columns(header, result)
    cell_parsers = parsers(kloe_numbers)
    today = timezone.localdate()
    count = 0
    data = itertools.chain(top[found + 1 :], rows)
    for number, row in enumerate(data, start=result.heading_row + 1):
        width = len(row)
        cells = [(c, row[i] if i < width else None) for i, c in columns]
        if all(is_blank(v) for _, v in cells):
            continue
        count += 1
        result.first_row = result.first_row or number
        result.last_row = number
        if count > limits.MAX_ROWS:
            result.errors[:] = [
                f"The file has more than {limits.MAX_ROWS:,} rows; a chronology can hold up to "
                f"{limits.MAX_ROWS:,} entries"
            ]
            return
        values = _parse_row(number, cells, cell_parsers, today, result.errors)
        if not result.errors:
            result.rows.append(values)
    if count == 0:
        result.errors.append("The file is empty")


def _no_headings(top: list, rest, result: ImportResult) -> None:
    """Say why no heading row was found: an empty file, or the required headings missing from
    the first rows (named from the row that comes closest)."""
    if not any(any(not is_blank(v) for v in row) for row in itertools.chain(top, rest)):
        result.errors.append("The file is empty")
        return
    closest = max((recognised(row) for row in top), key=len)
    missing = [c.heading for c in REQUIRED if c not in closest]
    where = result.source or "the file"
    result.errors.append(
        f"{where[0].upper()}{where[1:]} is missing the column"
        + ("s " if len(missing) > 1 else " ")
        + " and ".join(missing)
        + f" (the headings must be in one of the first {HEADING_ROWS} rows)"
    )


def _columns(header, result: ImportResult) -> list[tuple[int, Column]]:
    """The template columns found in the heading row, by position. Unknown and repeated
    headings are reported as warnings."""
    columns, ignored = [], []
    for index, heading in enumerate(header):
        column = BY_HEADING.get(heading_key(heading))
        if column is None:
            if not is_blank(heading):
                ignored.append(str(heading).strip())
        elif any(c.field == column.field for _, c in columns):
            result.warnings.append(f"The column {column.heading} appears twice; the first is used")
        else:
            columns.append((index, column))
    if ignored:
        result.warnings.append("These columns were ignored: " + ", ".join(ignored))
    return columns


def _parse_row(number: int, cells, cell_parsers: dict, today: datetime.date, errors) -> dict:
    """One row's entry values; each problem is appended to `errors` as "Row n, Column: why"."""
    values = dict(DEFAULTS)
    forced_certainty = date_time = time_cell = None
    for column, raw in cells:
        # The row-and-column words are made only for a problem: most cells have none.
        field = column.field
        if raw is None or (isinstance(raw, str) and not raw.strip()):  # is_blank, inlined
            if column.required:
                errors.append(f"Row {number}, {column.heading}: enter the {column.heading.lower()}")
            continue
        if is_formula(raw):
            errors.append(f"Row {number}, {column.heading}: formulas are not accepted")
            continue
        try:
            if field == "date":
                value, forced_certainty, date_time = _parse_entry_date(raw, today)
            else:
                value = cell_parsers[field](raw)
        except CellError as e:
            errors.append(f"Row {number}, {column.heading}: {e}")
            continue
        if column.required and value == "":
            errors.append(f"Row {number}, {column.heading}: enter the {column.heading.lower()}")
            continue
        if field == "time":
            time_cell = raw
        values[field] = value
    if forced_certainty:
        values["date_certainty"] = forced_certainty.value
    if date_time is not None:
        # A date and a time in one cell: the time is the entry's unless the Time column gives
        # another.
        if time_cell is None:
            values["time"] = date_time
        elif values["time"] != date_time:
            errors.append(
                f"Row {number}, Time: '{shown_time(time_cell)}' is not the time given in the "
                f"Date column ({date_time:%H:%M}); give the time once, or the same in both"
            )
    return values


def _parse_entry_date(raw, today: datetime.date):
    """The event's date, any certainty its format forces and any time given with it; not in
    the future nor before 1900."""
    value, forced_certainty, time = parse_date_time(raw)
    if value > today:
        raise CellError(f"'{shown_date(raw)}' is in the future")
    if value.year < 1900:
        raise CellError(f"'{shown_date(raw)}' is before 1900")
    return value, forced_certainty, time

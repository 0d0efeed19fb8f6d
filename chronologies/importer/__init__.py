"""Chronology spreadsheets: the XLSX template agencies fill in, and the parser that turns an
uploaded XLSX or CSV into entry values. Parsing is all or nothing: every problem in every row is
collected, and rows are returned only when there are none. Formulas are refused, never
evaluated; a workbook with macros, external links, embedded objects or a DOCTYPE is refused
unopened by the check every Office upload passes (`lcspr.core.uploads.office_problem`).

The parts: `limits` (sizes), `columns` (the template's headings), `cells` (one parser per kind
of cell), `reading` (XLSX and CSV into raw rows), `parsing` (rows into entry values), `result`
(what was read) and `template` (the workbook agencies download)."""

from chronologies.importer import limits
from chronologies.importer.cells import CellError, parse_date, parse_time
from chronologies.importer.columns import (
    COLUMNS,
    DATA_SHEET,
    DATE_FORMATS_HELP,
    TIME_FORMATS_HELP,
    Column,
)
from chronologies.importer.parsing import parse
from chronologies.importer.result import ImportResult
from chronologies.importer.template import build_template

__all__ = [
    "COLUMNS",
    "DATA_SHEET",
    "DATE_FORMATS_HELP",
    "TIME_FORMATS_HELP",
    "CellError",
    "Column",
    "ImportResult",
    "build_template",
    "limits",
    "parse",
    "parse_date",
    "parse_time",
]

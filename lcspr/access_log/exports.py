"""The access log as CSV or XLSX: the filtered rows, read a batch at a time, every value
neutralised against formula injection."""

import csv
import tempfile
from itertools import islice

from django.utils import timezone

from lcspr.access_log.selectors import case_roots_by_id, describe
from lcspr.core.text import neutralise

EXPORT_BATCH = 2000
COLUMNS = [
    "When (London time)",
    "Who",
    "E-mail",
    "Agency",
    "Kind",
    "What",
    "Object",
    "Review reference",
    "Review",
    "Address",
    "Page",
]


def rows_for_export(rows):
    """Each log row as the export's columns, loading EXPORT_BATCH rows at a time."""
    iterator = rows.iterator(chunk_size=EXPORT_BATCH)
    while batch := list(islice(iterator, EXPORT_BATCH)):
        reviews = case_roots_by_id(entry.review_id for entry in batch)
        for entry in batch:
            row = describe(entry, reviews)
            user = entry.user
            removed = f"removed (id {entry.review_id})"
            yield [
                timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
                user.full_name if user else "",
                user.email if user else "",
                user.agency.name if user and user.agency else "",
                entry.get_kind_display(),
                entry.what,
                row["object"],
                row["review_reference"] or (removed if row["review_removed"] else ""),
                row["review_label"],
                entry.address,
                entry.path,
            ]


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows):
    """The CSV file, line by line, for a streaming response."""
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte order mark, so that Excel reads accents right
    yield writer.writerow(COLUMNS)
    for values in rows_for_export(rows):
        yield writer.writerow([neutralise(value) for value in values])


def xlsx_file(rows):
    """The XLSX workbook in a temporary file, at its start (the caller closes it)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    # Write-only mode streams rows to a temporary file instead of holding the sheet in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Access log")
    bold = Font(bold=True)

    def cell(value, *, heading=False):
        c = WriteOnlyCell(sheet)
        # The value first and the type after: openpyxl would otherwise read "=..." as a formula.
        c.value = neutralise(value)
        c.data_type = "s"
        if heading:
            c.font = bold
        return c

    sheet.append([cell(name, heading=True) for name in COLUMNS])
    for values in rows_for_export(rows):
        sheet.append([cell(value) for value in values])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    workbook.save(output)
    output.seek(0)
    return output

"""How long importing a 5,000-row chronology takes, beside openpyxl's own read of the same
file (the floor: the parser cannot be faster than reading the workbook).

Run: .venv/bin/python bench/chronology_import.py
"""

import datetime
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lcspr.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402

from chronologies import importer  # noqa: E402

ROWS = 5_000


def build_workbook(rows: int) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(importer.DATA_SHEET)
    sheet.append([c.heading for c in importer.COLUMNS])
    start = datetime.date(2020, 1, 1)
    for n in range(rows):
        sheet.append(
            [
                start + datetime.timedelta(days=n % 1500),
                datetime.time(9 + n % 8, 15),
                "Exact",
                f"CN-{n}",
                "Health visitor",
                "Home visit",
                "Yes",
                "No",
                f"Visited the family at home; event {n}. " * 4,
                "Said she was hungry",
                "Referred to children's social care",
                "Assessment opened",
                "First sign of neglect",
                "1, 2",
                "Neglect; Domestic abuse",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def openpyxl_read(data: bytes) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    for _row in workbook[importer.DATA_SHEET].iter_rows(values_only=True):
        pass
    workbook.close()


def our_parse(data: bytes) -> None:
    result = importer.parse(SimpleUploadedFile("bench.xlsx", data), kloe_numbers={1, 2})
    assert not result.errors and len(result.rows) == ROWS, result.errors[:3]


def main() -> None:
    from django.core.management import call_command

    # The importer reads the partnership's learning themes from the database. (Migrated here,
    # not on import: bench/run.py reuses this module against its own database.)
    call_command("migrate", verbosity=0)
    data = build_workbook(ROWS)
    floor = best_of(3, lambda: openpyxl_read(data))
    ours = best_of(3, lambda: our_parse(data))
    print(f"{ROWS:,} rows, {len(data) / 1024:,.0f} KB")
    print(f"openpyxl read (floor): {floor:.3f} s")
    print(f"importer.parse:        {ours:.3f} s")
    print(f"ratio:                 {ours / floor:.2f}x")


if __name__ == "__main__":
    main()

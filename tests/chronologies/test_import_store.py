"""Storing an import: on PostgreSQL the entries go in with COPY (lcspr.core.pg_copy), and every
value must be stored exactly as the ORM stores it, however awkward the text an agency pasted
into its spreadsheet (tabs, line breaks, backslashes, quotes, what COPY reads as NULL, other
scripts). On SQLite (the README's default) the same tests check the ORM path."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from chronologies import importer, services
from chronologies.models import Entry
from lcspr.accounts.models import Agency, User
from lcspr.core import pg_copy

pytestmark = pytest.mark.django_db

AWKWARD = [
    "A tab\there, and one at the end\t",
    "Two lines\nof notes\n\nand a blank one",
    "Windows line ends\r\nand a lone\rcarriage return",
    r"A path C:\Users\school\notes.docx and \N and \\N and a trailing \ ",
    "\\",
    "\\N",
    "\\.",
    'Mum said "not today"; it\'s the third time',
    "Welsh: Mae’r plentyn yn hapus – Polish: źdźbło – Urdu: بچہ – emoji: 🧒🏽",
    "Commas, semicolons; pipes | and NULL and null",
    "",
]


def stored(request) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k not in ("id", "request_id")}
        for row in Entry.objects.filter(request=request).order_by("sequence").values()
    ]


def orm_store(request, rows):
    Entry.objects.bulk_create(
        [Entry(request=request, sequence=n, **row) for n, row in enumerate(rows, start=1)]
    )


def test_the_copy_path_is_taken_on_postgresql_only():
    assert pg_copy.can_copy(Entry, "default") == (connection.vendor == "postgresql")


def test_awkward_values_are_stored_as_the_orm_stores_them(
    school_request, police_request, school_author
):
    rows = [
        {
            "date": datetime.date(2025, 4, 1) + datetime.timedelta(days=n),
            "time": None if n % 2 else datetime.time(23, 59, 59),
            "date_certainty": "approximate" if n % 3 else "exact",
            "source_reference": text[:100],
            "practitioner_role": text[:150],
            "event_type": "Home visit\tby two workers",
            "child_seen": "yes",
            "seen_alone": "unknown",
            "description": text or "Visit",
            "child_voice": text,
            "action_taken": text[::-1],
            "outcome": "",
            "significance": text.upper(),
            "kloe_numbers": [1, n] if n % 2 else [],
            "themes": [text, 'A "quoted" theme\\', "Ünïcode\n"] if text else [],
        }
        for n, text in enumerate(AWKWARD)
    ]
    services.entries_replace(request=school_request, by=school_author, rows=rows)
    orm_store(police_request, rows)
    assert stored(school_request) == stored(police_request)
    assert stored(school_request)[3]["description"] == AWKWARD[3]
    # Each entry has its id, and its history row is the entry as stored.
    for entry in Entry.objects.filter(request=school_request):
        created = entry.history.get()
        assert (created.history_type, created.description, created.themes) == (
            "+",
            entry.description,
            entry.themes,
        )


def test_a_spreadsheet_with_awkward_cells_is_stored_as_the_orm_stores_it(
    school_request, police_request, school_author
):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = importer.DATA_SHEET
    sheet.append([c.heading for c in importer.COLUMNS])
    for n, text in enumerate(AWKWARD):
        sheet.append(
            [
                datetime.date(2024, 12, 31) + datetime.timedelta(days=n),
                datetime.time(9, n) if n % 2 else None,
                "Exact",
                text[:100],
                "Health visitor",
                "Home visit",
                "Yes",
                "Not known",
                text or "Visit",
                text,
                text,
                text,
                text,
                "1, 2" if n % 2 else "",
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = importer.parse(
        SimpleUploadedFile("awkward.xlsx", buffer.getvalue()), kloe_numbers={1, 2}
    )
    assert not result.errors and len(result.rows) == len(AWKWARD)
    services.entries_replace(request=school_request, by=school_author, rows=result.rows)
    orm_store(police_request, result.rows)
    assert stored(school_request) == stored(police_request)
    assert [e["description"] for e in stored(school_request)][1] == AWKWARD[1]


def test_a_value_the_database_refuses_leaves_the_draft_as_it_was(school_request, school_author):
    services.entries_replace(
        request=school_request,
        by=school_author,
        rows=[{"date": datetime.date(2025, 4, 1), "description": "Old"}],
    )
    bad = [
        {"date": datetime.date(2025, 4, 1), "description": "New"},
        {"date": datetime.date(2025, 4, 2), "description": None},
    ]
    with pytest.raises(Exception):  # noqa: B017, PT011 - the database's own error, by backend
        services.entries_replace(request=school_request, by=school_author, rows=bad)
    assert [e.description for e in school_request.entries.all()] == ["Old"]
    assert Entry.history.filter(request=school_request).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_writes_booleans_datetimes_nulls_and_keys_as_the_orm_does():
    agency = Agency.objects.create(name="Northbridge Primary\tSchool", kind="school")
    joined = timezone.now().replace(microsecond=123456)

    def users(prefix):
        return [
            User(
                email=f"{prefix}.{n}@example.org",
                full_name=AWKWARD[n],
                job_title=AWKWARD[-1 - n],
                agency=agency if n % 2 else None,
                is_active=bool(n % 3),
                is_staff=not n % 2,
                date_joined=joined - datetime.timedelta(days=n),
                last_login=None if n % 2 else joined,
                password="pbkdf2_sha256$1$salt$hash\\",
            )
            for n in range(len(AWKWARD))
        ]

    copied = pg_copy.copy_insert(users("copied"), User, using="default")
    User.objects.bulk_create(users("orm"))
    assert all(u.pk and not u._state.adding for u in copied)

    def rows(prefix):
        return [
            {k: v for k, v in row.items() if k not in ("id", "email")}
            for row in User.objects.filter(email__startswith=prefix)
            .order_by("date_joined")
            .values()
        ]

    assert rows("copied.") == rows("orm.")

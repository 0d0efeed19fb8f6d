"""Bulk onboarding: a CSV or XLSX file of people (name, e-mail, agency, role) read, checked row by
row and column by column, shown to the manager, then created all together or not at all, each
invited by e-mail once the accounts are saved. Every row really in the sheet is read: the count
is checked against the sheet's own XML, so a file is never partly imported."""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils.text import capfirst

from lcspr.accounts.models import Agency, Role, User
from lcspr.core.documents import archive_problem
from lcspr.core.uploads import last_row_in_sheet_xml as _last_row_in_sheet_xml
from lcspr.core.uploads import office_problem

MAX_BYTES = 2 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_PEOPLE = 500
COLUMNS = (("full_name", "Name"), ("email", "E-mail"), ("agency", "Agency"), ("role", "Role"))
# The headings a file may use for each column (compared without case, spaces or punctuation).
HEADINGS = {
    "name": "full_name",
    "fullname": "full_name",
    "email": "email",
    "emailaddress": "email",
    "agency": "agency",
    "organisation": "agency",
    "role": "role",
    "partnershiprole": "role",
}
# Bulk onboarding is for the people agencies send: the roles a file may give.
ROLES_ALLOWED = (Role.AGENCY_REPRESENTATIVE, Role.STATUTORY_PARTNER_LEAD)


@dataclass
class Onboarding:
    """What a file holds: the people to create, or every problem (nothing is created then)."""

    people: list[dict] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    source: str = ""
    rows_in_file: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.people)


class IncompleteRead(Exception):
    pass


def _heading_key(text) -> str:
    return re.sub(r"[^a-z]", "", str(text or "").lower())


def _blank(row) -> bool:
    return all(value is None or not str(value).strip() for value in row)


def read_people_file(upload) -> Onboarding:
    """Read and check every row of an uploaded file; nothing is saved."""
    result = Onboarding()
    data = upload.read(MAX_BYTES + 1)
    if not data:
        result.errors.append("The file is empty")
        return result
    if len(data) > MAX_BYTES:
        result.errors.append(f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
        return result
    try:
        rows = _xlsx_rows(data, result) if data.startswith(b"PK\x03\x04") else _csv_rows(data)
        if rows is None:
            return result
        result.source = result.source or "the CSV file"
        _check_rows(rows, result)
    except IncompleteRead as stopped:
        result.people = []
        result.errors = [str(stopped)]
    return result


def _csv_rows(data: bytes):
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise IncompleteRead("The file must be a CSV file or an Excel workbook (.xlsx)")
    return list(csv.reader(io.StringIO(text, newline="")))


def _xlsx_rows(data: bytes, result: Onboarding):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            problem = archive_problem(archive.infolist(), max_bytes=MAX_UNCOMPRESSED_BYTES)
            problem = problem or office_problem(archive, ".xlsx")
    except zipfile.BadZipFile:
        problem = "it is not an Excel workbook we can read"
    if problem:
        result.errors.append(f"The file cannot be accepted: {problem}")
        return None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a damaged file
        result.errors.append("The file is not an Excel workbook we can read")
        return None
    result.source = f'the sheet "{sheet.title}"'
    sheet.reset_dimensions()
    last_row = _last_row_in_sheet_xml(data, getattr(sheet, "_worksheet_path", None))
    rows = []
    try:
        for row in sheet.iter_rows(values_only=True):
            rows.append(row)
    except Exception:
        raise IncompleteRead(
            f'The sheet "{sheet.title}" is damaged and could not be read past row {len(rows)}, '
            "so nobody was added; save the workbook again in Excel or as CSV"
        ) from None
    finally:
        workbook.close()
    if last_row is None or len(rows) < last_row:
        raise IncompleteRead(
            f'Only {len(rows)} rows of the sheet "{sheet.title}" could be read, but it has '
            f"rows up to {last_row or 'an unknown row'}, so nobody was added; save the "
            "workbook again in Excel or as CSV"
        )
    return rows


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")


def _header(row, result: Onboarding) -> dict[str, int] | None:
    found = {}
    for index, text in enumerate(row or ()):
        key = HEADINGS.get(_heading_key(text))
        if key and key not in found:
            found[key] = index
    missing = [label for key, label in COLUMNS if key not in found]
    if missing:
        result.errors.append(
            f"Row 1 must have the headings Name, E-mail, Agency and Role; missing: "
            f"{', '.join(missing)}"
        )
        return None
    return found


def _agencies() -> dict[str, Agency]:
    by_name = {}
    for agency in Agency.objects.filter(is_active=True):
        by_name[agency.name.strip().lower()] = agency
        if agency.short_name:
            by_name.setdefault(agency.short_name.strip().lower(), agency)
    return by_name


def _roles() -> dict[str, str]:
    return {Role(r).label.lower(): r for r in ROLES_ALLOWED} | {r: r for r in ROLES_ALLOWED}


def _check_rows(rows: list, result: Onboarding) -> None:
    result.rows_in_file = len(rows)
    columns = _header(rows[0] if rows else None, result)
    if columns is None:
        return
    body = [(number, row) for number, row in enumerate(rows[1:], start=2) if not _blank(row)]
    if not body:
        result.errors.append("The file has no people in it below the headings in row 1")
        return
    if len(body) > MAX_PEOPLE:
        result.errors.append(f"The file has {len(body)} people: add at most {MAX_PEOPLE} at once")
        return
    agencies, roles = _agencies(), _roles()
    emails = [str(_cell(row, columns["email"])).strip().lower() for _, row in body]
    taken = set(
        User.objects.annotate(lower=Lower("email"))
        .filter(lower__in=emails)
        .values_list("lower", flat=True)
    )
    seen: dict[str, int] = {}
    for number, row in body:
        person = _check_row(number, row, columns, agencies, roles, taken, seen, result.errors)
        if person:
            result.people.append(person)
    if result.errors:
        result.people = []


def _cell(row, index):
    value = row[index] if index < len(row) else None
    return "" if value is None else str(value).strip()


def _check_row(number, row, columns, agencies, roles, taken, seen, errors) -> dict | None:
    problems = []

    def problem(column, message):
        problems.append(f'Row {number}, column "{column}": {message}')

    name, email = _cell(row, columns["full_name"]), _cell(row, columns["email"]).lower()
    agency_text, role_text = _cell(row, columns["agency"]), _cell(row, columns["role"])
    if not name:
        problem("Name", "enter the person's full name")
    elif len(name) > 150:
        problem("Name", "the name must be 150 characters or fewer")
    if not email:
        problem("E-mail", "enter the person's e-mail address")
    elif not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email) or len(email) > 254:
        problem("E-mail", f"{email} is not an e-mail address")
    elif email in taken:
        problem("E-mail", f"{email} already has an account")
    elif email in seen:
        problem("E-mail", f"{email} is also in row {seen[email]}")
    else:
        seen[email] = number
    agency = agencies.get(agency_text.lower())
    if not agency_text:
        problem("Agency", "enter the person's agency")
    elif agency is None:
        problem("Agency", f"{agency_text} is not one of the partnership's agencies")
    role = roles.get(role_text.lower())
    if role is None:
        allowed = " or ".join(Role(r).label for r in ROLES_ALLOWED)
        problem("Role", f"enter {allowed}" if not role_text else f"{role_text} is not {allowed}")
    elif role == Role.STATUTORY_PARTNER_LEAD and agency and not agency.is_statutory_partner:
        problem("Role", f"{agency} is not one of the three statutory safeguarding partners")
    errors.extend(problems)
    if problems:
        return None
    return {
        "row": number,
        "full_name": name,
        "email": email,
        "agency": agency,
        "role": role,
        "role_label": Role(role).label,
    }


def for_session(result: Onboarding) -> list[dict]:
    """The checked people as plain values, kept between the preview and the confirmation."""
    return [{**p, "agency": p["agency"].pk} for p in result.people]


@transaction.atomic
def people_onboard(*, people: list[dict], by) -> list[User]:
    """Create every person in the confirmed file, all or none, and invite each by e-mail (the
    e-mails leave after the accounts are saved). Rows are checked again: the partnership may
    have changed since the preview."""
    from lcspr.accounts.people import _require_manager, invitation_send, person_invite

    _require_manager(by, "add people")
    if not people:
        raise ValidationError("There is nobody to add. Upload the file again.")
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in={p["agency"] for p in people})}
    created = []
    for person in people:
        agency = agencies.get(person["agency"])
        try:
            if agency is None or not agency.is_active:
                raise ValidationError({"agency": "this agency is no longer offered"})
            user = person_invite(
                email=person["email"], full_name=person["full_name"], agency=agency,
                roles=[person["role"]], by=by, send=False,
            )  # fmt: skip
        except ValidationError as error:
            column = {"email": "E-mail", "agency": "Agency", "roles": "Role"}
            parts = [
                f'Row {person["row"]}, column "{column.get(f, capfirst(f))}": {m}'
                for f, messages in getattr(error, "message_dict", {"": error.messages}).items()
                for m in messages
            ]
            raise ValidationError(
                [*parts, "Nobody was added. Correct the file and upload it again."]
            ) from None
        created.append(user)
    for user in created:
        invitation_send(user=user, by=by)
    return created

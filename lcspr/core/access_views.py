"""The access log viewer: who viewed or downloaded which case material, when and from where,
filtered by review, person, dates and kind, and exported as CSV or XLSX. Partnership managers
only; everyone else signed in gets 403. Reading or exporting the log is itself logged.

The log is its own table (`AccessLog`), apart from the change history: reads are not changes."""

import csv
import datetime
import tempfile
from itertools import islice
from urllib.parse import urlencode

from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from lcspr.core.audit import case_root, log_access
from lcspr.core.forms import Form, GovukDateField
from lcspr.core.models import AccessLog
from lcspr.core.permissions import role_required
from lcspr.core.reminders import MANAGER_ROLE
from lcspr.core.text import neutralise

PER_PAGE = 50
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


class AccessLogFilterForm(Form):
    review = forms.CharField(
        label="Review reference",
        required=False,
        max_length=40,
        help_text="For example, CSPR-2026-001",
    )
    user = forms.TypedChoiceField(label="Person", required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label="Kind", required=False)
    date_from = GovukDateField(label="From", required=False, help_text="For example, 1 3 2026")
    date_to = GovukDateField(label="To", required=False, help_text="For example, 31 3 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = get_user_model().objects.order_by("full_name", "pk").values_list("pk", "full_name")
        self.fields["user"].choices = [("", "Everyone")] + list(people)
        self.fields["user"].error_messages["invalid_choice"] = "Select a person from the list"
        self.fields["kind"].choices = [("", "Every kind")] + list(AccessLog.Kind.choices)
        self.fields["kind"].error_messages["invalid_choice"] = "Select a kind from the list"

    def clean_review(self):
        reference = self.cleaned_data["review"].strip()
        self.review_id = None
        if reference:
            root = case_root()
            match = root.model._default_manager.filter(
                **{f"{root.reference_field}__iexact": reference}
            ).first()
            if match is None:
                raise forms.ValidationError(f"No review has the reference {reference}")
            self.review_id = match.pk
        return reference

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The date to must be the same as or after the date from")
        return cleaned


def _filtered(form):
    """The log rows matching a valid form (every row if the form is unbound), newest first."""
    rows = AccessLog.objects.select_related("user__agency").order_by("-at", "-pk")
    if not form.is_bound or not form.is_valid():
        return rows if not form.is_bound else rows.none()
    data = form.cleaned_data
    if form.review_id is not None:
        rows = rows.filter(review_id=form.review_id)
    if data["user"]:
        rows = rows.filter(user_id=data["user"])
    if data["kind"]:
        rows = rows.filter(kind=data["kind"])
    tz = timezone.get_current_timezone()
    if data["date_from"]:
        start = datetime.datetime.combine(data["date_from"], datetime.time.min, tzinfo=tz)
        rows = rows.filter(at__gte=start)
    if data["date_to"]:
        end = datetime.datetime.combine(
            data["date_to"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
        )
        rows = rows.filter(at__lt=end)
    return rows


def _query(request) -> str:
    """The filters of this request as URL parameters, for pagination and export links."""
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def _object_label(object_type: str, object_id: str) -> str:
    if not object_type:
        return ""
    try:
        name = apps.get_model(object_type)._meta.verbose_name
    except (LookupError, ValueError):
        name = object_type
    return f"{str(name).capitalize()} {object_id}".strip()


def _reviews(review_ids) -> dict:
    """{id: (label, url)} for the case roots still held, in one query."""
    root = case_root()
    ids = {pk for pk in review_ids if pk is not None}
    if root is None or not ids:
        return {}
    found = root.model._default_manager.in_bulk(ids)
    return {
        pk: (getattr(obj, root.reference_field), root.label(obj), reverse(root.url_name, args=[pk]))
        for pk, obj in found.items()
    }


def _describe(entry: AccessLog, reviews: dict) -> dict:
    review = reviews.get(entry.review_id)
    return {
        "entry": entry,
        "object": _object_label(entry.object_type, entry.object_id),
        "review_reference": review[0] if review else "",
        "review_label": review[1] if review else "",
        "review_url": review[2] if review else "",
        "review_removed": entry.review_id is not None and review is None,
    }


def filtered_from_request(request):
    form = AccessLogFilterForm(request.GET if _query(request) else None)
    return form, _filtered(form)


@login_required
@role_required(MANAGER_ROLE)
@require_GET
def access_log(request):
    form, rows = filtered_from_request(request)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    reviews = _reviews(entry.review_id for entry in entries)
    log_access(request, what="Viewed the access log")
    query = _query(request)
    return render(
        request,
        "core/access_log.html",
        {
            "form": form,
            "page": page,
            "rows": [_describe(entry, reviews) for entry in entries],
            "query": query,
            "filtered": bool(query),
        },
    )


def _rows_for_export(rows):
    """Each log row as the export's columns, loading EXPORT_BATCH rows at a time."""
    iterator = rows.iterator(chunk_size=EXPORT_BATCH)
    while batch := list(islice(iterator, EXPORT_BATCH)):
        reviews = _reviews(entry.review_id for entry in batch)
        for entry in batch:
            row = _describe(entry, reviews)
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


def _file_name(extension: str) -> str:
    return f"access-log-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
@role_required(MANAGER_ROLE)
@require_GET
def access_log_csv(request):
    form, rows = filtered_from_request(request)
    rows = rows.filter(at__lte=timezone.now())  # the log as it stood when asked for
    log_access(request, what="Exported the access log (CSV)", kind=AccessLog.Kind.EXPORT)
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff"  # a byte order mark, so that Excel reads accents right
        yield writer.writerow(COLUMNS)
        for values in _rows_for_export(rows):
            yield writer.writerow([neutralise(value) for value in values])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name("csv")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@role_required(MANAGER_ROLE)
@require_GET
def access_log_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    form, rows = filtered_from_request(request)
    rows = rows.filter(at__lte=timezone.now())  # the log as it stood when asked for
    log_access(request, what="Exported the access log (XLSX)", kind=AccessLog.Kind.EXPORT)
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
    for values in _rows_for_export(rows):
        sheet.append([cell(value) for value in values])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
    workbook.save(output)
    output.seek(0)
    response = FileResponse(
        output,
        as_attachment=True,
        filename=_file_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "no-store"
    return response

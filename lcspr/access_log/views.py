"""The access log viewer: who viewed or downloaded which case material, when and from where,
filtered by review, person, dates and kind, and exported as CSV or XLSX. Partnership managers
only; everyone else signed in gets 403. Reading or exporting the log is itself logged.

The log is its own table (`AccessLog`), apart from the change history: reads are not changes."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from lcspr.access_log.exports import csv_lines, xlsx_file
from lcspr.access_log.forms import AccessLogFilterForm
from lcspr.access_log.models import AccessLog
from lcspr.access_log.selectors import access_log_filtered, case_roots_by_id, describe
from lcspr.access_log.services import log_access
from lcspr.core.permissions import role_required

# lcspr.accounts.models.Role.PARTNERSHIP_MANAGER, spelled out because the access log sits below
# accounts (accounts logs sign-ins to it); a test checks the role still exists.
MANAGER_ROLE = "partnership_manager"
PER_PAGE = 50


def _query(request) -> str:
    """The filters of this request as URL parameters, for pagination and export links."""
    return urlencode([(k, v) for k, v in request.GET.items() if k != "page" and v])


def filtered_from_request(request):
    form = AccessLogFilterForm(request.GET if _query(request) else None)
    return form, access_log_filtered(form)


@login_required
@role_required(MANAGER_ROLE)
@require_GET
def access_log(request):
    form, rows = filtered_from_request(request)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    entries = list(page.object_list)
    reviews = case_roots_by_id(entry.review_id for entry in entries)
    log_access(request, what="Viewed the access log")
    query = _query(request)
    return render(
        request,
        "access_log/access_log.html",
        {
            "form": form,
            "page": page,
            "rows": [describe(entry, reviews) for entry in entries],
            "query": query,
            "filtered": bool(query),
        },
    )


def _file_name(extension: str) -> str:
    return f"access-log-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
@role_required(MANAGER_ROLE)
@require_GET
def access_log_csv(request):
    form, rows = filtered_from_request(request)
    rows = rows.filter(at__lte=timezone.now())  # the log as it stood when asked for
    log_access(request, what="Exported the access log (CSV)", kind=AccessLog.Kind.EXPORT)
    response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name("csv")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@role_required(MANAGER_ROLE)
@require_GET
def access_log_xlsx(request):
    form, rows = filtered_from_request(request)
    rows = rows.filter(at__lte=timezone.now())  # the log as it stood when asked for
    log_access(request, what="Exported the access log (XLSX)", kind=AccessLog.Kind.EXPORT)
    response = FileResponse(
        xlsx_file(rows),
        as_attachment=True,
        filename=_file_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "no-store"
    return response

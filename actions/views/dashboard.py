"""The sub-group's monitoring dashboard across all reviews and the action-plan
reports: a review's progress report and the partnership-wide Executive report, each as PDF and
XLSX. The dashboard and the Executive report are for those who oversee learning
(actions.permissions.may_see_dashboard); a review's report for those who see its plan."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from actions import reports, selectors
from actions.charts import Bar, Segment, bar_chart
from actions.forms.dashboard import DashboardFilterForm, ExecutiveReportForm
from actions.jobs import EXECUTIVE_REPORT
from actions.models import ActionSettings, Rag, Status
from actions.permissions import actions_for_user, get_review_for_plan, may_see_dashboard
from actions.selectors import UNRATED
from lcspr.access_log.services import log_access
from lcspr.core.jobs.models import Job
from lcspr.core.jobs.selectors import job_get
from lcspr.core.jobs.views import job_file, job_page
from lcspr.core.pdf import pdf_response
from lcspr.core.steps import refuse

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_PARAMS = {
    "actions": "page",
    "overdue": "overdue_page",
    "stale": "stale_page",
    "reviews": "review_page",
}
CHART_ROWS = 20  # a chart shows at most this many bars; its table lists every row
STATUS_SERIES = [Segment(0, s.value.replace("_", "-"), s.label) for s in Status]


def _require_dashboard(user):
    if not may_see_dashboard(user):
        raise PermissionDenied


def _filter_form(request) -> DashboardFilterForm:
    """The filters from the URL (unbound when there are none)."""
    weeks = ActionSettings.load().stale_update_weeks
    bound = DashboardFilterForm.is_filtered(request.GET)
    return DashboardFilterForm(
        request.GET if bound else None,
        stale_weeks=weeks,
        actions=actions_for_user(request.user),
    )


def _status_bars(rows) -> list[Bar]:
    return [
        Bar(
            row["label"],
            [
                Segment(row[s.value], series.series, s.label)
                for s, series in zip(Status, STATUS_SERIES, strict=True)
            ],
        )
        for row in rows
    ]


def _busiest(rows):
    """The CHART_ROWS rows with the most open actions, in their original order."""
    if len(rows) <= CHART_ROWS:
        return rows
    keep = {id(r) for r in sorted(rows, key=lambda r: -r["open"])[:CHART_ROWS]}
    return [r for r in rows if id(r) in keep]


def _charts(dash) -> dict:
    by_review = _busiest(dash.by_review)
    by_agency = _busiest(dash.by_agency)
    by_theme = _busiest(dash.by_theme)
    limited = " (those with the most open actions)"
    return {
        "status": bar_chart(
            "Actions by status",
            [Bar(f.label, [Segment(f.count, "total", "actions")]) for f in dash.by_status],
            describedby="status-table",
        ),
        "rag": bar_chart(
            "Actions by RAG rating",
            [
                Bar(
                    f"{f.label}: {f.meaning}" if f.key != UNRATED else f.label,
                    [Segment(f.count, f.key, "actions")],
                )
                for f in dash.by_rag
            ],
            describedby="rag-table",
        ),
        "agency": bar_chart(
            "Actions by lead agency and status"
            + (limited if len(by_agency) < len(dash.by_agency) else ""),
            _status_bars(by_agency),
            legend=STATUS_SERIES,
            describedby="agency-table",
        ),
        "review": bar_chart(
            "Actions by review and status"
            + (limited if len(by_review) < len(dash.by_review) else ""),
            _status_bars(by_review),
            legend=STATUS_SERIES,
            describedby="review-table",
        ),
        "theme": bar_chart(
            "Actions by learning theme and status"
            + (limited if len(by_theme) < len(dash.by_theme) else ""),
            _status_bars(by_theme),
            legend=STATUS_SERIES,
            describedby="theme-table",
        ),
    }


def _query_without_pages(request) -> str:
    params = request.GET.copy()
    for param in PAGE_PARAMS.values():
        params.pop(param, None)
    return params.urlencode()


def _content(request) -> tuple[str, bool]:
    """The dashboard's content for the request's filters and pages, and whether the filters
    were refused (the page title says so)."""
    form = _filter_form(request)
    dash = selectors.dashboard(
        request.user,
        form.selector_filters(),
        pages={key: request.GET.get(param) for key, param in PAGE_PARAMS.items()},
    )
    content = render_to_string(
        "actions/dashboard_content.html",
        {
            "form": form,
            "dash": dash,
            "charts": _charts(dash),
            "statuses": Status,
            "rags": Rag,
            "filtered": form.is_bound,
            "query": _query_without_pages(request),
        },
        request=request,
    )
    return content, bool(form.errors)


@login_required
@require_GET
def dashboard(request):
    # The content is kept in the cache under a key that holds the data's fingerprint
    # (selectors.dashboard_fingerprint), so a change anywhere it reads makes a new key: every
    # figure is as fresh as the database, and the sub-group's repeated views cost one query.
    _require_dashboard(request.user)
    seconds = settings.ACTIONS_DASHBOARD_CACHE_SECONDS
    if seconds:
        key = selectors.dashboard_cache_key(
            request.user, request.GET.urlencode(), timezone.localdate()
        )
        cached = cache.get(key)
        if cached is None:  # written once: a hit does not send the page back to the cache
            cached = _content(request)
            cache.set(key, cached, seconds)
        content, refused = cached
    else:
        content, refused = _content(request)
    log_access(request, what="Action plan dashboard")
    return render(
        request,
        "actions/dashboard.html",
        {"content": mark_safe(content), "form": {"errors": refused}},  # noqa: S308 - our render
    )


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _review_context(request, pk):
    review = get_review_for_plan(request.user, pk, "view_plan")
    return review, reports.review_report_context(review)


def _review_filename(review, extension):
    return f"action-plan-{slugify(review.reference) or review.pk}.{extension}"


@login_required
@require_GET
def review_report_pdf(request, pk):
    review, context = _review_context(request, pk)
    log_access(request, what="Action plan progress report (PDF)", obj=review, review_id=review.pk)
    return pdf_response(reports.to_pdf(context), _review_filename(review, "pdf"))


@login_required
@require_GET
def review_report_xlsx(request, pk):
    review, context = _review_context(request, pk)
    log_access(request, what="Action plan progress report (XLSX)", obj=review, review_id=review.pk)
    return _xlsx_response(reports.to_xlsx(context), _review_filename(review, "xlsx"))


def _executive_context(request) -> dict:
    _require_dashboard(request.user)
    form = _filter_form(request)
    return reports.executive_report_context(
        request.user, form.selector_filters(), filter_labels=form.describe()
    )


def _executive_filename(context, extension):
    return f"action-plans-executive-report-{context['today']:%Y-%m-%d}.{extension}"


@login_required
@require_GET
def executive_report_pdf(request):
    # A large report takes minutes to render (docs/performance.md): a worker renders it, after
    # the user asks on this page.
    _require_dashboard(request.user)
    form = _filter_form(request)
    count = reports.executive_report_size(request.user, form.selector_filters())
    if count > reports.SYNC_REPORT_LIMIT:
        return render(
            request,
            "actions/report_prepare.html",
            {
                "count": count,
                "filters": form.describe(),
                "query": request.GET.urlencode(),
                "choice": ExecutiveReportForm(initial={"report": reports.FULL})
                if count > reports.SUMMARY_OFFERED_ABOVE
                else None,
                "full": reports.FULL,
            },
        )
    context = _executive_context(request)
    log_access(request, what="Action plans Executive report (PDF)")
    return pdf_response(reports.to_pdf(context), _executive_filename(context, "pdf"))


@login_required
@require_POST
def executive_report_job_new(request):
    _require_dashboard(request.user)
    query = request.POST.get("query", "")
    choice = ExecutiveReportForm(request.POST)
    if not choice.is_valid():
        refuse(request, "Select the full report or a summary")
        return redirect(reverse("actions:executive_report_pdf") + (f"?{query}" if query else ""))
    job = reports.executive_report_request(
        by=request.user, query=query, form=choice.cleaned_data["report"]
    )
    return redirect("actions:executive_report_job", job_pk=job.pk)


def _own_job(request, job_pk) -> Job:
    # A job is its requester's alone: anyone else's does not exist for them.
    _require_dashboard(request.user)
    return job_get(job_pk, kind=EXECUTIVE_REPORT, requested_by=request.user)


@login_required
@require_GET
def executive_report_job(request, job_pk):
    job = _own_job(request, job_pk)
    return job_page(
        request,
        job,
        heading="Executive Partnership report",
        thing="report",
        back_url=reverse("actions:dashboard"),
        back_to="the action plans",
        download_url=reverse("actions:executive_report_job_file", args=[job.pk]),
        download_text="Download the Executive Partnership report (PDF)",
    )


@login_required
@require_GET
def executive_report_job_file(request, job_pk):
    job = _own_job(request, job_pk)
    content = job_file(job)
    log_access(request, what="Action plans Executive report (PDF)")
    filename = f"action-plans-executive-report-{timezone.localtime(job.requested_at):%Y-%m-%d}.pdf"
    return pdf_response(content, filename)


@login_required
@require_GET
def executive_report_xlsx(request):
    context = _executive_context(request)
    log_access(request, what="Action plans Executive report (XLSX)")
    return _xlsx_response(reports.to_xlsx(context), _executive_filename(context, "xlsx"))


urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("report.pdf", executive_report_pdf, name="executive_report_pdf"),
    path("report.xlsx", executive_report_xlsx, name="executive_report_xlsx"),
    path("report/jobs/", executive_report_job_new, name="executive_report_job_new"),
    path("report/jobs/<int:job_pk>/", executive_report_job, name="executive_report_job"),
    path(
        "report/jobs/<int:job_pk>/file", executive_report_job_file, name="executive_report_job_file"
    ),
    path("reviews/<int:pk>/report.pdf", review_report_pdf, name="review_report_pdf"),
    path("reviews/<int:pk>/report.xlsx", review_report_xlsx, name="review_report_xlsx"),
]

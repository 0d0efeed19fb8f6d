"""The partnership's yearly report on reviews (issue 22 §2): one page for a chosen 12 months,
and its PDF and XLSX downloads. For those who run and oversee the reviews
(reviews.permissions.may_see_yearly_report); its figures count only the reviews each reader sees.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from lcspr.access_log.services import log_access
from lcspr.core.charts import Bar, Segment, bar_chart
from lcspr.core.pdf import pdf_response
from reviews.permissions import may_see_yearly_report
from reviews.yearly import exports, selectors
from reviews.yearly.forms import PeriodForm, initial_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TIMELINESS_SERIES = [
    Segment(0, "green", "On time"),
    Segment(0, "red", "Late"),
    Segment(0, "amber", "Not met and overdue"),
    Segment(0, "unrated", "Not yet due"),
]


def _period(request):
    """The period form and the period it chooses (the last complete financial year when none
    was chosen), or None when the choice is not valid."""
    if not may_see_yearly_report(request.user):
        raise PermissionDenied
    default = selectors.Period.last_financial_year(timezone.localdate())
    if not PeriodForm.is_chosen(request.GET):
        return PeriodForm(initial=initial_for(default)), default
    form = PeriodForm(request.GET)
    return form, (form.period(default) if form.is_valid() else None)


def _charts(report) -> dict:
    return {
        "decisions": bar_chart(
            "Decisions by outcome",
            [
                Bar(label, [Segment(count, "total", "decisions")])
                for _k, label, count in report["decisions"]
            ],
            describedby="decisions-table",
            empty="No decisions",
        ),
        "timeliness": bar_chart(
            "Timeliness of each statutory step",
            [
                Bar(
                    step.label,
                    [
                        Segment(value, series.series, series.name)
                        for value, series in zip(
                            (step.on_time, step.late, step.overdue, step.open),
                            TIMELINESS_SERIES,
                            strict=True,
                        )
                    ],
                )
                for step in report["timeliness"]
            ],
            legend=TIMELINESS_SERIES,
            describedby="timeliness-table",
        ),
        "themes": bar_chart(
            "Learning themes across reviews",
            [
                Bar(
                    name,
                    [
                        Segment(primary, "in-progress", "Primary theme"),
                        Segment(other, "complete", "Other theme"),
                    ],
                )
                for name, primary, other in report["themes"]
            ],
            legend=[
                Segment(0, "in-progress", "Primary theme"),
                Segment(0, "complete", "Other theme"),
            ],
            describedby="themes-table",
            empty="No learning themes recorded",
        ),
        "actions": [
            bar_chart(
                "Actions by status today",
                [
                    Bar(label, [Segment(count, key.replace("_", "-"), "actions")])
                    for key, label, count in part.by_status
                ],
                describedby="actions-table",
            )
            for part in report["actions"]
        ],
    }


@login_required
@require_GET
def yearly_report(request):
    form, period = _period(request)
    context = {"form": form, "report": None}
    if period is not None:
        report = selectors.yearly_report(request.user, period)
        charts = _charts(report)
        context |= {
            "report": report,
            "charts": charts,
            "action_parts": list(zip(report["actions"], charts.pop("actions"), strict=True)),
            "query": f"month={period.start.month}&year={period.start.year}",
        }
        log_access(request, what=f"Yearly report on reviews ({period.label})")
    return render(request, "reviews/yearly/yearly_report.html", context)


def _download(request, extension):
    form, period = _period(request)
    if period is None:
        # The page says what is wrong with the choice, beside the fields.
        return None, redirect(f"{reverse('reviews:yearly_report')}?{request.GET.urlencode()}")
    report = selectors.yearly_report(request.user, period)
    log_access(request, what=f"Yearly report on reviews ({period.label}, {extension.upper()})")
    filename = f"yearly-report-on-reviews-{period.start:%Y-%m}.{extension}"
    return (report, filename), None


@login_required
@require_GET
def yearly_report_pdf(request):
    ready, refused = _download(request, "pdf")
    if refused:
        return refused
    report, filename = ready
    return pdf_response(exports.to_pdf(report), filename)


@login_required
@require_GET
def yearly_report_xlsx(request):
    ready, refused = _download(request, "xlsx")
    if refused:
        return refused
    report, filename = ready
    response = HttpResponse(exports.to_xlsx(report), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("yearly-report/", yearly_report, name="yearly_report"),
    path("yearly-report/report.pdf", yearly_report_pdf, name="yearly_report_pdf"),
    path("yearly-report/report.xlsx", yearly_report_xlsx, name="yearly_report_xlsx"),
]

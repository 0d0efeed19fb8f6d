"""Background jobs of action plans (lcspr.core.jobs): the Executive Partnership report PDF when
it is too large to render in the request (actions.reports.SYNC_REPORT_LIMIT)."""

from django.core.files.base import ContentFile

from actions import reports
from actions.permissions import may_see_dashboard
from lcspr.core.jobs.registry import register_job

EXECUTIVE_REPORT = "actions.executive_report"


def executive_report(job, progress) -> ContentFile:
    """The report over the dashboard filters the job was asked with. It covers what its
    requester may see when it runs. Its steps: gather the actions, lay out the pages, store."""
    if not may_see_dashboard(job.requested_by):
        raise PermissionError("The person who asked may no longer see the action plans.")
    progress(0, 3)
    context = reports.executive_report_for_query(job.requested_by, job.parameters.get("query", ""))
    progress(1, 3)
    pdf = reports.to_pdf(context)
    progress(2, 3)
    return ContentFile(pdf, name=f"executive-report-{job.pk}.pdf")


register_job(EXECUTIVE_REPORT, executive_report)

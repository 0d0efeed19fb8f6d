"""Background jobs of action plans (lcspr.core.jobs): the Executive Partnership report PDF when
it is too large to render in the request (actions.reports.SYNC_REPORT_LIMIT)."""

from django.core.files.base import ContentFile

from actions import reports
from actions.permissions import may_see_dashboard
from lcspr.core.jobs.registry import register_job

EXECUTIVE_REPORT = "actions.executive_report"


def executive_report(job, progress) -> ContentFile:
    """The report over the dashboard filters the job was asked with, in the form asked for (in
    full unless a summary). It covers what its requester may see when it runs; its progress
    follows the parts of the PDF laid out (actions.reports.executive_report_pdf)."""
    if not may_see_dashboard(job.requested_by):
        raise PermissionError("The person who asked may no longer see the action plans.")
    form = job.parameters.get("form", reports.FULL)
    pdf = reports.executive_report_pdf(
        job.requested_by, job.parameters.get("query", ""), form=form, progress=progress
    )
    name = "executive-report-summary" if form == reports.SUMMARY else "executive-report"
    return ContentFile(pdf, name=f"{name}-{job.pk}.pdf")


register_job(EXECUTIVE_REPORT, executive_report)

"""Background work for action plans: the Executive Partnership report PDF when it is too large
to render in the request (actions.reports.SYNC_REPORT_LIMIT), with its progress on the
ReportJob the user watches."""

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from actions import reports
from actions.models import ReportJob
from actions.permissions import may_see_dashboard


def _progress(job: ReportJob, percent: int, **fields) -> None:
    ReportJob.objects.filter(pk=job.pk).update(progress=percent, **fields)


@shared_task
def render_executive_report(job_id: int) -> None:
    """Render one job's PDF; a job already done is left alone, so running it twice is safe. The
    report covers what its requester may see when it runs."""
    job = ReportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status == ReportJob.Status.DONE:
        return
    _progress(job, 10, status=ReportJob.Status.RUNNING)
    try:
        if not may_see_dashboard(job.requested_by):
            raise PermissionError("The person who asked may no longer see the action plans.")
        context = reports.executive_report_for_query(job.requested_by, job.query)
        _progress(job, 30)
        pdf = reports.to_pdf(context)
        _progress(job, 90)
        name = default_storage.save(
            f"reports/{timezone.now():%Y}/executive-report-{job.pk}.pdf", ContentFile(pdf)
        )
    except Exception as error:
        _progress(job, 0, status=ReportJob.Status.FAILED, error=str(error)[:500])
        raise
    _progress(
        job, 100, status=ReportJob.Status.DONE, file=name, error="", finished_at=timezone.now()
    )

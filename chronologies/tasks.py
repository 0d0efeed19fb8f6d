"""Background work for chronologies: the merged chronology as a PDF, which can run to hundreds
of pages, rendered by a worker with its progress on the ExportJob the user watches."""

import datetime

from celery import shared_task
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from chronologies import selectors
from chronologies.models import ExportJob
from lcspr.core.pdf import render_pdf

CHUNK = 500  # entries per progress step


def filters_from_job(filters: dict) -> dict:
    """The selector's keyword arguments from the filters stored (as JSON) on a job."""

    def date(value):
        return datetime.date.fromisoformat(value) if value else None

    return {
        "agency_ids": [int(a) for a in filters.get("agency_ids") or []] or None,
        "date_from": date(filters.get("date_from")),
        "date_to": date(filters.get("date_to")),
        "kloe": filters.get("kloe") or None,
        "theme": filters.get("theme") or None,
    }


def _progress(job: ExportJob, percent: int, **fields) -> None:
    ExportJob.objects.filter(pk=job.pk).update(progress=percent, **fields)


@shared_task
def render_merged_pdf(job_id: int) -> None:
    """Render one job's PDF; a job already done is left alone, so running it twice is safe."""
    job = ExportJob.objects.select_related("review").filter(pk=job_id).first()
    if job is None or job.status == ExportJob.Status.DONE:
        return
    _progress(job, 10, status=ExportJob.Status.RUNNING)
    try:
        merged = selectors.merged_entries(job.review, **filters_from_job(job.filters))
        rows = []
        total = max(len(merged.entries), 1)
        for start in range(0, len(merged.entries), CHUNK):
            rows.extend(merged.entries[start : start + CHUNK])
            _progress(job, 10 + int(70 * min(start + CHUNK, total) / total))
        pdf = render_pdf(
            "pdf/merged_chronology.html",
            {"review": job.review, "entries": rows, "gaps": merged.gaps, "filters": job.filters},
            title=f"Merged chronology: {job.review.reference}",
            landscape=True,
        )
        _progress(job, 90)
        name = default_storage.save(
            f"exports/{timezone.now():%Y}/merged-chronology-{job.review.pk}-{job.pk}.pdf",
            ContentFile(pdf),
        )
    except Exception as error:
        _progress(job, 0, status=ExportJob.Status.FAILED, error=str(error)[:500])
        raise
    _progress(
        job, 100, status=ExportJob.Status.DONE, file=name, error="", finished_at=timezone.now()
    )

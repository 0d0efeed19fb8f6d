"""Background jobs of chronologies (lcspr.core.jobs): the merged chronology as a PDF, which can
run to hundreds of pages, rendered by a worker while the user watches its progress."""

import datetime

from django.core.files.base import ContentFile

from chronologies import selectors
from lcspr.core.jobs.registry import register_job
from lcspr.core.pdf import render_pdf_in_parts

MERGED_PDF = "chronologies.merged_pdf"
# Entries laid out at a time: small enough for the progress to move every few seconds, large
# enough that starting each part (styles, fonts) costs little.
PART_SIZE = 200


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


def merged_pdf(job, progress) -> ContentFile:
    """The PDF of the merged chronology of the job's review, with the filters it was asked with.
    Its steps: select the entries, lay out each part of PART_SIZE entries (most of the time),
    write and number the pages; the job's progress moves on after each."""
    review = job.about
    progress(0, 1)
    merged = selectors.merged_entries(review, **filters_from_job(job.parameters))
    pdf = render_pdf_in_parts(
        "pdf/merged_chronology.html",
        {
            "review": review,
            "entries": merged.entries,
            "total": len(merged.entries),
            "duplicates": sum(1 for e in merged.entries if e.possible_duplicate),
            "gaps": merged.gaps,
            "filters": job.parameters,
        },
        rows_key="entries",
        part_size=PART_SIZE,
        title=f"Merged chronology: {review.reference}",
        landscape=True,
        # One step for the selection done above, then the parts'.
        progress=lambda done, total: progress(done + 1, total + 1),
    )
    return ContentFile(pdf, name=f"merged-chronology-{review.pk}-{job.pk}.pdf")


register_job(MERGED_PDF, merged_pdf)

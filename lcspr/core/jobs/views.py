"""The one progress page of a background job and its download, for the apps' own views: each
app finds the job through its own access helper (so its URLs answer 404 and 403 as its other
pages do) and hands it here."""

from django.http import Http404
from django.shortcuts import render

from lcspr.core.jobs.models import Job

REFRESH_SECONDS = "3"


def job_page(
    request,
    job: Job,
    *,
    heading: str,
    thing: str,
    back_url: str,
    back_to: str,
    download_url: str,
    download_text: str,
    page_title: str = "",
    caption: str = "",
):
    """The job's progress page: `heading` (and `page_title` when the browser tab says more),
    "Your `thing` is ready" with the download link once done, and the way back to `back_to`
    (e.g. "the action plans") at `back_url`. `caption` (text or safe HTML) goes above the
    heading. While the job waits or runs, the page reloads itself (a Refresh header, no
    JavaScript needed)."""
    response = render(
        request,
        "core/job.html",
        {
            "job": job,
            "heading": heading,
            "page_title": page_title or heading,
            "caption": caption,
            "thing": thing,
            "back_url": back_url,
            "back_to": back_to,
            "download_url": download_url,
            "download_text": download_text,
        },
    )
    if job.is_active:
        response["Refresh"] = REFRESH_SECONDS
    return response


def job_file(job: Job) -> bytes:
    """The content of a finished job's file; 404 while it is not done or once the file is gone."""
    if job.status != Job.Status.DONE or not job.file or not job.file.storage.exists(job.file.name):
        raise Http404("The file is no longer available.")
    with job.file.storage.open(job.file.name, "rb") as file:
        return file.read()

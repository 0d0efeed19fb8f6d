"""Reads of background jobs, for the apps' views."""

from django.db import models
from django.shortcuts import get_object_or_404

from lcspr.core.jobs.models import Job


def job_get(pk: int, *, kind: str, about: models.Model | None = None, requested_by=None) -> Job:
    """The job `pk` of `kind`, only if it is about `about` and asked for by `requested_by`
    (when given); 404 otherwise, so that a job outside what the caller may see does not exist
    for them."""
    jobs = Job.objects.about(about) if about is not None else Job.objects.all()
    if requested_by is not None:
        jobs = jobs.filter(requested_by=requested_by)
    return get_object_or_404(jobs, pk=pk, kind=kind)

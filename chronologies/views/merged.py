"""The merged multi-agency chronology of a review: the page with its timeline picture and
filters, an entry with the panel's comments, and the exports (CSV, XLSX, and a PDF rendered in
the background). Only the panel, the review's author and the partnership manager reach these
pages (chronologies.permissions.get_review_for_chronology)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chronologies import exports, selectors, services, timeline_svg
from chronologies.forms.merged import CommentForm, MergedFilterForm, TimelineZoomForm
from chronologies.jobs import MERGED_PDF
from chronologies.permissions import get_review_for_chronology
from lcspr.access_log.services import log_access
from lcspr.accounts.reauth import recent_authentication_required
from lcspr.core.exceptions import WorkflowError
from lcspr.core.forms import apply_workflow_error
from lcspr.core.jobs.selectors import job_get
from lcspr.core.jobs.views import job_file, job_page
from lcspr.core.pdf import pdf_response
from reviews.templatetags.reviews import stage_tag

PER_PAGE = 100
FILTER_KEYS = ("agency", "date_from_0", "date_from_1", "date_from_2", "date_to_0", "date_to_1")
FILTER_KEYS += ("date_to_2", "kloe", "theme")


def _filtered(request, review, select=selectors.merged_entries):
    """The filter form (bound when the URL has filters) and the merged chronology it selects
    (`select`: merged_entries, or merged_overview for the page)."""
    requests = selectors.accepted_requests(review)
    bound = any(key in request.GET for key in FILTER_KEYS)
    form = MergedFilterForm(
        request.GET if bound else None,
        agencies=[r.agency for r in requests],
        kloes=requests[0].kloes if requests else [],
    )
    chronology = select(review, requests=requests, **form.selector_filters())
    return form, chronology


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _filename(review, extension: str) -> str:
    return f"merged-chronology-{slugify(review.reference) or review.pk}.{extension}"


def _timeline(chronology, key_events, zoom_from, zoom_to):
    """The timeline picture of the chronology's entries (in the zoomed period, if any) and its
    text alternative: the counts per week or month and agency."""
    entries = [
        e
        for e in chronology.entries
        if (zoom_from is None or e.date >= zoom_from) and (zoom_to is None or e.date <= zoom_to)
    ]
    dates = [e.date for e in chronology.entries]
    start = zoom_from or min(dates, default=None)
    end = zoom_to or max(dates, default=None)
    if start and end and end < start:  # a zoom on one side beyond the entries' other end
        start, end = (zoom_from, zoom_from) if zoom_from else (zoom_to, zoom_to)
    gaps = [
        (max(gap_start, start), min(gap_end, end), days)
        for gap_start, gap_end, days in chronology.gaps
        if start and end and gap_end >= start and gap_start <= end
    ]
    picture = timeline_svg.render(
        entries,
        chronology.agencies,
        start,
        end,
        gaps=gaps,
        key_events=key_events,
        describedby="timeline-caption",
    )
    counts = timeline_svg.period_counts(entries, chronology.agencies, start, end)
    counts["clustered"] = len(entries) > timeline_svg.DOTS_UP_TO
    return picture, counts


def _timeline_html(review, chronology, period) -> str:
    """The timeline picture and its table, rendered once per version of the accepted entries,
    filter and zoom (their cost grows with the entries; the page's does not): kept with the
    overview, under what else they show (the key dates, the agencies' names)."""
    key_events = selectors.key_events(review, date_of_birth=chronology.date_of_birth)
    key = ("timeline", period, tuple(key_events), tuple(a.name for a in chronology.agencies))

    def build():
        timeline, counts = _timeline(chronology, key_events, *period)
        context = {"timeline": timeline, "timeline_counts": counts, "key_events": key_events}
        return render_to_string(
            "chronologies/_merged_timeline.html", {"chronology": chronology, **context}
        )

    return selectors.overview_kept(chronology, key, build)


def _entries_html(review, chronology, page) -> str:
    """One page of the entries' table, rendered once per version of the accepted entries,
    filter and page, and version of the comments and the child's date of birth (the overview's
    page_version); the entries are loaded only then."""
    names = tuple(a.name for a in chronology.agencies)
    key = ("entries", page.number, chronology.page_version, names)

    def build():
        page.object_list = selectors.merged_page_entries(review, page.object_list)
        return render_to_string(
            "chronologies/_merged_entries.html", {"review": review, "page": page}
        )

    return selectors.overview_kept(chronology, key, build)


@login_required
@require_GET
def merged(request, pk):
    review = get_review_for_chronology(request.user, pk, "view_merged")
    form, chronology = _filtered(request, review, selectors.merged_overview)
    page = Paginator(chronology.entries, PER_PAGE).get_page(request.GET.get("page"))
    # Only the page's entries are loaded; the rows carry what the timeline needs.
    zoomed = any(key.startswith("zoom-") for key in request.GET)
    zoom = TimelineZoomForm(request.GET if zoomed else None)
    log_access(request, what="Merged chronology", obj=review, review_id=review.pk)
    return render(
        request,
        "chronologies/merged_detail.html",
        {
            "review": review,
            "form": form,
            "chronology": chronology,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "ellipsis": Paginator.ELLIPSIS,
            "timeline_html": _timeline_html(review, chronology, zoom.period()),
            "entries_html": _entries_html(review, chronology, page),
            "zoom": zoom,
            # The chronology's filters, kept when the timeline is zoomed.
            "kept_filters": [(k, v) for k in FILTER_KEYS for v in request.GET.getlist(k)],
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_detail(request, pk, entry_pk):
    action = "comment_entries" if request.method == "POST" else "view_merged"
    review = get_review_for_chronology(request.user, pk, action)
    entry = selectors.accepted_entry_or_404(review, entry_pk)
    form = CommentForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.reviewer_comment_add(
                entry=entry, by=request.user, text=form.cleaned_data["text"]
            )
        except WorkflowError as error:
            apply_workflow_error(form, error)
        else:
            messages.success(request, "Your comment has been added")
            return redirect("chronologies:merged_entry", pk=review.pk, entry_pk=entry.pk)
    log_access(request, what="Merged chronology entry", obj=entry, review_id=review.pk)
    comments = entry.reviewer_comments.select_related("author")
    return render(
        request,
        "chronologies/merged_entry.html",
        {"review": review, "entry": entry, "comments": comments, "form": form},
    )


@login_required
@require_GET
@recent_authentication_required
def export_csv(request, pk):
    review = get_review_for_chronology(request.user, pk, "view_merged")
    _form, chronology = _filtered(request, review)
    log_access(request, what="Merged chronology CSV export", obj=review, review_id=review.pk)
    return _attachment(
        exports.to_csv(chronology.entries), "text/csv; charset=utf-8", _filename(review, "csv")
    )


@login_required
@require_GET
@recent_authentication_required
def export_xlsx(request, pk):
    review = get_review_for_chronology(request.user, pk, "view_merged")
    _form, chronology = _filtered(request, review)
    log_access(request, what="Merged chronology XLSX export", obj=review, review_id=review.pk)
    return _attachment(
        exports.to_xlsx(chronology.entries, gaps=chronology.gaps),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _filename(review, "xlsx"),
    )


@login_required
@require_POST
@recent_authentication_required
def export_pdf(request, pk):
    review = get_review_for_chronology(request.user, pk, "view_merged")
    form, _chronology = _filtered(request, review)
    job = exports.pdf_export_request(
        review=review, by=request.user, filters=form.selector_filters()
    )
    return redirect("chronologies:export_job", pk=review.pk, job_pk=job.pk)


def _export_job(request, pk, job_pk):
    # An export is its requester's alone: the review's other readers do not know it exists.
    review = get_review_for_chronology(request.user, pk, "view_merged")
    return review, job_get(job_pk, kind=MERGED_PDF, about=review, requested_by=request.user)


@login_required
@require_GET
@recent_authentication_required
def export_job(request, pk, job_pk):
    review, job = _export_job(request, pk, job_pk)
    return job_page(
        request,
        job,
        heading="PDF of the merged chronology",
        page_title=f"PDF of the merged chronology – {review.reference}",
        caption=format_html("{} · {} · {}", review.reference, review.pseudonym, stage_tag(review)),
        thing="PDF",
        back_url=reverse("chronologies:merged", args=[review.pk]),
        back_to="the merged chronology",
        download_url=reverse("chronologies:export_job_file", args=[review.pk, job.pk]),
        download_text="Download the merged chronology (PDF)",
    )


@login_required
@require_GET
@recent_authentication_required
def export_job_file(request, pk, job_pk):
    review, job = _export_job(request, pk, job_pk)
    content = job_file(job)
    log_access(request, what="Merged chronology PDF export", obj=review, review_id=review.pk)
    return pdf_response(content, _filename(review, "pdf"))


urlpatterns = [
    path("reviews/<int:pk>/merged/", merged, name="merged"),
    path("reviews/<int:pk>/merged/entries/<int:entry_pk>/", entry_detail, name="merged_entry"),
    path("reviews/<int:pk>/merged.csv", export_csv, name="merged_csv"),
    path("reviews/<int:pk>/merged.xlsx", export_xlsx, name="merged_xlsx"),
    path("reviews/<int:pk>/merged.pdf", export_pdf, name="merged_pdf"),
    path("reviews/<int:pk>/exports/<int:job_pk>/", export_job, name="export_job"),
    path("reviews/<int:pk>/exports/<int:job_pk>/file", export_job_file, name="export_job_file"),
]

"""The case pages: the reviews list, a review's page and its timeline."""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from lcspr.access_log.services import log_access
from lcspr.accounts.models import Role
from lcspr.core import page_cache
from reviews import changes, selectors, tasklist
from reviews.forms import ReviewFilterForm
from reviews.models import Stage
from reviews.permissions import get_review_for, may_browse_reviews
from reviews.referral.views import criteria_not_met_reasons

TIMELINE_PAGE_SIZE = 50


REVIEWS_PER_PAGE = 50


@login_required
@require_GET
def review_list(request):
    if not may_browse_reviews(request.user):
        raise PermissionDenied
    form = ReviewFilterForm(request.GET)
    stage, overdue, report = "", False, None
    if form.is_valid():
        stage, overdue = form.cleaned_data["stage"], form.cleaned_data["overdue"]
        report = form.cleaned_data["report"]
    reviews = selectors.review_list_queryset(
        request.user, stage=stage, overdue=overdue, report_status=report
    )
    page = Paginator(reviews, REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_countdowns(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/review_list.html",
        {
            "filters": form,
            "page": page,
            "reviews": page.object_list,
            "query": query.urlencode(),
            "filtered": bool(stage or overdue or report is not None),
            "may_open": request.user.has_role(Role.PARTNERSHIP_MANAGER),
        },
    )


def _content(request, pk, today):
    """The review and its page's content, kept in the page cache per person, review and day
    (lcspr.core.page_cache): when it is kept, the review is loaded plainly (the access check)
    and no section is built."""
    key = page_cache.key("review-page", request.user.pk, pk, today)
    if page_cache.enabled():
        content, generation = page_cache.lookup(key)
        if content is not None:
            return get_review_for(request.user, pk, "view"), content
    loading = functools.partial(selectors.for_review_page, today=today)
    page = selectors.review_page(get_review_for(request.user, pk, "view", loading=loading))
    review = page["review"]
    content = render_to_string(
        "reviews/review_detail_content.html",
        {
            **page,
            "request": request,  # for {% can %}: no context processor, nothing per request
            "user": request.user,
            "sections": tasklist.build(request.user, page),
            "criteria_not_met": criteria_not_met_reasons(review)
            if review.stage == Stage.REFERRAL
            and review.criteria_checked
            and not review.criteria_met
            else "",
        },
    )
    if page_cache.enabled():
        page_cache.keep(key, generation, content)
    return review, content


@login_required
@require_GET
def review_detail(request, pk):
    review, content = _content(request, pk, timezone.localdate())
    log_access(request, what="Review page", obj=review, review_id=review.pk)
    return render(
        request,
        "reviews/review_detail.html",
        {"review": review, "content": mark_safe(content)},  # noqa: S308 - our own render
    )


@login_required
@require_GET
def review_timeline(request, pk):
    review = get_review_for(request.user, pk, "view")
    paginator = Paginator(selectors.timeline_events(review), TIMELINE_PAGE_SIZE)
    events = paginator.get_page(request.GET.get("page"))
    events.object_list = list(events.object_list)
    links = changes.change_links(request.user, review, events.object_list)
    for event in events.object_list:
        event.change_link = links.get(event.pk)
    log_access(request, what="Review timeline", obj=review, review_id=review.pk)
    return render(
        request,
        "reviews/review_timeline.html",
        {
            "review": review,
            "events": events,
            "page_range": paginator.get_elided_page_range(events.number, on_each_side=1, on_ends=1),
            "ellipsis": Paginator.ELLIPSIS,
        },
    )


urlpatterns = [
    path("", review_list, name="list"),
    path("<int:pk>/", review_detail, name="detail"),
    path("<int:pk>/timeline/", review_timeline, name="timeline"),
]

from django.conf import settings

from lcspr.access_log.case_root import review_id_of
from lcspr.access_log.services import RequestReads, access_log_write, kind_of, reads_of

# A form sent back with its errors shows the page again, case material included.
FORM_RERENDER_STATUSES = {200, 400, 409, 422}


def _shows_a_page(request, response) -> bool:
    """Whether `response` shows the user what the page holds: a successful GET or HEAD, or a
    page answered to a POST (a form re-rendered after an error); not a redirect or refusal."""
    if request.method in ("GET", "HEAD"):
        return 200 <= response.status_code < 300
    if response.status_code not in FORM_RERENDER_STATUSES:
        return False
    return response.get("Content-Type", "").startswith("text/html")


class AccessLogMiddleware:
    """One access-log row for each request that read case material: every request whose view
    called `log_access`, and every successful GET or HEAD of a page in the case-material URL
    namespaces (settings.ACCESS_LOG_NAMESPACES) that did not (and every page such a URL sends
    back to a POST: a form shown again with its errors shows the case material again), except
    the pages listed in settings.ACCESS_LOG_EXCLUDED (settings pages that hold no case
    material). For those, `what` is the page's URL name and the object and review are the last
    object the access helpers loaded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with reads_of(request) as reads:
            response = self.get_response(request)
        self._record(request, response, reads)
        return response

    def _record(self, request, response, reads: RequestReads) -> None:
        loaded = reads.loaded[-1] if reads.loaded else None
        review_id = next(
            (rid for rid in (review_id_of(obj) for obj in reads.loaded) if rid is not None),
            None,
        )
        if reads.explicit is not None:
            explicit = reads.explicit
            obj = explicit["obj"]
            rid = explicit["review_id"]
            if rid is None:
                rid = review_id_of(obj) if obj is not None else review_id
            access_log_write(
                request,
                what=explicit["what"],
                obj=obj,
                review_id=rid,
                kind=explicit["kind"] or kind_of(explicit["what"], response),
            )
            return
        if not _shows_a_page(request, response):
            return
        match = getattr(request, "resolver_match", None)
        if match is None or not match.namespaces:
            return
        if match.namespaces[0] not in settings.ACCESS_LOG_NAMESPACES:
            return
        if match.view_name in settings.ACCESS_LOG_EXCLUDED:
            return
        what = match.view_name
        access_log_write(
            request, what=what, obj=loaded, review_id=review_id, kind=kind_of(what, response)
        )

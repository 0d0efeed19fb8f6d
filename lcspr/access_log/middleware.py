from django.conf import settings

from lcspr.access_log.case_root import review_id_of
from lcspr.access_log.services import RequestReads, access_log_write, kind_of, reads_of


class AccessLogMiddleware:
    """One access-log row for each request that read case material: every request whose view
    called `log_access`, and every successful GET or HEAD of a page in the case-material URL
    namespaces (settings.ACCESS_LOG_NAMESPACES) that did not, except the pages listed in
    settings.ACCESS_LOG_EXCLUDED (settings pages that hold no case material). For those, `what`
    is the page's URL name and the object and review are the last object the access helpers
    loaded."""

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
        if request.method not in ("GET", "HEAD") or not 200 <= response.status_code < 300:
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

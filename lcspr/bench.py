"""What the benchmark (bench/run.py, `make bench`) needs from the app, mounted by lcspr/urls.py and
lcspr/settings.py only when the BENCHMARK setting is on, so none of it is part of the product's
URL surface:

- a bare signed-in page whose view runs exactly one query (the header's unread-notification
  count), the yardstick every key page's latency is divided by, so that figures compare across
  machines;
- a middleware that counts every query a request runs (middleware, session and view) and says
  so in an `X-Query-Count` response header.
"""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from lcspr.notifications.selectors import unread_notifications_for_user


@login_required
@require_GET
def bare(request):
    unread = unread_notifications_for_user(request.user).count()
    return HttpResponse(
        f"<!doctype html><title>Bare</title><p>{unread}</p>", content_type="text/html"
    )


class QueryCountMiddleware:
    """Counts the queries of each request into the X-Query-Count header (first in MIDDLEWARE,
    so the session and authentication queries count too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
            # A session saved on every request is written in process_response, counted above.
        response["X-Query-Count"] = str(count)
        return response

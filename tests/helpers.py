"""Shared test helpers."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def query_count(client, url: str) -> int:
    """The number of queries one GET of `url` runs (the response must be a success)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"GET {url} returned {response.status_code}"
    return len(queries)


def assert_constant_queries(client, url: str, grow) -> tuple[int, int]:
    """Assert a page runs the same number of queries before and after `grow()` adds data.

    Call it with a small data set already in place; `grow` should add many more rows of the
    kind the page lists (e.g. ten times as many)."""
    query_count(client, url)  # warm caches (content types, sessions) so both counts compare
    before = query_count(client, url)
    grow()
    # Warm again: a page may keep work derived from what it shows (the merged chronology's
    # overview) until that changes; the first view after a change does that work once.
    query_count(client, url)
    after = query_count(client, url)
    assert before == after, (
        f"{url} ran {before} queries before and {after} after the data grew: "
        "the page does a query per row somewhere"
    )
    return before, after

"""Rendered parts of pages kept in the cache (the review page's task list, the home page's
"Waiting for you"), so that a part is rendered once per version of the data and is fresh in
every worker the moment anything changes.

Freshness: one **data generation** is kept in the cache. Every change of recorded data writes
history (every service does, and the bulk helpers), and object permissions change only through
`lcspr.core.permissions.grant`/`revoke`; each of those calls `changed()`, which gives the data a
new generation as soon as its transaction commits. A part is kept with the generation it was
rendered in, and used only while that is still the generation: reading both is one round trip
to the cache. (A fingerprint of the data read in the database, as the actions dashboard does,
was measured first: the newest history id of every tracked table is one query over 60 tables,
which cost 48 ms on a new connection, four times the bare page.)

A part's key holds who asks, which object and today's date (for the countdowns). Never keep
anything that holds a CSRF or form token or a flash message.

Only with a cache every worker shares (Redis): PAGE_CACHE_SECONDS is 0, off, without REDIS_URL
and in tests (except the tests of the cache itself)."""

import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

GENERATION = "page:generation"


def enabled() -> bool:
    return bool(settings.PAGE_CACHE_SECONDS)


def _new_generation() -> None:
    cache.set(GENERATION, uuid.uuid4().hex, None)


def changed() -> None:
    """Say that recorded data changed: once the transaction commits (at once outside one),
    every kept part is stale in every worker. Once per transaction."""
    if connection.in_atomic_block:
        # Django keeps (savepoint ids, callback, robust) for each callback of the transaction.
        here = set(connection.savepoint_ids)
        pending = getattr(connection, "run_on_commit", ())
        if any(entry[1] is _new_generation and entry[0] == here for entry in pending):
            return
    transaction.on_commit(_new_generation)


def on_history_written(**_kwargs) -> None:
    """simple-history's post_create_historical_record receiver (lcspr.core.apps)."""
    changed()


def key(part: str, *facts) -> str:
    """The cache key of `part` for `facts` (who asks, which object, today's date)."""
    return f"page:{part}:" + ":".join(str(fact) for fact in facts)


def lookup(key: str) -> tuple[str | None, str]:
    """(the part kept under `key` in the current generation or None, the generation): read
    before rendering, so that a change committed meanwhile makes what is kept stale."""
    found = cache.get_many([GENERATION, key])
    generation, content = found.get(GENERATION), found.get(key)
    if generation is None:
        cache.add(GENERATION, uuid.uuid4().hex, None)
        return None, cache.get(GENERATION)
    if content is not None and content[0] == generation:
        return content[1], generation
    return None, generation


def keep(key: str, generation: str, html: str) -> None:
    """Keep `html`, rendered from the data of `generation`, under `key`."""
    cache.set(key, (generation, html), settings.PAGE_CACHE_SECONDS)


def kept(key: str, render: Callable[[], str]) -> str:
    """The part kept under `key` in the current generation, or `render()`, kept now."""
    if not enabled():
        return render()
    html, generation = lookup(key)
    if html is None:
        html = render()
        keep(key, generation, html)
    return html

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

The generation belongs to the deployment (`build()`, a digest of the code and templates): a
release that changes how a part is made uses nothing its predecessor kept.

A part's key holds who asks, which object and today's date (for the countdowns). Never keep
anything that holds a CSRF or form token or a flash message.

Only with a cache every worker shares (Redis): PAGE_CACHE_SECONDS is 0, off, without REDIS_URL
and in tests (except the tests of the cache itself)."""

import functools
import hashlib
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

# The packages whose code and templates make the kept parts.
_SOURCES = ("lcspr", "reviews", "panels", "chronologies", "actions", "templates")


@functools.cache
def build() -> str:
    """A digest of this deployment's code and templates, read once per process: a deployment
    that changes how a part is made starts from a new generation, so no worker serves a part
    rendered by the code it replaced."""
    digest = hashlib.sha256()
    for folder in _SOURCES:
        for path in sorted((Path(settings.BASE_DIR) / folder).rglob("*")):
            if path.suffix in (".py", ".html") and path.is_file():
                digest.update(str(path.relative_to(settings.BASE_DIR)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _generation_key() -> str:
    return f"page:generation:{build()}"


def enabled() -> bool:
    return bool(settings.PAGE_CACHE_SECONDS)


def _new_generation() -> None:
    cache.set(_generation_key(), uuid.uuid4().hex, None)


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
    generation_key = _generation_key()
    found = cache.get_many([generation_key, key])
    generation, content = found.get(generation_key), found.get(key)
    if generation is None:
        cache.add(generation_key, uuid.uuid4().hex, None)
        return None, cache.get(generation_key)
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

"""Shared test helpers."""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.db import connection
from django.test import Client
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


class _FormReader(HTMLParser):
    """What a browser would send back from each <form method="post"> of a page, untouched:
    text and hidden inputs, ticked boxes and radios, text areas and selected options."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._textarea, self._select = [], None, None, None

    def _add(self, name, value):
        self._form.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._add(a["name"], a.get("value") or "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add(self._textarea, "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value") or "")

    def handle_data(self, data):
        if self._textarea:
            self._form[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            # A browser drops the new line that follows <textarea>.
            text = self._form[self._textarea][-1]
            self._form[self._textarea][-1] = text.removeprefix("\n")
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def form_as_read(html: str, having: str = "") -> dict:
    """The posted data of the page's main form (the one with the most fields, or the one with a
    field named `having`) as the person opened it: edit it, then post it."""
    reader = _FormReader()
    reader.feed(html)
    forms = [f for f in reader.forms if having in f] if having else reader.forms
    data = max(forms, key=len)
    return {k: v if len(v) > 1 else v[0] for k, v in data.items()}


@dataclass
class Editor:
    """One of two people editing the same record: their browser, and the form as they read it."""

    client: Client
    form: dict

    def save(self, url: str):
        """Post the form as it now stands."""
        return self.client.post(url, self.form)


def two_editors(url: str, first, second, *, having: str = "") -> tuple[Editor, Editor]:
    """Two people, signed in as `first` and `second`, open the same edit page before either
    saves (see form_as_read for `having`): edit each one's `form`, then `save` them in turn."""
    editors = []
    for user in (first, second):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, f"GET {url} returned {response.status_code}"
        editors.append(Editor(client, form_as_read(response.content.decode(), having)))
    versions = [
        {v for k, v in e.form.items() if k == "version" or k.endswith("-version")} for e in editors
    ]
    assert versions[0] == versions[1] and versions[0], f"{url} read no version"
    return editors[0], editors[1]

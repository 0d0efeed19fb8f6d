"""The one renderer: walks the declared sections for a user and a review page, and answers which
steps are theirs to take now (a row with a link)."""

import dataclasses
from typing import NamedTuple

from django.urls import reverse

from lcspr.core.permissions import can, load_facts
from reviews.tasklist.declare import Section, Step, Task, registered_sections


class _Permissions:
    """`can(user, action, review)`, asked once per action for one page."""

    def __init__(self, user, review):
        self.user, self.review, self._answers = user, review, {}

    def __call__(self, action: str) -> bool:
        if action not in self._answers:
            self._answers[action] = can(self.user, action, self.review)
        return self._answers[action]


def _value(value, ctx):
    return value(ctx) if callable(value) else value


def _clock(step: Step, ctx, page: dict):
    if step.clock is None:
        return None
    if callable(step.clock):
        return step.clock(ctx)
    deadline = page["clocks"].get(step.clock)
    return deadline if deadline is not None and deadline.is_open else None


# A row's link before it is reversed: `waiting_for` reverses only the rows it keeps (the home
# page's queue walks every step of every review in it, and `reverse` was its largest cost).
_UNRESOLVED = "#unresolved"


def _reverse(step: Step, ctx, page: dict) -> str:
    args = step.url_args(ctx) if step.url_args else [page["review"].pk]
    return reverse(step.url_name, args=args)


def _url(step: Step, ctx, page: dict, allowed: _Permissions, resolve: bool) -> str:
    if not step.url_name or not step.open(ctx, allowed.user):
        return ""
    if step.actions and not any(allowed(action) for action in step.actions):
        return ""
    return _reverse(step, ctx, page) if resolve else _UNRESOLVED


def _appears(step: Step, ctx, allowed: _Permissions) -> bool:
    return step.shown(ctx) and (not step.audience or allowed(step.audience))


def _to_do(step: Step, ctx, url: str, user) -> bool:
    if not url:
        return False
    return step.to_do(ctx, user) if callable(step.to_do) else step.to_do


def _task(step: Step, ctx, page: dict, allowed: _Permissions, resolve: bool = True) -> Task:
    url = _url(step, ctx, page, allowed, resolve)
    return Task(
        step.name,
        _value(step.status, ctx),
        url,
        _value(step.hint, ctx),
        _clock(step, ctx, page),
        list(step.lines(ctx)),
        _to_do(step, ctx, url, allowed.user),
    )


class Enabled(NamedTuple):
    """A step a user may take now: its section's heading, the declared step and the row as the
    task list shows it (`task.to_do`: the link is work for the user, not only a page to read)."""

    heading: str
    step: Step
    task: Task


def _rows(section: Section, page: dict, allowed: _Permissions, resolve: bool = True):
    """(heading, [(step, task, ctx)]) for the rows the user sees, or None before the stage
    begins. With `resolve` false a row's link is `_UNRESOLVED` until `_reverse` makes it."""
    ctx = section.context(page)
    if ctx is None:
        return None
    steps = [step for step in section.steps_in(ctx) if _appears(step, ctx, allowed)]
    return section.heading, [
        (step, _task(step, ctx, page, allowed, resolve), ctx) for step in steps
    ]


def _all_rows(user, page: dict, resolve: bool = True):
    load_facts(user, [page["review"]])  # nothing more when the pages' facts are loaded already
    allowed = _Permissions(user, page["review"])
    rendered = (_rows(section, page, allowed, resolve) for section in registered_sections())
    return [section for section in rendered if section is not None]


def render_section(section: Section, user, page: dict) -> tuple[str, list[Task]] | None:
    """One section as `user` sees it: (heading, tasks), or None while its stage has not begun."""
    load_facts(user, [page["review"]])
    rows = _rows(section, page, _Permissions(user, page["review"]))
    return None if rows is None else (rows[0], [task for _step, task, _ctx in rows[1]])


def build(user, page: dict) -> list[tuple[str, list[Task]]]:
    """The whole task list of a review page (`reviews.selectors.review_page`) as `user` sees
    it: every registered section that has begun, in order."""
    return [
        (heading, [task for _step, task, _ctx in rows]) for heading, rows in _all_rows(user, page)
    ]


def steps_for(user, page: dict) -> list[Enabled]:
    """The steps that are `user`'s to take now on this review: every row the task list would
    show them with a link."""
    return [
        Enabled(heading, step, task)
        for heading, rows in _all_rows(user, page)
        for step, task, _ctx in rows
        if task.url
    ]


def waiting_for(user, page: dict) -> list[Enabled]:
    """The steps waiting for `user` on this review: those `steps_for` gives them that are work
    to do (not pages to read) and not yet done. A person's "Waiting for you" is these."""
    return [
        Enabled(heading, step, dataclasses.replace(task, url=_reverse(step, ctx, page)))
        for heading, rows in _all_rows(user, page, resolve=False)
        for step, task, ctx in rows
        if task.is_waiting
    ]

"""What a task list is made of, as data: a Step is one row (its status, who may take it, when
the workflow lets them, its clock), a Section one stage's rows under a heading. Each stage
declares its Section beside its own code and registers it; `reviews.tasklist.render` walks them.

A step's functions take the stage's context (`ctx`, built once per page by `Section.context`);
only `open` also takes the user, for rules that depend on who asks (a partner lead signs off for
their own agency once)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

COMPLETED = "Completed"
IN_PROGRESS = "In progress"
NOT_STARTED = "Not yet started"
CANNOT_START = "Cannot start yet"
NOT_NEEDED = "Not needed"
NONE_RECORDED = "None recorded"  # an optional step of a rapid review that is over


@dataclass
class Task:
    """One row of the review's task list, as the template shows it."""

    name: str
    status: str
    url: str = ""
    hint: str = ""
    clock: object = None  # an open Deadline with `countdown` attached
    lines: list = field(default_factory=list)  # (text, countdown or None)
    to_do: bool = False  # the link is the user's work to do, not only a page to read

    @property
    def is_waiting(self) -> bool:
        """Whether the row waits for the user: a link to a step of theirs not yet done."""
        return bool(self.url) and self.to_do and self.status in (NOT_STARTED, IN_PROGRESS)

    @property
    def tag_class(self) -> str:
        return {IN_PROGRESS: "govuk-tag--light-blue", NOT_STARTED: "govuk-tag--blue"}.get(
            self.status, ""
        )

    @property
    def is_muted(self) -> bool:
        return self.status in (CANNOT_START, NOT_NEEDED, NONE_RECORDED)


def always(*_args) -> bool:
    return True


def no_lines(_ctx) -> list:
    return []


@dataclass(frozen=True)
class Step:
    """One step of a stage, declared.

    - `status` and `hint`: a string, or a function of the context returning one.
    - `action`: the permission action on the Review that lets a user take the step, asked
      through `lcspr.core.permissions.can`; a tuple means any one of them. None only for a step
      whose `open` rule decides alone who may follow it (an object of its own, not the review).
    - `url_name` (with `url_args(ctx)`, by default the review's pk): where the step is taken; no
      name, no link for anyone.
    - `open(ctx, user)`: whether the workflow lets the step be taken now.
    - `clock`: the DeadlineKind whose open deadline the row shows, or a function of the context
      returning an object with `due_date` and `countdown` (or None).
    - `lines(ctx)`: (text, countdown or None) pairs listed under the hint.
    - `shown(ctx)`: whether the row appears at all; `audience`: an action a user needs for the
      row to appear to them (family involvement is not everyone's business).
    - `to_do`: whether following the link is work for the user (a change to make), or only a
      page to read (False); a function (ctx, user) for a row whose link is work for some and
      reading for others. Only work goes into a person's "Waiting for you"."""

    name: str
    status: str | Callable[[Any], str]
    action: str | tuple[str, ...] | None = None
    url_name: str = ""
    url_args: Callable[[Any], list] | None = None
    open: Callable[[Any, Any], bool] = always
    hint: str | Callable[[Any], str] = ""
    clock: str | Callable[[Any], object] | None = None
    lines: Callable[[Any], list] = no_lines
    shown: Callable[[Any], bool] = always
    audience: str = ""
    to_do: bool | Callable[[Any, Any], bool] = True

    def __post_init__(self):
        if self.url_name and self.action is None and self.open is always:
            raise ValueError(f"The step {self.name!r} links for everyone: give it an action.")

    @property
    def actions(self) -> tuple[str, ...]:
        if self.action is None:
            return ()
        return (self.action,) if isinstance(self.action, str) else self.action


@dataclass(frozen=True)
class Section:
    """A stage's part of the task list. `context(page)` builds what the steps read, once per
    page, or returns None while the stage has not begun (no section at all). `steps` is the
    declared rows, or a function of the context when the rows follow the data (one per agency's
    chronology).

    The bulk-loading protocol (docs/adr/0006): `reviews.selectors.review_pages` loads the pages
    of any number of reviews in a fixed number of queries, and asks each section for its part,
    so `context` reads only what the page holds and runs no query of its own:
    - `related`: the review's one-to-one records the section reads, joined to that query.
    - `annotate(today)`: figures per review as expressions (`per_review` subqueries), added to
      the one query that loads the reviews; each becomes an attribute of `page["review"]`.
    - `load(pages)`: anything else, for every page at once (one query per kind of row, whatever
      the number of pages, and none when no page needs it), stored in each page under the
      section's own keys."""

    heading: str
    order: int
    context: Callable[[dict], Any]
    steps: tuple[Step, ...] | Callable[[Any], Iterable[Step]] = ()
    related: tuple[str, ...] = ()
    annotate: Callable[[Any], dict] | None = None
    load: Callable[[list[dict]], None] | None = None

    def steps_in(self, ctx) -> Iterable[Step]:
        return self.steps(ctx) if callable(self.steps) else self.steps


_sections: dict[str, Section] = {}


def register_section(section: Section) -> None:
    """Add a stage's section (from its AppConfig.ready()): referral and notification first,
    then rapid review, decision, commissioning (100), chronologies (200), report and publication
    (300) and the action plan (400). Registering a heading again replaces it."""
    _sections[section.heading] = section


def registered_sections() -> list[Section]:
    """The registered sections in page order."""
    return sorted(_sections.values(), key=lambda section: section.order)


def per_review(rows: QuerySet, aggregate, *, review: str = "review", default=None):
    """`aggregate` (Count, Max, ...) over the `rows` of each review, as an expression to annotate
    reviews with (a Section's `annotate`): no query of its own. `review` is the path from a row
    to its review; a Count gives 0, not None, for a review with no rows."""
    value = Subquery(
        rows.filter(**{review: OuterRef("pk")})
        .order_by()
        .values(review)
        .annotate(value=aggregate)
        .values("value")[:1]
    )
    if default is None and getattr(aggregate, "name", "") == "Count":
        default = 0
    if default is None:
        return value
    return Coalesce(value, Value(default), output_field=IntegerField())


def pages_where(pages: list[dict], wanted: Callable[[dict], bool]) -> list:
    """The reviews of the `pages` for which `wanted(page)`, for a Section's `load`."""
    return [page["review"] for page in pages if wanted(page)]

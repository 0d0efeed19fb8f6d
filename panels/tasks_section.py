"""The "Commissioning" section of a review's task list, declared: the independent author, the
panel, the Terms of Reference, panel meetings, practitioner events, family involvement, the
sub-group's time and quality checkpoints and the completion deadline. A handful of queries (one
per area) whatever the size of the review; each row links to its area only for those who may
see it."""

from functools import cached_property

from django.db.models import Count, Max, OuterRef, Prefetch, Subquery, prefetch_related_objects

from lcspr.core.permissions import can
from lcspr.core.text import in_sentence, long_date
from panels.models import FamilyContact, MemberRole, Membership, PanelMeeting, PractitionerEvent
from reviews.clocks.models import DeadlineKind
from reviews.models import Stage
from reviews.monitoring.models import Checkpoint
from reviews.tasklist import (
    COMPLETED,
    IN_PROGRESS,
    NOT_STARTED,
    Section,
    Step,
    pages_where,
    per_review,
    register_section,
)
from reviews.terms.models import TermsOfReference
from reviews.terms.services import current_terms

TOR = TermsOfReference.Status


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _started(n: int) -> str:
    return IN_PROGRESS if n else NOT_STARTED


class CommissioningContext:
    """Each area's figures, as the page loaded them (`commissioning_annotate`,
    `commissioning_load`): no query of its own."""

    def __init__(self, review):
        self.review = review

    @cached_property
    def members(self) -> list[Membership]:
        return list(self.review.active_memberships)

    @property
    def authors(self) -> list[Membership]:
        return [m for m in self.members if m.role == MemberRole.AUTHOR]

    @property
    def chair(self) -> Membership | None:
        return next((m for m in self.members if m.role == MemberRole.PANEL_CHAIR), None)

    @property
    def panel_members(self) -> list[Membership]:
        return [m for m in self.members if m.role == MemberRole.PANEL_MEMBER]

    @cached_property
    def terms(self) -> tuple[str, str]:
        return _terms(self.review)

    @cached_property
    def current_terms(self) -> TermsOfReference | None:
        return current_terms(self.review)

    @property
    def meetings(self) -> dict:
        review = self.review
        return {
            "n": review.panel_meeting_count,
            "last": review.panel_meeting_last,
            "next": review.panel_meeting_next,
        }

    @property
    def events(self) -> dict:
        return {"n": self.review.event_count, "last": self.review.event_last}

    @property
    def family(self) -> dict:
        return {"n": self.review.family_count, "last": self.review.family_last}

    @cached_property
    def last_checkpoint(self):
        if self.review.checkpoint_last_on is None:
            return None
        return Checkpoint(
            held_on=self.review.checkpoint_last_on, progress=self.review.checkpoint_last_progress
        )


def _begun(page: dict) -> bool:
    """Whether the Independent Chair has decided on an LCSPR (the section stays after)."""
    return page["review"].stage == Stage.LCSPR or DeadlineKind.COMPLETION in page["clocks"]


def commissioning_annotate(today) -> dict:
    """Each area's figures, in the reviews' own query."""
    latest = Checkpoint.objects.filter(review=OuterRef("pk")).order_by("-held_on", "-pk")
    meetings, events = PanelMeeting.objects.all(), PractitionerEvent.objects.all()
    family = FamilyContact.objects.all()
    return {
        "panel_meeting_count": per_review(meetings, Count("pk")),
        "panel_meeting_last": per_review(meetings, Max("held_on")),
        "panel_meeting_next": per_review(meetings, Max("next_meeting_on")),
        "event_count": per_review(events, Count("pk")),
        "event_last": per_review(events, Max("held_on")),
        "family_count": per_review(family, Count("pk")),
        "family_last": per_review(family, Max("contacted_on")),
        "checkpoint_last_on": Subquery(latest.values("held_on")[:1]),
        "checkpoint_last_progress": Subquery(latest.values("progress")[:1]),
    }


def commissioning_load(pages: list[dict]) -> None:
    """The active memberships of every page (the panel, and the permission facts of whoever
    reads it: panels.permissions.load_member_roles), and the Terms of Reference of every page
    past the decision."""
    active = Membership.objects.filter(ended_at__isnull=True).select_related("user")
    prefetch_related_objects(
        [page["review"] for page in pages],
        Prefetch("memberships", queryset=active, to_attr="active_memberships"),
    )
    reviews = pages_where(pages, _begun)
    if reviews:
        prefetch_related_objects(reviews, "tor_versions")


def commissioning_context(page: dict) -> CommissioningContext | None:
    """None until the Independent Chair has decided on an LCSPR (the section stays after)."""
    return CommissioningContext(page["review"]) if _begun(page) else None


def _appointment(author: Membership) -> str:
    parts = [str(author.user)]
    if author.commissioned_on:
        parts.append(f"commissioned on {long_date(author.commissioned_on)}")
    if author.expected_delivery:
        parts.append(f"report expected by {long_date(author.expected_delivery)}")
    return ", ".join(parts)


def _panel_status(ctx: CommissioningContext) -> str:
    chair, members = ctx.chair, ctx.panel_members
    if chair and members:
        return COMPLETED
    return IN_PROGRESS if chair or members else NOT_STARTED


def _panel_hint(ctx: CommissioningContext) -> str:
    chair = ctx.chair
    chair_text = f"Chaired by {chair.user}" if chair else "No panel chair yet"
    return f"{chair_text}; {_count(len(ctx.panel_members), 'panel member', 'panel members')}"


def _terms(review) -> tuple[str, str]:
    """(status, hint) of the Terms of Reference."""
    terms = current_terms(review)
    if terms is None:
        return NOT_STARTED, "No draft yet"
    if terms.status == TOR.AGREED:
        return COMPLETED, f"Version {terms.version} agreed on {long_date(terms.agreed_at)}"
    if terms.status == TOR.SHARED:
        hint = f"Version {terms.version} shared with the panel for comment"
    else:
        hint = f"Version {terms.version} is a draft"
    agreed = [t for t in review.tor_versions.all() if t.agreed_at]
    if agreed:
        latest = max(agreed, key=lambda t: t.version)
        hint += f"; version {latest.version} was agreed on {long_date(latest.agreed_at)}"
    return IN_PROGRESS, hint


def _terms_to_do(ctx: CommissioningContext, user) -> bool:
    """The draft is the author's (and the manager's) to write; once shared, the panel chair's
    to agree."""
    terms = ctx.current_terms
    if terms is None or terms.status == TOR.DRAFT:
        return can(user, "edit_tor", ctx.review)
    return terms.status == TOR.SHARED and can(user, "agree_tor", ctx.review)


def _manages_panel(ctx: CommissioningContext, user) -> bool:
    return can(user, "manage_panel", ctx.review)


def _meetings_hint(ctx: CommissioningContext) -> str:
    meetings = ctx.meetings
    n = meetings["n"]
    hint = (
        f"{_count(n, 'meeting', 'meetings')}, the latest on {long_date(meetings['last'])}"
        if n
        else "None recorded yet"
    )
    if meetings["next"] and meetings["next"] > meetings["last"]:
        hint += f"; the next on {long_date(meetings['next'])}"
    return hint


def _events_hint(ctx: CommissioningContext) -> str:
    n = ctx.events["n"]
    if not n:
        return "None recorded yet"
    events = _count(n, "event or conversation", "events or conversations")
    return f"{events}, the latest on {long_date(ctx.events['last'])}"


def _family_hint(ctx: CommissioningContext) -> str:
    n = ctx.family["n"]
    if not n:
        return "None recorded yet"
    contacts = _count(n, "contact recorded", "contacts recorded")
    return f"{contacts}, the latest on {long_date(ctx.family['last'])}"


def _checkpoints_hint(ctx: CommissioningContext) -> str:
    last = ctx.last_checkpoint
    if last is None:
        return "No checkpoint held yet"
    return f"Last held on {long_date(last.held_on)}: {in_sentence(last.get_progress_display())}"


STEPS = (
    Step(
        "Appoint the independent author",
        lambda ctx: COMPLETED if ctx.authors else NOT_STARTED,
        action="view_panel",
        url_name="panels:panel",
        hint=lambda ctx: (
            "; ".join(_appointment(a) for a in ctx.authors) or "No author appointed yet"
        ),
        to_do=_manages_panel,
    ),
    Step(
        "Set up the panel",
        _panel_status,
        action="view_panel",
        url_name="panels:panel",
        hint=_panel_hint,
        to_do=_manages_panel,
    ),
    Step(
        "Agree the Terms of Reference",
        lambda ctx: ctx.terms[0],
        action="view_tor",
        url_name="reviews:terms",
        hint=lambda ctx: ctx.terms[1],
        clock=DeadlineKind.TOR_AGREEMENT,
        to_do=_terms_to_do,
    ),
    Step(
        "Panel meetings",
        lambda ctx: _started(ctx.meetings["n"]),
        action="view_meetings",
        url_name="panels:meetings",
        hint=_meetings_hint,
        to_do=False,
    ),
    Step(
        "Practitioner events",
        lambda ctx: _started(ctx.events["n"]),
        action="view_events",
        url_name="panels:events",
        hint=_events_hint,
        to_do=False,
    ),
    Step(
        "Family involvement",
        lambda ctx: _started(ctx.family["n"]),
        action="view_family",
        url_name="panels:family",
        hint=_family_hint,
        audience="view_family",
        to_do=False,
    ),
    Step(
        "Time and quality checkpoints",
        lambda ctx: _started(ctx.last_checkpoint is not None),
        action="view_checkpoints",
        url_name="reviews:monitoring",
        hint=_checkpoints_hint,
        clock=DeadlineKind.CHECKPOINT,
        to_do=lambda ctx, user: can(user, "record_checkpoints", ctx.review),
    ),
    Step(
        "Complete the LCSPR",
        lambda ctx: COMPLETED if ctx.review.stage == Stage.CLOSED else IN_PROGRESS,
        hint="The final report, signed off by the partnership",
        clock=DeadlineKind.COMPLETION,
    ),
)

SECTION = Section(
    "Commissioning",
    100,
    commissioning_context,
    STEPS,
    annotate=commissioning_annotate,
    load=commissioning_load,
)

register_section(SECTION)

"""The "Commissioning" section of a review's task list: the independent author, the panel, the
Terms of Reference, panel meetings, practitioner events, family involvement, the sub-group's
time and quality checkpoints and the completion deadline. A handful of queries (one per area)
whatever the size of the review; each task links to its area only for those who may see it."""

from django.db.models import Count, Max, prefetch_related_objects
from django.urls import reverse

from lcspr.core.text import long_date
from panels.models import FamilyContact, MemberRole, Membership, PanelMeeting, PractitionerEvent
from panels.permissions import can_panel
from reviews import tasklist
from reviews.clocks.models import DeadlineKind
from reviews.models import Stage
from reviews.tasklist import COMPLETED, IN_PROGRESS, NOT_STARTED, Task
from reviews.terms.models import TermsOfReference
from reviews.terms.services import current_terms

TOR = TermsOfReference.Status


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _started(n: int) -> str:
    return IN_PROGRESS if n else NOT_STARTED


def commissioning_section(user, page):
    """The section once the Independent Chair has decided on an LCSPR; None before."""
    review, clocks = page["review"], page["clocks"]
    if review.stage != Stage.LCSPR and DeadlineKind.COMPLETION not in clocks:
        return None

    def link(name, action):
        return reverse(name, args=[review.pk]) if can_panel(user, action, review) else ""

    def clock(kind):
        deadline = clocks.get(kind)
        return deadline if deadline is not None and deadline.is_open else None

    tasks = [
        *_people_tasks(review, link),
        _terms_task(review, link, clock),
        _meetings_task(review, link),
        _events_task(review, link),
    ]
    if can_panel(user, "view_family", review):
        tasks.append(_family_task(review, link))
    tasks += [
        _checkpoints_task(review, link, clock),
        Task(
            "Complete the LCSPR",
            COMPLETED if review.stage == Stage.CLOSED else IN_PROGRESS,
            hint="The final report, signed off by the partnership",
            clock=clock(DeadlineKind.COMPLETION),
        ),
    ]
    return "Commissioning", tasks


def _people_tasks(review, link) -> list[Task]:
    active = list(
        Membership.objects.filter(review=review, ended_at__isnull=True).select_related("user")
    )
    authors = [m for m in active if m.role == MemberRole.AUTHOR]
    chair = next((m for m in active if m.role == MemberRole.PANEL_CHAIR), None)
    members = [m for m in active if m.role == MemberRole.PANEL_MEMBER]

    def appointment(author):
        parts = [str(author.user)]
        if author.commissioned_on:
            parts.append(f"commissioned on {long_date(author.commissioned_on)}")
        if author.expected_delivery:
            parts.append(f"report expected by {long_date(author.expected_delivery)}")
        return ", ".join(parts)

    if chair and members:
        panel_status = COMPLETED
    else:
        panel_status = IN_PROGRESS if chair or members else NOT_STARTED
    chair_text = f"Chaired by {chair.user}" if chair else "No panel chair yet"
    return [
        Task(
            "Appoint the independent author",
            COMPLETED if authors else NOT_STARTED,
            link("panels:panel", "view_panel"),
            "; ".join(appointment(a) for a in authors) or "No author appointed yet",
        ),
        Task(
            "Set up the panel",
            panel_status,
            link("panels:panel", "view_panel"),
            f"{chair_text}; {_count(len(members), 'panel member', 'panel members')}",
        ),
    ]


def _terms_task(review, link, clock) -> Task:
    prefetch_related_objects([review], "tor_versions")
    terms = current_terms(review)
    agreed = [t for t in review.tor_versions.all() if t.agreed_at]
    if terms is None:
        status, hint = NOT_STARTED, "No draft yet"
    elif terms.status == TOR.AGREED:
        status = COMPLETED
        hint = f"Version {terms.version} agreed on {long_date(terms.agreed_at)}"
    else:
        status = IN_PROGRESS
        if terms.status == TOR.SHARED:
            hint = f"Version {terms.version} shared with the panel for comment"
        else:
            hint = f"Version {terms.version} is a draft"
        if agreed:
            latest = max(agreed, key=lambda t: t.version)
            hint += f"; version {latest.version} was agreed on {long_date(latest.agreed_at)}"
    return Task(
        "Agree the Terms of Reference",
        status,
        link("reviews:terms", "view_tor"),
        hint,
        clock(DeadlineKind.TOR_AGREEMENT),
    )


def _meetings_task(review, link) -> Task:
    meetings = PanelMeeting.objects.filter(review=review).aggregate(
        n=Count("pk"), last=Max("held_on"), next=Max("next_meeting_on")
    )
    n = meetings["n"]
    hint = (
        f"{_count(n, 'meeting', 'meetings')}, the latest on {long_date(meetings['last'])}"
        if n
        else "None recorded yet"
    )
    if meetings["next"] and meetings["next"] > meetings["last"]:
        hint += f"; the next on {long_date(meetings['next'])}"
    return Task("Panel meetings", _started(n), link("panels:meetings", "view_meetings"), hint)


def _events_task(review, link) -> Task:
    events = PractitionerEvent.objects.filter(review=review).aggregate(
        n=Count("pk"), last=Max("held_on")
    )
    n = events["n"]
    hint = (
        f"{_count(n, 'event or conversation', 'events or conversations')}, "
        f"the latest on {long_date(events['last'])}"
        if n
        else "None recorded yet"
    )
    return Task("Practitioner events", _started(n), link("panels:events", "view_events"), hint)


def _family_task(review, link) -> Task:
    contacts = FamilyContact.objects.filter(review=review).aggregate(
        n=Count("pk"), last=Max("contacted_on")
    )
    n = contacts["n"]
    hint = (
        f"{_count(n, 'contact recorded', 'contacts recorded')}, "
        f"the latest on {long_date(contacts['last'])}"
        if n
        else "None recorded yet"
    )
    return Task("Family involvement", _started(n), link("panels:family", "view_family"), hint)


def _checkpoints_task(review, link, clock) -> Task:
    last = review.checkpoints.order_by("-held_on", "-pk").first()
    hint = (
        f"Last held on {long_date(last.held_on)}: {last.get_progress_display().lower()}"
        if last
        else "No checkpoint held yet"
    )
    return Task(
        "Time and quality checkpoints",
        _started(last is not None),
        link("reviews:monitoring", "view_checkpoints"),
        hint,
        clock(DeadlineKind.CHECKPOINT),
    )


tasklist.register_section(commissioning_section, order=100)

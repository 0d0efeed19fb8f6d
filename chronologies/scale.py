"""Chronologies at scale (see lcspr.core.scale): one request per agency in scope of each LCSPR's
Terms of Reference, most accepted (a submission kept for each), some still drafts or submitted;
the entries spread over them, with the two reviews the benchmark measures holding exactly
`plan.big_chronology` and `plan.pdf_chronology` accepted entries. Descriptions repeat a little
across agencies on the same day, as real chronologies do, so the duplicate check has work."""

import datetime

from chronologies.models import (
    ChronologyRequest,
    DateCertainty,
    Entry,
    RequestStatus,
    ReviewerComment,
    Submission,
    YesNoUnknown,
)
from lcspr.core.scale import ScalePlan, bulk
from reviews.scale import KLOES

EVENTS = (
    ("Health visitor", "Home visit", "Visited the family at home; the baby was asleep upstairs."),
    ("Class teacher", "Attendance concern", "Child absent for the third day without a reason."),
    ("GP", "Appointment", "Mother attended with the child, who had a rash on the arms."),
    (
        "Police officer",
        "Domestic incident",
        "Called to the address after neighbours heard shouting.",
    ),
    ("Social worker", "Strategy discussion", "Agencies shared what they knew about the family."),
    ("School nurse", "Drop-in", "Child said they were hungry and had not eaten breakfast."),
    ("Family support worker", "Home visit", "No answer at the door; a card was left."),
)
STATUSES = (RequestStatus.ACCEPTED,) * 6 + (RequestStatus.SUBMITTED, RequestStatus.DRAFT)


def entries_for(request, count: int, plan: ScalePlan, *, start_sequence: int = 1) -> list[Entry]:
    """`count` fictional entries for `request`, dated within its period."""
    rng = plan.rng
    span = max((request.period_end - request.period_start).days, 1)
    entries = []
    for n in range(count):
        role, kind, text = EVENTS[rng.randrange(len(EVENTS))]
        entries.append(
            Entry(
                request=request,
                sequence=start_sequence + n,
                date=request.period_start + datetime.timedelta(days=rng.randrange(span)),
                time=datetime.time(8 + rng.randrange(10), 15 * rng.randrange(4))
                if rng.random() < 0.7
                else None,
                date_certainty=DateCertainty.EXACT,
                source_reference=f"REC-{request.pk}-{start_sequence + n}",
                practitioner_role=role,
                event_type=kind,
                child_seen=rng.choice(YesNoUnknown.values),
                seen_alone=rng.choice(YesNoUnknown.values),
                description=f"{text} Contact {start_sequence + n} with {request.agency.name}.",
                child_voice="Said they liked school." if rng.random() < 0.3 else "",
                action_taken="Recorded and shared with the social worker.",
                outcome="No further action at this point." if rng.random() < 0.5 else "",
                significance="An early sign of neglect." if rng.random() < 0.2 else "",
                kloe_numbers=[rng.randrange(1, 5)] if rng.random() < 0.6 else [],
                themes=["Neglect"] if rng.random() < 0.4 else [],
            )
        )
    return entries


def add_entries(request, count: int, plan: ScalePlan) -> list[Entry]:
    """Add `count` entries to one request after its last (the tests grow one review with it)."""
    last = request.entries.order_by("-sequence").values_list("sequence", flat=True).first() or 0
    return bulk(Entry, entries_for(request, count, plan, start_sequence=last + 1), plan)


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, max(parts, 1))
    return [base + (1 if n < extra else 0) for n in range(parts)]


def build(plan: ScalePlan) -> None:
    rng, made = plan.rng, plan.made
    manager = made["by_label"]["manager"][0]
    named = {made.get("big_review"), made.get("pdf_review")} - {None}
    reps_by_agency = {}
    for rep in made["by_label"]["rep"]:
        reps_by_agency.setdefault(rep.agency_id, []).append(rep)
    requests = []
    for review in made["lcsprs"]:
        terms = made["terms"][review.pk]
        for agency in made["in_scope"][review.pk]:
            status = RequestStatus.ACCEPTED if review in named else rng.choice(STATUSES)
            requests.append(
                ChronologyRequest(
                    review=review,
                    agency=agency,
                    status=status,
                    due_date=terms.agreed_at.date() + datetime.timedelta(days=42),
                    period_start=terms.period_start,
                    period_end=terms.period_end,
                    kloes=[[n, text] for n, text in enumerate(KLOES, start=1)],
                    requested_by=manager,
                    requested_at=terms.agreed_at,
                    submitted_at=terms.agreed_at + datetime.timedelta(days=40)
                    if status != RequestStatus.DRAFT
                    else None,
                    accepted_at=terms.agreed_at + datetime.timedelta(days=50)
                    if status == RequestStatus.ACCEPTED
                    else None,
                )
            )
    requests = bulk(ChronologyRequest, requests, plan)
    ChronologyRequest.authors.through.objects.bulk_create(
        ChronologyRequest.authors.through(chronologyrequest_id=r.pk, user_id=rep.pk)
        for r in requests
        for rep in reps_by_agency.get(r.agency_id, [])[:2]
    )

    big, pdf = made.get("big_review"), made.get("pdf_review")
    counts = {}
    for review, total in ((big, plan.big_chronology), (pdf, plan.pdf_chronology)):
        mine = [r for r in requests if review is not None and r.review_id == review.pk]
        counts.update(zip((r.pk for r in mine), _split(total, len(mine)), strict=True))
    rest = [r for r in requests if r.pk not in counts and r.status != RequestStatus.DRAFT]
    remaining = plan.chronology_entries - sum(counts.values())
    counts.update(zip((r.pk for r in rest), _split(remaining, len(rest)), strict=True))

    total = 0
    for start in range(0, len(requests), 20):  # a few requests at a time keeps memory flat
        batch = []
        for request in requests[start : start + 20]:
            batch += entries_for(request, counts.get(request.pk, 0), plan)
        total += len(bulk(Entry, batch, plan))
    bulk(
        Submission,
        (
            Submission(
                request=r,
                version=1,
                submitted_by=(reps_by_agency.get(r.agency_id) or [manager])[0],
                submitted_at=r.submitted_at,
                declaration="I confirm this chronology was prepared independently.",
                entry_count=counts.get(r.pk, 0),
                entries=[],  # the snapshot is not read by any page the benchmark measures
                outcome="accepted" if r.status == RequestStatus.ACCEPTED else "",
                outcome_by=manager if r.status == RequestStatus.ACCEPTED else None,
                outcome_at=r.accepted_at,
            )
            for r in requests
            if r.status != RequestStatus.DRAFT
        ),
        plan,
    )
    if big is not None:
        commented = Entry.objects.filter(request__review=big).order_by("?")[:50]
        bulk(
            ReviewerComment,
            (
                ReviewerComment(entry=e, author=manager, text="Fictional comment: check the date.")
                for e in commented
            ),
            plan,
        )
    made["chronology_requests"] = requests
    plan.log(f"  {len(requests):,} chronology requests, {total:,} entries")

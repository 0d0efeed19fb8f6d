"""Fictional reviews at scale (see lcspr.core.scale), spread over every stage the way a
partnership's caseload is: referrals and rapid reviews under way, decisions taken, LCSPRs with
agreed Terms of Reference at every point of their report, closed reviews with published
reports. Each has its child, clocks, notification, rapid review, partner sign-offs, decision,
national notices, timeline and recommendations as far as its stage goes. Pseudonyms run
"Child A1", "Child B1"...; every name is invented."""

import datetime
import string
from collections import Counter

from django.db.models import Max

from lcspr.core.scale import ScalePlan, bulk
from reviews.clocks.models import Deadline, DeadlineKind
from reviews.decision.models import Decision, NationalNotice, NoticeRecipient, Outcome
from reviews.learning.models import LearningTheme, ReportRecommendation
from reviews.models import (
    Child,
    ReferenceSequence,
    ReportStatus,
    Review,
    ReviewEvent,
    Stage,
    Trigger,
)
from reviews.other_learning.models import OtherLearningReview
from reviews.rapid_review.models import PanelResponse, PartnerSignOff, RapidReview, Recommendation
from reviews.referral.matching import surname_key
from reviews.referral.models import Notification
from reviews.terms.models import KeyLineOfEnquiry, TermsOfReference

# (stage, share of the caseload, report status choices)
STAGES = (
    (Stage.LCSPR, 40, ("", ReportStatus.DRAFTING, ReportStatus.APPROVED, ReportStatus.SIGNED_OFF)),
    (Stage.CLOSED, 20, (ReportStatus.PUBLISHED, ReportStatus.NONE)),
    (Stage.REFERRAL, 10, ("",)),
    (Stage.RAPID_REVIEW, 15, ("",)),
    (Stage.AWAITING_DECISION, 5, ("",)),
    (Stage.OTHER_LEARNING, 10, ("",)),
)
PAST_RAPID_REVIEW = {Stage.AWAITING_DECISION, Stage.LCSPR, Stage.CLOSED, Stage.OTHER_LEARNING}
KLOES = (
    "How well did agencies share information about the family?",
    "Was the child's lived experience understood and recorded?",
    "How were concerns escalated when progress stalled?",
    "Did practitioners understand the role of the men in the household?",
)
FIRST_NAMES = ("Ava", "Ben", "Cara", "Dylan", "Esme", "Finn", "Gwen", "Harry", "Isla", "Jack")
SURNAMES = ("Northwood", "Ashby", "Marlow", "Penrose", "Quarry", "Redfern", "Stainton")


def _stage_plan(count: int, rng) -> list[tuple[str, str]]:
    """(stage, report_status) for `count` reviews; the first two are LCSPRs (the benchmark's
    chronology reviews)."""
    weights = [share for _stage, share, _reports in STAGES]
    plan = [(Stage.LCSPR, ""), (Stage.LCSPR, "")][:count]
    for _ in range(count - len(plan)):
        stage, _share, reports = rng.choices(STAGES, weights=weights)[0]
        plan.append((stage, rng.choice(reports)))
    return plan


def _pseudonym(n: int) -> str:
    return f"Child {string.ascii_uppercase[n % 26]}{n // 26 + 1}"


def _references(plan: ScalePlan, created: list[datetime.date]) -> list[str]:
    """References in each year's sequence, carried on from what is already issued."""
    years = Counter(day.year for day in created)
    sequences = {s.year: s for s in ReferenceSequence.objects.filter(year__in=years)}
    next_number = {}
    for year, count in years.items():
        sequence = sequences.get(year) or ReferenceSequence(year=year, last=0)
        next_number[year] = sequence.last
        sequence.last += count
        sequence.save()
    references = []
    for day in created:
        next_number[day.year] += 1
        references.append(f"CSPR-{day.year}-{next_number[day.year]:03d}")
    return references


def build(plan: ScalePlan) -> None:
    rng, made = plan.rng, plan.made
    manager = made["by_label"]["manager"][0]
    chair = made["by_label"]["chair"][0]
    leads = made["by_label"]["lead"]
    agencies = made["agencies"]
    first = (Review.objects.aggregate(n=Max("pk"))["n"] or 0) + 1
    stages = _stage_plan(plan.reviews, rng)
    # Older reviews are further along: sort the ages so LCSPRs and closed ones are older.
    order = {Stage.CLOSED: 0, Stage.LCSPR: 1, Stage.OTHER_LEARNING: 2, Stage.AWAITING_DECISION: 3}
    ages = sorted((rng.randrange(10, 5 * 365) for _ in stages), reverse=True)
    by_stage = sorted(range(len(stages)), key=lambda i: order.get(stages[i][0], 4))
    age_of = {i: ages[rank] for rank, i in enumerate(by_stage)}
    age_of.update({0: 300, 1: 280} if len(stages) > 1 else {0: 300})
    created = [plan.days_ago(age_of[i]) for i in range(len(stages))]
    references = _references(plan, created)

    reviews = bulk(
        Review,
        (
            Review(
                reference=references[i],
                pseudonym=_pseudonym(first + i),
                stage=stage,
                incident_date=created[i] - datetime.timedelta(days=rng.randrange(2, 20)),
                incident_location="Northbridge",
                la_aware_date=created[i] - datetime.timedelta(days=1),
                trigger=rng.choice(Trigger.values),
                referring_agency=rng.choice(agencies),
                what_is_known="A fictional account of what is known so far. " * 3,
                abuse_or_neglect="yes" if stage != Stage.REFERRAL else rng.choice(["", "yes"]),
                died_or_seriously_harmed="yes" if stage != Stage.REFERRAL else "",
                partners_informed_on=created[i] + datetime.timedelta(days=3)
                if stage != Stage.REFERRAL
                else None,
                closed_reason="The action plan is complete." if stage == Stage.CLOSED else "",
                report_status=report,
                created_by=manager,
                created_at=plan.moment(created[i]),
            )
            for i, (stage, report) in enumerate(stages)
        ),
        plan,
    )
    names = (
        (review, f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}", i)
        for i, review in enumerate(reviews)
        for _child in range(1 + (i % 7 == 0))
    )
    bulk(
        Child,
        (
            # A bulk insert skips save(): the matching key is given here.
            Child(
                review=review,
                name=name,
                surname_key=surname_key(name),
                date_of_birth=created[i] - datetime.timedelta(days=rng.randrange(60, 5000)),
                sex=rng.choice(Child.Sex.values),
            )
            for review, name, i in names
        ),
        plan,
    )

    deadlines, events = [], []
    notifications, rapid_reviews, decisions, notices, others = [], [], [], [], []
    terms, lcsprs = [], []
    for i, review in enumerate(reviews):
        day, stage = created[i], review.stage
        past = stage in PAST_RAPID_REVIEW

        def clock(kind, start, days, met=None, review=review):
            deadlines.append(
                Deadline(
                    review=review,
                    kind=kind,
                    counted_from=start,
                    due_date=start + datetime.timedelta(days=days),
                    met_on=met,
                )
            )

        def event(kind, summary, when, review=review):
            events.append(
                ReviewEvent(
                    review=review,
                    actor=manager,
                    kind=kind,
                    summary=summary,
                    occurred_at=plan.moment(min(when, plan.today)),
                )
            )

        event("review_opened", f"Referral recorded as {review.reference}", day)
        notified = stage != Stage.REFERRAL
        clock(
            DeadlineKind.NOTIFICATION,
            review.la_aware_date,
            7,
            day + datetime.timedelta(days=2) if notified else None,
        )
        clock(DeadlineKind.PARTNERS_INFORMED, review.la_aware_date, 7, review.partners_informed_on)
        if not notified:
            continue
        sent_on = day + datetime.timedelta(days=2)
        notifications.append(Notification(review=review, sent_on=sent_on, sent_by=manager))
        event("notification_sent", "The National Panel was notified", sent_on)
        clock(
            DeadlineKind.RAPID_REVIEW,
            sent_on,
            21,
            sent_on + datetime.timedelta(days=18) if past else None,
        )
        recommendation = {
            Stage.OTHER_LEARNING: Recommendation.OTHER_LEARNING,
            Stage.CLOSED: Recommendation.LCSPR,
        }.get(stage, Recommendation.LCSPR)
        rapid_reviews.append(
            RapidReview(
                review=review,
                facts="Fictional facts established so far.",
                emerging_learning="Fictional emerging learning.",
                crit_learning_potential=True,
                recommendation=recommendation if past else "",
                recommendation_rationale="Fictional reasons." if past else "",
                recommended_on=sent_on + datetime.timedelta(days=14) if past else None,
                sent_to_panel_on=sent_on + datetime.timedelta(days=18) if past else None,
                panel_response=PanelResponse.AGREES if past else "",
                panel_response_on=sent_on + datetime.timedelta(days=30) if past else None,
            )
        )
        if not past or stage == Stage.AWAITING_DECISION:
            continue
        decided = sent_on + datetime.timedelta(days=35)
        outcome = Outcome.OTHER_LEARNING if stage == Stage.OTHER_LEARNING else Outcome.LCSPR
        decisions.append(
            Decision(
                review=review,
                outcome=outcome,
                rationale="A fictional rationale for the decision.",
                decided_on=decided,
                recorded_by=chair,
                recorded_at=plan.moment(decided),
            )
        )
        event("decision_recorded", f"Decision: {Outcome(outcome).label}", decided)
        if outcome == Outcome.OTHER_LEARNING:
            others.append(
                OtherLearningReview(
                    review=review,
                    kind=OtherLearningReview.Kind.REFLECTIVE_SESSION,
                    scope="A fictional scope.",
                )
            )
            continue
        for recipient in NoticeRecipient.values:
            notices.append(
                NationalNotice(
                    review=review,
                    recipient=recipient,
                    sent_on=decided + datetime.timedelta(days=3),
                    recorded_by=manager,
                )
            )
        clock(DeadlineKind.COMPLETION, decided, 183, plan.today if stage == Stage.CLOSED else None)
        clock(DeadlineKind.TOR_AGREEMENT, decided, 28, decided + datetime.timedelta(days=20))
        if stage == Stage.LCSPR:
            clock(DeadlineKind.CHECKPOINT, decided, 30 * rng.randrange(2, 12))
        lcsprs.append(review)
        terms.append(
            TermsOfReference(
                review=review,
                version=1,
                status=TermsOfReference.Status.AGREED,
                subject_and_family=f"{review.pseudonym} and their family.",
                period_start=review.incident_date - datetime.timedelta(days=730),
                period_end=review.incident_date,
                methodology="A fictional systems methodology.",
                created_by=manager,
                created_at=plan.moment(decided),
                agreed_by=manager,
                agreed_at=plan.moment(decided + datetime.timedelta(days=20)),
            )
        )
        event("tor_agreed", "Terms of Reference version 1 agreed", decided)

    bulk(Deadline, deadlines, plan)
    bulk(Notification, notifications, plan)
    bulk(RapidReview, rapid_reviews, plan)
    bulk(
        PartnerSignOff,
        (
            PartnerSignOff(
                rapid_review=rapid,
                agency=lead.agency,
                signed_by=lead,
                signed_at=plan.moment(rapid.recommended_on),
                recommendation=rapid.recommendation,
            )
            for rapid in rapid_reviews
            if rapid.recommendation
            for lead in leads[:3]
        ),
        plan,
    )
    bulk(Decision, decisions, plan)
    bulk(NationalNotice, notices, plan)
    bulk(OtherLearningReview, others, plan)
    bulk(ReviewEvent, events, plan, history=False)
    terms = bulk(TermsOfReference, terms, plan)
    in_scope = {}
    for version in terms:
        others = made["other_agencies"] or agencies
        chosen = [*made["statutory"], *rng.sample(others, min(5, len(others)))]
        in_scope[version.review_id] = list({a.pk: a for a in chosen}.values())
    TermsOfReference.agencies.through.objects.bulk_create(
        TermsOfReference.agencies.through(termsofreference_id=t.pk, agency_id=a.pk)
        for t in terms
        for a in in_scope[t.review_id]
    )
    bulk(
        KeyLineOfEnquiry,
        (
            KeyLineOfEnquiry(terms=t, number=n, text=text)
            for t in terms
            for n, text in enumerate(KLOES, 1)
        ),
        plan,
    )
    reported = [
        r for r in lcsprs if r.report_status in (ReportStatus.SIGNED_OFF, ReportStatus.PUBLISHED)
    ]
    recommendations = bulk(
        ReportRecommendation,
        (
            ReportRecommendation(
                review=review,
                number=n,
                text=f"Fictional recommendation {n}: agencies should improve how they work "
                "together when a child is not seen.",
                created_by=manager,
            )
            for review in reported
            for n in range(1, rng.randrange(4, 9))
        ),
        plan,
    )
    made.update(
        reviews=reviews,
        review_ids=[r.pk for r in reviews],
        lcsprs=lcsprs,
        terms={t.review_id: t for t in terms},
        in_scope=in_scope,
        recommendations=recommendations,
        themes=list(LearningTheme.objects.filter(is_active=True)),
    )
    made.setdefault("big_review", lcsprs[0] if lcsprs else None)
    made.setdefault("pdf_review", lcsprs[1] if len(lcsprs) > 1 else None)
    plan.log(f"  {len(reviews):,} reviews ({len(lcsprs):,} LCSPRs), {len(events):,} events")

"""Demo action plans, built through the services on top of the demo reviews: the commissioned
LCSPR ("Child H") gets a plan (from its report's recommendations when the demo has them) with an
action in progress with an evidence file, an overdue one rated red, a closed one with its
evidence of impact, and a partnership-wide one; the rapid review's immediate action ("Child C")
is tracked. Every name, number and file is invented."""

from django.core.files.base import ContentFile

from actions import services
from actions.models import Action, Assurance, Rag, Source, Status
from actions.services._base import AFTER_NOTIFICATION
from lcspr.accounts.demo import demo_email
from lcspr.accounts.models import User
from reviews.demo import HOSPITALS, LA, POLICE, SCHOOL, _Demo
from reviews.models import Review
from reviews.rapid_review.models import ImmediateAction

AUDIT_CSV = (
    "Month,Pupils with attendance below 90%,Referred to the health visitor or school nurse\n"
    "September,14,9\nOctober,12,11\nNovember,11,11\n"
)


def _plan(demo, review, people) -> list[Action]:
    """Four actions; from the report's recommendations when there are some."""
    recommendations = list(review.recommendations.all())
    rows = [
        (
            SCHOOL,
            "school.rep",
            "Refer every pupil whose attendance falls below 90% for a "
            "term to the school nurse, and record the referral, from the spring term.",
            40,
        ),
        (
            HOSPITALS,
            "health.rep",
            "Follow up every missed health appointment of a child under "
            "five within five working days, escalating after two, audited quarterly.",
            -10,
        ),
        (
            POLICE,
            "police.rep",
            "Share every domestic abuse incident involving a household "
            "with a child under five with the health visiting service within 24 hours.",
            20,
        ),
    ]
    actions = []
    for number, (agency, owner, text, due) in enumerate(rows):
        recommendation = recommendations[number % len(recommendations)] if recommendations else None
        actions.append(
            services.action_add(
                review=review,
                by=demo.manager,
                source=Source.RECOMMENDATION if recommendation else Source.DURING_REVIEW,
                recommendation=recommendation,
                text=text,
                lead_agency=demo.agencies[agency],
                owner=people[demo_email(owner)],
                due_date=demo.ahead(due) if due > 0 else demo.ago(-due),
            )
        )
    actions.append(
        services.action_add(
            review=review,
            by=demo.manager,
            source=Source.PARTNERSHIP,
            text="Run a partnership-wide learning event on missed appointments and professional "
            "curiosity for practitioners of every agency within six months.",
            lead_agency=demo.agencies[LA],
            due_date=demo.ahead(120),
        )
    )
    return actions


def seed(log) -> None:
    """Create the demo action plans (once)."""
    review = Review.objects.filter(pseudonym="Child H").first()
    if review is None or review.actions.exists():
        return
    demo = _Demo()
    people = {u.email: u for u in User.objects.all()}
    subgroup = people[demo_email("subgroup")]
    attendance, appointments, sharing, _ = _plan(demo, review, people)

    # In progress, with an evidence file, rated amber.
    services.progress_update_add(
        action=attendance,
        by=people[demo_email("school.rep")],
        text="Referral route agreed with the school nursing team; the first three months' "
        "figures are attached.",
        status=Status.IN_PROGRESS,
        files=[ContentFile(AUDIT_CSV.encode(), name="attendance-referrals-autumn.csv")],
    )
    services.action_rate(
        action=attendance,
        by=subgroup,
        rag=Rag.AMBER,
        note="Most pupils are referred, but two months were missed.",
    )

    # Overdue and rated red.
    services.progress_update_add(
        action=appointments,
        by=people[demo_email("health.rep")],
        text="The new follow-up standard is drafted; the audit has not started.",
        status=Status.IN_PROGRESS,
    )
    services.action_rate(
        action=appointments,
        by=subgroup,
        rag=Rag.RED,
        note="No audit capacity this quarter: the sub-group will escalate to the Executive.",
    )

    # Done, its impact assured by an audit, and closed by the sub-group.
    police_rep = people[demo_email("police.rep")]
    services.completion_evidence_record(
        action=sharing,
        by=police_rep,
        completion_evidence="The notification process went live; every officer was briefed.",
    )
    services.impact_evidence_request(
        action=sharing,
        by=subgroup,
        note="Show that notifications now reach health visitors within a day.",
    )
    services.impact_evidence_record(
        action=sharing,
        by=police_rep,
        impact_evidence="In a sample of 30 incidents, 29 were shared within 24 hours (97%), "
        "against 40% before.",
        assurance_method=Assurance.CASE_SAMPLING,
        assurance_detail="Sample checked by the designated nurse and a detective sergeant.",
    )
    services.action_close(action=sharing, by=subgroup, note="Evidence seen at the sub-group.")
    services.action_share(action=sharing, by=subgroup, shared=True)

    # The rapid review's immediate action is tracked in its plan.
    untracked = ImmediateAction.objects.filter(
        tracked_action__isnull=True,
        due_date__isnull=False,
        rapid_review__review__stage__in=AFTER_NOTIFICATION,
    )
    for immediate in untracked:
        services.action_from_immediate(immediate_action=immediate, by=demo.manager)
    log("Demo action plans: Child H has four actions (one overdue, one closed on evidence).")

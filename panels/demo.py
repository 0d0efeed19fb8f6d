"""A commissioned demo LCSPR ("Child H"): an author, a panel, agreed Terms of Reference, a panel
meeting, a practitioner event, a family contact and a sub-group checkpoint. Built through the
services on top of the demo people; every name and event is invented."""

from lcspr.accounts.demo import demo_email
from lcspr.accounts.models import User
from panels import meetings, services
from panels.models import MemberRole
from reviews.decision.models import Outcome
from reviews.decision.services import national_notice_record
from reviews.demo import HOSPITALS, LA, POLICE, SCHOOL, _Demo
from reviews.models import Review
from reviews.monitoring import services as monitoring_services
from reviews.publication import services as proceedings
from reviews.rapid_review.models import Recommendation
from reviews.report_demo import seed_reports
from reviews.terms import services as terms_services

PSEUDONYM = "Child H"


def seed(log) -> None:
    """Create the commissioned demo review (once)."""
    if Review.objects.filter(pseudonym=PSEUDONYM).exists():
        return
    demo = _Demo()
    people = {u.email: u for u in User.objects.all()}
    person = people.get
    panel_chair = person(demo_email("subgroup"))
    author = person(demo_email("author"))

    review = demo.open(
        PSEUDONYM,
        # Seven: Riverside Primary's chronology records him in class from the year before last.
        ("Ellis Quarrington", "male", 7),
        incident=80,
        aware=79,
        referred_by=POLICE,
        known="A fictional seven-year-old was admitted with injuries after months of "
        "missed health appointments.",
    )
    demo.notify(review, sent=76, informed=76)
    demo.recommend_and_send(review, Recommendation.LCSPR, sent=62)
    demo.decide(
        review,
        Outcome.LCSPR,
        decided=58,
        rationale="Agencies did not work together effectively; the learning is significant.",
    )
    for recipient in ("dfe", "ofsted", "national_panel"):
        national_notice_record(
            review=review, by=demo.manager, recipient=recipient, sent_on=demo.ago(55)
        )

    manager = demo.manager
    services.membership_add(review=review, by=manager, user=panel_chair, role="panel_chair")
    members = [
        services.membership_add(
            review=review, by=manager, user=person(demo_email(p)), role=MemberRole.PANEL_MEMBER
        )
        for p in ("school.rep", "health.rep", "police.rep")
    ]
    services.author_appoint(
        review=review,
        by=manager,
        user=author,
        commissioned_on=demo.ago(50),
        contract_reference="NSCP/LCSPR/2026/H",
        expected_delivery=demo.ahead(60),
    )

    draft = terms_services.tor_start(review=review, by=author)
    terms_services.tor_update(
        terms=draft,
        by=author,
        agencies=[demo.agencies[name] for name in (LA, POLICE, HOSPITALS, SCHOOL)],
        period_start=demo.ago(400),
        period_end=demo.ago(80),
        methodology="A systems review: agency chronologies, practitioner conversations and "
        "a learning event, with the family invited to contribute.",
        practitioner_involvement="A practitioner learning event and one-to-one conversations.",
        family_involvement="The author will offer to meet the child's mother and grandmother.",
        timescales="Draft report to the panel within five months of the decision.",
        publication_plan="Publish on the partnership website once criminal proceedings end.",
        equality_considerations="The family's first language is not English.",
    )
    terms_services.kloes_set(
        terms=draft,
        by=author,
        texts=[
            "How well did agencies hear and act on the child's voice and lived experience?",
            "How were missed health appointments followed up and escalated?",
            "How effectively was information shared between health, school and police?",
        ],
    )
    proceedings.proceeding_add(
        review=review,
        by=author,
        kind="criminal",
        status="ongoing",
        notes="A fictional prosecution is under way.",
    )
    terms_services.tor_share(terms=draft, by=author)
    terms_services.tor_comment_add(
        terms=draft,
        by=members[0].user,
        section="Key lines of enquiry",
        text="Please include how school attendance concerns were escalated.",
    )
    terms_services.tor_agree(terms=draft, by=panel_chair)

    meetings.meeting_record(
        review=review,
        by=panel_chair,
        held_on=demo.ago(30),
        agenda="1. Terms of Reference\n2. Chronology requests\n3. Practitioner event plans",
        present=[*members[:2]],
        apologies=[members[2]],
        others_present="Partnership manager (minutes)",
        minutes="The panel confirmed the agreed Terms of Reference and the chronology dates.",
        minutes_file=None,
        decisions="Chronologies due in four weeks.",
        actions_arising="Author to circulate the practitioner event invitation.",
        next_meeting_on=demo.ahead(10),
    )
    event = meetings.practitioner_event_record(
        review=review,
        by=author,
        format="event",
        held_on=demo.ago(12),
        scope="How practitioners noticed and acted on missed health appointments, and what "
        "made it hard to raise concerns with other agencies.",
        learning="Practitioners felt unable to challenge missed appointments.",
    )
    meetings.practitioner_add(
        event=event,
        by=author,
        name="Dana Whitfield",
        role="Health visitor",
        agency=demo.agencies[HOSPITALS],
        email="dana.whitfield@example.org",
    )
    meetings.family_contact_record(
        review=review,
        by=author,
        family_member="Mother",
        contacted_on=demo.ago(20),
        method="letter",
        advocate_offered=True,
        views_shared="",
        wants_to_see_draft=True,
        wants_to_meet_panel=None,
    )
    monitoring_services.checkpoint_record(
        review=review,
        by=panel_chair,
        held_on=demo.ago(15),
        progress="on_track",
        progress_notes="Chronologies requested; practitioner event held.",
    )
    log("Demo commissioning: Child H has a panel, agreed Terms of Reference and a meeting.")
    seed_reports(
        review=review,
        author=author,
        panel_chair=panel_chair,
        members=[m.user for m in members],
        log=log,
    )

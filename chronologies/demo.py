"""Demo chronologies for the commissioned review (Child H): the school's accepted, the police's
submitted and awaiting a decision, the others still to come. Every event is invented."""

from chronologies import services
from chronologies.models import ChronologyRequest
from lcspr.accounts.demo import demo_email
from lcspr.accounts.models import User
from reviews.demo import _Demo
from reviews.models import Review

SCHOOL_EVENTS = [
    (
        300,
        "Class teacher",
        "Welfare concern",
        "yes",
        "Child arrived hungry and tired; breakfast club offered.",
        "Said there was 'no food at home'.",
    ),
    (
        240,
        "Designated safeguarding lead",
        "Attendance meeting",
        "no",
        "Attendance at 82%; mother did not attend the meeting.",
        "",
    ),
    (
        150,
        "Class teacher",
        "Disclosure",
        "yes",
        "Child described being shouted at and left alone in the evenings.",
        "Said they were scared when it got dark.",
    ),
]
POLICE_EVENTS = [
    (
        200,
        "Response officer",
        "Domestic incident call-out",
        "yes",
        "Neighbour reported shouting; no offences disclosed.",
        "",
    ),
    (
        95,
        "Detective constable",
        "Strategy discussion",
        "no",
        "Joined the strategy discussion; no further police action.",
        "",
    ),
]


def _fill(request, by, events, demo):
    for days, role, kind, seen, description, voice in events:
        services.entry_save(
            request=request,
            by=by,
            date=demo.ago(days),
            practitioner_role=role,
            event_type=kind,
            child_seen=seen,
            description=description,
            child_voice=voice,
            kloe_numbers=[1],
            themes=["Voice and lived experience of the child"],
        )


def seed(log) -> None:
    """Create the demo chronologies (once)."""
    review = Review.objects.filter(pseudonym="Child H").first()
    if review is None or review.chronologies.exists():
        return
    demo = _Demo()
    people = {u.email: u for u in User.objects.all()}
    requests = {
        r.agency.name: r
        for r in services.requests_create_from_terms(
            review=review, by=demo.manager, due_date=demo.ahead(15)
        )
    }
    school_rep, police_rep = people[demo_email("school.rep")], people[demo_email("police.rep")]
    school: ChronologyRequest = requests["Riverside Primary School"]
    services.authors_set(request=school, by=school_rep, authors=[school_rep])
    _fill(school, school_rep, SCHOOL_EVENTS, demo)
    services.submit(request=school, by=school_rep, declaration_confirmed=True)
    services.accept(request=school, by=demo.manager)
    police = requests["Wendale Constabulary"]
    services.authors_set(request=police, by=police_rep, authors=[police_rep])
    _fill(police, police_rep, POLICE_EVENTS, demo)
    services.submit(request=police, by=police_rep, declaration_confirmed=True)
    log("Demo chronologies: Child H's school chronology accepted, the police's submitted.")

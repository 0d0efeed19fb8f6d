"""Demo reviews at each stage from referral to the Independent Chair's decision, built through
the services so every clock, timeline event and history row is real. Every child, name and
event is invented. Dates count back from today, so the clocks show items due soon and overdue.
"""

import datetime

from django.utils import timezone

from lcspr.accounts.demo import DEMO_DOMAIN, demo_email
from lcspr.accounts.models import Agency, User
from lcspr.core.services import save_with_history
from lcspr.core.working_days import calendar
from reviews.decision import services as decision_services
from reviews.decision.models import Outcome
from reviews.models import Review, Trigger
from reviews.other_learning import services as other_learning_services
from reviews.other_learning.models import OtherLearningReview
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import PanelResponse, Recommendation
from reviews.referral import services as referral_services
from reviews.referral.models import Adult

PSEUDONYMS = ["Child A", "Child B", "Child C", "Child D", "Child E", "Child F", "Child G"]

LA = "Northbridge Council Children's Services"
ICB = "Northbridge and Wendale Integrated Care Board"
POLICE = "Wendale Constabulary"
HOSPITALS = "Northbridge Hospitals NHS Trust"
SCHOOL = "Riverside Primary School"
GP = "Larkfield Medical Practice"


class _Demo:
    """The demo people and agencies, and the working calendar to count dates back with."""

    def __init__(self):
        self.today = timezone.localdate()
        self.cal = calendar()
        people = {u.email: u for u in User.objects.filter(email__endswith=DEMO_DOMAIN)}
        self.manager = people[demo_email("manager")]
        self.chair = people[demo_email("chair")]
        self.leads = [people[demo_email(p)] for p in ("la.lead", "icb.lead", "police.lead")]
        self.school_rep = people[demo_email("school.rep")]
        self.agencies = {a.name: a for a in Agency.objects.all()}

    def ago(self, working_days: int) -> datetime.date:
        return self.cal.subtract(self.today, working_days)

    def ahead(self, working_days: int) -> datetime.date:
        return self.cal.add(self.today, working_days)

    def open(
        self,
        pseudonym,
        child,
        *,
        incident,
        aware,
        trigger=Trigger.SERIOUS_HARM,
        referred_by=LA,
        known,
        location="Northbridge",
    ) -> Review:
        review = referral_services.review_open(
            by=self.manager,
            pseudonym=pseudonym,
            incident_date=self.ago(incident),
            la_aware_date=self.ago(aware),
            trigger=trigger,
            referring_agency=self.agencies[referred_by],
            what_is_known=known,
            incident_location=location,
        )
        name, sex, age_years = child
        referral_services.child_add(
            review=review,
            by=self.manager,
            name=name,
            sex=sex,
            date_of_birth=self.today - datetime.timedelta(days=round(age_years * 365.25)),
        )
        return review

    def notify(self, review, *, sent, informed) -> Review:
        referral_services.criteria_record(
            review=review, by=self.manager, abuse_or_neglect="yes", died_or_seriously_harmed="yes"
        )
        referral_services.notification_record(
            review=review,
            by=self.manager,
            sent_on=self.ago(sent),
            panel_reference=f"NP-{review.pk:05d}",
        )
        referral_services.partners_informed_record(
            review=review, by=self.manager, informed_on=self.ago(informed)
        )
        rapid_review_services.rapid_review_update(
            review=review,
            by=self.manager,
            facts="Agencies knew the family; concerns were raised but not shared in time.",
            emerging_learning="Information sharing between health and school needs review.",
            crit_learning_potential=True,
            crit_serious_concern=True,
        )
        return review

    def recommend_and_send(self, review, recommendation, *, sent) -> Review:
        rapid_review_services.recommendation_record(
            review=review,
            by=self.manager,
            recommendation=recommendation,
            rationale="The partners agree the case shows learning about working together.",
        )
        rapid_review_services.rapid_review_meeting_add(
            review=review,
            by=self.manager,
            held_on=self.ago(sent + 2),
            attendees="Partnership manager\nHead of service, Children's Services\n"
            "Detective Inspector, Police\nDesignated nurse, ICB",
        )
        for lead in self.leads:
            sign_off = rapid_review_services.partner_sign_off(review=review, by=lead)
            # Signed off the day before it was sent, as it was in the story (not today, after).
            signed_on = self.ago(sent + 1)
            sign_off.signed_at = timezone.make_aware(
                datetime.datetime.combine(signed_on, datetime.time(10, 0))
            )
            save_with_history(sign_off, lead)
        rapid_review_services.rapid_review_send(
            review=review, by=self.manager, sent_on=self.ago(sent)
        )
        return review

    def decide(self, review, outcome, *, decided, rationale) -> Review:
        decision_services.decision_record(
            review=review,
            by=self.chair,
            outcome=outcome,
            rationale=rationale,
            decided_on=self.ago(decided),
        )
        return review


def seed(log) -> None:
    """Create one fictional review at each stage from referral to decision (once)."""
    if Review.objects.filter(pseudonym__in=PSEUDONYMS).exists():
        log("Demo reviews are already loaded.")
        return
    demo = _Demo()
    female, male = "female", "male"

    # A referral just recorded: the criteria are not yet checked; notification due soon. Her
    # mother's partner was recorded, with the same address, on Child B's closed referral.
    new = demo.open(
        "Child A",
        ("Mia Fernbrook", female, 2),
        incident=4,
        aware=3,
        known="A fictional toddler was brought to hospital with an unexplained fracture.",
    )
    referral_services.adult_add(
        review=new,
        by=demo.manager,
        name="Hayley Ashcombe",
        relationship=Adult.Relationship.PARENTS_PARTNER,
        address="4 Quarry Lane, Northbridge NB2 5TP",
    )

    # A referral closed because the criteria for notification are not met.
    closed = demo.open(
        "Child B",
        ("Leo Ashcombe", male, 9),
        incident=20,
        aware=19,
        referred_by=POLICE,
        known="A fictional child was hurt in a fall at a play park.",
    )
    referral_services.adult_add(
        review=closed,
        by=demo.manager,
        name="Haley Ashcombe",
        relationship=Adult.Relationship.MOTHER,
        address="4 Quarry Lane\nNorthbridge\nNB2 5TP",
    )
    referral_services.criteria_record(
        review=closed,
        by=demo.manager,
        abuse_or_neglect="no",
        died_or_seriously_harmed="yes",
        note="An accident; no abuse or neglect is known or suspected.",
    )
    referral_services.review_close_not_notifiable(
        review=closed,
        by=demo.manager,
        reason="No abuse or neglect is known or suspected; single-agency learning only.",
    )

    # In rapid review: summaries requested (one in, one outstanding), a meeting, an action.
    # Notified 17 working days ago, so the 15-day rapid review clock is overdue.
    rapid = demo.open(
        "Child C",
        ("Ruby Thistlewood", female, 7),
        incident=20,
        aware=19,
        referred_by=SCHOOL,
        known="A fictional child disclosed injuries to a teacher.",
    )
    demo.notify(rapid, sent=17, informed=17)
    received = rapid_review_services.agency_summary_request(
        review=rapid, by=demo.manager, agency=demo.agencies[SCHOOL], due_date=demo.ahead(2)
    )
    rapid_review_services.agency_summary_submit(
        request=received,
        by=demo.school_rep,
        summary="Attendance fell in the spring term; two welfare concerns were logged.",
    )
    rapid_review_services.agency_summary_request(
        review=rapid, by=demo.manager, agency=demo.agencies[HOSPITALS], due_date=demo.ahead(3)
    )
    rapid_review_services.rapid_review_meeting_add(
        review=rapid,
        by=demo.manager,
        held_on=demo.ago(5),
        attendees="Partnership manager\nSocial work team manager, Children's Services\n"
        "Detective Inspector, Police\nDesignated nurse, ICB",
    )
    rapid_review_services.immediate_action_add(
        review=rapid,
        by=demo.manager,
        lead_agency=demo.agencies[LA],
        due_date=demo.ahead(10),
        description="Check every sibling in the household has a current safety plan.",
    )

    # Awaiting the Chair's decision: signed off by all three partners and sent.
    waiting = demo.open(
        "Child D",
        ("Noah Brackenridge", male, 1),
        incident=25,
        aware=24,
        trigger=Trigger.DEATH,
        referred_by=HOSPITALS,
        known="A fictional baby died after a sudden collapse at home.",
    )
    demo.notify(waiting, sent=22, informed=22)
    demo.recommend_and_send(waiting, Recommendation.LCSPR, sent=8)

    # An LCSPR: decided 7 working days ago; the National Panel is told, DfE and Ofsted overdue.
    lcspr = demo.open(
        "Child E",
        ("Isla Merrowby", female, 4),
        incident=45,
        aware=44,
        referred_by=LA,
        known="A fictional child was found with severe neglect.",
    )
    demo.notify(lcspr, sent=41, informed=41)
    demo.recommend_and_send(lcspr, Recommendation.LCSPR, sent=27)
    rapid_review_services.panel_response_record(
        review=lcspr,
        by=demo.manager,
        response=PanelResponse.AGREES,
        response_on=demo.ago(18),
        notes="The Panel agrees a local review is appropriate.",
    )
    demo.decide(
        lcspr,
        Outcome.LCSPR,
        decided=7,
        rationale="The criteria for a local review are met: agencies did not work "
        "together effectively.",
    )
    decision_services.national_notice_record(
        review=lcspr,
        by=demo.manager,
        recipient="national_panel",
        sent_on=demo.ago(5),
        reference="NP-LCSPR-0042",
    )

    # No further action: the case is closed by the decision.
    nfa = demo.open(
        "Child F",
        ("Finn Caldermoor", male, 12),
        incident=50,
        aware=49,
        referred_by=GP,
        known="A fictional child was seriously hurt by a relative.",
    )
    demo.notify(nfa, sent=46, informed=46)
    demo.recommend_and_send(nfa, Recommendation.NO_FURTHER_REVIEW, sent=32)
    demo.decide(
        nfa,
        Outcome.NO_FURTHER_ACTION,
        decided=20,
        rationale="A recent review covered the same learning; no further review.",
    )

    # Another learning review in progress: scoped, not yet held.
    other = demo.open(
        "Child G",
        ("Ava Willowmere", female, 15),
        incident=40,
        aware=39,
        referred_by=POLICE,
        known="A fictional teenager was exploited by adults outside the family.",
    )
    demo.notify(other, sent=36, informed=36)
    demo.recommend_and_send(other, Recommendation.OTHER_LEARNING, sent=22)
    demo.decide(
        other,
        Outcome.OTHER_LEARNING,
        decided=12,
        rationale="The learning is narrow: a reflective session will capture it.",
    )
    other_learning_services.other_learning_update(
        review=other,
        by=demo.manager,
        kind=OtherLearningReview.Kind.REFLECTIVE_SESSION,
        scope="How agencies recognised and shared signs of exploitation over the last year.",
        participants="Youth worker, Harbour Family Support\nSchool nurse, ICB",
    )

    log(f"Demo reviews: {len(PSEUDONYMS)} fictional cases from referral to decision.")

"""The world the permission matrix and the IDOR sweep run against: two LCSPRs of the same shape
("Child P" for review A, "Child Q" for review B) with an object behind every id-taking URL, each
with its own panel, author and agencies, and one person per persona; and, for the modules that ask
(build_early_reviews), four reviews that are not LCSPRs (at referral, at rapid review, awaiting
the decision, closed as not notifiable), which only the statutory roles may know exist. Every
name is fictional.

Built once per test module through the services (as the demo builders do), inside a
transaction that is rolled back when the module ends: each test then runs in a savepoint of its
own, and the database is left as it was found for the next module in the same worker.
"""

import datetime
import functools
from dataclasses import dataclass, field
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from actions import reports as action_reports
from actions import services as action_services
from actions.models import Source, Status
from chronologies import services as chronology_services
from chronologies.exports import pdf_export_request
from lcspr.accounts import services as account_services
from lcspr.accounts.models import AgencyKind, Role
from lcspr.api import services as api_services
from lcspr.core import closures
from lcspr.core.jobs.models import Job
from lcspr.core.pdf import render_pdf
from lcspr.core.working_days import calendar
from lcspr.notifications.models import InAppNotification
from panels import meetings
from panels import services as panel_services
from panels.models import MemberRole
from reviews.decision import services as decision_services
from reviews.decision.models import Outcome
from reviews.learning import services as learning
from reviews.learning.models import LearningTheme
from reviews.models import Trigger
from reviews.monitoring import services as monitoring_services
from reviews.publication import services as publication
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import Recommendation
from reviews.referral import services as referral_services
from reviews.report import anonymisation
from reviews.report import services as reports
from reviews.report.models import CheckPurpose, NameCategory, ReportKind
from reviews.terms import services as terms_services

DOMAIN = "northbridge-scp.example"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class World:
    users: dict = field(default_factory=dict)  # persona -> User (no "anonymous")
    agencies: dict = field(default_factory=dict)
    a: SimpleNamespace = None  # review A's objects, by the names matrix.py uses
    b: SimpleNamespace = None  # review B's, the same names
    leads: list = field(default_factory=list)  # the three statutory partner leads
    # The reviews before (or instead of) an LCSPR, by stage (matrix.EARLY_STAGES), with the objects
    # such a review can have, under the same names as A's: built by build_early_reviews, for
    # the modules that use them only (test_early_stages.py).
    early: dict = field(default_factory=dict)

    def side(self, name: str) -> SimpleNamespace:
        return {"a": self.a, "b": self.b, **self.early}[name]


@functools.cache
def report_pdf() -> bytes:
    """A small real PDF (report drafts are viewed online, stamped), made once per session."""
    return render_pdf("pdf/base.html", {}, title="Overview Report")


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


def _agency(name, kind, statutory=False):
    return account_services.agency_create(name=name, kind=kind, is_statutory_partner=statutory)


def _person(local, name, *roles, agency=None):
    return account_services.user_create(
        email=f"{local}@{DOMAIN}", full_name=name, roles=roles, agency=agency
    )


def build_world() -> World:
    """Both reviews and every persona, through the services."""
    world = World()
    ag = world.agencies
    ag["la"] = _agency("Northbridge Council Children's Services", AgencyKind.LOCAL_AUTHORITY, True)
    ag["police"] = _agency("Wendale Constabulary", AgencyKind.POLICE, True)
    ag["icb"] = _agency("Northbridge and Wendale Integrated Care Board", AgencyKind.ICB, True)
    # Review A's agencies in scope, then review B's: no agency is involved in both.
    ag["a1"] = _agency("Riverside Primary School", AgencyKind.SCHOOL)
    ag["a2"] = _agency("Northbridge Hospitals NHS Trust", AgencyKind.NHS_TRUST)
    ag["b1"] = _agency("Larkfield Medical Practice", AgencyKind.GP_PRACTICE)
    ag["b2"] = _agency("Wendale Probation Delivery Unit", AgencyKind.PROBATION)

    u = world.users
    u["no_role"] = _person("norole", "Jo Newcombe")
    u["manager"] = _person("manager", "Morgan Hale", Role.PARTNERSHIP_MANAGER)
    u["independent_chair"] = _person("chair", "Imogen Vale", Role.INDEPENDENT_CHAIR)
    u["partner_lead"] = _person(
        "police.lead", "Tom Brennick", Role.STATUTORY_PARTNER_LEAD, agency=ag["police"]
    )
    world.leads = leads = [
        u["partner_lead"],
        _person("la.lead", "Priya Castell", Role.STATUTORY_PARTNER_LEAD, agency=ag["la"]),
        _person("icb.lead", "Helen Marsh", Role.STATUTORY_PARTNER_LEAD, agency=ag["icb"]),
    ]
    u["subgroup"] = _person("subgroup", "Gareth Lowe", Role.SUBGROUP_MEMBER)
    u["executive"] = _person("executive", "Anita Ferris", Role.EXECUTIVE_MEMBER)
    # A panel chair must be a sub-group member (panels.services.ROLE_NEEDED).
    u["panel_chair_a"] = _person("chair.a", "Chris Chairperson", Role.SUBGROUP_MEMBER)
    panel_chair_b = _person("chair.b", "Cleo Chairwoman", Role.SUBGROUP_MEMBER)
    u["panel_member_a"] = _person("member.a", "Penny Panel", agency=ag["a2"])
    u["panel_member_b"] = _person("member.b", "Mo Othermember", agency=ag["b2"])
    u["author_a"] = _person("author.a", "Felix Armitage", Role.INDEPENDENT_AUTHOR)
    u["author_b"] = _person("author.b", "Ola Otherauthor", Role.INDEPENDENT_AUTHOR)
    u["rep_involved"] = _person(
        "school.rep", "Sean Doyle", Role.AGENCY_REPRESENTATIVE, agency=ag["a1"]
    )
    # The representative of another agency: review B's first agency, not involved in A.
    u["rep_other"] = _person("gp.rep", "Gwen Practice", Role.AGENCY_REPRESENTATIVE, agency=ag["b1"])
    rep_a2 = _person("hospital.rep", "Nadia Quinn", Role.AGENCY_REPRESENTATIVE, agency=ag["a2"])
    rep_b2 = _person("probation.rep", "Pete Probation", Role.AGENCY_REPRESENTATIVE, agency=ag["b2"])

    world.a = _build_review(
        world,
        pseudonym="Child P",
        child_names=("Poppy Ashgrove", "Peter Ashgrove"),
        leads=leads,
        chair=u["panel_chair_a"],
        member=u["panel_member_a"],
        author=u["author_a"],
        agency=ag["a1"],
        rep=u["rep_involved"],
        other_agency=ag["a2"],
        other_rep=rep_a2,
        theme_name="Neglect",
    )
    world.b = _build_review(
        world,
        pseudonym="Child Q",
        child_names=("Quinn Hollowell", "Quentin Hollowell"),
        leads=leads,
        chair=panel_chair_b,
        member=u["panel_member_b"],
        author=u["author_b"],
        agency=ag["b1"],
        rep=u["rep_other"],
        other_agency=ag["b2"],
        other_rep=rep_b2,
        theme_name="Information sharing",
    )
    return world


def build_early_reviews(world) -> dict[str, SimpleNamespace]:
    """One review per stage of matrix.EARLY_STAGES, through the services. The one at rapid
    review has a meeting, a summary from review A's first agency (whose representative is
    rep_involved) and that agency's immediate action, tracked in the plan at once; the one
    awaiting the decision has been signed off and sent."""
    manager, ag = world.users["manager"], world.agencies
    cal = calendar()
    today = timezone.localdate()
    ago = lambda days: cal.subtract(today, days)  # noqa: E731 - a one-line date helper

    def referral(pseudonym, child_name, *, criteria_met=True):
        review = referral_services.review_open(
            by=manager,
            pseudonym=pseudonym,
            incident_date=ago(12),
            la_aware_date=ago(11),
            trigger=Trigger.SERIOUS_HARM,
            referring_agency=ag["police"],
            what_is_known="A fictional child was taken to hospital.",
        )
        s = SimpleNamespace(review=review)
        s.child = referral_services.child_add(
            review=review, by=manager, name=child_name, sex="male"
        )
        s.adult = referral_services.adult_add(
            review=review, by=manager, name=f"Parent of {child_name}", relationship="mother"
        )
        met = "yes" if criteria_met else "no"
        referral_services.criteria_record(
            review=review, by=manager, abuse_or_neglect=met, died_or_seriously_harmed="yes"
        )
        return s

    def rapid_review(pseudonym, child_name):
        s = referral(pseudonym, child_name)
        referral_services.notification_record(review=s.review, by=manager, sent_on=ago(10))
        s.rapid_meeting = rapid_review_services.rapid_review_meeting_add(
            review=s.review, by=manager, held_on=ago(5), attendees="Partnership manager"
        )
        s.immediate = rapid_review_services.immediate_action_add(
            review=s.review,
            by=manager,
            lead_agency=ag["a1"],
            due_date=today + datetime.timedelta(days=14),
            description="Visit the child's siblings at school this week.",
        )
        return s

    early = {"referral": referral("Child S", "Sami Thornbury")}
    early["rapid_review"] = s = rapid_review("Child R", "Rory Pendleton")
    s.summary_request = rapid_review_services.agency_summary_request(
        review=s.review, by=manager, agency=ag["a1"], due_date=today
    )
    s.summary_request = rapid_review_services.agency_summary_submit(
        request=s.summary_request,
        by=world.users["rep_involved"],
        summary="The child was absent for most of the autumn term.",
        file=pdf("summary-r.pdf"),
    )
    # The immediate action tracked in the plan at once: agency A1's action, before any decision.
    s.action = action_services.action_from_immediate(immediate_action=s.immediate, by=manager)
    early["awaiting_decision"] = s = rapid_review("Child W", "Will Ashcombe")
    rapid_review_services.recommendation_record(
        review=s.review,
        by=manager,
        recommendation=Recommendation.LCSPR,
        rationale="There may be learning about working together.",
    )
    for lead in world.leads:
        rapid_review_services.partner_sign_off(review=s.review, by=lead)
    rapid_review_services.rapid_review_send(review=s.review, by=manager, sent_on=ago(2))
    early["closed_not_notifiable"] = s = referral("Child X", "Xander Moorcroft", criteria_met=False)
    referral_services.review_close_not_notifiable(
        review=s.review, by=manager, reason="The injury was accidental; no abuse or neglect."
    )
    return early


def _build_review(
    world,
    *,
    pseudonym,
    child_names,
    leads,
    chair,
    member,
    author,
    agency,
    rep,
    other_agency,
    other_rep,
    theme_name,
) -> SimpleNamespace:
    """One LCSPR with an object behind every id-taking URL. `agency` is the agency whose
    representative is `rep`; `other_agency` is the review's second agency in scope."""
    manager = world.users["manager"]
    chair_ic = world.users["independent_chair"]
    ag = world.agencies
    cal = calendar()
    today = timezone.localdate()
    ago = lambda days: cal.subtract(today, days)  # noqa: E731 - a one-line date helper
    s = SimpleNamespace()

    # Referral and rapid review.
    review = referral_services.review_open(
        by=manager,
        pseudonym=pseudonym,
        incident_date=ago(60),
        la_aware_date=ago(59),
        trigger=Trigger.SERIOUS_HARM,
        referring_agency=ag["la"],
        what_is_known="A fictional child was admitted to hospital with injuries.",
        incident_location="Northbridge",
    )
    s.review = review
    s.child = referral_services.child_add(
        review=review,
        by=manager,
        name=child_names[0],
        sex="female",
        date_of_birth=today - datetime.timedelta(days=3 * 365),
    )
    s.child_sibling = referral_services.child_add(
        review=review,
        by=manager,
        name=child_names[1],
        sex="male",
        date_of_birth=today - datetime.timedelta(days=6 * 365),
    )
    s.adult = referral_services.adult_add(
        review=review,
        by=manager,
        name=f"Parent of {child_names[0]}",
        relationship="mother",
        address="1 Fictional Row, Northbridge NB1 1AA",
    )
    referral_services.criteria_record(
        review=review, by=manager, abuse_or_neglect="yes", died_or_seriously_harmed="yes"
    )
    referral_services.notification_record(
        review=review, by=manager, sent_on=ago(56), panel_reference=f"NP-{review.pk:05d}"
    )
    referral_services.partners_informed_record(review=review, by=manager, informed_on=ago(56))
    rapid_review_services.rapid_review_update(
        review=review,
        by=manager,
        facts="Agencies knew the family; concerns were raised but not shared in time.",
        emerging_learning="Information sharing between health and school needs review.",
        crit_learning_potential=True,
        crit_serious_concern=True,
    )
    s.rapid_meeting = rapid_review_services.rapid_review_meeting_add(
        review=review, by=manager, held_on=ago(50), attendees="Partnership manager\nPolice DI"
    )
    s.immediate = rapid_review_services.immediate_action_add(
        review=review,
        by=manager,
        lead_agency=agency,
        due_date=today + datetime.timedelta(days=30),
        description="Check every sibling in the household has a current safety plan.",
    )
    s.summary_request = rapid_review_services.agency_summary_request(
        review=review, by=manager, agency=agency, due_date=today
    )
    rapid_review_services.agency_summary_submit(
        request=s.summary_request,
        by=rep,
        summary="Attendance fell in the spring term.",
        file=pdf("summary.pdf"),
    )
    s.summary_request_other_agency = rapid_review_services.agency_summary_request(
        review=review, by=manager, agency=other_agency, due_date=today
    )
    rapid_review_services.agency_summary_submit(
        request=s.summary_request_other_agency,
        by=other_rep,
        summary="Two missed appointments.",
        file=pdf("summary-other.pdf"),
    )
    rapid_review_services.recommendation_record(
        review=review,
        by=manager,
        recommendation=Recommendation.LCSPR,
        rationale="The partners agree the case shows learning about working together.",
    )
    for lead in leads:
        rapid_review_services.partner_sign_off(review=review, by=lead)
    rapid_review_services.rapid_review_send(review=review, by=manager, sent_on=ago(45))
    s.decision = decision_services.decision_record(
        review=review,
        by=chair_ic,
        outcome=Outcome.LCSPR,
        rationale="The criteria for a local review are met.",
        decided_on=ago(40),
    )
    s.notice = decision_services.national_notice_record(
        review=review, by=manager, recipient="national_panel", sent_on=ago(39), reference="NP-1"
    )

    # The panel.
    panel_services.membership_add(
        review=review, by=manager, user=chair, role=MemberRole.PANEL_CHAIR
    )
    s.membership = panel_services.membership_add(
        review=review, by=manager, user=member, role=MemberRole.PANEL_MEMBER
    )
    s.author_membership = panel_services.author_appoint(
        review=review,
        by=manager,
        user=author,
        commissioned_on=ago(38),
        contract_reference=f"NSCP/LCSPR/{pseudonym}",
        expected_delivery=today + datetime.timedelta(days=120),
    )
    tor = terms_services.tor_start(review=review, by=author)
    terms_services.tor_update(
        terms=tor,
        by=author,
        agencies=[agency, other_agency],
        period_start=ago(400),
        period_end=ago(60),
        methodology="A systems review.",
    )
    terms_services.kloes_set(terms=tor, by=author, texts=["Voice of the child", "Escalation"])
    s.process = publication.proceeding_add(
        review=review,
        by=author,
        kind="criminal",
        status="ongoing",
        notes="A fictional prosecution.",
    )
    terms_services.tor_share(terms=tor, by=author)
    terms_services.tor_comment_add(
        terms=tor, by=member, section="Scope", text="Please add attendance."
    )
    terms_services.tor_agree(terms=tor, by=chair)
    s.tor = tor
    s.panel_meeting = meetings.meeting_record(
        review=review,
        by=chair,
        held_on=ago(30),
        agenda="1. Terms of Reference",
        present=[s.membership],
        minutes="The panel confirmed the Terms of Reference.",
        minutes_file=pdf("minutes.pdf"),
    )
    s.event = meetings.practitioner_event_record(
        review=review,
        by=author,
        format="event",
        held_on=ago(20),
        learning="Escalation was hard.",
        scope="How agencies escalated concerns.",
    )
    meetings.practitioner_add(
        event=s.event, by=author, name="Dana Whitfield", role="Health visitor", agency=agency
    )
    s.family_contact = meetings.family_contact_record(
        review=review, by=author, family_member="Mother", contacted_on=ago(18), method="letter"
    )
    s.checkpoint = monitoring_services.checkpoint_record(
        review=review, by=chair, held_on=ago(15), progress="on_track"
    )
    s.request = monitoring_services.written_request_record(
        review=review, by=manager, sent_on=ago(10), request="Please send the first draft."
    )

    # Chronologies: the representative's agency accepted, the other agency's a draft.
    requests = {
        r.agency_id: r
        for r in chronology_services.requests_create_from_terms(
            review=review, by=manager, due_date=today + datetime.timedelta(days=28)
        )
    }
    s.chron_request, s.chron_request_other_agency = requests[agency.pk], requests[other_agency.pk]
    chronology_services.authors_set(request=s.chron_request, by=rep, authors=[rep])
    entry_fields = {
        "practitioner_role": "Class teacher",
        "event_type": "Welfare concern",
        "child_seen": "yes",
        "description": "Child arrived hungry; breakfast club offered.",
    }
    s.entry = chronology_services.entry_save(
        request=s.chron_request, by=rep, date=ago(300), **entry_fields
    )
    chronology_services.submit(request=s.chron_request, by=rep, declaration_confirmed=True)
    chronology_services.accept(request=s.chron_request, by=manager)
    s.chron_request.refresh_from_db()
    s.entry_other_agency = chronology_services.entry_save(
        request=s.chron_request_other_agency, by=other_rep, date=ago(250), **entry_fields
    )
    s.export_job = pdf_export_request(review=review, by=manager, filters={})
    s.export_job.file.save("merged.pdf", ContentFile(PDF), save=False)
    s.export_job.status = Job.Status.DONE
    s.export_job.finished_at = timezone.now()
    s.export_job.save()

    # The report, its anonymisation and publication, the learning.
    s.name = anonymisation.restricted_name_add(
        review=review, by=author, term="Jordan Ashdown", category=NameCategory.CHILD
    )
    s.version_draft = reports.report_version_upload(
        review=review,
        by=author,
        kind=ReportKind.OVERVIEW,
        file=SimpleUploadedFile("overview-1.pdf", report_pdf()),
        change_note="",
    )
    s.comment = reports.report_comment_add(
        version=s.version_draft, by=member, location="Section 2", text="Please add the police."
    )
    s.version_final = reports.report_version_upload(
        review=review,
        by=author,
        kind=ReportKind.OVERVIEW,
        file=SimpleUploadedFile("overview-2.pdf", report_pdf()),
        change_note="Added what the police knew.",
    )
    s.check = anonymisation.anonymisation_check_run(
        review=review, version=s.version_final, by=author, purpose=CheckPurpose.APPROVAL
    )
    reports.report_approve(review=review, by=chair, overview=s.version_final)
    reports.report_sign_off(review=review, by=chair_ic)
    s.proceeding = publication.proceeding_add(
        review=review, by=manager, kind="criminal", status="ongoing", description="A trial."
    )
    publication.publication_family_record(
        review=review, by=manager, offered_on=ago(2), response="The family read the draft."
    )
    themes = {t.name: t for t in LearningTheme.objects.all()}
    s.theme = themes[theme_name]
    learning.learning_summary_update(
        review=review,
        by=author,
        primary_themes=[s.theme],
        other_themes=[],
        background="A fictional child was harmed.",
        why_it_matters="Each agency held part of the picture.",
        findings="Missed appointments were not followed up.",
        reflective_questions="When did you last see the child?",
        further_reading="",
    )
    s.recommendation = learning.recommendation_add(
        review=review, by=author, text="Agencies should follow up every missed appointment."
    )

    # The action plan: the representative's agency's action with evidence, the other
    # agency's (not shared), and the rapid review's immediate action left to track.
    s.action = action_services.action_add(
        review=review,
        by=manager,
        source=Source.RECOMMENDATION,
        recommendation=s.recommendation,
        text=f"{agency} audits attendance referrals.",
        lead_agency=agency,
        due_date=today + datetime.timedelta(days=90),
    )
    update = action_services.progress_update_add(
        action=s.action,
        by=rep,
        text="Audit started.",
        status=Status.IN_PROGRESS,
        files=[pdf("audit.pdf")],
    )
    s.evidence = update.files.get()
    s.action_other_agency = action_services.action_add(
        review=review,
        by=manager,
        source=Source.DURING_REVIEW,
        text=f"{other_agency} follows up missed appointments.",
        lead_agency=other_agency,
        due_date=today + datetime.timedelta(days=60),
    )
    update = action_services.progress_update_add(
        action=s.action_other_agency,
        by=other_rep,
        text="Started.",
        status=Status.IN_PROGRESS,
        files=[pdf("other-audit.pdf")],
    )
    s.evidence_other_agency = update.files.get()
    # An action the sub-group shared with every agency: other agencies read it, only its own
    # agency updates it.
    s.action_shared = action_services.action_add(
        review=review,
        by=manager,
        source=Source.DURING_REVIEW,
        text=f"{other_agency} shares its new escalation procedure.",
        lead_agency=other_agency,
        due_date=today + datetime.timedelta(days=45),
    )
    action_services.action_share(action=s.action_shared, by=world.users["subgroup"], shared=True)

    # A notification in the author's notification centre.
    s.notification = InAppNotification.objects.create(
        recipient=author,
        title=f"{pseudonym}: the draft report is due",
        url=reverse("reviews:detail", args=[review.pk]),
    )
    s.person = author  # a partnership account, for the manager's people pages
    # A reporting-API token the manager issued to the author.
    s.api_token, _raw = api_services.token_issue(
        user=author, name=f"Reporting on {pseudonym}", by=world.users["manager"]
    )
    s.agency = agency  # an agency, for the manager's agency pages
    # A closure day years ahead (no clock reaches it), for the manager's calendar pages.
    s.closure_day = closures.closure_day_add(
        by=manager,
        date=calendar().add(today + datetime.timedelta(days=5 * 365), 1),
        reason=f"Fictional closure ({pseudonym})",
    )
    # The Executive's report too large for the request, rendered by the worker.
    s.report_job = action_reports.executive_report_request(by=world.users["executive"], query="")
    s.report_job.file.save("executive.pdf", ContentFile(PDF), save=False)
    s.report_job.status = Job.Status.DONE
    s.report_job.finished_at = timezone.now()
    s.report_job.save()
    return s

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lcspr.accounts.models import Role, User
from panels import meetings
from panels import services as panel_services
from panels.models import MemberRole
from panels.tasks_section import SECTION
from reviews import selectors
from reviews.clocks.models import DeadlineKind
from reviews.monitoring import services as monitoring_services
from reviews.monitoring.models import Checkpoint
from reviews.tasklist import COMPLETED, IN_PROGRESS, NOT_STARTED, render_section
from reviews.terms import services as terms_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HELD = datetime.date(2026, 4, 20)


def _tasks(user, review) -> dict:
    """The Commissioning tasks by name, as `user` sees them (a fresh user: no cached roles)."""
    section = render_section(SECTION, User.objects.get(pk=user.pk), selectors.review_page(review))
    assert section is not None and section[0] == "Commissioning"
    return {task.name: task for task in section[1]}


def _add(review, manager, user, role):
    return panel_services.membership_add(review=review, by=manager, user=user, role=role)


@pytest.fixture
def chair(lcspr_review, manager):
    user = UserFactory(full_name="Cara Chair", roles=[Role.SUBGROUP_MEMBER])
    _add(lcspr_review, manager, user, MemberRole.PANEL_CHAIR)
    return user


@pytest.fixture
def member(lcspr_review, manager, school):
    user = UserFactory(full_name="Penny Panel", agency=school)
    _add(lcspr_review, manager, user, MemberRole.PANEL_MEMBER)
    return user


@pytest.fixture
def author(lcspr_review, manager, independent_author):
    panel_services.author_appoint(
        review=lcspr_review,
        by=manager,
        user=independent_author,
        commissioned_on=datetime.date(2026, 4, 1),
        contract_reference="BSCP-2026-07",
        expected_delivery=datetime.date(2026, 9, 18),
    )
    return independent_author


def test_the_review_page_shows_commissioning_on_an_lcspr_and_not_on_a_referral(
    client, manager, lcspr_review, local_authority
):
    from tests.reviews.conftest import open_referral

    referral = open_referral(manager, local_authority, pseudonym="Child U")
    client.force_login(manager)
    lcspr_page = client.get(reverse("reviews:detail", args=[lcspr_review.pk])).content.decode()
    assert "Commissioning" in lcspr_page
    assert reverse("panels:panel", args=[lcspr_review.pk]) in lcspr_page
    referral_page = client.get(reverse("reviews:detail", args=[referral.pk])).content.decode()
    assert "Commissioning" not in referral_page
    assert render_section(SECTION, manager, selectors.review_page(referral)) is None


def test_nothing_is_started_right_after_the_decision(manager, lcspr_review):
    tasks = _tasks(manager, lcspr_review)
    assert list(tasks) == [
        "Appoint the independent author",
        "Set up the panel",
        "Agree the Terms of Reference",
        "Panel meetings",
        "Practitioner events",
        "Family involvement",
        "Time and quality checkpoints",
        "Complete the LCSPR",
    ]
    assert tasks["Appoint the independent author"].status == NOT_STARTED
    assert tasks["Set up the panel"].status == NOT_STARTED
    assert tasks["Agree the Terms of Reference"].hint == "No draft yet"
    assert tasks["Panel meetings"].hint == "None recorded yet"
    assert tasks["Agree the Terms of Reference"].clock.kind == DeadlineKind.TOR_AGREEMENT
    assert tasks["Complete the LCSPR"].clock.kind == DeadlineKind.COMPLETION
    assert tasks["Time and quality checkpoints"].clock.kind == DeadlineKind.CHECKPOINT


def test_appointing_the_author_completes_the_first_task(manager, lcspr_review, author):
    task = _tasks(manager, lcspr_review)["Appoint the independent author"]
    assert task.status == COMPLETED
    assert task.hint == (
        "Ivy Author, commissioned on 1 April 2026, report expected by 18 September 2026"
    )


def test_the_panel_is_set_up_with_a_chair_and_a_member(manager, lcspr_review, chair, school):
    task = _tasks(manager, lcspr_review)["Set up the panel"]
    assert (task.status, task.hint) == (IN_PROGRESS, "Chaired by Cara Chair; 0 panel members")
    _add(lcspr_review, manager, UserFactory(agency=school), MemberRole.PANEL_MEMBER)
    task = _tasks(manager, lcspr_review)["Set up the panel"]
    assert (task.status, task.hint) == (COMPLETED, "Chaired by Cara Chair; 1 panel member")


def test_the_terms_of_reference_task_follows_the_current_version(manager, lcspr_review):
    terms = terms_services.tor_start(review=lcspr_review, by=manager)
    task = _tasks(manager, lcspr_review)["Agree the Terms of Reference"]
    assert (task.status, task.hint) == (IN_PROGRESS, "Version 1 is a draft")
    terms_services.tor_share(terms=terms, by=manager)
    task = _tasks(manager, lcspr_review)["Agree the Terms of Reference"]
    assert task.hint == "Version 1 shared with the panel for comment"


def test_meetings_events_family_and_checkpoints_are_counted(manager, lcspr_review, subgroup_member):
    meetings.meeting_record(
        review=lcspr_review, by=manager, held_on=HELD, next_meeting_on=datetime.date(2026, 5, 18)
    )
    meetings.practitioner_event_record(
        review=lcspr_review, by=manager, format="event", held_on=HELD
    )
    meetings.family_contact_record(
        review=lcspr_review, by=manager, family_member="Mother", contacted_on=HELD, method="letter"
    )
    monitoring_services.checkpoint_record(
        review=lcspr_review, by=subgroup_member, held_on=HELD, progress=Checkpoint.Progress.AT_RISK
    )
    tasks = _tasks(manager, lcspr_review)
    assert tasks["Panel meetings"].status == IN_PROGRESS
    assert tasks["Panel meetings"].hint == (
        "1 meeting, the latest on 20 April 2026; the next on 18 May 2026"
    )
    assert (
        tasks["Practitioner events"].hint == "1 event or conversation, the latest on 20 April 2026"
    )
    assert tasks["Family involvement"].hint == "1 contact recorded, the latest on 20 April 2026"
    checkpoints = tasks["Time and quality checkpoints"]
    assert checkpoints.hint == "Last held on 20 April 2026: at risk of delay"
    assert checkpoints.clock.counted_from == HELD


def test_a_panel_member_gets_links_only_to_what_they_may_see(lcspr_review, member):
    tasks = _tasks(member, lcspr_review)
    pk = lcspr_review.pk
    assert "Family involvement" not in tasks
    assert tasks["Set up the panel"].url == reverse("panels:panel", args=[pk])
    assert tasks["Agree the Terms of Reference"].url == reverse("reviews:terms", args=[pk])
    assert tasks["Panel meetings"].url == reverse("panels:meetings", args=[pk])
    # Panel members receive the information about practitioner events, not the family log.
    assert tasks["Practitioner events"].url == reverse("panels:events", args=[pk])
    assert tasks["Time and quality checkpoints"].url == ""


def test_the_sub_group_sees_checkpoints_but_not_the_family(lcspr_review, subgroup_member):
    tasks = _tasks(subgroup_member, lcspr_review)
    assert "Family involvement" not in tasks
    pk = lcspr_review.pk
    assert tasks["Time and quality checkpoints"].url == reverse("reviews:monitoring", args=[pk])
    assert tasks["Panel meetings"].url == ""


def test_the_author_sees_the_family_log(lcspr_review, author):
    task = _tasks(author, lcspr_review)["Family involvement"]
    assert task.url == reverse("panels:family", args=[lcspr_review.pk])


def test_the_section_runs_the_same_queries_however_much_is_recorded(
    manager, lcspr_review, subgroup_member, school
):
    def count():
        user = User.objects.get(pk=manager.pk)
        page = selectors.review_page(lcspr_review)
        with CaptureQueriesContext(connection) as queries:
            render_section(SECTION, user, page)
        return len(queries)

    before = count()
    for n in range(6):
        _add(lcspr_review, manager, UserFactory(agency=school), MemberRole.PANEL_MEMBER)
        day = HELD + datetime.timedelta(days=n)
        meetings.meeting_record(review=lcspr_review, by=manager, held_on=day)
        meetings.practitioner_event_record(
            review=lcspr_review, by=manager, format="small_group", held_on=day
        )
        meetings.family_contact_record(
            review=lcspr_review,
            by=manager,
            family_member="Father",
            contacted_on=day,
            method="phone",
        )
        monitoring_services.checkpoint_record(
            review=lcspr_review, by=subgroup_member, held_on=day, progress="on_track"
        )
    terms_services.tor_start(review=lcspr_review, by=manager)
    assert count() == before <= 8

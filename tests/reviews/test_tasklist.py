"""The task list's renderer walks the declared steps: a row appears when its stage has begun and
it is shown, and links only for a user the policy allows while the workflow is open. The same
rules say which steps are a user's to take now (`steps_for`), without rendering a page."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from lcspr.accounts.models import User
from reviews import selectors
from reviews.clocks.models import DeadlineKind
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import Recommendation
from reviews.referral import services as referral_services
from reviews.tasklist import (
    COMPLETED,
    NOT_STARTED,
    Section,
    Step,
    build,
    register_section,
    render_section,
    steps_for,
    waiting_for,
)

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as a new request sees them (no cached membership roles)."""
    return User.objects.get(pk=user.pk)


def page_of(review, clocks=None) -> dict:
    return {"review": review, "clocks": clocks or {}}


def section(*steps, context=lambda page: SimpleNamespace(ready=True)) -> Section:
    return Section("Trial", 1, context, steps)


EDIT = Step(
    "Case details",
    lambda ctx: COMPLETED if ctx.ready else NOT_STARTED,
    action="manage",
    url_name="reviews:edit",
    open=lambda ctx, user: ctx.ready,
    hint=lambda ctx: "Ready" if ctx.ready else "Waiting",
)


# --- the renderer -------------------------------------------------------------------------------


def test_a_step_links_for_a_user_the_policy_allows_while_the_workflow_is_open(referral, manager):
    heading, [task] = render_section(section(EDIT), manager, page_of(referral))
    assert heading == "Trial"
    assert (task.name, task.status, task.hint) == ("Case details", COMPLETED, "Ready")
    assert task.url == reverse("reviews:edit", args=[referral.pk])


def test_a_step_has_no_link_for_a_user_the_policy_refuses(referral, partner_lead):
    _heading, [task] = render_section(section(EDIT), partner_lead, page_of(referral))
    assert task.url == ""
    assert task.status == COMPLETED


def test_a_step_has_no_link_while_the_workflow_does_not_allow_it(referral, manager):
    waiting = section(EDIT, context=lambda page: SimpleNamespace(ready=False))
    _heading, [task] = render_section(waiting, manager, page_of(referral))
    assert (task.status, task.url, task.hint) == (NOT_STARTED, "", "Waiting")


def test_a_section_whose_stage_has_not_begun_is_left_out(referral, manager):
    assert (
        render_section(section(EDIT, context=lambda page: None), manager, page_of(referral)) is None
    )


def test_a_row_not_shown_or_not_for_the_users_audience_is_left_out(referral, manager, partner_lead):
    hidden = Step("Hidden", NOT_STARTED, shown=lambda ctx: False)
    managers_only = Step("For the manager", NOT_STARTED, audience="manage")
    trial = section(hidden, managers_only, EDIT)
    assert [t.name for t in render_section(trial, manager, page_of(referral))[1]] == [
        "For the manager",
        "Case details",
    ]
    assert [t.name for t in render_section(trial, partner_lead, page_of(referral))[1]] == [
        "Case details"
    ]


def test_a_row_shows_its_clock_only_while_it_is_open(referral, manager):
    due = SimpleNamespace(is_open=True, due_date=None, countdown=3)
    met = SimpleNamespace(is_open=False, due_date=None, countdown=0)
    trial = section(
        Step("Notify", NOT_STARTED, clock=DeadlineKind.NOTIFICATION),
        Step("Inform", COMPLETED, clock=DeadlineKind.PARTNERS_INFORMED),
        Step("Plain", COMPLETED),
    )
    clocks = {DeadlineKind.NOTIFICATION: due, DeadlineKind.PARTNERS_INFORMED: met}
    tasks = render_section(trial, manager, page_of(referral, clocks))[1]
    assert [t.clock for t in tasks] == [due, None, None]


def test_a_step_with_a_link_must_say_who_may_take_it():
    with pytest.raises(ValueError, match="give it an action"):
        Step("Anyone", NOT_STARTED, url_name="reviews:edit")


def test_the_page_lists_the_stages_sections_in_order(lcspr_review, manager):
    headings = [h for h, _tasks in build(manager, selectors.review_page(lcspr_review))]
    assert headings == [
        "Referral",
        "Notification",
        "Rapid review",
        "Decision",
        "Commissioning",
        "Report and publication",
        "Action plan",
    ]


# --- the steps that are a user's to take now ----------------------------------------------------


def names(user, review) -> list[tuple[str, str]]:
    steps = steps_for(fresh(user), selectors.review_page(review))
    return [(enabled.heading, enabled.task.name) for enabled in steps]


def test_the_chairs_decision_waits_for_the_chair_once_the_recommendation_is_signed_off(
    awaiting_decision, independent_chair, manager
):
    assert names(independent_chair, awaiting_decision) == [
        ("Decision", "Independent Chair's decision")
    ]
    assert ("Decision", "Independent Chair's decision") not in names(manager, awaiting_decision)
    [(_heading, step, task)] = steps_for(
        fresh(independent_chair), selectors.review_page(awaiting_decision)
    )
    assert task.url == reverse("reviews:decision", args=[awaiting_decision.pk])
    assert step.action == "decide"


def test_the_chair_has_nothing_to_decide_before_the_partners_sign_off(
    in_rapid_review, independent_chair
):
    assert names(independent_chair, in_rapid_review) == []


def test_each_partner_lead_signs_off_once_for_their_own_agency(
    in_rapid_review, manager, partner_lead, la_lead
):
    assert ("Rapid review", "Partner sign-offs") not in names(partner_lead, in_rapid_review)
    rapid_review_services.recommendation_record(
        review=in_rapid_review,
        by=manager,
        recommendation=Recommendation.LCSPR,
        rationale="The fictional case shows learning for agencies.",
    )
    assert names(partner_lead, in_rapid_review) == [("Rapid review", "Partner sign-offs")]

    rapid_review_services.partner_sign_off(review=in_rapid_review, by=partner_lead)
    assert names(partner_lead, in_rapid_review) == []
    assert names(la_lead, in_rapid_review) == [("Rapid review", "Partner sign-offs")]
    assert ("Rapid review", "Partner sign-offs") not in names(manager, in_rapid_review)


def test_the_managers_steps_are_the_task_lists_links(in_rapid_review, manager):
    page = selectors.review_page(in_rapid_review)
    linked = [
        (h, t.name, t.url) for h, tasks in build(fresh(manager), page) for t in tasks if t.url
    ]
    enabled = steps_for(fresh(manager), page)
    assert [(e.heading, e.task.name, e.task.url) for e in enabled] == linked
    assert ("Rapid review", "Recommendation") in names(manager, in_rapid_review)


def test_nothing_is_anyones_to_take_on_a_closed_review(
    referral, manager, independent_chair, partner_lead, outsider
):
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    referral_services.review_close_not_notifiable(
        review=referral, by=manager, reason="Not abuse or neglect."
    )
    referral.refresh_from_db()
    for user in (manager, independent_chair, partner_lead, outsider):
        assert names(user, referral) == []


def test_the_decision_waits_for_the_rapid_review_to_be_sent(signed_off, independent_chair):
    """The same rule as the decision service: a signed-off recommendation not yet sent to the
    National Panel gives the Chair nothing to do yet, and the page says why."""
    assert names(independent_chair, signed_off) == []
    sections = dict(build(fresh(independent_chair), selectors.review_page(signed_off)))
    decision = {task.name: task for task in sections["Decision"]}["Independent Chair's decision"]
    assert decision.url == ""
    assert decision.hint == "Needs the rapid review sent to the National Panel first"


def test_a_link_only_to_read_is_a_step_but_never_waits_for_anyone(referral, manager):
    """steps_for lists every link; waiting_for keeps the work not yet done: a step whose link
    is for reading (to_do=False), or whose work is done, waits for nobody."""
    read = Step("Read it", NOT_STARTED, action="manage", url_name="reviews:edit", to_do=False)
    work = Step("Do it", NOT_STARTED, action="manage", url_name="reviews:edit")
    done = Step("Done", COMPLETED, action="manage", url_name="reviews:edit")
    by_whom = Step(
        "Someone's",
        NOT_STARTED,
        action="manage",
        url_name="reviews:edit",
        to_do=lambda ctx, user: user.pk != manager.pk,
    )
    trial = section(read, work, done, by_whom)
    register_section(trial)
    try:
        page = selectors.review_page(referral)
        linked = [e.task.name for e in steps_for(fresh(manager), page) if e.heading == "Trial"]
        waiting = [e.task.name for e in waiting_for(fresh(manager), page) if e.heading == "Trial"]
    finally:
        from reviews.tasklist.declare import _sections

        _sections.pop("Trial")
    assert linked == ["Read it", "Do it", "Done", "Someone's"]
    assert waiting == ["Do it"]

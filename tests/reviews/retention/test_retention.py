"""Retention and legal hold: the retention type and clock of a closed review, the selector of
what is due, the legal hold services, and the removal of a review with its history and files."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from lcspr.core.jobs.models import Job
from reviews import workflow as workflow_workflow
from reviews.decision import services as decision_services
from reviews.decision.models import Decision, Outcome
from reviews.models import Child, Review, ReviewEvent, Stage
from reviews.rapid_review import services as rapid_review_services
from reviews.rapid_review.models import Recommendation
from reviews.referral import services as referral_services
from reviews.retention import services as retention
from reviews.retention.models import LegalHold, RetentionRemoval, RetentionSettings, RetentionType
from tests.reviews.conftest import (
    open_referral,
    to_agreed,
    to_decided,
    to_rapid_review,
    to_sent,
    to_signed_off,
)

PDF = b"%PDF-1.7 fictional agency summary"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, so the test can see them go."""
    default = dict(settings.STORAGES["default"])
    default["OPTIONS"] = {**default.get("OPTIONS", {}), "location": str(tmp_path)}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    return tmp_path


def close_not_notifiable(manager, agency, pseudonym="Child N"):
    review = open_referral(manager, agency, pseudonym=pseudonym)
    referral_services.criteria_record(
        review=review, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    return referral_services.review_close_not_notifiable(
        review=review, by=manager, reason="The criteria are not met."
    )


def close_rapid_review(manager, agency, leads, chair, pseudonym="Child R", *, files=False):
    """A rapid review ending in no further action; with `files`, an agency summary uploaded
    twice (so the first file is named only in the change history)."""
    review = to_rapid_review(open_referral(manager, agency, pseudonym=pseudonym), manager)
    if files:
        request = rapid_review_services.agency_summary_request(
            review=review,
            by=manager,
            agency=agency,
            due_date=timezone.localdate() + datetime.timedelta(days=5),
        )
        for text in ("first", "second"):
            rapid_review_services.agency_summary_submit(
                request=request,
                by=manager,
                summary=f"The {text} fictional summary.",
                file=ContentFile(PDF + text.encode(), name=f"{text}.pdf"),
            )
    review = to_signed_off(review, manager, leads, Recommendation.NO_FURTHER_REVIEW)
    review = to_decided(to_sent(review, manager), chair, Outcome.NO_FURTHER_ACTION)
    assert review.stage == Stage.CLOSED
    return review


def later(review, years, days=0):
    return retention.add_years(review.closed_on, years) + datetime.timedelta(days=days)


# --- the retention clock and type ---------------------------------------------------------------


def test_the_clock_starts_on_the_day_a_review_closes(manager, local_authority, referral):
    closed = close_not_notifiable(manager, local_authority)
    assert closed.closed_on == timezone.localdate()
    referral.refresh_from_db()
    assert referral.closed_on is None
    assert retention.retention_row(referral) is None


def test_the_type_follows_how_the_review_ended(
    manager, local_authority, partner_leads, independent_chair, lcspr_review
):
    not_notifiable = close_not_notifiable(manager, local_authority)
    rapid = close_rapid_review(manager, local_authority, partner_leads, independent_chair)
    workflow_workflow.review_close_completed(review=lcspr_review, by=manager, reason="Work done.")
    types = {row.review.pk: row.retention_type for row in retention.closed_reviews_retention()}
    assert types == {
        not_notifiable.pk: RetentionType.NOT_NOTIFIABLE,
        rapid.pk: RetentionType.RAPID_REVIEW,
        lcspr_review.pk: RetentionType.LCSPR,
    }
    assert retention.retention_type_for(Outcome.OTHER_LEARNING) == RetentionType.OTHER_LEARNING
    assert retention.retention_type_for(Outcome.NATIONAL_REVIEW) == RetentionType.NATIONAL


def test_a_changed_decision_reopening_a_closed_review_stops_its_clock(
    manager, local_authority, partner_leads, independent_chair
):
    rapid = close_rapid_review(manager, local_authority, partner_leads, independent_chair)
    decision_services.decision_change(
        review=rapid,
        by=independent_chair,
        outcome=Outcome.LCSPR,
        rationale="New information.",
        decided_on=datetime.date(2026, 3, 26),
        reason="The police shared new information.",
    )
    rapid = to_agreed(rapid, partner_leads)  # the partners had recommended no further review
    assert (rapid.stage, rapid.closed_on) == (Stage.LCSPR, None)


def test_29_february_plus_a_year_is_28_february():
    assert retention.add_years(datetime.date(2028, 2, 29), 1) == datetime.date(2029, 2, 28)


def test_a_review_is_due_on_the_day_its_period_ends_and_not_before(manager, local_authority):
    closed = close_not_notifiable(manager, local_authority)
    settings = RetentionSettings.load()
    assert settings.not_notifiable_years == 7
    assert retention.reviews_due_for_removal(later(closed, 7, days=-1)) == []
    due = retention.reviews_due_for_removal(later(closed, 7))
    assert [row.review.pk for row in due] == [closed.pk]
    assert due[0].expires_on == later(closed, 7)


def test_the_partnerships_period_applies(manager, local_authority):
    closed = close_not_notifiable(manager, local_authority)
    retention.retention_settings_update(by=manager, not_notifiable_years=2)
    assert [row.review for row in retention.reviews_due_for_removal(later(closed, 2))] == [closed]
    assert RetentionSettings.history.filter(history_user=manager).exists()


def test_a_review_on_legal_hold_is_never_due_until_the_hold_is_lifted(
    manager, independent_chair, local_authority
):
    closed = close_not_notifiable(manager, local_authority)
    hold = retention.legal_hold_set(review=closed, by=independent_chair, reason="A civil claim.")
    assert retention.reviews_due_for_removal(later(closed, 50)) == []
    retention.legal_hold_lift(review=closed, by=manager, reason="The claim was settled.")
    hold.refresh_from_db()
    assert (hold.lifted_by, hold.lift_reason) == (manager, "The claim was settled.")
    assert len(retention.reviews_due_for_removal(later(closed, 50))) == 1


# --- legal hold services -----------------------------------------------------------------------


def test_a_hold_is_on_the_timeline_and_in_history(manager, referral):
    retention.legal_hold_set(review=referral, by=manager, reason="The coroner asked us to keep it.")
    event = ReviewEvent.objects.filter(review=referral).first()
    assert (event.kind, event.actor) == ("legal_hold_set", manager)
    assert LegalHold.history.filter(history_user=manager, history_type="+").exists()
    retention.legal_hold_lift(review=referral, by=manager, reason="The inquest is over.")
    assert ReviewEvent.objects.filter(review=referral).first().kind == "legal_hold_lifted"


@pytest.mark.parametrize(
    ("step", "message"),
    [("set twice", "already on legal hold"), ("lift without a hold", "not on legal hold")],
)
def test_holds_are_refused_with_a_reason(manager, referral, step, message):
    if step == "set twice":
        retention.legal_hold_set(review=referral, by=manager, reason="A claim.")
        call = retention.legal_hold_set
    else:
        call = retention.legal_hold_lift
    with pytest.raises(retention.RetentionRefused, match=message):
        call(review=referral, by=manager, reason="Again.")


def test_a_hold_needs_a_reason_and_the_right_role(manager, partner_lead, referral):
    with pytest.raises(retention.RetentionRefused) as error:
        retention.legal_hold_set(review=referral, by=manager, reason="  ")
    assert error.value.message_dict == {"reason": ["Enter why the review is on legal hold"]}
    with pytest.raises(retention.RetentionRefused, match="Only the partnership manager"):
        retention.legal_hold_set(review=referral, by=partner_lead, reason="A claim.")
    assert not LegalHold.objects.exists()


# --- removal -----------------------------------------------------------------------------------


def test_removal_takes_the_review_its_records_history_and_files(
    manager,
    local_authority,
    partner_leads,
    independent_chair,
    media,
    django_capture_on_commit_callbacks,
):
    kept = close_not_notifiable(manager, local_authority, pseudonym="Child K")
    review = close_rapid_review(
        manager, local_authority, partner_leads, independent_chair, files=True
    )
    files = list(media.rglob("*.pdf"))
    assert len(files) == 2  # the first upload is named only in the change history now
    retention.legal_hold_set(review=review, by=manager, reason="A claim.")
    retention.legal_hold_lift(review=review, by=manager, reason="Settled.")
    when = later(review, 15)

    with django_capture_on_commit_callbacks(execute=True):
        record = retention.review_remove_expired(review=review, by=manager, today=when)

    assert not Review.objects.filter(pk=review.pk).exists()
    assert not Decision.objects.filter(review_id=review.pk).exists()
    assert not Review.history.filter(id=review.pk).exists()
    assert not Decision.history.filter(review_id=review.pk).exists()
    assert not LegalHold.history.filter(review_id=review.pk).exists()
    assert not any(p.exists() for p in files)
    assert (record.reference, record.retention_type) == (
        review.reference,
        RetentionType.RAPID_REVIEW,
    )
    assert (record.closed_on, record.retention_years, record.removed_by) == (
        review.closed_on,
        15,
        manager,
    )
    assert record.files_removed == 2
    assert record.counts["reviews.Review"] == 1
    assert record.counts["reviews.Decision"] == 1
    assert record.rows_removed > record.counts["reviews.Review"]
    assert record.history_rows_removed > 0
    # The other review and its history are untouched.
    assert Review.objects.filter(pk=kept.pk).exists()
    assert Review.history.filter(id=kept.pk).exists()


def test_removal_takes_the_reviews_background_jobs_and_their_files(
    manager, local_authority, media, django_capture_on_commit_callbacks
):
    review = close_not_notifiable(manager, local_authority)
    job = Job.objects.create(kind="chronologies.merged_pdf", about=review, requested_by=manager)
    job.file.save("merged.pdf", ContentFile(PDF))
    other = Job.objects.create(kind="actions.executive_report", requested_by=manager)
    path = media / job.file.name

    with django_capture_on_commit_callbacks(execute=True):
        record = retention.review_remove_expired(review=review, by=manager, today=later(review, 7))

    assert not Job.objects.filter(pk=job.pk).exists()
    assert not Job.history.filter(id=job.pk).exists()
    assert not path.exists()
    assert record.counts["core.Job"] == 1 and record.files_removed == 1
    assert Job.objects.filter(pk=other.pk).exists()


def test_removal_takes_the_history_of_records_removed_earlier(manager, local_authority):
    review = open_referral(manager, local_authority, pseudonym="Child E")
    child = referral_services.child_add(
        review=review, by=manager, name="Erin Example", sex="female"
    )
    child_pk = child.pk
    referral_services.child_remove(child=child, by=manager)
    assert Child.history.filter(id=child_pk).count() == 2
    referral_services.criteria_record(
        review=review, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="no"
    )
    review = referral_services.review_close_not_notifiable(
        review=review, by=manager, reason="Not met."
    )
    retention.review_remove_expired(review=review, by=manager, today=later(review, 7))
    assert not Child.history.filter(id=child_pk).exists()


def test_removal_of_an_lcspr_takes_its_action_plan(
    manager, school, lcspr_review, django_capture_on_commit_callbacks
):
    from actions.models import Action
    from reviews.learning.services import recommendation_add
    from tests.actions.conftest import add_action

    recommendation = recommendation_add(
        review=lcspr_review, by=manager, text="Agencies should share attendance concerns."
    )
    action = add_action(lcspr_review, manager, school, recommendation=recommendation)
    workflow_workflow.review_close_completed(review=lcspr_review, by=manager, reason="Work done.")
    lcspr_review.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        record = retention.review_remove_expired(
            review=lcspr_review, by=manager, today=later(lcspr_review, 75)
        )
    assert not Action.objects.filter(pk=action.pk).exists()
    assert not Action.history.filter(id=action.pk).exists()
    assert record.counts["actions.Action"] == 1


def test_removal_is_refused_under_legal_hold_and_before_the_period_ends(manager, local_authority):
    review = close_not_notifiable(manager, local_authority)
    with pytest.raises(retention.RetentionRefused, match="kept until"):
        retention.review_remove_expired(review=review, by=manager, today=later(review, 7, -1))
    retention.legal_hold_set(review=review, by=manager, reason="A claim.")
    with pytest.raises(retention.RetentionRefused, match="on legal hold"):
        retention.review_remove_expired(review=review, by=manager, today=later(review, 70))
    assert Review.objects.filter(pk=review.pk).exists()
    assert not RetentionRemoval.objects.exists()


def test_an_open_review_is_never_removed(manager, referral):
    with pytest.raises(retention.RetentionRefused, match="not closed"):
        retention.review_remove_expired(
            review=referral, by=manager, today=datetime.date(2199, 1, 1)
        )
    assert Review.objects.filter(pk=referral.pk).exists()


def test_the_preview_counts_without_removing(
    manager, local_authority, partner_leads, independent_chair
):
    review = close_rapid_review(
        manager, local_authority, partner_leads, independent_chair, files=True
    )
    counts = retention.removal_preview(review)
    assert counts.files == 2
    assert counts.by_model["reviews.Review"] == 1
    assert Review.objects.filter(pk=review.pk).exists()
    assert Review.history.filter(id=review.pk).exists()

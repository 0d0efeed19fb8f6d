"""`manage.py retention`: lists what is due by default; with --delete, asks for typed
confirmation (or --yes) and removes; a legal hold set between the list and the removal wins."""

import io

import pytest
from django.core.management import CommandError, call_command

from reviews.models import Review
from reviews.retention import services as retention
from reviews.retention.models import RetentionRemoval
from tests.reviews.retention import test_retention
from tests.reviews.retention.test_retention import close_not_notifiable, close_rapid_review, later

media = test_retention.media  # uploaded files go to a folder of the test's own


@pytest.fixture
def two_due(manager, local_authority, partner_leads, independent_chair):
    first = close_not_notifiable(manager, local_authority, pseudonym="Child A")
    second = close_rapid_review(
        manager, local_authority, partner_leads, independent_chair, pseudonym="Child B", files=True
    )
    return first, second


def run(*args):
    out = io.StringIO()
    call_command("retention", *args, stdout=out)
    return out.getvalue()


def when(reviews):
    return later(reviews[1], 15).isoformat()


def test_it_lists_what_is_due_and_removes_nothing(two_due):
    output = run("--date", when(two_due))
    assert "2 reviews due for removal" in output
    for review in two_due:
        assert review.reference in output
    assert "Rapid review with no further action" in output
    assert "Referral closed: the criteria for notification not met" in output
    assert "Nothing was removed" in output
    assert Review.objects.count() == 2


def test_it_says_when_nothing_is_due(two_due):
    output = run("--date", later(two_due[0], 7, -1).isoformat())
    assert "No review is due for removal" in output


def test_removing_needs_the_person_responsible(two_due):
    with pytest.raises(CommandError, match="--by"):
        run("--delete", "--date", when(two_due))
    with pytest.raises(CommandError, match="No active user"):
        run("--delete", "--by", "nobody@northbridge-scp.example", "--date", when(two_due))
    assert Review.objects.count() == 2


def test_removing_asks_for_typed_confirmation(two_due, manager, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    with pytest.raises(CommandError, match="Not confirmed"):
        run("--delete", "--by", manager.email, "--date", when(two_due))
    assert Review.objects.count() == 2
    assert not RetentionRemoval.objects.exists()


def test_it_removes_after_confirmation(
    two_due, manager, monkeypatch, media, django_capture_on_commit_callbacks
):
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or "remove 2")
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--delete", "--by", manager.email, "--date", when(two_due))
    assert "remove 2" in prompts[0]
    assert "2 removed, 0 skipped" in output
    assert not Review.objects.exists()
    assert not list(media.rglob("*.pdf"))
    assert sorted(RetentionRemoval.objects.values_list("reference", flat=True)) == sorted(
        r.reference for r in two_due
    )


def test_yes_skips_the_question_for_cron(two_due, manager, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: pytest.fail("asked a question"))
    output = run("--delete", "--yes", "--by", manager.email, "--date", when(two_due))
    assert "2 removed" in output
    assert RetentionRemoval.objects.filter(removed_by=manager).count() == 2


def test_a_hold_set_between_the_list_and_the_removal_wins(
    two_due, manager, independent_chair, monkeypatch
):
    held = two_due[1]

    def hold_while_asking(prompt):
        # Someone puts the review on hold while the operator reads the list.
        retention.legal_hold_set(review=held, by=independent_chair, reason="A claim arrived.")
        return "remove 2"

    monkeypatch.setattr("builtins.input", hold_while_asking)
    output = run("--delete", "--by", manager.email, "--date", when(two_due))
    assert f"Skipped {held.reference}" in output
    assert "on legal hold" in output
    assert "1 removed, 1 skipped" in output
    assert Review.objects.filter(pk=held.pk).exists()
    assert not Review.objects.filter(pk=two_due[0].pk).exists()
    assert list(RetentionRemoval.objects.values_list("reference", flat=True)) == [
        two_due[0].reference
    ]


def test_a_review_on_hold_is_not_listed(two_due, manager):
    retention.legal_hold_set(review=two_due[0], by=manager, reason="The coroner asked.")
    output = run("--date", when(two_due))
    assert "1 review due for removal" in output
    assert two_due[0].reference not in output

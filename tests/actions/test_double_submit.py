"""A progress update sent twice (a double click, a reload of the answer, a retry over a slow
connection) is recorded once: the form's one-time token (lcspr/core/form_tokens.py) lets the
second sending through to nothing but the page the first one led to. A form shown again with its
errors can be corrected and sent with the same token, and a genuine second update is a new form
with a token of its own."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from actions import services
from lcspr.core import form_tokens
from lcspr.core.models import UsedFormToken
from reviews.models import ReportStatus, Review, Stage
from tests.actions.conftest import make_ready_to_close

pytestmark = pytest.mark.django_db

ALREADY = "This was already saved. It has not been saved twice."


def progress_url(action):
    return reverse("actions:progress", args=[action.pk])


def token_on(client, url) -> str:
    """The token of the form on the page, as the browser would send it."""
    html = client.get(url).content.decode()
    marker = 'name="form_token" value="'
    start = html.index(marker) + len(marker)
    return html[start : html.index('"', start)]


def update(token, text="Twenty staff trained in May."):
    return {"text": text, "status": "in_progress", "form_token": token}


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_a_progress_update_sent_twice_is_recorded_once(client, school_action, agency_author):
    client.force_login(agency_author)
    token = token_on(client, progress_url(school_action))
    first = client.post(progress_url(school_action), update(token))
    again = client.post(progress_url(school_action), update(token), follow=True)
    assert first["Location"] == reverse("actions:detail", args=[school_action.pk])
    assert again.redirect_chain == [(first["Location"], 302)]
    assert ALREADY in messages_of(again)
    assert school_action.updates.count() == 1
    assert "Twenty staff trained in May." in again.content.decode()


def test_a_form_sent_back_with_its_errors_can_be_corrected_and_sent_with_the_same_token(
    client, school_action, agency_author
):
    client.force_login(agency_author)
    token = token_on(client, progress_url(school_action))
    refused = client.post(progress_url(school_action), update(token, text=""))
    assert refused.status_code == 200 and school_action.updates.count() == 0
    # The page shown again carries a fresh token; the browser may still send the old one.
    corrected = client.post(progress_url(school_action), update(token), follow=True)
    assert "Progress on action 1 has been recorded." in messages_of(corrected)
    assert school_action.updates.count() == 1


def test_a_second_update_from_a_fresh_form_is_recorded(client, school_action, agency_author):
    client.force_login(agency_author)
    for text in ("Training planned.", "Training delivered."):
        token = token_on(client, progress_url(school_action))
        client.post(progress_url(school_action), update(token, text=text))
    assert [u.text for u in school_action.updates.order_by("pk")] == [
        "Training planned.",
        "Training delivered.",
    ]


def test_a_form_without_a_token_is_saved_as_before(client, school_action, agency_author):
    client.force_login(agency_author)
    data = {"text": "Sent by a script.", "status": "in_progress"}
    client.post(progress_url(school_action), data)
    client.post(progress_url(school_action), data)
    assert school_action.updates.count() == 2


def test_another_persons_token_is_theirs_alone(
    client, school_action, agency_author, lcspr_review, manager
):
    token = form_tokens.new_token()
    UsedFormToken.objects.create(
        user=manager, token=token, path="/elsewhere/", status="done", redirect_to="/elsewhere/"
    )
    client.force_login(agency_author)
    client.post(progress_url(school_action), update(token))
    assert school_action.updates.count() == 1


def test_a_second_sending_while_the_first_is_still_being_saved_saves_nothing(
    client, school_action, agency_author, settings
):
    settings.FORM_TOKEN_WAIT_SECONDS = 0.2
    client.force_login(agency_author)
    token = form_tokens.new_token()
    UsedFormToken.objects.create(user=agency_author, token=token, path=progress_url(school_action))
    response = client.post(progress_url(school_action), update(token))
    assert response.status_code == 409
    assert "This form is still being saved" in response.content.decode()
    assert school_action.updates.count() == 0


def test_a_refusal_told_by_an_error_message_saved_nothing_so_the_token_is_free(
    client, lcspr_review, manager, school_action, agency_author
):
    close_url = reverse("actions:review_close", args=[lcspr_review.pk])
    data = {"form_token": form_tokens.new_token()}
    client.force_login(manager)
    refused = client.post(close_url, data, follow=True)
    assert any(m.startswith("The review cannot close yet.") for m in messages_of(refused))
    make_ready_to_close(school_action, agency_author)
    services.action_close(action=school_action, by=manager)
    Review.objects.filter(pk=lcspr_review.pk).update(report_status=ReportStatus.PUBLISHED)
    closed = client.post(close_url, data, follow=True)
    assert ALREADY not in messages_of(closed)
    lcspr_review.refresh_from_db()
    assert lcspr_review.stage == Stage.CLOSED


@pytest.mark.django_db(transaction=True)
def test_two_sendings_racing_each_other_record_one_update(school_action, agency_author):
    token = form_tokens.new_token()
    answers = []
    both_signed_in = threading.Barrier(2)

    def send():
        client = Client()
        try:
            client.force_login(agency_author)
            both_signed_in.wait(timeout=30)
            answers.append(client.post(progress_url(school_action), update(token)).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [302, 302]
    assert school_action.updates.count() == 1
    assert UsedFormToken.objects.get(token=token).status == "done"

"""Parallel proceedings are one record per review: what the Terms of Reference record is what
publication waits for, and a change on either page shows on the other."""

import datetime

import pytest
from django.urls import reverse

from reviews.publication import selectors as publication_selectors
from reviews.publication import services as publication_services
from reviews.terms import services as tor
from tests.reviews.publication_fixtures import *  # noqa: F403
from tests.reviews.report_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

PROSECUTION = "A fictional prosecution is under way."


def _date(name, value):
    return {f"{name}_0": value.day, f"{name}_1": value.month, f"{name}_2": value.year}


def test_a_prosecution_recorded_in_the_terms_of_reference_stops_publication(
    client, publication_ready, manager
):
    review = publication_ready
    tor.tor_start(review=review, by=manager)
    client.force_login(manager)
    response = client.post(
        reverse("reviews:terms_process_add", args=[review.pk]),
        {"kind": "criminal", "status": "ongoing", "notes": PROSECUTION},
    )
    assert response.status_code == 302

    blockers = publication_selectors.publication_blockers(review)
    assert (
        "Criminal proceedings have not concluded: wait for them, or publish information about "
        "the improvements only."
    ) in blockers
    page = client.get(reverse("reviews:publication", args=[review.pk])).content.decode()
    assert "Nothing stops publication" not in page
    assert PROSECUTION in page


def test_a_conclusion_recorded_on_the_publication_page_shows_in_the_terms_of_reference(
    client, publication_ready, manager, today
):
    review = publication_ready
    tor.tor_start(review=review, by=manager)
    client.force_login(manager)
    client.post(
        reverse("reviews:terms_process_add", args=[review.pk]),
        {"kind": "criminal", "status": "ongoing", "notes": PROSECUTION},
    )
    (proceeding,) = review.proceedings.all()
    edit = reverse("reviews:publication_proceeding_edit", args=[review.pk, proceeding.pk])
    form = client.get(edit).context["form"]
    response = client.post(
        edit,
        {
            "kind": "criminal",
            "status": "concluded",
            "notes": PROSECUTION,
            "version": form.initial["version"],
            **_date("concluded_on", datetime.date(2026, 12, 11)),
        },
    )
    assert response.status_code == 302
    assert review.proceedings.count() == 1
    terms_page = client.get(reverse("reviews:terms", args=[review.pk])).content.decode()
    assert "Concluded" in terms_page and PROSECUTION in terms_page
    assert not any("Criminal" in b for b in publication_selectors.publication_blockers(review))


def test_a_proceeding_recorded_for_publication_is_changed_from_the_terms_of_reference(
    client, publication_ready, manager, today
):
    review = publication_ready
    tor.tor_start(review=review, by=manager)
    inquest = publication_services.proceeding_add(
        review=review, by=manager, kind="coroner", status="ongoing"
    )
    client.force_login(manager)
    terms_page = client.get(reverse("reviews:terms", args=[review.pk])).content.decode()
    assert "Coroner&#x27;s inquest" in terms_page
    edit = reverse("reviews:terms_process_edit", args=[review.pk, inquest.pk])
    form = client.get(edit).context["form"]
    response = client.post(
        edit,
        {
            "kind": "coroner",
            "status": "concluded",
            "version": form.initial["version"],
            **_date("concluded_on", datetime.date(2026, 12, 10)),
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("reviews:publication", args=[review.pk])).content.decode()
    assert "Concluded" in page and "10 December 2026" in page
    assert not any("inquest" in b for b in publication_selectors.publication_blockers(review))

"""The move of the Terms of Reference's parallel processes into the review's one record of
proceedings (reviews 0012): nothing is lost, copies in later versions are one record, and what
was dropped or removed stays in the history."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from reviews.publication import selectors as publication_selectors
from reviews.publication.models import Proceeding

BEFORE = [("reviews", "0011_child_social_care_status")]
AFTER = [("reviews", "0012_parallel_proceedings_one_record")]


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return MigrationExecutor(connection).loader.project_state(target).apps


def _leaf():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_the_terms_of_reference_processes_move_into_the_one_record(lcspr_review, manager):
    review = lcspr_review
    family = Proceeding.objects.create(
        review=review, recorded_by=manager, kind="family_court", status="ongoing", notes=""
    )
    try:
        old = _migrate(BEFORE)
        Terms = old.get_model("reviews", "TermsOfReference")
        Process = old.get_model("reviews", "ParallelProcess")
        History = old.get_model("reviews", "HistoricalParallelProcess")
        when = timezone.now() - datetime.timedelta(days=30)

        def add(terms, days, **fields):
            process = Process.objects.create(terms=terms, **fields)
            History.objects.create(
                id=process.pk,
                terms_id=terms.pk,
                history_date=when + datetime.timedelta(days=days),
                history_type="+",
                history_user_id=manager.pk,
                **fields,
            )
            return process

        v1 = Terms.objects.create(
            review_id=review.pk, version=1, status="agreed", created_by_id=manager.pk
        )
        v2 = Terms.objects.create(
            review_id=review.pk, version=2, status="draft", created_by_id=manager.pk
        )
        prosecution = {"kind": "criminal", "status": "planned", "notes": "Charge expected."}
        add(v1, 0, **prosecution)
        add(v1, 0, kind="coroner", status="ongoing", notes="Inquest opened.")
        add(v2, 10, **prosecution)  # the copy into the new version
        add(v2, 11, kind="hr", status="ongoing", notes="")
        add(v2, 12, kind="family_court", status="ongoing", notes="Care proceedings.")
        removed = add(v2, 13, kind="dhr", status="planned", notes="Recorded in error.")
        History.objects.create(
            id=removed.pk,
            terms_id=v2.pk,
            kind="dhr",
            status="planned",
            notes="Recorded in error.",
            history_date=when + datetime.timedelta(days=14),
            history_type="-",
            history_user_id=manager.pk,
        )
        Process.objects.filter(pk=removed.pk).delete()

        _migrate(AFTER)
    finally:
        _migrate(_leaf())

    live = {p.kind: p for p in publication_selectors.proceedings_for(review)}
    assert sorted(live) == ["criminal", "family_court", "hr"]
    assert live["criminal"].status == "expected" and live["criminal"].notes == "Charge expected."
    assert live["family_court"].pk == family.pk
    assert "From the Terms of Reference: Care proceedings." in live["family_court"].notes

    history = Proceeding.history.model.objects.filter(review_id=review.pk)
    criminal = list(history.filter(id=live["criminal"].pk).order_by("history_date"))
    assert [h.history_type for h in criminal] == ["+", "~", "~"]
    assert criminal[-1].history_change_reason.startswith("Moved from the Terms of Reference")
    coroner = list(history.filter(kind="coroner").order_by("history_date"))
    assert [h.history_type for h in coroner] == ["+", "-"]
    assert coroner[0].notes == "Inquest opened."
    dhr = list(history.filter(kind="dhr").order_by("history_date"))
    assert [h.history_type for h in dhr] == ["+", "-"]
    assert history.filter(kind="family_court", notes="Care proceedings.").exists()
    assert (
        "Criminal proceedings have not concluded: wait for them, or publish information about "
        "the improvements only."
    ) in publication_selectors.publication_blockers(review)

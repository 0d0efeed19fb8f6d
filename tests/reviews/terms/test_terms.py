import datetime

import pytest
from django.utils import timezone

from lcspr.core.exceptions import WorkflowError
from reviews.clocks.models import DeadlineKind
from reviews.monitoring import services as monitoring_services
from reviews.terms import services as terms_services
from reviews.terms.models import TermsOfReference

pytestmark = pytest.mark.django_db


def _complete(terms, by, agencies):
    terms_services.tor_update(
        terms=terms,
        by=by,
        agencies=agencies,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2026, 3, 2),
        methodology="Systems methodology with practitioner conversations.",
    )
    terms_services.kloes_set(
        terms=terms, by=by, texts=["How was the baby's voice heard?", "Escalation"]
    )


def test_terms_of_reference_go_from_draft_to_shared_to_agreed(
    lcspr_review, manager, subgroup_member, local_authority, police
):
    terms = terms_services.tor_start(review=lcspr_review, by=manager)
    _complete(terms, manager, [local_authority, police])
    with pytest.raises(WorkflowError, match="Share the draft"):
        terms_services.tor_agree(terms=terms, by=subgroup_member)
    terms_services.tor_share(terms=terms, by=manager)
    terms_services.tor_comment_add(terms=terms, by=subgroup_member, text="Add the GP practice.")
    terms_services.tor_agree(terms=terms, by=subgroup_member)
    terms.refresh_from_db()
    assert terms.status == TermsOfReference.Status.AGREED
    deadline = lcspr_review.deadlines.get(kind=DeadlineKind.TOR_AGREEMENT)
    assert deadline.met_on == timezone.localdate()


def test_agreement_lists_what_is_missing(lcspr_review, manager, subgroup_member):
    terms = terms_services.tor_start(review=lcspr_review, by=manager)
    terms_services.tor_share(terms=terms, by=manager)
    with pytest.raises(WorkflowError) as error:
        terms_services.tor_agree(terms=terms, by=subgroup_member)
    assert "period under review" in str(error.value)
    assert "key line of enquiry" in str(error.value)


def test_an_agreed_version_is_kept_and_a_change_makes_a_new_version_with_a_reason(
    lcspr_review, manager, subgroup_member, local_authority
):
    first = terms_services.tor_start(review=lcspr_review, by=manager)
    _complete(first, manager, [local_authority])
    terms_services.tor_share(terms=first, by=manager)
    terms_services.tor_agree(terms=first, by=subgroup_member)
    with pytest.raises(WorkflowError, match="can no longer change"):
        terms_services.tor_update(terms=first, by=manager, methodology="Changed")
    with pytest.raises(WorkflowError, match="Enter why"):
        terms_services.tor_new_version(review=lcspr_review, by=manager, reason="")
    second = terms_services.tor_new_version(
        review=lcspr_review, by=manager, reason="Coroner's findings."
    )
    assert second.version == 2
    assert [k.text for k in second.kloes.all()] == [k.text for k in first.kloes.all()]
    terms_services.tor_share(terms=second, by=manager)
    terms_services.tor_agree(terms=second, by=subgroup_member)
    first.refresh_from_db()
    assert first.status == TermsOfReference.Status.SUPERSEDED
    assert first.methodology.startswith("Systems")


def test_a_checkpoint_moves_the_next_checkpoint_one_interval_on(lcspr_review, subgroup_member):
    due = lcspr_review.deadlines.get(kind=DeadlineKind.CHECKPOINT)
    assert due.due_date == datetime.date(2026, 4, 27)  # 25 April 2026 is a Saturday
    monitoring_services.checkpoint_record(
        review=lcspr_review,
        by=subgroup_member,
        held_on=datetime.date(2026, 4, 20),
        progress="on_track",
    )
    due.refresh_from_db()
    assert due.due_date == datetime.date(2026, 5, 20)

"""Re-importing into a draft that already has entries: the old entries go in bulk (a few
statements whatever their number, not a delete per entry), each recorded in the change history
as deleted by the person importing, all in one transaction with the new ones."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chronologies import services
from chronologies.models import Entry, ReviewerComment

pytestmark = pytest.mark.django_db


def rows(count, description="Visit"):
    return [
        {"date": datetime.date(2025, 4, 1), "description": f"{description} {n}"}
        for n in range(1, count + 1)
    ]


def queries_to_reimport(request, by, existing: int) -> int:
    services.entries_replace(request=request, by=by, rows=rows(existing, "Old"))
    with CaptureQueriesContext(connection) as queries:
        services.entries_replace(request=request, by=by, rows=rows(3, "New"))
    return len(queries)


def test_a_re_import_takes_as_many_queries_over_5_entries_as_over_300(
    school_request, school_author
):
    assert queries_to_reimport(school_request, school_author, 5) == queries_to_reimport(
        school_request, school_author, 300
    )


def test_each_entry_replaced_is_in_the_history_as_deleted_by_the_person_importing(
    school_request, school_author
):
    services.entries_replace(request=school_request, by=school_author, rows=rows(4, "Old"))
    old = {e.pk: e.description for e in school_request.entries.all()}
    services.entries_replace(request=school_request, by=school_author, rows=rows(2, "New"))
    assert [e.description for e in school_request.entries.order_by("sequence")] == [
        "New 1",
        "New 2",
    ]
    deleted = Entry.history.filter(history_type="-")
    assert {h.id: h.description for h in deleted} == old
    assert {h.history_user for h in deleted} == {school_author}
    assert Entry.history.filter(history_type="+").count() == 6
    # The deleted entries can still be read in full from the history.
    assert {h.request_id for h in deleted} == {school_request.pk}
    assert school_request.review.events.filter(kind="chronology_imported").count() == 2


def test_comments_on_the_entries_replaced_go_with_them_and_stay_in_the_history(
    school_request, school_author, manager
):
    services.entries_replace(request=school_request, by=school_author, rows=rows(2, "Old"))
    entry = school_request.entries.first()
    comment = ReviewerComment.objects.create(entry=entry, author=manager, text="Check the date")
    services.entries_replace(request=school_request, by=school_author, rows=rows(1, "New"))
    assert not ReviewerComment.objects.exists()
    gone = ReviewerComment.history.get(history_type="-")
    assert (gone.id, gone.text, gone.history_user) == (comment.pk, "Check the date", school_author)


def test_a_re_import_that_fails_part_way_changes_nothing(school_request, school_author):
    services.entries_replace(request=school_request, by=school_author, rows=rows(3, "Old"))
    bad = rows(2, "New") + [{"date": datetime.date(2025, 4, 1), "description": "x", "age": 3}]
    with pytest.raises(ValueError, match="Not an entry field: age"):
        services.entries_replace(request=school_request, by=school_author, rows=bad)
    assert [e.description for e in school_request.entries.order_by("sequence")] == [
        "Old 1",
        "Old 2",
        "Old 3",
    ]
    assert not Entry.history.filter(history_type="-").exists()

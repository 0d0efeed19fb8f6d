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


def test_a_re_import_takes_as_many_queries_over_5_entries_as_over_30(school_request, school_author):
    # 30, not hundreds: on SQLite (the README's default) Django splits a bulk insert into
    # statements of at most 999 parameters, about 35 history rows, which is the driver's limit
    # and not a query per entry; 30 fits one statement on every database.
    assert queries_to_reimport(school_request, school_author, 5) == queries_to_reimport(
        school_request, school_author, 30
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


def test_the_history_of_an_import_is_what_simple_historys_bulk_helper_records(
    school_request, police_request, school_author
):
    """The import copies its history rows from the entries inside the database rather than
    through simple-history's helper: the rows say the same (each entry in full, created, by the
    person importing, no change reason), with one moment for the whole import."""
    from django.utils import timezone
    from simple_history.utils import bulk_create_with_history

    full = [
        {
            "date": datetime.date(2025, 4, n),
            "time": datetime.time(9, n) if n % 2 else None,
            "date_certainty": "approximate" if n == 2 else "exact",
            "source_reference": f"REF-{n}",
            "practitioner_role": "Designated safeguarding lead",
            "event_type": "Home visit",
            "child_seen": "yes",
            "seen_alone": "no",
            "description": f"Visit {n}, the child's ‘worries’ noted",
            "child_voice": "Said she likes school",
            "action_taken": "Referral made",
            "outcome": "Strategy discussion",
            "significance": "First sign of neglect",
            "kloe_numbers": [1, 2] if n % 2 else [],
            "themes": ["Neglect"],
        }
        for n in range(1, 4)
    ]
    before = timezone.now()
    services.entries_replace(request=school_request, by=school_author, rows=full)
    after = timezone.now()
    bulk_create_with_history(
        [Entry(request=police_request, sequence=s, **row) for s, row in enumerate(full, 1)],
        Entry,
        default_user=school_author,
    )

    def history_of(request):
        return [
            {k: v for k, v in row.items() if k not in ("history_id", "id", "request_id")}
            | {"history_date": None}
            for row in Entry.history.filter(request=request).order_by("sequence").values()
        ]

    ours = history_of(school_request)
    assert ours == history_of(police_request)
    assert [
        (h["history_type"], h["history_user_id"], h["history_change_reason"]) for h in ours
    ] == [("+", school_author.pk, None)] * 3
    assert {h.id for h in Entry.history.filter(request=school_request)} == set(
        school_request.entries.values_list("pk", flat=True)
    )
    moments = set(
        Entry.history.filter(request=school_request).values_list("history_date", flat=True)
    )
    assert len(moments) == 1 and before <= moments.pop() <= after

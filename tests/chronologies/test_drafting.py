"""An agency's draft: naming the authors, typing, correcting and deleting entries and replacing
them by an import. Every refusal leaves the draft as it was; every change keeps its history
with the person who made it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from chronologies import services
from chronologies.models import Entry, RequestStatus
from lcspr.accounts.models import Role
from lcspr.core.exceptions import WorkflowError
from reviews.learning.models import LearningTheme
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
ROW = {"date": D(2025, 6, 3), "description": "Home visit; the child was seen."}


def add(request, by, description, **fields):
    return services.entry_save(
        request=request, by=by, **{**ROW, "description": description, **fields}
    )


def descriptions(request):
    return list(request.entries.order_by("sequence").values_list("sequence", "description"))


def submitted(request, author):
    add(request, author, "Class teacher noticed bruising")
    services.submit(request=request, by=author, declaration_confirmed=True)
    request.refresh_from_db()
    return request


# --- authors ------------------------------------------------------------------------------------


def test_it_refuses_an_author_of_another_agency_and_keeps_the_authors(
    school_request, school_author, other_agency_author
):
    with pytest.raises(WorkflowError) as refused:
        services.authors_set(
            request=school_request, by=school_author, authors=[school_author, other_agency_author]
        )
    assert refused.value.message_dict == {
        "authors": ["Olly Otheragency does not work for Riverside Primary School."]
    }
    assert list(school_request.authors.all()) == [school_author]


def test_naming_authors_replaces_the_earlier_ones_and_goes_on_the_timeline(
    school_request, school_author, school
):
    colleague = UserFactory(
        full_name="Cal Colleague", agency=school, roles=[Role.AGENCY_REPRESENTATIVE]
    )
    services.authors_set(request=school_request, by=school_author, authors=[colleague])
    assert list(school_request.authors.all()) == [colleague]
    summaries = school_request.review.events.filter(kind="chronology_authors").values_list(
        "summary", flat=True
    )
    assert list(summaries) == ["Riverside Primary School named its chronology author(s)"] * 2


def test_it_refuses_to_change_the_authors_once_submitted(school_request, school_author, school):
    submitted(school_request, school_author)
    colleague = UserFactory(agency=school, roles=[Role.AGENCY_REPRESENTATIVE])
    with pytest.raises(WorkflowError, match="The chronology is submitted: it cannot change now."):
        services.authors_set(request=school_request, by=school_author, authors=[colleague])
    assert list(school_request.authors.all()) == [school_author]


# --- entries ------------------------------------------------------------------------------------


def test_entries_are_numbered_in_the_order_typed_whatever_their_dates(
    school_request, school_author
):
    add(school_request, school_author, "Later event", date=D(2025, 9, 1))
    add(school_request, school_author, "Earlier event", date=D(2025, 2, 1))
    assert descriptions(school_request) == [(1, "Later event"), (2, "Earlier event")]
    # The draft lists them by date.
    assert [e.description for e in school_request.entries.all()] == [
        "Earlier event",
        "Later event",
    ]


def test_correcting_an_entry_keeps_its_number_and_the_earlier_wording_in_its_history(
    school_request, school_author, agency_author
):
    entry = add(school_request, school_author, "Home visit")
    add(school_request, school_author, "Phone call")
    services.entry_save(
        request=school_request, by=agency_author, entry=entry, description="Home visit at 4pm"
    )
    assert descriptions(school_request) == [(1, "Home visit at 4pm"), (2, "Phone call")]
    history = list(entry.history.order_by("history_date").values_list("description", flat=True))
    assert history == ["Home visit", "Home visit at 4pm"]
    assert entry.history.first().history_user == agency_author


def test_a_correction_that_is_not_valid_leaves_the_entry_as_it_was(school_request, school_author):
    entry = add(school_request, school_author, "Home visit")
    with pytest.raises(ValidationError, match="not a valid choice"):
        services.entry_save(
            request=school_request, by=school_author, entry=entry, child_seen="perhaps"
        )
    with pytest.raises(WorkflowError, match="cannot be in the future"):
        services.entry_save(
            request=school_request,
            by=school_author,
            entry=entry,
            date=timezone.localdate() + datetime.timedelta(days=1),
        )
    entry.refresh_from_db()
    assert (entry.date, entry.child_seen) == (ROW["date"], "unknown")
    assert entry.history.count() == 1


def test_an_event_today_is_accepted(school_request, school_author):
    entry = add(school_request, school_author, "Strategy meeting", date=timezone.localdate())
    assert entry.date == timezone.localdate()


def test_it_refuses_to_move_an_entry_into_another_chronology(
    school_request, police_request, school_author, other_agency_author
):
    police_entry = add(police_request, other_agency_author, "Police call")
    with pytest.raises(ValueError, match="another chronology"):
        services.entry_save(
            request=school_request, by=school_author, entry=police_entry, description="Moved"
        )
    police_entry.refresh_from_db()
    assert police_entry.description == "Police call"
    assert not school_request.entries.exists()


def test_it_refuses_a_field_an_entry_does_not_have(school_request, school_author):
    with pytest.raises(ValueError, match="Not an entry field: agency"):
        add(school_request, school_author, "Visit", agency="Another agency")
    assert not school_request.entries.exists()


def test_deleting_an_entry_keeps_it_in_the_history_with_who_deleted_it(
    school_request, school_author
):
    entry = add(school_request, school_author, "Typed twice")
    add(school_request, school_author, "Kept")
    pk = entry.pk
    services.entry_delete(entry=entry, by=school_author)
    assert descriptions(school_request) == [(2, "Kept")]
    deleted = Entry.history.filter(id=pk, history_type="-").get()
    assert (deleted.description, deleted.history_user) == ("Typed twice", school_author)


def test_the_next_entry_is_numbered_after_the_last_one_left(school_request, school_author):
    first = add(school_request, school_author, "First")
    add(school_request, school_author, "Second")
    services.entry_delete(entry=first, by=school_author)
    add(school_request, school_author, "Third")
    assert descriptions(school_request) == [(2, "Second"), (3, "Third")]


@pytest.mark.parametrize("status", [RequestStatus.SUBMITTED, RequestStatus.ACCEPTED])
def test_a_chronology_out_of_the_agencys_hands_cannot_change(
    school_request, school_author, manager, status
):
    submitted(school_request, school_author)
    if status == RequestStatus.ACCEPTED:
        services.accept(request=school_request, by=manager)
    entry = school_request.entries.get()
    label = "submitted" if status == RequestStatus.SUBMITTED else "accepted"
    message = f"The chronology is {label}: it cannot change now."
    with pytest.raises(WorkflowError, match=message):
        add(school_request, school_author, "Late addition")
    with pytest.raises(WorkflowError, match=message):
        services.entry_save(
            request=school_request, by=school_author, entry=entry, description="Changed"
        )
    with pytest.raises(WorkflowError, match=message):
        services.entry_delete(entry=entry, by=school_author)
    with pytest.raises(WorkflowError, match=message):
        services.entries_replace(request=school_request, by=school_author, rows=[ROW])
    assert descriptions(school_request) == [(1, "Class teacher noticed bruising")]


# --- replacing the draft by an import -------------------------------------------------------------


def test_a_re_import_replaces_every_entry_numbering_from_one_and_says_so_on_the_timeline(
    school_request, school_author
):
    for n in range(3):
        add(school_request, school_author, f"Typed {n}")
    count = services.entries_replace(
        request=school_request,
        by=school_author,
        rows=[{**ROW, "description": "Imported A"}, {**ROW, "description": "Imported B"}],
    )
    assert count == 2
    assert descriptions(school_request) == [(1, "Imported A"), (2, "Imported B")]
    assert Entry.history.filter(request_id=school_request.pk, history_type="-").count() == 3
    [event] = school_request.review.events.filter(kind="chronology_imported")
    assert event.summary == "Riverside Primary School imported 2 chronology entries"
    assert event.actor == school_author


def test_an_empty_import_is_refused_and_the_draft_kept(school_request, school_author):
    add(school_request, school_author, "Typed by hand")
    with pytest.raises(WorkflowError, match="The file has no entries."):
        services.entries_replace(request=school_request, by=school_author, rows=[])
    assert descriptions(school_request) == [(1, "Typed by hand")]


def test_an_import_over_the_entry_limit_is_refused_and_the_draft_kept(
    school_request, school_author, monkeypatch
):
    monkeypatch.setattr(services, "MAX_ENTRIES", 2)
    add(school_request, school_author, "Typed by hand")
    with pytest.raises(WorkflowError, match="up to 2 entries"):
        services.entries_replace(request=school_request, by=school_author, rows=[ROW] * 3)
    assert descriptions(school_request) == [(1, "Typed by hand")]


def test_a_row_with_an_unknown_field_stores_nothing_and_keeps_the_draft(
    school_request, school_author
):
    add(school_request, school_author, "Typed by hand")
    with pytest.raises(ValueError, match="Not an entry field: agency"):
        services.entries_replace(
            request=school_request, by=school_author, rows=[ROW, {**ROW, "agency": "Police"}]
        )
    assert descriptions(school_request) == [(1, "Typed by hand")]


def test_a_returned_chronology_can_be_re_imported(school_request, school_author, manager):
    submitted(school_request, school_author)
    services.return_for_changes(request=school_request, by=manager, comments="Add the times.")
    services.entries_replace(
        request=school_request, by=school_author, rows=[{**ROW, "time": datetime.time(16, 0)}]
    )
    assert school_request.entries.get().time == datetime.time(16, 0)


def test_an_entry_keeps_a_theme_retired_since_when_it_is_corrected(
    client, school_request, school_author
):
    entry = add(school_request, school_author, "Home visit", themes=["Young carers"])
    LearningTheme.objects.filter(name="Young carers").update(is_active=False)
    client.force_login(school_author)
    page = reverse("chronologies:entry_edit", args=[school_request.pk, entry.pk])
    choices = dict(client.get(page).context["form"].fields["themes"].choices)
    assert "Young carers" in choices
    # A new entry is offered only the themes in use.
    blank = client.get(reverse("chronologies:entry_add", args=[school_request.pk]))
    assert "Young carers" not in dict(blank.context["form"].fields["themes"].choices)
    response = client.post(
        page,
        {
            "date_0": "3",
            "date_1": "6",
            "date_2": "2025",
            "date_certainty": "exact",
            "child_seen": "unknown",
            "seen_alone": "unknown",
            "description": "Home visit at 4pm",
            "themes": ["Young carers", "Neglect"],
        },
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.themes == ["Young carers", "Neglect"]

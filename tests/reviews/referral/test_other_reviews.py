"""Other reviews involving this child or family, and the adults a review is about: found across
reviews allowing for spelling and slips in dates, shown only to those who may see both reviews,
names only to those who may see identities, every read in the access log, constant queries."""

import datetime

import pytest
from django.urls import reverse

from lcspr.access_log.models import AccessLog
from lcspr.core.exceptions import WorkflowError
from lcspr.core.permissions import grant
from reviews.models import ReviewEvent
from reviews.referral import services as referral_services
from reviews.referral.models import Adult
from reviews.report.anonymisation import restricted_names_prefill
from tests.helpers import assert_constant_queries, two_editors
from tests.reviews.conftest import open_referral, to_rapid_review

D = datetime.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def earlier(manager, local_authority, police, icb):
    """An earlier fictional review of a boy and his mother."""
    review = open_referral(manager, local_authority, pseudonym="Child E")
    referral_services.child_add(
        review=review, by=manager, name="Jaydon Marsh", sex="male", date_of_birth=D(2016, 4, 3)
    )
    referral_services.adult_add(
        review=review,
        by=manager,
        name="Kerry Marsh",
        relationship=Adult.Relationship.MOTHER,
        address="12 Larch Road, Otterby OT4 7QX",
    )
    return review


@pytest.fixture
def later(manager, local_authority, earlier):
    """The new referral: the same boy, his name spelt otherwise and his date of birth with the
    day and month swapped; his mother's partner at the same address."""
    review = open_referral(manager, local_authority, pseudonym="Child L")
    referral_services.child_add(
        review=review, by=manager, name="jayden  MARSH", sex="male", date_of_birth=D(2016, 3, 4)
    )
    referral_services.adult_add(
        review=review,
        by=manager,
        name="Dale Marsh",
        relationship=Adult.Relationship.PARENTS_PARTNER,
        address="12 larch rd otterby ot47qx",
    )
    return review


def _page(client, user, review):
    client.force_login(user)
    return client.get(reverse("reviews:other_reviews", args=[review.pk]))


def test_the_manager_sees_the_earlier_review_with_each_match_explained(
    client, manager, earlier, later
):
    response = _page(client, manager, later)
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{earlier.reference} (Child E)" in text
    assert "jayden  MARSH (child) and Jaydon Marsh (child on" in text
    assert (
        "Date of birth with the day and month swapped (4 March 2016/3 April 2016), same surname, "
        "similar first name (jayden/Jaydon)"
    ) in text
    assert "Dale Marsh (parent&#x27;s partner or step-parent) and Kerry Marsh (mother on" in text
    assert "Same surname and address" in text


def test_the_earlier_review_finds_the_later_one_too(client, manager, earlier, later):
    assert later.reference in _page(client, manager, earlier).content.decode()


def test_a_review_with_nobody_alike_finds_nothing(client, manager, local_authority, earlier):
    review = open_referral(manager, local_authority, pseudonym="Child N")
    referral_services.child_add(
        review=review, by=manager, name="Noah Marsh", sex="male", date_of_birth=D(2012, 7, 1)
    )
    text = _page(client, manager, review).content.decode()
    assert earlier.reference not in text
    assert "No other review you may see involves a child or adult like those" in text


def test_a_review_whose_people_have_no_date_of_birth_or_address_is_not_said_to_match_nothing(
    client, manager, local_authority, earlier
):
    # The same name as the earlier review's boy, but nothing a match could rest on.
    review = open_referral(manager, local_authority, pseudonym="Child Q")
    referral_services.child_add(review=review, by=manager, name="Jaydon Marsh", sex="male")
    text = _page(client, manager, review).content.decode()
    assert "Nothing can be compared yet: no child or adult on this review has a date of birth" in (
        text
    )
    assert "No other review you may see involves" not in text


def test_someone_who_sees_only_one_of_the_two_reviews_sees_no_match(
    client, outsider, earlier, later
):
    grant(outsider, "view_case", later)
    text = _page(client, outsider, later).content.decode()
    assert earlier.reference not in text
    assert "Child E" not in text
    assert "Jaydon" not in text and "Kerry" not in text


def test_someone_who_sees_both_reviews_but_not_identities_sees_the_match_without_names(
    client, outsider, earlier, later
):
    grant(outsider, "view_case", later)
    grant(outsider, "view_case", earlier)
    text = _page(client, outsider, later).content.decode()
    assert f"{earlier.reference} (Child E)" in text
    assert "Date of birth with the day and month swapped, same surname, similar first name" in text
    for name in ("Jaydon", "jayden", "Marsh", "Kerry", "Dale", "March 2016"):
        assert name not in text


def test_someone_who_sees_neither_review_is_told_it_does_not_exist(
    client, outsider, earlier, later
):
    assert _page(client, outsider, later).status_code == 404


def test_reading_the_matches_is_in_the_access_log(client, manager, earlier, later):
    _page(client, manager, later)
    entry = AccessLog.objects.filter(user=manager, review_id=later.pk).latest("pk")
    assert entry.what == (
        f"Other reviews involving this child or family (matches: {earlier.reference})"
    )


def test_the_page_runs_the_same_queries_for_few_or_many_reviews(
    client, manager, local_authority, later
):
    client.force_login(manager)

    def grow():
        for n in range(8):
            review = open_referral(manager, local_authority, pseudonym=f"Child G{n}")
            referral_services.child_add(
                review=review,
                by=manager,
                name=f"Jaiden Marsh{'e' * (n % 2)}",
                sex="male",
                date_of_birth=D(2016, 3, 4),
            )
            referral_services.adult_add(
                review=review,
                by=manager,
                name=f"Sam Marsh {n}",
                relationship=Adult.Relationship.FATHER,
                address="12 Larch Road, Otterby OT4 7QX",
            )

    assert_constant_queries(client, reverse("reviews:other_reviews", args=[later.pk]), grow)
    text = client.get(reverse("reviews:other_reviews", args=[later.pk])).content.decode()
    assert "9 other reviews may involve this child or family" in text


def test_the_rapid_review_shows_the_answer_where_the_criteria_are_recorded(
    client, manager, earlier, later
):
    to_rapid_review(later, manager)
    client.force_login(manager)
    text = client.get(reverse("reviews:rapid_review", args=[later.pk])).content.decode()
    assert "The criteria ask whether improvements have been previously identified" in text
    assert (
        f"{earlier.reference} (Child E)</a>: date of birth with the day and month swapped" in text
    )


def test_adding_an_adult_records_history_and_a_timeline_event_without_the_name(
    client, manager, referral
):
    client.force_login(manager)
    response = client.post(
        reverse("reviews:adult_add", args=[referral.pk]),
        {
            "name": "Robin Tallowby",
            "relationship": "father",
            "date_of_birth_0": "9",
            "date_of_birth_1": "10",
            "date_of_birth_2": "1990",
            "address": "3 Mill Lane, Otterby OT1 2AB",
        },
        follow=True,
    )
    adult = Adult.objects.get(review=referral)
    assert (adult.name, adult.date_of_birth, adult.surname_key) == (
        "Robin Tallowby",
        D(1990, 10, 9),
        "T410",
    )
    assert adult.history.get().history_user == manager
    event = ReviewEvent.objects.filter(review=referral, kind="adult_added").get()
    assert event.summary == "An adult's details were added (father)"
    assert "Robin Tallowby" in response.content.decode()  # the review page's table


def test_the_adult_form_names_the_field_that_is_wrong_and_saves_nothing(client, manager, referral):
    client.force_login(manager)
    response = client.post(
        reverse("reviews:adult_add", args=[referral.pk]),
        {"name": "", "relationship": "uncle", "date_of_birth_0": "31", "date_of_birth_1": "2"},
    )
    text = response.content.decode()
    assert "Enter the adult&#x27;s full name" in text
    assert "Select a valid choice" in text
    assert "Date of birth must include a year" in text
    assert not Adult.objects.exists()


def test_a_date_of_birth_in_the_future_is_refused(manager, referral):
    with pytest.raises(WorkflowError):
        referral_services.adult_add(
            review=referral,
            by=manager,
            name="Robin Tallowby",
            relationship="father",
            date_of_birth=D(2999, 1, 1),
        )


def test_editing_an_adult_read_before_someone_else_changed_it_is_refused(
    manager, referral, local_authority
):
    from tests.factories import Role, UserFactory

    second = UserFactory(full_name="Mo Manager", roles=[Role.PARTNERSHIP_MANAGER])
    adult = referral_services.adult_add(
        review=referral, by=manager, name="Robin Tallowby", relationship="father"
    )
    url = reverse("reviews:adult_edit", args=[referral.pk, adult.pk])
    first, other = two_editors(url, manager, second)
    first.form["name"] = "Robyn Tallowby"
    assert first.save(url).status_code == 302
    other.form["relationship"] = "carer"
    response = other.save(url)
    assert response.status_code == 200
    assert "changed this" in response.content.decode()
    adult.refresh_from_db()
    assert (adult.name, adult.relationship) == ("Robyn Tallowby", "father")
    assert ReviewEvent.objects.filter(review=referral, kind="adult_updated").count() == 1


def test_removing_an_adult_keeps_it_in_history(client, manager, referral):
    adult = referral_services.adult_add(
        review=referral, by=manager, name="Robin Tallowby", relationship="father"
    )
    client.force_login(manager)
    client.post(reverse("reviews:adult_remove", args=[referral.pk, adult.pk]))
    assert not Adult.objects.exists()
    assert adult.history.filter(history_type="-").exists()
    assert ReviewEvent.objects.filter(review=referral, kind="adult_removed").exists()


def test_the_adults_of_a_closed_review_no_longer_change(manager, referral):
    referral_services.criteria_record(
        review=referral, by=manager, abuse_or_neglect="no", died_or_seriously_harmed="yes"
    )
    referral_services.review_close_not_notifiable(review=referral, by=manager, reason="Not met")
    with pytest.raises(WorkflowError, match="closed"):
        referral_services.adult_add(
            review=referral, by=manager, name="Robin Tallowby", relationship="father"
        )


def test_the_restricted_list_starts_with_the_adults_too(manager, later):
    terms = {name.term for name in restricted_names_prefill(review=later, by=manager)}
    assert {"Dale Marsh", "Dale", "12 larch rd otterby ot47qx", "OT4 7QX"} <= terms


def test_the_chair_sees_the_answer_where_the_decision_is_recorded(
    client, manager, independent_chair, earlier, awaiting_decision
):
    referral_services.child_add(
        review=awaiting_decision,
        by=manager,
        name="Jaydon Marsh",
        sex="male",
        date_of_birth=D(2016, 4, 3),
    )
    client.force_login(independent_chair)
    text = client.get(reverse("reviews:decision", args=[awaiting_decision.pk])).content.decode()
    assert "1 other review may involve this child or family" in text
    assert f"{earlier.reference} (Child E)</a>: same name and date of birth" in text

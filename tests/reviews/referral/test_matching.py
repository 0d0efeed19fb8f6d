"""Whether two people recorded on different reviews may be the same: spelling, letter case and
spaces, transposed dates of birth, addresses; and no match on a common surname alone."""

import datetime

import pytest

from reviews.referral.matching import Person, compare, date_variants, in_words, soundex

D = datetime.date


def _said(a: Person, b: Person, *, details=True) -> str:
    reasons = compare(a, b)
    return in_words(reasons, details=details) if reasons else ""


def test_a_spelling_variant_of_the_first_name_matches_with_the_same_date_and_surname():
    said = _said(Person("Jayden Marsh", D(2016, 5, 20)), Person("Jaydon Marsh", D(2016, 5, 20)))
    assert said == "Same date of birth and surname, similar first name (Jayden/Jaydon)"


def test_without_details_the_explanation_names_nobody():
    said = _said(
        Person("Jayden Marsh", D(2016, 5, 20)),
        Person("Jaydon Marsh", D(2016, 5, 20)),
        details=False,
    )
    assert said == "Same date of birth and surname, similar first name"


def test_a_similar_surname_and_the_same_date_of_birth_match():
    said = _said(Person("Tilly Smyth", D(2019, 1, 2)), Person("Tilly Smith", D(2019, 1, 2)))
    assert said.startswith("Same date of birth")
    assert "similar surname (Smyth/Smith)" in said


def test_letter_case_and_extra_spaces_make_no_difference():
    said = _said(
        Person("  rowan   QUILLFEATHER ", D(2018, 7, 9)),
        Person("Rowan Quillfeather", D(2018, 7, 9)),
    )
    assert said == "Same name and date of birth"


def test_a_date_of_birth_with_the_day_and_month_swapped_matches():
    said = _said(Person("Ezra Penhallow", D(2017, 3, 4)), Person("Ezra Penhallow", D(2017, 4, 3)))
    assert "date of birth with the day and month swapped (4 March 2017/3 April 2017)" in said


def test_a_date_of_birth_with_two_adjacent_digits_transposed_matches():
    # 12 06 2015 typed as 21 06 2015.
    said = _said(Person("Ezra Penhallow", D(2015, 6, 12)), Person("Ezra Penhallow", D(2015, 6, 21)))
    assert said.startswith("Same name, date of birth with two digits transposed")


def test_a_common_surname_alone_is_no_match():
    assert (
        compare(Person("Olivia Smith", D(2015, 3, 14)), Person("Noah Smith", D(2012, 7, 1))) == []
    )


def test_the_same_full_name_without_a_date_or_address_to_compare_is_no_match():
    assert compare(Person("Olivia Smith"), Person("Olivia Smith")) == []


def test_a_different_date_of_birth_is_no_match_even_with_the_same_name():
    assert (
        compare(Person("Olivia Smith", D(2015, 3, 14)), Person("Olivia Smith", D(2011, 9, 30)))
        == []
    )


def test_the_same_address_and_surname_match_a_family_member():
    said = _said(
        Person("Kerry Fenwick", address="12 Larch Road\nOtterby OT4 7QX"),
        Person("Dale Fenwick", address="12 larch rd, otterby ot47qx"),
    )
    assert said == "Same surname and address"


def test_a_neighbour_at_the_same_postcode_is_no_match():
    assert (
        compare(
            Person("Kerry Fenwick", address="12 Larch Road, Otterby OT4 7QX"),
            Person("Dale Fenwick", address="14 Larch Road, Otterby OT4 7QX"),
        )
        == []
    )


@pytest.mark.parametrize(
    ("born", "variant"),
    [
        (D(2017, 3, 4), D(2017, 4, 3)),  # day and month swapped
        (D(2015, 6, 12), D(2015, 6, 21)),  # two digits of the day
        (D(2016, 1, 25), D(2061, 1, 25)),  # two digits of the year
    ],
)
def test_date_variants_include_the_usual_slips(born, variant):
    assert variant in date_variants(born)


def test_soundex_gives_similar_surnames_one_key():
    assert soundex("Smith") == soundex("Smyth") == "S530"
    assert soundex("Ashcraft") == "A261"

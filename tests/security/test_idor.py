"""Insecure direct object references: every URL that takes an object id, tried with ids that
belong to someone else, answers 404. Enumerated from the same URL walk and rows as the matrix,
so a new id-taking URL is swept as soon as it has its row.

(a) Every id swapped for review B's object, requested by the people of review A who have no
    part in B: A's panel member, A's author and the representative of A's agency get 404. A's
    panel chair is a sub-group member (every panel chair is), and the sub-group oversees every
    LCSPR: on B they get exactly what any sub-group member gets.
(b) A's parent id with B's child id (A's review with B's report version, A's chronology with
    B's entry...): 404 for everyone who may act on A's parent, the manager included; nobody
    gets anything they would not get on A's own URL.
(c) Another agency's object (chronology, entry, summary, action, evidence) within review A:
    404 for the representative of A's first agency.
(d) An id that matches nothing: 404 for the manager, never a server error.
"""

import pytest

from tests.security import matrix
from tests.security.conftest import report

A_ONLY = ("panel_member_a", "author_a", "rep_involved")
ROWS = matrix.ROWS


def _object_ids(row) -> list[str]:
    return [kwarg for kwarg in row.ids if matrix.is_object_id(kwarg)]


def _review_object_ids(row) -> list[str]:
    return [kwarg for kwarg in _object_ids(row) if row.ids[kwarg] not in matrix.GLOBAL_OBJECTS]


ID_ROWS = [row for row in ROWS if _review_object_ids(row)]
NESTED_ROWS = [row for row in ID_ROWS if len(_review_object_ids(row)) > 1]
AGENCY_ROWS = [row for row in ID_ROWS if set(row.ids.values()) & matrix.AGENCY_OBJECTS]


def test_every_id_taking_url_has_a_world_object_behind_each_id(world):
    by_name = matrix.rows_by_name()
    problems = []
    for name, route, kwargs in matrix.url_patterns():
        for row in by_name.get(name, []):
            for kwarg in kwargs:
                if kwarg not in row.ids and kwarg not in row.args:
                    problems.append(f"{row.label}: nothing given for <{kwarg}> in {route}")
                elif matrix.is_object_id(kwarg) and kwarg not in row.ids:
                    problems.append(f"{row.label}: <{kwarg}> is an object id, not a fixed value")
            for obj in row.ids.values():
                for side in ("a", "b"):
                    if not hasattr(world.side(side), obj):
                        problems.append(f"{row.label}: review {side.upper()} has no {obj!r}")
    assert not problems, "The world cannot fill these URLs:\n  " + "\n  ".join(problems)


def test_the_sweep_covers_every_url_that_takes_an_id():
    swept = {row.name for row in ID_ROWS}
    with_ids = {
        name
        for name, _, kwargs in matrix.url_patterns()
        if any(matrix.is_object_id(k) for k in kwargs)
    }
    global_only = {row.name for row in ROWS if _object_ids(row) and not _review_object_ids(row)}
    assert with_ids - global_only <= swept, sorted(with_ids - global_only - swept)


@pytest.mark.parametrize("row", ID_ROWS, ids=lambda row: row.label)
def test_another_reviews_ids_are_not_found(row, world, requester):
    kwargs = row.kwargs(world.a)
    for kwarg in _review_object_ids(row):
        kwargs[kwarg] = getattr(world.b, row.ids[kwarg]).pk
    expect = dict.fromkeys(A_ONLY, matrix.NOT_FOUND)
    # On review B, A's panel chair is any sub-group member.
    expect["panel_chair_a"] = row.expect["subgroup"]
    if set(row.ids.values()) & matrix.SHARED_OBJECTS:
        # Shared with every agency: on B, A's representative is any other agency's.
        expect["rep_involved"] = row.expect["rep_other"]
    mismatches = requester.mismatches(row, kwargs, expect)
    assert not mismatches, report(f"{row.label} with review B's ids:", mismatches)


@pytest.mark.parametrize("row", NESTED_ROWS, ids=lambda row: row.label)
def test_a_child_of_another_review_under_this_reviews_id_is_not_found(row, world, requester):
    _parent, *children = _review_object_ids(row)
    mismatches = []
    for child in children:
        kwargs = {**row.kwargs(world.a), child: row.kwargs(world.b)[child]}
        # 404 for whoever may act on A's own URL; the rest are refused as they are there.
        expect = {
            persona: matrix.NOT_FOUND if outcome == matrix.OK else (matrix.NOT_FOUND, outcome)
            for persona, outcome in row.expect.items()
            if persona != "anonymous"
        }
        mismatches += requester.mismatches(row, kwargs, expect)
    assert not mismatches, report(f"{row.label} with a child id of review B's:", mismatches)


@pytest.mark.parametrize("row", AGENCY_ROWS, ids=lambda row: row.label)
def test_another_agencys_objects_are_not_found_by_an_agency_representative(row, world, requester):
    swappable = [k for k in row.ids if row.ids[k] in matrix.AGENCY_OBJECTS]
    missing = [row.ids[k] for k in swappable if not hasattr(world.a, f"{row.ids[k]}_other_agency")]
    assert not missing, f"{row.label}: the world has no other agency's {missing}"
    mismatches = []
    for swap in [[k] for k in swappable] + ([swappable] if len(swappable) > 1 else []):
        kwargs = {
            **row.kwargs(world.a),
            **{k: getattr(world.a, f"{row.ids[k]}_other_agency").pk for k in swap},
        }
        mismatches += requester.mismatches(row, kwargs, {"rep_involved": matrix.NOT_FOUND})
    assert not mismatches, report(f"{row.label} with another agency's ids:", mismatches)


@pytest.mark.parametrize("row", ID_ROWS, ids=lambda row: row.label)
def test_an_id_that_does_not_exist_is_not_found(row, world, requester):
    """For the partnership manager, who may know every review exists: any id that matches
    nothing is 404, never a server error or a page for some other object."""
    mismatches = []
    for kwarg in _review_object_ids(row):
        kwargs = {**row.kwargs(world.a), kwarg: 2_000_000_000}
        outcome = row.expect["manager"]
        expected = matrix.NOT_FOUND if outcome == matrix.OK else (matrix.NOT_FOUND, outcome)
        mismatches += requester.mismatches(row, kwargs, {"manager": expected})
    assert not mismatches, report(f"{row.label} with an id that does not exist:", mismatches)

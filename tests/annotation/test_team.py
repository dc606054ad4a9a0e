"""Team desks: even and stable assignment, desk names that name nobody, a team too small refused."""

from __future__ import annotations

from collections import Counter

import pytest

from annotation.team import assign, check_team, desk_title, desks_of, review_title
from cleaning.errors import CorpusError


def loads(plan: dict[str, tuple[int, ...]]) -> Counter:
    return Counter(desk for desks in plan.values() for desk in desks)


def test_a_team_of_five_with_overlap_two_labels_two_fifths_each_and_every_document_twice():
    plan = assign([f"doc{i:03}" for i in range(100)], {}, 5, 2)
    assert all(len(set(desks)) == 2 for desks in plan.values())
    assert loads(plan) == {desk: 40 for desk in range(1, 6)}


def test_adding_documents_keeps_every_earlier_assignment_and_the_loads_even():
    first = assign([f"doc{i:03}" for i in range(13)], {}, 5, 2)
    existing = {doc: list(desks) for doc, desks in first.items()}
    later = assign([f"doc{i:03}" for i in range(13 + 7)], existing, 5, 2)
    assert {doc: later[doc] for doc in first} == first
    assert max(loads(later).values()) - min(loads(later).values()) <= 1


def test_the_same_corpus_gives_the_same_plan_and_a_document_is_not_always_on_desk_one():
    ids = [f"doc{i:03}" for i in range(9)]
    assert assign(ids, {}, 3, 1) == assign(ids, {}, 3, 1)
    assert len({assign([doc], {}, 3, 1)[doc] for doc in ids}) > 1


def test_a_raised_overlap_tops_documents_up_and_never_takes_a_desk_away():
    plan = assign(["a", "b"], {"a": [2], "b": [1, 3]}, 3, 2)
    assert 2 in plan["a"] and len(plan["a"]) == 2 and plan["b"] == (1, 3)


@pytest.mark.parametrize(("team", "overlap", "says"), [
    (2, 3, "--overlap 3 asks for more annotators per document than the team of 2 has"),
    (0, 1, "a team needs at least one annotator"),
])
def test_a_team_smaller_than_its_overlap_is_refused_with_what_to_give(team, overlap, says):
    with pytest.raises(CorpusError, match=says) as err:
        check_team(team, overlap)
    assert err.value.hint


def test_desks_are_named_by_number_and_found_again_by_title():
    titles = [desk_title("P", 2), desk_title("P", 10), "P", review_title("P"), desk_title("Q", 1), "P · desk x"]
    assert desks_of("P", titles) == [2, 10]
    with pytest.raises(CorpusError, match="too long for a team"):
        desk_title("x" * 45, 1)

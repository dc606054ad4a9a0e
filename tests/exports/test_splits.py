"""Deterministic, grouped, stance-stratified splits."""

from collections import Counter

import pytest

from cleaning.errors import CorpusError
from exports.splits import assign_splits, group_documents, site_of


def corpus(n=60):
    """n documents, a third of each stance; a few near-duplicates and one shared site."""
    rows = [{"doc_id": f"d{i:03}", "stance": ("FAVOR", "AGAINST", "NONE")[i % 3]} for i in range(n)]
    rows[10]["near_duplicate_of"] = "d001"
    rows[11]["near_duplicate_of"] = "gone"  # the original itself is not in the set...
    rows[12]["near_duplicate_of"] = "gone"  # ...but its two copies still go together
    for i in (20, 21, 22, 23):
        rows[i]["site"] = "dawn.com"
    return rows


def test_the_same_seed_gives_the_same_splits_and_another_seed_may_not():
    rows = corpus()
    first = assign_splits(rows, seed=1)
    assert first == assign_splits(list(reversed(rows)), seed=1)
    assert any(assign_splits(rows, seed=s) != first for s in range(2, 6))


def test_groups_never_straddle_two_splits():
    rows = corpus()
    for seed in range(5):
        split = assign_splits(rows, seed=seed)
        assert split["d010"] == split["d001"]
        assert split["d011"] == split["d012"]
        assert len({split[f"d0{i}"] for i in (20, 21, 22, 23)}) == 1


def test_ratios_and_stance_are_kept():
    split = assign_splits(corpus(), (0.8, 0.1, 0.1), seed=3)
    sizes = Counter(split.values())
    assert 44 <= sizes["train"] <= 52 and 3 <= sizes["dev"] <= 9 and 3 <= sizes["test"] <= 9
    stances = {name: Counter(r["stance"] for r in corpus() if split[r["doc_id"]] == name) for name in sizes}
    for name in ("dev", "test"):
        assert set(stances[name]) == {"FAVOR", "AGAINST", "NONE"}


def test_grouping_links_by_near_duplicate_and_site():
    groups = group_documents(
        [
            {"doc_id": "a", "site": "x.org"},
            {"doc_id": "b", "site": "x.org"},
            {"doc_id": "c", "near_duplicate_of": "a"},
            {"doc_id": "d"},
        ]
    )
    assert groups["a"] == groups["b"] == groups["c"] != groups["d"]


def test_site_comes_from_meta_or_url():
    assert site_of({"site": "Dawn.com", "url": "https://other.org"}) == "dawn.com"
    assert site_of({"url": "https://www.tolonews.com/x"}) == "tolonews.com"
    assert site_of({"url": ""}) is None


@pytest.mark.parametrize("ratios", [(0.8, 0.2), (0.9, 0.1, 0.1), (1.2, -0.1, -0.1)])
def test_bad_ratios_are_refused(ratios):
    with pytest.raises(CorpusError, match="bad split ratios") as err:
        assign_splits(corpus(), ratios)
    assert "--split 0.8,0.1,0.1" in err.value.hint

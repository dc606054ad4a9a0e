"""Deterministic train/dev/test splits: grouped, then stratified by stance, seeded.

Documents that must not straddle two splits form one group: a near-duplicate
and the document it copies (the cleaner's `flags.near_duplicate_of`), and
articles from the same site (`meta.site`, else the host of `meta.url`). Whole
groups are dealt out, largest first, each to the split where it brings the
stance counts closest to the target ratios; the seed only breaks ties between
groups of equal size, so the same inputs and seed give the same splits.
"""

from __future__ import annotations

import random
from collections import Counter
from urllib.parse import urlparse

from cleaning.errors import CorpusError

SPLITS = ("train", "dev", "test")
DEFAULT_RATIOS = (0.8, 0.1, 0.1)
DEFAULT_SEED = 13


def site_of(meta: dict) -> str | None:
    """Name the site an article came from: `meta.site`, else the URL's host without `www.`.

    >>> site_of({"url": "https://www.dawn.com/news/1"}), site_of({})
    ('dawn.com', None)
    """
    if meta.get("site"):
        return str(meta["site"]).lower()
    host = urlparse(meta.get("url") or "").hostname
    return host.removeprefix("www.") if host else None


def group_documents(records: list[dict]) -> dict[str, str]:
    """Map each doc id to its group: linked by near-duplicate flags and by shared site (union-find)."""
    parent = {r["doc_id"]: r["doc_id"] for r in records}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(x: str, y: str) -> None:
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    by_site: dict[str, str] = {}
    for r in records:
        original = r.get("near_duplicate_of")
        if original:  # two copies of one original are linked even when the original is not gold
            parent.setdefault(original, original)
            join(r["doc_id"], original)
        if r.get("site"):
            join(r["doc_id"], by_site.setdefault(r["site"], r["doc_id"]))
    return {r["doc_id"]: root(r["doc_id"]) for r in records}


def assign_splits(
    records: list[dict], ratios: tuple[float, ...] = DEFAULT_RATIOS, seed: int = DEFAULT_SEED
) -> dict[str, str]:
    """Assign each record (doc_id, stance, near_duplicate_of, site) to train, dev or test."""
    check_ratios(ratios)
    groups: dict[str, list[str]] = {}
    for doc_id, group in sorted(group_documents(records).items()):
        groups.setdefault(group, []).append(doc_id)
    stance = {r["doc_id"]: r.get("stance") for r in records}
    labels = sorted({str(s) for s in stance.values()})
    total = Counter(str(s) for s in stance.values())
    target = [{label: ratio * total[label] for label in labels} for ratio in ratios]
    have = [Counter() for _ in ratios]
    order = sorted(groups)
    random.Random(seed).shuffle(order)
    order.sort(key=lambda g: -len(groups[g]))  # stable: equal sizes keep the seeded order
    assigned = {}
    for g in order:
        counts = Counter(str(stance[d]) for d in groups[g])
        best = min(range(len(ratios)), key=lambda s: (_cost(have, target, counts, s, labels), s))
        have[best].update(counts)
        assigned.update({d: SPLITS[best] for d in groups[g]})
    return assigned


def _cost(have: list[Counter], target: list[dict], counts: Counter, chosen: int, labels: list[str]) -> float:
    """Squared distance of every split's stance counts from its target if the group went to `chosen`."""
    return sum(
        (have[s][label] + (counts[label] if s == chosen else 0) - target[s][label]) ** 2
        for s in range(len(have))
        for label in labels
    )


def check_ratios(ratios: tuple[float, ...]) -> None:
    """Refuse ratios that are not three non-negative numbers summing to 1."""
    if len(ratios) != len(SPLITS) or any(r < 0 for r in ratios) or abs(sum(ratios) - 1) > 1e-6:
        raise CorpusError(
            f"bad split ratios {ratios}: need three non-negative numbers for train, dev, test that sum to 1",
            "for example --split 0.8,0.1,0.1",
        )

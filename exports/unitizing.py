"""Krippendorff's unitizing alpha (u-alpha) for actor spans: chance-corrected, tolerant of boundaries.

Implemented from the definition in Krippendorff, "On the reliability of
unitizing contiguous data", Sociological Methodology 25 (1995) 47-76, and
Content Analysis, 2nd ed. (2004), section 12.4; no maintained Python library
computes it (pygamma-agreement computes gamma, by Monte Carlo sampling: too
slow to bootstrap). Checked against the book's worked example (p. 254) in the
tests.

For one label, each annotator cuts the text (the continuum, one character per
position) into sections: spans of that label ("units") and the gaps between
them. Two annotators' overlapping sections g and h disagree by

- both units: (start_g - start_h)^2 + (end_g - end_h)^2, so a span one word
  longer costs that word's length squared, far less than a missed span;
- a unit lying inside the other's gap: its length squared;
- otherwise 0.

The observed disagreement is their sum over L^2 (two annotators), the
expected one what all the annotators' units and gaps would give placed at
random; alpha = 1 - observed/expected. Over all labels, observed and expected
disagreement are averaged over the labels before dividing.

Here every pair of annotators of a document is a two-annotator stretch of one
long continuum (documents never share a gap), so documents with two, three or
more annotators pool; one annotator's overlapping spans of one label are
merged, as the measure requires. The statistics are sums over documents
(`Stretch`), which is what lets the bootstrap resample documents cheaply.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

Section = tuple[int, int, bool]  # start, end, is a unit


@dataclass
class Stretch:
    """The additive statistics of one label over some two-annotator stretches of text."""

    length: int = 0  # characters, counted once per pair of annotators
    observed: float = 0.0  # the sum of squared section disagreements
    units: Counter = field(default_factory=Counter)  # unit length -> count, both annotators
    gaps: Counter = field(default_factory=Counter)  # gap length -> count, both annotators

    def add(self, other: Stretch) -> Stretch:
        return Stretch(
            self.length + other.length, self.observed + other.observed, self.units + other.units, self.gaps + other.gaps
        )


def merge(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge overlapping spans of one annotator and one label into units.

    >>> merge([(5, 9), (0, 3), (2, 4)])
    [(0, 4), (5, 9)]
    """
    units: list[list[int]] = []
    for start, end in sorted(spans):
        if units and start < units[-1][1]:
            units[-1][1] = max(units[-1][1], end)
        else:
            units.append([start, end])
    return [(a, b) for a, b in units]


def sections(units: list[tuple[int, int]], begin: int, end: int) -> list[Section]:
    """Cut [begin, end) into the annotator's units and the gaps between them.

    >>> sections([(2, 4)], 0, 6)
    [(0, 2, False), (2, 4, True), (4, 6, False)]
    """
    out, pos = [], begin
    for start, stop in units:
        if start > pos:
            out.append((pos, start, False))
        out.append((start, stop, True))
        pos = stop
    if pos < end:
        out.append((pos, end, False))
    return out


def disagreement(g: Section, h: Section) -> int:
    """Squared disagreement of two annotators' sections (Krippendorff 1995, delta squared).

    >>> disagreement((225, 295, True), (220, 300, True)), disagreement((400, 450, False), (400, 420, True))
    (50, 400)
    """
    (g0, g1, g_unit), (h0, h1, h_unit) = g, h
    if g_unit and h_unit:
        return (g0 - h0) ** 2 + (g1 - h1) ** 2 if g0 < h1 and h0 < g1 else 0
    if g_unit and not h_unit and h0 <= g0 and g1 <= h1:
        return (g1 - g0) ** 2
    if h_unit and not g_unit and g0 <= h0 and h1 <= g1:
        return (h1 - h0) ** 2
    return 0


def stretch(first: Iterable[tuple[int, int]], second: Iterable[tuple[int, int]], begin: int, end: int) -> Stretch:
    """Compute one label's statistics for two annotators' spans on the text [begin, end)."""
    a = sections(merge(first), begin, end)
    b = sections(merge(second), begin, end)
    observed = sum(disagreement(g, h) for g in a for h in b if g[0] < h[1] and h[0] < g[1])
    units = Counter(s1 - s0 for s0, s1, unit in a + b if unit)
    gaps = Counter(s1 - s0 for s0, s1, unit in a + b if not unit)
    return Stretch(end - begin, float(observed), units, gaps)


@dataclass(frozen=True)
class LabelTable:
    """One label's statistics per document, as arrays a bootstrap can weight (one row per document)."""

    length: np.ndarray  # (documents,) characters, once per pair of annotators
    observed: np.ndarray  # (documents,) sums of squared disagreements
    unit_lengths: np.ndarray  # (u,) the distinct unit lengths
    units: sparse.csr_matrix  # (documents, u) how many units of each length
    gap_lengths: np.ndarray  # (g,) the distinct gap lengths
    gaps: sparse.csr_matrix  # (documents, g)


def label_table(stretches: list[Stretch]) -> LabelTable:
    """Stack one label's per-document stretches into a `LabelTable`."""
    unit_lengths = np.array(sorted(set().union(*(s.units for s in stretches))), dtype=float)
    gap_lengths = np.array(sorted(set().union(*(s.gaps for s in stretches))), dtype=float)
    return LabelTable(
        np.array([s.length for s in stretches], dtype=float),
        np.array([s.observed for s in stretches], dtype=float),
        unit_lengths,
        _counts([s.units for s in stretches], unit_lengths),
        gap_lengths,
        _counts([s.gaps for s in stretches], gap_lengths),
    )


def _counts(counters: list[Counter], lengths: np.ndarray) -> sparse.csr_matrix:
    column = {int(v): i for i, v in enumerate(lengths)}
    rows, cols, values = [], [], []
    for r, counter in enumerate(counters):
        for length, n in counter.items():
            rows.append(r)
            cols.append(column[length])
            values.append(n)
    return sparse.csr_matrix((values, (rows, cols)), shape=(len(counters), len(lengths)), dtype=float)


def disagreements(t: LabelTable, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Observed and expected disagreement for each row of document weights (resamples x documents).

    Observed: the sum of squared disagreements over L^2. Expected (Krippendorff
    1995, m annotators, N units of the label):
    2/L * sum_u [(N-1)(2l^3 - 3l^2 + l)/3 + l^2 sum_{gaps g >= l} (g - l + 1)]
    divided by mL(mL - 1) - sum_u l(l - 1), with m = 2 here.
    """
    length = weights @ t.length
    observed = np.divide(weights @ t.observed, length**2, out=np.zeros_like(length), where=length > 0)
    units = np.asarray((t.units.T @ weights.T).T)  # (resamples, u)
    gaps = np.asarray((t.gaps.T @ weights.T).T)  # (resamples, g)
    ul, gl = t.unit_lengths, t.gap_lengths
    fits = gaps @ np.clip(gl[:, None] - ul[None, :] + 1, 0, None)  # (resamples, u): places a unit fits in a gap
    n = units.sum(axis=1, keepdims=True)
    within = (n - 1) * (2 * ul**3 - 3 * ul**2 + ul) / 3
    total = (units * (within + ul**2 * fits)).sum(axis=1)
    m = 2
    denominator = m * length * (m * length - 1) - units @ (ul * (ul - 1))
    ok = (denominator > 0) & (length > 0) & (n[:, 0] > 0)
    expected = np.zeros_like(length)
    expected[ok] = 2 / length[ok] * total[ok] / denominator[ok]
    return observed, expected


def alphas(tables: dict[str, LabelTable], weights: np.ndarray) -> dict[str, np.ndarray]:
    """Unitizing alpha per label and over all labels ("all": disagreements averaged) per row of weights.

    NaN where alpha is undefined (no unit of the label in that sample).
    """
    out, observed_sum, expected_sum = {}, 0.0, 0.0
    for label, table in tables.items():
        observed, expected = disagreements(table, weights)
        with np.errstate(divide="ignore", invalid="ignore"):
            out[label] = np.where(expected > 0, 1 - observed / expected, np.nan)
        observed_sum = observed_sum + np.where(expected > 0, observed, 0.0)
        expected_sum = expected_sum + expected
    if tables:
        with np.errstate(divide="ignore", invalid="ignore"):
            out["all"] = np.where(expected_sum > 0, 1 - observed_sum / expected_sum, np.nan)
    return out


def u_alpha(per_label: dict[str, Stretch]) -> float | None:
    """Unitizing alpha of the given stretches over their labels; None when no label has a unit."""
    tables = {label: label_table([s]) for label, s in per_label.items()}
    value = alphas(tables, np.ones((1, 1))).get("all", np.array([np.nan]))[0]
    return None if np.isnan(value) else float(value)

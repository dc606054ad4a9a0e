"""Inter-annotator agreement over tasks with two or more annotations.

Label Studio Community computes none, and a gold set is reported with its
agreement. Every measure is pairwise between annotators on the tasks both did:
stance (Krippendorff's alpha over everyone, Cohen's kappa per pair), actor spans
(F1, exact and overlap matching, per label), relations (F1 on source, target and
label, a match only when both ends align) and per-span attributes on aligned
spans. A statistic that is undefined (one category only, no items) is None, not 0.
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import replace
from itertools import combinations
from pathlib import Path
from typing import BinaryIO

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from exports import scheme
from exports.annotations import Annotation, Span, Task

MODES = ("exact", "overlap")
# a per-label match count: label -> [matched, spans of the first annotator, spans of the second]
Tally = dict[str, list[int]]


def measure_agreement(tasks: list[Task]) -> dict:
    """Measure every agreement statistic on the tasks with two or more independent annotations.

    A ground-truth annotation is an adjudication made after seeing the others,
    not an independent answer, so it is left out here (it still decides gold).
    """
    independent = [replace(t, annotations=tuple(a for a in t.annotations if not a.ground_truth)) for t in tasks]
    shared = [t for t in independent if len(t.annotations) >= 2]
    return {
        "tasks": len(tasks),
        "tasks_compared": len(shared),
        "annotators": sorted({a for t in shared for a in t.annotators}),
        "stance": stance_agreement(shared),
        "spans": {mode: tally_report(shared, lambda a, b, m=mode: match_spans(a.spans, b.spans, m)) for mode in MODES},
        "relations": {mode: tally_report(shared, lambda a, b, m=mode: match_relations(a, b, m)) for mode in MODES},
        "attributes": {name: attribute_agreement(shared, name) for name in scheme.ATTRIBUTES},
    }


def annotator_pairs(task: Task) -> Iterator[tuple[Annotation, Annotation]]:
    """Yield every pair of a task's annotations, ordered by annotator name."""
    ordered = sorted(task.annotations, key=lambda a: a.annotator)
    yield from combinations(ordered, 2)


# --- document stance ----------------------------------------------------------


def stance_agreement(tasks: list[Task]) -> dict:
    """Krippendorff's alpha (nominal) over all annotators, and Cohen's kappa for each pair."""
    annotators = sorted({a for t in tasks for a in t.annotators})
    rows = {name: i for i, name in enumerate(annotators)}
    codes = {label: i for i, label in enumerate(scheme.STANCE_LABELS)}
    data = np.full((len(annotators), len(tasks)), np.nan)
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for col, task in enumerate(tasks):
        for ann in task.annotations:
            if ann.stance in codes:
                data[rows[ann.annotator], col] = codes[ann.stance]
        for a, b in annotator_pairs(task):
            if a.stance and b.stance:
                pairs.setdefault((a.annotator, b.annotator), []).append((a.stance, b.stance))
    items = int(((~np.isnan(data)).sum(axis=0) >= 2).sum()) if tasks else 0
    return {
        "alpha": _alpha(data) if items else None,
        "items": items,
        "pairs": [_kappa_pair(a, b, answers) for (a, b), answers in sorted(pairs.items())],
    }


def _alpha(data: np.ndarray) -> float | None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        value = krippendorff.alpha(
            reliability_data=data,
            level_of_measurement="nominal",
            value_domain=list(range(len(scheme.STANCE_LABELS))),
        )
    return _defined(value)


def _kappa_pair(a: str, b: str, answers: list[tuple[str, str]]) -> dict:
    first, second = zip(*answers, strict=True)
    return {
        "a": a,
        "b": b,
        "n": len(answers),
        "agreement": sum(x == y for x, y in answers) / len(answers),
        "kappa": kappa(list(first), list(second)),
    }


def kappa(first: list[str], second: list[str]) -> float | None:
    """Cohen's kappa, or None when it is undefined (no items, or one category only).

    >>> kappa(["FAVOR", "AGAINST"], ["FAVOR", "AGAINST"]), kappa(["NONE"], ["NONE"])
    (1.0, None)
    """
    if not first:
        return None
    labels = sorted(set(first) | set(second))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _defined(cohen_kappa_score(first, second, labels=labels))


def _defined(value: float) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


# --- spans and relations: pairwise F1 -------------------------------------------


def tally_report(tasks: list[Task], match: Callable[[Annotation, Annotation], Tally]) -> dict:
    """Sum a per-pair match tally over tasks into overall, per-label and per-pair F1."""
    per_label: Tally = {}
    per_pair: dict[tuple[str, str], list[int]] = {}
    for task in tasks:
        for a, b in annotator_pairs(task):
            tally = match(a, b)
            _add(per_label, tally)
            pair = per_pair.setdefault((a.annotator, b.annotator), [0, 0, 0])
            for counts in tally.values():
                pair[:] = [x + y for x, y in zip(pair, counts, strict=True)]
    total = [sum(c[i] for c in per_label.values()) for i in range(3)]
    return {
        **_scores(total),
        "per_label": {label: _scores(per_label[label]) for label in sorted(per_label)},
        "pairs": [{"a": a, "b": b, **_scores(c)} for (a, b), c in sorted(per_pair.items())],
    }


def _add(into: Tally, tally: Tally) -> None:
    for label, counts in tally.items():
        into[label] = [x + y for x, y in zip(into.get(label, [0, 0, 0]), counts, strict=True)]


def _scores(counts: list[int]) -> dict:
    matched, in_a, in_b = counts
    return {"f1": f1(matched, in_a, in_b), "matched": matched, "a": in_a, "b": in_b}


def f1(matched: int, in_a: int, in_b: int) -> float | None:
    """Pairwise F1 (symmetric): matches over the mean count; None when neither marked anything.

    >>> f1(1, 2, 2), f1(0, 0, 0)
    (0.5, None)
    """
    return 2 * matched / (in_a + in_b) if in_a + in_b else None


def match_spans(a: tuple[Span, ...], b: tuple[Span, ...], mode: str) -> Tally:
    """Count, per label, spans matched one to one between two annotators (same label required)."""
    pairs = align(a, b, mode, same_label=True)
    tally: Tally = {}
    for span in a:
        tally.setdefault(span.label, [0, 0, 0])[1] += 1
    for span in b:
        tally.setdefault(span.label, [0, 0, 0])[2] += 1
    for i, _ in pairs:
        tally[a[i].label][0] += 1
    return tally


def match_relations(a: Annotation, b: Annotation, mode: str) -> Tally:
    """Count, per label, relations of two annotators with the same label whose two ends align.

    Ends align when the spans are paired by `align` (labels aside: a label
    disagreement is counted by the span scores, not twice).
    """
    moved = {b.spans[j].offsets: a.spans[i].offsets for i, j in align(a.spans, b.spans, mode, same_label=False)}
    theirs = Counter((moved.get(r.source), moved.get(r.target), r.label) for r in b.relations)
    tally: Tally = {}
    for r in a.relations:
        counts = tally.setdefault(r.label, [0, 0, 0])
        counts[1] += 1
        if theirs[r.key] > 0:
            theirs[r.key] -= 1
            counts[0] += 1
    for r in b.relations:
        tally.setdefault(r.label, [0, 0, 0])[2] += 1
    return tally


def align(a: tuple[Span, ...], b: tuple[Span, ...], mode: str, same_label: bool) -> list[tuple[int, int]]:
    """Pair spans of two annotators one to one: equal offsets, or (overlap) the largest overlaps first."""
    if mode not in MODES:
        raise ValueError(f"unknown matching mode {mode!r}: expected one of {MODES}")
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if same_label and x.label != y.label:
                continue
            shared = min(x.end, y.end) - max(x.start, y.start)
            if (x.offsets == y.offsets) if mode == "exact" else shared > 0:
                candidates.append((-shared, x.label != y.label, i, j))
    pairs, used_a, used_b = [], set(), set()
    for *_, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            pairs.append((i, j))
            used_a.add(i)
            used_b.add(j)
    return sorted(pairs)


# --- per-span attributes ---------------------------------------------------------


def attribute_agreement(tasks: list[Task], name: str) -> dict:
    """Agreement on one per-span attribute over spans two annotators aligned (overlap) and both filled."""
    first, second = [], []
    for task in tasks:
        for a, b in annotator_pairs(task):
            for i, j in align(a.spans, b.spans, "overlap", same_label=False):
                x, y = a.spans[i].attributes.get(name), b.spans[j].attributes.get(name)
                if x is not None and y is not None:
                    first.append(x)
                    second.append(y)
    n = len(first)
    return {
        "n": n,
        "agreement": sum(x == y for x, y in zip(first, second, strict=True)) / n if n else None,
        "kappa": kappa(first, second),
    }


# --- presenting -----------------------------------------------------------------


def agreement_rows(report: dict) -> list[tuple[str, str, str, str]]:
    """Flatten a report into (measure, label, value, items) rows for a table."""
    stance = report["stance"]
    rows = [("stance alpha (nominal)", "all", _fmt(stance["alpha"]), str(stance["items"]))]
    rows += [("stance kappa", f"{p['a']} / {p['b']}", _fmt(p["kappa"]), str(p["n"])) for p in stance["pairs"]]
    for kind in ("spans", "relations"):
        for mode in MODES:
            block = report[kind][mode]
            rows.append((f"{kind} F1 ({mode})", "all", _fmt(block["f1"]), str(block["a"] + block["b"])))
            rows += [
                (f"{kind} F1 ({mode})", label, _fmt(s["f1"]), str(s["a"] + s["b"]))
                for label, s in block["per_label"].items()
            ]
    for name, block in report["attributes"].items():
        rows.append((f"{name} agreement", "aligned spans", _fmt(block["agreement"]), str(block["n"])))
        rows.append((f"{name} kappa", "aligned spans", _fmt(block["kappa"]), str(block["n"])))
    return rows


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def draw_agreement_chart(report: dict, path: Path | BinaryIO) -> Path | BinaryIO:
    """Draw per-label F1 (exact and overlap) for spans and relations into a PNG at `path` (or a binary file)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 4.5), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, 2, sharey=True)
    for ax, kind in zip(axes, ("spans", "relations"), strict=True):
        labels = sorted({label for mode in MODES for label in report[kind][mode]["per_label"]})
        x = np.arange(len(labels))
        for k, mode in enumerate(MODES):
            values = [report[kind][mode]["per_label"].get(label, {}).get("f1") or 0.0 for label in labels]
            ax.bar(x + (k - 0.5) * 0.4, values, width=0.4, label=mode)
        ax.set_xticks(x, labels, rotation=45, ha="right")
        ax.set_ylim(0, 1)
        ax.set_title(f"{'actor spans' if kind == 'spans' else 'relations'}: pairwise F1")
        if not labels:
            ax.text(0.5, 0.5, "no items", ha="center", transform=ax.transAxes)
    axes[0].set_ylabel("F1")
    axes[0].legend()
    alpha = report["stance"]["alpha"]
    fig.suptitle(f"Agreement on {report['tasks_compared']} tasks; stance alpha = {_fmt(alpha)}")
    fig.savefig(path, format="png", dpi=110)
    return path

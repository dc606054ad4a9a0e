"""Inter-annotator agreement on the independent answers, before any adjudication.

Label Studio Community computes none, and a gold set is reported with its
agreement. Which answers are independent is `exports.items.independent_answers`
(every annotation not made by a curator, starred as ground truth or not), so
settling a dispute never changes the agreement. Measures, between annotators on
the tasks both did:

- stance: Krippendorff's alpha (nominal) over everyone, Cohen's kappa per pair;
- actor spans: pairwise F1, exact and overlap matching, per label; and
  Krippendorff's unitizing alpha (`exports.unitizing`), chance-corrected and
  tolerant of boundary differences, per label and per document;
- relations: F1 on source, target and label, a match only when both ends align;
- per-span attributes on aligned spans.

Each corpus figure has a seeded bootstrap interval (documents resampled) and a
warning when it rests on fewer than `MIN_ITEMS` items. A statistic that is
undefined (one category only, no items) is None, not 0.

The report's shape (`agreement.json`): a pair of annotators is always
``first_annotator`` / ``second_annotator`` (in name order); counts are
``matched``, ``marked_by_first``, ``marked_by_second``; an interval is ``ci``
([low, high] or null); how many things a figure rests on is ``items``.
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

from exports import bootstrap, scheme, unitizing
from exports.annotations import Annotation, Span, Task
from exports.items import independent_answers
from exports.splits import DEFAULT_SEED

MODES = ("exact", "overlap")
MIN_ITEMS = 50  # below this many items a figure (and its interval) is only indicative
# a per-label match count: label -> [matched, marked by the first annotator, marked by the second]
Tally = dict[str, list[int]]


def measure_agreement(
    tasks: list[Task], curators=(), seed: int = DEFAULT_SEED, resamples: int = bootstrap.RESAMPLES
) -> dict:
    """Measure every agreement statistic on the tasks with two or more independent answers."""
    curators = sorted(set(curators))
    independent = [replace(t, annotations=independent_answers(t, curators)) for t in tasks]
    shared = [t for t in independent if len(t.annotations) >= 2]
    draws = bootstrap.resample_indices(len(shared), resamples, seed)
    report = {
        "tasks": len(tasks),
        "tasks_compared": len(shared),
        "annotators": sorted({a for t in shared for a in t.annotators}),
        "curators": curators,
        "bootstrap": {"resamples": resamples, "seed": seed, "confidence": bootstrap.CONFIDENCE, "unit": "document"},
        "min_items": MIN_ITEMS,
        "stance": stance_agreement(shared, draws),
        "spans": {
            **{mode: tally_report(shared, _span_matcher(mode), draws) for mode in MODES},
            "unitizing_alpha": unitizing_report(shared, draws),
        },
        "relations": {mode: tally_report(shared, _relation_matcher(mode), draws) for mode in MODES},
        "attributes": {name: attribute_agreement(shared, name) for name in scheme.ATTRIBUTES},
        "documents": diagnose(shared),
    }
    report["warnings"] = few_items_warnings(report)
    return report


def _span_matcher(mode: str) -> Callable[[Annotation, Annotation], Tally]:
    return lambda a, b: match_spans(a.spans, b.spans, mode)


def _relation_matcher(mode: str) -> Callable[[Annotation, Annotation], Tally]:
    return lambda a, b: match_relations(a, b, mode)


def few_items_warnings(report: dict) -> list[str]:
    """Name every figure that rests on fewer than MIN_ITEMS items."""
    ua = report["spans"]["unitizing_alpha"]
    figures = [("stance alpha", report["stance"]), ("span unitizing alpha", ua)]
    figures += [(f"span unitizing alpha {label}", b) for label, b in ua["per_label"].items()]
    for kind in ("spans", "relations"):
        figures += [(f"{kind} F1 overlap", report[kind]["overlap"])]
        figures += [(f"{kind} F1 overlap {label}", b) for label, b in report[kind]["overlap"]["per_label"].items()]
    return [
        f"{name}: {block['items']} items (fewer than {MIN_ITEMS}): indicative only, the interval is wide"
        for name, block in figures
        if block["items"] < MIN_ITEMS
    ]


def annotator_pairs(task: Task) -> Iterator[tuple[Annotation, Annotation]]:
    """Yield every pair of a task's annotations, ordered by annotator name."""
    ordered = sorted(task.annotations, key=lambda a: a.annotator)
    yield from combinations(ordered, 2)


# --- document stance ----------------------------------------------------------


def stance_agreement(tasks: list[Task], draws: np.ndarray) -> dict:
    """Krippendorff's alpha (nominal) over all annotators with its interval, and Cohen's kappa for each pair."""
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
    resampled = np.array([_alpha(data[:, row]) if items else None for row in draws], dtype=float)
    return {
        "alpha": _alpha(data) if items else None,
        "ci": bootstrap.interval(resampled) if items else None,
        "items": items,
        "pairs": [_kappa_pair(a, b, answers) for (a, b), answers in sorted(pairs.items())],
    }


def _alpha(data: np.ndarray) -> float | None:
    if (~np.isnan(data)).sum(axis=0).max(initial=0) < 2 or len(np.unique(data[~np.isnan(data)])) < 2:
        return None  # nothing paired, or one value only: undefined
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
        "first_annotator": a,
        "second_annotator": b,
        "documents": len(answers),
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


def tally_report(tasks: list[Task], match: Callable[[Annotation, Annotation], Tally], draws: np.ndarray) -> dict:
    """Sum a per-pair match tally over tasks into overall, per-label and per-pair F1, each with its interval."""
    per_task: list[Tally] = []
    per_pair: dict[tuple[str, str], list[int]] = {}
    for task in tasks:
        task_tally: Tally = {}
        for a, b in annotator_pairs(task):
            tally = match(a, b)
            _add(task_tally, tally)
            pair = per_pair.setdefault((a.annotator, b.annotator), [0, 0, 0])
            for counts in tally.values():
                pair[:] = [x + y for x, y in zip(pair, counts, strict=True)]
        per_task.append(task_tally)
    labels = sorted({label for t in per_task for label in t})
    counts = np.array([[t.get(label, [0, 0, 0]) for label in labels] for t in per_task], dtype=float)
    counts = counts.reshape(len(per_task), len(labels), 3)
    resampled = _resampled_f1(counts, draws)  # (resamples, labels + 1): the last column is all labels
    total = counts.sum(axis=(0, 1)).astype(int).tolist() if len(per_task) else [0, 0, 0]
    return {
        **_scores(total, resampled[:, -1]),
        "per_label": {
            label: _scores(counts[:, i].sum(axis=0).astype(int).tolist(), resampled[:, i])
            for i, label in enumerate(labels)
        },
        "pairs": [
            {"first_annotator": a, "second_annotator": b, **_scores(c)} for (a, b), c in sorted(per_pair.items())
        ],
    }


def _resampled_f1(counts: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """F1 per label and overall for each bootstrap resample of the documents."""
    tasks, labels, _ = counts.shape
    if not tasks:
        return np.full((len(draws), labels + 1), np.nan)
    flat = np.concatenate([counts, counts.sum(axis=1, keepdims=True)], axis=1).reshape(tasks, -1)
    sums = np.vstack([w @ flat for w in bootstrap.chunks(draws, tasks)]).reshape(len(draws), labels + 1, 3)
    marked = sums[..., 1] + sums[..., 2]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(marked > 0, 2 * sums[..., 0] / marked, np.nan)


def _add(into: Tally, tally: Tally) -> None:
    for label, counts in tally.items():
        into[label] = [x + y for x, y in zip(into.get(label, [0, 0, 0]), counts, strict=True)]


def _scores(counts: list[int], resampled: np.ndarray | None = None) -> dict:
    matched, first, second = counts
    scores = {"f1": f1(matched, first, second)}
    if resampled is not None:
        scores["ci"] = bootstrap.interval(resampled) if scores["f1"] is not None else None
    return scores | {"matched": matched, "marked_by_first": first, "marked_by_second": second, "items": first + second}


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


# --- unitizing alpha --------------------------------------------------------------


def task_stretches(task: Task, labels: list[str]) -> dict[str, unitizing.Stretch]:
    """One task's unitizing statistics per label, summed over its pairs of annotators."""
    out = {label: unitizing.Stretch() for label in labels}
    for a, b in annotator_pairs(task):
        for label in labels:
            piece = unitizing.stretch(_offsets(a.spans, label), _offsets(b.spans, label), 0, len(task.text))
            out[label] = out[label].add(piece)
    return out


def _offsets(spans: tuple[Span, ...], label: str) -> list[tuple[int, int]]:
    return [s.offsets for s in spans if s.label == label and s.end > s.start]


def unitizing_report(tasks: list[Task], draws: np.ndarray) -> dict:
    """Unitizing alpha over all labels and per label, with bootstrap intervals; per document in `diagnose`."""
    labels = sorted({s.label for t in tasks for a in t.annotations for s in a.spans})
    per_task = [task_stretches(t, labels) for t in tasks]
    tables = {label: unitizing.label_table([st[label] for st in per_task]) for label in labels}
    point = unitizing.alphas(tables, np.ones((1, len(tasks)))) if tasks else {}
    resampled = _stack([unitizing.alphas(tables, w) for w in bootstrap.chunks(draws, len(tasks))]) if tasks else {}
    counts = Counter(s.label for t in tasks for a in t.annotations for s in a.spans)

    def block(key: str, items: int) -> dict:
        value = point.get(key, np.array([np.nan]))[0]
        defined = not np.isnan(value)
        return {
            "value": float(value) if defined else None,
            "ci": bootstrap.interval(resampled[key]) if defined else None,
            "items": items,
        }

    return {**block("all", sum(counts.values())), "per_label": {label: block(label, counts[label]) for label in labels}}


def _stack(chunks: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {key: np.concatenate([c[key] for c in chunks]) for key in chunks[0]} if chunks else {}


def document_alpha(task: Task) -> float | None:
    """Unitizing alpha of one document over the labels its annotators used."""
    labels = sorted({s.label for a in task.annotations for s in a.spans})
    return unitizing.u_alpha(task_stretches(task, labels)) if labels else None


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
        "items": n,
        "agreement": sum(x == y for x, y in zip(first, second, strict=True)) / n if n else None,
        "kappa": kappa(first, second),
    }


# --- which documents disagree, on what --------------------------------------------


def diagnose(tasks: list[Task]) -> list[dict]:
    """Describe each compared document's disagreements, the most disagreeing first."""
    rows = [diagnose_task(t) for t in tasks]
    return sorted(rows, key=lambda r: (-r["disagreements"], _missing_last(r["span_alpha"]), r["doc_id"]))


def _missing_last(value: float | None) -> float:
    return 2.0 if value is None else value


def diagnose_task(task: Task) -> dict:
    """Count one document's disagreements by kind over its pairs of annotators."""
    found = Counter()
    for a, b in annotator_pairs(task):
        found["stance"] += a.stance != b.stance
        pairs = align(a.spans, b.spans, "overlap", same_label=False)
        found["spans marked by one annotator"] += len(a.spans) + len(b.spans) - 2 * len(pairs)
        for i, j in pairs:
            x, y = a.spans[i], b.spans[j]
            found["span boundaries"] += x.offsets != y.offsets
            found["span labels"] += x.label != y.label
            found["span attributes"] += sum(x.attributes.get(n) != y.attributes.get(n) for n in scheme.ATTRIBUTES)
        relations = match_relations(a, b, "overlap")
        matched, first, second = (sum(c[k] for c in relations.values()) for k in range(3))
        found["relations"] += first + second - 2 * matched
    spans = match_spans_all(task)
    return {
        "doc_id": task.doc_id,
        "task_id": task.id,
        "annotators": sorted(task.annotators),
        "disagreements": sum(found.values()),
        "on": {k: v for k, v in sorted(found.items()) if v},
        "stances": {a.annotator: a.stance for a in sorted(task.annotations, key=lambda a: a.annotator)},
        "span_alpha": document_alpha(task),
        "span_f1_overlap": spans,
    }


def match_spans_all(task: Task) -> float | None:
    """Overlap F1 of a document's spans over its pairs of annotators."""
    total = [0, 0, 0]
    for a, b in annotator_pairs(task):
        for counts in match_spans(a.spans, b.spans, "overlap").values():
            total = [x + y for x, y in zip(total, counts, strict=True)]
    return f1(*total)


# --- presenting -----------------------------------------------------------------


def agreement_rows(report: dict) -> list[tuple[str, str, str, str, str]]:
    """Flatten a report into (measure, label, value, 95% interval, items) rows for a table."""
    stance = report["stance"]
    rows = [("stance alpha (nominal)", "all", _fmt(stance["alpha"]), _ci(stance["ci"]), str(stance["items"]))]
    rows += [
        ("stance kappa", f"{p['first_annotator']} / {p['second_annotator']}", _fmt(p["kappa"]), "", str(p["documents"]))
        for p in stance["pairs"]
    ]
    ua = report["spans"]["unitizing_alpha"]
    rows.append(("spans unitizing alpha", "all", _fmt(ua["value"]), _ci(ua["ci"]), str(ua["items"])))
    rows += [
        ("spans unitizing alpha", label, _fmt(b["value"]), _ci(b["ci"]), str(b["items"]))
        for label, b in ua["per_label"].items()
    ]
    for kind in ("spans", "relations"):
        for mode in MODES:
            block = report[kind][mode]
            rows.append((f"{kind} F1 ({mode})", "all", _fmt(block["f1"]), _ci(block["ci"]), str(block["items"])))
            rows += [
                (f"{kind} F1 ({mode})", label, _fmt(s["f1"]), _ci(s["ci"]), str(s["items"]))
                for label, s in block["per_label"].items()
            ]
    for name, block in report["attributes"].items():
        rows.append((f"{name} agreement", "aligned spans", _fmt(block["agreement"]), "", str(block["items"])))
        rows.append((f"{name} kappa", "aligned spans", _fmt(block["kappa"]), "", str(block["items"])))
    return rows


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _ci(ci: list[float] | None) -> str:
    return "n/a" if ci is None else f"[{ci[0]:.2f}, {ci[1]:.2f}]"


CHART_PANELS = (
    ("actor spans: unitizing alpha", "spans", ("unitizing_alpha",), "value"),
    ("actor spans: pairwise F1", "spans", MODES, "f1"),
    ("relations: pairwise F1", "relations", MODES, "f1"),
)


def draw_agreement_chart(report: dict, path: Path | BinaryIO) -> Path | BinaryIO:
    """Draw per-label agreement with 95% bootstrap intervals into a PNG at `path` (or a binary file).

    Every label gets its bar, a zero one included, with its value written on
    it ("n/a" when undefined); the legends sit under the panels, clear of the bars.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(13, 5), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, len(CHART_PANELS))
    for ax, (title, kind, modes, field) in zip(axes, CHART_PANELS, strict=True):
        _panel(ax, report[kind], modes, field)
        ax.set_title(title)
    axes[0].set_ylabel("agreement (1 = perfect)")
    alpha = report["stance"]["alpha"]
    fig.suptitle(
        f"Agreement on {report['tasks_compared']} documents with two or more independent answers; "
        f"stance alpha {_fmt(alpha)} {_ci(report['stance']['ci'])}; bars: 95% bootstrap intervals"
    )
    fig.savefig(path, format="png", dpi=100)
    return path


def _panel(ax, block: dict, modes: tuple[str, ...], field: str) -> None:
    labels = ["all", *sorted({label for mode in modes for label in block[mode]["per_label"]})]
    x = np.arange(len(labels))
    width = 0.8 / len(modes)
    for k, mode in enumerate(modes):
        entries = [block[mode] if label == "all" else block[mode]["per_label"].get(label) for label in labels]
        values = [e[field] if e and e[field] is not None else np.nan for e in entries]
        # a percentile interval need not hold the point estimate: the whisker stops at the bar
        low = [max(v - e["ci"][0], 0) if e and e.get("ci") else 0 for v, e in zip(values, entries, strict=True)]
        high = [max(e["ci"][1] - v, 0) if e and e.get("ci") else 0 for v, e in zip(values, entries, strict=True)]
        where = x + (k - (len(modes) - 1) / 2) * width
        shown = np.nan_to_num(values)
        bars = ax.bar(where, shown, width=width, label=mode.replace("_", " "), yerr=[low, high], capsize=3,
                      edgecolor="black", linewidth=0.5)
        ax.bar_label(bars, labels=[_fmt(None if np.isnan(v) else v) for v in values], padding=2, fontsize=7)
    ax.set_xticks(x, labels, rotation=45, ha="right")
    ax.set_ylim(min([0.0, *_lows(block, modes, field)]) - 0.05, 1.15)
    ax.axhline(0, color="grey", linewidth=0.5)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=len(modes), frameon=False, fontsize=8)


def _lows(block: dict, modes: tuple[str, ...], field: str) -> list[float]:
    """The lowest points to show: alpha can fall below zero."""
    entries = [block[m] for m in modes] + [e for m in modes for e in block[m]["per_label"].values()]
    return [e["ci"][0] for e in entries if e.get("ci")] + [e[field] for e in entries if e[field] is not None]

"""Resolve one gold answer per task, check its spans against the cleaned document, trace them to the raw text.

Resolution: a ground-truth annotation wins; a single annotation is gold;
otherwise each item (the stance, every span, every relation, every span
attribute) goes in when more than half of the task's annotators gave it and
stays out when fewer than half did. Exactly half is a tie: the task is disputed
and goes to `conflicts.jsonl` with every answer, for adjudication.

Label Studio is known to drift offsets on whitespace, so every gold span is
checked against the cleaned document: a span whose text is found elsewhere is
moved there and says where it came from; one that cannot be found keeps its task
out of gold. Both are reported, never passed on silently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace

from cleaning.document import Document
from exports.annotations import Annotation, Offsets, Relation, Span, Task

GROUND_TRUTH, SINGLE, MAJORITY = "ground_truth", "single", "majority"


@dataclass(frozen=True)
class Resolution:
    """The gold answer for one task, how it was reached, and what stayed disputed."""

    task: Task
    method: str
    stance: str | None
    spans: tuple[Span, ...]
    relations: tuple[Relation, ...]
    annotation_ids: tuple[int, ...]
    disputes: tuple[str, ...] = ()

    @property
    def resolved(self) -> bool:
        return not self.disputes


@dataclass(frozen=True)
class SpanCheck:
    """A gold span whose text did not match the document at its offsets, and what was done."""

    task_id: int
    doc_id: str
    span: Span
    found: str
    action: str  # "realigned" or "excluded"
    moved_to: Offsets | None = None

    def to_dict(self) -> dict:
        return {
            "task_id": self.task_id,
            "doc_id": self.doc_id,
            "label": self.span.label,
            "start": self.span.start,
            "end": self.span.end,
            "span_text": self.span.text,
            "document_text": self.found,
            "action": self.action,
            "moved_to": list(self.moved_to) if self.moved_to else None,
        }


# --- resolution -------------------------------------------------------------


def resolve_task(task: Task) -> Resolution | None:
    """Resolve a task's gold answer; None for a task nobody annotated."""
    if not task.annotations:
        return None
    truths = [a for a in task.annotations if a.ground_truth]
    if truths:
        return _from_one(task, max(truths, key=lambda a: a.id), GROUND_TRUTH)
    if len(task.annotations) == 1:
        return _from_one(task, task.annotations[0], SINGLE)
    return resolve_majority(task)


def _from_one(task: Task, ann: Annotation, method: str) -> Resolution:
    disputes = () if ann.stance else ("stance: none chosen",)
    return Resolution(task, method, ann.stance, ann.spans, ann.relations, (ann.id,), disputes)


def resolve_majority(task: Task) -> Resolution:
    """Keep every item more than half of the annotators gave; a tie anywhere is a dispute."""
    anns, disputes = task.annotations, []
    stance = majority([a.stance for a in anns], len(anns), "stance", disputes)
    if stance is None and not any(d.startswith("stance") for d in disputes):
        disputes.append("stance: none chosen")
    span_votes = Counter(key for a in anns for key in {s.key for s in a.spans})
    spans = [_merge_span(key, anns, disputes) for key in _winners(span_votes, len(anns), "span", disputes)]
    relation_votes = Counter(key for a in anns for key in {r.key for r in a.relations})
    relations = [Relation(*key) for key in _winners(relation_votes, len(anns), "relation", disputes)]
    ends = {s.offsets for s in spans}
    for r in relations:
        if r.source not in ends or r.target not in ends:
            disputes.append(f"relation {_show(r.key)}: an end is not a gold span")
    relations = [r for r in relations if r.source in ends and r.target in ends]
    return Resolution(
        task, MAJORITY, stance, tuple(spans), tuple(relations), tuple(a.id for a in anns), tuple(disputes)
    )


def majority(votes: list, voters: int, what: str, disputes: list[str]):
    """Return the answer more than half of `voters` gave, else None and a dispute.

    >>> d = []; majority(["FAVOR", "FAVOR", "NONE"], 3, "stance", d), d
    ('FAVOR', [])
    >>> d = []; majority(["FAVOR", "NONE"], 2, "stance", d), d
    (None, ['stance: FAVOR 1, NONE 1'])
    """
    counts = Counter(votes)
    winner, count = counts.most_common(1)[0] if counts else (None, 0)
    if 2 * count > voters:
        return winner
    disputes.append(f"{what}: " + ", ".join(f"{v} {n}" for v, n in sorted(counts.items(), key=_vote_order)))
    return None


def _vote_order(item: tuple) -> tuple:
    return (item[0] is None, str(item[0]))


def _winners(votes: Counter, voters: int, what: str, disputes: list[str]) -> list:
    """Keep keys given by more than half the voters; report the keys exactly half gave."""
    for key, n in sorted(votes.items()):
        if 2 * n == voters:
            disputes.append(f"{what} {_show(key)}: {n} of {voters}")
    return sorted(key for key, n in votes.items() if 2 * n > voters)


def _merge_span(key: tuple[int, int, str], anns: tuple[Annotation, ...], disputes: list[str]) -> Span:
    """Build a gold span from everyone who marked it; each attribute by majority of those."""
    marked = [next(s for s in a.spans if s.key == key) for a in anns if any(s.key == key for s in a.spans)]
    names = sorted({name for s in marked for name in s.attributes})
    attributes = {}
    for name in names:
        value = majority(
            [s.attributes.get(name) for s in marked], len(marked), f"{name} of span {_show(key)}", disputes
        )
        if value is not None:
            attributes[name] = value
    return replace(marked[0], attributes=attributes, region_id="")


def _show(key: tuple) -> str:
    return str(key).replace("'", "")


def to_conflict(resolution: Resolution) -> dict:
    """Describe a disputed task with every competing answer, for adjudication."""
    task = resolution.task
    return {
        "task_id": task.id,
        "doc_id": task.doc_id,
        "disputes": list(resolution.disputes),
        "answers": [_answer(a) for a in task.annotations],
    }


def _answer(ann: Annotation) -> dict:
    return {
        "annotator": ann.annotator,
        "annotation_id": ann.id,
        "stance": ann.stance,
        "spans": [span_dict(s) for s in ann.spans],
        "relations": [relation_dict(r) for r in ann.relations],
    }


def span_dict(span: Span) -> dict:
    return {"start": span.start, "end": span.end, "text": span.text, "label": span.label, **span.attributes}


def relation_dict(r: Relation) -> dict:
    return {"source": list(r.source), "target": list(r.target), "label": r.label}


# --- checking spans against the document ---------------------------------------


def check_spans(resolution: Resolution, doc: Document) -> tuple[Resolution, list[SpanCheck]]:
    """Check each gold span's text against `doc.text`; move drifted spans, report the rest.

    Returns the resolution with realigned spans (relations follow their ends)
    and one `SpanCheck` per span that did not match. A span that cannot be found
    makes `excluded(checks)` true.
    """
    task, checks, moved = resolution.task, [], {}
    spans = []
    for span in resolution.spans:
        found = doc.text[span.start : span.end]
        if found == span.text:
            spans.append(span)
            continue
        place = realign(doc.text, span)
        action = "realigned" if place else "excluded"
        checks.append(SpanCheck(task.id, task.doc_id, span, found, action, place))
        if place:
            moved[span.offsets] = place
            spans.append(replace(span, start=place[0], end=place[1]))
    relations = tuple(
        Relation(moved.get(r.source, r.source), moved.get(r.target, r.target), r.label) for r in resolution.relations
    )
    return replace(resolution, spans=tuple(spans), relations=relations), checks


def excluded(checks: Iterable[SpanCheck]) -> bool:
    return any(c.action == "excluded" for c in checks)


def realign(text: str, span: Span) -> Offsets | None:
    """Find the span's text at the occurrence nearest its recorded start, or None.

    >>> realign("The  Taliban said", Span(4, 11, "Taliban", "GOV"))
    (5, 12)
    """
    needle = span.text
    if not needle or not needle.strip():
        return None
    best, pos = None, text.find(needle)
    while pos != -1:
        if best is None or abs(pos - span.start) < abs(best - span.start):
            best = pos
        pos = text.find(needle, pos + 1)
    return (best, best + len(needle)) if best is not None else None


# --- the gold record --------------------------------------------------------------


def gold_record(
    resolution: Resolution, doc: Document, snapshot: str, realigned: dict[Offsets, Offsets] | None = None
) -> dict:
    """Build the gold record of one document: spans with raw offsets, relations, stance, provenance."""
    task = resolution.task
    realigned = realigned or {}
    spans = []
    for span in resolution.spans:
        raw_start, raw_end = doc.raw_span(span.start, span.end)
        entry = span_dict(span) | {"raw_start": raw_start, "raw_end": raw_end}
        if span.offsets in realigned:
            entry["realigned_from"] = list(realigned[span.offsets])
        spans.append(entry)
    index = {(s["start"], s["end"]): i for i, s in reversed(list(enumerate(spans)))}
    relations = [{"source": index[r.source], "target": index[r.target], "label": r.label} for r in resolution.relations]
    return {
        "doc_id": doc.id,
        "title": doc.title,
        "text": doc.text,
        "target": task.target,
        "stance": resolution.stance,
        "spans": spans,
        "relations": relations,
        "annotators": task.annotators,
        "resolution": resolution.method,
        "resolved": resolution.resolved,
        "provenance": {
            "snapshot": snapshot,
            "task_id": task.id,
            "annotation_ids": list(resolution.annotation_ids),
            "text_hash": task.data.get("text_hash"),
            "source": doc.source,
            "url": doc.meta.get("url"),
            "date": doc.meta.get("date"),
            "cleaning_steps": sorted({step for e in doc.edits for step in e.step.split("+")}),
        },
    }

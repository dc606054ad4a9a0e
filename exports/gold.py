"""Resolve each task's gold answer item by item, check its spans against the cleaned document, trace them to raw.

Resolution is item-wise (`exports.items`): the stance, each span, each span
attribute and each relation are settled on their own, so what the annotators
agree on is gold at once and only disputed items wait for adjudication. A
document is gold when none of its items is open; one with open items is held
back from the datasets (unless asked) and each open item goes to
`conflicts.jsonl` with every annotator's answer.

Label Studio is known to drift offsets on whitespace, so every gold span is
checked against the cleaned document: a span whose text is found elsewhere is
moved there and says where it came from; one that cannot be found keeps its task
out of gold. Both are reported, never passed on silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from cleaning.document import Document
from exports import items as itemwise
from exports import scheme
from exports.annotations import Offsets, Relation, Span, Task
from exports.items import ADJUDICATED, ATTRIBUTE, OPEN, SINGLE, SPAN, STANCE, Item


@dataclass(frozen=True)
class Resolution:
    """The gold answer for one task: its settled items, the spans and relations they make, what stays open."""

    task: Task
    items: tuple[Item, ...]
    spans: tuple[Span, ...]
    relations: tuple[Relation, ...]
    annotation_ids: tuple[int, ...]
    adjudication_id: int | None = None

    @property
    def stance(self) -> str | None:
        return next((i.value for i in self.items if i.kind == STANCE and not i.open), None)

    @property
    def open_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.open)

    @property
    def resolved(self) -> bool:
        return not self.open_items

    @property
    def method(self) -> str:
        """Sum the task up in one word: open, adjudicated, single (one annotator) or agreed."""
        statuses = {i.status for i in self.items}
        return next((s for s in (OPEN, ADJUDICATED, SINGLE) if s in statuses), itemwise.AGREED)


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


def resolve_task(task: Task, curators: Iterable[str] = ()) -> Resolution | None:
    """Resolve a task item by item; None for a task nobody annotated.

    `curators` are the people whose answers are adjudications, never
    independent answers (see `exports.items`).
    """
    settled = itemwise.resolve_items(task, curators)
    if not settled:
        return None
    adjudication = itemwise.adjudication_of(task, curators)
    voters = itemwise.independent_answers(task, curators) or task.annotations
    return Resolution(
        task,
        settled,
        itemwise.gold_spans(settled, task),
        itemwise.gold_relations(settled),
        tuple(a.id for a in voters),
        adjudication.annotation.id if adjudication and any(i.status == ADJUDICATED for i in settled) else None,
    )


def to_conflicts(resolution: Resolution) -> list[dict]:
    """List each open item of a task with every annotator's competing answer, for adjudication."""
    task = resolution.task
    return [
        {
            "task_id": task.id,
            "doc_id": task.doc_id,
            "kind": item.kind,
            "item": describe_item(item, task.text),
            "reason": item.reason,
            "answers": {who: answer_dict(item.kind, value, task.text) for who, value in item.answers},
        }
        for item in resolution.open_items
    ]


def describe_item(item: Item, text: str) -> dict:
    """Name an item by where it is: offsets and the text there."""
    if item.kind == STANCE:
        return {}
    if item.kind == SPAN:
        start, end = item.key
        return {"start": start, "end": end, "text": text[start:end]}
    if item.kind == ATTRIBUTE:
        start, end, label, name = item.key
        return {"start": start, "end": end, "text": text[start:end], "label": label, "attribute": name}
    (s0, s1), (t0, t1) = item.key
    return {"source": [s0, s1], "source_text": text[s0:s1], "target": [t0, t1], "target_text": text[t0:t1]}


def answer_dict(kind: str, value, text: str):
    """Show one annotator's answer to an item: the spans they marked for a span item, else the value."""
    if kind == SPAN:
        return [{"start": s, "end": e, "text": text[s:e], "label": label} for s, e, label in value]
    return value


def item_statuses(resolution: Resolution) -> dict[str, dict[str, int]]:
    return itemwise.count_items(resolution.items)


def span_dict(span: Span) -> dict:
    """A gold span as the records hold it: every attribute present (None when not settled), a new actor's name."""
    attributes = {name: span.attributes.get(name) for name in scheme.ATTRIBUTES}
    return {"start": span.start, "end": span.end, "text": span.text, "label": span.label, **span.attributes,
            **attributes}


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
        "items": item_statuses(resolution),
        "open_items": [
            {"kind": i.kind, "item": describe_item(i, doc.text), "reason": i.reason} for i in resolution.open_items
        ],
        "provenance": {
            "snapshot": snapshot,
            "task_id": task.id,
            "annotation_ids": list(resolution.annotation_ids),
            "adjudication_id": resolution.adjudication_id,
            "text_hash": task.data.get("text_hash"),
            "source": doc.source,
            "url": doc.meta.get("url"),
            "date": doc.meta.get("date"),
            "cleaning_steps": sorted({step for e in doc.edits for step in e.step.split("+")}),
        },
    }

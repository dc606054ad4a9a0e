"""Item-wise resolution: the stance, every span, every span attribute and every relation on its own.

A task's answer is cut into items, and each item is settled by itself:

- **stance**: one item per task;
- **span**: a cluster of overlapping spans (over all annotators); each
  annotator's answer is the set of spans (offsets and label) they marked in it,
  possibly none. "The Taliban" against "Taliban" is one disputed item, not two;
- **attribute**: one per gold span and per-span choice (e.g. its country),
  answered by the annotators who marked that very span;
- **relation**: one per (source, target) pair of span offsets; the answer is
  the label, or none. A relation given two labels is an answer with both
  labels joined by ``+``: it can never be gold by itself and stays open until
  adjudicated.

An item is **agreed** when more than half of the independent annotators gave
the same answer, **single** when only one annotator answered the task, and
otherwise **open**. An adjudication (a curator's answer, or the answer starred
as ground truth) settles only the open items, which become **adjudicated**;
what the annotators agreed on is never overridden. A relation is gold only
when both its ends are gold spans; one whose end is still open stays open.

Which answers are independent is decided here and nowhere else
(`independent_answers`): every annotation whose author is not a curator and
that was not made in the review project (`corpus adjudicate`), starred or
not. Starring chooses an answer, it does not make the annotator less
independent, so agreement keeps it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from exports import scheme
from exports.annotations import Annotation, Offsets, Relation, Span, Task
from exports.scheme import MULTI_LABEL

AGREED, SINGLE, ADJUDICATED, OPEN = "agreed", "single", "adjudicated", "open"
STATUSES = (AGREED, SINGLE, ADJUDICATED, OPEN)
STANCE, SPAN, ATTRIBUTE, RELATION = "stance", "span", "attribute", "relation"
KINDS = (STANCE, SPAN, ATTRIBUTE, RELATION)

SpanKey = tuple[int, int, str]  # start, end, label
NOT_MARKED = None  # an annotator's answer for an item they left out


@dataclass(frozen=True)
class Item:
    """One resolvable unit of a task: what each annotator answered, and how it was settled.

    `key` names the item: () for the stance, the cluster's (start, end) for a
    span, (start, end, label, attribute name) for an attribute, (source,
    target) offsets for a relation. `answers` pairs each annotator with their
    answer; `value` is the settled answer (None while open).
    """

    kind: str
    key: tuple
    answers: tuple[tuple[str, Any], ...]
    status: str
    value: Any = None
    reason: str = ""

    @property
    def open(self) -> bool:
        return self.status == OPEN


@dataclass(frozen=True)
class Adjudication:
    """The answer that settles open items: a curator's annotation or the one starred as ground truth."""

    annotation: Annotation
    by_curator: bool


# --- who answered independently ------------------------------------------------


def independent_answers(task: Task, curators: Iterable[str] = ()) -> tuple[Annotation, ...]:
    """Return the task's independent answers: every annotation not made by a curator nor in review, starred or not."""
    curators = set(curators)
    return tuple(a for a in task.annotations if a.annotator not in curators and not a.adjudication)


def adjudication_of(task: Task, curators: Iterable[str] = ()) -> Adjudication | None:
    """Return the answer that settles the task's open items, if any.

    An answer from the review project (`corpus adjudicate`) wins, then a
    curator's annotation (their starred one first, then their latest);
    otherwise the latest answer starred as ground truth.
    """
    curators = set(curators)
    reviewed = [a for a in task.annotations if a.adjudication]
    if reviewed:
        return Adjudication(max(reviewed, key=lambda a: (a.ground_truth, a.id)), True)
    by_curators = [a for a in task.annotations if a.annotator in curators]
    if by_curators:
        return Adjudication(max(by_curators, key=lambda a: (a.ground_truth, a.id)), True)
    starred = [a for a in task.annotations if a.ground_truth]
    return Adjudication(max(starred, key=lambda a: a.id), False) if starred else None


# --- votes -----------------------------------------------------------------------


def settle(kind: str, key: tuple, answers: list[tuple[str, Any]], voters: int) -> Item:
    """Settle one item by vote: an answer more than half of `voters` gave is agreed (single for one voter).

    >>> settle("stance", (), [("a", "FAVOR"), ("b", "FAVOR")], 2).status
    'agreed'
    >>> settle("stance", (), [("a", "FAVOR"), ("b", "NONE")], 2).reason
    'no majority: FAVOR 1, NONE 1'
    """
    counts = Counter(value for _, value in answers)
    winner, n = counts.most_common(1)[0] if counts else (None, 0)
    if 2 * n > voters:
        return Item(kind, key, tuple(answers), SINGLE if voters == 1 else AGREED, winner)
    shown = ", ".join(f"{_show(v)} {c}" for v, c in sorted(counts.items(), key=lambda kv: _show(kv[0])))
    return Item(kind, key, tuple(answers), OPEN, None, f"no majority: {shown}")


def _show(value: Any) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, tuple):
        return "[" + ", ".join(f"{s[0]}-{s[1]} {s[2]}" for s in value) + "]" if value else "(none)"
    return str(value)


def adjudicate(item: Item, value: Any) -> Item:
    """Settle an open item with the adjudicator's answer; a settled item is returned unchanged."""
    return replace(item, status=ADJUDICATED, value=value, reason="") if item.open else item


def reopen(item: Item, reason: str) -> Item:
    return replace(item, status=OPEN, value=None, reason=reason)


# --- stance ------------------------------------------------------------------------


def stance_item(voters: tuple[Annotation, ...], adjudication: Adjudication | None) -> Item:
    """Settle the document stance; a stance nobody chose (or chose by majority as none) stays open."""
    item = settle(STANCE, (), [(a.annotator, a.stance) for a in voters], len(voters))
    if not item.open and item.value is None:
        item = reopen(item, "no stance chosen")
    if item.open and adjudication and adjudication.annotation.stance:
        item = adjudicate(item, adjudication.annotation.stance)
    return item


# --- spans -------------------------------------------------------------------------


def clusters(spans: Iterable[Span]) -> list[Offsets]:
    """Group spans that overlap (directly or through others) into extents, in text order.

    >>> clusters([Span(0, 5, "", "GOV"), Span(3, 9, "", "GOV"), Span(12, 15, "", "MIL")])
    [(0, 9), (12, 15)]
    """
    extents: list[list[int]] = []
    for s in sorted(spans, key=lambda s: (s.start, s.end)):
        if extents and s.start < extents[-1][1]:
            extents[-1][1] = max(extents[-1][1], s.end)
        else:
            extents.append([s.start, s.end])
    return [(a, b) for a, b in extents]


def within(spans: Iterable[Span], extent: Offsets) -> tuple[SpanKey, ...]:
    """Return the keys of the spans that overlap `extent`, in order."""
    return tuple(sorted({s.key for s in spans if s.start < extent[1] and extent[0] < s.end}))


def span_items(voters: tuple[Annotation, ...], adjudication: Adjudication | None) -> list[Item]:
    """Settle each cluster of overlapping spans: the set of spans marked in it is one answer."""
    items = []
    for extent in clusters(s for a in voters for s in a.spans):
        answers = [(a.annotator, within(a.spans, extent)) for a in voters]
        # An UNSURE span the annotators agree on is open until someone picks its label: the curator may.
        item = _check_unsure(settle(SPAN, extent, answers, len(voters)))
        if item.open and adjudication:
            item = _check_unsure(adjudicate(item, within(adjudication.annotation.spans, extent)))
        items.append(item)
    return items


def _check_unsure(item: Item) -> Item:
    """Reopen a settled span item that still holds the UNSURE placeholder: nobody picked its label."""
    if item.open or not any(label == scheme.UNSURE for _, _, label in item.value or ()):
        return item
    return reopen(item, f"left {scheme.UNSURE} (the label depends on a date the article does not give): pick one")


def gold_span_keys(items: Iterable[Item]) -> dict[SpanKey, str]:
    """Map each gold span's key to the status of the item that made it gold."""
    return {key: i.status for i in items if i.kind == SPAN and not i.open for key in i.value}


# --- span attributes ------------------------------------------------------------------


def attribute_items(
    voters: tuple[Annotation, ...], gold: dict[SpanKey, str], adjudication: Adjudication | None
) -> list[Item]:
    """Settle each attribute of each gold span among the annotators who marked that span."""
    items = []
    adjudicated = _span_index(adjudication.annotation) if adjudication else {}
    for key, span_status in sorted(gold.items()):
        markers = [(a.annotator, s) for a in voters for s in a.spans if s.key == key]
        for name in scheme.ATTRIBUTES:
            ruling = adjudicated.get(key, Span(0, 0, "", "")).attributes.get(name)
            if span_status == ADJUDICATED and ruling is not None:
                answers = tuple((who, s.attributes.get(name)) for who, s in markers)
                items.append(Item(ATTRIBUTE, (*key, name), answers, ADJUDICATED, ruling))
                continue
            answers = [(who, s.attributes.get(name)) for who, s in markers]
            if not any(v is not None for _, v in answers):
                continue  # nobody gave one: nothing to resolve
            item = settle(ATTRIBUTE, (*key, name), answers, len(markers))
            if item.open and ruling is not None:
                item = adjudicate(item, ruling)
            items.append(item)
    return items


def _span_index(ann: Annotation) -> dict[SpanKey, Span]:
    return {s.key: s for s in ann.spans}


# --- relations ----------------------------------------------------------------------------


def relation_answer(ann: Annotation, ends: tuple[Offsets, Offsets]) -> str | None:
    """Return the label an annotator gave the relation between `ends`, several joined by '+'; None if not drawn."""
    labels = sorted({r.label for r in ann.relations if (r.source, r.target) == ends})
    return MULTI_LABEL.join(labels) if labels else NOT_MARKED


def relation_items(
    voters: tuple[Annotation, ...], items: list[Item], adjudication: Adjudication | None
) -> list[Item]:
    """Settle each relation by its label; it stays open while an end is not a gold span, or it has two labels."""
    gold_ends = {key[:2] for key in gold_span_keys(items)}
    open_extents = [i.key for i in items if i.kind == SPAN and i.open]
    out = []
    for ends in sorted({(r.source, r.target) for a in voters for r in a.relations}):
        item = settle(RELATION, ends, [(a.annotator, relation_answer(a, ends)) for a in voters], len(voters))
        if item.open and adjudication:
            item = adjudicate(item, relation_answer(adjudication.annotation, ends))
        out.append(_check_relation(item, gold_ends, open_extents))
    return out


def _check_relation(item: Item, gold_ends: set[Offsets], open_extents: list[Offsets]) -> Item:
    if item.open or item.value is None:
        return item
    if MULTI_LABEL in item.value:
        return reopen(item, f"given {item.value.count(MULTI_LABEL) + 1} labels ({item.value}): a relation takes one")
    missing = [end for end in item.key if end not in gold_ends]
    if not missing:
        return item
    waiting = any(a <= end[0] and end[1] <= b for end in missing for a, b in open_extents)
    return reopen(item, "an end is an open span" if waiting else "an end is not a gold span")


# --- a whole task ---------------------------------------------------------------------------


def resolve_items(task: Task, curators: Iterable[str] = ()) -> tuple[Item, ...]:
    """Cut a task's answers into items and settle each one (empty for a task nobody annotated)."""
    voters = independent_answers(task, curators)
    adjudication = adjudication_of(task, curators)
    if not voters:
        if adjudication is None:
            return ()
        voters, adjudication = (adjudication.annotation,), None  # a curator alone: their answer is the only one
    spans = span_items(voters, adjudication)
    gold = gold_span_keys(spans)
    return (
        stance_item(voters, adjudication),
        *spans,
        *attribute_items(voters, gold, adjudication),
        *relation_items(voters, spans, adjudication),
    )


def gold_spans(items: Iterable[Item], task: Task) -> tuple[Span, ...]:
    """Build the gold spans of settled span items, with their settled attributes and their text."""
    items = list(items)
    texts = {s.key: s.text for a in task.annotations for s in a.spans}
    attributes: dict[SpanKey, dict[str, str]] = {}
    for i in items:
        if i.kind == ATTRIBUTE and not i.open and i.value is not None:
            attributes.setdefault(i.key[:3], {})[i.key[3]] = i.value
    for key, settled in attributes.items():
        name = new_actor_name(task, key, settled.get(scheme.ACTOR_ID))
        if name:
            settled[scheme.ACTOR_NAME] = name
    return tuple(
        Span(key[0], key[1], texts.get(key, task.text[key[0] : key[1]]), key[2], attributes.get(key, {}))
        for key in sorted(gold_span_keys(items))
    )


def new_actor_name(task: Task, key: SpanKey, actor_id: str | None) -> str | None:
    """The name typed most often for a gold span's new actor (the first typed on a tie); None for a known actor."""
    typed = [
        s.attributes[scheme.ACTOR_NAME]
        for a in task.annotations
        for s in a.spans
        if s.key == key and s.attributes.get(scheme.ACTOR_ID) == actor_id and s.attributes.get(scheme.ACTOR_NAME)
    ]
    return Counter(typed).most_common(1)[0][0] if typed else None


def gold_relations(items: Iterable[Item]) -> tuple[Relation, ...]:
    return tuple(
        Relation(i.key[0], i.key[1], i.value)
        for i in items
        if i.kind == RELATION and not i.open and i.value is not None
    )


def count_items(items: Iterable[Item]) -> dict[str, dict[str, int]]:
    """Count items per kind and status: {kind: {status: n}}, every kind and status present."""
    counts = {kind: dict.fromkeys(STATUSES, 0) for kind in KINDS}
    for i in items:
        counts[i.kind][i.status] += 1
    return counts

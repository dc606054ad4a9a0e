"""Read a Label Studio full-JSON export into plain records: tasks, annotations, spans, relations.

Pure functions over the parsed JSON (a list of task dicts); nothing here talks to
Label Studio. Region ids are local to one annotation, so relations are stored by
the offsets of their two ends: that is what lets two annotators' relations be
compared at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annotation.gazetteer import new_actor_id
from cleaning.errors import CorpusError
from exports import scheme

Offsets = tuple[int, int]
ADJUDICATION_KEY = "adjudication"  # set on an annotation the team pull took from the review project


@dataclass(frozen=True)
class Span:
    """One labelled region: text[start:end] is `text`, with its label and per-region choices."""

    start: int
    end: int
    text: str
    label: str
    attributes: dict[str, str] = field(default_factory=dict)
    region_id: str = ""

    @property
    def offsets(self) -> Offsets:
        return self.start, self.end

    @property
    def key(self) -> tuple[int, int, str]:
        """Identify a span across annotators: offsets and label, not the region id."""
        return self.start, self.end, self.label


@dataclass(frozen=True)
class Relation:
    """A directed, labelled link from the span at `source` to the span at `target`."""

    source: Offsets
    target: Offsets
    label: str

    @property
    def key(self) -> tuple[Offsets, Offsets, str]:
        return self.source, self.target, self.label


@dataclass(frozen=True)
class Annotation:
    """One annotator's finished answer for one task."""

    id: int
    task_id: int
    annotator: str
    stance: str | None
    spans: tuple[Span, ...] = ()
    relations: tuple[Relation, ...] = ()
    ground_truth: bool = False
    extra: tuple[dict, ...] = ()  # results under names the scheme does not know, kept aside
    adjudication: bool = False  # made in the review project (`corpus adjudicate`): never an independent answer


@dataclass(frozen=True)
class Task:
    """A task with its usable annotations (one per annotator; skipped ones are counted, not kept)."""

    id: int
    doc_id: str
    text: str
    data: dict[str, Any]
    annotations: tuple[Annotation, ...]
    cancelled: int = 0

    @property
    def target(self) -> str:
        return self.data.get("target") or scheme.DEFAULT_TARGET

    @property
    def annotators(self) -> list[str]:
        return [a.annotator for a in self.annotations]


def load_export(path: Path) -> list[dict]:
    """Read a full-JSON export file (a list of tasks)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CorpusError(
            f"snapshot not found: {path}", "run `corpus pull` first, or give the path of a JSON export"
        ) from None
    except json.JSONDecodeError as err:
        raise CorpusError(
            f"{path}: not valid JSON (line {err.lineno}, column {err.colno}): {err.msg}",
            "give Label Studio's full JSON export, not JSON_MIN, CSV or CONLL",
        ) from err
    if not isinstance(data, list):
        raise CorpusError(
            f"{path}: expected a list of tasks, found {type(data).__name__}",
            "give Label Studio's full JSON export (export type JSON)",
        )
    return data


def parse_export(export: list[dict], origin: str = "export") -> list[Task]:
    """Turn a full-JSON export into tasks, sorted by task id."""
    tasks = [parse_task(raw, origin) for raw in export]
    return sorted(tasks, key=lambda t: t.id)


def parse_task(raw: dict, origin: str = "export") -> Task:
    """Turn one exported task into a `Task`, keeping one annotation per annotator."""
    task_id = raw.get("id")
    data = raw.get("data")
    if not isinstance(data, dict) or not isinstance(data.get(scheme.TEXT), str):
        raise CorpusError(
            f"{origin}: task {task_id} has no data.{scheme.TEXT}",
            "export in full JSON format; the task data must hold the document text",
        )
    doc_id = data.get("doc_id")
    if not doc_id:
        raise CorpusError(
            f"{origin}: task {task_id} has no data.doc_id",
            "push tasks with `corpus push`, which records each document's id",
        )
    annotations = raw.get("annotations") or []
    usable = [a for a in annotations if not a.get("was_cancelled")]
    parsed = [parse_annotation(a, task_id, f"{origin}: task {task_id} (doc {doc_id})") for a in usable]
    return Task(
        id=task_id,
        doc_id=str(doc_id),
        text=data[scheme.TEXT],
        data=data,
        annotations=_one_per_annotator(parsed),
        cancelled=len(annotations) - len(usable),
    )


def _one_per_annotator(annotations: list[Annotation]) -> tuple[Annotation, ...]:
    """Keep each annotator's ground-truth answer if any, else their latest, so each person votes once.

    An adjudication is kept apart from its author's own answer: a curator who
    also annotated the document keeps both.
    """
    best: dict[tuple[str, bool], Annotation] = {}
    for ann in sorted(annotations, key=lambda a: (a.ground_truth, a.id)):
        best[ann.annotator, ann.adjudication] = ann
    return tuple(sorted(best.values(), key=lambda a: a.id))


def parse_annotation(raw: dict, task_id: int, where: str = "export") -> Annotation:
    """Turn one exported annotation into an `Annotation`: spans, per-region choices, relations, stance."""
    where = f"{where}, annotation {raw.get('id')}"
    results = raw.get("result") or []
    regions = _regions(results, where)
    attributes = _region_attributes(results, regions)
    spans = tuple(
        Span(s.start, s.end, s.text, s.label, attributes.get(s.region_id, {}), s.region_id) for s in regions.values()
    )
    relations = tuple(_relation(r, regions, where) for r in results if r.get("type") == scheme.RELATION_TYPE)
    known = {scheme.ACTOR, scheme.STANCE, scheme.ACTOR_NAME, *scheme.ATTRIBUTES}
    extra = tuple(r for r in results if r.get("type") != scheme.RELATION_TYPE and r.get("from_name") not in known)
    return Annotation(
        id=raw.get("id"),
        task_id=task_id,
        annotator=annotator_of(raw.get("completed_by")),
        stance=_stance(results),
        spans=tuple(sorted(spans, key=lambda s: (s.start, s.end, s.label))),
        relations=tuple(sorted(relations, key=lambda r: r.key)),
        ground_truth=bool(raw.get("ground_truth")),
        extra=extra,
        adjudication=bool(raw.get(ADJUDICATION_KEY)),
    )


def annotator_of(completed_by: Any) -> str:
    """Name the annotator: the email when the export has it, else the user id.

    >>> annotator_of({"id": 3, "email": "ann@example.org"}), annotator_of(3)
    ('ann@example.org', 'user-3')
    """
    if isinstance(completed_by, dict):
        return completed_by.get("email") or f"user-{completed_by.get('id')}"
    return f"user-{completed_by}"


def _regions(results: list[dict], where: str) -> dict[str, Span]:
    """Collect the actor spans by region id (the first label of each region)."""
    regions = {}
    for r in results:
        if r.get("from_name") != scheme.ACTOR or r.get("type") != scheme.LABELS_TYPE:
            continue
        value = r.get("value") or {}
        labels = value.get("labels") or []
        if not labels or "start" not in value or "end" not in value:
            raise CorpusError(
                f"{where}: region {r.get('id')} has no label or no offsets",
                "re-open the task in Label Studio and fix the region",
            )
        regions[r.get("id")] = Span(
            int(value["start"]), int(value["end"]), value.get("text", ""), labels[0], {}, r.get("id")
        )
    return regions


def _region_attributes(results: list[dict], regions: dict[str, Span]) -> dict[str, dict[str, str]]:
    """Collect per-region choices (country, actor id) keyed by the region id they share with a span.

    A span marked as a new actor gets the id made from the name typed for it
    (``new:<slug>``), and keeps that name under `scheme.ACTOR_NAME`; "new"
    with no name typed is no actor id at all.
    """
    found: dict[str, dict[str, str]] = {}
    for r in results:
        if r.get("id") not in regions:
            continue
        value = r.get("value") or {}
        if r.get("from_name") in scheme.ATTRIBUTES:
            choices = value.get("choices") or []
            if choices:
                found.setdefault(r["id"], {})[r["from_name"]] = choices[0]
        elif r.get("from_name") == scheme.ACTOR_NAME and r.get("type") == scheme.TEXTAREA_TYPE:
            typed = " ".join(str(t) for t in value.get("text") or [] if str(t).strip()).strip()
            if typed:
                found.setdefault(r["id"], {})[scheme.ACTOR_NAME] = typed
    for attributes in found.values():
        if attributes.get(scheme.ACTOR_ID) == scheme.NEW_ACTOR:
            made = new_actor_id(attributes.get(scheme.ACTOR_NAME, ""))
            if made:
                attributes[scheme.ACTOR_ID] = made
            else:
                del attributes[scheme.ACTOR_ID]
    return found


def _relation(r: dict, regions: dict[str, Span], where: str) -> Relation:
    """Turn a relation result into offsets; a left arrow is stored turned round, source first.

    A relation given several labels keeps them all, joined by `scheme.MULTI_LABEL`
    (e.g. "OPPOSES+SUPPORTS"): resolution flags it, it is never exported as its first label.
    """
    ends = [r.get("from_id"), r.get("to_id")]
    missing = [e for e in ends if e not in regions]
    if missing:
        raise CorpusError(
            f"{where}: relation {ends[0]} -> {ends[1]} points at unknown region {missing[0]}",
            "the region was deleted or is not an actor span; fix the relation in Label Studio",
        )
    if r.get("direction") == "left":
        ends.reverse()
    labels = sorted(set(r.get("labels") or []))
    label = scheme.MULTI_LABEL.join(labels) if labels else scheme.UNLABELLED  # two labels stay visible, never one
    return Relation(regions[ends[0]].offsets, regions[ends[1]].offsets, label)


def _stance(results: list[dict]) -> str | None:
    for r in results:
        if r.get("from_name") == scheme.STANCE and r.get("type") == scheme.CHOICES_TYPE:
            choices = (r.get("value") or {}).get("choices") or []
            return choices[0] if choices else None
    return None

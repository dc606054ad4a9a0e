"""Review tasks for adjudication in Label Studio: the agreed items pre-filled, every competing answer beside them.

`corpus adjudicate` sends one review task per document with open items
(`exports.items`). Its predictions are, first, the items the annotators agreed
on (model ``agreed``: the project pre-fills the curator's draft with it), then
each independent answer in full, named by its annotator (model_version = the
annotator's email), so the curator sees who said what in the prediction tabs
and copies or draws the deciding answer. What the curator submits settles only
the open items (`exports.items.adjudicate`); agreement never sees it.

Pure functions over `Task` records; the CLI sends the payloads through
`annotation.client`.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotation.gazetteer import NEW_PREFIX
from exports import items as itemwise
from exports import scheme
from exports.annotations import Annotation, Relation, Span, Task

AGREED_MODEL = "agreed"


def to_result(spans: Iterable[Span], relations: Iterable[Relation], stance: str | None) -> list[dict]:
    """Write spans, their attributes, relations and a stance as a Label Studio result list.

    Region ids are made here (``s0``, ``s1`` ...); relations point at them by their ends' offsets.

    >>> [r["type"] for r in to_result([Span(0, 3, "Foo", "GOV", {"country": "AFG"})], [], "NONE")]
    ['labels', 'choices', 'choices']
    """
    result, ids = [], {}
    for n, span in enumerate(sorted(spans, key=lambda s: (s.start, s.end, s.label))):
        rid = f"s{n}"
        ids.setdefault(span.offsets, rid)
        where = {"start": span.start, "end": span.end, "text": span.text}
        result.append({"id": rid, "from_name": scheme.ACTOR, "to_name": scheme.TEXT, "type": scheme.LABELS_TYPE,
                       "value": where | {"labels": [span.label]}})
        for name in scheme.ATTRIBUTES:
            if span.attributes.get(name):
                result += _attribute_results(rid, where, name, span)
    for relation in relations:
        if relation.source in ids and relation.target in ids:
            labels = [] if relation.label == scheme.UNLABELLED else relation.label.split(scheme.MULTI_LABEL)
            result.append({"from_id": ids[relation.source], "to_id": ids[relation.target],
                           "type": scheme.RELATION_TYPE, "direction": "right", "labels": labels})
    if stance:
        result.append({"from_name": scheme.STANCE, "to_name": scheme.TEXT, "type": scheme.CHOICES_TYPE,
                       "value": {"choices": [stance]}})
    return result


def _attribute_results(rid: str, where: dict, name: str, span: Span) -> list[dict]:
    """One per-region choice; a new actor's id goes back as the "new" option and its typed name."""
    value = span.attributes[name]
    typed = span.attributes.get(scheme.ACTOR_NAME)
    if name == scheme.ACTOR_ID and value.startswith(NEW_PREFIX) and typed:
        return [{"id": rid, "from_name": name, "to_name": scheme.TEXT, "type": scheme.CHOICES_TYPE,
                 "value": where | {"choices": [scheme.NEW_ACTOR]}},
                {"id": rid, "from_name": scheme.ACTOR_NAME, "to_name": scheme.TEXT, "type": scheme.TEXTAREA_TYPE,
                 "value": where | {"text": [typed]}}]
    return [{"id": rid, "from_name": name, "to_name": scheme.TEXT, "type": scheme.CHOICES_TYPE,
             "value": where | {"choices": [value]}}]


def answer_result(annotation: Annotation) -> list[dict]:
    """Write one annotator's whole answer back as a result list."""
    return to_result(annotation.spans, annotation.relations, annotation.stance)


def review_task(task: Task, curators: Iterable[str] = ()) -> dict | None:
    """Build the review task of one document, or None when none of its items is open.

    The agreed prediction holds the gold spans (with their settled attributes),
    the gold relations and the stance when agreed; one prediction per
    independent answer follows, named by its annotator.
    """
    settled = itemwise.resolve_items(task, curators)
    open_items = [i for i in settled if i.open]
    if not open_items:
        return None
    stance = next((i.value for i in settled if i.kind == itemwise.STANCE and not i.open), None)
    agreed = to_result(itemwise.gold_spans(settled, task), itemwise.gold_relations(settled), stance)
    answers = [
        {"model_version": a.annotator, "score": 0.0, "result": answer_result(a)}
        for a in itemwise.independent_answers(task, curators)
    ]
    kinds = sorted({i.kind for i in open_items})
    # a task pushed before the actor choice lacks its options, and the server refuses a task without them
    data = {scheme.ACTOR_OPTIONS: []} | task.data | {"open_items": f"{len(open_items)} open: {', '.join(kinds)}"}
    return {"data": data, "predictions": [{"model_version": AGREED_MODEL, "score": 1.0, "result": agreed}, *answers]}


def review_tasks(tasks: Iterable[Task], curators: Iterable[str] = ()) -> list[dict]:
    """Build the review tasks of every document with open items, in task order."""
    curators = tuple(curators)
    return [r for t in tasks if (r := review_task(t, curators)) is not None]

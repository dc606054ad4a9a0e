"""Tiny in-memory Label Studio exports and cleaned documents, shaped like the real ones.

Result JSON follows the shapes in /work/shared/LABELSTUDIO.md: a span region,
a per-region choice under the same id, a relation between region ids, and the
document-level stance choice.
"""

from __future__ import annotations

from cleaning.document import Document, EditLog

# Raw scrape with a double space and a stray tab the cleaner removes, so clean
# and raw offsets differ after them.
RAW = "Kabul -- The  Taliban rejected\tcriticism from the United States on Sunday.\nPakistan's army stayed silent."
TEXT = RAW.replace("  ", " ").replace("\t", " ")  # what the cleaner makes of it


def document(doc_id: str = "d1", raw: str = RAW, meta: dict | None = None, flags: dict | None = None) -> Document:
    """Clean `raw` the way the cleaner records it: collapse runs of spaces and tabs, with edits."""
    log = EditLog(raw)
    changes, i = [], 0
    while i < len(raw):
        j = i
        while j < len(raw) and raw[j] in " \t":
            j += 1
        if j - i and raw[i:j] != " ":
            changes.append((i, j, " "))
        i = max(j, i + 1)
    log.apply("collapse_spaces", changes)
    return Document(
        id=doc_id,
        source=f"{doc_id}.txt",
        text=log.text,
        title=f"Title {doc_id}",
        meta=meta or {},
        edits=tuple(log.edits),
        flags=flags or {},
    )


def span(text: str, phrase: str, label: str, rid: str, country: str | None = None, shift: int = 0) -> list[dict]:
    """Return the result items of one actor region (and its country choice); `shift` drifts the offsets."""
    start = text.index(phrase) + shift
    value = {"start": start, "end": start + len(phrase), "text": phrase}
    items = [
        {
            "id": rid,
            "from_name": "actor",
            "to_name": "text",
            "type": "labels",
            "value": value | {"labels": [label]},
        }
    ]
    if country:
        items.append(
            {
                "id": rid,
                "from_name": "country",
                "to_name": "text",
                "type": "choices",
                "value": value | {"choices": [country]},
            }
        )
    return items


def relation(source: str, target: str, label: str, direction: str = "right") -> dict:
    return {"from_id": source, "to_id": target, "type": "relation", "direction": direction, "labels": [label]}


def stance(value: str) -> dict:
    return {"from_name": "stance", "to_name": "text", "type": "choices", "value": {"choices": [value]}}


def annotation(
    ann_id: int, user: int | str, result: list[dict], ground_truth: bool = False, cancelled: bool = False
) -> dict:
    completed_by = {"id": 99, "email": user} if isinstance(user, str) else user
    return {
        "id": ann_id,
        "completed_by": completed_by,
        "result": result,
        "ground_truth": ground_truth,
        "was_cancelled": cancelled,
        "lead_time": 12.5,
    }


def task(task_id: int, doc: Document, annotations: list[dict]) -> dict:
    return {
        "id": task_id,
        "data": {
            "doc_id": doc.id,
            "text_hash": f"h{task_id}",
            "title": doc.title,
            "text": doc.text,
            "source": doc.source,
            "date": None,
        },
        "annotations": annotations,
        "predictions": [],
    }


def full_answer(
    text: str = TEXT, stance_value: str = "AGAINST", taliban: str = "GOV", country: str = "AFG"
) -> list[dict]:
    """One annotator's complete answer: two actors, a relation between them, a stance."""
    return [
        *span(text, "Taliban", taliban, "r1", country),
        *span(text, "United States", "GOV", "r2", "USA"),
        relation("r2", "r1", "OPPOSES"),
        stance(stance_value),
    ]


def actor_id(text: str, phrase: str, rid: str, value: str) -> dict:
    """The per-region actor choice of the region `rid` on `phrase`: a gazetteer id, or "new"."""
    start = text.index(phrase)
    where = {"start": start, "end": start + len(phrase), "text": phrase}
    return {"id": rid, "from_name": "actor_id", "to_name": "text", "type": "choices", "value": where | {"choices": [value]}}


def new_actor(text: str, phrase: str, rid: str, name: str) -> list[dict]:
    """A region marked as a new actor: the "new" choice and the name typed in the box beside it."""
    start = text.index(phrase)
    where = {"start": start, "end": start + len(phrase)}
    return [actor_id(text, phrase, rid, "new"),
            {"id": rid, "from_name": "actor_name", "to_name": "text", "type": "textarea", "value": where | {"text": [name]}}]


def export_tiny(root, docs: list[Document], tasks: list[dict]):
    """Write `tasks` as a snapshot and `docs` as the cleaned documents under `root`, export them to root/gold/v1."""
    import json

    from exports.pipeline import export_gold

    (root / "snapshot.json").write_text(json.dumps(tasks))
    (root / "documents.jsonl").write_text("".join(json.dumps(d.to_dict()) + "\n" for d in docs))
    return export_gold(root / "snapshot.json", root / "documents.jsonl", root / "gold" / "v1")

"""Pure converters between documents and Label Studio tasks, and the sync plan between them.

Nothing here talks to Label Studio: a task is a plain dict as the API returns
it (``{"id", "data", "total_annotations", ...}``), so every rule about what a
push creates, updates or reports is testable in memory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cleaning.document import Document
from cleaning.errors import CorpusError


def text_hash(text: str) -> str:
    """Return a short, stable fingerprint of a document's text (sha256, 16 hex digits).

    >>> text_hash("Taliban rejects Western accusations")
    'aa166029063bd819'
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


PAGE_FIELDS = ("headline", "dateline", "origin")  # the page's header lines; tasks pushed before them lack them
NO_HEADLINE = "(no headline)"
DATE_UNKNOWN = "unknown: the article gives none; judge the time of the events from the text"


def to_task_data(doc: Document, target: str, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the task's ``data``: what the annotator sees and what ties the task to its document.

    ``headline``, ``dateline`` and ``origin`` are the page's header lines: the
    label config cannot test a field, so a missing date is spelt out here.
    `extra` holds the fields the page builds controls from (the actor choice's options).

    >>> data = to_task_data(Document(id="d1", source="003.txt", text="...", title="Taliban Slam"), "the Taliban")
    >>> data["headline"], data["dateline"][:8], data["origin"]
    ('Taliban Slam', 'unknown:', '003.txt')
    """
    date = doc.meta.get("date") or ""
    return {
        "doc_id": doc.id,
        "text_hash": text_hash(doc.text),
        "title": doc.title or "",
        "text": doc.text,
        "source": doc.source,
        "date": date,
        "target": target,
        "headline": doc.title or NO_HEADLINE,
        "dateline": date or DATE_UNKNOWN,
        "origin": doc.meta.get("url") or doc.source,
    } | (extra or {})


def to_task(doc: Document, target: str, predictions: list[dict] | None = None,
            extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """Return the import payload for one document, with its predictions if any."""
    task: dict[str, Any] = {"data": to_task_data(doc, target, extra)}
    if predictions:
        task["predictions"] = predictions
    return task


def is_annotated(task: dict[str, Any]) -> bool:
    """Tell whether anyone has worked on a task: an annotation, a skip or a saved draft."""
    return bool(task.get("total_annotations") or task.get("cancelled_annotations") or task.get("drafts"))


def read_documents(clean_dir: Path) -> list[Document]:
    """Read ``documents.jsonl`` from the clean dir (or the file itself); errors name the line."""
    path = Path(clean_dir)
    if path.is_dir():
        path = path / "documents.jsonl"
    if not path.exists():
        raise CorpusError(f"no cleaned corpus at {path}", "run `corpus clean` (or `make clean`) first")
    docs, seen = [], {}
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                doc = Document.from_dict(row)
            except (json.JSONDecodeError, TypeError, KeyError) as err:
                raise CorpusError(f"{path}:{number}: not a document: {err}",
                                  "documents.jsonl must be written by `corpus clean`") from err
            if doc.id in seen:
                raise CorpusError(f"{path}:{number}: document id {doc.id} repeats line {seen[doc.id]}",
                                  "document ids must be unique; rerun `corpus clean`")
            seen[doc.id] = number
            docs.append(doc)
    return docs


@dataclass
class SyncPlan:
    """What a push must do to make the project hold exactly one current task per document."""

    create: list[Document] = field(default_factory=list)
    update: list[tuple[int, Document]] = field(default_factory=list)  # (task id, new document)
    unchanged: int = 0
    conflicts: list[tuple[int, Document]] = field(default_factory=list)  # annotated task, changed text
    duplicates: list[int] = field(default_factory=list)  # extra, unannotated tasks of one document
    orphans: list[int] = field(default_factory=list)  # tasks whose document left the corpus


def index_tasks(tasks: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Group tasks by ``data.doc_id`` (tasks without one are ours to ignore)."""
    index: dict[str, list[dict[str, Any]]] = {}
    for task in tasks:
        doc_id = (task.get("data") or {}).get("doc_id")
        if doc_id is not None:
            index.setdefault(str(doc_id), []).append(task)
    return index


def plan_sync(docs: Iterable[Document], tasks: Iterable[dict[str, Any]],
              sent: Callable[[Document], dict[str, Any]] | None = None) -> SyncPlan:
    """Compare the corpus with the project's tasks and decide, per document, what to do.

    A document with no task is created; one whose text hash matches is left
    alone, unless nobody worked on it and its data is not what the push would
    send (`sent`: another gazetteer's actor options; without it, the page's
    header fields missing, from a push before they existed): it is updated. A
    changed one is updated only if nobody has worked on its task, otherwise it
    is a conflict to report. Extra unannotated tasks of one document (a
    retried import) are duplicates to delete; annotated ones are never touched.
    """
    plan, index = SyncPlan(), index_tasks(tasks)
    wanted = set()
    for doc in docs:
        wanted.add(doc.id)
        found = index.get(doc.id, [])
        if not found:
            plan.create.append(doc)
            continue
        digest = text_hash(doc.text)
        keep, extra = _pick_keeper(found, digest)
        plan.duplicates += [t["id"] for t in extra if not is_annotated(t)]
        if keep["data"].get("text_hash") == digest:
            if is_annotated(keep) or _current(keep["data"], doc, sent):
                plan.unchanged += 1
            else:  # nobody worked on it, so bring it up to date
                plan.update.append((keep["id"], doc))
        elif is_annotated(keep):
            plan.conflicts.append((keep["id"], doc))
        else:
            plan.update.append((keep["id"], doc))
    plan.orphans = sorted(t["id"] for doc_id, ts in index.items() if doc_id not in wanted for t in ts)
    return plan


def _current(data: dict[str, Any], doc: Document, sent: Callable[[Document], dict[str, Any]] | None) -> bool:
    if sent is None:
        return all(k in data for k in PAGE_FIELDS)
    return all(data.get(k) == v for k, v in sent(doc).items())


def _pick_keeper(found: list[dict[str, Any]], digest: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Keep an annotated task first, then one already current, then the oldest."""
    ranked = sorted(found, key=lambda t: (not is_annotated(t), t["data"].get("text_hash") != digest, t["id"]))
    return ranked[0], ranked[1:]


def batched(items: list, size: int) -> Iterator[list]:
    """Yield consecutive slices of `items` of at most `size`."""
    for start in range(0, len(items), size):
        yield items[start:start + size]

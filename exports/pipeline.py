"""Export a snapshot of annotations as a gold dataset folder: resolve, check, split, write every format.

The folder is written under a temporary name beside its destination and renamed
into place at the end, so an export is all there or not there; an existing
export is replaced only when asked (`force`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from annotation.gazetteer import Gazetteer, load_gazetteer
from cleaning.document import Document
from cleaning.errors import CorpusError
from cleaning.writers import atomic_folder, atomic_write
from exports import card, network, writers
from exports.agreement import draw_agreement_chart, measure_agreement
from exports.annotations import Task, load_export, parse_export
from exports.gold import check_spans, excluded, gold_record, item_statuses, resolve_task, to_conflicts
from exports.splits import DEFAULT_RATIOS, DEFAULT_SEED, SPLITS, assign_splits, group_documents, site_of
from exports.tokens import blank_pipeline, dropped_from_bio, to_doc

Progress = Callable[[str, int, int], None]


@dataclass
class Outcome:
    """What resolution made of a snapshot: gold records, conflicts, span checks, counts."""

    records: list[dict] = field(default_factory=list)
    conflicts: list[dict] = field(default_factory=list)
    checks: list[dict] = field(default_factory=list)
    unannotated: int = 0
    excluded: int = 0
    held_back: int = 0  # documents with open items, kept out of gold unless asked
    items: dict[str, dict[str, int]] = field(default_factory=dict)  # {kind: {status: n}}


@dataclass
class ExportSummary:
    """What an export wrote, for the CLI's summary."""

    folder: Path
    tasks: int
    gold: int
    per_split: dict[str, int]
    conflicts: int
    unannotated: int
    realigned: int
    excluded: int
    agreement: dict
    held_back: int = 0
    items: dict[str, dict[str, int]] = field(default_factory=dict)
    network: dict = field(default_factory=dict)  # `network.network_facts` of the stance network written


def load_documents(*paths: Path) -> dict[str, Document]:
    """Read one or more of the cleaner's `documents.jsonl` into {id: Document}.

    A project fed from several corpus folders needs all their files; the same
    id in two files must hold the same text, or the export would not know
    which one was annotated.
    """
    docs: dict[str, Document] = {}
    origin: dict[str, Path] = {}
    for path in paths:
        for doc in _read_documents(Path(path)):
            if doc.id in docs and docs[doc.id].text != doc.text:
                raise CorpusError(
                    f"document {doc.id} is in {origin[doc.id]} and in {path} with different texts",
                    "give each corpus folder's documents.jsonl once, from the cleaning that was pushed",
                )
            docs[doc.id], origin[doc.id] = doc, path
    return docs


def _read_documents(path: Path) -> list[Document]:
    docs = []
    try:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, start=1):
                if line.strip():
                    docs.append(_document(line, path, number))
    except FileNotFoundError:
        raise CorpusError(f"documents not found: {path}", "run `corpus clean` first, or pass --documents") from None
    return docs


def _document(line: str, path: Path, number: int) -> Document:
    try:
        return Document.from_dict(json.loads(line))
    except (json.JSONDecodeError, TypeError, KeyError) as err:
        raise CorpusError(
            f"{path}, line {number}: not a cleaned document ({err})",
            "give the documents.jsonl written by `corpus clean`",
        ) from err


def resolve_tasks(
    tasks: list[Task],
    documents: dict[str, Document],
    snapshot: str,
    include_unresolved: bool = False,
    progress: Progress | None = None,
    curators: Iterable[str] = (),
) -> Outcome:
    """Resolve every task item by item, check its spans against its cleaned document, and build the records.

    A task with open items is held back from gold (kept with its settled items
    when `include_unresolved`); each open item goes to the conflicts.
    """
    check_documents(tasks, documents)
    out = Outcome()
    for done, task in enumerate(tasks, start=1):
        if progress:
            progress("resolving", done, len(tasks))
        resolution = resolve_task(task, curators)
        if resolution is None:
            out.unannotated += 1
            continue
        out.items = add_counts(out.items, item_statuses(resolution))
        if not resolution.resolved:
            out.conflicts += to_conflicts(resolution)
            out.held_back += 1
            if not include_unresolved:
                continue
        doc = documents[task.doc_id]
        if task.text != doc.text:
            out.checks.append(
                {
                    "task_id": task.id,
                    "doc_id": task.doc_id,
                    "action": "excluded",
                    "reason": "the task's text differs from the cleaned document (cleaned again after the push?)",
                }
            )
            out.excluded += 1
            continue
        resolution, checks = check_spans(resolution, doc)
        out.checks += [c.to_dict() for c in checks]
        if excluded(checks):
            out.excluded += 1
            continue
        moved = {c.moved_to: c.span.offsets for c in checks if c.moved_to}
        out.records.append(gold_record(resolution, doc, snapshot, moved))
    return out


def check_documents(tasks: list[Task], documents: dict[str, Document]) -> None:
    """Fail when an annotated task's document is not among the cleaned documents; unannotated ones do not matter."""
    missing = sorted({t.doc_id for t in tasks if t.annotations and t.doc_id not in documents})
    if missing:
        raise CorpusError(
            f"{len(missing)} annotated document(s) are not in the cleaned documents, e.g. {', '.join(missing[:3])}",
            "export with the documents.jsonl that was pushed to Label Studio "
            "(give --documents once per corpus folder pushed)",
        )


def add_counts(total: dict[str, dict[str, int]], more: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Add two {kind: {status: n}} tables."""
    kinds = total.keys() | more.keys()
    return {
        k: {s: total.get(k, {}).get(s, 0) + more.get(k, {}).get(s, 0) for s in {**total.get(k, {}), **more.get(k, {})}}
        for k in sorted(kinds)
    }


def split_records(
    records: list[dict], documents: dict[str, Document], ratios: tuple[float, ...], seed: int
) -> tuple[list[dict], int]:
    """Give each record its split; return the records and the number of groups."""
    keys = [
        {
            "doc_id": r["doc_id"],
            "stance": r["stance"],
            "near_duplicate_of": documents[r["doc_id"]].flags.get("near_duplicate_of"),
            "site": site_of(documents[r["doc_id"]].meta),
        }
        for r in records
    ]
    assigned = assign_splits(keys, ratios, seed)
    groups = len(set(group_documents(keys).values()))
    return [r | {"split": assigned[r["doc_id"]]} for r in records], groups


def export_gold(
    snapshot: Path,
    documents: Path | list[Path],
    out: Path,
    *,
    include_unresolved: bool = False,
    force: bool = False,
    ratios: tuple[float, ...] = DEFAULT_RATIOS,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    curators: Iterable[str] = (),
    actors: Path | None = None,
) -> ExportSummary:
    """Turn a full-JSON snapshot and the cleaned documents (one file per corpus folder pushed) into `out`.

    `actors` is the gazetteer the project was pushed with (default
    annotation/actors.yaml): the stance network names its actors from it.
    """
    documents = [documents] if isinstance(documents, Path | str) else list(documents)
    curators = sorted(set(curators))
    if out.exists() and not force:
        raise CorpusError(f"export already exists: {out}", "choose another --name, or pass --force to replace it")
    gazetteer = load_gazetteer(actors)
    tasks = parse_export(load_export(snapshot), str(snapshot))
    docs = load_documents(*documents)
    outcome = resolve_tasks(tasks, docs, snapshot.name, include_unresolved, progress, curators)
    records, groups = split_records(outcome.records, docs, ratios, seed)
    agreement = measure_agreement(tasks, curators, seed=seed)
    facts = {
        "tasks": len(tasks),
        "unannotated": outcome.unannotated,
        "conflicts": len(outcome.conflicts),
        "held_back": outcome.held_back,
        "items": outcome.items,
        "curators": curators,
        "realigned": sum(c["action"] == "realigned" for c in outcome.checks),
        "excluded": outcome.excluded,
        "include_unresolved": include_unresolved,
        "ratios": list(ratios),
        "seed": seed,
        "groups": groups,
        "tools": card.tool_versions(),
        "provenance": {
            "snapshot": str(snapshot),
            "snapshot_sha256": sha256(snapshot),
            "documents": [str(d) for d in documents],
            "documents_sha256": [sha256(d) for d in documents],
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    }
    with atomic_folder(out, force) as folder:
        facts |= write_datasets(records, folder, gazetteer, progress)
        writers.write_jsonl(outcome.conflicts, folder / "conflicts.jsonl")
        writers.write_jsonl(outcome.checks, folder / "span_checks.jsonl")
        write_agreement(agreement, folder)
        (folder / "export.json").write_text(json.dumps(facts, indent=2) + "\n", encoding="utf-8")
        (folder / "README.md").write_text(card.render_card(out.name, records, facts, agreement), encoding="utf-8")
    return ExportSummary(
        out,
        len(tasks),
        len(records),
        {s: sum(r["split"] == s for r in records) for s in SPLITS},
        len(outcome.conflicts),
        outcome.unannotated,
        facts["realigned"],
        outcome.excluded,
        agreement,
        outcome.held_back,
        outcome.items,
        facts["network"],
    )


def write_datasets(records: list[dict], folder: Path, gazetteer: Gazetteer, progress: Progress | None = None) -> dict:
    """Write every dataset format and the stance network into `folder`; return what the card reports of them.

    That is how many spans BIO could not hold (``dropped_from_bio``) and the
    network's counts (``network``).
    """
    nlp = blank_pipeline()
    docs = {}
    for done, r in enumerate(records, start=1):
        docs[r["doc_id"]] = to_doc(r, nlp)
        if progress:
            progress("tokenising", done, len(records))
    writers.write_jsonl(records, folder / "gold.jsonl")
    writers.write_tables(records, folder)
    writers.write_docbins(records, docs, folder)
    writers.write_hf_dataset(records, docs, folder)
    writers.write_conll(records, docs, folder)
    writers.write_stance_tsv(records, folder)
    stances = network.build_network(records, docs, gazetteer)
    network.write_network(stances, folder)
    return {"dropped_from_bio": sum(dropped_from_bio(r, docs[r["doc_id"]]) for r in records),
            "network": network.network_facts(stances)}


def write_agreement(report: dict, folder: Path) -> list[Path]:
    """Write `agreement.json`, `agreement.png` and the per-document diagnosis into `folder`, each atomically."""
    folder.mkdir(parents=True, exist_ok=True)
    report_path, chart_path = folder / "agreement.json", folder / "agreement.png"
    diagnosis_path = folder / "agreement_documents.jsonl"
    summary = {k: v for k, v in report.items() if k != "documents"}
    with atomic_write(report_path) as f:
        f.write(json.dumps(summary, indent=2) + "\n")
    with atomic_write(chart_path) as f:
        draw_agreement_chart(report, f.buffer)  # PNG bytes go to the binary file under the text one
    with atomic_write(diagnosis_path) as f:
        f.writelines(json.dumps(d, ensure_ascii=False) + "\n" for d in report["documents"])
    return [report_path, chart_path, diagnosis_path]


def sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()

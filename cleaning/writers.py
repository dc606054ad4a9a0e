"""Write the cleaner's outputs atomically: documents, rejections and the review report."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from cleaning.config import ALL_REPAIRS
from cleaning.document import Document
from cleaning.errors import CorpusError
from cleaning.readers import Rejection

REPORT_DOCS = 500  # documents listed edit by edit in report.md; counts cover all
PART_ROWS = 10_000  # documents per Parquet part


@contextmanager
def atomic_write(path: Path, mode: int = 0o644) -> Iterator[IO[str]]:
    """Write `path` through a temporary file renamed into place: all or nothing.

    The file gets `mode` before anything is written (`mkstemp` makes it
    private; outputs are meant to be shared, secrets pass 0o600).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.fchmod(fd, mode)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


@dataclass
class Summary:
    """What a run wrote: counts of documents, rejections, edits per step and flags."""

    kept: int = 0
    rejected: int = 0
    steps: Counter = field(default_factory=Counter)
    docs_per_step: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)

    @property
    def inputs(self) -> int:
        return self.kept + self.rejected


def write_outputs(items: Iterable[Document | Rejection], out: Path, parquet: bool = False) -> Summary:
    """Stream documents and rejections into ``out``; write ``report.md``; return the summary.

    With `parquet`, the documents also go to ``documents.parquet/part-NNNNN.parquet``
    (`PART_ROWS` each; `meta`, `edits` and `flags` as JSON strings, so the schema
    never depends on the data), which Spark, DuckDB or pandas read as one table.
    """
    summary, listed = Summary(), []
    with (atomic_write(out / "documents.jsonl") as docs, atomic_write(out / "rejected.jsonl") as rejected,
          parquet_parts(out / "documents.parquet", enabled=parquet) as parts):
        for item in items:
            if isinstance(item, Rejection):
                summary.rejected += 1
                summary.reasons[item.reason.split(":")[0]] += 1
                rejected.write(json.dumps({"source": item.source, "reason": item.reason}, ensure_ascii=False) + "\n")
                continue
            summary.kept += 1
            _count(summary, item)
            row = item.to_dict()
            docs.write(json.dumps(row, ensure_ascii=False) + "\n")
            parts.add(row)
            if len(listed) < REPORT_DOCS:
                listed.append(item)
        with atomic_write(out / "report.md") as report:
            report.write(render_report(summary, listed))
    return summary


class _Parts:
    """Buffer document rows and write them out as numbered Parquet parts."""

    def __init__(self, folder: Path | None):
        self.folder, self.rows, self.written = folder, [], 0

    def add(self, row: dict) -> None:
        if self.folder is None:
            return
        self.rows.append({**row, **{k: json.dumps(row[k], ensure_ascii=False) for k in ("meta", "edits", "flags")}})
        if len(self.rows) >= PART_ROWS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.folder is not None and (self.rows or not self.written):
            columns = ("id", "source", "title", "text", "meta", "edits", "flags")
            table = pa.table({c: pa.array([r[c] for r in self.rows], type=pa.string()) for c in columns})
            pq.write_table(table, self.folder / f"part-{self.written:05d}.parquet")
            self.rows, self.written = [], self.written + 1


@contextmanager
def parquet_parts(folder: Path, enabled: bool) -> Iterator[_Parts]:
    """Yield a writer of Parquet parts into a temporary folder renamed to `folder` on success."""
    if not enabled:
        yield _Parts(None)
        return
    with atomic_folder(folder, force=True) as tmp:
        parts = _Parts(tmp)
        yield parts
        parts.flush()


@contextmanager
def atomic_folder(target: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside `target`, renamed to `target` when the block succeeds.

    An existing `target` is replaced only with `force`; otherwise the block's
    work is thrown away with an error that says so.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"))
    tmp.chmod(0o755)  # mkdtemp makes it private; outputs are meant to be shared
    try:
        yield tmp
        if target.exists():
            if not force:
                raise CorpusError(f"already exists: {target}", "pass --force to replace it")
            old = target.parent / f".{target.name}.{uuid.uuid4().hex}.old"
            os.replace(target, old)
            os.replace(tmp, target)
            shutil.rmtree(old)
        else:
            os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def _count(summary: Summary, doc: Document) -> None:
    seen = set()
    for names, n in Counter(edit.step for edit in doc.edits).items():
        for name in names.split("+"):
            summary.steps[name] += n
            seen.add(name)
    summary.docs_per_step.update(seen)
    summary.flags.update(doc.flags.keys())
    if "near_duplicate_of" in doc.flags:
        summary.steps["near_duplicates"] += 1
        summary.docs_per_step["near_duplicates"] += 1


def render_report(summary: Summary, docs: list[Document]) -> str:
    """Render the review report: counts per repair, then each document's edits, before -> after."""
    lines = [
        "# Cleaning report",
        "",
        f"{summary.inputs} inputs: {summary.kept} documents kept, {summary.rejected} rejected.",
        "",
        "| repair | edits | documents |",
        "|---|---:|---:|",
    ]
    lines += [f"| {name} | {summary.steps[name]} | {summary.docs_per_step[name]} |" for name in ALL_REPAIRS]
    if summary.flags:
        lines += ["", "Flags: " + ", ".join(f"{k} {v}" for k, v in summary.flags.most_common())]
    if summary.reasons:
        lines += ["", "Rejected: " + ", ".join(f"{k} ({v})" for k, v in summary.reasons.most_common())]
    lines += ["", "## Edits by document", ""]
    if summary.kept > len(docs):
        lines += [f"The first {len(docs)} documents are listed; `corpus clean --explain SOURCE` shows any.", ""]
    for doc in docs:
        lines += [f"### {doc.source}", "", f"id `{doc.id}`, title: {doc.title or '(none)'}", ""]
        lines += [f"- **{e.step}** @{e.start}: `{_show(e.before)}` → `{_show(e.after)}`" for e in doc.edits]
        if doc.flags:
            lines.append(f"- flags: {json.dumps(doc.flags)}")
        lines.append("")
    return "\n".join(lines)


def _show(text: str, limit: int = 120) -> str:
    """Show an edit's text on one line, escaping line breaks and backticks."""
    text = text.replace("\n", "⏎").replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"

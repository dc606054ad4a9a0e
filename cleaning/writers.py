"""Write the cleaner's outputs atomically: documents, rejections and the review report.

The outputs are one set: they are written into a temporary folder beside
OUT, which then takes OUT's place in one atomic exchange, so a reader never
sees a new report beside old documents. A run killed half-way leaves only
its temporary folder, which the next run removes.
"""

from __future__ import annotations

import ctypes
import errno
import glob
import json
import os
import re
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
OUTPUTS = ("documents.jsonl", "rejected.jsonl", "report.md", "documents.parquet")  # all `corpus clean` writes
_RENAME_EXCHANGE, _AT_FDCWD = 2, -100  # renameat2(2)
# temporaries of one output file, as earlier versions left them inside OUT when killed (removed with OUT)
_OLD_TEMPORARY = re.compile(rf"\.(?:{'|'.join(map(re.escape, OUTPUTS))})\.[^/]+\.tmp")


@contextmanager
def atomic_write(path: Path, mode: int = 0o644) -> Iterator[IO[str]]:
    """Write `path` through a temporary file renamed into place: all or nothing.

    The file gets `mode` before anything is written (`mkstemp` makes it
    private; outputs are meant to be shared, secrets pass 0o600).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=_temporary_prefix(path), suffix=".tmp")
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

    The files are written as one set (see the module's docstring); `out` must
    hold nothing but an earlier run's outputs, since the new set replaces it.
    With `parquet`, the documents also go to ``documents.parquet/part-NNNNN.parquet``
    (`PART_ROWS` each; `meta`, `edits` and `flags` as JSON strings, so the schema
    never depends on the data), which Spark, DuckDB or pandas read as one table.
    """
    out = Path(out).resolve()
    check_output_folder(out)
    with atomic_folder(out, force=True) as folder:
        return _write_set(items, folder, parquet)


def check_output_folder(out: Path) -> None:
    """Refuse an output folder that holds files `corpus clean` did not write: replacing it would lose them."""
    if not out.is_dir():
        if out.exists():
            raise CorpusError(f"--out {out} is a file, not a folder", "give a new or empty folder")
        return
    foreign = sorted(p.name for p in out.iterdir() if p.name not in OUTPUTS and not _OLD_TEMPORARY.fullmatch(p.name))
    if foreign:
        shown = ", ".join(foreign[:5]) + (", …" if len(foreign) > 5 else "")
        raise CorpusError(f"{out} holds files `corpus clean` did not write: {shown}",
                          "give a new or empty folder as --out: each run replaces the folder's outputs as a whole")


def _write_set(items: Iterable[Document | Rejection], out: Path, parquet: bool) -> Summary:
    """Write the set into `out`; the report's listed documents are spooled as rendered, never held."""
    summary, listed = Summary(), 0
    with (_open(out / "documents.jsonl") as docs, _open(out / "rejected.jsonl") as rejected,
          parquet_parts(out / "documents.parquet", enabled=parquet) as parts,
          tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n") as sections):
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
            if listed < REPORT_DOCS:
                sections.write(render_document(item))
                listed += 1
        with _open(out / "report.md") as report:
            report.write(render_report(summary, listed))
            sections.seek(0)
            shutil.copyfileobj(sections, report)
    return summary


def _open(path: Path) -> IO[str]:
    """Open an output file in the set's temporary folder (the folder, not each file, is swapped in)."""
    return path.open("w", encoding="utf-8", newline="\n")


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
    folder.mkdir(mode=0o755)
    parts = _Parts(folder)
    yield parts
    parts.flush()


@contextmanager
def atomic_folder(target: Path, force: bool = False) -> Iterator[Path]:
    """Yield a temporary folder beside `target`, renamed to `target` when the block succeeds.

    An existing `target` is replaced only with `force`; otherwise the block's
    work is thrown away with an error that says so. The replacement is one
    atomic exchange of the two folders where the system has it (Linux), two
    renames elsewhere. The temporary folders of runs that were killed are
    removed first.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(target)
    tmp = Path(tempfile.mkdtemp(dir=target.parent, prefix=_temporary_prefix(target), suffix=".tmp"))
    tmp.chmod(0o755)  # mkdtemp makes it private; outputs are meant to be shared
    try:
        yield tmp
        if target.exists():
            if not force:
                raise CorpusError(f"already exists: {target}", "pass --force to replace it")
            if not exchange(tmp, target):
                old = target.parent / f"{_temporary_prefix(target)}{uuid.uuid4().hex}.tmp"
                os.replace(target, old)
                os.replace(tmp, target)
                tmp = old
        else:
            os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    rename = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if rename is None:
        return False
    if rename(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _temporary_prefix(path: Path) -> str:
    """Name a temporary beside `path` after this process, so a later run knows when its writer is gone."""
    return f".{path.name}.{os.getpid()}."


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporaries of `path` left by writers that were killed (their process is gone); return them."""
    pattern = re.compile(rf"\.{re.escape(path.name)}\.(\d+)\.[^/]*\.tmp")
    removed = []
    for found in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        match = pattern.fullmatch(found.name)
        if match and not process_alive(int(match.group(1))):
            shutil.rmtree(found) if found.is_dir() and not found.is_symlink() else found.unlink()
            removed.append(found)
    return removed


def process_alive(pid: int) -> bool:
    """Tell whether process `pid` still runs (a zombie child of ours counts as gone)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie child of ours counts as gone
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


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


def render_report(summary: Summary, listed: int) -> str:
    """Render the review report's head: counts per repair; each of the `listed` documents follows it."""
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
    if summary.kept > listed:
        lines += [f"The first {listed} documents are listed; `corpus clean --explain SOURCE` shows any.", ""]
    return "\n".join(lines)


def render_document(doc: Document) -> str:
    """Render one document's section of the review report: its edits, before -> after, and its flags."""
    lines = [f"### {doc.source}", "", f"id `{doc.id}`, title: {doc.title or '(none)'}", ""]
    lines += [f"- **{e.step}** @{e.start}: `{_show(e.before)}` → `{_show(e.after)}`" for e in doc.edits]
    if doc.flags:
        lines.append(f"- flags: {json.dumps(doc.flags)}")
    lines.append("")
    return "\n" + "\n".join(lines)  # the line break that ends the section before


def _show(text: str, limit: int = 120) -> str:
    """Show an edit's text on one line, escaping line breaks and backticks."""
    text = text.replace("\n", "⏎").replace("`", "'")
    return text if len(text) <= limit else text[: limit - 1] + "…"

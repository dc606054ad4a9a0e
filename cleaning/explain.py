"""Show what the cleaner did to one document, as a coloured inline diff of the raw text."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.text import Text

from cleaning.document import Document
from cleaning.errors import CorpusError


def find_document(path: Path, key: str) -> Document:
    """Return the document whose source or id is `key` from a ``documents.jsonl``."""
    if not path.exists():
        raise CorpusError(f"{path} does not exist", "run `corpus clean` first, or pass --out to where it wrote")
    with path.open(encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if key in (row.get("source"), row.get("id")):
                return Document.from_dict(row)
    raise CorpusError(f"no document with source or id {key!r} in {path}", "see the sources listed in report.md")


def render_diff(doc: Document) -> Text:
    """Render the raw text with removed text struck in red and inserted text in green."""
    raw, out, pos = doc.raw_text(), Text(), 0
    for edit in doc.edits:
        out.append(raw[pos:edit.start])
        if edit.before:
            out.append(edit.before, style="red strike")
        if edit.after:
            out.append(edit.after, style="bold green")
        out.append(f"[{edit.step}]", style="dim cyan")
        pos = edit.end
    out.append(raw[pos:])
    return out


def explain_document(path: Path, key: str, console: Console) -> None:
    """Print one document's edits: a header, the diff, and a count per step."""
    doc = find_document(path, key)
    console.rule(f"{doc.source}  ({len(doc.edits)} edits)")
    if doc.title:
        console.print(f"title: [bold]{doc.title}[/]")
    console.print(render_diff(doc))
    steps: dict[str, int] = {}
    for edit in doc.edits:
        steps[edit.step] = steps.get(edit.step, 0) + 1
    console.rule(", ".join(f"{k} {v}" for k, v in steps.items()) or "no edits")

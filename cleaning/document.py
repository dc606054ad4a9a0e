"""The one record that passes between stages: a document and the edits that made it.

Offsets in an `Edit` are in the *raw* text: the input as decoded (BOM stripped,
line endings normalised to ``\\n``). Edits never overlap and are kept sorted, so
replaying them on the raw text gives the clean text, and undoing them on the
clean text gives the raw text back. Nothing else about the raw text is stored.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Edit:
    """One change: raw[start:end] was `before` and became `after`, by `step`."""

    step: str
    start: int
    end: int
    before: str
    after: str


@dataclass(frozen=True)
class Document:
    """A cleaned document: the record every stage reads and returns."""

    id: str
    source: str
    text: str
    title: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    edits: tuple[Edit, ...] = ()
    flags: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready form written to ``documents.jsonl`` (no deep copies: it is on the hot path)."""
        return {"id": self.id, "source": self.source, "title": self.title, "text": self.text, "meta": self.meta,
                "edits": [e.__dict__ for e in self.edits], "flags": self.flags}

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> Document:
        """Build a document from its ``documents.jsonl`` form."""
        edits = tuple(Edit(**e) for e in row.get("edits", ()))
        fields = {k: row[k] for k in ("id", "source", "text") if k in row}
        return cls(**fields, title=row.get("title"), meta=row.get("meta") or {},
                   edits=edits, flags=row.get("flags") or {})

    def evolve(self, **changes: Any) -> Document:
        """Return a copy with `changes`; records are never mutated."""
        return replace(self, **changes)

    def raw_text(self) -> str:
        """Rebuild the raw text by undoing the edits on the clean text."""
        return undo(self.text, self.edits)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a span of `text` to the span of the raw text it came from."""
        return to_raw_offset(self.edits, start), to_raw_offset(self.edits, end, side="end")


def replay(raw: str, edits: tuple[Edit, ...] | list[Edit]) -> str:
    """Apply sorted, non-overlapping raw-offset edits to `raw`."""
    parts, pos = [], 0
    for e in edits:
        parts.append(raw[pos:e.start])
        parts.append(e.after)
        pos = e.end
    parts.append(raw[pos:])
    return "".join(parts)


def undo(text: str, edits: tuple[Edit, ...] | list[Edit]) -> str:
    """Give back the raw text from the clean text and its edits."""
    parts, pos, delta = [], 0, 0
    for e in edits:
        clean_start = e.start + delta
        parts.append(text[pos:clean_start])
        parts.append(e.before)
        pos = clean_start + len(e.after)
        delta += len(e.after) - (e.end - e.start)
    parts.append(text[pos:])
    return "".join(parts)


def to_raw_offset(edits: tuple[Edit, ...] | list[Edit], offset: int, side: str = "start") -> int:
    """Map a clean-text offset to the raw text.

    An offset inside replaced text has no exact raw counterpart: a span's start
    snaps to the start of the edit and a span's end (``side="end"``) to its end,
    so a span's raw offsets always cover its raw source.
    """
    delta = 0
    for e in edits:
        clean_start = e.start + delta
        clean_end = clean_start + len(e.after)
        if offset < clean_start:
            break
        if offset == clean_start and (e.after or side == "end"):
            return e.start
        if offset < clean_end:
            return e.start if side == "start" else e.end
        delta += len(e.after) - (e.end - e.start)
    return offset - delta


class EditLog:
    """The raw text, the text as repaired so far, and the edits between them.

    Repairs work on the current text and report local changes as
    ``(start, end, replacement)`` in current offsets; `apply` maps them back to
    raw offsets. A change that touches text an earlier step already rewrote is
    merged with that edit and named after both steps, so edits never overlap.
    """

    def __init__(self, raw: str):
        self.raw = raw
        self.edits: list[Edit] = []
        self.text = raw

    def apply(self, step: str, changes: list[tuple[int, int, str]]) -> int:
        """Apply one step's changes (current offsets, non-overlapping); return how many changed text."""
        changes = [c for c in sorted(changes) if self.text[c[0]:c[1]] != c[2]]
        if not changes:
            return 0
        for start, end, after in reversed(changes):
            self._apply_one(step, start, end, after)
        self.text = replay(self.raw, self.edits)
        return len(changes)

    def _clean_spans(self) -> list[tuple[int, int]]:
        """Return each edit's span in current-text offsets."""
        spans, delta = [], 0
        for e in self.edits:
            start = e.start + delta
            spans.append((start, start + len(e.after)))
            delta += len(e.after) - (e.end - e.start)
        return spans

    def _apply_one(self, step: str, start: int, end: int, after: str) -> None:
        # Changes arrive right to left, so edits to the right of this one are
        # already in place but their spans lie beyond `end` in current text.
        spans = self._clean_spans()
        touched = [i for i, (s, t) in enumerate(spans) if _overlaps(s, t, start, end)]
        if not touched:
            raw_start = to_raw_offset(self.edits, start)
            raw_end = raw_start + (end - start)
            edit = Edit(step, raw_start, raw_end, self.raw[raw_start:raw_end], after)
            bisect.insort(self.edits, edit, key=lambda e: (e.start, e.end))
            return
        first, last = touched[0], touched[-1]
        clean_start = min(start, spans[first][0])
        clean_end = max(end, spans[last][1])
        text = self.current_text()
        merged_after = text[clean_start:start] + after + text[end:clean_end]
        raw_start = self.edits[first].start - (spans[first][0] - clean_start)
        raw_end = self.edits[last].end + (clean_end - spans[last][1])
        steps = []
        for e in self.edits[first:last + 1]:
            steps.extend(s for s in e.step.split("+") if s not in steps)
        if step not in steps:
            steps.append(step)
        edit = Edit("+".join(steps), raw_start, raw_end, self.raw[raw_start:raw_end], merged_after)
        self.edits[first:last + 1] = [edit]

    def current_text(self) -> str:
        """Return the text with every edit applied so far."""
        return replay(self.raw, self.edits)


def _overlaps(s: int, t: int, start: int, end: int) -> bool:
    """Tell whether a change [start, end) meets an earlier edit's span [s, t)."""
    if start < end and s < t:
        return s < end and start < t
    if start == end:  # an insertion merges only strictly inside a replacement
        return s < start < t
    return start < s < end or (start < s == t < end)

"""The one record that passes between stages: a document and the edits that made it.

Offsets in an `Edit` are in the *raw* text: the input as decoded (BOM stripped,
line endings normalised to ``\\n``). Edits never overlap and are kept sorted, so
replaying them on the raw text gives the clean text, and undoing them on the
clean text gives the raw text back. Nothing else about the raw text is stored.
"""

from __future__ import annotations

import bisect
import itertools
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


def apply_changes(text: str, changes: list[tuple[int, int, str]]) -> str:
    """Apply non-overlapping ``(start, end, replacement)`` changes to `text` in one sweep."""
    out, pos = [], 0
    for start, end, after in sorted(changes):
        out += (text[pos:start], after)
        pos = end
    out.append(text[pos:])
    return "".join(out)


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
        if changes:
            self.edits = _merge_step(self.raw, self.text, self.edits, step, changes)
            self.text = apply_changes(self.text, changes)  # what `replay(self.raw, self.edits)` gives, by the merge
        return len(changes)


def _merge_step(raw: str, text: str, edits: list[Edit], step: str, changes: list[tuple[int, int, str]]) -> list[Edit]:
    """Merge one step's changes (offsets in `text`) into the raw-offset edits, in one sweep.

    Changes and earlier edits are walked left to right together, so a step
    costs time linear in the text and its edits, however many it makes. A
    change that touches an earlier edit joins it, together with every other
    change of this step that touches the joined region.
    """
    # shifts[i]: the length change of the edits before edit i, which puts edit i at spans[i] in `text`.
    shifts = list(itertools.accumulate((len(e.after) - (e.end - e.start) for e in edits), initial=0))
    spans = [(e.start + d, e.start + d + len(e.after)) for e, d in zip(edits, shifts, strict=False)]
    ends = [t for _, t in spans]  # sorted, as the edits are and never overlap
    out: list[Edit] = []
    i, k = 0, 0
    while k < len(changes):
        start, end, _ = changes[k]
        # An edit that ends where the change starts or before never touches it (`_overlaps`): all are kept.
        j = bisect.bisect_right(ends, start, i)
        out += edits[i:j]
        i = j
        group, first, lo, hi = [changes[k]], i, start, end
        k += 1
        while True:  # grow the group over touching edits, and the changes touching those
            if i < len(edits) and _overlaps(*spans[i], lo, hi):
                lo, hi = min(lo, spans[i][0]), max(hi, spans[i][1])
                i += 1
            elif i > first and k < len(changes) and _overlaps(lo, hi, *changes[k][:2]):
                group.append(changes[k])
                hi = max(hi, changes[k][1])
                k += 1
            else:
                break
        if i == first:  # touches no earlier edit: a plain new edit
            raw_start = start - shifts[i]
            raw_end = raw_start + end - start
            out.append(Edit(step, raw_start, raw_end, raw[raw_start:raw_end], group[0][2]))
            continue
        joined = edits[first:i]
        raw_start = joined[0].start - (spans[first][0] - lo)
        raw_end = joined[-1].end + (hi - spans[i - 1][1])
        after, pos = [], lo
        for s, e, a in group:
            after += [text[pos:s], a]
            pos = e
        after.append(text[pos:hi])
        names = list(dict.fromkeys(n for e in joined for n in e.step.split("+")))
        names += [step] if step not in names else []
        out.append(Edit("+".join(names), raw_start, raw_end, raw[raw_start:raw_end], "".join(after)))
    return out + edits[i:]


def _overlaps(s: int, t: int, start: int, end: int) -> bool:
    """Tell whether a change [start, end) meets an earlier edit's span [s, t)."""
    if start < end and s < t:
        return s < end and start < t
    if start == end:  # an insertion merges only strictly inside a replacement
        return s < start < t
    return start < s < end or (start < s == t < end)

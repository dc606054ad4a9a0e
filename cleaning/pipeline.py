"""Run the repairs over one document, and over a corpus in two streamed passes.

Pass one surveys every document for what only the corpus knows (lines that
repeat across documents, words it uses in several documents); pass two cleans
each document with that knowledge on every core, and flags near-duplicates in
input order. The runner, not the repairs, counts what each step did.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from cleaning import dates, patterns
from cleaning.config import ENGLISH_ONLY, REPAIRS, SETTLE_AFTER, SETTLE_REPAIRS, CleanConfig
from cleaning.dedup import NearDuplicates, signature
from cleaning.document import Document, EditLog, apply_changes
from cleaning.errors import CorpusError
from cleaning.fixes import Context, fix_line_encoding, join_wrapped_lines
from cleaning.language import Language, detect_language
from cleaning.lines import reads_differently
from cleaning.readers import (
    MAX_DOCUMENT_BYTES,
    TEXT_SUFFIXES,
    InputFile,
    RawRecord,
    Rejection,
    decode,
    input_files,
    iter_file,
    iter_jsonl_block,
    read_lines,
    read_text_part,
    text_parts,
)

SHORT_WORDS = 50
LOCAL_PARTITION_BYTES = 2_000_000  # small partitions: even work for a few processes, little held at once
DEFAULT_CONFIG = CleanConfig()  # frozen, so one shared default is safe
Progress = Callable[[str, int, int | None], None]


def document_id(source: str) -> str:
    """Return a stable id for a source path: the same input always gets the same id."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def clean_text(raw: str, ctx: Context, config: CleanConfig) -> tuple[EditLog, dict[str, list[str]], Language]:
    """Run the enabled repairs on `raw`; return the edit log, the text each step removed and the language.

    The language is told on the text as the first English-only repair would
    get it: mojibake repaired (it would read as another language) and the
    page's furniture gone. A text in another language skips those repairs.

    The word repairs come after the line repairs, and a split can change what
    a line reads as ("More FromDawgs By Nature" is a teaser header once split).
    When it does, the line repairs (`SETTLE_REPAIRS`) read the text once more,
    so that cleaning the clean text changes nothing.
    """
    log, removed, language, lines_read = EditLog(raw), {}, None, None
    for name in config.enabled():
        if name in ENGLISH_ONLY:
            language = language or detect_language(log.text)
            if not language.english:
                continue
        _run_repair(name, log, ctx, removed)
        if name == SETTLE_AFTER:
            lines_read = log.text
    if lines_read is not None and reads_differently(lines_read, log.text, ctx.repeated_lines, ctx.readings):
        for name in SETTLE_REPAIRS:
            if getattr(config, name):
                _run_repair(name, log, ctx, removed)
    return log, removed, language or detect_language(log.text)


def _run_repair(name: str, log: EditLog, ctx: Context, removed: dict[str, list[str]]) -> None:
    """Apply one repair to the log, adding the lines it removed (stripped) to `removed[name]`."""
    changes = REPAIRS[name](log.text, ctx)
    taken = [line.strip() for s, e, after in changes if not after for line in log.text[s:e].split("\n")]
    if log.apply(name, changes) and any(taken):
        removed.setdefault(name, []).extend(line for line in taken if line)


def clean_record(record: RawRecord, ctx: Context, config: CleanConfig) -> Document:
    """Decode and clean one input record into a `Document`; raise `CorpusError` if it cannot be."""
    if record.data is not None:
        raw, encoding = decode(record.data)
    else:
        raw, encoding = record.text or "", "utf-8"
    if not raw.strip():
        raise CorpusError("empty text")
    if record.fields.get("title"):
        config = replace(config, title=False)  # the table's title wins over a guessed one
    doc_ctx = ctx.for_document(raw)
    log, removed, language = clean_text(raw, doc_ctx, config)
    if not log.text.strip():
        steps = ", ".join(sorted({e.step for e in log.edits})) or "nothing"
        raise CorpusError(f"no article text left after cleaning (removed by {steps})")
    meta = build_meta(record, encoding, removed, language)
    title = record.fields.get("title") or _first(removed.get("title"))
    return Document(
        id=record.fields.get("id") or document_id(record.source),
        source=record.source,
        text=log.text,
        title=title,
        meta=meta,
        edits=tuple(log.edits),
        flags={**record.flags, **quality_flags(log.text, meta, doc_ctx.body_uncertain)},
    )


def build_meta(record: RawRecord, encoding: str, removed: dict[str, list[str]], language: Language) -> dict:
    """Collect what the line repairs moved out of the text, the text's language, and the input's own fields."""
    datelines = removed.get("datelines", [])
    date = dates.to_iso(record.fields["date"]) if record.fields.get("date") else None
    if date is None:
        date = next(filter(None, map(dates.to_iso, datelines)), None)
    meta = {
        "date": date,
        "byline": _first(removed.get("bylines")),
        "captions": removed.get("captions", []),
        "encoding": encoding,
        "boilerplate": removed.get("repeated_lines", []) + removed.get("boilerplate", []),
        "datelines": datelines,
        "language": language.code,
        "language_score": language.score,
    }
    if record.fields.get("url"):
        meta["url"] = record.fields["url"]
    return meta


def quality_flags(text: str, meta: dict, body_uncertain: float | None = None) -> dict:
    """Warn about what a person should look at: very short text, mojibake left, a body the cleaner doubted.

    `body_uncertain` is the share of the page's prose the line repairs would
    have removed; the prose was kept instead, for a person to look at.
    """
    flags = {} if body_uncertain is None else {"body_uncertain": body_uncertain}
    words = sum(1 for _ in itertools.islice(patterns.WORD.finditer(text), SHORT_WORDS))  # stop counting at enough
    if words < SHORT_WORDS:
        flags["short"] = words
    if any(opener in text for opener in patterns.MOJIBAKE_LEFT_OPENERS) and patterns.MOJIBAKE_LEFT.search(text):
        flags["mojibake_left"] = True
    if replaced := text.count("\ufffd"):  # bytes the input's encoding could not decode
        flags["replacement_chars"] = replaced
    return flags


def _first(items: list[str] | None) -> str | None:
    return items[0] if items else None


# --- the corpus -------------------------------------------------------------


def survey(record: RawRecord) -> tuple[frozenset[str], frozenset[str], frozenset[int]] | None:
    """Return a document's short lines, candidate glued tokens and story keys (pass one), or None if unreadable."""
    try:
        text = decode(record.data)[0] if record.data is not None else record.text or ""
    except CorpusError:
        return None
    story = patterns.story_keys(text)
    # Count each line as the line repairs will read it: re-joined, mojibake repaired, spaces alike
    # (the joins do not depend on the mojibake, so only the short lines counted are repaired).
    text = apply_changes(text, join_wrapped_lines(text, Context()))
    fix = str if text.isascii() else fix_line_encoding  # as `fix_encoding`, which leaves an ASCII text alone
    lines = {patterns.line_key(fix(s)) for line in text.split("\n")
             if 0 < len(s := line.strip()) <= patterns.REPEATED_LINE_MAX}
    return frozenset(lines), frozenset(patterns.unknown_tokens(text)), story


def clean_item(item: RawRecord | Rejection, ctx: Context, config: CleanConfig) -> tuple[Document | Rejection, object]:
    """Clean one record (pass two); return the document (or rejection) and its MinHash signature."""
    if isinstance(item, Rejection):
        return item, None
    try:
        doc = clean_record(item, ctx, config)
    except CorpusError as err:
        return Rejection(item.source, err.message), None
    except Exception as err:  # a bug must not lose the document: reject it with the reason
        return Rejection(item.source, f"internal error while cleaning: {type(err).__name__}: {err}"), None
    return doc, signature(doc.text) if config.near_duplicates else None


# --- partitions: what a worker reads and cleans by itself -------------------

@dataclass(frozen=True)
class Piece:
    """Input a worker reads by itself: a whole file, the .jsonl lines that start in [start, end), or a text's part."""

    path: str
    source: str
    start: int = 0
    end: int | None = None  # None: the whole file
    first: int = 1  # number of the block's first line, known after pass one
    part: int = 0  # a text past `limit`: this is its part number `part`, bytes [start, end); 0: not a part
    limit: int = MAX_DOCUMENT_BYTES  # a text past this many bytes is read as parts
    problem: str | None = None  # the walk could not use this input: it is a rejection with this reason


@dataclass
class Tally:
    """What pass one learned from some partitions: documents per line and token, records, lines per block."""

    line_docs: Counter = field(default_factory=Counter)
    token_docs: Counter = field(default_factory=Counter)
    story_docs: Counter = field(default_factory=Counter)
    records: int = 0
    block_lines: list[int] = field(default_factory=list)

    def add(self, other: Tally) -> Tally:
        """Add the counts of another, disjoint set of partitions into this tally; return it."""
        self.line_docs.update(other.line_docs)
        self.token_docs.update(other.token_docs)
        self.story_docs.update(other.story_docs)
        self.records += other.records
        return self


def plan_partitions(root: Path, partitions: int, limit: int = MAX_DOCUMENT_BYTES) -> list[list[Piece]]:
    """Split the input under `root` into at most `partitions` runs of pieces of similar size, in input order.

    A .jsonl file bigger than one partition is cut into byte blocks, and a
    .txt file past `limit` into its parts (`text_parts`: the documents
    `big.txt#partN`, cut at paragraph breaks), each a piece of its own, so
    no piece holds much more than a partition or a part, whatever the
    file's size. Other files are never cut. What the walk could not use is
    a piece too, read as its rejection.
    """
    files = input_files(root.absolute())
    target = max(1, math.ceil(sum(f.size for f in files) / max(1, partitions)))
    pieces: list[tuple[Piece, int]] = []
    for found in files:
        path, source, size = found.path, found.source, found.size
        if not found.problem and path.suffix.lower() == ".jsonl" and size >= 2 * target:
            blocks = size // target  # each block holds at least a partition's worth, and closes one
            bounds = [size * i // blocks for i in range(blocks + 1)]
            pieces += [(Piece(str(path), source, s, e, limit=limit), e - s) for s, e in itertools.pairwise(bounds)]
        elif parts := _text_parts(found, limit):
            pieces += [(Piece(str(path), source, s, e, part=n, limit=limit), e - s)
                       for n, (s, e) in enumerate(parts, start=1)]
        else:
            pieces.append((Piece(str(path), source, limit=limit, problem=found.problem), size))
    plan, current, held = [], [], 0
    for piece, size in pieces:
        current.append(piece)
        held += size
        if held >= target:
            plan.append(current)
            current, held = [], 0
    if current or not plan:
        plan.append(current)
    return plan


def _text_parts(found: InputFile, limit: int) -> list[tuple[int, int]]:
    """Return the parts of a .txt file past `limit` (empty if it is one document or cannot be cut)."""
    if found.problem or found.path.suffix.lower() not in TEXT_SUFFIXES or found.size <= limit:
        return []
    try:
        return text_parts(found.path, limit)
    except OSError:
        return []  # read whole, as its rejection with the reason


def read_partition(pieces: list[Piece], block_lines: list[int] | None = None) -> Iterator[RawRecord | Rejection]:
    """Yield the records of a partition's pieces in input order.

    With `block_lines`, append the number of lines of each .jsonl block read,
    counted in the same read (pass one needs them to number later blocks).
    """
    for piece in pieces:
        path = Path(piece.path)
        if piece.problem:
            yield Rejection(piece.source, piece.problem)
            continue
        if piece.end is None:
            yield from iter_file(path, piece.source, piece.limit)
            continue
        if piece.part:
            yield read_text_part(path, piece.source, piece.part, piece.start, piece.end)
            continue
        count = 0

        def counted(lines: Iterable[bytes]) -> Iterator[bytes]:
            nonlocal count
            for line in lines:
                count += 1
                yield line

        lines = counted(read_lines(path, piece.start, piece.end))
        yield from iter_jsonl_block(path, piece.source, piece.start, piece.end, piece.first, lines, piece.limit)
        if block_lines is not None:
            block_lines.append(count)


def survey_partition(pieces: list[Piece]) -> Tally:
    """Pass one on a worker: the partition's tally of lines, tokens, records and block lines.

    Counts are in how many documents each short line and unknown token
    occurs, so the tallies of disjoint partitions add up (`sum_tallies`).
    """
    tally = Tally()
    for item in read_partition(pieces, tally.block_lines):
        tally.records += 1
        found = None if isinstance(item, Rejection) else survey(item)
        if found:
            tally.line_docs.update(found[0])
            tally.token_docs.update(found[1])
            tally.story_docs.update(found[2])
    return tally


def sum_tallies(*tallies: Tally) -> Tally:
    """Add up the tallies of disjoint partitions (the reduce of pass one, run on the cluster)."""
    total = Tally()
    for tally in tallies:
        total.add(tally)
    return total


def learn_partition_context(tally: Tally, config: CleanConfig) -> Context:
    """Keep the lines and tokens of the summed tally that occur in enough documents: pass two's context."""
    repeated = frozenset(k for k, n in tally.line_docs.items() if n >= config.repeated_min_docs)
    return Context(
        repeated_lines=repeated if config.repeated_lines else frozenset(),
        corpus_words=frozenset(k for k, n in tally.token_docs.items() if n >= 2),
        shared_stories=frozenset(k for k, n in tally.story_docs.items() if n >= 2),
        repeated_stories=frozenset(k for k, n in tally.story_docs.items() if n >= config.repeated_min_docs),
    )


def clean_partition(pieces: list[Piece], ctx: Context,
                    config: CleanConfig) -> list[tuple[Document | Rejection, object]]:
    """Pass two on a worker: clean each record of the partition; keep each one's MinHash signature."""
    return [clean_item(item, ctx, config) for item in read_partition(pieces)]


def _shape(tally: Tally) -> tuple[int, list[int]]:
    return tally.records, tally.block_lines


def number_blocks(plan: list[list[Piece]], block_lines: list[list[int]]) -> list[list[Piece]]:
    """Give each .jsonl block the number of its first line, from the line counts of the blocks before it."""
    counts = iter(itertools.chain.from_iterable(block_lines))
    seen: Counter = Counter()
    numbered = []
    for pieces in plan:
        numbered.append([])
        for piece in pieces:
            if piece.end is not None and not piece.part:
                piece = replace(piece, first=seen[piece.path] + 1)
                seen[piece.path] += next(counts)
            numbered[-1].append(piece)
    return numbered


_WORKER: tuple[Context, CleanConfig] | None = None


def _init_worker(ctx: Context | None, config: CleanConfig) -> None:
    global _WORKER
    _WORKER = (ctx, config)


def _clean_partition(pieces: list[Piece]) -> list[tuple[Document | Rejection, object]]:
    return clean_partition(pieces, *_WORKER)


def _map(func, items: Iterable, workers: int, init_args: tuple) -> Iterator:
    """Map `func` over `items` in input order, on `workers` processes (in-process for one).

    Pass two forks its workers after pass one, so they inherit the corpus
    context instead of receiving it with every partition.
    """
    if workers <= 1:
        _init_worker(*init_args)
        yield from map(func, items)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(workers, _init_worker, init_args) as pool:
        yield from pool.imap(func, items)


def clean_corpus(
    root: Path,
    config: CleanConfig = DEFAULT_CONFIG,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Iterator[Document | Rejection]:
    """Clean every document under `root`, yielding documents and rejections in input order.

    The input is cut into small partitions (whole files, or blocks of a big
    .jsonl) that each worker reads itself, as on a Dask cluster: the parent
    only sums the counts of pass one and flags near-duplicates. Memory stays
    flat as the corpus grows, apart from those counts and one MinHash
    signature per document.
    """
    workers = workers or os.cpu_count() or 1
    tick = progress or (lambda stage, done, total: None)
    patterns.load_word_lists()
    size = sum(f.size for f in input_files(root.absolute()))
    plan = plan_partitions(root, max(4 * workers, math.ceil(size / LOCAL_PARTITION_BYTES)), config.max_document_bytes)

    tally, block_lines = Tally(), []
    for found in _map(survey_partition, plan, workers, (None, config)):
        tally.add(found)
        block_lines.append(found.block_lines)
        tick("survey", tally.records, None)
    ctx, records = learn_partition_context(tally, config), tally.records
    del tally  # the counts of every short line and unknown token: neither the parent nor pass two's forks need them

    cleaned = _map(_clean_partition, number_blocks(plan, block_lines), workers, (ctx, config))
    for done, item in enumerate(settle(itertools.chain.from_iterable(cleaned), config), start=1):
        tick("clean", done, records)
        yield item


def settle(cleaned: Iterable[tuple[Document | Rejection, object]],
           config: CleanConfig) -> Iterator[Document | Rejection]:
    """Finish the cleaned stream in input order, as one sequential view: unique ids, then near-duplicates."""
    return flag_near_duplicates(rename_duplicate_ids(cleaned), config)


def rename_duplicate_ids(cleaned: Iterable[tuple[Document | Rejection, object]]
                         ) -> Iterator[tuple[Document | Rejection, object]]:
    """Give a document whose id an earlier one has a derived id (``ID~2``, ``ID~3``…) and flag `duplicate_id_of`.

    Two table rows can share an `id`; keeping both under one id would make
    every later stage (Label Studio tasks, gold records) ambiguous, and
    dropping one would lose it. The first in input order keeps the id.
    """
    taken: set[str] = set()
    for item, sig in cleaned:
        if isinstance(item, Document):
            if item.id in taken:
                n = 2
                while f"{item.id}~{n}" in taken:
                    n += 1
                item = item.evolve(id=f"{item.id}~{n}", flags={**item.flags, "duplicate_id_of": item.id})
            taken.add(item.id)
        yield item, sig


def flag_near_duplicates(cleaned: Iterable[tuple[Document | Rejection, object]],
                         config: CleanConfig) -> Iterator[Document | Rejection]:
    """Flag each document that nearly duplicates an earlier one: the first in input order wins."""
    near = NearDuplicates(config.near_duplicate_threshold) if config.near_duplicates else None
    for item, sig in cleaned:
        if near is not None and isinstance(item, Document) and sig is not None:
            original = near.add(item.id, sig)
            if original is not None:
                item = item.evolve(flags={**item.flags, "near_duplicate_of": original})
        yield item

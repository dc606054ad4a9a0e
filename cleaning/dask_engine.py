"""Clean a corpus on a Dask cluster: the local engine's repairs, run partition by partition.

A partition is a list of input pieces named by path (text files, byte blocks of
a big JSON Lines file, whole tables), so each worker reads its own data; a
remote cluster needs the input on a filesystem its workers share. A run is the
local engine's two passes spread over the cluster:

1. survey every partition and sum the counts on the cluster into the corpus
   context (repeated lines, shared words), which stays there for pass two;
2. clean every partition with that context (the same `clean_item` as the local
   engine) and take the results back in input order, flagging near-duplicates
   on the client: first occurrence wins, which needs one sequential view.

Every task is a pure function of its inputs, so when a worker dies Dask runs
its tasks again elsewhere; the client takes each partition once, in order, so
no document is lost or doubled. This module does not know any repair.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from distributed import Client, Future, LocalCluster, as_completed

from cleaning.config import CleanConfig
from cleaning.document import Document
from cleaning.errors import CorpusError
from cleaning.fixes import Context
from cleaning.pipeline import (
    Progress,
    clean_item,
    context_from_counts,
    count_surveys,
    flag_near_duplicates,
    survey,
)
from cleaning.readers import RawRecord, Rejection, input_files, iter_file, iter_jsonl_block, read_lines

PARTITION_BYTES = 64_000_000  # the most input one partition should hold by default
FAN_IN = 8  # survey counts summed per reduce task
SCHEDULER_HINT = ("start one with `dask scheduler` and workers with `dask worker tcp://HOST:8786`, "
                  "or leave --scheduler out to run on this machine")


@dataclass(frozen=True)
class Piece:
    """Input a worker reads by itself: a whole file, or the .jsonl lines that start in [start, end)."""

    path: str
    source: str
    start: int = 0
    end: int | None = None  # None: the whole file
    first: int = 1  # number of the block's first line, known after pass one


@dataclass
class Tally:
    """What pass one learned from some partitions: documents per line and token, records, lines per block."""

    line_docs: Counter = field(default_factory=Counter)
    token_docs: Counter = field(default_factory=Counter)
    records: int = 0
    block_lines: list[int] = field(default_factory=list)


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None, dashboard: bool = True,
                timeout: str = "10s") -> Iterator[Client]:
    """Connect to the scheduler at `scheduler`, or start a `LocalCluster` of `workers` processes here."""
    if scheduler:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as err:
            message = f"cannot reach the Dask scheduler at {scheduler}: {err}"
            raise CorpusError(message, SCHEDULER_HINT) from err
        with client:
            yield client
        return
    # One thread per worker process: the repairs are pure Python and hold the GIL.
    with LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                      dashboard_address=":8787" if dashboard else None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


def plan_partitions(root: Path, partitions: int) -> list[list[Piece]]:
    """Split the input under `root` into at most `partitions` runs of pieces of similar size, in input order.

    A .jsonl file bigger than one partition is cut into byte blocks; other
    files are never cut, so a partition holds at least one whole file.
    """
    files = input_files(root.absolute())
    sizes = [path.stat().st_size for path, _ in files]
    target = max(1, math.ceil(sum(sizes) / max(1, partitions)))
    pieces: list[tuple[Piece, int]] = []
    for (path, source), size in zip(files, sizes, strict=True):
        if path.suffix.lower() == ".jsonl" and size >= 2 * target:
            blocks = size // target  # each block holds at least a partition's worth, and closes one
            bounds = [size * i // blocks for i in range(blocks + 1)]
            pieces += [(Piece(str(path), source, s, e), e - s) for s, e in itertools.pairwise(bounds)]
        else:
            pieces.append((Piece(str(path), source), size))
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


def read_partition(pieces: list[Piece]) -> Iterator[RawRecord | Rejection]:
    """Yield the records of a partition's pieces in input order."""
    for piece in pieces:
        if piece.end is None:
            yield from iter_file(Path(piece.path), piece.source)
        else:
            yield from iter_jsonl_block(Path(piece.path), piece.source, piece.start, piece.end, piece.first)


def survey_partition(pieces: list[Piece]) -> Tally:
    """Pass one on a worker: count the partition's lines and tokens, its records and its blocks' lines."""
    records = 0

    def surveyed():
        nonlocal records
        for item in read_partition(pieces):
            records += 1
            yield None if isinstance(item, Rejection) else survey(item)

    line_docs, token_docs = count_surveys(surveyed())
    blocks = [p for p in pieces if p.end is not None]
    block_lines = [sum(1 for _ in read_lines(Path(p.path), p.start, p.end)) for p in blocks]
    return Tally(line_docs, token_docs, records, block_lines)


def sum_tallies(*tallies: Tally) -> Tally:
    """Add up the tallies of disjoint partitions (the reduce of pass one, run on the cluster)."""
    total = Tally()
    for tally in tallies:
        total.line_docs.update(tally.line_docs)
        total.token_docs.update(tally.token_docs)
        total.records += tally.records
    return total


def learn_partition_context(tally: Tally, config: CleanConfig) -> Context:
    """Turn the summed tally into the corpus context, as the local engine's `learn_context` does."""
    return context_from_counts(tally.line_docs, tally.token_docs, config)


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
            if piece.end is not None:
                piece = replace(piece, first=seen[piece.path] + 1)
                seen[piece.path] += next(counts)
            numbered[-1].append(piece)
    return numbered


def clean_corpus_dask(
    root: Path,
    client: Client,
    config: CleanConfig | None = None,
    partitions: int | None = None,
    progress: Progress | None = None,
) -> Iterator[Document | Rejection]:
    """Clean every document under `root` on the cluster behind `client`, yielding them in input order.

    Gives the same documents, ids, edits and flags as `clean_corpus`. The
    client holds one partition at a time, and one signature per document.
    """
    config = config or CleanConfig()
    tick = progress or (lambda stage, done, total: None)
    threads = sum(client.nthreads().values()) or 1
    if partitions is None:
        size = sum(path.stat().st_size for path, _ in input_files(root.absolute()))
        partitions = max(2 * threads, math.ceil(size / PARTITION_BYTES))
    plan = plan_partitions(root, partitions)
    run = uuid.uuid4().hex[:8]
    live: set[Future] = set()

    def submit(key: str, func, *args) -> Future:
        future = client.submit(func, *args, key=f"{key}-{run}")
        live.add(future)
        return future

    def drop(future: Future) -> None:
        if future in live:
            live.discard(future)
            future.release()

    try:
        tallies = [submit(f"survey-{i}", survey_partition, p) for i, p in enumerate(plan)]
        shapes = [submit(f"shape-{i}", _shape, t) for i, t in enumerate(tallies)]
        level, depth = tallies, 0
        while len(level) > 1:
            level = [submit(f"sum-{depth}-{i}", sum_tallies, *level[i:i + FAN_IN])
                     for i in range(0, len(level), FAN_IN)]
            depth += 1
        ctx = submit("context", learn_partition_context, level[0], config)

        total = 0
        for done in as_completed(shapes):
            total += done.result()[0]
            tick("survey", total, None)
        numbered = number_blocks(plan, [s.result()[1] for s in shapes])
        cleaned = [submit(f"clean-{i}", clean_partition, p, ctx, config) for i, p in enumerate(numbered)]
        for future in list(live - {ctx, *cleaned}):
            drop(future)  # the context holds what pass two needs; Dask keeps the lineage to rebuild it

        def in_order() -> Iterator[tuple[Document | Rejection, object]]:
            for future in cleaned:
                results = future.result()
                drop(future)  # taken once: a rerun after a lost worker cannot yield it again
                yield from results

        for done, item in enumerate(flag_near_duplicates(in_order(), config), start=1):
            tick("clean", done, total)
            yield item
    finally:
        client.cancel(list(live))

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

import logging
import math
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from distributed import Client, Future, LocalCluster, as_completed

from cleaning.config import CleanConfig
from cleaning.document import Document
from cleaning.errors import CorpusError
from cleaning.pipeline import (  # noqa: F401  (the partition functions are the local engine's too)
    Piece,
    Progress,
    Tally,
    _shape,
    clean_partition,
    learn_partition_context,
    number_blocks,
    plan_partitions,
    read_partition,
    settle,
    sum_tallies,
    survey_partition,
)
from cleaning.readers import Rejection, input_files

PARTITION_BYTES = 64_000_000  # the most input one partition should hold by default on a cluster
FAN_IN = 8  # survey counts summed per reduce task
SCHEDULER_HINT = ("start one with `dask scheduler` and workers with `dask worker tcp://HOST:8786`, "
                  "or leave --scheduler out to run on this machine")


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
        size = sum(f.size for f in input_files(root.absolute()))
        partitions = max(2 * threads, math.ceil(size / PARTITION_BYTES))
    plan = plan_partitions(root, partitions, config.max_document_bytes)
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

        for done, item in enumerate(settle(in_order(), config), start=1):
            tick("clean", done, total)
            yield item
    finally:
        client.cancel(list(live))

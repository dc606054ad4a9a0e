"""Command of the cleaning stage: `corpus clean`."""

from __future__ import annotations

import importlib.util
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from cleaning.config import ALL_REPAIRS, load_config
from cleaning.document import Document
from cleaning.errors import CorpusError
from cli import app, progress_bar

if TYPE_CHECKING:
    from cleaning.writers import Summary

console = Console()


class OutputFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"


class Engine(StrEnum):
    local = "local"
    dask = "dask"


Source = Annotated[Path, typer.Argument(
    help="Folder of .txt articles (searched recursively) or .jsonl/.csv/.parquet files with a `text` column.")]
Out = Annotated[Path, typer.Option("--out", "-o", help="Where documents.jsonl, rejected.jsonl and report.md go.")]
Skip = Annotated[list[str] | None, typer.Option(
    "--skip", help=f"Switch a repair off (repeatable): {', '.join(ALL_REPAIRS)}.")]
Config = Annotated[Path | None, typer.Option(
    "--config", help="TOML file with \\[repairs] switches and \\[corpus] settings.")]
Workers = Annotated[int, typer.Option(
    "--workers", "-w", help="Processes (default: every core); with --engine dask, the local cluster's workers.")]
EngineOption = Annotated[Engine, typer.Option(
    "--engine", help="local: processes on this machine; dask: a Dask cluster, started here or given by --scheduler.")]
Scheduler = Annotated[str | None, typer.Option(
    "--scheduler", metavar="ADDRESS",
    help="With --engine dask: a running scheduler, e.g. tcp://host:8786; its workers must see SOURCE.")]
Partitions = Annotated[int | None, typer.Option(
    "--partitions", min=1,
    help="With --engine dask: partitions to split the input into (default: two per worker thread, <= 64 MB).")]
Format = Annotated[OutputFormat, typer.Option(
    "--format", help="jsonl: documents.jsonl; parquet: also documents.parquet/part-*.parquet, for very large corpora.")]
Explain = Annotated[str | None, typer.Option(
    "--explain", metavar="SOURCE",
    help="Print one cleaned document's edits as a coloured diff (from OUT/documents.jsonl; SOURCE or its id).")]


@app.command()
def clean(
    source: Source = Path("corpus/raw"),
    out: Out = Path("corpus/clean"),
    skip: Skip = None,
    config: Config = None,
    workers: Workers = 0,
    engine: EngineOption = Engine.local,
    scheduler: Scheduler = None,
    partitions: Partitions = None,
    output_format: Format = OutputFormat.jsonl,
    explain: Explain = None,
) -> None:
    """Repair scraped news: mojibake, hard-wrapped paragraphs, boilerplate, captions, datelines, glued words.

    Every edit is recorded with its offsets in the raw text; inputs that cannot
    be cleaned go to rejected.jsonl with their reason. Example:

        corpus clean corpus/raw --out corpus/clean
    """
    # Stage code is imported here, not at the top, so `corpus --help` stays instant.
    if explain is not None:
        from cleaning.explain import explain_document

        explain_document(out / "documents.jsonl", explain, console)
        return
    from cleaning.pipeline import clean_corpus
    from cleaning.writers import write_outputs

    if engine is Engine.local and (scheduler or partitions):
        raise CorpusError(f"{'--scheduler' if scheduler else '--partitions'} needs --engine dask",
                          "add --engine dask, or leave it out to clean with processes on this machine")
    settings = load_config(config).without(skip or [])
    started = time.perf_counter()
    with ExitStack() as stack:
        if engine is Engine.dask:
            from cleaning.dask_engine import clean_corpus_dask, dask_client

            client = stack.enter_context(dask_client(scheduler, workers or None))
            _print_cluster(client, local=scheduler is None)
            run = partial(clean_corpus_dask, source, client, settings, partitions)
        else:
            run = partial(clean_corpus, source, settings, workers or None)
        bar = stack.enter_context(progress_bar(console))
        task = bar.add_task("surveying", total=None)

        def tick(stage: str, done: int, total: int | None) -> None:
            bar.update(task, description="surveying" if stage == "survey" else "cleaning", completed=done, total=total)

        languages: Counter = Counter()
        items = _count_languages(run(progress=tick), languages)
        summary = write_outputs(items, out, parquet=output_format is OutputFormat.parquet)
    _print_summary(summary, out, time.perf_counter() - started)
    console.print("languages: " + ", ".join(f"{code} {n}" for code, n in languages.most_common()), highlight=False)


def _count_languages(items: Iterable, languages: Counter) -> Iterator:
    """Pass the documents and rejections on, counting the documents' `meta.language` on the way."""
    for item in items:
        if isinstance(item, Document):
            languages[item.meta.get("language")] += 1
        yield item


def _print_cluster(client, local: bool) -> None:
    workers = client.scheduler_info().get("workers", {})
    hint = " (needs bokeh>=3.1: pip install 'bokeh>=3.1')" if local and not importlib.util.find_spec("bokeh") else ""
    console.print(f"Dask scheduler {client.scheduler.address}, {len(workers)} workers; "
                  f"dashboard {client.dashboard_link}{hint}", highlight=False, soft_wrap=True)


def _print_summary(summary: Summary, out: Path, seconds: float) -> None:
    table = Table(title=f"cleaned {summary.inputs} inputs in {seconds:.1f} s", show_edge=False)
    table.add_column("repair")
    table.add_column("edits", justify="right")
    table.add_column("documents", justify="right")
    for name in ALL_REPAIRS:
        if summary.steps[name]:
            table.add_row(name, str(summary.steps[name]), str(summary.docs_per_step[name]))
    console.print(table)
    flags = f" (flags: {', '.join(f'{k} {v}' for k, v in summary.flags.items())})" if summary.flags else ""
    rejected = f"[{'red' if summary.rejected else 'green'}]{summary.rejected} rejected[/]"
    console.print(f"[green]{summary.kept} kept[/], {rejected}{flags}")
    parts = ", documents.parquet/" if (out / "documents.parquet").exists() else ""
    console.print(f"wrote {out}/documents.jsonl{parts}, rejected.jsonl, report.md")

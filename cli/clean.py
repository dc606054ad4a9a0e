"""Command of the cleaning stage: `corpus clean`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from cleaning.config import ALL_REPAIRS, load_config
from cleaning.explain import explain_document
from cleaning.pipeline import clean_corpus
from cleaning.writers import Summary, write_outputs
from cli import app

console = Console()


@app.command()
def clean(
    source: Annotated[Path, typer.Argument(help="Folder of .txt articles (searched recursively) or .jsonl/.csv/.parquet files with a `text` column.")] = Path("corpus/raw"),
    out: Annotated[Path, typer.Option("--out", "-o", help="Where documents.jsonl, rejected.jsonl and report.md go.")] = Path("corpus/clean"),
    skip: Annotated[list[str], typer.Option("--skip", help=f"Switch a repair off (repeatable): {', '.join(ALL_REPAIRS)}.")] = [],
    config: Annotated[Path | None, typer.Option("--config", help="TOML file with [repairs] switches and [corpus] settings.")] = None,
    workers: Annotated[int, typer.Option("--workers", "-w", help="Processes to use (default: every core).")] = 0,
    explain: Annotated[str | None, typer.Option("--explain", metavar="SOURCE", help="Print one cleaned document's edits as a coloured diff (reads OUT/documents.jsonl; SOURCE is its source path or id).")] = None,
) -> None:
    """Repair scraped news text: mojibake, boilerplate, captions, datelines, glued words, lost sentence breaks.

    Every edit is recorded with its offsets in the raw text; inputs that cannot
    be cleaned go to rejected.jsonl with their reason. Example:

        corpus clean corpus/raw --out corpus/clean
    """
    if explain is not None:
        explain_document(out / "documents.jsonl", explain, console)
        return
    settings = load_config(config).without(skip)
    started = time.perf_counter()
    with _progress() as bar:
        task = bar.add_task("surveying", total=None)

        def tick(stage: str, done: int, total: int | None) -> None:
            bar.update(task, description="surveying" if stage == "survey" else "cleaning", completed=done, total=total)

        summary = write_outputs(clean_corpus(source, settings, workers or None, tick), out)
    _print_summary(summary, out, time.perf_counter() - started)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=console, transient=True)


def _print_summary(summary: Summary, out: Path, seconds: float) -> None:
    table = Table(title=f"cleaned {summary.inputs} inputs in {seconds:.1f} s", show_edge=False)
    table.add_column("repair")
    table.add_column("edits", justify="right")
    table.add_column("documents", justify="right")
    for name in ALL_REPAIRS:
        if summary.steps[name]:
            table.add_row(name, str(summary.steps[name]), str(summary.docs_per_step[name]))
    console.print(table)
    console.print(f"[green]{summary.kept} kept[/], [{'red' if summary.rejected else 'green'}]{summary.rejected} rejected[/]"
                  + (f" (flags: {', '.join(f'{k} {v}' for k, v in summary.flags.items())})" if summary.flags else ""))
    console.print(f"wrote {out}/documents.jsonl, rejected.jsonl, report.md")

"""The `corpus` command: thin typer commands over the three stages.

Each stage's commands live in their own module and register on `app`; the
library raises `CorpusError`, and `main` alone turns it into a message and exit 1.
"""

import sys

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from cleaning.errors import CorpusError

app = typer.Typer(
    name="corpus",
    help="Turn scraped news into gold-labelled training data: clean -> annotate -> export.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err_console = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Turn scraped news into gold-labelled training data: clean -> annotate -> export."""


def progress_bar(console: Console) -> Progress:
    """Return the bar long commands show: the task's description, done of total, time left; gone when done."""
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=console, transient=True)


from cli import actors, annotate, clean, export, train  # noqa: E402,F401  (registers the commands)


def main() -> None:
    """Run the CLI; a `CorpusError` becomes a clear message and a non-zero exit."""
    try:
        app()
    except CorpusError as err:
        err_console.print(f"[bold red]error:[/] {err.message}", highlight=False)
        if err.hint:
            err_console.print(f"[yellow]hint:[/] {err.hint}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("[red]interrupted[/]: outputs are written atomically, nothing half-written was left")
        sys.exit(130)

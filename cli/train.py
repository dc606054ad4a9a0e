"""Command of the model in the loop: train a pipeline on a gold export (`corpus push --model` uses it)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from cli import app, progress_bar
from exports.train import DEFAULT_SEED, MAX_EPOCHS, PATIENCE  # imports spaCy only when training

console = Console()


@app.command()
def train(
    export_dir: Annotated[Path, typer.Argument(help="A gold export folder written by `corpus export`.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to save the model (a spaCy pipeline folder).")],
    seed: Annotated[int, typer.Option(help="Seed of the initial weights and of the shuffling.")] = DEFAULT_SEED,
    max_epochs: Annotated[int, typer.Option("--max-epochs", min=1, help="Passes over train at most.")] = MAX_EPOCHS,
    patience: Annotated[int, typer.Option(min=1, help="Stop after this many epochs without a better dev score.")
                        ] = PATIENCE,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing model folder.")] = False,
) -> None:
    """Train actor spans (spancat) and document stance (textcat) on the export's train split.

    Starts from spacy.blank("en") on the CPU, nothing downloaded. Scores the
    dev split after every epoch and keeps the best epoch; the test split is
    not touched. Writes the pipeline, scores.json and a model card
    (README.md) into --out, then prints precision, recall and F1 per label
    on dev. Give the folder to `corpus push --model`.

        corpus train corpus/gold/v1 --out corpus/models/v1
    """
    from exports.train import score_rows
    from exports.train import train as train_model

    with progress_bar(console) as bar:
        job = bar.add_task("training", total=max_epochs)
        report = train_model(export_dir, out, seed=seed, max_epochs=max_epochs, patience=patience, force=force,
                             progress=lambda epoch, total, score: bar.update(
                                 job, completed=epoch, description=f"training (dev score {score:.2f})"))
    table = Table(title=f"dev split: {report.sizes['dev']} documents (train {report.sizes['train']})")
    for column in ("task", "label", "gold", "P", "R", "F1"):
        table.add_column(column, justify="left" if column in ("task", "label") else "right")
    for row in score_rows(report):
        table.add_row(*row)
    console.print(table)
    console.print(f"epoch {report.best_epoch} of {report.epochs} kept; untrained baseline: span F1 "
                  f"{report.baseline['spans']['f']:.2f}, stance macro F1 {report.baseline['stance_macro_f']:.2f}")
    console.print(f"[green]saved[/] {out} (model:{report.name}@{report.version}), "
                  f"scores in {out / 'scores.json'}, model card {out / 'README.md'}")
    console.print(f"pre-annotate with it: `corpus push CLEAN_DIR --model {out}`")

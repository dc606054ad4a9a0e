"""Commands of the exports stage: pull, agreement, export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from cleaning.errors import CorpusError
from cli import app, progress_bar
from exports.splits import DEFAULT_SEED  # stdlib only: cheap enough for `corpus --help`

if TYPE_CHECKING:
    from exports.pipeline import ExportSummary

# The exports stage pulls in spaCy, datasets and the Label Studio SDK: each
# command imports what it needs, so `corpus --help` stays instant.

console = Console()
SNAPSHOTS = Path("corpus/annotations")
Curators = Annotated[
    list[str] | None,
    typer.Option("--curator", help="Email of a curator, whose answers are not independent (repeatable)."),
]
Snapshot = Annotated[
    Path | None, typer.Argument(help="Full-JSON snapshot (default: the newest in corpus/annotations).")
]


@app.command()
def pull(
    project: Annotated[
        str | None,
        typer.Option("--project", "-p", help="Label Studio project title (default: the one in scheme.yaml)."),
    ] = None,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder of timestamped snapshots.")] = SNAPSHOTS,
) -> None:
    """Download every task with its annotations as a timestamped full-JSON snapshot.

    A team's desks (`corpus push --team`) are merged by document into one
    snapshot, the review project's answers as adjudications. Uses an export
    snapshot (create, wait, download), which large projects need; a pull that
    finds nothing new since the latest snapshot says so and writes nothing.
    Example:

        corpus pull --out corpus/annotations
    """
    from annotation.client import Client
    from annotation.scheme import load_scheme
    from annotation.team import desk_title, desks_of, review_title
    from exports.snapshots import pull_snapshot, pull_team

    client = Client.from_env()
    title = project or load_scheme().project
    projects = {p["title"]: p["id"] for p in client.list_projects()}
    desks = {f"desk {n}": projects[desk_title(title, n)] for n in desks_of(title, projects)}
    if not desks and title not in projects:
        raise CorpusError(f"no project {title!r} on {client.url}", "push documents first: `corpus push`")
    with progress_bar(console) as bar:
        task = bar.add_task("connecting", total=None)
        tick = lambda stage: bar.update(task, description=stage)  # noqa: E731
        if desks:
            result = pull_team(client, desks, projects.get(review_title(title)), out, tick)
        else:
            result = pull_snapshot(client, projects[title], out, tick)
    if desks:
        console.print(f"merged {len(desks)} desks by document"
                      + (" with the review project's adjudications" if review_title(title) in projects else ""))
    if result.saved is None:
        console.print(
            f"nothing new since {result.unchanged} ({result.tasks} tasks, {result.annotations} annotations)"
        )
    else:
        console.print(
            f"[green]saved {result.saved}[/]: {result.tasks} tasks, {result.annotations} annotations"
        )


@app.command()
def agreement(
    snapshot: Snapshot = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Folder for agreement.json and agreement.png (default: corpus/agreement/<snapshot name>).",
        ),
    ] = None,
    curator: Curators = None,
) -> None:
    """Measure inter-annotator agreement on tasks with two or more independent answers.

    Stance: Krippendorff's alpha and Cohen's kappa per pair; actor spans:
    unitizing alpha and pairwise F1 (exact and overlap) per label; relations:
    F1; per-span attributes on aligned spans; 95% bootstrap intervals. Writes
    agreement.json, agreement.png and agreement_documents.jsonl (which
    documents disagree most, on what). Example:

        corpus agreement corpus/annotations/snapshot-20250301T120005000000Z.json
    """
    from exports.agreement import measure_agreement
    from exports.annotations import load_export, parse_export
    from exports.pipeline import write_agreement
    from exports.snapshots import latest_snapshot

    snapshot = snapshot or latest_snapshot(SNAPSHOTS)
    report = measure_agreement(parse_export(load_export(snapshot), str(snapshot)), _curators(curator))
    folder = out or Path("corpus/agreement") / snapshot.stem
    write_agreement(report, folder)
    console.print(_agreement_table(report))
    _print_warnings(report)
    console.print(f"wrote {folder}/agreement.json, agreement.png and agreement_documents.jsonl")


@app.command(name="export")
def export_(
    snapshot: Snapshot = None,
    documents: Annotated[
        list[Path] | None,
        typer.Option(
            "--documents",
            "-d",
            help="The cleaned documents.jsonl that was pushed; repeat it for each corpus folder pushed "
            "(default corpus/clean/documents.jsonl).",
        ),
    ] = None,
    curator: Annotated[
        list[str] | None,
        typer.Option(
            "--curator",
            help="Email of a curator: their answers settle open items and never count as independent "
            "(repeatable; default: the admin login in .env).",
        ),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder holding one sub-folder per export.")
    ] = Path("corpus/gold"),
    name: Annotated[
        str | None,
        typer.Option("--name", "-n", help="Name of this export's folder (default: the snapshot's name)."),
    ] = None,
    include_unresolved: Annotated[
        bool,
        typer.Option(
            "--include-unresolved",
            help="Also export tasks without a majority, with only their majority items.",
        ),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing export of the same name.")
    ] = False,
    split: Annotated[str, typer.Option("--split", help="Train, dev, test ratios.")] = "0.8,0.1,0.1",
    seed: Annotated[
        int, typer.Option("--seed", help="Seed that breaks ties when dealing groups to splits.")
    ] = DEFAULT_SEED,
    actors: Annotated[
        Path | None,
        typer.Option("--actors", help="The gazetteer the corpus was pushed with, which names the network's "
                     "actors (default annotation/actors.yaml)."),
    ] = None,
) -> None:
    """Resolve gold annotations and write the training datasets and the stance network.

    Writes gold.jsonl, gold.csv, gold.parquet, spaCy DocBins, a Hugging Face
    DatasetDict, CoNLL-2003 and SemEval-style stance files, conflicts.jsonl,
    span_checks.jsonl, agreement, the stance network (actors.csv,
    stance_edges.csv, stance_network.graphml and .png) and a README data card.
    Every gold span carries its actor_id. Example:

        corpus export --documents corpus/clean/documents.jsonl --name v1
    """
    from exports.pipeline import export_gold
    from exports.snapshots import latest_snapshot

    snapshot = snapshot or latest_snapshot(SNAPSHOTS)
    documents = documents or [Path("corpus/clean/documents.jsonl")]
    folder = out / (name or snapshot.stem)
    with progress_bar(console) as bar:
        task = bar.add_task("reading", total=None)
        summary = export_gold(
            snapshot,
            documents,
            folder,
            include_unresolved=include_unresolved,
            force=force,
            ratios=_ratios(split),
            seed=seed,
            progress=lambda stage, done, total: bar.update(
                task, description=stage, completed=done, total=total
            ),
            curators=_curators(curator),
            actors=actors,
        )
    _print_export(summary)


@app.command()
def adjudicate(
    snapshot: Snapshot = None,
    project: Annotated[
        str | None, typer.Option("--project", "-p", help="The team's project name (default: the scheme's).")
    ] = None,
    curator: Curators = None,
) -> None:
    """Put every document with open items into the review project, for a curator to decide in the browser.

    Each review task opens with the agreed items pre-filled and every
    annotator's answer beside them as a prediction named by the annotator.
    The curator's answer settles only the open items: `corpus pull` then
    `corpus export`. Example:

        corpus pull && corpus adjudicate
    """
    from annotation.client import Client
    from annotation.push import push_review
    from annotation.scheme import load_scheme
    from exports.annotations import load_export, parse_export
    from exports.review import AGREED_MODEL, review_tasks
    from exports.snapshots import latest_snapshot

    snapshot = snapshot or latest_snapshot(SNAPSHOTS)
    tasks = review_tasks(parse_export(load_export(snapshot), str(snapshot)), _curators(curator))
    report = push_review(Client.from_env(), tasks, AGREED_MODEL, load_scheme(), project_title=project)
    console.print(
        f"[green]{len(tasks)} documents with open items[/]: {report.created} sent to review, "
        f"{report.updated} updated, {report.unchanged} already answered there"
    )
    console.print(f"adjudicate at [bold]{report.project_url}[/], then `corpus pull` and `corpus export`")


def _curators(given: list[str] | None) -> list[str]:
    """The curators given, else the admin login stored in .env (who adjudicates in Community edition)."""
    if given:
        return given
    from annotation.client import ENV_FILE, read_env_file

    admin = read_env_file(ENV_FILE).get("LABEL_STUDIO_USERNAME") if ENV_FILE.exists() else None
    return [admin] if admin else []


def _ratios(text: str) -> tuple[float, ...]:
    try:
        return tuple(float(x) for x in text.split(","))
    except ValueError:
        raise CorpusError(
            f"bad --split {text!r}: expected three numbers", "for example --split 0.8,0.1,0.1"
        ) from None


def _agreement_table(report: dict) -> Table:
    from exports.agreement import agreement_rows

    table = Table(
        title=f"agreement on {report['tasks_compared']} of {report['tasks']} tasks", show_edge=False
    )
    columns = (
        ("measure", "left"), ("label", "left"), ("value", "right"), ("95% interval", "right"), ("items", "right")
    )
    for column, justify in columns:
        table.add_column(column, justify=justify)
    for row in agreement_rows(report):
        table.add_row(*row)
    return table


def _print_warnings(report: dict) -> None:
    if report["warnings"]:
        console.print(
            f"[yellow]{len(report['warnings'])} figure(s) rest on fewer than {report['min_items']} items[/] "
            "(indicative only), e.g. " + report["warnings"][0]
        )


def _print_export(summary: ExportSummary) -> None:
    splits = ", ".join(f"{n} {s}" for s, n in summary.per_split.items())
    console.print(f"[green]{summary.gold} gold documents[/] of {summary.tasks} tasks ({splits})")
    statuses = ("agreed", "single", "adjudicated", "open")
    totals = {s: sum(kind.get(s, 0) for kind in summary.items.values()) for s in statuses}
    console.print("items: " + ", ".join(f"{n} {s}" for s, n in totals.items()))
    if summary.unannotated:
        console.print(f"{summary.unannotated} tasks without annotations")
    if summary.conflicts:
        console.print(
            f"[yellow]{summary.conflicts} open items in {summary.held_back} documents[/]: "
            f"see {summary.folder}/conflicts.jsonl"
        )
    if summary.realigned or summary.excluded:
        console.print(
            f"[yellow]{summary.realigned} spans realigned, {summary.excluded} tasks left out for span "
            f"text not found[/]: see {summary.folder}/span_checks.jsonl"
        )
    alpha = summary.agreement["stance"]["alpha"]
    console.print(
        f"stance alpha {'n/a' if alpha is None else f'{alpha:.3f}'} on "
        f"{summary.agreement['tasks_compared']} tasks with two or more independent answers"
    )
    net = summary.network
    console.print(
        f"stance network: {net['actors']} actors, {net['relations']} relations on {net['edges']} edges"
        + (f" ({net['unlinked_relations']} relations left out: an end without an actor id)"
           if net["unlinked_relations"] else "")
    )
    console.print(f"wrote {summary.folder}/ (README.md describes it)")

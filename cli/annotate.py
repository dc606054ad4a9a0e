"""Commands of the annotation stage: serve, push, status, annotators."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from annotation import server
from annotation.client import ENV_FILE, Client
from annotation.gazetteer import Gazetteer, load_gazetteer
from annotation.model import Model, load_model
from annotation.push import BATCH_SIZE, PushReport, push_team
from annotation.push import push as push_corpus
from annotation.scheme import load_scheme
from annotation.team import desk_title
from cleaning.errors import CorpusError
from cli import app, progress_bar

console = Console()
annotators = typer.Typer(help="Let people in: Community edition has no other way to give an annotator a login.",
                         no_args_is_help=True)
app.add_typer(annotators, name="annotators")

DataDir = Annotated[Path, typer.Option("--data-dir", help="Where Label Studio keeps its database, log and pid file.")]
EnvFile = Annotated[Path, typer.Option("--env-file", help="Where the admin login and API token are stored (mode 600).")]
DatabaseUrl = Annotated[str | None, typer.Option(
    "--database-url", envvar="DATABASE_URL",
    help="postgresql://user:password@host:5432/name; default SQLite in the data dir.")]
CLEAN_DIR = Path("corpus/clean")
Project = Annotated[str | None, typer.Option("--project", help="Label Studio project name (default: from the scheme).")]


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", "-p", help="Port on 127.0.0.1 (1-65535).")] = server.DEFAULT_PORT,
    stop: Annotated[bool, typer.Option("--stop", help="Stop the server this data dir runs, by its pid.")] = False,
    database_url: DatabaseUrl = None,
    data_dir: DataDir = server.DATA_DIR,
    env_file: EnvFile = ENV_FILE,
) -> None:
    """Start Label Studio in the background on 127.0.0.1 and return once it answers.

    The first run creates the admin and an API token and stores them in .env;
    sign-up works only with an invite link (`corpus annotators invite`).
    """
    if stop:
        pid = server.stop(data_dir)
        console.print(f"stopped Label Studio (pid {pid})" if pid else f"no Label Studio running from {data_dir}")
        return
    with console.status(f"starting Label Studio on port {port} (the first start migrates: about a minute)") as spin:
        running = server.start(port, data_dir, env_file, database_url,
                               on_wait=lambda s: spin.update(f"waiting for Label Studio on port {port}: {s:.0f} s"))
    verb = "started" if running.started else "already running"
    console.print(f"[green]Label Studio {verb}[/] at [bold]{running.url}[/] (pid {running.pid}, log {running.log})")
    console.print(f"admin login (email and password) is stored in {env_file}; stop with `corpus serve --stop`")


@app.command()
def push(
    clean_dir: Annotated[Path, typer.Argument(help="The cleaned corpus: a dir with documents.jsonl.")] = CLEAN_DIR,
    project: Project = None,
    scheme: Annotated[Path | None, typer.Option(help="Labelling scheme YAML (default annotation/scheme.yaml).")] = None,
    target: Annotated[str | None, typer.Option(help="What the document stance is about (default: scheme's).")] = None,
    overlap: Annotated[int | None, typer.Option(min=1, help="Annotations per task (default: the scheme's, 2).")] = None,
    team: Annotated[int | None, typer.Option(min=1, help=(
        "Annotators in the team: one project ('desk') each, every document on --overlap of them, "
        "so nobody sees another's answers."))] = None,
    prelabel: Annotated[bool, typer.Option(help="Send pre-annotations (the gazetteer's, and --model's).")] = True,
    actors: Annotated[Path | None, typer.Option("--actors", help=(
        "Gazetteer of canonical actors (default annotation/actors.yaml): the actor choice's options on each "
        "task and the pre-annotations; see `corpus actors learn`."))] = None,
    model: Annotated[Path | None, typer.Option("--model", help=(
        "A model folder from `corpus train`: its actor spans and stance become the pre-annotations, and the "
        "unannotated tasks are dealt least sure first."))] = None,
    use_gazetteer: Annotated[bool, typer.Option("--gazetteer/--no-gazetteer", help=(
        "With --model: merge the gazetteer's actors in (they win where spans overlap); "
        "--no-gazetteer sends the model's alone (the gazetteer still gives the actor choice's options)."))] = True,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Tasks per import request.")] = BATCH_SIZE,
    env_file: EnvFile = ENV_FILE,
) -> None:
    """Import every cleaned document as a task, once: reruns create nothing and never lose annotations.

    With --model, predictions are named gazetteer-1+model:<name>@<version>
    (model:<name>@<version> with --no-gazetteer) and scored by how sure the
    model is; Label Studio then deals the least sure documents first. A rerun
    with a retrained model updates the predictions and the order of the
    tasks nobody has worked on.
    """
    if model is not None and not prelabel:
        raise CorpusError("--no-prelabel sends no pre-annotations, so --model would not be used",
                          "drop --no-prelabel; for the model's predictions alone, use --model with --no-gazetteer")
    gazetteer = load_gazetteer(actors)
    loaded_model = load_model(model) if model is not None else None
    if team is not None:
        _push_team(clean_dir, team, overlap, project, scheme, target, prelabel and use_gazetteer, batch_size,
                   env_file, gazetteer, loaded_model)
        return
    with progress_bar(console) as bar:
        job = bar.add_task("importing", total=None)
        report = push_corpus(clean_dir, Client.from_env(env_file), load_scheme(scheme).with_target(target),
                             gazetteer=gazetteer, project_title=project, overlap=overlap,
                             prelabel=prelabel and use_gazetteer, batch_size=batch_size, model=loaded_model,
                             progress=lambda done, total: bar.update(job, completed=done, total=total))
    _print_push(report)


def _push_team(clean_dir: Path, team: int, overlap: int | None, project: str | None, scheme: Path | None,
               target: str | None, prelabel: bool, batch_size: int, env_file: Path, gazetteer: Gazetteer,
               model: Model | None) -> None:
    loaded = load_scheme(scheme).with_target(target)
    with progress_bar(console) as bar:
        job = bar.add_task("importing", total=None)
        reports = push_team(clean_dir, Client.from_env(env_file), team, overlap or min(loaded.overlap, team),
                            loaded, gazetteer=gazetteer, project_title=project, prelabel=prelabel,
                            batch_size=batch_size, model=model,
                            progress=lambda done, total: bar.update(job, completed=done, total=total))
    code = 0
    for report in reports:
        console.print(f"[bold]{report.title}[/] ({report.documents} documents)")
        lines, failed = push_summary(report)
        code = max(code, failed)
        for line in lines:
            console.print(f"  {line}")
    console.print("invite each annotator to their own desk: `corpus annotators invite --desk N`")
    if code:
        raise typer.Exit(code)


SHOWN = 20  # conflicting documents listed by name; the rest are counted


def push_summary(report: PushReport) -> tuple[list[str], int]:
    """Say what a push did, in lines to print, and the exit code: 1 when changed annotated documents were left."""
    lines = []
    if report.nothing_to_do and not report.conflicts:
        lines.append(f"[green]nothing to do[/]: all {report.unchanged} documents are already in the project")
    else:
        lines.append(f"[green]{report.created} created[/], {report.updated} updated, {report.unchanged} unchanged"
                     f" of {report.documents} documents; {report.predictions} with pre-annotations"
                     + (", project created" if report.project_created else "")
                     + (", labelling config updated" if report.config_updated else ""))
    if report.repredicted:
        lines.append(f"{report.repredicted} unannotated task(s) got this push's predictions in place of another's")
    if report.model_version:
        lines.append(f"unannotated tasks are dealt least sure first by {report.model_version} "
                     "(Label Studio's uncertainty sampling)")
    if report.duplicates_removed:
        lines.append(f"removed {report.duplicates_removed} duplicate task(s) nobody had annotated")
    if report.conflicts:
        lines.append(f"[yellow]{len(report.conflicts)} annotated document(s) changed text and were NOT updated[/]: "
                     "their tasks keep the old text and its annotations (task id: doc id):")
        lines += [f"  task {task_id}: {doc_id}" for task_id, doc_id in report.conflicts[:SHOWN]]
        if len(report.conflicts) > SHOWN:
            lines.append(f"  ... and {len(report.conflicts) - SHOWN} more not listed")
    if report.invalid_predictions:
        lines.append(f"[yellow]{len(report.invalid_predictions)} invalid prediction(s) not sent[/], first: "
                     f"{report.invalid_predictions[0][0]}: {report.invalid_predictions[0][1]}")
    if report.orphans:
        lines.append(f"{len(report.orphans)} task(s) hold documents no longer in the corpus (kept)")
    lines.append(f"annotate at [bold]{report.project_url}[/]")
    if report.conflicts:
        lines.append("[yellow]hint:[/] `corpus pull` keeps their annotations; then delete those tasks in Label "
                     "Studio and push again to send the new text, or push the old text")
    return lines, 1 if report.conflicts else 0


def _print_push(report: PushReport) -> None:
    lines, code = push_summary(report)
    for line in lines:
        console.print(line)
    if code:
        raise typer.Exit(code)


@app.command()
def status(
    project: Project = None,
    data_dir: DataDir = server.DATA_DIR,
    env_file: EnvFile = ENV_FILE,
) -> None:
    """Say whether Label Studio runs and what the project holds."""
    state = server.status(data_dir, env_file, project or load_scheme().project)
    if not state.running:
        console.print(f"Label Studio is [red]not running[/] from {data_dir}; start it with `corpus serve`")
        raise typer.Exit(1)
    console.print(f"Label Studio [green]runs[/] at [bold]{state.url}[/] (pid {state.pid})")
    if not state.projects:
        console.print("no project yet: run `corpus push`")
    for p, annotated in state.projects:  # the project, or a team's desks and review project
        console.print(f"project {p['title']!r} (id {p['id']}): {p.get('task_number') or 0} tasks, "
                      f"{annotated} annotated, "
                      f"{p.get('total_annotations_number') or 0} annotations "
                      f"({p.get('ground_truth_number') or 0} ground truth), "
                      f"{p.get('total_predictions_number') or 0} predictions, "
                      f"{p.get('maximum_annotations')} annotations asked per task")


@annotators.command("invite")
def invite(
    desk: Annotated[int | None, typer.Option("--desk", min=1, help=(
        "The team desk (project) the sign-up lands on, as pushed with `corpus push --team`."))] = None,
    project: Project = None,
    env_file: EnvFile = ENV_FILE,
) -> None:
    """Print a sign-up link for a new annotator (anyone with the link can create a login).

    With --desk N the sign-up lands on desk N's project, where that annotator works alone.
    """
    client = Client.from_env(env_file)
    if desk is None:
        console.print(client.invite_link(), soft_wrap=True)
        return
    title = desk_title(project or load_scheme().project, desk)
    found = client.find_project(title)
    if found is None:
        raise CorpusError(f"no project {title!r} on {client.url}",
                          "push the corpus to the team first: `corpus push --team N`")
    console.print(f"desk {desk}: send this link to the one annotator who works at {title!r}; "
                  "the sign-up lands on that project")
    console.print(client.invite_link(f"/projects/{found['id']}/data"), soft_wrap=True)


@annotators.command("add")
def add(
    email: Annotated[str, typer.Argument(help="The annotator's email: their login name.")],
    password: Annotated[str, typer.Option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
                                          help="Their password (asked for when not given).")],
    database_url: DatabaseUrl = None,
    data_dir: DataDir = server.DATA_DIR,
    env_file: EnvFile = ENV_FILE,
) -> None:
    """Create an annotator who can log in with EMAIL and the password (no invite link needed)."""
    server.add_annotator(email, password, data_dir, env_file, database_url)
    console.print(f"[green]added[/] {email}: they can log in at {Client.from_env(env_file).url}")

"""Push the cleaned corpus into Label Studio: one current task per document, never a duplicate.

The project is found by name (or created) and its config regenerated from the
scheme file. Existing tasks are listed once and indexed by ``data.doc_id``;
`tasks.plan_sync` decides what to create, update or report. Imports go in
batches with the SDK's own retries off: after a failed POST the project is
re-read before anything is sent again, so a request that did land is never
sent twice, and a rerun after any fault finishes the job.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotation.client import UNCERTAINTY_SAMPLING, Client, ConfigRefused, LabelStudioDown
from annotation.gazetteer import Gazetteer, Match, actor_options, load_gazetteer, named_actors
from annotation.model import MODEL_PREFIX, Guess, Model, merge, to_prediction
from annotation.prelabel import MODEL_VERSION, predict_from, validate_prediction
from annotation.scheme import Scheme, load_guidelines, load_scheme, to_label_config
from annotation.tasks import (
    batched,
    index_tasks,
    is_annotated,
    plan_sync,
    read_documents,
    text_hash,
    to_task,
    to_task_data,
)
from annotation.team import TITLE_LIMIT, assign, check_team, desk_title, review_title
from cleaning.document import Document
from cleaning.errors import CorpusError

BATCH_SIZE = 500
ATTEMPTS = 3  # per batch; between attempts the project is re-read


@dataclass
class PushReport:
    """What a push did, for the summary and the tests."""

    project_id: int
    project_url: str
    documents: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: list[tuple[int, str]] = field(default_factory=list)  # (task id, doc id)
    duplicates_removed: int = 0
    orphans: list[int] = field(default_factory=list)
    predictions: int = 0
    invalid_predictions: list[tuple[str, str]] = field(default_factory=list)  # (doc id, first problem)
    project_created: bool = False
    config_updated: bool = False
    retried_batches: int = 0
    title: str = ""
    repredicted: int = 0  # unannotated, unchanged tasks whose predictions came from another model
    model_version: str | None = None  # the model whose scores order the unannotated tasks, if any

    @property
    def nothing_to_do(self) -> bool:
        return not (self.created or self.updated or self.duplicates_removed or self.config_updated
                    or self.project_created or self.repredicted)


Progress = Callable[[int, int], None]  # (documents done, documents to send)


def push(clean_dir: Path, client: Client, scheme: Scheme | None = None, gazetteer: Gazetteer | None = None,
         guidelines: Path | None = None, project_title: str | None = None, overlap: int | None = None,
         prelabel: bool = True, batch_size: int = BATCH_SIZE, progress: Progress | None = None,
         model: Model | None = None) -> PushReport:
    """Make the project hold exactly one current task per cleaned document; return what was done.

    `gazetteer` (default annotation/actors.yaml) gives every task its actor
    choice's options, and with `prelabel` the pre-annotated spans. With a
    `model`, every task's prediction is the model's (merged with the
    gazetteer's unless `prelabel` is off, `annotation/model.py`) and the
    unannotated tasks are dealt least sure first (`order_tasks`).
    """
    scheme = scheme or load_scheme()
    docs = read_documents(clean_dir)
    readings = Readings(gazetteer or load_gazetteer(), model, prelabel)
    project, created, config_updated = sync_project(client, scheme, project_title or scheme.project,
                                                    load_guidelines(guidelines), overlap or scheme.overlap)
    report = PushReport(project["id"], f"{client.url}/projects/{project['id']}/data", documents=len(docs),
                        project_created=created, config_updated=config_updated, title=project["title"])
    left = _sync_tasks(client, project["id"], docs, client.list_tasks(project["id"]), scheme, batch_size, report,
                       progress, readings)
    order_tasks(client, project, docs, left, scheme, readings, report)
    return report


def push_team(clean_dir: Path, client: Client, team: int, overlap: int, scheme: Scheme | None = None,
              gazetteer: Gazetteer | None = None, guidelines: Path | None = None, project_title: str | None = None,
              prelabel: bool = True, batch_size: int = BATCH_SIZE,
              progress: Progress | None = None, model: Model | None = None) -> list[PushReport]:
    """Keep one project per annotator ("desk") in step: each document on `overlap` of the `team` desks.

    The same tasks and pre-annotations as `push`, one answer asked per task;
    each document is searched and guessed once for all its desks (`Readings`);
    which desks hold a document is read back from the desks, kept, and only
    new documents are dealt out (`team.assign`). Reruns are idempotent.
    """
    check_team(team, overlap)
    scheme = scheme or load_scheme()
    docs = read_documents(clean_dir)
    readings = Readings(gazetteer or load_gazetteer(), model, prelabel)
    base, instructions = project_title or scheme.project, load_guidelines(guidelines)
    desks = []
    for desk in range(1, team + 1):
        project, created, config_updated = sync_project(client, scheme, desk_title(base, desk), instructions, 1)
        desks.append((desk, project, created, config_updated, client.list_tasks(project["id"])))
    existing: dict[str, list[int]] = {}
    for desk, _, _, _, tasks in desks:
        for doc_id in index_tasks(tasks):
            existing.setdefault(doc_id, []).append(desk)
    plan = assign([d.id for d in docs], existing, team, overlap)
    reports = []
    for desk, project, created, config_updated, tasks in desks:
        mine = [d for d in docs if desk in plan[d.id]]
        report = PushReport(project["id"], f"{client.url}/projects/{project['id']}/data", documents=len(mine),
                            project_created=created, config_updated=config_updated, title=project["title"])
        left = _sync_tasks(client, project["id"], mine, tasks, scheme, batch_size, report, progress, readings)
        order_tasks(client, project, mine, left, scheme, readings, report)
        reports.append(report)
    return reports


def push_review(client: Client, tasks: list[dict], prefill_model: str, scheme: Scheme | None = None,
                guidelines: Path | None = None, project_title: str | None = None) -> PushReport:
    """Put review tasks (``{data, predictions}``, one per document) into the team's review project.

    The project pre-fills the curator's draft with the predictions of
    `prefill_model`; the other predictions show as tabs beside it. A document
    already in review is updated while nobody has answered it there, and left
    alone once a curator has (`unchanged`).
    """
    scheme = scheme or load_scheme()
    title = review_title(project_title or scheme.project)
    project, created, config_updated = sync_project(client, scheme, title, load_guidelines(guidelines), 1)
    report = PushReport(project["id"], f"{client.url}/projects/{project['id']}/data", documents=len(tasks),
                        project_created=created, config_updated=config_updated, title=title)
    index = index_tasks(client.list_tasks(project["id"]))
    new = []
    for task in tasks:
        found = [t for t in index.get(str(task["data"]["doc_id"]), [])
                 if t["data"].get("text_hash") == task["data"].get("text_hash")]
        if not found:
            new.append(task)
        elif any(is_annotated(t) for t in found):
            report.unchanged += 1
        else:
            client.update_task_data(found[0]["id"], task["data"])
            client.replace_predictions(found[0]["id"], task["predictions"])
            report.updated += 1
    for batch in batched(new, BATCH_SIZE):
        report.created += len(client.import_tasks(project["id"], batch))
    if tasks and project.get("model_version") != prefill_model:  # Label Studio knows a model once it has predictions
        client.update_project(project["id"], model_version=prefill_model, show_collab_predictions=True)
    return report


def _sync_tasks(client: Client, project_id: int, docs: list[Document], tasks: list[dict], scheme: Scheme,
                batch_size: int, report: PushReport, progress: Progress | None, readings: Readings) -> list[dict]:
    """Bring the listed `tasks` in line with `docs`; return the tasks it left alone, as listed.

    The tasks it updates or imports carry this push's predictions, and the
    duplicates it deletes are gone: what is left is what `order_tasks` may
    still have to re-predict, so the project's tasks are listed once a push.
    """
    plan = plan_sync(docs, tasks, lambda doc: to_task_data(doc, scheme.target, _actor_field(doc, scheme, readings)))
    report.unchanged, report.orphans = plan.unchanged, plan.orphans
    report.conflicts = [(task_id, doc.id) for task_id, doc in plan.conflicts]
    for task_id in plan.duplicates:
        client.delete_task(task_id)
        report.duplicates_removed += 1
    for task_id, doc in plan.update:
        extra = _actor_field(doc, scheme, readings)
        client.update_task_data(task_id, to_task_data(doc, scheme.target, extra))
        client.replace_predictions(task_id, _predictions(doc, scheme, readings, report, extra))
        report.updated += 1
    _import(client, project_id, plan.create, scheme, batch_size, report, progress, readings)
    touched = {*plan.duplicates, *(task_id for task_id, _ in plan.update)}
    return [task for task in tasks if task["id"] not in touched]


def sync_project(client: Client, scheme: Scheme, title: str, instructions: str,
                 overlap: int) -> tuple[dict, bool, bool]:
    """Find or create the project; bring its config, instructions and overlap in line with the scheme.

    Label Studio refuses a config that drops a control its annotations use,
    but accepts one that drops a label value in use: that is checked here, so
    no annotation is left pointing at a label the config no longer has.
    """
    if not 3 <= len(title) <= TITLE_LIMIT:
        raise CorpusError(f"project name {title!r} has {len(title)} characters",
                          f"Label Studio allows 3 to {TITLE_LIMIT}")
    config = to_label_config(scheme)
    project = client.find_project(title)
    if project is None:
        return client.create_project(title, config, instructions, overlap), True, False
    changes = {}
    if _normalise(project.get("label_config")) != _normalise(config):
        _check_labels_kept(client, project["id"], scheme)
        changes["label_config"] = config
    if (project.get("expert_instruction") or "") != instructions:
        changes |= {"expert_instruction": instructions, "show_instruction": bool(instructions)}
    if project.get("maximum_annotations") != overlap:
        changes["maximum_annotations"] = overlap
    if changes:
        project = client.update_project(project["id"], **changes)
    return project, False, "label_config" in changes


def _check_labels_kept(client: Client, project_id: int, scheme: Scheme) -> None:
    allowed, lost = scheme.allowed(), []
    for name, counts in sorted(client.labels_in_use(project_id).items()):
        if name in scheme.open_controls:  # values from the task data or typed: no config drops them
            continue
        if name not in allowed:
            lost.append(f"the control {name!r} ({sum(counts.values())} uses)")
        elif missing := sorted(set(counts) - set(allowed[name])):
            lost.append(f"{name}: {', '.join(missing)}")
    if lost:
        raise ConfigRefused(f"the new scheme drops what existing annotations use ({'; '.join(lost)}); "
                            "the project's config was left unchanged",
                            "put it back in scheme.yaml, or export and fix those annotations first")


def _normalise(xml: str | None) -> str:
    return "".join((xml or "").split())


class Readings:
    """What the gazetteer finds in each document of a push, and what the model guesses, each worked out once.

    A document's matches give its task both the actor choice's options and
    the pre-annotated spans (`prelabel` on, the gazetteer is the same one),
    and a team push sends one document to several desks: all of these read
    the same matches and the same guess. They are kept by document id, which
    names one text within a push (`read_documents` refuses a repeated id).
    """

    def __init__(self, actors: Gazetteer, model: Model | None = None, prelabel: bool = True):
        self.actors, self.model = actors, model
        self.gazetteer = actors if prelabel else None  # the pre-annotating gazetteer, or None with prelabel off
        self._matches: dict[str, list[Match]] = {}
        self._guesses: dict[str, Guess] = {}

    def matches(self, doc: Document) -> list[Match]:
        """Return the actors' aliases in the document's text, searched for on the first asking only."""
        if doc.id not in self._matches:
            self._matches[doc.id] = self.actors.find(doc.text)
        return self._matches[doc.id]

    def guess(self, doc: Document) -> Guess:
        """Return the model's guess for the document, running the model on its first asking only."""
        if self.model is None:
            raise ValueError("this push has no model to guess with")
        if doc.id not in self._guesses:
            self._guesses[doc.id] = self.model.guess(doc.text)
        return self._guesses[doc.id]


def _actor_field(doc: Document, scheme: Scheme, readings: Readings) -> dict[str, list[dict]]:
    """The task data field the actor choice reads its options from: the actors the text names, and "new"."""
    return {scheme.actor_options: actor_options(named_actors(readings.matches(doc)), scheme.new_actor,
                                                scheme.new_actor_text)}


def _predictions(doc: Document, scheme: Scheme, readings: Readings, report: PushReport,
                 extra: dict[str, list[dict]]) -> list[dict]:
    gazetteer = readings.gazetteer
    prediction = predict_from(readings.matches(doc), doc.meta.get("date"), scheme) if gazetteer is not None else None
    if (model := readings.model) is not None:
        prediction = merge(prediction, to_prediction(readings.guess(doc), model, scheme),
                           prelabel_version(gazetteer, model))
    if prediction is None:
        return []
    problems = validate_prediction(prediction, doc.text, scheme, [o["value"] for o in extra[scheme.actor_options]])
    if problems:
        report.invalid_predictions.append((doc.id, problems[0]))
        return []
    report.predictions += 1
    return [prediction]


def _import(client: Client, project_id: int, docs: list[Document], scheme: Scheme, batch_size: int,
            report: PushReport, progress: Progress | None, readings: Readings) -> None:
    done = 0
    if progress:
        progress(0, len(docs))
    for batch in batched(docs, batch_size):
        tasks = {}
        for doc in batch:
            extra = _actor_field(doc, scheme, readings)
            tasks[doc.id] = to_task(doc, scheme.target,
                                    _predictions(doc, scheme, readings, report, extra), extra)
        for attempt in range(1, ATTEMPTS + 1):
            try:
                report.created += len(client.import_tasks(project_id, list(tasks.values())))
                break
            except LabelStudioDown:
                if attempt == ATTEMPTS:
                    raise
                report.retried_batches += 1
                landed = _present(client, project_id) & tasks.keys()  # the failed POST may have landed
                report.created += len(landed)
                tasks = {doc_id: task for doc_id, task in tasks.items() if doc_id not in landed}
                if not tasks:
                    break
        done += len(batch)
        if progress:
            progress(done, len(docs))


def _present(client: Client, project_id: int) -> set[str]:
    """Re-read the project after a failed import: the doc ids it holds now."""
    try:
        return {str((t.get("data") or {}).get("doc_id")) for t in client.list_tasks(project_id)}
    except LabelStudioDown as err:
        raise LabelStudioDown(f"{err.message}; the last batch may or may not have been imported",
                              "rerun `corpus push` once the server is back: it imports only what is missing") from None


def prelabel_version(gazetteer: Gazetteer | None, model: Model | None) -> str | None:
    """Name what made a push's predictions: ``gazetteer-1``, ``model:<name>@<version>`` or both joined by ``+``.

    One name for every task of a push, even where one of the two found
    nothing: Label Studio orders only the tasks whose predictions carry the
    project's model version.
    """
    if model is None:
        return MODEL_VERSION if gazetteer is not None else None
    return f"{MODEL_VERSION}+{model.model_version}" if gazetteer is not None else model.model_version


def order_tasks(client: Client, project: dict, docs: list[Document], tasks: list[dict], scheme: Scheme,
                readings: Readings, report: PushReport) -> None:
    """Deal the unannotated tasks least sure first with a model; put back the order by id after a model's push.

    The `tasks` that `_sync_tasks` left alone (it returns them as it listed
    them; the ones it wrote carry this push's predictions already) may still
    carry an earlier model's predictions: an unannotated one whose prediction
    is not this push's gets this push's (annotated tasks keep theirs); the
    push's model and gazetteer are `readings`'. Then the project is set to Label
    Studio's uncertainty sampling on this push's model version, so a rerun
    with the same model changes nothing and one with a retrained model
    re-predicts and re-orders.
    """
    was_ordered, model = project.get("sampling") == UNCERTAINTY_SAMPLING, readings.model
    if model is None and not was_ordered:
        return
    wanted = prelabel_version(readings.gazetteer, model)
    versions = client.prediction_versions(project["id"])
    by_doc = {d.id: d for d in docs}
    for task in tasks:
        doc = by_doc.get(str((task.get("data") or {}).get("doc_id")))
        held = versions.get(task["id"], (set(), None))[0]
        if doc is None or is_annotated(task) or task["data"].get("text_hash") != text_hash(doc.text):
            continue
        if held != ({wanted} if wanted else set()) and (model is not None or any(MODEL_PREFIX in v for v in held)):
            client.replace_predictions(task["id"], _predictions(doc, scheme, readings, report,
                                                              _actor_field(doc, scheme, readings)))
            report.repredicted += 1
    if not was_ordered or project.get("model_version") != wanted or model is None:
        client.set_task_order(project["id"], wanted, by_score=model is not None)
    report.model_version = wanted if model is not None else None

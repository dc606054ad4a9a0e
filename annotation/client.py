"""The one module that talks to Label Studio: a small wrapper over the SDK and its errors.

Everything returns plain dicts, and every SDK or transport error becomes a
`CorpusError` that says what failed and what to do. `LabelStudioDown` (server
unreachable, timed out, or answering 5xx) is the one a caller may retry after
re-reading the project, because a request that failed that way may still have
been carried out.

Use::

    client = Client.from_env()                      # .env, or LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY
    project = client.find_project("Afghanistan stance and actors")
    tasks = client.list_tasks(project["id"], annotations=True)
    client.export_snapshot(project["id"], Path("corpus/annotations/export.json"))

The token is never put in a message or a log.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import httpx

if TYPE_CHECKING:
    from label_studio_sdk.core.api_error import ApiError

from cleaning.errors import CorpusError

ENV_FILE = Path(".env")
URL_KEY, TOKEN_KEY = "LABEL_STUDIO_URL", "LABEL_STUDIO_API_KEY"
NO_RETRY = {"max_retries": 0}
UNCERTAINTY_SAMPLING, SEQUENTIAL_SAMPLING = "Uncertainty sampling", "Sequential sampling"  # Project.sampling


class LabelStudioDown(CorpusError):
    """The server could not be reached or failed (5xx, timeout): a request may or may not have happened."""


class ConfigRefused(CorpusError):
    """Label Studio (or our own check) refused a labelling config."""


def read_env_file(path: Path = ENV_FILE) -> dict[str, str]:
    """Read ``KEY=value`` lines from a dotenv file (missing file: empty)."""
    values: dict[str, str] = {}
    with contextlib.suppress(FileNotFoundError):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            key, sep, value = line.partition("=")
            if sep and not key.strip().startswith("#"):
                values[key.strip()] = value.strip().strip("'\"")
    return values


def health(url: str, timeout: float = 2.0) -> bool:
    """Tell whether a Label Studio answers ``/health`` with status UP at `url`."""
    try:
        response = httpx.get(f"{url.rstrip('/')}/health", timeout=timeout)
        return response.status_code == 200 and response.json().get("status") == "UP"
    except (httpx.HTTPError, ValueError):
        return False


class Client:
    """A connected Label Studio: projects, tasks, predictions, annotations, exports, invites."""

    def __init__(self, url: str, token: str, timeout: float = 60.0):
        self.url = url.rstrip("/")
        from label_studio_sdk import LabelStudio  # a second to import: only commands that talk to the server pay it

        self._sdk = LabelStudio(base_url=self.url, api_key=token, timeout=timeout)

    def __repr__(self) -> str:
        return f"Client({self.url!r})"  # never the token

    @classmethod
    def from_env(cls, env_file: Path = ENV_FILE, timeout: float = 60.0) -> Client:
        """Connect with ``LABEL_STUDIO_URL`` / ``LABEL_STUDIO_API_KEY`` from the environment, else `env_file`."""
        stored = read_env_file(env_file)
        url = os.environ.get(URL_KEY) or stored.get(URL_KEY)
        token = os.environ.get(TOKEN_KEY) or stored.get(TOKEN_KEY)
        if not url or not token:
            raise CorpusError(f"no Label Studio login found (in the environment or {env_file})",
                              "run `corpus serve` first: it starts the server and stores the login in .env")
        return cls(url, token, timeout)

    # -- errors -----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _api(self, action: str) -> Iterator[None]:
        """Turn SDK and transport errors raised while doing `action` into `CorpusError`s."""
        try:
            yield
        except _api_error_class() as err:
            raise self._api_error(err, action) from None
        except (httpx.ConnectError, httpx.ConnectTimeout) as err:
            raise LabelStudioDown(f"cannot reach Label Studio at {self.url} while {action} ({type(err).__name__})",
                                  "start it with `corpus serve` (or `make annotate`), then rerun") from None
        except httpx.TimeoutException as err:
            raise LabelStudioDown(f"Label Studio at {self.url} did not answer in time while {action}",
                                  "the server is busy or stuck: check `corpus status`, then rerun") from err
        except httpx.HTTPError as err:
            raise LabelStudioDown(f"the connection to Label Studio at {self.url} failed while {action}: "
                                  f"{type(err).__name__}", "check `corpus status`, then rerun") from None

    def _api_error(self, err: ApiError, action: str) -> CorpusError:
        status, body = err.status_code, err.body if isinstance(err.body, dict) else {}
        if status in (401, 403):
            return CorpusError(f"Label Studio at {self.url} refused the API token (HTTP {status}) while {action}",
                               "the token in .env (or LABEL_STUDIO_API_KEY) does not belong to this server; "
                               "check the URL, or restore the .env written by `corpus serve`")
        if status == 404:
            return CorpusError(f"not found on Label Studio at {self.url} while {action} (HTTP 404)",
                               "the project or task was deleted in Label Studio; rerun `corpus push`")
        if status is not None and status >= 500:
            return LabelStudioDown(f"Label Studio at {self.url} failed while {action} (HTTP {status})",
                                   "see the server log in .labelstudio/server.log, then rerun")
        errors = body.get("validation_errors") or body.get("detail") or err.body
        if isinstance(errors, dict) and "label_config" in errors:
            problems = " ".join(str(p) for p in errors["label_config"])
            return ConfigRefused(f"Label Studio refused the labelling config while {action}: {problems}",
                                 "existing annotations use what the new scheme removes: put it back in "
                                 "scheme.yaml, or export and delete those annotations first")
        return CorpusError(f"Label Studio rejected the request while {action} (HTTP {status}): {errors}",
                           "this is a bug in the request or a Label Studio version change")

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """GET an API path the SDK does not wrap (or wraps slowly); an HTTP error raises the SDK's own.

        Call it inside `_api`, which turns that error into a `CorpusError`.
        """
        response = self._sdk._client_wrapper.httpx_client.request(path, method="GET", params=params)
        if response.status_code >= 400:
            raise _api_error_class()(status_code=response.status_code, body=_json_or_text(response))
        return response.json()

    # -- users --------------------------------------------------------------------------------------

    def whoami(self) -> dict[str, Any]:
        """Return the token's user (id, email, username): checks that the URL and token work."""
        with self._api("checking the login"):
            return self._sdk.users.whoami().model_dump(mode="json", include={"id", "email", "username"})

    def users(self) -> list[dict[str, Any]]:
        """List the organisation's users (id, email, username)."""
        with self._api("listing users"):
            return [u.model_dump(mode="json", include={"id", "email", "username"}) for u in self._sdk.users.list()]

    def invite_link(self, landing: str | None = None) -> str:
        """Return a sign-up link for a new annotator (Community edition's one way in without a shell).

        With `landing` (a path on the server, e.g. ``/projects/3/data``) the
        sign-up ends there instead of on the project list.
        """
        with self._api("asking for an invite link"):
            link = f"{self.url}{self._get('api/invite')['invite_url']}"
        return f"{link}&next={quote(landing, safe='')}" if landing else link

    # -- projects -----------------------------------------------------------------------------------

    def find_project(self, title: str) -> dict[str, Any] | None:
        """Return the project called `title` (the lowest id if several), or None."""
        with self._api(f"looking up project {title!r}"):
            found = [p for p in self._sdk.projects.list(title=title, page_size=100) if p.title == title]
        return _project(min(found, key=lambda p: p.id)) if found else None

    def list_projects(self) -> list[dict[str, Any]]:
        """List every project of the organisation (id and title, with the counters `get_project` gives)."""
        with self._api("listing projects"):
            return [_project(p) for p in self._sdk.projects.list(page_size=100)]

    def get_project(self, project_id: int) -> dict[str, Any]:
        """Return one project by id."""
        with self._api(f"reading project {project_id}"):
            return _project(self._sdk.projects.get(id=project_id))

    def create_project(self, title: str, label_config: str, instructions: str = "", overlap: int = 1) -> dict:
        """Create a project asking for `overlap` annotations per task, with HTML `instructions`."""
        with self._api(f"creating project {title!r}"):
            project = self._sdk.projects.create(
                title=title, label_config=label_config, expert_instruction=instructions,
                show_instruction=bool(instructions), maximum_annotations=overlap,
                overlap_cohort_percentage=100, show_collab_predictions=True)
        return self.get_project(project.id)

    def update_project(self, project_id: int, **fields: Any) -> dict[str, Any]:
        """Change project fields (``label_config``, ``expert_instruction``, ``maximum_annotations``...)."""
        with self._api(f"updating project {project_id}"):
            self._sdk.projects.update(id=project_id, **fields)
        return self.get_project(project_id)

    def labels_in_use(self, project_id: int) -> dict[str, dict[str, int]]:
        """Return ``{control name: {label: count}}`` over the project's annotations (not predictions)."""
        with self._api(f"reading the summary of project {project_id}"):
            return self._get(f"api/projects/{project_id}/summary/").get("created_labels") or {}

    # -- tasks --------------------------------------------------------------------------------------

    def list_tasks(self, project_id: int, annotations: bool = False, page_size: int = 1000) -> list[dict]:
        """List every task of a project; with `annotations`, each carries its annotations and predictions.

        Without, only ``id, data, total_annotations, cancelled_annotations,
        drafts``: enough to index tasks by ``data.doc_id``, and four times
        faster than the SDK's task list (10k tasks in about 10 s).
        """
        with self._api(f"listing the tasks of project {project_id}"):
            if annotations:
                pager = self._sdk.tasks.list(project=project_id, fields="all", page_size=page_size)
                return [t.model_dump(mode="json") for t in pager]
            tasks: list[dict] = []
            for page in itertools.count(1):
                body = self._get("api/tasks", params={
                    "project": project_id, "page": page, "page_size": page_size, "fields": "task_only",
                    "include": "id,data,total_annotations,cancelled_annotations,drafts"})
                tasks += body["tasks"]
                if len(body["tasks"]) < page_size or len(tasks) >= body.get("total", float("inf")):
                    return tasks

    def prediction_versions(self, project_id: int, page_size: int = 1000) -> dict[int, tuple[set[str], float | None]]:
        """Return ``{task id: (model versions of its predictions, their mean score)}`` for every task.

        The Data Manager's own columns (`predictions_model_versions`, `predictions_score`),
        without task data or annotations; they come only with ``fields=all``.
        """
        found: dict[int, tuple[set[str], float | None]] = {}
        with self._api(f"reading the prediction versions of project {project_id}"):
            for page in itertools.count(1):
                body = self._get("api/tasks", params={
                    "project": project_id, "page": page, "page_size": page_size, "fields": "all",
                    "include": "id,predictions_model_versions,predictions_score"})
                for task in body["tasks"]:
                    versions = task.get("predictions_model_versions") or []
                    if isinstance(versions, str):  # SQLite joins them with commas, PostgreSQL gives a list
                        versions = versions.split(",")
                    found[task["id"]] = ({v for v in versions if v}, task.get("predictions_score"))
                if len(body["tasks"]) < page_size or len(found) >= body.get("total", float("inf")):
                    return found

    def set_task_order(self, project_id: int, model_version: str | None, by_score: bool) -> dict[str, Any]:
        """Show `model_version`'s predictions; with `by_score` deal unannotated tasks by their score, lowest first.

        Label Studio pre-fills the labelling page with the predictions of the
        project's `model_version` only. Its "Uncertainty sampling" serves the
        tasks whose prediction has that version in ascending prediction score
        (after a task others have started, when more than one answer is
        asked; with several annotators, at random among the lowest few, so two
        people do not get the same task); "Sequential sampling" deals them by id.
        """
        return self.update_project(project_id, model_version=model_version or "",
                                   sampling=UNCERTAINTY_SAMPLING if by_score else SEQUENTIAL_SAMPLING)

    def next_task(self, project_id: int) -> dict[str, Any] | None:
        """Return the task Label Studio's label stream gives the token's user next (and locks for them)."""
        with self._api(f"asking project {project_id} for the next task"):
            try:
                return self._get(f"api/projects/{project_id}/next")
            except _api_error_class() as err:
                if err.status_code == 404:  # nothing left to label
                    return None
                raise

    def count_annotated_tasks(self, project_id: int) -> int:
        """Count the tasks with at least one submitted annotation, ground truth included.

        Label Studio's own `num_tasks_with_annotations` leaves out tasks whose
        annotations are starred as ground truth; the task counter does not.
        """
        query = {"filters": {"conjunction": "and", "items": [
            {"filter": "filter:tasks:total_annotations", "operator": "greater", "type": "Number", "value": 0}]}}
        with self._api(f"counting the annotated tasks of project {project_id}"):
            body = self._get("api/tasks", params={"project": project_id, "page_size": 1, "fields": "task_only",
                                                  "include": "id", "query": json.dumps(query)})
        return int(body.get("total", 0))

    def import_tasks(self, project_id: int, tasks: list[dict[str, Any]]) -> list[int]:
        """Import tasks (``{data, predictions}``) in one POST, never retried; return the new task ids.

        The SDK would retry a failed POST by itself and duplicate tasks; here a
        failure raises `LabelStudioDown` and the caller re-reads the project.
        """
        with self._api(f"importing {len(tasks)} tasks into project {project_id}"):
            response = self._sdk.projects.import_tasks(id=project_id, request=tasks, return_task_ids=True,
                                                       request_options=NO_RETRY)
        return list(response.task_ids or [])

    def update_task_data(self, task_id: int, data: dict[str, Any]) -> None:
        """Replace a task's data."""
        with self._api(f"updating task {task_id}"):
            self._sdk.tasks.update(id=str(task_id), data=data)

    def delete_task(self, task_id: int) -> None:
        """Delete one task (with its predictions and annotations: callers check it has none)."""
        with self._api(f"deleting task {task_id}"):
            self._sdk.tasks.delete(id=str(task_id))

    def replace_predictions(self, task_id: int, predictions: list[dict[str, Any]]) -> None:
        """Delete a task's predictions and create `predictions` (``{model_version, score, result}``)."""
        with self._api(f"replacing the predictions of task {task_id}"):
            for old in self._sdk.predictions.list(task=task_id):
                self._sdk.predictions.delete(id=old.id)
            for p in predictions:
                self._sdk.predictions.create(task=task_id, result=p["result"], score=p.get("score"),
                                             model_version=p.get("model_version"))

    def create_annotation(self, task_id: int, result: list[dict[str, Any]], completed_by: int | None = None,
                          ground_truth: bool = False) -> dict[str, Any]:
        """Create an annotation on a task as user `completed_by` (default: the token's user)."""
        extra = {"completed_by": completed_by} if completed_by is not None else {}
        with self._api(f"annotating task {task_id}"):
            annotation = self._sdk.annotations.create(id=task_id, result=result, ground_truth=ground_truth, **extra)
        return annotation.model_dump(mode="json")

    # -- exports ------------------------------------------------------------------------------------

    def export_snapshot(self, project_id: int, path: Path, export_type: str = "JSON",
                        wait_seconds: float = 600.0) -> Path:
        """Create an export snapshot of every task, wait for it, and download it to `path`.

        ``JSON`` (the full export) is the only format that keeps relations and
        which region a per-region choice belongs to.
        """
        path = Path(path)
        with self._api(f"exporting project {project_id}"):
            export = self._sdk.projects.exports.create(id=project_id, title=f"newsgold {time.strftime('%F %T')}")
            deadline = time.monotonic() + wait_seconds
            while (status := str(self._sdk.projects.exports.get(id=project_id, export_pk=export.id).status)) \
                    not in ("completed", "failed"):
                if time.monotonic() > deadline:
                    raise CorpusError(f"export {export.id} of project {project_id} not ready "
                                      f"after {wait_seconds:.0f} s",
                                      "the project is large: retry, it keeps building on the server")
                time.sleep(0.5)
            if status == "failed":
                raise CorpusError(f"Label Studio failed to build export {export.id} of project {project_id}",
                                  "see .labelstudio/server.log")
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(path.suffix + ".part")
            with partial.open("wb") as out:
                for chunk in self._sdk.projects.exports.download(id=project_id, export_pk=export.id,
                                                                 export_type=export_type):
                    out.write(chunk)
        partial.replace(path)
        return path


def _api_error_class() -> type[ApiError]:
    """Return the SDK's error type, imported on first use like the SDK itself."""
    from label_studio_sdk.core.api_error import ApiError

    return ApiError


def _project(project: Any) -> dict[str, Any]:
    return project.model_dump(mode="json", include={
        "id", "title", "label_config", "expert_instruction", "maximum_annotations", "task_number", "model_version",
        "sampling", "num_tasks_with_annotations", "total_annotations_number", "total_predictions_number"})


def _json_or_text(response: httpx.Response) -> Any:
    try:
        return response.json()
    except json.JSONDecodeError:
        return response.text[:500]

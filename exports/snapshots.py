"""Keep full-JSON exports as timestamped snapshots, and tell whether a new pull brought anything new.

Only the download itself talks to Label Studio (through `annotation/`'s
client); naming, comparing and saving snapshots are plain file work, here.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cleaning.errors import CorpusError
from cleaning.writers import atomic_write
from exports.annotations import ADJUDICATION_KEY, load_export

if TYPE_CHECKING:  # the client is only called, never built, here
    from annotation.client import Client

PREFIX = "snapshot-"
STAMP = "%Y%m%dT%H%M%S%fZ"
# What a change in annotations changes; counters Label Studio bumps on its own do not count.
TASK_FIELDS = ("id", "data")
ANNOTATION_FIELDS = ("id", "completed_by", "result", "ground_truth", "was_cancelled", "updated_at")


def snapshot_name(now: datetime) -> str:
    """Name a snapshot by its UTC time, so names sort in time order.

    >>> snapshot_name(datetime(2025, 3, 1, 12, 0, 5, tzinfo=UTC))
    'snapshot-20250301T120005000000Z.json'
    """
    return f"{PREFIX}{now.astimezone(UTC).strftime(STAMP)}.json"


def list_snapshots(folder: Path) -> list[Path]:
    """Return the snapshots in `folder`, oldest first."""
    return sorted(Path(folder).glob(f"{PREFIX}*.json"))


def latest_snapshot(folder: Path) -> Path:
    """Return the newest snapshot in `folder`."""
    snapshots = list_snapshots(folder)
    if not snapshots:
        raise CorpusError(f"no snapshot in {folder}", "run `corpus pull` first, or give a snapshot's path")
    return snapshots[-1]


def fingerprint(export: list[dict]) -> str:
    """Hash what annotators changed in an export: task data and each annotation's answer."""
    canonical = sorted(
        (
            {k: t.get(k) for k in TASK_FIELDS}
            | {
                "annotations": sorted(
                    ({k: a.get(k) for k in ANNOTATION_FIELDS} for a in t.get("annotations") or []),
                    key=lambda a: str(a["id"]),
                )
            }
            for t in export
        ),
        key=lambda t: str(t["id"]),
    )
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def unchanged_since(export: list[dict], folder: Path) -> Path | None:
    """Return the latest snapshot if `export` holds nothing it does not, else None."""
    snapshots = list_snapshots(folder)
    if not snapshots:
        return None
    latest = snapshots[-1]
    try:
        previous = json.loads(latest.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return None  # a damaged snapshot is no reason to skip a good one
    return latest if fingerprint(previous) == fingerprint(export) else None


def save_snapshot(export: list[dict], folder: Path, now: datetime | None = None) -> Path:
    """Write `export` as a new timestamped snapshot in `folder`, atomically."""
    path = Path(folder) / snapshot_name(now or datetime.now(UTC))
    if path.exists():
        raise CorpusError(f"snapshot already exists: {path}", "wait a moment and pull again")
    with atomic_write(path) as f:
        json.dump(export, f, ensure_ascii=False)
    return path


@dataclass(frozen=True)
class PullResult:
    """What a pull brought: the new snapshot, or the latest one it matched; and its size."""

    saved: Path | None
    unchanged: Path | None
    tasks: int
    annotations: int


def name_annotators(export: list[dict], emails: dict[int, str]) -> list[dict]:
    """Give each annotation's `completed_by` the annotator's email, as some Label Studio exports do.

    The full JSON export names annotators by user id only; ids mean nothing
    outside the server, so the snapshot keeps ``{"id": ..., "email": ...}``.
    """
    named = []
    for task in export:
        annotations = [
            a | {"completed_by": {"id": a["completed_by"], "email": emails[a["completed_by"]]}}
            if isinstance(a.get("completed_by"), int) and a["completed_by"] in emails
            else a
            for a in task.get("annotations") or []
        ]
        named.append(task | {"annotations": annotations})
    return named


def annotator_emails(client: Client) -> dict[int, str]:
    """Map each user id of the server to its email: what `name_annotators` writes into a snapshot."""
    return {u["id"]: u["email"] for u in client.users()}


def download_export(client: Client, project_id: int, folder: Path) -> list[dict]:
    """Download one project's tasks and annotations through an export snapshot.

    Uses Label Studio's export snapshots (create, wait, download), not the
    synchronous "easy export" that times out on large projects, in full JSON,
    the one format that keeps relations. The download is a hidden file in
    `folder`, removed whether or not it could be read. Annotators are still
    user ids: `name_annotators` names them.
    """
    download = folder / f".pull-{uuid.uuid4().hex}.json"
    try:
        client.export_snapshot(project_id, download)
        return load_export(download)
    finally:
        download.unlink(missing_ok=True)


def save_unless_unchanged(export: list[dict], folder: Path) -> PullResult:
    """Save `export` as a new snapshot unless the latest one holds the same answers; count it either way."""
    counts = len(export), sum(len(t.get("annotations") or []) for t in export)
    same = unchanged_since(export, folder)
    if same is not None:
        return PullResult(None, same, *counts)
    return PullResult(save_snapshot(export, folder), None, *counts)


def pull_snapshot(
    client: Client, project_id: int, folder: Path, progress: Callable[[str], None] | None = None
) -> PullResult:
    """Download every task of a project (`download_export`); save it unless nothing changed."""
    tick = progress or (lambda stage: None)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tick("exporting from Label Studio")
    export = download_export(client, project_id, folder)
    tick("naming annotators")
    export = name_annotators(export, annotator_emails(client))
    tick("comparing with the latest snapshot")
    return save_unless_unchanged(export, folder)


def merge_desks(desks: dict[str, list[dict]], review: list[dict] | None = None) -> list[dict]:
    """Merge the exports of a team's desks by document into one export, shaped as a single project's.

    Each document becomes one task holding every desk's annotations (the
    lowest task id names it; ``meta.team_tasks`` maps each desk to its task),
    so agreement and gold read it as they read one project's export. The
    review project's answers join the task of the same document and text,
    marked as adjudications. A document whose text differs between desks
    stays two tasks: answers on different texts are never compared.
    """
    merged: dict[tuple[str, str | None], dict] = {}
    for desk, export in desks.items():
        for task in export:
            data = task.get("data") or {}
            key = (str(data.get("doc_id")), data.get("text_hash"))
            into = merged.setdefault(key, {"id": task["id"], "data": data, "annotations": [], "predictions": [],
                                           "meta": {"team_tasks": {}}})
            into["id"] = min(into["id"], task["id"])
            into["meta"]["team_tasks"][desk] = task["id"]
            into["annotations"] += task.get("annotations") or []
    for task in review or []:
        data = task.get("data") or {}
        into = merged.get((str(data.get("doc_id")), data.get("text_hash")))
        if into is not None:
            into["meta"]["review_task"] = task["id"]
            into["annotations"] += [a | {ADJUDICATION_KEY: True} for a in task.get("annotations") or []]
    return sorted(merged.values(), key=lambda t: t["id"])


def pull_team(
    client: Client,
    desks: dict[str, int],
    review_id: int | None,
    folder: Path,
    progress: Callable[[str], None] | None = None,
) -> PullResult:
    """Download every desk (and the review project) of a team, merge them by document, save unless unchanged."""
    tick = progress or (lambda stage: None)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    exports: dict[str, list[dict]] = {}
    for name, project_id in [*desks.items(), *([("review", review_id)] if review_id else [])]:
        tick(f"exporting {name} from Label Studio")
        exports[name] = download_export(client, project_id, folder)
    emails = annotator_emails(client)  # the server's users, asked once for every desk
    exports = {name: name_annotators(export, emails) for name, export in exports.items()}
    review = exports.pop("review", None)
    tick("merging the desks by document")
    return save_unless_unchanged(merge_desks(exports, review), folder)

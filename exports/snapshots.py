"""Keep full-JSON exports as timestamped snapshots, and tell whether a new pull brought anything new.

Only the download itself talks to Label Studio (through `annotation/`'s
client); naming, comparing and saving snapshots are plain file work, here.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from cleaning.errors import CorpusError

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
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / snapshot_name(now or datetime.now(UTC))
    if path.exists():
        raise CorpusError(f"snapshot already exists: {path}", "wait a moment and pull again")
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(export, f, ensure_ascii=False)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
    return path

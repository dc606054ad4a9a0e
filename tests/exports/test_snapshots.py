"""Timestamped snapshots and "nothing new" detection."""

import copy
import json
from datetime import UTC, datetime

import pytest

from cleaning.errors import CorpusError
from exports.snapshots import (
    latest_snapshot,
    list_snapshots,
    name_annotators,
    pull_snapshot,
    pull_team,
    save_snapshot,
    unchanged_since,
)
from tests.exports.factories import annotation, document, full_answer, task


def export():
    return [task(1, document(), [annotation(1, "a@x", full_answer())])]


def test_snapshots_are_saved_in_time_order_and_the_latest_is_found(tmp_path):
    early = save_snapshot(export(), tmp_path, datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC))
    late = save_snapshot(export(), tmp_path, datetime(2025, 1, 2, 3, 4, 6, tzinfo=UTC))
    assert list_snapshots(tmp_path) == [early, late] and latest_snapshot(tmp_path) == late
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    with pytest.raises(CorpusError, match="snapshot already exists"):
        save_snapshot(export(), tmp_path, datetime(2025, 1, 2, 3, 4, 6, tzinfo=UTC))


def test_nothing_new_is_told_apart_from_a_new_answer(tmp_path):
    assert unchanged_since(export(), tmp_path) is None
    saved = save_snapshot(export(), tmp_path)
    same = export()
    same[0]["total_predictions"] = 3  # bookkeeping Label Studio changes on its own
    assert unchanged_since(same, tmp_path) == saved
    changed = copy.deepcopy(export())
    changed[0]["annotations"][0]["result"][-1]["value"]["choices"] = ["FAVOR"]
    assert unchanged_since(changed, tmp_path) is None
    more = export()
    more[0]["annotations"].append(annotation(2, "b@x", full_answer()))
    assert unchanged_since(more, tmp_path) is None


def test_no_snapshot_is_a_clear_error(tmp_path):
    with pytest.raises(CorpusError, match="no snapshot in") as err:
        latest_snapshot(tmp_path)
    assert "corpus pull" in err.value.hint


def test_annotators_are_named_by_email_where_the_server_knows_them():
    raw = [task(1, document(), [annotation(1, 7, []), annotation(2, 8, []), annotation(3, "c@x", [])])]
    named = name_annotators(raw, {7: "ana@example.org"})
    assert [a["completed_by"] for a in named[0]["annotations"]] == [
        {"id": 7, "email": "ana@example.org"},
        8,
        {"id": 99, "email": "c@x"},
    ]
    assert raw[0]["annotations"][0]["completed_by"] == 7  # the input is not changed


class ExportingClient:
    """Stands in for `annotation.client.Client` where a pull calls it: export files and users, with a call log."""

    def __init__(self, exports: dict[int, list[dict]]):
        self.exports, self.calls = exports, []

    def export_snapshot(self, project_id, path):
        self.calls.append(("export", project_id))
        path.write_text(json.dumps(self.exports[project_id]), encoding="utf-8")
        return path

    def users(self):
        self.calls.append(("users",))
        return [{"id": 7, "email": "ann@x"}]


def test_a_team_pull_asks_for_the_users_once_and_names_every_desk(tmp_path):
    doc = document()
    desk = [task(1, doc, [annotation(1, 7, full_answer())])]
    review = [task(3, doc, [annotation(3, 7, full_answer())]) | {"data": desk[0]["data"]}]  # the same text
    client = ExportingClient({10: desk, 11: copy.deepcopy(desk), 12: review})
    result = pull_team(client, {"desk 1": 10, "desk 2": 11}, 12, tmp_path)
    assert client.calls == [("export", 10), ("export", 11), ("export", 12), ("users",)]
    assert (result.tasks, result.annotations) == (1, 3) and list_snapshots(tmp_path) == [result.saved]
    merged = json.loads(result.saved.read_text(encoding="utf-8"))
    assert {a["completed_by"]["email"] for a in merged[0]["annotations"]} == {"ann@x"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    assert pull_team(client, {"desk 1": 10, "desk 2": 11}, 12, tmp_path).unchanged == result.saved


def test_a_project_pull_names_its_annotators_and_saves_only_what_is_new(tmp_path):
    client = ExportingClient({10: [task(1, document(), [annotation(1, 7, full_answer())])]})
    stages = []
    first = pull_snapshot(client, 10, tmp_path, stages.append)
    assert client.calls == [("export", 10), ("users",)]
    assert stages == ["exporting from Label Studio", "naming annotators", "comparing with the latest snapshot"]
    saved = json.loads(first.saved.read_text(encoding="utf-8"))
    assert saved[0]["annotations"][0]["completed_by"] == {"id": 7, "email": "ann@x"}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    again = pull_snapshot(client, 10, tmp_path)
    assert (again.saved, again.unchanged, again.tasks, again.annotations) == (None, first.saved, 1, 1)

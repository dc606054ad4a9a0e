"""Push against a real Label Studio: idempotence, updates, conflicts, faults."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from annotation.client import Client, ConfigRefused, LabelStudioDown
from annotation.push import push
from annotation.scheme import load_scheme, scheme_from_dict, to_label_config
from annotation.tasks import text_hash
from cleaning.errors import CorpusError
from tests.annotation.conftest import scheme_dict, write_clean_dir

pytestmark = pytest.mark.integration


@pytest.fixture
def title(request: pytest.FixtureRequest) -> str:
    """A project name of the test's own on the shared server."""
    return request.node.name.removeprefix("test_")[:50]  # Label Studio allows 50 characters


def doc_ids(client: Client, project_id: int) -> Counter:
    return Counter(t["data"]["doc_id"] for t in client.list_tasks(project_id))


def test_push_seed_corpus_then_again_changes_nothing(ls_client, seed_dir, seed_docs, title):
    first = push(seed_dir, ls_client, project_title=title)
    assert (first.project_created, first.created, first.predictions) == (True, 5, 5)
    tasks = ls_client.list_tasks(first.project_id, annotations=True)
    assert sorted(t["data"]["doc_id"] for t in tasks) == sorted(d.id for d in seed_docs)
    assert all(len(t["predictions"]) == 1 for t in tasks)
    by_id = {d.id: d for d in seed_docs}
    for task in tasks:
        doc = by_id[task["data"]["doc_id"]]
        assert task["data"]["text_hash"] == text_hash(doc.text)
        assert task["data"]["text"] == doc.text and task["data"]["title"] == doc.title
        for region in task["predictions"][0]["result"]:
            assert doc.text[region["value"]["start"]:region["value"]["end"]] == region["value"]["text"]
    project = ls_client.get_project(first.project_id)
    assert project["maximum_annotations"] == 2
    assert "Actor spans" in project["expert_instruction"]  # the guidelines, as HTML
    assert project["label_config"].split() == to_label_config(load_scheme()).split()

    second = push(seed_dir, ls_client, project_title=title)
    assert second.nothing_to_do and second.unchanged == 5 and second.created == 0
    assert second.project_id == first.project_id
    assert doc_ids(ls_client, first.project_id) == Counter({d.id: 1 for d in seed_docs})


def test_changed_document_is_updated_in_place(ls_client, tmp_path, seed_docs, title):
    first = push(write_clean_dir(tmp_path / "v1", seed_docs), ls_client, project_title=title)
    changed = seed_docs[2].evolve(text="Human Rights Watch said the Taliban detained journalists.")
    report = push(write_clean_dir(tmp_path / "v2", [*seed_docs[:2], changed, *seed_docs[3:]]), ls_client,
                  project_title=title)
    assert (report.updated, report.unchanged, report.created, report.conflicts) == (1, 4, 0, [])
    tasks = {t["data"]["doc_id"]: t for t in ls_client.list_tasks(first.project_id, annotations=True)}
    assert len(tasks) == 5
    task = tasks[changed.id]
    assert task["data"]["text"] == changed.text and task["data"]["text_hash"] == text_hash(changed.text)
    spans = [r["value"]["text"] for r in task["predictions"][0]["result"] if r["type"] == "labels"]
    assert spans == ["Human Rights Watch", "Taliban"]  # predictions follow the new text


def test_annotated_document_that_changed_is_reported_not_touched(ls_client, tmp_path, seed_docs, title):
    first = push(write_clean_dir(tmp_path / "v1", seed_docs), ls_client, project_title=title)
    task = next(t for t in ls_client.list_tasks(first.project_id) if t["data"]["doc_id"] == seed_docs[0].id)
    start = seed_docs[0].text.index("Human Rights Watch")
    result = [{"id": "a1", "from_name": "actor", "to_name": "text", "type": "labels",
               "value": {"start": start, "end": start + 18, "text": "Human Rights Watch", "labels": ["NGO"]}},
              {"from_name": "stance", "to_name": "text", "type": "choices", "value": {"choices": ["AGAINST"]}}]
    annotation = ls_client.create_annotation(task["id"], result)

    changed = seed_docs[0].evolve(text=seed_docs[0].text.replace("Afghanistanof", "Afghanistan of"))
    report = push(write_clean_dir(tmp_path / "v2", [changed, *seed_docs[1:]]), ls_client, project_title=title)
    assert report.conflicts == [(task["id"], changed.id)]
    assert (report.updated, report.created) == (0, 0)
    after = {t["data"]["doc_id"]: t for t in ls_client.list_tasks(first.project_id, annotations=True)}
    assert len(after) == 5 and doc_ids(ls_client, first.project_id)[changed.id] == 1
    kept = after[changed.id]
    assert kept["data"]["text"] == seed_docs[0].text  # the annotated text stays what was annotated
    assert [a["id"] for a in kept["annotations"]] == [annotation["id"]]
    assert kept["annotations"][0]["result"][0]["value"]["labels"] == ["NGO"]


def test_wrong_token_is_one_clear_error_without_the_token(label_studio, seed_dir):
    bad = "0" * 40
    with pytest.raises(CorpusError) as caught:
        push(seed_dir, Client(label_studio.url, bad), project_title="never created")
    assert "refused the API token (HTTP 401)" in caught.value.message
    assert label_studio.url in caught.value.message
    assert bad not in str(caught.value) and label_studio.token not in str(caught.value)


def test_server_down_is_one_clear_error(seed_dir):
    from annotation.server import free_port
    with pytest.raises(LabelStudioDown) as caught:
        push(seed_dir, Client(f"http://127.0.0.1:{free_port()}", "0" * 40, timeout=5), project_title="down")
    assert "cannot reach Label Studio" in caught.value.message
    assert "corpus serve" in caught.value.hint


def test_server_stopped_mid_push_then_rerun_gives_one_task_per_document(start_label_studio, seed_dir, seed_docs):
    ls = start_label_studio()
    client = ls.client(timeout=10)

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            ls.stop()

    with pytest.raises(LabelStudioDown) as caught:
        push(seed_dir, client, project_title="faults", batch_size=1, progress=stop_after_two)
    assert "cannot reach Label Studio" in caught.value.message
    ls.restart()
    report = push(seed_dir, client, project_title="faults", batch_size=1)
    assert (report.created, report.unchanged) == (3, 2)
    assert doc_ids(client, report.project_id) == Counter({d.id: 1 for d in seed_docs})


def test_duplicate_left_by_a_retried_import_is_removed(ls_client, seed_dir, seed_docs, title):
    first = push(seed_dir, ls_client, project_title=title)
    # what the SDK's own retry of a POST that did land would leave behind
    # (the server refuses a task without the data field the actor choice reads its options from)
    ls_client.import_tasks(first.project_id, [{"data": {"doc_id": seed_docs[1].id, "text": "copy", "actors": []}}])
    assert doc_ids(ls_client, first.project_id)[seed_docs[1].id] == 2
    report = push(seed_dir, ls_client, project_title=title)
    assert (report.duplicates_removed, report.created, report.unchanged) == (1, 0, 5)
    assert doc_ids(ls_client, first.project_id) == Counter({d.id: 1 for d in seed_docs})


def test_scheme_change_updates_config_and_dropping_a_used_label_is_refused(ls_client, seed_dir, title):
    first = push(seed_dir, ls_client, project_title=title)
    raw = scheme_dict()
    raw["actor"]["labels"].append({"value": "CRIM", "background": "#000000", "hotkey": "x"})
    grown = scheme_from_dict(raw)
    report = push(seed_dir, ls_client, scheme=grown, project_title=title)
    assert report.config_updated and report.created == 0
    assert 'value="CRIM"' in ls_client.get_project(first.project_id)["label_config"]

    task = ls_client.list_tasks(first.project_id)[0]
    text = task["data"]["text"]
    ls_client.create_annotation(task["id"], [{"id": "c1", "from_name": "actor", "to_name": "text", "type": "labels",
                                              "value": {"start": 0, "end": 4, "text": text[:4], "labels": ["CRIM"]}}])
    with pytest.raises(ConfigRefused) as caught:
        push(seed_dir, ls_client, project_title=title)  # the file's scheme, without CRIM
    assert "actor: CRIM" in caught.value.message and "left unchanged" in caught.value.message
    assert 'value="CRIM"' in ls_client.get_project(first.project_id)["label_config"]

    raw["actor"]["name"] = "actors"  # renaming a control in use
    renamed = to_label_config(scheme_from_dict(raw))
    with pytest.raises(ConfigRefused) as caught:
        push(seed_dir, ls_client, scheme=scheme_from_dict(raw), project_title=title)
    assert "the control 'actor' (1 uses)" in caught.value.message
    with pytest.raises(ConfigRefused) as caught:  # Label Studio itself refuses that one too
        ls_client.update_project(first.project_id, label_config=renamed)
    assert "refused the labelling config" in caught.value.message and "from_name=actor" in caught.value.message
    assert 'name="actor"' in ls_client.get_project(first.project_id)["label_config"]


def test_invite_link_points_at_the_signup_form(ls_client, label_studio):
    link = ls_client.invite_link()
    assert link.startswith(f"{label_studio.url}/user/signup/?token=")


def test_export_snapshot_holds_every_task_with_annotations(ls_client, seed_dir, tmp_path, title):
    import json
    first = push(seed_dir, ls_client, project_title=title)
    task = ls_client.list_tasks(first.project_id)[0]
    ls_client.create_annotation(task["id"], [{"from_name": "stance", "to_name": "text", "type": "choices",
                                              "value": {"choices": ["NONE"]}}])
    path = ls_client.export_snapshot(first.project_id, tmp_path / "export.json")
    exported = json.loads(Path(path).read_text())
    assert len(exported) == 5
    annotated = [t for t in exported if t["annotations"]]
    assert [t["id"] for t in annotated] == [task["id"]]
    assert annotated[0]["annotations"][0]["result"][0]["value"]["choices"] == ["NONE"]


def test_a_team_push_again_changes_nothing_and_new_documents_keep_the_desks(ls_client, tmp_path, seed_docs, title):
    """Desks on a real server: a rerun is idempotent; added documents are dealt out without moving earlier ones."""
    from annotation.push import push_team

    title = title[:36]  # room for " · desk N"
    first = push_team(write_clean_dir(tmp_path / "v1", seed_docs[:4]), ls_client, team=3, overlap=2,
                      project_title=title)
    before = {r.project_id: doc_ids(ls_client, r.project_id) for r in first}
    assert sum(sum(c.values()) for c in before.values()) == 4 * 2  # every document on two desks
    assert all(n == 1 for c in before.values() for n in c.values())

    again = push_team(write_clean_dir(tmp_path / "v1b", seed_docs[:4]), ls_client, team=3, overlap=2,
                      project_title=title)
    assert [r.project_id for r in again] == [r.project_id for r in first]
    assert all(r.created == 0 and r.updated == 0 for r in again)
    assert {r.project_id: doc_ids(ls_client, r.project_id) for r in again} == before

    more = push_team(write_clean_dir(tmp_path / "v2", seed_docs), ls_client, team=3, overlap=2, project_title=title)
    after = {r.project_id: doc_ids(ls_client, r.project_id) for r in more}
    for project_id, docs in before.items():
        assert all(after[project_id][d] == 1 for d in docs)  # nothing moved off a desk
    new = seed_docs[4].id
    assert sum(c[new] for c in after.values()) == 2
    loads = sorted(sum(c.values()) for c in after.values())
    assert loads[-1] - loads[0] <= 1


def test_a_push_searches_each_text_for_actors_once_for_its_options_and_its_spans(ls_client, tmp_path, seed_docs,
                                                                                  title, monkeypatch):
    """One search per document feeds both the actor choice and the pre-annotations, on every desk of a team."""
    from annotation.prelabel import load_gazetteer
    from annotation.push import push_team

    gazetteer = load_gazetteer()
    searched, find = Counter(), gazetteer.find
    monkeypatch.setattr(gazetteer, "find", lambda text: searched.update([text]) or find(text))
    report = push(write_clean_dir(tmp_path / "one", seed_docs), ls_client, gazetteer=gazetteer, project_title=title)
    assert (report.created, report.predictions) == (5, 5)
    assert searched == Counter(d.text for d in seed_docs)
    searched.clear()
    reports = push_team(write_clean_dir(tmp_path / "team", seed_docs), ls_client, team=3, overlap=2,
                        gazetteer=gazetteer, project_title=title[:36])
    assert sum(r.predictions for r in reports) == 5 * 2
    assert searched == Counter(d.text for d in seed_docs)

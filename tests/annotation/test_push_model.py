"""`push --model` against a real Label Studio: model versions, least sure first, idempotent re-push, a new model."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from annotation.client import SEQUENTIAL_SAMPLING, UNCERTAINTY_SAMPLING, Client
from annotation.model import load_model
from annotation.prelabel import MODEL_VERSION, load_gazetteer, predict, validate_prediction
from annotation.push import push
from annotation.scheme import load_scheme
from exports.train import train
from tests.annotation.conftest import seed_documents, write_clean_dir

pytestmark = pytest.mark.integration


@pytest.fixture
def title(request: pytest.FixtureRequest) -> str:
    return request.node.name.removeprefix("test_")[:50]


def held_out(trained) -> list:
    """Six synthetic articles of the export's test split: the model never trained on them."""
    gold = (trained.export_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    split = {r["doc_id"]: r["split"] for r in map(json.loads, gold)}
    return [a.doc for a in trained.articles if split.get(a.doc.id) == "test"][:6]


@pytest.fixture
def clean_dir(tmp_path, trained):
    """The five seed articles and six synthetic test-split articles the model never trained on."""
    return write_clean_dir(tmp_path / "clean", [*seed_documents(), *held_out(trained)])


def predictions_by_doc(client: Client, project_id: int) -> dict[str, list[dict]]:
    return {t["data"]["doc_id"]: t["predictions"] for t in client.list_tasks(project_id, annotations=True)}


def stance_answer() -> list[dict]:
    return [{"from_name": "stance", "to_name": "text", "type": "choices", "value": {"choices": ["NONE"]}}]


def test_merged_predictions_keep_every_gazetteer_result_and_name_both(ls_client, clean_dir, trained, title):
    model, scheme = load_model(trained.model_dir), load_scheme()
    report = push(clean_dir, ls_client, project_title=title, model=model, overlap=1)
    wanted = f"{MODEL_VERSION}+{model.model_version}"
    assert (report.created, report.predictions, report.model_version) == (11, 11, wanted)
    gazetteer = load_gazetteer()
    docs = {d.id: d for d in [*seed_documents(), *held_out(trained)]}
    for doc_id, predictions in predictions_by_doc(ls_client, report.project_id).items():
        assert len(predictions) == 1
        prediction, doc = predictions[0], docs[doc_id]
        assert prediction["model_version"] == wanted
        assert validate_prediction(prediction, doc.text, scheme) == []
        own = predict(doc.text, doc.meta.get("date"), gazetteer, scheme)
        kept = [r for r in prediction["result"] if r.get("id", "").startswith("g")]
        assert kept == (own["result"] if own else [])  # the gazetteer's regions, countries and all, unchanged
        model_spans = [r for r in prediction["result"] if r["type"] == "labels" and r["id"].startswith("m")]
        for span in model_spans:  # the gazetteer wins: no model span overlaps one of its spans
            assert not any(span["value"]["start"] < g["value"]["end"] and g["value"]["start"] < span["value"]["end"]
                           for g in kept if g["type"] == "labels")
        guess = model.guess(doc.text)
        assert prediction["score"] == pytest.approx(guess.certainty, abs=1e-6)
        assert [r["value"]["choices"] for r in prediction["result"] if r["from_name"] == "stance"] == \
            [[guess.stance_label]]
    project = ls_client.get_project(report.project_id)
    assert (project["sampling"], project["model_version"]) == (UNCERTAINTY_SAMPLING, wanted)


def test_the_least_sure_document_comes_first_and_so_on(ls_client, clean_dir, trained, title):
    report = push(clean_dir, ls_client, project_title=title, model=load_model(trained.model_dir), prelabel=False,
                  overlap=1)
    scores = {t["id"]: t["predictions"][0]["score"] for t in ls_client.list_tasks(report.project_id, annotations=True)}
    assert len(set(scores.values())) == len(scores)  # no ties: the order is the model's alone
    served = []
    while (task := ls_client.next_task(report.project_id)) is not None:
        served.append(task["id"])
        ls_client.create_annotation(task["id"], stance_answer())
    assert served == sorted(scores, key=scores.get)
    assert scores[served[0]] < scores[served[-1]]


def test_model_alone_is_named_by_the_model(ls_client, clean_dir, trained, title):
    model = load_model(trained.model_dir)
    report = push(clean_dir, ls_client, project_title=title, model=model, prelabel=False)
    predictions = predictions_by_doc(ls_client, report.project_id)
    assert {p["model_version"] for ps in predictions.values() for p in ps} == {model.model_version}
    assert all(r["id"].startswith("m") for ps in predictions.values() for r in ps[0]["result"] if "id" in r)


def test_repush_is_idempotent_and_a_new_model_repredicts_what_nobody_answered(
        ls_client, clean_dir, trained, tmp_path, title):
    first_model = load_model(trained.model_dir)
    first = push(clean_dir, ls_client, project_title=title, model=first_model)
    again = push(clean_dir, ls_client, project_title=title, model=first_model)
    assert again.nothing_to_do and (again.created, again.updated, again.repredicted) == (0, 0, 0)
    tasks = ls_client.list_tasks(first.project_id, annotations=True)
    assert len({t["data"]["doc_id"] for t in tasks}) == len(tasks) == 11  # one task per document
    assert all(len(t["predictions"]) == 1 for t in tasks)

    answered = tasks[0]
    ls_client.create_annotation(answered["id"], stance_answer())
    train(trained.export_dir, tmp_path / "model-2", max_epochs=3, seed=99)
    retrained = load_model(tmp_path / "model-2")
    assert retrained.model_version != first_model.model_version
    second = push(clean_dir, ls_client, project_title=title, model=retrained)
    wanted = f"{MODEL_VERSION}+{retrained.model_version}"
    assert (second.repredicted, second.created, second.updated, second.model_version) == (10, 0, 0, wanted)
    after = {t["id"]: t for t in ls_client.list_tasks(first.project_id, annotations=True)}
    assert len(after) == 11 and all(len(t["predictions"]) == 1 for t in after.values())
    assert after[answered["id"]]["predictions"][0]["model_version"] == f"{MODEL_VERSION}+{first_model.model_version}"
    assert {t["predictions"][0]["model_version"] for i, t in after.items() if i != answered["id"]} == {wanted}
    assert ls_client.get_project(first.project_id)["model_version"] == wanted
    scores = {i: t["predictions"][0]["score"] for i, t in after.items() if i != answered["id"]}
    assert ls_client.next_task(first.project_id)["id"] == min(scores, key=scores.get)
    assert push(clean_dir, ls_client, project_title=title, model=retrained).nothing_to_do

    plain = push(clean_dir, ls_client, project_title=title)  # back to the gazetteer alone: the order by id
    assert plain.repredicted == 10 and plain.model_version is None
    versions = {t["predictions"][0]["model_version"] if t["predictions"] else None
                for i, t in ((t["id"], t) for t in ls_client.list_tasks(first.project_id, annotations=True))
                if i != answered["id"]}
    assert versions <= {MODEL_VERSION, None}
    project = ls_client.get_project(first.project_id)
    assert (project["sampling"], project["model_version"]) == (SEQUENTIAL_SAMPLING, MODEL_VERSION)
    assert push(clean_dir, ls_client, project_title=title).nothing_to_do


def test_a_push_lists_the_project_s_tasks_once_even_when_it_repredicts(ls_client, clean_dir, trained, title,
                                                                       monkeypatch):
    """The sync's listing serves the re-prediction too: the real client, counted on its way to the server."""
    listed, list_tasks = [], ls_client.list_tasks
    monkeypatch.setattr(ls_client, "list_tasks", lambda *args, **kw: listed.append(args) or list_tasks(*args, **kw))
    first = push(clean_dir, ls_client, project_title=title, model=load_model(trained.model_dir))
    assert (first.created, len(listed)) == (11, 1)
    plain = push(clean_dir, ls_client, project_title=title)  # re-predicts the model's tasks and orders them by id
    assert (plain.repredicted, len(listed)) == (11, 2)


def test_a_team_push_runs_the_model_once_per_document_and_every_desk_gets_its_guess(ls_client, clean_dir, trained,
                                                                                     title, monkeypatch):
    from annotation.push import push_team

    model = load_model(trained.model_dir)
    ran, guess = Counter(), model.guess
    monkeypatch.setattr(model, "guess", lambda text: ran.update([text]) or guess(text))
    reports = push_team(clean_dir, ls_client, team=3, overlap=2, model=model, project_title=title[:36])
    assert sum(r.created for r in reports) == sum(r.predictions for r in reports) == 11 * 2
    docs = [*seed_documents(), *held_out(trained)]
    assert ran == Counter(d.text for d in docs)  # once each, though every document sits on two desks
    for report in reports:
        for doc_id, predictions in predictions_by_doc(ls_client, report.project_id).items():
            text = next(d.text for d in docs if d.id == doc_id)
            assert predictions[0]["score"] == pytest.approx(guess(text).certainty, abs=1e-6)

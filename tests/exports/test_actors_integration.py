"""Actor ids the whole way round against a real Label Studio: push, annotate, pull, export, learn, push again.

The seed corpus is pushed with the gazetteer; two annotators accept its
suggestions (each span with the actor id the prediction carries), mark one
actor the gazetteer lacks as a new actor with a typed name, and draw a
stance from it to the Taliban. The export must give every gold span its
actor id, and the network files must load in pandas and networkx; `corpus
actors learn` then writes the new actor into a gazetteer that the next push
offers and pre-annotates.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from annotation.client import Client
from annotation.gazetteer import GAZETTEER_FILE, load_gazetteer
from annotation.push import push
from annotation.server import add_annotator
from cleaning.pipeline import clean_corpus
from cleaning.writers import write_outputs
from exports.learn import learn_actors, read_gold, write_gazetteer
from exports.pipeline import export_gold, load_documents
from exports.snapshots import pull_snapshot

pytestmark = pytest.mark.integration

SEEDS = Path(__file__).resolve().parents[2] / "corpus" / "raw"
NEW = "Western allies"  # in seed 000, and in no gazetteer entry


def accepted(prediction: dict) -> list[dict]:
    """The annotator keeps every suggestion, giving an UNSURE one the label GOV (the seeds are undated)."""
    result = json.loads(json.dumps(prediction["result"]))
    for r in result:
        if r["from_name"] == "actor" and r["value"]["labels"] == ["UNSURE"]:
            r["value"]["labels"] = ["GOV"]
    return result


def with_new_actor(text: str, result: list[dict]) -> list[dict]:
    """Add NEW as a new actor with a typed name, and its stance OPPOSES toward the first Taliban span."""
    start = text.index(NEW)
    where = {"start": start, "end": start + len(NEW), "text": NEW}
    taliban = next(r["id"] for r in result if r["from_name"] == "actor" and r["value"]["text"] == "Taliban")
    return result + [
        {"id": "n1", "from_name": "actor", "to_name": "text", "type": "labels", "value": where | {"labels": ["GOV"]}},
        {"id": "n1", "from_name": "country", "to_name": "text", "type": "choices", "value": where | {"choices": ["OTHER"]}},
        {"id": "n1", "from_name": "actor_id", "to_name": "text", "type": "choices", "value": where | {"choices": ["new"]}},
        {"id": "n1", "from_name": "actor_name", "to_name": "text", "type": "textarea",
         "value": {"start": start, "end": start + len(NEW), "text": ["Western allies of Kabul"]}},
        {"from_id": "n1", "to_id": taliban, "type": "relation", "direction": "right", "labels": ["OPPOSES"]},
    ]


def test_actor_ids_survive_push_annotation_pull_export_and_learn(label_studio, tmp_path):
    clean = tmp_path / "clean"
    write_outputs(clean_corpus(SEEDS, workers=1), clean)
    docs = {d.source[:3]: d for d in load_documents(clean / "documents.jsonl").values()}
    admin = label_studio.client()
    project_id = push(clean, admin, project_title="actors round trip").project_id
    tasks = {t["data"]["doc_id"]: t for t in admin.list_tasks(project_id, annotations=True)}
    first = tasks[docs["000"].id]
    # the task offers the gazetteer actors its text names, then "new"; the suggestions carry their ids
    options = [o["value"] for o in first["data"]["actors"]]
    assert options[0] == "Q42418" and options[-1] == "new" and NEW not in json.dumps(first["data"]["actors"])
    predicted = {r["value"]["text"]: r["value"]["choices"][0] for r in first["predictions"][0]["result"]
                 if r["from_name"] == "actor_id"}
    assert predicted["Taliban"] == "Q42418" and set(predicted.values()) <= set(options)

    people = [Client(label_studio.url, add_annotator(email, "annotate-123", label_studio.data_dir,
                                                      label_studio.env_file)) for email in ("cy@x.org", "di@x.org")]
    for doc_id, t in tasks.items():
        result = accepted(t["predictions"][0])
        if doc_id == docs["000"].id:
            result = with_new_actor(t["data"]["text"], result)
        result.append({"from_name": "stance", "to_name": "text", "type": "choices", "value": {"choices": ["NONE"]}})
        for person in people:
            person.create_annotation(t["id"], result)

    snapshot = pull_snapshot(admin, project_id, tmp_path / "annotations").saved
    summary = export_gold(snapshot, clean / "documents.jsonl", tmp_path / "gold" / "v1")
    assert summary.gold == 5 and summary.conflicts == 0
    records = {r["doc_id"]: r for r in map(json.loads, (summary.folder / "gold.jsonl").read_text().splitlines())}
    for doc_id, t in tasks.items():
        given = {(r["value"]["start"], r["value"]["choices"][0]) for r in t["predictions"][0]["result"]
                 if r["from_name"] == "actor_id"}
        gold = {(s["start"], s["actor_id"]) for s in records[doc_id]["spans"] if s["text"] != NEW}
        assert gold == given, doc_id
    [new] = [s for s in records[docs["000"].id]["spans"] if s["text"] == NEW]
    assert (new["actor_id"], new["actor_name"]) == ("new:western-allies-of-kabul", "Western allies of Kabul")

    actors = pd.read_csv(summary.folder / "actors.csv", keep_default_na=False).set_index("id")
    assert actors.loc["new:western-allies-of-kabul", "name"] == "Western allies of Kabul"
    assert actors.loc["Q42418", "name"] == "Taliban" and actors.loc["Q42418", "documents"] == 5
    edges = pd.read_csv(summary.folder / "stance_edges.csv", keep_default_na=False)
    assert list(edges[["source", "target", "stance", "doc_id"]].itertuples(index=False, name=None)) == [
        ("new:western-allies-of-kabul", "Q42418", "OPPOSES", docs["000"].id)]
    assert NEW in edges.loc[0, "sentence"] and "Taliban" in edges.loc[0, "sentence"]
    graph = nx.read_graphml(summary.folder / "stance_network.graphml", force_multigraph=True)
    assert graph.edges["new:western-allies-of-kabul", "Q42418", "OPPOSES"]["count"] == 1
    assert set(graph) == set(actors.index)

    learned = tmp_path / "learned.yaml"
    write_gazetteer(GAZETTEER_FILE, learn_actors(read_gold(summary.folder), load_gazetteer()),
                    learned, source="v1")
    again = push(clean, admin, gazetteer=load_gazetteer(learned), project_title="actors round trip 2")
    [task] = [t for t in admin.list_tasks(again.project_id, annotations=True) if t["data"]["doc_id"] == docs["000"].id]
    assert "local:western-allies-of-kabul" in [o["value"] for o in task["data"]["actors"]]
    suggested = {r["value"]["text"]: r["value"]["choices"][0] for r in task["predictions"][0]["result"]
                 if r["from_name"] == "actor_id"}
    assert suggested[NEW] == "local:western-allies-of-kabul"

"""The stance network on a tiny gold set: actor ids from the spans, edges from the relations, every file read back."""

import json

import datasets
import networkx as nx
import pandas as pd
import pytest
import spacy
from spacy.tokens import DocBin

from tests.exports.factories import (
    actor_id,
    annotation,
    document,
    export_tiny,
    new_actor,
    relation,
    span,
    stance,
    task,
)

ALIAS_RAW = "The Islamic Emirate said the United States broke the deal. Qatar kept quiet."
ARMY_RAW = "Pakistan's army backed the Taliban on Monday.\nThe Taliban thanked them."


def answer(text: str, us: str | None = "Q30", stance_value: str = "AGAINST") -> list[dict]:
    """The Taliban (Q42418) and the United States (id `us`, none if None), the US OPPOSES the Taliban."""
    result = [*span(text, "Taliban", "GOV", "r1", "AFG"), actor_id(text, "Taliban", "r1", "Q42418"),
              *span(text, "United States", "GOV", "r2", "USA")]
    if us:
        result.append(actor_id(text, "United States", "r2", us))
    return result + [relation("r2", "r1", "OPPOSES"), stance(stance_value)]


def corpus():
    plain = [document(f"d{i}", meta={"date": f"2022-0{i + 1}-01"}) for i in range(3)]
    alias = document("d3", raw=ALIAS_RAW, meta={"date": "2021-09-01"})
    army = document("d4", raw=ARMY_RAW, meta={"date": "2020-05-04"})
    alias_answer = [*span(alias.text, "Islamic Emirate", "GOV", "r1", "AFG"),
                    actor_id(alias.text, "Islamic Emirate", "r1", "Q42418"),
                    *span(alias.text, "United States", "GOV", "r2", "USA"),
                    actor_id(alias.text, "United States", "r2", "Q30"),
                    relation("r2", "r1", "OPPOSES"), stance("NONE")]
    army_answer = [*span(army.text, "Pakistan's army", "MIL", "r1", "PAK"),
                   *new_actor(army.text, "Pakistan's army", "r1", "Pakistan Army"),
                   *span(army.text, "Taliban", "REB", "r2", "AFG"), actor_id(army.text, "Taliban", "r2", "Q42418"),
                   relation("r1", "r2", "SUPPORTS"), stance("FAVOR")]
    tasks = [
        task(1, plain[0], [annotation(1, "a@x", answer(plain[0].text)), annotation(2, "b@x", answer(plain[0].text))]),
        # the two disagree on which actor "United States" is: that attribute stays open, the document held back
        task(2, plain[1], [annotation(3, "a@x", answer(plain[1].text)),
                           annotation(4, "b@x", answer(plain[1].text, us="local:us-state-department"))]),
        # nobody linked "United States" to an actor: its relation cannot join the network
        task(3, plain[2], [annotation(5, "a@x", answer(plain[2].text, us=None))]),
        task(4, alias, [annotation(6, "a@x", alias_answer), annotation(7, "b@x", alias_answer)]),
        task(5, army, [annotation(8, "a@x", army_answer),
                       annotation(9, "b@x", army_answer[:-4] + [*new_actor(army.text, "Pakistan's army", "r1", "Pakistan  army")]
                                  + army_answer[-4:])]),
    ]
    return [*plain, alias, army], tasks


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("network")
    summary = export_tiny(root, *corpus())
    assert summary.gold == 4 and summary.held_back == 1
    return summary.folder


def test_gold_spans_carry_their_actor_id_and_a_disputed_id_stays_open(folder):
    records = {r["doc_id"]: r for r in map(json.loads, (folder / "gold.jsonl").read_text().splitlines())}
    assert sorted(records) == ["d0", "d2", "d3", "d4"]
    assert {(s["text"], s["actor_id"]) for s in records["d0"]["spans"]} == {("Taliban", "Q42418"), ("United States", "Q30")}
    assert {(s["text"], s["actor_id"]) for s in records["d2"]["spans"]} == {("Taliban", "Q42418"), ("United States", None)}
    army = next(s for s in records["d4"]["spans"] if s["text"] == "Pakistan's army")
    # "Pakistan Army" and "Pakistan  army" make one id; the name typed first on a tie is kept
    assert (army["actor_id"], army["actor_name"]) == ("new:pakistan-army", "Pakistan Army")
    [conflict] = map(json.loads, (folder / "conflicts.jsonl").read_text().splitlines())
    assert (conflict["doc_id"], conflict["kind"], conflict["item"]["attribute"]) == ("d1", "attribute", "actor_id")
    assert conflict["answers"] == {"a@x": "Q30", "b@x": "local:us-state-department"}


def test_every_dataset_keeps_the_actor_id(folder):
    table = pd.read_parquet(folder / "gold.parquet")
    ids = {s["text"]: s["actor_id"] for spans in table["spans"] for s in spans}
    assert ids["Islamic Emirate"] == "Q42418" and ids["Pakistan's army"] == "new:pakistan-army"
    csv = pd.read_csv(folder / "gold.csv")
    assert "new:pakistan-army" in {s["actor_id"] for cell in csv["spans"] for s in json.loads(cell)}
    hf = datasets.load_from_disk(str(folder / "hf"))
    assert {s["actor_id"] for split in hf for row in hf[split] for s in row["spans"]} == {
        "Q42418", "Q30", "new:pakistan-army", None}
    nlp = spacy.blank("en")
    kb = {(s.text, s.kb_id_) for split in ("train", "dev", "test")
          for doc in DocBin().from_disk(folder / f"{split}.spacy").get_docs(nlp.vocab) for s in doc.spans["gold"]}
    assert ("Islamic Emirate", "Q42418") in kb and ("United States", "") in kb


def test_actors_csv_has_one_row_per_actor_with_its_aliases(folder):
    actors = pd.read_csv(folder / "actors.csv", keep_default_na=False).set_index("id")
    assert sorted(actors.index) == ["Q30", "Q42418", "new:pakistan-army"]
    taliban = actors.loc["Q42418"]
    # d0, d2, d3 (as "Islamic Emirate"), d4: four mentions in four documents, most often GOV
    assert (taliban["name"], taliban["label"], taliban["country"], taliban["mentions"], taliban["documents"]) == (
        "Taliban", "GOV", "AFG", 4, 4)
    assert taliban["aliases"] == "Islamic Emirate; Taliban" and taliban["source"] == "gazetteer"
    army = actors.loc["new:pakistan-army"]
    assert (army["name"], army["label"], army["country"], army["source"]) == ("Pakistan Army", "MIL", "PAK", "annotator")


def test_stance_edges_hold_document_date_and_sentence(folder):
    edges = pd.read_csv(folder / "stance_edges.csv", keep_default_na=False)
    rows = {(r.source, r.target, r.stance, r.doc_id, r.date) for r in edges.itertuples()}
    assert rows == {("Q30", "Q42418", "OPPOSES", "d0", "2022-01-01"), ("Q30", "Q42418", "OPPOSES", "d3", "2021-09-01"),
                    ("new:pakistan-army", "Q42418", "SUPPORTS", "d4", "2020-05-04")}
    sentence = edges.set_index("doc_id").loc["d3"]
    assert sentence["sentence"] == "The Islamic Emirate said the United States broke the deal."
    assert (sentence["source_name"], sentence["target_name"], sentence["target_text"]) == (
        "United States", "Taliban", "Islamic Emirate")
    assert edges.set_index("doc_id").loc["d4"]["sentence"] == "Pakistan's army backed the Taliban on Monday."


def test_graphml_reads_back_with_one_edge_per_stance_and_counts(folder):
    graph = nx.read_graphml(folder / "stance_network.graphml", force_multigraph=True)
    assert isinstance(graph, nx.MultiDiGraph) and sorted(graph) == ["Q30", "Q42418", "new:pakistan-army"]
    assert graph.nodes["Q42418"]["name"] == "Taliban" and graph.nodes["Q42418"]["mentions"] == 4
    oppose = graph.edges["Q30", "Q42418", "OPPOSES"]
    assert (oppose["count"], oppose["documents"], oppose["doc_ids"]) == (2, 2, "d0; d3")
    assert graph.number_of_edges() == 2


def test_the_card_shows_the_network_picture_and_counts(folder):
    card = (folder / "README.md").read_text()
    assert "![The stance network: nodes by sector, edges by stance](stance_network.png)" in card
    assert "3 actors (1 annotator, 2 gazetteer); 3 gold relations (2 OPPOSES, 1 SUPPORTS)" in card
    assert "1 relation(s) left out because an end has no actor id" in card
    assert (folder / "stance_network.png").read_bytes().startswith(b"\x89PNG")

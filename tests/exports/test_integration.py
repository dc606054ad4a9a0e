"""The whole way round against a real Label Studio: push, annotate as two people, pull, export, load.

The seed corpus is cleaned by the real cleaner, pushed, and annotated through
the API by two annotators who log in with their own tokens: they agree on three
documents, disagree on the stance of one (a conflict) and on a label of another,
which a ground-truth annotation then settles. Every dataset is loaded back by its
consumer library and must give back the labels that were entered.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import datasets
import pandas as pd
import pytest
import spacy
from spacy.tokens import DocBin

from annotation.client import TOKEN_KEY, URL_KEY, Client, read_env_file
from annotation.push import push
from annotation.server import add_annotator
from cleaning.pipeline import clean_corpus
from cleaning.writers import write_outputs
from exports.pipeline import export_gold, load_documents
from exports.snapshots import list_snapshots, pull_snapshot
from exports.writers import read_conll

pytestmark = pytest.mark.integration

SEEDS = Path(__file__).resolve().parents[2] / "corpus" / "raw"
TITLE = "exports round trip"
ANNOTATORS = ("ana@example.org", "bo@example.org")


def region(text: str, phrase: str, label: str, rid: str, country: str) -> list[dict]:
    """A span on the first occurrence of `phrase`, with its per-region country choice."""
    start = text.index(phrase)
    value = {"start": start, "end": start + len(phrase), "text": phrase}
    return [
        {
            "id": rid,
            "from_name": "actor",
            "to_name": "text",
            "type": "labels",
            "value": value | {"labels": [label]},
        },
        {
            "id": rid,
            "from_name": "country",
            "to_name": "text",
            "type": "choices",
            "value": value | {"choices": [country]},
        },
    ]


def answer(text: str, stance: str, taliban: str = "GOV") -> list[dict]:
    """An annotator's answer: two actors, a relation from the Taliban to Afghanistan, the stance."""
    return [
        *region(text, "Taliban", taliban, "t1", "AFG"),
        *region(text, "Afghanistan", "OTHER", "t2", "AFG"),
        {"from_id": "t1", "to_id": "t2", "type": "relation", "direction": "right", "labels": ["OPPOSES"]},
        {"from_name": "stance", "to_name": "text", "type": "choices", "value": {"choices": [stance]}},
    ]


# what each annotator enters per document (by position in the seed corpus), and the gold it must give
PLAN = [
    ({"ana": ("AGAINST", "GOV"), "bo": ("AGAINST", "GOV")}, ("AGAINST", "GOV")),
    ({"ana": ("FAVOR", "GOV"), "bo": ("FAVOR", "GOV")}, ("FAVOR", "GOV")),
    ({"ana": ("NONE", "GOV"), "bo": ("NONE", "GOV")}, ("NONE", "GOV")),
    ({"ana": ("AGAINST", "GOV"), "bo": ("FAVOR", "GOV")}, None),  # stance tie: a conflict
    ({"ana": ("AGAINST", "GOV"), "bo": ("AGAINST", "REB")}, ("AGAINST", "REB")),  # settled by ground truth
]


def corpus_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "160", "NO_COLOR": "1", **env},
    )


def test_push_annotate_pull_export_and_load_every_dataset(label_studio, tmp_path):
    clean_dir = tmp_path / "clean"
    write_outputs(clean_corpus(SEEDS, workers=1), clean_dir)
    docs = sorted(load_documents(clean_dir / "documents.jsonl").values(), key=lambda d: d.source)
    admin = label_studio.client()
    project_id = push(clean_dir, admin, project_title=TITLE, prelabel=False).project_id
    tasks = {t["data"]["doc_id"]: t["id"] for t in admin.list_tasks(project_id)}

    people = {}
    for email in ANNOTATORS:
        token = add_annotator(email, "annotate-123", label_studio.data_dir, label_studio.env_file)
        people[email.split("@")[0]] = Client(label_studio.url, token)
    for doc, (entered, _) in zip(docs, PLAN, strict=True):
        for name, (stance, label) in entered.items():
            people[name].create_annotation(tasks[doc.id], answer(doc.text, stance, label))

    snapshots = tmp_path / "annotations"
    first = pull_snapshot(admin, project_id, snapshots)
    assert first.saved is not None and (first.tasks, first.annotations) == (5, 10)
    env = {URL_KEY: label_studio.url, TOKEN_KEY: label_studio.token}
    again = corpus_cli("pull", "--project", TITLE, "--out", str(snapshots), env=env)
    assert again.returncode == 0, again.stderr
    assert f"nothing new since {first.saved}" in again.stdout and list_snapshots(snapshots) == [first.saved]

    settled = docs[4]
    admin.create_annotation(tasks[settled.id], answer(settled.text, "AGAINST", "REB"), ground_truth=True)
    second = pull_snapshot(admin, project_id, snapshots)
    assert second.saved is not None and second.saved != first.saved and second.annotations == 11
    export = json.loads(second.saved.read_text())
    emails = {a["completed_by"]["email"] for t in export for a in t["annotations"]}
    assert set(ANNOTATORS) <= emails

    curator = read_env_file(label_studio.env_file)["LABEL_STUDIO_USERNAME"]
    summary = export_gold(second.saved, clean_dir / "documents.jsonl", tmp_path / "gold" / "v1", curators=[curator])
    expected = {doc.id: gold for doc, (_, gold) in zip(docs, PLAN, strict=True) if gold}
    assert summary.gold == 4 and summary.conflicts == 1 and summary.held_back == 1 and summary.excluded == 0
    # per document: stance, two spans, two countries, one relation; the label tie is adjudicated, the
    # stance tie left open, everything else agreed at once
    assert {kind: counts["adjudicated"] for kind, counts in summary.items.items()}["span"] == 1
    assert sum(c["open"] for c in summary.items.values()) == 1
    assert sum(c["agreed"] for c in summary.items.values()) == 5 * 6 - 2 - 1  # REB span's country settled with it
    folder = summary.folder
    [conflict] = map(json.loads, (folder / "conflicts.jsonl").read_text().splitlines())
    assert (conflict["doc_id"], conflict["kind"]) == (docs[3].id, "stance")
    assert conflict["answers"] == {"ana@example.org": "AGAINST", "bo@example.org": "FAVOR"}
    [pair] = summary.agreement["stance"]["pairs"]  # the admin's ground truth is no annotator's answer
    assert (pair["first_annotator"], pair["second_annotator"], pair["documents"], pair["agreement"]) == (
        *ANNOTATORS,
        5,
        0.8,
    )
    assert summary.agreement["spans"]["exact"]["per_label"]["REB"]["matched"] == 0

    check_gold_jsonl(folder, expected, {d.id: d for d in docs})
    check_tables(folder, expected)
    check_spacy(folder, expected)
    check_hugging_face(folder, expected)
    check_conll_and_stance(folder, expected)


def spans_of(expected_label: str) -> list[tuple[str, str]]:
    return sorted([("Taliban", expected_label), ("Afghanistan", "OTHER")])


def check_gold_jsonl(folder, expected, docs):
    records = {r["doc_id"]: r for r in map(json.loads, (folder / "gold.jsonl").read_text().splitlines())}
    assert set(records) == set(expected)
    for doc_id, (stance, label) in expected.items():
        record = records[doc_id]
        assert record["stance"] == stance and record["target"] == "the Taliban"
        assert sorted((s["text"], s["label"]) for s in record["spans"]) == spans_of(label)
        assert [s["country"] for s in record["spans"]] == ["AFG", "AFG"]
        assert [r["label"] for r in record["relations"]] == ["OPPOSES"]
        raw = (SEEDS / docs[doc_id].source).read_text(encoding="utf-8").replace("\r\n", "\n")
        for s in record["spans"]:
            assert "".join(raw[s["raw_start"] : s["raw_end"]].split()) == "".join(s["text"].split())
    assert records[list(expected)[-1]]["resolution"] == "adjudicated"


def check_tables(folder, expected):
    for table in (pd.read_parquet(folder / "gold.parquet"), pd.read_csv(folder / "gold.csv")):
        assert sorted(table["doc_id"]) == sorted(expected)
        for row in table.itertuples():
            stance, label = expected[row.doc_id]
            spans = json.loads(row.spans) if isinstance(row.spans, str) else row.spans
            assert row.stance == stance and sorted((s["text"], s["label"]) for s in spans) == spans_of(label)


def check_spacy(folder, expected):
    nlp = spacy.blank("en")
    docs = {}
    for split in ("train", "dev", "test"):
        docs |= {d.user_data["doc_id"]: d for d in DocBin().from_disk(folder / f"{split}.spacy").get_docs(nlp.vocab)}
    assert set(docs) == set(expected)
    for doc_id, (stance, label) in expected.items():
        doc = docs[doc_id]
        assert max(doc.cats, key=doc.cats.get) == stance
        assert sorted((e.text, e.label_) for e in doc.ents) == spans_of(label)


def check_hugging_face(folder, expected):
    dataset = datasets.load_from_disk(str(folder / "hf"))
    rows = {row["doc_id"]: (row, split) for split in dataset for row in dataset[split]}
    assert set(rows) == set(expected)
    for doc_id, (stance, label) in expected.items():
        row, split = rows[doc_id]
        features = dataset[split].features
        assert features["stance"].int2str(row["stance"]) == stance
        tags = [features["ner_tags"].feature.int2str(t) for t in row["ner_tags"]]
        tagged = sorted((tok, tag) for tok, tag in zip(row["tokens"], tags, strict=True) if tag != "O")
        assert tagged == sorted([("Taliban", f"B-{label}"), ("Afghanistan", "B-OTHER")])
        assert [features["relations"].feature["label"].int2str(r["label"]) for r in row["relations"]] == ["OPPOSES"]


def check_conll_and_stance(folder, expected):
    tagged, stances = {}, []
    for split in ("train", "dev", "test"):
        tagged |= read_conll(folder / "conll" / f"{split}.conll")
        stances.append(pd.read_csv(folder / "stance" / f"{split}.tsv", sep="\t", keep_default_na=False))
    table = pd.concat(stances).set_index("ID")
    for doc_id, (stance, label) in expected.items():
        assert sorted(p for p in tagged[doc_id] if p[1] != "O") == sorted(
            [("Taliban", f"B-{label}"), ("Afghanistan", "B-OTHER")]
        )
        assert table.loc[doc_id, "Stance"] == stance

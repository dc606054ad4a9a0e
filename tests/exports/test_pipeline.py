"""A whole export on a tiny corpus, each dataset loaded back by its consumer library."""

import json

import datasets
import pandas as pd
import pytest
import spacy
from spacy.tokens import DocBin
from spacy.training import Corpus

from cleaning.errors import CorpusError
from exports import pipeline, writers
from exports.pipeline import export_gold
from exports.writers import read_conll
from tests.exports.factories import RAW, annotation, document, export_tiny, full_answer, span, stance, task

STANCES = ("FAVOR", "AGAINST", "NONE")
FORMULA_RAW = "-5 killed, said " + RAW  # a text a spreadsheet would run as a formula


def corpus():
    """Twelve documents: agreed answers, one conflict, one overlap, one drifted span, one formula text."""
    docs = [document(f"d{i:02}") for i in range(10)]
    docs.append(document("d10", raw=FORMULA_RAW).evolve(title='=HYPERLINK("http://x")'))
    docs.append(document("d11"))
    tasks = []
    for i, doc in enumerate(docs[:10]):
        answer = full_answer(stance_value=STANCES[i % 3], taliban=("GOV", "MIL", "REB")[i % 3])
        tasks.append(task(i + 1, doc, [annotation(2 * i + 1, "a@x", answer), annotation(2 * i + 2, "b@x", answer)]))
    formula_text = docs[10].text
    overlapping = [
        *span(formula_text, "Taliban", "GOV", "r1"),
        *span(formula_text, "The Taliban", "MIL", "r2"),
        *span(formula_text, "United States", "GOV", "r3", shift=1),
        stance("AGAINST"),
    ]
    tasks.append(task(11, docs[10], [annotation(30, "a@x", overlapping)]))
    tasks.append(
        task(
            12,
            docs[11],
            [
                annotation(31, "a@x", full_answer(stance_value="FAVOR")),
                annotation(32, "b@x", full_answer(stance_value="NONE")),
            ],
        )
    )
    return docs, tasks


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    docs, tasks = corpus()
    summary = export_tiny(root, docs, tasks)
    return summary, summary.folder, tasks


def expected_labels(tasks):
    """{doc_id: (stance, [(text, label), ...])} from the answers entered, for resolved tasks."""
    out = {}
    for t in tasks:
        results = t["annotations"][0]["result"]
        stances = {a["result"][-1]["value"]["choices"][0] for a in t["annotations"]}
        if len(stances) == 1:
            spans = sorted(
                (r["value"]["text"], r["value"]["labels"][0]) for r in results if r.get("from_name") == "actor"
            )
            out[t["data"]["doc_id"]] = (stances.pop(), spans)
    return out


def test_summary_counts_gold_conflicts_and_realigned_spans(exported):
    summary, folder, tasks = exported
    assert summary.gold == 11 and summary.conflicts == 1 and summary.realigned == 1 and summary.excluded == 0
    assert sum(summary.per_split.values()) == 11
    conflicts = [json.loads(line) for line in (folder / "conflicts.jsonl").read_text().splitlines()]
    assert [(c["doc_id"], c["kind"], c["answers"]) for c in conflicts] == [
        ("d11", "stance", {"a@x": "FAVOR", "b@x": "NONE"})
    ]
    checks = [json.loads(line) for line in (folder / "span_checks.jsonl").read_text().splitlines()]
    assert [(c["doc_id"], c["action"]) for c in checks] == [("d10", "realigned")]
    assert not [p for p in folder.parent.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_gold_jsonl_has_the_entered_labels_and_raw_offsets(exported):
    _, folder, tasks = exported
    records = {r["doc_id"]: r for r in map(json.loads, (folder / "gold.jsonl").read_text().splitlines())}
    for doc_id, (stance_value, spans) in expected_labels(tasks).items():
        assert records[doc_id]["stance"] == stance_value
        assert sorted((s["text"], s["label"]) for s in records[doc_id]["spans"]) == spans
    raw = {"d10": FORMULA_RAW}
    for r in records.values():
        for s in r["spans"]:  # the raw text is the clean text before spaces were collapsed
            assert " ".join(raw.get(r["doc_id"], RAW)[s["raw_start"] : s["raw_end"]].split()) == s["text"]


def test_parquet_and_csv_load_in_pandas_one_row_per_document(exported):
    _, folder, tasks = exported
    expected = expected_labels(tasks)
    table = pd.read_parquet(folder / "gold.parquet")
    assert len(table) == 11 and table["doc_id"].is_unique
    for row in table.itertuples():
        stance_value, spans = expected[row.doc_id]
        assert row.stance == stance_value
        assert sorted((s["text"], s["label"]) for s in row.spans) == spans
    csv = pd.read_csv(folder / "gold.csv").set_index("doc_id")
    assert csv.loc["d10", "title"] == '\'=HYPERLINK("http://x")'
    assert csv.loc["d10", "text"].startswith("'-5 killed")
    assert writers.unescape_formula(csv.loc["d10", "title"]) == table.set_index("doc_id").loc["d10", "title"]
    assert sorted((s["text"], s["label"]) for s in json.loads(csv.loc["d03", "spans"])) == expected["d03"][1]


def test_spacy_loads_the_docbins_as_training_data(exported):
    _, folder, tasks = exported
    expected = expected_labels(tasks)
    nlp = spacy.blank("en")
    seen = {}
    for split in ("train", "dev", "test"):
        for doc in DocBin().from_disk(folder / f"{split}.spacy").get_docs(nlp.vocab):
            seen[doc.user_data["doc_id"]] = doc
        examples = list(Corpus(folder / f"{split}.spacy")(nlp))
        assert all(ex.reference.cats or ex.reference.user_data["doc_id"] == "d11" for ex in examples)
    assert len(seen) == 11
    for doc_id, (stance_value, spans) in expected.items():
        doc = seen[doc_id]
        assert max(doc.cats, key=doc.cats.get) == stance_value
        assert sorted((s.text, s.label_) for s in doc.spans["gold"]) == spans
    overlapped = seen["d10"]
    assert [(e.text, e.label_) for e in overlapped.ents] == [("The Taliban", "MIL"), ("United States", "GOV")]


def test_hugging_face_dataset_loads_with_class_labels(exported):
    _, folder, tasks = exported
    expected = expected_labels(tasks)
    dataset = datasets.load_from_disk(str(folder / "hf"))
    assert set(dataset) == {"train", "validation", "test"}
    tags = dataset["train"].features["ner_tags"].feature
    stances = dataset["train"].features["stance"]
    rows = [row for split in dataset.values() for row in split]
    assert len(rows) == 11
    for row in rows:
        stance_value, spans = expected[row["doc_id"]]
        assert stances.int2str(row["stance"]) == stance_value
        labels = dataset["train"].features["spans"].feature["label"]
        assert sorted((s["text"], labels.int2str(s["label"])) for s in row["spans"]) == spans
        if row["doc_id"] == "d10":
            continue
        tokens = [(tok, tags.int2str(tag)) for tok, tag in zip(row["tokens"], row["ner_tags"], strict=True)]
        bio = [(word, f"{'I' if k else 'B'}-{label}") for text, label in spans for k, word in enumerate(text.split())]
        assert sorted(pair for pair in tokens if pair[1] != "O") == sorted(bio)


def test_conll_and_stance_tsv_round_trip(exported):
    summary, folder, tasks = exported
    expected = expected_labels(tasks)
    tagged = {}
    for split in ("train", "dev", "test"):
        tagged |= read_conll(folder / "conll" / f"{split}.conll")
    assert set(tagged) == set(expected) | {"d10"}
    for doc_id, (_, spans) in expected.items():
        if doc_id == "d10":  # overlapping spans: BIO holds the longest (checked in the spaCy test)
            continue
        bio = [(word, f"{'I' if k else 'B'}-{label}") for text, label in spans for k, word in enumerate(text.split())]
        assert sorted(pair for pair in tagged[doc_id] if pair[1] != "O") == sorted(bio)
    frames = [
        pd.read_csv(folder / "stance" / f"{s}.tsv", sep="\t", keep_default_na=False) for s in ("train", "dev", "test")
    ]
    stance_table = pd.concat(frames).set_index("ID")
    assert list(stance_table.columns) == ["Target", "Text", "Stance"]
    for doc_id, (stance_value, _) in expected.items():
        assert stance_table.loc[doc_id, "Stance"] == stance_value
        assert stance_table.loc[doc_id, "Target"] == "the Taliban" and "\n" not in stance_table.loc[doc_id, "Text"]
    assert stance_table.loc["d10", "Text"].startswith("'-5 killed")  # escaped as in gold.csv
    for split, n in summary.per_split.items():
        assert len(pd.read_csv(folder / "stance" / f"{split}.tsv", sep="\t")) == n


def test_the_data_card_and_agreement_are_written(exported):
    _, folder, _ = exported
    card = (folder / "README.md").read_text()
    assert "| gold documents | 11 |" in card and "| open items (in conflicts.jsonl) | 1 |" in card
    assert "| documents held back for open items | 1 |" in card
    assert "| gold documents: every item agreed | 10 |" in card and "| gold documents: one annotator | 1 |" in card
    assert "| stance | 10 | 1 | 0 | 1 |" in card  # agreed, single, adjudicated, open
    assert "| spans unitizing alpha | all | 1.000 | [1.00, 1.00] |" in card
    assert "collapse_spaces" in card and "spacy " in card and "snapshot_sha256" in card
    report = json.loads((folder / "agreement.json").read_text())
    assert report["tasks_compared"] == 11 and report["stance"]["pairs"][0]["documents"] == 11
    assert "documents" not in report  # the per-document diagnosis has its own file
    assert len((folder / "agreement_documents.jsonl").read_text().splitlines()) == 11
    assert (folder / "agreement.png").read_bytes()[:4] == b"\x89PNG"


def test_an_export_is_never_overwritten_unless_forced(exported, tmp_path):
    summary, folder, _ = exported
    root = folder.parent.parent
    with pytest.raises(CorpusError, match="export already exists") as err:
        export_gold(root / "snapshot.json", root / "documents.jsonl", folder)
    assert "--force" in err.value.hint
    marker = folder / "gold.jsonl"
    before, inode = marker.read_text(), marker.stat().st_ino
    export_gold(root / "snapshot.json", root / "documents.jsonl", folder, force=True)
    assert marker.stat().st_ino != inode  # the export was written again, not left as it was
    assert marker.read_text() == before  # same inputs, same gold, same splits


def test_a_failed_export_leaves_nothing_behind(exported, tmp_path, monkeypatch):
    _, folder, _ = exported
    root = folder.parent.parent

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(writers, "write_conll", broken)
    with pytest.raises(OSError, match="disk full"):
        pipeline.export_gold(root / "snapshot.json", root / "documents.jsonl", tmp_path / "gold" / "v2")
    assert list((tmp_path / "gold").iterdir()) == []


def test_documents_missing_for_a_task_are_an_error_with_ids(tmp_path):
    docs, tasks = corpus()
    (tmp_path / "snapshot.json").write_text(json.dumps(tasks))
    (tmp_path / "documents.jsonl").write_text("".join(json.dumps(d.to_dict()) + "\n" for d in docs[:-2]))
    with pytest.raises(CorpusError, match=r"2 annotated document\(s\) are not in the cleaned documents, e.g. d10, d11"):
        export_gold(tmp_path / "snapshot.json", tmp_path / "documents.jsonl", tmp_path / "out")
    (tmp_path / "documents.jsonl").write_text("{not json}\n")
    with pytest.raises(CorpusError, match=r"documents.jsonl, line 1: not a cleaned document"):
        export_gold(tmp_path / "snapshot.json", tmp_path / "documents.jsonl", tmp_path / "out")

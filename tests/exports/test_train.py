"""`corpus train` on synthetic gold: it learns, beats the untrained pipeline on held-out documents, is seeded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from annotation.model import SPANS_KEY, load_model
from cleaning.errors import CorpusError
from exports.pipeline import export_gold
from exports.train import build_pipeline, combined, examples, initialise, read_split, score_rows, summarise, train
from tests.exports.synthetic import corpus_records, snapshot


def test_the_trained_model_beats_the_untrained_one_on_dev(trained):
    report = trained.report
    assert report.sizes == {"train": 36, "dev": 18, "test": 18}
    assert report.baseline["spans"]["f"] < 0.1 and report.baseline["stance_macro_f"] < 0.4
    assert report.scores["spans"]["f"] >= 0.8
    assert report.scores["stance_macro_f"] >= 0.6
    assert report.scores["spans"]["f"] - report.baseline["spans"]["f"] >= 0.7
    for label in ("GOV", "IGO", "NGO", "JRN", "CVL"):  # named organisations, mostly: learnt in 30 epochs
        assert report.scores["spans_per_label"][label]["f"] >= 0.8, label
    assert 1 <= report.best_epoch <= report.epochs <= 30


def test_it_beats_the_empty_model_on_the_held_out_test_split(trained):
    """The test split took no part in training nor in choosing the epoch."""
    model = load_model(trained.model_dir)
    test_docs = read_split(trained.export_dir, "test", model.nlp)
    scored = summarise(model.nlp.evaluate(examples(model.nlp, test_docs)))
    empty = build_pipeline(trained.report.suggester_sizes)
    initialise(empty, examples(empty, read_split(trained.export_dir, "train", empty)))
    unscored = summarise(empty.evaluate(examples(empty, read_split(trained.export_dir, "test", empty))))
    assert len(test_docs) == 18
    assert scored["spans"]["f"] >= 0.75 and unscored["spans"]["f"] < 0.1
    assert scored["stance_macro_f"] >= 0.5 > unscored["stance_macro_f"]


def test_the_reported_scores_are_the_saved_model_s_on_dev(trained):
    """The best epoch's dev scores are kept, not computed again: they must be what the saved model scores."""
    model = load_model(trained.model_dir)
    dev_docs = read_split(trained.export_dir, "dev", model.nlp)
    assert summarise(model.nlp.evaluate(examples(model.nlp, dev_docs))) == trained.report.scores
    assert trained.report.history[trained.report.best_epoch - 1] == round(combined(trained.report.scores), 4)


def test_each_split_is_read_once(tmp_path, monkeypatch):
    gold, reads = _small_export(tmp_path, 6), Counter()

    def counted(export_dir, split, nlp):
        reads[split] += 1
        return read_split(export_dir, split, nlp)

    monkeypatch.setattr("exports.train.read_split", counted)
    train(gold, tmp_path / "model", max_epochs=1)
    assert reads == {"train": 1, "dev": 1, "test": 1}


def test_scores_json_and_the_model_card_say_the_same(trained):
    scores = json.loads((trained.model_dir / "scores.json").read_text(encoding="utf-8"))
    assert scores["scores"] == trained.report.scores and scores["version"] == trained.report.version
    card = (trained.model_dir / "README.md").read_text(encoding="utf-8")
    for row in score_rows(trained.report):
        assert f"| {' | '.join(row)} |" in card
    assert f"model:newsgold_actors_stance@{trained.report.version}" in card
    assert "| train | 36 |" in card and "| dev | 18 |" in card and "Limits" in card
    assert trained.report.tool_version in card and trained.report.trained_at in card


def test_the_model_names_its_version_and_predicts_spans_and_stance(trained):
    model = load_model(trained.model_dir)
    assert model.model_version == f"model:newsgold_actors_stance@{trained.report.version}"
    article = trained.articles[0]
    guess = model.guess(article.doc.text)
    found = {(s.start, s.end, s.label) for s in guess.spans}
    truth = {(s.start, s.end, s.label) for s in article.spans}
    assert len(found & truth) >= len(truth) * 0.7
    assert set(guess.stance) == {"FAVOR", "AGAINST", "NONE"} and abs(sum(guess.stance.values()) - 1) < 1e-3
    assert 0 <= guess.certainty <= 1 and guess.uncertainty == pytest.approx(1 - guess.certainty)


def _small_export(where: Path, count: int = 15) -> Path:
    articles = corpus_records(count, seed=3)
    docs = where / "documents.jsonl"
    docs.write_text("".join(json.dumps(a.doc.to_dict()) + "\n" for a in articles), encoding="utf-8")
    (where / "snapshot.json").write_text(json.dumps(snapshot(articles)), encoding="utf-8")
    return export_gold(where / "snapshot.json", docs, where / "gold", ratios=(0.6, 0.4, 0.0)).folder


def test_the_same_seed_gives_the_same_model_and_another_seed_another(tmp_path):
    gold = _small_export(tmp_path)
    first = train(gold, tmp_path / "a", max_epochs=3)
    again = train(gold, tmp_path / "b", max_epochs=3)
    other = train(gold, tmp_path / "c", max_epochs=3, seed=14)
    assert first.version == again.version and first.scores == again.scores and first.history == again.history
    assert other.version != first.version


def test_errors_say_what_to_give(tmp_path):
    with pytest.raises(CorpusError) as err:
        train(tmp_path, tmp_path / "model")
    assert f"{tmp_path}/train.spacy not found" in err.value.message and "corpus export" in err.value.hint
    gold = _small_export(tmp_path, 6)
    (tmp_path / "taken").mkdir()
    with pytest.raises(CorpusError) as err:
        train(gold, tmp_path / "taken")
    assert "already exists" in err.value.message and "--force" in err.value.hint
    with pytest.raises(CorpusError) as err:
        load_model(tmp_path / "taken")
    assert "no trained model" in err.value.message and "corpus train" in err.value.hint


def test_an_empty_dev_split_is_refused(tmp_path):
    articles = corpus_records(4, seed=3)
    docs = tmp_path / "documents.jsonl"
    docs.write_text("".join(json.dumps(a.doc.to_dict()) + "\n" for a in articles), encoding="utf-8")
    (tmp_path / "snapshot.json").write_text(json.dumps(snapshot(articles)), encoding="utf-8")
    gold = export_gold(tmp_path / "snapshot.json", docs, tmp_path / "gold", ratios=(1.0, 0.0, 0.0)).folder
    with pytest.raises(CorpusError) as err:
        train(gold, tmp_path / "model")
    assert "dev split holds no document" in err.value.message and "--split" in err.value.hint


def test_gold_spans_reach_the_spancat_from_the_export(tmp_path):
    gold = _small_export(tmp_path, 6)
    nlp = build_pipeline([1, 2])
    docs = read_split(gold, "train", nlp)
    assert docs and all(len(d.spans[SPANS_KEY]) == len(d.spans["gold"]) > 0 for d in docs)
    assert all(d.cats and max(d.cats.values()) == 1.0 for d in docs)


def test_corpus_train_prints_the_table_and_writes_the_model(tmp_path):
    gold = _small_export(tmp_path)
    result = subprocess.run([sys.executable, "-m", "cli", "train", str(gold), "--out", str(tmp_path / "m"),
                             "--max-epochs", "2"], capture_output=True, text=True,
                            env={**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "dev split: 6 documents (train 9)" in result.stdout
    for label in ("GOV", "all", "FAVOR", "AGAINST", "NONE"):
        assert f" {label} " in result.stdout
    assert (tmp_path / "m" / "meta.json").exists() and (tmp_path / "m" / "README.md").exists()
    again = subprocess.run([sys.executable, "-m", "cli", "train", str(gold), "--out", str(tmp_path / "m")],
                           capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"}, cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr and "--force" in again.stderr

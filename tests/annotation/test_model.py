"""The model's predictions as Label Studio reads them: certainty, overlaps, the merge with the gazetteer."""

from __future__ import annotations

from types import SimpleNamespace

from annotation.model import Guess, SpanGuess, drop_overlaps, merge, to_prediction
from annotation.prelabel import MODEL_VERSION, load_gazetteer, predict, validate_prediction
from annotation.scheme import load_scheme

MODEL = SimpleNamespace(model_version="model:newsgold_actors_stance@test")  # all a prediction reads of a model

TEXT = "The Taliban met Human Rights Watch in Kabul."


def test_certainty_is_the_weakest_margin_and_the_stance_alone_without_spans():
    stance = {"FAVOR": 0.2, "AGAINST": 0.7, "NONE": 0.1}
    assert Guess((), stance).certainty == 0.5 and Guess((), stance).stance_label == "AGAINST"
    doubtful = Guess((SpanGuess(4, 11, "Taliban", "GOV", 0.55),), stance)
    assert doubtful.certainty == 0.1 and doubtful.uncertainty == 0.9


def test_overlapping_spans_keep_the_likelier():
    spans = [SpanGuess(0, 11, "The Taliban", "GOV", 0.7), SpanGuess(4, 11, "Taliban", "REB", 0.6),
             SpanGuess(16, 34, "Human Rights Watch", "NGO", 0.9)]
    assert [(s.text, s.label) for s in drop_overlaps(spans)] == [("The Taliban", "GOV"), ("Human Rights Watch", "NGO")]


def test_a_merged_prediction_keeps_every_gazetteer_result_even_ones_it_does_not_know():
    scheme, model = load_scheme(), MODEL
    gazetteer = predict(TEXT, "2024-01-01", load_gazetteer(), scheme)
    region = next(r for r in gazetteer["result"] if r["type"] == "labels")
    extra = {"id": region["id"], "from_name": "actor_id", "to_name": "text", "type": "textarea",
             "value": {"start": region["value"]["start"], "end": region["value"]["end"], "text": ["Q123"]}}
    gazetteer["result"].append(extra)  # a per-region attribute another part of the tool may add (actor ids)
    guess = Guess((SpanGuess(0, 11, "The Taliban", "GOV", 0.8), SpanGuess(38, 43, "Kabul", "OTHER", 0.6)),
                  {"FAVOR": 0.1, "AGAINST": 0.2, "NONE": 0.7})
    merged = merge(gazetteer, to_prediction(guess, model, scheme), f"{MODEL_VERSION}+{model.model_version}")
    assert merged["result"][:len(gazetteer["result"])] == gazetteer["result"]
    added = merged["result"][len(gazetteer["result"]):]
    assert [r["value"].get("text") for r in added if r["type"] == "labels"] == ["Kabul"]  # "The Taliban" overlaps
    assert [r["value"]["choices"] for r in added if r["type"] == "choices"] == [["NONE"]]
    assert merged["score"] == guess.certainty == 0.2
    assert validate_prediction({**merged, "result": [r for r in merged["result"] if r is not extra]}, TEXT,
                               scheme) == []


def test_model_spans_with_a_label_the_scheme_lacks_are_not_sent():
    scheme, model = load_scheme(), MODEL
    guess = Guess((SpanGuess(4, 11, "Taliban", "ARMY", 0.9),), {"FAVOR": 0.9, "AGAINST": 0.05, "NONE": 0.05})
    prediction = to_prediction(guess, model, scheme)
    assert [r["type"] for r in prediction["result"]] == ["choices"]
    assert validate_prediction(prediction, TEXT, scheme) == []


def test_spans_that_start_or_end_on_a_line_break_are_dropped():
    import spacy

    from annotation.model import SPANS_KEY, to_guess

    doc = spacy.blank("en")("Talks ended.\n\nMeanwhile the Taliban said no.")
    doc.spans[SPANS_KEY] = [doc[3:5], doc[5:7]]  # "\n\nMeanwhile", "the Taliban"
    doc.spans[SPANS_KEY].attrs["scores"] = [[0.7], [0.9]]
    for span in doc.spans[SPANS_KEY]:
        span.label_ = "GOV"
    assert [(s.text, s.score) for s in to_guess(doc).spans] == [("the Taliban", 0.9)]

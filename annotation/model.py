"""Pre-annotations from a trained pipeline (`corpus train`), how sure it is, and its merge with the gazetteer.

The pipeline is spaCy's: a `spancat` for actor spans and an exclusive
`textcat` for the document stance, trained by `exports/train.py` on a gold
export. Here it is loaded, run on a document and turned into one Label Studio
prediction, which carries how sure the model is as its `score`:

- a span's margin is ``2p - 1`` for a span the spancat kept (``p >= 0.5``):
  0 on the threshold, 1 when certain;
- the stance margin is the top category's probability minus the runner-up's;
- the document's **certainty** is the smallest of these margins (the stance
  margin when no span was found), and its **uncertainty** is ``1 - certainty``.
  One doubtful span or a coin-flip stance makes the whole document doubtful:
  an annotator's look is worth most there.

The prediction's `score` is the certainty, so Label Studio's uncertainty
sampling (lowest score first, see `annotation/push.py`) deals the documents the
model is least sure of first.

Merged with the gazetteer, **the gazetteer wins where spans overlap**: its
matches are curated names that carry their country (and whatever else
`actors.yaml` adds per region) and the date rule of the Taliban's label, which
a model trained on a few dozen documents has not learnt; the model adds the
spans the gazetteer does not know and the document stance. Every result of the
gazetteer's prediction is kept as it is.

Nothing here talks to Label Studio or reads an export: the module imports
spaCy only when a model is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy

from annotation.scheme import TEXT, Scheme
from cleaning.errors import CorpusError

if TYPE_CHECKING:
    from spacy.language import Language

SPANS_KEY = "actors"  # the span group the spancat reads in training and writes when predicting
SPANCAT, TEXTCAT = "spancat", "textcat"
META_KEY = "newsgold"  # the part of the pipeline's meta.json that `corpus train` writes
MODEL_PREFIX = "model:"  # model versions: "model:<name>@<version>", after the gazetteer's when merged
REGION_PREFIX = "m"  # region ids of model spans ("m0", "m1", ...); the gazetteer's are "g0", ...


@dataclass(frozen=True)
class SpanGuess:
    """An actor span the model found: offsets in the clean text, label, probability."""

    start: int
    end: int
    text: str
    label: str
    score: float

    @property
    def margin(self) -> float:
        """How far the span is from the 0.5 threshold, from 0 (on it) to 1 (certain)."""
        return abs(2 * self.score - 1)


@dataclass(frozen=True)
class Guess:
    """What the model makes of one document: its actor spans and the stance probabilities."""

    spans: tuple[SpanGuess, ...]
    stance: dict[str, float]

    @property
    def stance_label(self) -> str | None:
        """The most likely stance (ties: the scheme's order), or None without a textcat."""
        return max(self.stance, key=self.stance.get) if self.stance else None

    @property
    def stance_margin(self) -> float:
        """Top stance probability minus the runner-up's (1.0 without a textcat)."""
        ranked = sorted(self.stance.values(), reverse=True)
        return ranked[0] - ranked[1] if len(ranked) > 1 else 1.0

    @property
    def certainty(self) -> float:
        """The smallest margin of the stance and of each span, in [0, 1]: the document's weakest call.

        >>> Guess((SpanGuess(0, 7, "Taliban", "GOV", 0.9),), {"FAVOR": 0.1, "AGAINST": 0.6, "NONE": 0.3}).certainty
        0.3
        """
        return round(min([self.stance_margin, *(s.margin for s in self.spans)]), 6)

    @property
    def uncertainty(self) -> float:
        """1 - certainty, for people to read: Label Studio deals the tasks by `score`, the certainty, lowest first."""
        return round(1 - self.certainty, 6)


class Model:
    """A pipeline trained by `corpus train`, with the name and version its predictions carry."""

    def __init__(self, nlp: Language, path: Path):
        self.nlp, self.path = nlp, path
        if SPANCAT not in nlp.pipe_names and TEXTCAT not in nlp.pipe_names:
            raise CorpusError(f"{path}: the pipeline has neither {SPANCAT} nor {TEXTCAT}",
                              "give --model a folder written by `corpus train`")
        self.name = str(nlp.meta.get("name") or "model")
        self.version = str(nlp.meta.get("version") or "0")

    @property
    def model_version(self) -> str:
        """The `model_version` of its predictions: ``model:<name>@<version>``."""
        return f"{MODEL_PREFIX}{self.name}@{self.version}"

    def guess(self, text: str) -> Guess:
        """Run the pipeline on one clean text."""
        return to_guess(self.nlp(text))

    def guesses(self, texts: list[str], batch_size: int = 16) -> list[Guess]:
        """Run the pipeline on many texts (spaCy's `pipe`, in batches)."""
        return [to_guess(doc) for doc in self.nlp.pipe(texts, batch_size=batch_size)]


def load_model(path: Path) -> Model:
    """Load a pipeline written by `corpus train`; a missing or foreign folder says what to give instead."""
    path = Path(path)
    if not (path / "meta.json").exists() or not (path / "config.cfg").exists():
        raise CorpusError(f"no trained model at {path} (meta.json and config.cfg missing)",
                          "train one with `corpus train GOLD_EXPORT_DIR --out MODEL_DIR` and give that folder")
    import spacy

    try:
        nlp = spacy.load(path)
    except (OSError, ValueError, KeyError) as err:
        raise CorpusError(f"{path}: cannot load the spaCy pipeline: {err}",
                          "retrain it with `corpus train`; a pipeline from another spaCy version may not load") from err
    return Model(nlp, path)


def to_guess(doc: Any) -> Guess:
    """Read a processed Doc: the spancat's spans (overlaps resolved to the likelier) and the stance cats.

    A span that starts or ends on a whitespace token (a paragraph break) is
    dropped: the suggester proposes such n-grams, no gold span is one.
    """
    spans = []
    group = doc.spans.get(SPANS_KEY)
    if group is not None:
        scores = group.attrs.get("scores")
        for i, span in enumerate(group):
            if span[0].is_space or span[-1].is_space:  # an n-gram from a line break: no gold span is one
                continue
            score = float(numpy.asarray(scores[i]).max()) if scores is not None else 1.0  # one row per span
            spans.append(SpanGuess(span.start_char, span.end_char, span.text, span.label_, round(score, 6)))
    return Guess(drop_overlaps(spans), {label: round(float(p), 6) for label, p in doc.cats.items()})


def drop_overlaps(spans: list[SpanGuess]) -> tuple[SpanGuess, ...]:
    """Keep the likelier of overlapping spans (then the longer, then the earlier), in text order.

    >>> a, b = SpanGuess(0, 11, "the Taliban", "GOV", 0.6), SpanGuess(4, 11, "Taliban", "GOV", 0.9)
    >>> [s.text for s in drop_overlaps([a, b, SpanGuess(20, 25, "Kabul", "GOV", 0.7)])]
    ['Taliban', 'Kabul']
    """
    kept: list[SpanGuess] = []
    for span in sorted(spans, key=lambda s: (-s.score, -(s.end - s.start), s.start)):
        if all(span.end <= k.start or k.end <= span.start for k in kept):
            kept.append(span)
    return tuple(sorted(kept, key=lambda s: s.start))


def to_prediction(guess: Guess, model: Model, scheme: Scheme) -> dict[str, Any]:
    """Return the model's prediction alone: its spans (scores per region), its stance, certainty as score."""
    result: list[dict[str, Any]] = []
    for i, span in enumerate(s for s in guess.spans if s.label in scheme.label_values):
        result.append({"id": f"{REGION_PREFIX}{i}", "from_name": scheme.actor_name, "to_name": TEXT,
                       "type": "labels", "score": span.score,
                       "value": {"start": span.start, "end": span.end, "text": span.text, "labels": [span.label]}})
    if guess.stance_label in scheme.stances:
        result.append({"from_name": scheme.stance_name, "to_name": TEXT, "type": "choices",
                       "value": {"choices": [guess.stance_label]}})
    return {"model_version": model.model_version, "score": guess.certainty, "result": result}


def merge(gazetteer: dict[str, Any] | None, model: dict[str, Any], version: str | None = None) -> dict[str, Any]:
    """Merge the gazetteer's prediction (kept whole) with the model's results that overlap none of its spans.

    The merged prediction is named `version` (default: the model's) and
    scored by the model's certainty, so the order of the tasks stays the model's.

    >>> g = {"model_version": "gazetteer-1", "score": 0.5, "result": [
    ...     {"id": "g0", "type": "labels", "value": {"start": 4, "end": 11}},
    ...     {"id": "g0", "type": "choices", "from_name": "country", "value": {"start": 4, "end": 11}}]}
    >>> m = {"model_version": "model:a@1", "score": 0.2, "result": [
    ...     {"id": "m0", "type": "labels", "value": {"start": 0, "end": 11}},
    ...     {"id": "m1", "type": "labels", "value": {"start": 20, "end": 25}}]}
    >>> merged = merge(g, m, "gazetteer-1+model:a@1")
    >>> merged["model_version"], merged["score"], [r["id"] for r in merged["result"]]
    ('gazetteer-1+model:a@1', 0.2, ['g0', 'g0', 'm1'])
    """
    taken = [(r["value"]["start"], r["value"]["end"]) for r in (gazetteer or {}).get("result", [])
             if r.get("type") == "labels"]
    extra = [r for r in model["result"] if r.get("type") != "labels" or not _overlaps(r["value"], taken)]
    return {"model_version": version or model["model_version"], "score": model["score"],
            "result": [*(gazetteer or {}).get("result", []), *extra]}


def _overlaps(value: dict[str, Any], taken: list[tuple[int, int]]) -> bool:
    return any(value["start"] < end and start < value["end"] for start, end in taken)

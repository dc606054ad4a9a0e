"""Pre-annotations: actors found by the gazetteer, as Label Studio predictions.

Annotators correct a suggestion faster than they start from nothing. Where an
actor's label depends on the date (the Taliban: REB before 15 Aug 2021) and the
article gives none, the span is suggested with the scheme's UNSURE placeholder
and a low score, not a guessed label. The server accepts any prediction, even
one with unknown labels or spans past the end of the text, so
`validate_prediction` checks each one against the scheme and the text before it
is sent.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from annotation.gazetteer import GAZETTEER_FILE, Actor, Gazetteer, Match, load_gazetteer
from annotation.scheme import TEXT, Scheme

__all__ = ["GAZETTEER_FILE", "Actor", "Gazetteer", "Match", "load_gazetteer", "predict", "predict_from",
           "validate_prediction"]
MODEL_VERSION = "gazetteer-1"
SCORE = 0.5  # a name match, not a judgement: annotators must check it
UNSURE_SCORE = 0.1  # a name match whose label the article's missing date leaves open


def predict(text: str, date: str | None, gazetteer: Gazetteer, scheme: Scheme) -> dict[str, Any] | None:
    """Return a prediction with one span (its country, its actor id) per gazetteer match, or None if nothing matched.

    A span whose label depends on the missing date gets the scheme's UNSURE
    placeholder (and its own low score); the prediction's score is then low too.
    """
    return predict_from(gazetteer.find(text), date, scheme)


def predict_from(matches: list[Match], date: str | None, scheme: Scheme) -> dict[str, Any] | None:
    """Return `predict`'s prediction from the gazetteer's matches already found in the text.

    A push finds a document's matches once and builds from them both the
    task's actor options and this prediction.
    """
    result, unsure = [], 0
    for i, match in enumerate(matches):
        region = f"g{i}"
        value = {"start": match.start, "end": match.end, "text": match.text}
        label = match.actor.label_on(date)
        span = {"id": region, "from_name": scheme.actor_name, "to_name": TEXT, "type": "labels",
                "value": value | {"labels": [label or scheme.unsure_value or match.actor.label]}}
        if label is None and scheme.unsure_value:
            span["score"], unsure = UNSURE_SCORE, unsure + 1
        result.append(span)
        if match.actor.country in scheme.countries:
            result.append({"id": region, "from_name": scheme.country_name, "to_name": TEXT, "type": "choices",
                           "value": value | {"choices": [match.actor.country]}})
        result.append({"id": region, "from_name": scheme.actor_id_name, "to_name": TEXT, "type": "choices",
                       "value": value | {"choices": [match.actor.id]}})
    if not result:
        return None
    return {"model_version": MODEL_VERSION, "score": UNSURE_SCORE if unsure else SCORE, "result": result}


def validate_prediction(prediction: dict[str, Any], text: str, scheme: Scheme,
                        actor_ids: Collection[str] | None = None) -> list[str]:
    """List what is wrong with a prediction for `text` under `scheme` (empty: it is valid).

    Checks what the server does not: known control names and values, spans
    inside the text that quote it exactly, per-region choices and relations
    that point at existing span regions. An actor id must be one of
    `actor_ids` (the task's actor options) when they are given.

    >>> from annotation.scheme import load_scheme
    >>> bad = {"model_version": "x", "result": [{"id": "a", "from_name": "actor", "to_name": "text",
    ...        "type": "labels", "value": {"start": 0, "end": 3, "text": "Tal", "labels": ["ARMY"]}}]}
    >>> validate_prediction(bad, "Taliban", load_scheme())
    ["region a: label 'ARMY' is not in actor"]
    """
    problems: list[str] = []
    if not isinstance(prediction.get("result"), list):
        return ["prediction has no result list"]
    allowed: dict = scheme.allowed() | {scheme.actor_id_name: actor_ids}
    spans: dict[str, tuple[int, int]] = {}
    for r in prediction["result"]:
        if r.get("type") == "labels":
            where = f"region {r.get('id')}"
            if r.get("from_name") != scheme.actor_name or r.get("to_name") != TEXT:
                problems.append(f"{where}: unknown control {r.get('from_name')}->{r.get('to_name')}")
                continue
            problems += _check_span(r, text, where)
            problems += [f"{where}: label {v!r} is not in {scheme.actor_name}"
                         for v in r["value"].get("labels") or [None] if v not in allowed[scheme.actor_name]]
            spans[r.get("id")] = (r["value"].get("start"), r["value"].get("end"))
    for r in prediction["result"]:
        kind, where = r.get("type"), f"region {r.get('id')}"
        if kind == "labels":
            continue
        if kind == "relation":
            if r.get("from_id") not in spans or r.get("to_id") not in spans:
                problems.append(f"relation {r.get('from_id')}->{r.get('to_id')}: points at a missing span")
            problems += [f"relation {r.get('from_id')}->{r.get('to_id')}: label {v!r} is not a relation"
                         for v in r.get("labels") or [] if v not in allowed["relation"]]
        elif kind == "choices" and r.get("from_name") in (scheme.country_name, scheme.stance_name,
                                                          scheme.actor_id_name):
            name = r["from_name"]
            choices = (r.get("value") or {}).get("choices") or []
            if len(choices) != 1:
                problems.append(f"{where}: {name} needs exactly one choice, got {choices}")
            problems += [f"{where}: choice {c!r} is not in {name}" for c in choices
                         if allowed[name] is not None and c not in allowed[name]]
            if name in (scheme.country_name, scheme.actor_id_name):
                start_end = ((r.get("value") or {}).get("start"), (r.get("value") or {}).get("end"))
                if spans.get(r.get("id")) != start_end:
                    problems.append(f"{where}: {name} must share its id and offsets with an actor span")
        else:
            problems.append(f"{where}: unknown result {kind} from {r.get('from_name')}")
    return problems


def _check_span(r: dict[str, Any], text: str, where: str) -> list[str]:
    value = r.get("value") or {}
    start, end = value.get("start"), value.get("end")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        return [f"{where}: span {start}-{end} is outside the text (length {len(text)})"]
    if value.get("text") != text[start:end]:
        return [f"{where}: span text {value.get('text')!r} is not the text at {start}-{end} {text[start:end]!r}"]
    return []

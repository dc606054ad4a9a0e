"""Turn gold records into spaCy `Doc`s: tokens, entity spans, BIO tags, stance as categories.

Tokenisation is spaCy's blank English tokenizer plus its rule-based sentencizer:
no model to download, and the same tokens in every token-level format.
Entities must not overlap in `doc.ents` (nor in BIO); where gold spans overlap the
longest is kept there, and all spans stay in `doc.spans["gold"]`.
"""

from __future__ import annotations

from functools import cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from exports import scheme

SPAN_KEY = "gold"
BIO_TAGS = ("O", *(f"{prefix}-{label}" for label in scheme.ACTOR_LABELS for prefix in "BI"))


@cache
def blank_pipeline() -> Language:
    """Return spaCy's blank English pipeline with a sentencizer (shared; it holds no state we change)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def to_doc(record: dict, nlp: Language | None = None) -> Doc:
    """Build a spaCy Doc from a gold record: entities (actor id as `kb_id_`), all spans, stance cats, ids."""
    nlp = nlp or blank_pipeline()
    doc = nlp(record["text"])
    spans = [doc.char_span(s["start"], s["end"], label=s["label"], kb_id=s.get(scheme.ACTOR_ID) or "",
                           alignment_mode="expand") for s in record["spans"]]
    spans = [s for s in spans if s is not None]
    doc.spans[SPAN_KEY] = spans
    doc.ents = filter_spans(spans)
    if record.get("stance"):
        doc.cats = {label: float(label == record["stance"]) for label in scheme.STANCE_LABELS}
    doc.user_data["doc_id"] = record["doc_id"]
    doc.user_data["relations"] = [(r["source"], r["target"], r["label"]) for r in record["relations"]]
    return doc


def bio_sentences(doc: Doc) -> list[list[tuple[str, str]]]:
    """Return the doc's sentences as (token, BIO tag) pairs, whitespace tokens left out."""
    sentences = []
    for sent in doc.sents:
        pairs = [(t.text, f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "O") for t in sent if not t.is_space]
        if pairs:
            sentences.append(pairs)
    return sentences


def dropped_from_bio(record: dict, doc: Doc) -> int:
    """Count the record's spans that are not entities in `doc` (overlaps BIO cannot hold)."""
    return len(record["spans"]) - len(doc.ents)

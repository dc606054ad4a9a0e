"""The language of each document, and the English-only repairs it switches off."""

from pathlib import Path

import pytest

from cleaning import fixes, glued
from cleaning.config import ENGLISH_ONLY, REPAIRS, CleanConfig
from cleaning.document import Document, replay
from cleaning.fixes import Context
from cleaning.language import MIN_CHARS, PREFIX_CHARS, detect_language
from cleaning.pipeline import clean_corpus, clean_text

ARTICLES = Path(__file__).parent / "articles"
SEEDS = Path(__file__).parents[2] / "corpus" / "raw"
RUSSIAN = ("Правительство России объявило во вторник о новых мерах поддержки экономики. По словам министра, "
           "программа рассчитана на три года и затронет более двух миллионов предприятий малого бизнеса. "
           "Первые выплаты начнутся уже в следующем месяце, а заявки можно будет подавать через портал госуслуг.")


@pytest.fixture(scope="module")
def foreign_docs():
    return {d.source: d for d in clean_corpus(ARTICLES, workers=1)}


def english_only_edits(doc: Document) -> list[str]:
    return [e.step for e in doc.edits if set(e.step.split("+")) & set(ENGLISH_ONLY)]


def test_english_only_repairs_are_registered_repairs():
    assert ENGLISH_ONLY and set(ENGLISH_ONLY) <= set(REPAIRS)


@pytest.mark.parametrize(("source", "code"), [("fr-fret.txt", "fr"), ("de-heizung.txt", "de")])
def test_french_and_german_articles_get_their_language_and_no_english_repairs(foreign_docs, source, code):
    doc = foreign_docs[source]
    assert doc.meta["language"] == code and doc.meta["language_score"] >= 0.9
    assert english_only_edits(doc) == []
    raw = (ARTICLES / source).read_text(encoding="utf-8")
    assert replay(raw, doc.edits) == doc.text


def test_the_english_repairs_would_damage_those_articles():
    # What the skip protects: a French reflexive taken for a doubled word, German words split.
    french = (ARTICLES / "fr-fret.txt").read_text(encoding="utf-8")
    assert "« Nous nous sommes battus" in french
    assert fixes.remove_doubled_words(french, Context())
    german = (ARTICLES / "de-heizung.txt").read_text(encoding="utf-8")
    assert glued.split_glued_words(german, Context())


def test_french_doubled_pronoun_stays(foreign_docs):
    assert "« Nous nous sommes battus" in foreign_docs["fr-fret.txt"].text


def test_seed_articles_are_english():
    docs = list(clean_corpus(SEEDS, workers=1))
    assert len(docs) == 5
    assert {d.meta["language"] for d in docs} == {"en"}
    assert all(d.meta["language_score"] >= 0.9 for d in docs)


def test_short_text_runs_the_english_repairs():
    # Too short to tell: the corpus default (English) holds, so the doubled word goes.
    text = "Nous nous sommes battus."
    assert len(text) < MIN_CHARS
    log, _, language = clean_text(text, Context(), CleanConfig())
    assert language.english
    assert [e.step for e in log.edits] == ["doubled_words"]


def test_language_is_told_after_the_encoding_repair():
    raw = RUSSIAN.encode("utf-8").decode("sloppy-windows-1252")  # UTF-8 read as cp1252
    assert detect_language(raw).code != "ru"
    log, _, language = clean_text(raw, Context(), CleanConfig())
    assert log.text == RUSSIAN
    assert (language.code, language.english) == ("ru", False)


def test_only_a_prefix_is_read():
    english = (SEEDS / "000_cfec9ad629494080.txt").read_text(encoding="utf-8")[:PREFIX_CHARS]
    french = (ARTICLES / "fr-fret.txt").read_text(encoding="utf-8")
    assert detect_language(english + french * 20).code == "en"
    assert detect_language(french).code == "fr"

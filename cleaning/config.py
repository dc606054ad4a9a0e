"""The registry of repairs and the config with one switch per repair, same names everywhere.

A repair's name is its config field, its `--skip` value on the command line,
the `step` of its edits and its row in the report.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from cleaning import fixes, glued
from cleaning.errors import CorpusError
from cleaning.readers import MAX_DOCUMENT_BYTES

# Per-document repairs, in the order they run (`repeated_lines` uses what pass one learned).
REPAIRS = {
    "encoding": fixes.fix_encoding,
    "line_breaks": fixes.join_wrapped_lines,
    "repeated_lines": fixes.remove_repeated_lines,
    "boilerplate": fixes.remove_boilerplate,
    "captions": fixes.remove_captions,
    "datelines": fixes.remove_datelines,
    "bylines": fixes.remove_bylines,
    "title": fixes.extract_title,
    "whitespace": fixes.fix_whitespace,
    "doubled_words": fixes.remove_doubled_words,
    "glued_words": glued.split_glued_words,
    "sentence_breaks": fixes.fix_sentence_breaks,
    "quotes": fixes.fix_quotes,
}
# Repairs whose rules hold for English only, skipped on a text in another language
# (`cleaning.language`): English word lists decide a split or a doubled word ("Nous
# nous sommes" is French), English starters a lost full stop, English quote marks
# which quote opens and which closes (German closes with “, Swedish opens with ”).
# The line repairs read the page once more after the word repairs (from SETTLE_AFTER on) changed
# what a line reads as; the title is not taken twice.
SETTLE_AFTER = "whitespace"
SETTLE_REPAIRS = ("boilerplate", "captions", "datelines", "bylines", "whitespace")
ENGLISH_ONLY = ("doubled_words", "glued_words", "sentence_breaks", "quotes")
# Repairs that need the whole corpus: learned in a first pass, or compared across documents.
CORPUS_REPAIRS = ("near_duplicates",)
ALL_REPAIRS = (*REPAIRS, *CORPUS_REPAIRS)


@dataclass(frozen=True)
class CleanConfig:
    """Which repairs run, and the few numbers the corpus-level ones use."""

    encoding: bool = True
    line_breaks: bool = True
    repeated_lines: bool = True
    boilerplate: bool = True
    captions: bool = True
    datelines: bool = True
    bylines: bool = True
    title: bool = True
    whitespace: bool = True
    doubled_words: bool = True
    glued_words: bool = True
    sentence_breaks: bool = True
    quotes: bool = True
    near_duplicates: bool = True
    repeated_min_docs: int = 3
    near_duplicate_threshold: float = 0.8
    max_document_bytes: int = MAX_DOCUMENT_BYTES  # a longer text is cut into documents at paragraph breaks

    def __post_init__(self) -> None:
        if self.max_document_bytes < 1000:
            raise CorpusError(f"max_document_bytes is {self.max_document_bytes}: too small to hold an article",
                              "give at least 1000 (the default is 1000000)")

    def enabled(self) -> list[str]:
        """Return the names of the per-document repairs that are on, in order."""
        return [name for name in REPAIRS if getattr(self, name)]

    def without(self, names: list[str]) -> CleanConfig:
        """Return this config with the named repairs switched off."""
        unknown = [n for n in names if n not in ALL_REPAIRS]
        if unknown:
            raise CorpusError(f"unknown repair: {', '.join(unknown)}", f"repairs are: {', '.join(ALL_REPAIRS)}")
        return replace(self, **{n: False for n in names})


def load_config(path: Path | None) -> CleanConfig:
    """Read a TOML config (``[repairs]`` switches, ``[corpus]`` numbers); defaults when `path` is None."""
    if path is None:
        return CleanConfig()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise CorpusError(f"cannot read config {path}: {err}") from err
    values = {**data.get("repairs", {}), **data.get("corpus", {})}
    known = {f.name for f in fields(CleanConfig)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise CorpusError(f"{path}: unknown setting {', '.join(unknown)}",
                          f"known settings: {', '.join(sorted(known))}")
    return CleanConfig(**values)

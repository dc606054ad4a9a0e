"""False splits are worse than missed ones: the glued-word repair leaves clean text alone."""

from pathlib import Path

import pytest

from cleaning.fixes import Context
from cleaning.glued import split_glued_words

TRUTH = sorted((Path(__file__).parents[2] / "bench" / "aeb-dev" / "truth").glob("*.txt"))


@pytest.mark.parametrize("path", TRUTH, ids=[p.stem for p in TRUTH])
def test_no_split_in_human_written_article_text(path):
    text = path.read_text(encoding="utf-8")
    splits = [text[max(0, s - 15):s + 15] for s, _, _ in split_glued_words(text, Context())]
    assert splits == []

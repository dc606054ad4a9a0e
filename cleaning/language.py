"""Tell a document's language from a bounded prefix of its text, with the model py3langid ships.

The model is read from the installed package (no download at run time), once
per process; `load_model` reads it before the pipeline forks its workers, so
they share it. Only a prefix of `PREFIX_CHARS` characters is classified: the
cost is flat however long the document. The text is read after the line
repairs, so the prefix is article text, and 500 characters of it (some 80
words) tell the language: the English dev pages all come out English (score
0.73 or more), the test articles in French and German score 1.0. Classifying
costs about 0.15 ms a document at that length, 3 to 4 % of cleaning a dev
page; at 3,000 characters it would cost 0.8 ms, a quarter of the cleaning.

The codes are ISO 639-1: the model's languages that have no two-letter code
(Cantonese, Egyptian Arabic, ...) are left out, so their texts get the nearest
language that has one.

It does not decide what to do with the answer: `Language.english` says
whether the English-only repairs (`cleaning.config.ENGLISH_ONLY`) run.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

import numpy as np

ENGLISH = "en"
PREFIX_CHARS = 500
# Below these, a text is too short or the model too unsure to tell: it is taken for
# English, the corpus's language, and every repair runs. On the dev pages' truth
# texts no English line of 200 characters or more scores 0.5 for another language.
MIN_CHARS = 200
MIN_SCORE = 0.9


class Language(NamedTuple):
    """The detected language of a text: its ISO 639-1 code, the model's probability and the length read."""

    code: str
    score: float
    chars: int

    @property
    def english(self) -> bool:
        """Tell whether the English-only repairs run: the text is English, or too short or unsure to tell.

        >>> Language("fr", 0.99, 2400).english, Language("fr", 0.99, 120).english, Language("fr", 0.6, 2400).english
        (False, True, True)
        """
        return self.code == ENGLISH or self.chars < MIN_CHARS or self.score < MIN_SCORE


@cache
def load_model():
    """Return py3langid's identifier with its shipped model, limited to languages with an ISO 639-1 code.

    Limiting the languages leaves the model's table a strided float16 view;
    a contiguous float32 copy (23 MB more) makes scoring a prefix twice as fast.
    """
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code for code in identifier.labels if len(code) == 2])
    identifier.nb_ptc = np.ascontiguousarray(identifier.nb_ptc, dtype=np.float32)
    return identifier


def detect_language(text: str) -> Language:
    """Classify the first `PREFIX_CHARS` characters of `text`.

    >>> detect_language("Le ministre des Transports a présenté mardi un plan pour relancer le fret ferroviaire.").code
    'fr'
    """
    prefix = text[:PREFIX_CHARS]
    code, score = load_model().classify(prefix)
    return Language(code, round(score, 3), len(prefix.strip()))

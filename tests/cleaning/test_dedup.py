"""MinHash signatures: words hashed on bytes, the same wherever they stand."""

import numpy as np

from cleaning.dedup import NearDuplicates, run_edges, signature, word_hashes


def test_a_word_hashes_the_same_at_any_position_case_or_punctuation():
    first, second = word_hashes("The cat sat."), word_hashes("“CAT” — sat, the")
    assert list(first) == [second[2], second[0], second[1]]
    assert len(set(word_hashes("cat cats act tac"))) == 4


def test_words_of_other_scripts_are_words_and_a_text_without_words_hashes_to_zero():
    assert len(word_hashes("Путин and Zelensky’s café")) == 5  # zelensky, s
    assert list(word_hashes("")) == list(word_hashes("!!! …")) == [0]


def test_signatures_estimate_overlap():
    base = " ".join(f"word{i}" for i in range(400))
    edited = base.replace("word200", "changed")
    other = " ".join(f"other{i}" for i in range(400))
    assert np.mean(signature(base) == signature(edited)) > 0.8
    assert np.mean(signature(base) == signature(other)) < 0.2
    index = NearDuplicates()
    assert index.add("a", signature(base)) is None
    assert index.add("b", signature(other)) is None
    assert index.add("c", signature(edited)) == "a"


def test_run_edges_are_where_the_marks_change():
    rng = np.random.default_rng(3)
    for n in [0, 1, 2, 7, 100]:
        for _ in range(50):
            marks = rng.random(n) < 0.5
            assert run_edges(marks).tolist() == np.flatnonzero(np.diff(marks, prepend=False, append=False)).tolist()

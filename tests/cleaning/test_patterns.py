"""The shared regexes give what their plainer forms would, where a faster form replaced one."""

import random
import re
import sys
from functools import cache

from cleaning import patterns as P


def random_texts(seed: int, alphabet: str, longest: int, count: int):
    """Yield `count` seeded random texts of up to `longest` characters of `alphabet`: the fast forms' checks."""
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randint(0, longest)))


@cache
def every_character() -> str:
    """Return every Unicode code point in order, once for the tests that compare a class with its category."""
    return "".join(map(chr, range(sys.maxunicode + 1)))


# What `patterns.DOUBLED_WORD` stands for: the whole pattern matched ignoring case.
PLAIN_DOUBLED_WORD = re.compile(r"\b([A-Za-z]++) (\1)\b", re.IGNORECASE)


def test_doubled_word_letters_are_those_ignoring_case_takes():
    letter = re.compile(P.CASED_ASCII_LETTER)
    folded = re.compile(r"[A-Za-z]", re.IGNORECASE)
    differ = [hex(c) for c in range(sys.maxunicode + 1) if bool(letter.match(chr(c))) != bool(folded.match(chr(c)))]
    assert differ == []


def test_doubled_word_finds_what_the_plain_pattern_finds():
    texts = ["according to To the Reuters news agency", "the the", "The the, the THE.", "in in-depth",
             "ſo ſo", "So ſo", "ık IK", "İt it", "\u212aey key", "kelvin \u212aelvin", "a_a a a1 a",
             "éthe the", "the théâtre", "The Thé", "year year2020", "is is"]
    for text in texts:
        found = [(m.span(), m[1], m[2]) for m in P.DOUBLED_WORD.finditer(text)]
        assert found == [(m.span(), m[1], m[2]) for m in PLAIN_DOUBLED_WORD.finditer(text)], text


def test_the_english_word_set_holds_the_english_words():
    assert P.english_word_set() == set(P.english_words())


def test_a_credit_at_a_line_end_starts_at_one_of_its_openers():
    # `fixes.photo_credits` searches only lines holding an opener.
    alphabet = "ab ©(AP Photo/Jane Doe)Reuters\n\u00a0CZx.-'"
    found = 0
    for text in random_texts(1, alphabet, 30, 20_000):
        if m := P.CREDIT_TAIL.search(text):
            found += 1
            assert text[m.start()] in P.CREDIT_TAIL_OPENERS, text
    assert found > 100


def test_a_pair_the_list_holds_is_likelier_than_any_it_does_not():
    # `pair_zipf`: a listed pair has its own count; one the list lacks is rarer than the list's cut-off.
    cap = P._web_zipf(P.PAIR_LIST_MIN)
    assert P.pair_count("her", "eyes") and not P.pair_count("here", "yes")
    assert P.pair_zipf("here", "yes") == min(P.word_zipf("here") + P.word_zipf("yes") - 9, cap)
    assert P.pair_zipf("here", "yes") <= cap < P.pair_zipf("her", "eyes")


def test_the_letter_run_count_is_the_count_of_letter_runs():
    # `glued._spliced_prose` counts a text's words from its word runs, not with `LETTERS` over the text.
    alphabet = "ab Zé_1²½Ⅻ٣-.\u2019\n"
    for text in random_texts(2, alphabet, 30, 20_000):
        assert P.letter_run_count(P.word_runs(text)) == len(P.LETTERS.findall(text)), text


def test_the_space_class_takes_what_backslash_s_takes():
    # `patterns.WHITESPACE_RUN` spells the whitespace characters out instead of writing `\s`.
    every = every_character()
    assert re.findall(f"[{P.SPACE_CLASS}]", every) == re.findall(r"\s", every)


def test_a_line_ends_a_sentence_where_the_search_finds_one():
    # `patterns.ends_sentence` matches `SENTENCE_LINE` at one place instead of searching the line.
    alphabet = "ab 1_.!?\"'”’)(é,"
    found = 0
    for line in map(str.strip, random_texts(3, alphabet, 12, 20_000)):
        expected = bool(P.SENTENCE_LINE.search(line))
        found += expected
        assert P.ends_sentence(line) == expected, line
    assert found > 1000


def test_mojibake_left_opens_with_one_of_its_openers():
    # `pipeline.quality_flags` searches only texts holding an opener.
    alphabet = "ab âÃÂ€\x80\xa9\xbf\xc0"
    found = 0
    for text in random_texts(4, alphabet, 12, 20_000):
        if m := P.MOJIBAKE_LEFT.search(text):
            found += 1
            assert text.startswith(P.MOJIBAKE_LEFT_OPENERS, m.start()), text
    assert found > 1000


def test_a_quote_is_found_only_where_its_literal_stands():
    # `fixes.fix_quotes` scans only texts holding the literal, a dangling one before a line break or at the end.
    alphabet = "a. \n\u201c\u201d"
    dangling = glued = 0
    for text in random_texts(5, alphabet, 10, 20_000):
        if P.DANGLING_OPEN_QUOTE.search(text):
            dangling += 1
            assert P.DANGLING_OPEN + "\n" in text or text.endswith(P.DANGLING_OPEN), text
        elif P.DANGLING_OPEN + "\n" in text or text.endswith(P.DANGLING_OPEN):
            raise AssertionError(text)
        if P.GLUED_CLOSE_QUOTE.search(text):
            glued += 1
            assert P.GLUED_CLOSE in text, text
    assert dangling > 100 and glued > 100


def test_a_code_line_is_what_the_plain_pattern_finds():
    # `patterns.is_code_line` splits the plain pattern in two, so that the search skips to the marks.
    plain = re.compile(r"[{};]\s*$|^\s*[}\])]|^\s*(?://|#|/\*)|\w\(\)|[=!<>]=|=>|\w=\w|^\s*\w+\s*=\s")
    alphabet = "a_1 \t{};}])//#*=!<>()x.é"
    found = 0
    for line in random_texts(6, alphabet, 8, 50_000):
        expected = bool(plain.search(line))
        found += expected
        assert P.is_code_line(line) == expected, line
    assert found > 5000


def test_a_method_before_a_call_is_what_the_plain_search_finds():
    # `patterns.method_before` searches `METHOD_BEFORE` only after the last two full stops before the "(".
    alphabet = "aab_1.. Xé("
    found = 0
    for text in random_texts(7, alphabet, 14, 50_000):
        for at in (i for i, c in enumerate(text) if c == "("):
            plain = P.METHOD_BEFORE.search(text, max(0, at - P.CALL_LOOKBACK), at)
            fast = P.method_before(text, at)
            found += plain is not None
            assert (fast and fast.span()) == (plain and plain.span()), (text, at)
    assert found > 400


def test_the_word_character_is_what_backslash_w_takes():
    # `patterns.WORD_CHAR` lists the ASCII word characters before `\w`, for speed only.
    every = every_character()
    assert re.findall(P.WORD_CHAR, every) == re.findall(r"\w", every)

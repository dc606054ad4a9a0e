"""The glued-word repair beyond the golden cases: the corpus context and the candidate tokens."""

import random
import re

from cleaning import patterns
from cleaning.fixes import Context, apply_changes
from cleaning.glued import split_glued_words, standing_alone


def split(text: str, corpus_words: frozenset[str] = frozenset()) -> str:
    return apply_changes(text, split_glued_words(text, Context(corpus_words=corpus_words)))


def test_a_token_used_across_the_corpus_still_splits_at_a_function_word():
    # aeb-dev c582d3: "thePlan" is a repeated widget, so pass one sees it in several documents.
    text = "We dig deep into how thePlan approach works."
    assert split(text, frozenset({"thePlan"})) == "We dig deep into how the Plan approach works."


def test_a_token_used_across_the_corpus_is_a_brand_between_two_content_words():
    # aeb-dev 785aff: "the fourth Star Trekfilm"; a corpus that uses "Trekfilm" in two documents makes it a name.
    text = "A new Star Trek film: the Trekfilm was delayed."
    assert split(text) == "A new Star Trek film: the Trek film was delayed."
    assert split(text, frozenset({"Trekfilm"})) == text


def test_a_word_english_writes_as_one_never_splits_between_two_content_words():
    # wordfreq knows these, though the 150k list does not; both parts stand alone in the text.
    text = "Face the Time, watch the live stream on a smart watch: FaceTime, livestream, smartwatch."
    assert split(text) == text
    # It also knows the typo "hewas"; a split at a function word does not ask it.
    assert split("and then hewas gone") == "and then he was gone"


def test_a_listed_name_stays_whole_inside_a_token_glued_to_it():
    # corpus-10mb: "a senior staff writer withSpaceNews" in a text that also names "The Space Review".
    text = "He is a senior staff writer withSpaceNews. He also runs The Space Review."
    assert split(text) == "He is a senior staff writer with SpaceNews. He also runs The Space Review."


def test_handles_hashtags_and_domains_stay_whole_but_a_sentence_after_a_full_stop_splits():
    assert split("Follow #BrownsGreedy and visit example.comwas today.") == "Follow #BrownsGreedy and visit example.comwas today."
    # aeb-dev 6a72de: a tweet's hashtag with the next word glued on ("#Steelers was") splits at that function word.
    assert split("Follow #Steelerswas good.") == "Follow #Steelers was good."
    assert split("It had smog today.Parishas too.") == "It had smog today.Paris has too."


def test_unknown_tokens_keep_numbers_glued_to_words_and_non_ascii_letters_but_not_bare_numbers():
    unknown = patterns.unknown_tokens("more than10 people at Dräger paid 20000 dollars to Afghanistanof")
    assert unknown == {"than10", "Dräger", "Afghanistanof"}
    assert patterns.unknown_tokens("Dräger and than10, 20000") == {"Dräger", "than10"}


def test_every_glued_token_is_split_in_one_pass():
    text = "according toTheHollywood Reporter, in BeijingThe city. Cities like Beijinghave smog."
    once = split(text)
    assert once == "according to The Hollywood Reporter, in Beijing The city. Cities like Beijing have smog."
    assert split(once) == once


def test_a_token_that_cannot_split_with_every_part_standing_alone_splits_in_no_text():
    # `_may_split` remembers, per token, the answer for the most favourable text; it must never hide a split.
    from pathlib import Path

    from cleaning.glued import _Everything, _glue_points, _may_glue, _unheard_of

    words, checked = patterns.english_words(), 0
    for path in sorted(Path(__file__).parents[2].glob("bench/aeb-dev/raw/*.txt")):
        text = path.read_text(encoding="utf-8")
        standalone = set(patterns.LETTERS.findall(text))
        for token in patterns.unknown_tokens(text):
            if (_may_glue(token) or _unheard_of(token)) and not _glue_points(token, words, _Everything()):
                checked += 1
                assert _glue_points(token, words, standalone) == [], token
    assert checked > 500


def test_a_cut_moves_only_to_a_boundary_of_two_words_english_writes_far_more_often():
    from cleaning.glued import _likeliest_boundary

    assert _likeliest_boundary("entrancesto", 8) == 9  # "entrance|sto" -> "entrances|to"
    assert _likeliest_boundary("atour", 2) == 2  # "at|our" stays: "a|tour" is not ten times likelier
    assert _likeliest_boundary("Yeolover", 4) == 4  # "Yeol" is no word a list knows: the text was the evidence
    assert _likeliest_boundary("TalibanThe", 7) == 7  # a case change is no hidden boundary


def test_an_adverb_is_one_of_a_word_both_in_the_word_list():
    from cleaning.glued import _adverb

    assert all(map(_adverb, ["rudely", "falsely", "happily", "deeply"]))
    # no adverbs of a common word ("fami", "jel", "ear", "da"); wordfreq knows the glue "theonly"
    assert not any(map(_adverb, ["family", "jelly", "early", "daily", "theonly", "ly"]))


def test_a_name_the_text_writes_whole_is_not_split_inside_a_token_glued_to_it():
    # rdb-dev dropbox-blog: "Edgestore" is written alone seven times; glued between words it parts
    # from them, not inside ("fromEdgestoreand", "theEdgestoreentity").
    text = "ATF uses Edgestore as a store. Edgestore objects are entities. The consumer pulls a task fromEdgestoreand the HSC updates theEdgestoreentity."
    assert split(text).endswith("pulls a task from Edgestore and the HSC updates the Edgestore entity.")
    # aeb-dev 785aff: the text splits "Trekfilm" itself, so a token glued to it splits inside it too.
    assert split("A new Star Trek film: the Trekfilm was delayed, the fourthTrekfilm too.").endswith("the fourth Trek film too.")


def test_a_word_stands_alone_where_the_plain_lookarounds_find_it():
    # `glued.standing_alone` puts the word before its lookbehind, so that the search skips to it.
    rng = random.Random(8)
    found = 0
    for _ in range(20_000):
        text = "".join(rng.choice("abAB_1 .\nſ") for _ in range(rng.randint(0, 12)))
        word = "".join(rng.choice("abAB") for _ in range(rng.randint(1, 3)))
        for flags in (0, re.IGNORECASE):
            plain = [m.span() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text, flags)]
            found += len(plain)
            assert [m.span() for m in re.finditer(standing_alone(word), text, flags)] == plain, (word, text)
    assert found > 1000

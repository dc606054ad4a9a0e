"""Regexes and word lists shared by the repairs: data, kept apart from the functions.

Lists that a user might extend (mixed-case names) live in ``cleaning/data/``.
"""

from __future__ import annotations

import hashlib
import math
import re
from array import array
from functools import cache, lru_cache
from importlib import resources
from itertools import filterfalse
from pathlib import Path

import numpy as np

# --- encoding -------------------------------------------------------------
# Text worth handing to ftfy: mojibake as ftfy's own badness check sees it,
# plus what its other fixes act on (C0/C1 controls, the replacement character,
# ligatures, full-width forms, combining marks, HTML entities, lost bytes).
# Anything else (accented letters, curly quotes, dashes) ftfy would leave alone.
_ENTITY = r"&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);"  # an HTML entity
FTFY_TRIGGER = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd\ufb00-\ufb06\uff00-\uffef\u0300-\u036f]"
    rf"|{_ENTITY}|â€"
)
# A UTF-8 lead byte and a continuation byte, both read as cp1252 ("Ã©", "â€™").
_CONTINUATION = ("\x80-\xbf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152"
                 "\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178")
MOJIBAKE_PAIR = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]")
# Characters clean English news is made of beyond ASCII; anything else earns a closer look.
_COMMON_NON_ASCII = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u2022\u00a0\u00a3\u00a9\u00ae\u2122\u00b0\u20ac"
UNUSUAL_CHAR = re.compile(f"[^\x00-\x7f{_COMMON_NON_ASCII}]")
# A character that can make a line need ftfy, in one scan: an unusual character, a control
# character or an HTML entity. One class opens it (anything but a tab, a newline, printable
# ASCII other than "&" and the common characters), so the scan skips from one suspect to the
# next; an "&" counts only as the start of an entity. (Three alternatives would each be tried
# at every position.)
ENCODING_SUSPECT = re.compile(f"[^\t\n\x20-\x25\x27-\x7e{_COMMON_NON_ASCII}](?:(?<=&){_ENTITY[1:]}|(?<!&))")
# Mojibake still in a cleaned text (the benchmark's own test): flagged, never silent. Each
# match opens with one of MOJIBAKE_LEFT_OPENERS, which `in` finds far faster than the regex
# scan (sre tests each character against the class of the openers): a text without one is
# passed without a search.
MOJIBAKE_LEFT_OPENERS = ("â€", "Ã", "Â")
MOJIBAKE_LEFT = re.compile(r"â€|Ã[\x80-\xbf]|Â[\x80-\xbf ]")
# What ftfy leaves when a byte was lost on the way: U+201D is E2 80 9D and 0x9D
# has no cp1252 character, so scrapers drop it and leave "â€" behind.
LOST_BYTE_MOJIBAKE = {"â€": "\u201d"}
NON_ASCII_RUNS = re.compile(r"([^\x00-\x7f]+)")
DIFF_TOKENS = re.compile(r"\s+|[^\s]+")
# "â€" not followed by a character that cp1252 makes of a UTF-8 continuation byte.
LOST_BYTE_GAP = re.compile(f"\u00e2\u20ac(?![{_CONTINUATION}])")
LOST_BYTE_RE = re.compile("|".join(map(re.escape, LOST_BYTE_MOJIBAKE)))

# --- whitespace -----------------------------------------------------------
ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# A run of whitespace that may need changing: two or more characters, or anything
# but a plain space or newline (a lone space or newline at either end of the
# text is found apart: an anchor tried at every position slows the scan). It opens
# with one whitespace character, a single class, so the scan skips from one to the
# next; then the rest of the run, or a lone one that is no plain space or newline.
# The whitespace characters are spelled out, not written `\s`: sre tests a class of characters
# alone with a table, where a category in it costs a lookup of every character's category first.
# (tests/cleaning/test_patterns.py checks that SPACE_CLASS takes what `\s` takes.)
SPACE_CLASS = "\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_WS = rf"[{SPACE_CLASS}\u200b\u200c\u200d\u2060\ufeff\u00ad]"
WHITESPACE_RUN = re.compile(rf"{_WS}(?:{_WS}+|(?<=[^\S \n]|{ZERO_WIDTH.pattern}))")

# --- captions ---------------------------------------------------------------
# A photo credit at the end of a paragraph the caption was glued to: the credit
# goes, the paragraph stays ("… in Kosovo on Sunday © Reuters", "… (AP Photo/Jane Doe)").
# It starts at the "©" or "(", so the search skips from one to the next; the spaces
# before the credit go with it (`fixes.photo_credits`). A line with neither
# (CREDIT_TAIL_OPENERS) is passed without a search: sre tests each character
# against a class, where `in` scans for one character much faster.
CREDIT_TAIL_OPENERS = ("©", "(")
CREDIT_TAIL = re.compile(
    r"(?:©[^\S\n]*(?!\d{4})[A-Z][\w.&/' -]{1,40}"
    r"|\((?:AP|AFP|EPA|Reuters|Getty Images|AP Photo|AFP Photo|Reuters Photo)\b[^()\n]{0,60}\))[^\S\n]*$"
)
# A syndicator's photo credit that opens the paragraph it was glued to ("© Provided by
# Business Insider IncNintendo and Apple shocked…"): the credit goes, up to the
# publisher's company suffix, and the paragraph stays.
CREDIT_HEAD = re.compile(r"©[^\S\n]*Provided by[^\S\n]+[A-Z][\w.&' -]{0,40}?(?:Inc|Ltd|LLC|Limited|Group|Media)"
                         r"(?:\b\.?|(?=[A-Z]))[^\S\n]*")

# --- lines -------------------------------------------------------------------


# Pass one counts the lines of up to REPEATED_LINE_MAX characters; a line more than twice
# that long is never taken for one of them (its whitespace would have to be most of it).
REPEATED_LINE_MAX = 120
# A text's story is known by its twelve longest paragraphs (`story_keys`); a text that shares half
# of them (two at least) with other documents is a copy of a story they hold too.
STORY_PARAGRAPHS = 12


def is_repeated(line: str, repeated: frozenset[str]) -> bool:
    """Tell whether a stripped line is one the corpus repeats, as `line_key` counts lines.

    >>> is_repeated("Follow us\u00a0on  Telegram", frozenset({"Follow us on Telegram"}))
    True
    """
    if len(line) > 2 * REPEATED_LINE_MAX:
        return False
    # A line spaced as its key is looked up as it is; only another spacing is collapsed first.
    # Whitespace other than a space is never printable, so a printable line without a double
    # space is spaced as its key (a str method, where a regex would cost more).
    return (line_key(line) if "  " in line or not line.isprintable() else line) in repeated


def ends_sentence(line: str) -> bool:
    """Tell whether a stripped line ends a sentence (`SENTENCE_LINE`), trying the pattern only where it can match.

    A match starts two characters before the closing quotes and brackets
    that end the line, so it is matched there; a search would try it at
    every word character of the line.

    >>> ends_sentence("“We will not harm them,” he said.”"), ends_sentence("Follow us on Telegram")
    (True, False)
    """
    at = len(line.rstrip(SENTENCE_CLOSERS)) - 2
    return at >= 0 and bool(SENTENCE_LINE.match(line, at))


def story_keys(text: str) -> frozenset[int]:
    """Return 64-bit keys of a text's STORY_PARAGRAPHS longest lines past REPEATED_LINE_MAX characters (its paragraphs).

    Copies of one wire report on several sites, or a page scraped twice,
    share most of them; pages of one site share a cookie notice or a menu
    glued into one line, but not their articles' paragraphs. Lines that end
    a sentence are taken first: a site's menus and link lists glued into
    long lines would crowd a short story's paragraphs out.

    >>> story = "The Taliban condemned the United States on Wednesday for what they described as interference. " * 2
    >>> story_keys("Home\\n" + story + "\\nShare") == story_keys(story + "\\nMore news")
    True
    """
    paragraphs = [line.strip() for line in text.split("\n") if len(line) > REPEATED_LINE_MAX]
    paragraphs = [line for line in paragraphs if ends_sentence(line)] or paragraphs
    longest = sorted(paragraphs, key=len)[-STORY_PARAGRAPHS:]
    return frozenset(_hash64(line) for line in longest)


def shares_story(keys: frozenset[int], shared: frozenset[int], repeated: frozenset[int] = frozenset()) -> bool:
    """Tell whether a text of `story_keys` `keys` copies a story: half of them, and two at least, are `shared`.

    A short story may have one key only: it is a copy when that key is
    `repeated`, in as many documents as its short lines would need to be
    to count as repeated lines.

    A copy on another site may have as many long lines of furniture (a
    cookie notice, a menu glued into one line, a legal footer) among its
    longest as lines of the story.

    >>> shares_story(frozenset({1, 2, 3, 4}), frozenset({1, 2, 9}))
    True
    >>> shares_story(frozenset({1, 2, 3, 4, 5}), frozenset({2, 3}))
    False
    >>> shares_story(frozenset({1}), frozenset({1})), shares_story(frozenset({1}), frozenset({1}), frozenset({1}))
    (False, True)
    """
    if len(keys) == 1:
        return keys <= repeated
    found = len(keys & shared)
    return found >= 2 and 2 * found >= len(keys)


def line_key(line: str) -> str:
    """Return a line as the corpus counts it: stripped, every run of whitespace one space.

    >>> line_key("  Follow us\u00a0on  Telegram ")
    'Follow us on Telegram'
    """
    return " ".join(line.split())


# --- line breaks ----------------------------------------------------------
# A line break a scraper kept from the page's source inside one paragraph: the
# next line is indented deeper than its paragraph's first line (the source's own
# indentation), or it goes on in
# lowercase after a long line that stops mid-sentence (text wrapped at a width).
WRAP_CANDIDATE = re.compile(r"\n(?:[ \t]+\S|[a-z])")  # a text without one has nothing to join
WRAP_MIN_CHARS = 40  # a line cut by a wrap width is long; a menu item or heading is short
WRAP_MIN_WORDS = 6
WRAP_TAIL = 200  # characters of the joined paragraph those two tests read
WRAP_OPEN_END = re.compile(r"[\w,]$")  # no sentence, colon or semicolon ends the line
# A text wrapped at a width (`fixes.wrap_width`): WRAP_WIDTH_LINES lines or more, and
# WRAP_WIDTH_SHARE of its lines of WRAP_MIN_CHARS or more, end within WRAP_SLACK characters
# of one width between WRAP_MIN_WIDTH and WRAP_MAX_WIDTH, and almost none is longer
# (WRAP_OVER_SHARE: a web address cannot be cut).
WRAP_MIN_WIDTH, WRAP_MAX_WIDTH = 50, 120
WRAP_SLACK = 15
WRAP_WIDTH_LINES = 6
WRAP_WIDTH_SHARE = 0.6
WRAP_OVER_SHARE = 0.05
# The next line starts a list item, a table row or a quote block: its own block.
LIST_ITEM = re.compile(r"(?:[-*•·▪◦–—>|]|\d{1,3}[.)]|[a-z][.)])(?:\s|$)")
# Code keeps its line breaks (`is_code_line`): a line that opens with a closing bracket, a comment
# or an assignment (CODE_LINE_START, matched at its start), or that holds a brace or statement
# end at its end, an empty call, a comparison, an arrow or an assignment without spaces
# (CODE_MARK). Each of CODE_MARK's alternatives opens with its punctuation, the lookbehinds
# asking for the word character before it, so the search skips from one mark to the next
# (anchored alternatives beside them, or a word character first, would be tried at every position).
CODE_LINE_START = re.compile(r"\s*(?:[}\])]|//|#|/\*|\w+\s*=\s)")
CODE_MARK = re.compile(r"[{};]\s*$|\((?<=\w\()\)|[=!<>]=|=>|=(?<=\w=)\w")

# --- words ----------------------------------------------------------------
WORD = re.compile(r"[A-Za-z]+")
# Letters of any script: what "stands alone" in a text ("Dräger", not "Dr" and "ger").
LETTERS = re.compile(r"[^\W\d_]+")
# A word character, as `\w` takes it, with the ASCII ones listed first: sre tests those with a
# table and asks the Unicode category only of the others, where `\w` alone asks it of every
# character (most are ASCII letters). tests/cleaning/test_patterns.py checks it against `\w`.
WORD_CHAR = r"[0-9A-Za-z_\w]"
# A run of word characters: a text's tokens as `word_runs` finds them, in one scan.
WORD_RUN = re.compile(rf"{WORD_CHAR}+")
# A token the glued-word repair looks at: a run of 5+ letters or digits ("Afghanistanof",
# "than10", "withDräger"). Found as a run of 5+ word characters, the ones with an underscore
# dropped after (`unknown_among`): the same tokens as ``\b[^\W_]{5,}\b``, in a faster scan;
# tokens of digits alone are dropped too.
GLUE_CANDIDATE = re.compile(rf"{WORD_CHAR}{{5,}}")
# A lowercase word glued to a number ("than10", "the14th", "the1990s").
WORD_THEN_NUMBER = re.compile(r"([a-z]{2,})(\d+(?:st|nd|rd|th|s)?)")
# A capitalised word glued to the number after it ("January2020", "Retrieved27"): a
# month or a past tense, which no product name is ("Windows10", "Office365" are).
CAPITAL_THEN_NUMBER = re.compile(r"([A-Z][a-z]{2,})(\d{1,4})")
MONTHS = frozenset(
    "January February March April May June July August September October November December "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec".split()
)
# A number glued to a name ("12Cleveland") or to a capitalised function word that starts
# the next sentence ("207The list").
NUMBER_THEN_WORD = re.compile(r"(\d{2,})([A-Z][a-z]+)")
# Function words that scrapers glue onto a neighbour when link text is spliced.
GLUE_WORDS = frozenset(
    "of the and in to for on at by with from is was are its it as that this has have had "
    "were be been but not or their his her they he she we who which into over after an if so than "
    "then just still out such also about you your my our what when where why how all some any can "
    "would will could should did do does more most very now".split()
)
# Conjunctions and prepositions beyond `GLUE_WORDS` that a glued word may end or
# start with ("vaccinationsbecause", "Westvia", "Yetfires"); not "through" ("walkthrough"),
# nor "haven" ("safehaven").
LINK_WORDS = frozenset(
    "because although though while whether both via during without between against among until unless yet "
    "may might must no "
    # the stems of "n't" ("itwouldn’t"); not "don", "won", "can" ("London", "pecan")
    "wouldn couldn shouldn didn doesn isn wasn aren weren hasn hadn".split()
)
TAIL_WORDS = GLUE_WORDS | LINK_WORDS
# Function words no capitalised word ends in, so a common word glued to one splits ("Roadmapfor");
# not "of" ("Romanof") nor "is" ("Davis").
WORD_THEN_TAIL = frozenset("for the with from that which".split())
# The start of a web address glued to the word before it ("visitwww"): no English word ends so.
URL_STARTS = frozenset("www http https".split())
# How an address glued to the word before it starts ("neededpic.twitter.com").
ADDRESS_STARTS = ("www", "http", "https", "pic")
# Function words that never start a compound, so even a rare word after them is
# a glued pair ("wasbesieged", "ofconcealing"); not "be", "in", "had" ("bespoke",
# "inexact", "haddocks").
CLOSED_WORDS = frozenset(
    "of the and was were is are has have that this their its from than which who would could should "
    "been with such".split()
)
# Function words that end compounds ("takeout", "northernmost", "handsome"): after
# a lowercase content word they need a very common left part.
FUNCTION_SUFFIXES = frozenset("out over about some most more all any where after".split())
# Pronouns: a capitalised pronoun glued to an auxiliary is two words ("Hewas").
PRONOUNS = frozenset("he she it they we you who i".split())
# The English words of one letter, as a token glued to a word starts with them ("asystem", "Iwrote").
ONE_LETTER_WORDS = frozenset("a A I".split())
# How much more often (in Zipf units: ten times) English must write another boundary's two words side by side
# before a glued token's cut moves there (`glued._likeliest_boundary`: "entrance|sto" -> "entrances|to").
BOUNDARY_MARGIN = 1.0
# The least count of a pair in wordsegment's list of pairs (per 10^12 words): `pair_zipf` caps estimates there.
PAIR_LIST_MIN = 100_000
# The article before a capital: where a token glued to a name may split after one letter ("aNASA").
ARTICLE_CAPITAL = re.compile(r"a[A-Z]")
# Endings that close a word: a lowercase join after them is two words, not a compound.
WORD_ENDINGS = ("s", "ed", "ly", "ing")
VERB_ENDINGS = ("ed", "ing")
# Inflections that make a word from a word ("haddock" -> "haddocks"), as (ending, what it replaced).
INFLECTIONS = (("s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ly", ""))
# Endings of the right part that `_lower_ok` may take as evidence (verbs, "-ly" adverbs).
HINGE_ENDINGS = (*VERB_ENDINGS, "ly")
# Frequent irregular verbs that follow a name in running text ("Nadalkept").
COMMON_VERBS = frozenset(
    "said says told kept left made took gave went came found saw won lost led ran got put set wrote "
    "knew thought became began felt held brought stood met paid sent spent built "
    "reports writes adds tells notes warns argues explains claims".split()
)
# Verbs no name ends in, so a name glued to one splits even if it is rare
# ("Bridenstinesaid", "Burrishas"); not "had" ("Dilshad") nor "is" ("Davis").
NAME_THEN_VERB = frozenset("was has will would said says told added".split())
# Right-hand parts that can end a glued pair on their own (function words and verbs).
GLUE_HINGES = TAIL_WORDS | COMMON_VERBS | NAME_THEN_VERB | URL_STARTS
HINGE_LENGTH = max(map(len, GLUE_HINGES))
# Code, handles, paths and addresses: a token next to one of these characters is never split
# ("@NelsonSchwartz", "reqHeaders_x", "getElementById(", "browserAction/pageAction").
CODE_BEFORE = frozenset("@/\\_=$~`<{|")
CODE_AFTER = frozenset("(_=/\\@{<`|")
# Code written in a text, not glue (`code_syntax`): a snake_case name that is no handle
# ("claimed_timestamp", not "@s_bielefeld"), a call ("mocha.run(", "n()"). A text with two of them writes code.
SNAKE_CASE = re.compile(r"(?<![@\w./])[a-z]+_[a-z_]+\b(?![@.])")
METHOD_BEFORE = re.compile(r"\b[a-z]\w*\.[a-z]\w*\Z")  # "mocha.run", ending where a "(" follows
EMPTY_CALL = re.compile(r"\w\(\)")
CALL_LOOKBACK = 300  # characters before a "(" that a method name may take
CODE_SYNTAX_MIN = 2
# Endings of a word before a capital that no identifier starts with ("fixedBug", "executionTasks").
INFLECTED_ENDINGS = ("s", "ed", "ing", "ion", "ly")
# A capitalised word and a space ending where a token starts: a first name before a surname
# glued to its verb ("Rob Weirshrugged"), looked for in the NAME_LOOKBACK characters before it.
NAME_BEFORE = re.compile(r"(?<!\w)[A-Z][a-z]+ \Z")
NAME_LOOKBACK = 40
# Two capitalised words glued at a line's start, then the sentence going on in lowercase: a heading or
# label that lost its line break ("IsolationTasks in a given lambda", "BusinessStock indexes"). The first
# has 6+ letters: brands join short words ("NewsGuard rated", "DataDog logs"), headings are any word.
HEADING_GLUE = re.compile(r"^([A-Z][a-z]{5,})[A-Z][a-z]{2,} [a-z]", re.MULTILINE)
# A drop capital: a line's first letter set apart from the rest of its word ("W hatever"), not "A" or "I".
DROP_CAPITAL = re.compile(r"^[B-HJ-Z] ", re.MULTILINE)
# What may stand between a sentence's punctuation and its first word (quotes, brackets, spaces),
# and what ends a sentence or a line before it ("…said.Yetfires", "\u201cYet").
SENTENCE_OPENERS = frozenset("\"'\u201c\u2018([ \t")
SENTENCE_ENDS = frozenset("\n.!?:;")
# A code identifier's shape: lowercase, then capitalised parts ("reqHeaders", "getElementById").
IDENTIFIER = re.compile(r"([a-z]+)(?:[A-Z][a-z0-9]*)+")
CAPITAL_RUN = re.compile(r"[A-Z]+")
# How much rarer than its parts side by side (in Zipf units, powers of ten) a token wordfreq
# knows must be to split: "hewas" (1.5 against 3.1 for "he was") splits, "incautious" does not.
ZIPF_MARGIN = 1.0
# Two function words the web list holds as one word ("inthe") are glue when wordfreq rates the token
# this far (in Zipf units: 100 times) below the pair side by side (`_function_pair_typos`).
FUNCTION_PAIR_MARGIN = 2.0
# Prose spliced from link texts (`glued._spliced_prose`): at least this many strict splits,
# at this rate per 1,000 words, let two English words of `SPLICED_ZIPF` or more split.
SPLICED_MIN_SPLITS = 5
SPLICED_RATE = 8.0
SPLICED_ZIPF = 1.5
# A part this common (half a Zipf more for 3-4 letters) needs no other evidence, nor one
# this long beside a function word (two more letters beside another word); the rest
# must stand alone in the text.
SPLICED_COMMON_ZIPF = 3.5
SPLICED_LONG = 5
# Function words and pronouns a spliced link text glues to ("himto", "mefor", "aceof", "Islid").
SPLICE_WORDS = GLUE_WORDS | LINK_WORDS | frozenset("a i me him them us".split())
APOSTROPHES = ("'", "\u2019")
# Word counts (wordsegment's web corpus) that mark an English word (top 150k),
# a common word (top ~25k) and a very common one (top ~10k).
WORD_COUNT = 49_000
COMMON_COUNT = 1_000_000
VERY_COMMON_COUNT = 5_000_000
# log10 of the tokens in that corpus (Google's web trillion words): counts to Zipf frequencies.
WEB_CORPUS_LOG10 = 12.01
# Parts that join real compounds without a space: never a glue point.
COMPOUND_PREFIXES = frozenset(
    "anti pre non post multi co re un over under inter trans cyber mega micro super semi sub counter "
    "out up down self mid off on in ex bi tri pro de dis mis fore back "
    "crypto bio geo eco tele nano techno photo electro neuro psycho hydro thermo aero agro astro auto info".split()
)
# Function words that also start compounds ("overdrew", "outgrew").
FUNCTION_PREFIXES = frozenset("over out up down off under back".split())
COMPOUND_SUFFIXES = frozenset(
    "like wide based led free less ship hood man men woman women land side ware ward wards "
    "ness ment able ible ism ist ing ed er ers est ly line lines time times day days wise "
    "son sons ton town ville burg berg stein field wood ford stan ham ley well worth "
    "gate mania fest verse".split()
)
# Heads of compounds that are not in the word list ("crowdfunding", "chipmakers"):
# a long lowercase pair never splits before them.
COMPOUND_HEAD_ENDINGS = ("ing", "er", "ers")
# Name prefixes that make a lower-to-upper case change inside a real name.
NAME_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "Al", "El", "O")

# Words that start a sentence and are never capitalised mid-sentence.
SENTENCE_STARTERS = frozenset(
    "The In On At For But This That These Those It He She They We His Her Their Its "
    "After Before While When If Since However Despite During Although Meanwhile".split()
)
# Conjunctions that open a sentence and start no brand or place name, however short (unlike "So", "Nor",
# "Or": "SoHo", "NorCal", "OrCAD"): glued to a capitalised word, they are a sentence's first word ("ButBenjamin").
OPENING_CONJUNCTIONS = frozenset("But And Yet".split())
# Words that are never doubled in good English ("the the", "to To").
DOUBLE_SAFE = frozenset("the a an of to in on at for and is was by with from".split())
# The word is taken whole (possessive): a shorter part of it never has the space after it, and
# giving the letters back one by one before every comma or full stop would cost the scan.
# Only the second word is compared ignoring case: a class matched ignoring case costs a case
# fold at every letter of the text, so the first word's class lists what [A-Za-z] takes then:
# ASCII letters and the four that fold to them (İ, ı, ſ and the Kelvin sign).
CASED_ASCII_LETTER = "[A-Za-z\u0130\u0131\u017f\u212a]"
DOUBLED_WORD = re.compile(rf"\b({CASED_ASCII_LETTER}++) ((?i:\1))\b")
# " In the": a sentence starter between words (the letter before the space is
# checked by the repair: a lookbehind here would be tried at every position).
# The starters are capitalised: after a space, a lowercase word is passed over at once.
SENTENCE_BREAK = re.compile(rf" (?=[A-Z])({'|'.join(sorted(SENTENCE_STARTERS))}) (?=[a-z])")
# A stripped line that ends a sentence: a word character, its punctuation, then closing quotes and
# brackets (`ends_sentence`).
SENTENCE_CLOSERS = "\"'”’)"
SENTENCE_LINE = re.compile(rf"\w[.!?][{SENTENCE_CLOSERS}]*$")
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s")

# --- quotes ---------------------------------------------------------------
# Both start with their literal, so the scan jumps from quote to quote; the
# character before is checked by the repair (`QUOTE_DANGLES_AFTER`, `QUOTE_GLUES_AFTER`).
# A text without the literal is passed without a scan (`in` finds it far faster); a dangling
# quote ends a line, so its literal stands before a line break or at the text's end.
DANGLING_OPEN = " \u201c"
GLUED_CLOSE = " \u201d"
DANGLING_OPEN_QUOTE = re.compile(rf"{DANGLING_OPEN}$", re.MULTILINE)
GLUED_CLOSE_QUOTE = re.compile(rf"{GLUED_CLOSE}(?=\w)")
QUOTE_DANGLES_AFTER = ".!?,"
QUOTE_GLUES_AFTER = ".,!?_"  # or a letter or digit


@cache
def known_names() -> frozenset[str]:
    """Return the mixed-case names and brands never to split (``data/names.txt``)."""
    text = resources.files("cleaning").joinpath("data/names.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@cache
def english_words() -> dict[str, int]:
    """Return the counts of the 150k most frequent English words (wordsegment's web corpus).

    Read from wordsegment's unigram file directly: its `load()` also reads
    286k bigrams into a dict (`pair_count` keeps them as hashes), and rarer words never decide a split.
    """
    import wordsegment

    counts = {}
    with open(Path(wordsegment.__file__).with_name("unigrams.txt"), encoding="utf-8") as f:
        for line in f:  # most frequent first: stop at the first word below the threshold
            word, _, count = line.partition("\t")
            if (n := int(count)) < WORD_COUNT:
                break
            counts[word] = n
    for typo in _function_pair_typos(counts):
        del counts[typo]
    return counts


@cache
def english_word_set() -> frozenset[str]:
    """Return the words of `english_words()` as a set, for the scans that only ask whether a token is one.

    A set finds a word in one probe of its table, a dict in two (its index,
    then its entries): the scan of every token of a text (`unknown_among`)
    costs less. Built from a list, as a dict's keys would size the table
    twice over (8 MB, not 4).
    """
    return frozenset(list(english_words()))


def _function_pair_typos(counts: dict[str, int]) -> set[str]:
    """Return the entries of the web list that are two function words glued: "inthe", "ofthe", "tothe", "andthe".

    The web corpus is full of such glue, so its list holds them as words; but
    wordfreq, built from edited text as well, rates each far below what its
    two words side by side predict (`FUNCTION_PAIR_MARGIN`, in Zipf units),
    where the function words English writes as one stay ("without",
    "cannot", "whereas", "onto"). Only tokens of 5+ letters are ever split.
    """
    pairs = {a + b: (a, b) for a in GLUE_WORDS for b in GLUE_WORDS if len(a + b) >= 5 and a + b in counts}
    written = {w: _wordfreq_zipf(w) for w in pairs}
    return {w for w, (a, b) in pairs.items()
            if _web_zipf(counts[a]) + _web_zipf(counts[b]) - 9 - written[w] >= FUNCTION_PAIR_MARGIN}


@lru_cache(maxsize=1 << 16)
def known_word(word: str) -> bool:
    """Tell whether `word` (lowercase) is an English word: in `english_words()` or wordfreq's large list (321k).

    wordfreq knows compounds and brands that are newer or rarer than the 150k
    list ("livestream", "smartwatch", "hourlong", "snapchat"): English writes
    those as one word, so they never split between two content words. (It
    also knows frequent typos such as "hewas", so a split at a function word
    does not ask it.)
    """
    return word in english_words() or word_zipf(word) > 0


@lru_cache(maxsize=1 << 16)
def word_zipf(word: str) -> float:
    """Return the Zipf frequency of `word` (lowercase; log10 of uses per billion words), 0 for a word no list knows.

    From wordsegment's counts for the 150k list (a trillion-word web corpus),
    from wordfreq's buckets for the 5+ letter words beyond it.
    """
    if count := english_words().get(word):
        return _web_zipf(count)
    return _wordfreq_zipf(word)


def _web_zipf(count: int) -> float:
    """Return the Zipf frequency of a count in wordsegment's web corpus."""
    return math.log10(count) - WEB_CORPUS_LOG10 + 9


def _wordfreq_zipf(word: str) -> float:
    """Return wordfreq's Zipf frequency of a lowercase word of 5+ letters (`_wordfreq_hashes`), 0 if it has none."""
    centibels = _look_up(_wordfreq_hashes(), word)
    return 0.0 if centibels is None else 9 - centibels / 100


@cache
def _wordfreq_hashes() -> tuple[np.ndarray, np.ndarray]:
    """Return the sorted 64-bit hashes of the 5+ letter words wordfreq knows, with their buckets.

    Hashes, not strings: 3 MB instead of some 40 MB in every worker. A
    collision could only make a token "known", which keeps it whole. The
    frequency is wordfreq's bucket, in centibels below one use per word.
    `word_zipf` asks it for the words beyond `english_words()`, and
    `english_words` itself for the function-word pairs its list holds
    (`_function_pair_typos`): wordfreq's list is read once.
    """
    import wordfreq

    digests, buckets = bytearray(), array("H")
    for bucket, group in enumerate(wordfreq.get_frequency_list("en", "large")):
        for w in group:
            if len(w) >= 5:
                digests += _digest(w)
                buckets.append(bucket)
    wordfreq.get_frequency_list.cache_clear()  # wordfreq keeps the 321k strings otherwise
    return _hash_table(digests, buckets, np.uint16)


def _hash_table(digests: bytes, values: array, dtype: type) -> tuple[np.ndarray, np.ndarray]:
    """Return the keys' hashes (their `_digest`s, joined) sorted, with their values, for `_look_up`.

    Of equal hashes the first stays. Every process builds its tables at
    start (some 420k keys), so the digests are read as one array: a numpy
    scalar per key (`_word_hash`) would cost more than hashing it.
    """
    hashes = np.frombuffer(digests, dtype="<u8").astype(np.uint64)  # `_hash64`'s little-endian integers
    hashes, first = np.unique(hashes, return_index=True)  # the first is the most frequent
    return hashes, np.frombuffer(values, dtype=dtype)[first]


def _look_up(table: tuple[np.ndarray, np.ndarray], key: str) -> int | None:
    """Return the value a `_hash_table` holds for `key`, or None."""
    hashes, values = table
    hashed = _word_hash(key)
    i = hashes.searchsorted(hashed)
    return int(values[i]) if i < len(hashes) and hashes[i] == hashed else None


def _word_hash(word: str) -> np.uint64:
    """Hash a word to 64 bits, the same in every process (a numpy scalar: `searchsorted` needs the array's type)."""
    return np.uint64(_hash64(word))


def _hash64(text: str) -> int:
    """Hash a text to 64 bits, the same in every process and run (unlike `hash`)."""
    return int.from_bytes(_digest(text), "little")


def _digest(text: str) -> bytes:
    """Return the 8 bytes `_hash64` reads as a little-endian integer (the tables join them: `_hash_table`)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()


def pair_count(first: str, second: str) -> int:
    """Return how often English writes two lowercase words side by side ("see time"), 0 below 100k per 10^12 words.

    From wordsegment's 250k most frequent pairs in Google's web trillion words.
    """
    return _look_up(_pair_hashes(), f"{first} {second}") or 0


def pair_zipf(first: str, second: str) -> float:
    """Return the Zipf frequency of two lowercase words side by side: listed (`pair_count`), or estimated.

    A pair the list does not hold is rarer than its cut-off (100k per 10^12
    words), so the estimate from the words' own frequencies, as if
    independent, is capped there: "here yes" stays below "her eyes".
    """
    if count := pair_count(first, second):
        return _web_zipf(count)
    return min(word_zipf(first) + word_zipf(second) - 9, _web_zipf(PAIR_LIST_MIN))


@cache
def _pair_hashes() -> tuple[np.ndarray, np.ndarray]:
    """Return the sorted 64-bit hashes of wordsegment's word pairs of letters, with their counts (2 MB, not 30)."""
    import wordsegment

    digests, counts = bytearray(), array("Q")
    with open(Path(wordsegment.__file__).with_name("bigrams.txt"), encoding="utf-8") as f:
        for line in f:
            pair, _, count = line.partition("\t")
            if pair.replace(" ", "").isalpha():
                digests += _digest(pair)
                counts.append(int(count))
    return _hash_table(digests, counts, np.uint64)


def load_word_lists() -> None:
    """Load the word lists now (before forking workers, which then share them)."""
    english_word_set()
    _wordfreq_hashes()
    _pair_hashes()


def is_code_line(line: str) -> bool:
    """Tell whether a line reads as code: brackets, statement ends, assignments, calls, comparisons, comments.

    >>> is_code_line("    if (x >= 10) {"), is_code_line("} else {"), is_code_line("Prices rose (again) today.")
    (True, True, False)
    """
    return bool(CODE_LINE_START.match(line) or CODE_MARK.search(line))


def method_before(text: str, at: int) -> re.Match | None:
    """Find the method name (`METHOD_BEFORE`: "mocha.run") in the CALL_LOOKBACK characters before the "(" at `at`.

    Its one full stop is the last before the "(", with a lowercase letter
    after it, and it starts after the full stop before that one: the
    pattern is searched only then, and only from there (most full stops
    end a sentence, with a space after them).

    >>> method_before("Run it. Then mocha.run(", 22)[0], method_before("He said. It (the plan)", 11)
    ('mocha.run', None)
    """
    start = max(0, at - CALL_LOOKBACK)
    stop = text.rfind(".", start, at)
    if stop < 0 or not "a" <= text[stop + 1:stop + 2] <= "z":
        return None
    return METHOD_BEFORE.search(text, max(start, text.rfind(".", start, stop) + 1), at)


def code_syntax(text: str) -> set[str]:
    """Return the distinct bits of code syntax in `text`: snake_case names, method calls, empty calls.

    The same as finding them with one regex of three alternatives, but a
    call is looked for only before a "(" and a snake_case name only in a
    text with an underscore: one scan of every position would cost more
    than the rest of the glued-word repair.

    >>> sorted(code_syntax("while True: w = get_next_work() do_work(w); t = time.now() (not this)"))
    ['do_work', 'get_next_work', 'time.now(']
    """
    snakes = {m.end(): m[0] for m in SNAKE_CASE.finditer(text)} if "_" in text else {}
    found = set(snakes.values())
    at = text.find("(")
    while at >= 0:
        if method := method_before(text, at):
            found.add(method[0] + "(")
        elif at and at not in snakes and (empty := EMPTY_CALL.match(text, at - 1)):
            found.add(empty[0])
        at = text.find("(", at + 1)
    return found


def unknown_tokens(text: str) -> set[str]:
    """Return the 5+ character tokens of `text`, as written, whose lowercase is not an English word.

    Each distinct token is looked up once, so a long text costs one regex scan.

    >>> sorted(unknown_tokens("Afghanistanof the Taliban, than10 snake_case 12345 Dräger"))
    ['Afghanistanof', 'Dräger', 'than10']
    """
    return unknown_among(set(GLUE_CANDIDATE.findall(text)))


def word_runs(text: str) -> list[str]:
    """Return the runs of word characters of `text`, in order: its tokens for `unknown_among` and the letter counts.

    One scan gives what the glued-word repair may split, what stands alone
    in the text (`letter_runs`) and how many words it has (`letter_run_count`).
    """
    return WORD_RUN.findall(text)


def unknown_among(runs: set[str]) -> set[str]:
    """Return the runs of word characters that are `unknown_tokens`: 5+ letters or digits, not an English word.

    Most runs of a text are lowercase English words, written as the word
    list keeps them: one set difference drops those before the others are
    looked at one by one.
    """
    words = english_word_set()
    return {t for t in runs.difference(words) if len(t) >= 5 and "_" not in t and not t.isdigit()
            and t.lower() not in words}


def letter_runs(runs: set[str]) -> set[str]:
    """Return the distinct runs of letters (`LETTERS`) in the given runs of word characters.

    A run of letters never crosses a non-word character, so the letter runs
    of a text are those of its word runs: a run that is all letters is one.

    >>> sorted(letter_runs({"Dräger", "than10", "snake_case"}))
    ['Dräger', 'case', 'snake', 'than']
    """
    mixed = list(filterfalse(str.isalpha, runs))  # runs with digits or underscores in them
    found = runs.difference(mixed)
    for run in mixed:
        found.update(LETTERS.findall(run))
    return found


def letter_run_count(runs: list[str]) -> int:
    """Return how many runs of letters (`LETTERS`) a text holds, from its word runs in order (`word_runs`).

    The same count as ``len(LETTERS.findall(text))``, as `letter_runs` finds
    the runs: most word runs are all letters and count one each, so only the
    others are scanned again, where the letters class costs several lookups
    a character over the whole text.

    >>> letter_run_count(word_runs("Dräger than10 snake_case 2021 x²"))  # "x²": "²" is no decimal digit
    5
    """
    mixed = list(filterfalse(str.isalpha, runs))  # runs with digits or underscores in them
    return len(runs) - len(mixed) + sum(len(LETTERS.findall(run)) for run in mixed)

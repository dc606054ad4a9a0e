"""Tell the article body from page furniture, one scraped line at a time.

A careless scraper gives one line per paragraph, heading, list item or caption,
with the site's menus, share buttons, related-story lists, captions and a blog
footer around the article. `classify_lines` labels every line: ``None`` for the
body, or the name of the repair that removes it (``boilerplate``, ``captions``,
``datelines``, ``bylines``, ``title``).

Two kinds of evidence are combined:

- known patterns (``data/boilerplate.yaml``): footers, buttons and widgets,
  headers of teaser lists with the teasers after them, comment threads, photo
  credits, date and author lines, lines repeated across the corpus;
- the shape of the text: the body is made of stretches of sentences. Each
  line gets a score (positive for a sentence-like line, by its length;
  negative for a short line without sentence punctuation, a menu line of
  glued link texts, a run of menu links, a line said twice in the page, a
  known pattern), and every run of lines with a large total is a body run
  (`body_runs`: the maximum-sum subarray between two footers, searched again
  on either side). Short lines inside a run stay: they are subheadings. A
  footer or a teaser header ends a run; a button or a caption costs little,
  so the body goes on after a share bar or a photo.

A sentence outside every run goes only while that leaves most of the page's
prose; otherwise it stays and the page is marked uncertain (`Page`). A run
too short to count beside the best one counts when it shares the best run's
topic (`shares_topic`). In a run with comment buttons in it, the lines from
the comment above the first button on are a comment thread (`thread_span`),
and three teaser cards in a row (a headline glued to its excerpt) are a
teaser list.

The title is the last headline-like line before the body that is not part of a
list. When no line reads as a sentence there is no body to measure against, and
only the patterns label lines.

Each distinct line of a page is read once, and the reading of a line the corpus
repeats is remembered for the next documents: a reading depends on the line alone
(and on whether the page has it twice); only the body run and the title look at
the neighbours.

It does not read markup, does not change any text and does not decide about
blank lines (they are always ``None``).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

import yaml

from cleaning.patterns import WORD_CHAR, is_repeated, known_word, word_zipf

BOILERPLATE, CAPTIONS, DATELINES, BYLINES, TITLE = "boilerplate", "captions", "datelines", "bylines", "title"

# --- shape of a line ---------------------------------------------------------
WORD = re.compile(rf"{WORD_CHAR}+")
TOPIC_WORD = re.compile(r"[^\W\d_]{4,}")
MENU_STOP = re.compile(r"[,;:.!?]")
DIGIT = re.compile(r"\d")
DATE_TOKENS = re.compile(r"[a-z]+|\d+")
# A line that ends a sentence: terminal punctuation, maybe inside quotes or brackets.
SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*\s*$|[\"”»]\s*$")
TRUNCATED = re.compile(r"(…|\.\.\.|\.\s?\.\s?\.)[\"'”’)\]]*\s*$")
# Link texts glued together ("HomeContact", "BuffaloNovember", "(español)Argentina"): a
# lower-case letter run, or a word and its closing bracket, followed by a capitalised word.
GLUED = re.compile(r"(?:[a-z]{2}|[a-z]\))[A-Z][a-z]")
# The same test for a yes or no, from the capital letter: the search skips to
# the capitals, where the lookbehind asks for what stands before them.
ANY_GLUED = re.compile(r"[A-Z](?<=[a-z]{2}[A-Z]|[a-z]\)[A-Z])[a-z]")
# A teaser glued to its date: "…in BuffaloNovember 19, 2019 at 5:10 pm". The
# month comes first so that the search skips to its capital letter; the
# lookbehind then asks for the lower-case letter glued before it.
GLUED_DATE = re.compile(
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)(?<=[a-z’'].{3})[a-z]*\.? \d{1,2}, \d{4}"
)
# A teaser card: a headline glued to its excerpt ("…Family Christmas CardAin’t no mountain…"),
# or a gallery slide's counter ("12/50Blockbusters aid Pinewood expansionPinewood Studios…").
# Found from the capital, as `ANY_GLUED` (the character before it is asked by the lookbehind).
CARD_JOIN = re.compile(r"[A-Z](?<=[a-z\d'’\")?!][A-Z])[a-z]")
HEAD_STOP = re.compile(r"[.!?:;]\s|[\"“”(\[^]")
SLIDE = re.compile(r"\d{1,3}/\d{1,3}[A-Z]")
# ... or a card's comment counter glued into its head ("Associated Press11Comments. Click to view…",
# "…Speak English’4,162comments"): a count of comments is a card's, never a sentence's.
GLUED_COUNTER = re.compile(r"(?:[^\W\d_’']\d[\d,]*\s?|^\d[\d,]*)(?:[Cc]omments?|COMMENTS)\b")
SMALL_WORDS = frozenset("a an the of in on at to for and or but with by from as is are vs via".split())
# A news report's lede opens with its dateline: a place in capitals, maybe its country or
# state and the agency, then a dash ("SEOUL, South Korea — A plan…", "LONDON (AP) — …",
# "WASHINGTON (Reuters) - …"). A teaser never starts so: it starts with its headline.
LEDE = re.compile(r"[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)*(?:, [A-Z][\w.'’ -]+?)?"
                  r"(?: ?\([A-Z][\w .]+\) ?(?:—|–|-{1,2})| ?(?:—|–|--))")
# ... or to its age: "…Modest Boost16 hours ago" (only tried on lines that say " ago").
GLUED_AGE = re.compile(r"\w\d{1,2} (?:minutes?|hours?|days?|weeks?) ago|~\d+ (?:minutes?|hours?|days?) ago")

# --- scores (in words of body text) ----------------------------------------
SHORT_PENALTY = 2.0  # a short non-sentence line: a menu item or a subheading
SHORT_PER_WORD = 0.5
FURNITURE = -6.0  # a widget, caption, date or author line, a call to action
REPEATED = -10.0  # a line seen in many documents of the corpus
MENU_ITEM = -10.0  # a link in a run of menu-like lines
BARRIER = -60.0  # a footer or the header of a teaser list: the body ends here
PROSE_MIN_WORDS = 4
PROSE_OFFSET = 3  # words a sentence needs before it counts for the body
CAPTION_MAX_WORDS = 60
CAPTION_PROSE_WORDS = 40  # a longer sentence with a credit in it is a paragraph: only the credit goes
REPEAT_HEAD = 24  # characters of a line's opening that a teaser card says twice
DUPLICATE_MAX_WORDS = 25  # a shorter line said twice in a page is furniture, not a sentence
BIO_MAX_WORDS = 60
MENU_RUN = 5  # this many menu-like lines in a row are a menu, not subheadings
MENU_ITEM_WORDS = 4
LIST_ITEM_WORDS = 6
TABLE_CELL_WORDS = 8  # a table flattened one cell a line, after a lead-in ending in ":" (`with_its_list`)
LIST_ITEM_SCORE = -1.0  # an item of a list in the article: neither body text nor furniture
CARD_RUN = 3  # this many teaser cards in a row are a teaser list
CARD_HEAD = 150  # characters of a line its glued headline lies in
TEASER_MAX = 15  # teaser lines taken after one trigger
TEASER_OUTGROWN = 3  # a sentence this many times longer than the teasers before it is no teaser
PROSE_PARAGRAPH = 40  # words of a paragraph, not a headline or an excerpt
RUN_MIN = 20.0  # words of net prose a stretch needs to count as a body run of its own
SECONDARY_SHARE = 0.25  # ... and its share of the best run's total
ARTICLE_RUN = 250.0  # ... unless it is as long as an article by itself
COHESION = 0.4  # ... or this share of its rare words is in the best run too: the article going on (`shares_topic`)
COHESIVE_WORDS = 30  # words a run needs before its share of rare words means anything
RARE_ZIPF = 6.0  # a word rarer than this (Zipf) is no function word: it names what the text is about
UNCERTAIN_SHARE = 0.5  # removals taking more of the page's prose than this are not trusted
REPEATED_READINGS = 8192  # readings of corpus-repeated lines kept for the next documents
RECENT_READINGS = 1024  # readings of the other lines last read, kept for the next documents (`read_recent_line`)
RECENT_LINE_MAX = 2000  # characters of the longest line whose reading is kept: bounds what they hold


@dataclass(frozen=True)
class Patterns:
    """The compiled patterns of ``data/boilerplate.yaml``."""

    # Footers and teaser triggers (group "barrier", the whole line), then buttons
    # (the whole line) and widgets at its start: one pattern, tried once per line.
    furniture: re.Pattern
    notice: re.Pattern  # a copyright notice after other text: a footer, tried on lines with a "©"
    trigger: re.Pattern  # teaser triggers alone
    widget: re.Pattern
    call_to_action: re.Pattern
    call_to_action_hints: frozenset[str]
    credit: re.Pattern
    credit_hints: frozenset[str]
    credit_line: re.Pattern
    date_token: re.Pattern
    date_prefix: re.Pattern
    byline: re.Pattern
    bio: re.Pattern
    comment_action: re.Pattern


def _alternatives(patterns: list[str], full: bool = False) -> str:
    joined = "|".join(f"(?:{_without_captures(p)})" for p in patterns)
    return f"(?:{joined})\\Z" if full else joined


# An escape, a character class, or an opening parenthesis that starts a capturing group.
_PATTERN_PIECE = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]])*\]|\((?!\?)")


def _without_captures(pattern: str) -> str:
    r"""Make a pattern's capturing groups plain groups: nothing reads them, and sre then keeps no marks.

    A capturing group first in an alternative also keeps sre from skipping
    that alternative by its first letter. (A back-reference would no longer
    compile: the data file has none.)

    >>> print(_without_captures(r"(a|b)\(c[(]d(?:e)"))
    (?:a|b)\(c[(]d(?:e)
    """
    return _PATTERN_PIECE.sub(lambda m: "(?:" if m.group() == "(" else m.group(), pattern)


def _any(patterns: list[str], flags: int = re.IGNORECASE, full: bool = False) -> re.Pattern:
    return re.compile(_alternatives(patterns, full), flags)


def _anywhere(patterns: list[str]) -> re.Pattern:
    r"""Compile patterns searched anywhere in a line, for a yes or no (which one matched does not count).

    At every position of the line sre tries the alternatives in turn, and one
    that opens with ``\b`` cannot be skipped by its first letter. The entries
    that open with ``\b`` share one in front of their group instead: it is
    tried once per position, then only the alternatives that start with the
    letter there. An entry with a ``|`` outside its groups keeps its own ``\b``
    (moved out, it would bind to every branch).

    >>> _anywhere([r"\bfoo\b", r"\bbar", r"@x", r"\ba|b"]).pattern
    '\\b(?:(?:foo\\b)|(?:bar))|(?:@x)|(?:\\ba|b)'
    """
    shares = [p.startswith(r"\b") and not _bar_outside_groups(p) for p in patterns]
    shared = [p[2:] for p, share in zip(patterns, shares, strict=True) if share]
    rest = [p for p, share in zip(patterns, shares, strict=True) if not share]
    parts = ([rf"\b(?:{_alternatives(shared)})"] if shared else []) + ([_alternatives(rest)] if rest else [])
    return re.compile("|".join(parts))


def _bar_outside_groups(pattern: str) -> bool:
    r"""Say whether a pattern has a ``|`` outside every group (escapes and character classes aside).

    >>> _bar_outside_groups(r"\b(a|b)\|[|]"), _bar_outside_groups(r"\ba|b")
    (False, True)
    """
    depth = 0
    for c in re.sub(r"\\.|\[\^?\]?(?:\\.|[^\]])*\]", "", pattern):
        depth += (c == "(") - (c == ")")
        if c == "|" and depth == 0:
            return True
    return False


@cache
def load_patterns() -> Patterns:
    """Read and compile ``cleaning/data/boilerplate.yaml`` once."""
    text = resources.files("cleaning").joinpath("data/boilerplate.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    bp, cap, dl = data["boilerplate"], data["captions"], data["datelines"]
    barrier = _alternatives(bp["footers"] + bp["teaser_triggers"], full=True)
    widget_start = _alternatives(bp["buttons"], full=True) + "|" + _alternatives(bp["widget_starts"])
    return Patterns(
        # Matched against the lower-cased line: case-insensitive matching is several times slower.
        # The barrier branch comes first, so a line that is both a footer and a button is a footer.
        furniture=re.compile(f"(?P<barrier>{barrier})|{widget_start}"),
        notice=_any(bp["notices"], flags=0, full=True),
        trigger=_any(bp["teaser_triggers"], flags=0, full=True),
        widget=_any(bp["widgets"], flags=0),
        call_to_action=_anywhere(bp["calls_to_action"]),
        call_to_action_hints=frozenset(bp["calls_to_action_hints"].split()),
        credit=_anywhere(cap["credits"]),
        credit_hints=frozenset(cap["hints"].split()),
        credit_line=_any(cap["credit_lines"], flags=0, full=True),
        date_token=re.compile(rf"(?:\d+|{dl['date_words']}|{dl['filler_words']})\Z"),
        date_prefix=re.compile(dl["prefixes"]),
        byline=_any(data["bylines"]["lines"], flags=0, full=True),
        bio=_any(data["bylines"]["bios"], flags=0, full=True),
        comment_action=_any(bp["comment_actions"], flags=0, full=True),  # on the lower-cased line
    )


class Line(NamedTuple):
    """What the classifier knows of one stripped line."""

    text: str
    lower: str
    words: int
    prose: bool  # reads as sentences
    tokens: list[str]  # its words, lower-cased, in order


class Reading(NamedTuple):
    """What a line says by itself, before its neighbours are looked at."""

    label: str | None
    score: float
    line: Line | None  # None when a footer or widget pattern settled the line before measuring it
    trigger: bool = False  # a teaser-list header: the teasers after it go with it


def describe(line: str) -> Line:
    """Measure a stripped line: its words and whether it reads as sentences.

    >>> d = describe("He tipped Suter’s shot in later, a dagger for the Sabres.")
    >>> d.words, d.prose
    (12, True)
    >>> describe("HomeContact CT PostAdvertise with UsSubscribeCareers").prose
    False
    """
    return measure(line, line.lower())


def measure(text: str, lower: str) -> Line:
    """Measure a stripped line whose lower-cased form is already known."""
    tokens = WORD.findall(lower)
    return Line(text, lower, len(tokens), reads_as_prose(text, len(tokens)), tokens)


def reads_as_prose(text: str, words: int) -> bool:
    """Say whether a stripped line of `words` words reads as sentences, not as link texts or a teaser.

    The cheap tests come first: most lines that are not prose are settled before
    the glued link texts are counted.

    >>> reads_as_prose("Colombia had lost to Belgium on Monday.", 7)
    True
    >>> reads_as_prose("Tucker Carlson in BuffaloNovember 19, 2019 at 5:10 pm.", 11)
    False
    """
    if (
        words < PROSE_MIN_WORDS
        or not (words >= 25 or SENTENCE_END.search(text[-8:]))
        or TRUNCATED.search(text[-8:])
        or text[0] in "<{|»›"
        or repeats_itself(text)
    ):
        return False
    glued = glued_links(text)
    return glued * 6 <= words and not ((glued or " ago" in text) and glued_to_date(text))


def glued_links(text: str) -> int:
    """Count the link texts glued together in a line ("HomeContact", "BuffaloNovember").

    The count is `GLUED`'s matches, found from their capitals (`ANY_GLUED`, a
    faster scan): a match takes the two characters before its capital, so
    one whose capital is less than four after the last one's is not counted
    ("NewYorkTimes" counts "wYo" but not "wTi", as `GLUED` does).

    >>> glued_links("HomeContact CT PostAdvertise with UsSubscribeCareers")
    3
    >>> glued_links("theNewYorkTimes"), len(GLUED.findall("theNewYorkTimes"))
    (2, 2)
    """
    count, last = 0, -4
    for capital in ANY_GLUED.finditer(text):
        if capital.start() >= last + 4:
            count, last = count + 1, capital.start()
    return count


def glued_to_date(text: str) -> bool:
    """Say whether a teaser runs into its date or age ("…in BuffaloNovember 19, 2019", "…Boost16 hours ago").

    >>> glued_to_date("Tucker Carlson in BuffaloNovember 19, 2019 at 5:10 pm")
    True
    >>> glued_to_date("Modest Boost16 hours ago"), glued_to_date("Updated an hour ago")
    (True, False)
    """
    return bool(GLUED_DATE.search(text)) or (" ago" in text and bool(GLUED_AGE.search(text)))


def repeats_itself(line: str) -> bool:
    """Say whether a line says its opening words twice, as a teaser card's image and link texts do.

    >>> repeats_itself("Company TownParamount shakes up distribution ranks, hiring former Fox executive"
    ...                "Company TownParamount shakes up distribution ranks, hiring former Fox executive")
    True
    """
    return len(line) >= 2 * REPEAT_HEAD and line.find(line[:REPEAT_HEAD], REPEAT_HEAD) != -1


# --- labels from patterns --------------------------------------------------


def furniture_score(lower: str, pats: Patterns) -> float | None:
    """Score a lower-cased line that is a footer or teaser header (BARRIER) or a button or widget (FURNITURE).

    Return None for any other line. These patterns need only the lower-cased
    text, so a line they settle is never measured.

    >>> pats = load_patterns()
    >>> furniture_score("source link", pats), furniture_score("share this story", pats)
    (-60.0, -6.0)
    >>> furniture_score("washington, however, is not convinced.", pats) is None
    True
    """
    found = pats.furniture.match(lower)
    if found:
        return BARRIER if found["barrier"] is not None else FURNITURE
    if "©" in lower and pats.notice.match(lower):
        return BARRIER
    return FURNITURE if pats.widget.search(lower) else None


def is_dateline(text: str, pats: Patterns) -> bool:
    """Say whether a line gives only a date or time ("Saturday, 02/03/2024", "Updated 5:32 PM ET").

    >>> is_dateline("Saturday, 02/03/2024", load_patterns())
    True
    >>> is_dateline("Published 14 August 2021", load_patterns())
    True
    >>> is_dateline("The show opens to the public on Friday.", load_patterns())
    False
    """
    if len(text) > 120 or not DIGIT.search(text):
        return False
    text = text.lower()
    tokens = DATE_TOKENS.findall(text)
    if all(pats.date_token.match(t) for t in tokens):
        return True
    return bool(pats.date_prefix.match(text)) and len(tokens) <= 14


def is_caption(line: Line, pats: Patterns) -> bool:
    """Say whether a line is an image caption or photo credit.

    >>> pats = load_patterns()
    >>> reuters = "Afghan refugees arrive at Pristina International Airport in Kosovo on Sunday © Reuters"
    >>> is_caption(describe(reuters), pats)
    True
    >>> is_caption(describe("Jason Cipriani/ZDNet"), pats)
    True
    >>> is_caption(describe("Washington, however, is not convinced."), pats)
    False
    """
    text = line.text
    if line.words > CAPTION_MAX_WORDS or (line.prose and line.words > CAPTION_PROSE_WORDS):
        return False
    if "©" in text or not pats.credit_hints.isdisjoint(line.tokens):
        if pats.credit.search(line.lower):
            return True
    return "/" in text and bool(pats.credit_line.match(text))


def is_byline(text: str, words: int, pats: Patterns) -> bool:
    """Say whether a line names the author: "By Jane Doe", "Tom Krisher, Ap Auto Writer".

    >>> is_byline("Tom Krisher, Ap Auto Writer", 5, load_patterns())
    True
    >>> body = "By the time Buckley learned who had written the song, she was only half-surprised."
    >>> is_byline(body, 15, load_patterns())
    False
    """
    return words <= 25 and bool(pats.byline.match(text)) and not re.search(r"\b[a-z]{3,}\.$", text)


def pattern_label(line: Line, pats: Patterns, repeated: bool) -> tuple[str | None, float]:
    """Label a measured line that is no footer or widget from the other known patterns, with its score.

    `repeated` says the corpus repeats the line.

    >>> pats = load_patterns()
    >>> pattern_label(describe("Saturday, 02/03/2024"), pats, False)
    ('datelines', -6.0)
    >>> pattern_label(describe("Washington, however, is not convinced."), pats, False)
    (None, 0.0)
    """
    text = line.text
    if repeated and not (line.prose and line.words >= 12):
        return BOILERPLATE, REPEATED
    if is_dateline(text, pats):
        return DATELINES, FURNITURE
    if is_caption(line, pats):
        return CAPTIONS, FURNITURE
    if is_byline(text, line.words, pats):
        return BYLINES, FURNITURE
    if line.words <= BIO_MAX_WORDS and " is " in text and pats.bio.match(text):
        return BYLINES, FURNITURE
    return None, 0.0


def line_score(line: Line, pats: Patterns) -> float:
    """Score a line without a known pattern: its words when it reads as prose, a penalty otherwise.

    >>> pats = load_patterns()
    >>> line_score(describe("Colombia had lost to Belgium on Monday."), pats)
    4.0
    >>> line_score(describe("NISSAN SENTRA"), pats)
    -3.0
    """
    if not line.prose:
        if is_list_item(line):
            return LIST_ITEM_SCORE
        return short_line_score(line.words)
    if (
        line.words < 40
        and not pats.call_to_action_hints.isdisjoint(line.tokens)
        and pats.call_to_action.search(line.lower)
    ):
        return FURNITURE
    return float(line.words - PROSE_OFFSET)


def is_list_item(line: Line) -> bool:
    """Say whether a line that is no sentence reads as an item of a list in the text: sentence case, 6+ words.

    Headlines and teasers are title case ("Taliban Slam US Relocation Program");
    menus are short; an item of a list in an article is a clause in sentence case.

    >>> is_list_item(describe("Dozens of tricky questions that will help to know each other better"))
    True
    >>> is_list_item(describe("Wife Creatively Includes Deployed Air Force Husband in Family Card"))
    False
    """
    if line.words < LIST_ITEM_WORDS or glued_links(line.text):
        return False
    words = [w for w in WORD.findall(line.text) if w.lower() not in SMALL_WORDS]
    return sum(w[0].isupper() for w in words[1:]) <= 0.2 * max(1, len(words) - 1)


def short_line_score(words: int) -> float:
    """Score a line that is not a sentence: a menu item or a subheading, costing more the longer it is."""
    return -(SHORT_PENALTY + SHORT_PER_WORD * min(words, 20))


def read_line(text: str, pats: Patterns, repeated: bool, twice: bool) -> Reading:
    """Label and score a stripped line by itself.

    `repeated` says the corpus repeats the line, `twice` that the page has it
    more than once.

    >>> pats = load_patterns()
    >>> read_line("Check Also", pats, False, False)
    Reading(label='boilerplate', score=-60.0, line=None, trigger=True)
    >>> read_line("Colombia had lost to Belgium on Monday.", pats, False, False)[:2]
    (None, 4.0)
    """
    lower = text.lower()
    furniture = furniture_score(lower, pats)
    if furniture is not None:
        return Reading(BOILERPLATE, furniture, None, furniture == BARRIER and bool(pats.trigger.match(lower)))
    line = measure(text, lower)
    label, score = pattern_label(line, pats, repeated)
    if label is None:
        score = line_score(line, pats)
        if twice and line.words < DUPLICATE_MAX_WORDS:
            # A headline or caption said twice (image alt and caption, title and og:title).
            score = min(score, short_line_score(line.words))
    return Reading(label, score, line)


@lru_cache(maxsize=REPEATED_READINGS)
def read_repeated_line(text: str, twice: bool) -> Reading:
    """Read a line the corpus repeats, remembering the reading for the next documents that have it.

    Such a line is read the same in every document, and by its definition
    appears in many: the corpus's widgets, taglines and footers.
    """
    return read_line(text, load_patterns(), True, twice)


@lru_cache(maxsize=RECENT_READINGS)
def read_recent_line(text: str, twice: bool) -> Reading:
    """Read a line the corpus does not repeat, remembering the readings of the lines last read.

    Pass one counts only lines of up to `patterns.REPEATED_LINE_MAX`
    characters, yet a site's menu glued into one long line recurs on its
    pages all the same; and a page read again after the word repairs
    (`reads_differently`, `config.SETTLE_REPAIRS`) has most of its lines as
    before.
    """
    return read_line(text, load_patterns(), False, twice)


def read_known_line(text: str, repeated: frozenset[str], twice: bool) -> Reading:
    """Read a stripped line (`read_line`), from memory if it was read before (`read_repeated_line`, `read_recent_line`).

    `repeated` holds the lines the corpus repeats. A line past `RECENT_LINE_MAX`
    characters, which would hold much memory, is read anew each time.
    """
    if is_repeated(text, repeated):
        return read_repeated_line(text, twice)
    if len(text) <= RECENT_LINE_MAX:
        return read_recent_line(text, twice)
    return read_line(text, load_patterns(), False, twice)


def reads_differently(before: str, after: str, repeated: frozenset[str] = frozenset(),
                      known: dict[str, Reading] | None = None) -> bool:
    """Say whether a repair changed what some line of a text reads as: its label, furniture or sentence.

    Only the lines that changed are read, so most texts are settled at once;
    a line of `before` already read (`known`: `Page.readings`) is not read again.

    >>> reads_differently("Image viaGetty Images\\nBody.", "Image via Getty Images\\nBody.")
    True
    >>> reads_differently("The Taliban took Kabul.Afghanistanof", "The Taliban took Kabul.Afghanistan of")
    False
    """
    if before == after:
        return False
    old, new = before.split("\n"), after.split("\n")
    if len(old) != len(new):
        return True
    known = known or {}
    for a, b in zip(old, new, strict=True):
        if a == b or not (a := a.strip()):
            continue
        was = known.get(a) or read_known_line(a, repeated, False)
        if _gist(was) != _gist(read_known_line(b.strip(), repeated, False)):
            return True
    return False


def _gist(read: Reading) -> tuple:
    """What of a reading the body model acts on: its label, furniture or sentence, teaser card."""
    kind = "furniture" if read.line is None else (read.line.prose, is_teaser_card(read.line.text))
    return read.label, kind, read.trigger


def best_block(scores: list[float]) -> tuple[int, int]:
    """Return the [start, end) run of the largest total score (Kadane); (0, 0) when none is positive.

    >>> best_block([-3, 40, -2, 30, -60, 20])
    (1, 4)
    """
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    for i, s in enumerate(scores):
        if total <= 0:
            total, start = 0.0, i
        total += s
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


def looks_like_headline(line: Line) -> bool:
    """Say whether a line could be a headline: a few words, no closing full stop, not glued."""
    return (
        3 <= line.words <= 30
        and len(line.text) <= 220
        and not line.text.endswith(".")
        and not TRUNCATED.search(line.text)
        and (line.text[:1].isupper() or line.text[:1].isdigit() or line.text[:1] in "\"'“‘")
        and glued_links(line.text) * 4 <= line.words
    )


def is_headline(reads: list[Reading | None], labels: list[str | None], i: int) -> bool:
    """Say whether line `i` is unlabelled and looks like a headline."""
    return labels[i] is None and looks_like_headline(reads[i].line)


def find_title(reads: list[Reading | None], labels: list[str | None], start: int,
               body: AbstractSet[int] = frozenset()) -> int | None:
    """Return the index of the headline: the last headline-like line before the body, not in a list.

    A run of three headline-like lines in a row is a teaser list, not a title;
    a line of another body run (`body`) is article text, even a short one
    ending in "?”". Blank lines (None in `reads`) are passed over.
    """
    seen = 0
    for i in range(start - 1, -1, -1):
        if reads[i] is None or labels[i] in (BYLINES, DATELINES, CAPTIONS):
            continue
        seen += 1
        if seen > 12:
            break
        if i not in body and is_headline(reads, labels, i):
            neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(reads) and reads[j] is not None]
            in_list = sum(is_headline(reads, labels, j) for j in neighbours) == 2
            if not in_list:
                return i
    return None


class Page(NamedTuple):
    """The labels of a page's lines, and how sure the body model is of them."""

    labels: list[str | None]
    prose_removed: float  # share of the prose no pattern removes that stands outside every body run
    readings: dict[str, Reading]  # each distinct stripped line's reading (`reads_differently` reuses them)

    @property
    def uncertain(self) -> bool:
        """The removals would have taken most of the prose: only evidenced ones were kept."""
        return self.prose_removed > UNCERTAIN_SHARE


def classify_lines(lines: list[str], repeated: frozenset[str] = frozenset()) -> list[str | None]:
    """Label each line: None = article body (keep); otherwise the step that removes it.

    `repeated` holds the stripped lines seen in many documents of the corpus;
    they count as boilerplate unless they read as a long sentence. Each
    distinct line of the page is read once.

    >>> classify_lines(["Taliban Slam US Relocation Program for Afghans", "",
    ...                 "The Taliban condemned the United States on Wednesday for what they described as interference.",
    ...                 "Washington on Monday announced a program that offers thousands of Afghans a way out.",
    ...                 "Check Also", "The Intercept’s Latest Leak Might Deal Irreparable Damage",
    ...                 "At the same time as Pakistani officials were negotiating with Russia to import oil and …"])
    ['title', None, None, None, 'boilerplate', 'boilerplate', 'boilerplate']
    """
    return classify_page(lines, repeated).labels


def classify_page(lines: list[str], repeated: frozenset[str] = frozenset()) -> Page:
    """Label each line (see `classify_lines`) and say how much of the page's prose the labels remove.

    The body is every run of lines whose score is large (`body_runs`), not
    only the best one. A sentence-like line outside every run is removed only
    while that leaves most of the page's prose; otherwise such lines stay,
    only lines with positive evidence (a known pattern, corpus repetition, a
    teaser list or a menu run) go, and the page is marked uncertain.
    """
    pats = load_patterns()
    stripped = [raw.strip() for raw in lines]
    counts = Counter(stripped)
    known = {text: read_known_line(text, repeated, n > 1) for text, n in counts.items() if text}
    reads = [known.get(text) for text in stripped]  # None for a blank line
    labels = [None if r is None else r.label for r in reads]
    scores = [0.0 if r is None else r.score for r in reads]

    for i in teaser_lines(reads, labels):
        labels[i], scores[i] = BOILERPLATE, min(scores[i], FURNITURE)
    for i in menu_runs(reads, labels):
        labels[i], scores[i] = BOILERPLATE, MENU_ITEM
    for i in teaser_cards(reads, labels):
        labels[i], scores[i] = BOILERPLATE, FURNITURE
    runs = [with_its_list(run, reads, labels)
            for run in body_runs(scores, lambda run: is_comment_thread(run, stripped, pats),
                                 lambda run, best: shares_topic(run, best, stripped))]
    out: list[str | None] = list(labels)
    if not runs:
        # Without any sentence-like run there is no body to measure against: only patterns decide.
        return Page(out, 0.0, known)
    threads = [run for run in runs if is_comment_thread(run, stripped, pats)]
    if len(threads) == len(runs):
        threads = []  # a forum page: the thread is the text
    for i in itertools.chain.from_iterable(range(*thread_span(run, stripped, pats)) for run in threads):
        out[i] = out[i] or BOILERPLATE
    inside = set(itertools.chain.from_iterable(range(s, e) for s, e in runs))
    outside = [i for i in range(len(out)) if i not in inside and out[i] is None and reads[i] is not None]
    for i in outside:
        out[i] = BOILERPLATE
    start, end = next(run for run in runs if run not in threads)
    for i in range(start + 3, end):
        if out[i] == BYLINES and not pats.bio.match(stripped[i]):
            out[i] = None  # an author line deep in the body is a credit line of the text
    title = find_title(reads, labels, start, inside)
    if title is not None:
        out[title] = TITLE
    share = prose_share(stripped, reads, out, set(outside))
    page = Page(out, share, known)
    if page.uncertain:
        for i in outside:  # no pattern says these sentences are furniture: keep them for a person to judge
            if reads[i].line.prose:
                out[i] = None
    return page


def body_runs(scores: list[float],
              thread: Callable[[tuple[int, int]], bool] = lambda run: False,
              cohesive: Callable[[tuple[int, int], tuple[int, int]], bool] = lambda run, best: False,
              ) -> list[tuple[int, int]]:
    """Return the runs of lines that make up the body: the best run first, then the others in page order.

    A footer or teaser-list header (a BARRIER score) ends a run. Between them
    the best run is the maximum-sum subarray (`best_block`), and the stretches
    on either side are searched again; a run counts when its total reaches
    RUN_MIN and SECONDARY_SHARE of the best one's, or RUN_MIN where it shares
    the best run's topic (`cohesive`: an article's end after an inline box
    of furniture, `shares_topic`). So an article split by a photo gallery
    or a share bar keeps both parts, and an article next to a larger block
    of comments or teasers is not dropped for it. A comment
    thread (`thread`) is the best run only on a page of threads (a forum):
    a long thread under a short article does not raise the article's bar.

    >>> body_runs([-3, 40, -2, 30, -60, 20, -60, 2])
    [(1, 4), (5, 6)]
    >>> body_runs([30, -60, 400], thread=lambda run: run == (2, 3))
    [(0, 1), (2, 3)]
    >>> body_runs([400, -60, 30]), body_runs([400, -60, 30], cohesive=lambda run, best: True)
    ([(0, 1)], [(0, 1), (2, 3)])
    """
    found, todo = [], []
    start = 0
    for i, score in enumerate([*scores, BARRIER]):
        if score == BARRIER:
            todo.append((start, i))
            start = i + 1
    while todo:
        lo, hi = todo.pop()
        s, e = best_block(scores[lo:hi])
        if e > s:
            found.append((sum(scores[lo + s:lo + e]), lo + s, lo + e))
            todo += [(lo, lo + s), (lo + e, hi)]
    if not found:
        return []
    articles = [block for block in found if not thread(block[1:])]
    best = max(articles or found)
    floor = max(RUN_MIN, min(SECONDARY_SHARE * best[0], ARTICLE_RUN))
    others = sorted((s, e) for total, s, e in found if (total, s, e) != best and total >= RUN_MIN
                    and (total >= floor or cohesive((s, e), best[1:])))
    return [best[1:], *others]


def shares_topic(run: tuple[int, int], best: tuple[int, int], lines: list[str]) -> bool:
    """Say whether a run shares the best run's topic: COHESION of its rare words are the best run's words too.

    An article cut by a block of furniture (an inline "More from" list, a
    newsletter box) goes on after it in a run of its own, often too short
    for SECONDARY_SHARE; it names the people and things the best run names.
    Furniture names the site's other stories, or none.
    """
    words = _topic_words(run, lines)
    rare = [w for w in words if word_zipf(w) < RARE_ZIPF]
    if len(words) < COHESIVE_WORDS or not rare:
        return False
    topic = set(_topic_words(best, lines))
    return sum(w in topic for w in rare) >= COHESION * len(rare)


def _topic_words(run: tuple[int, int], lines: list[str]) -> list[str]:
    """Return the words of 4+ letters of a run's lines, lowercased (`TOPIC_WORD`)."""
    return [w.lower() for i in range(*run) for w in TOPIC_WORD.findall(lines[i])]


def with_its_list(run: tuple[int, int], reads: list[Reading | None], labels: list[str | None]) -> tuple[int, int]:
    """Extend a body run over the list that ends it: a lead-in line ending in ":" and 2+ list items.

    A list item scores a little below zero, so a run that ends on a list (no
    sentence after it) would stop before it. After a lead-in of PROSE_MIN_WORDS
    or more ("Here are examples of app updates:"), the list may be a table
    flattened one cell a line (`is_table_cell`), up to the next blank line.
    """
    start, end = run
    items, j, first, announced, cells = 0, end, True, False, False
    while j < len(reads):
        read = reads[j]
        if read is None:  # a blank line, also between the run and its lead-in
            if cells:
                break  # a table's cells stand together
            j += 1
            continue
        if labels[j] is not None or read.line is None:
            break
        lead_in, first = first and read.line.text.endswith(":"), False
        if lead_in:
            announced = read.line.words >= PROSE_MIN_WORDS
            j += 1
            continue
        cell = announced and is_table_cell(read.line)
        if not (cells or items):
            cells = cell
        if not (cell if cells else is_list_item(read.line)):
            break
        items += 1
        j += 1
    return (start, j) if items >= 2 else run


def is_table_cell(line: Line) -> bool:
    """Say whether a line reads as a cell of a table the text announced: a few words, no sentence ("71.1 MB")."""
    return line.words <= TABLE_CELL_WORDS and not line.prose


def thread_span(run: tuple[int, int], stripped: list[str], pats: Patterns) -> tuple[int, int]:
    """Return the lines of a run its comment thread (`is_comment_thread`) takes: the comment above its first button on.

    The buttons evidence the thread, not the whole run: an article whose
    run takes in a block of comments keeps its paragraphs above the block.
    Below its last button a thread still holds the last comment, which
    reads like any paragraph, so the run's lines there go with the thread.
    """
    first = comment_buttons(run, stripped, pats)[0]
    above = next((i for i in range(first - 1, run[0] - 1, -1) if stripped[i]), first)
    return above, run[1]


def is_comment_thread(run: tuple[int, int], stripped: list[str], pats: Patterns) -> bool:
    """Say whether a run of sentences is a comment thread, not article text: two comment buttons in it.

    "Reply", "Report", "3 likes" between the sentences are a thread's own
    furniture; an article has none of them.
    """
    return len(comment_buttons(run, stripped, pats)) >= 2


def comment_buttons(run: tuple[int, int], stripped: list[str], pats: Patterns) -> list[int]:
    """Return the lines of a run that are a comment's buttons ("Reply", "Report", "3 likes")."""
    return [i for i in range(*run) if stripped[i] and pats.comment_action.match(stripped[i].lower())]


def prose_share(lines: list[str], reads: list[Reading | None], labels: list[str | None],
                doubted: set[int]) -> float:
    """Return the share of the page's prose that the `doubted` lines hold (0.0 without prose).

    The prose counted is what no pattern removes: the words of the sentence-like
    lines left once the labels with evidence (footers, comment threads, teaser
    lists, captions...) have gone. The doubted lines are the ones removed only
    for standing outside every body run. So the share is the same when the
    clean text is cleaned again, and the decision with it.
    """
    total = removed = 0
    for i, (text, read, label) in enumerate(zip(lines, reads, labels, strict=True)):
        if read is None or (label is not None and i not in doubted):
            continue
        line = read.line or describe(text)
        if line.prose:
            total += line.words
            removed += line.words if i in doubted else 0
    return removed / total if total else 0.0


def is_menu_item(line: Line) -> bool:
    """Say whether a line could be a link of a menu: a few words, no sentence or list punctuation.

    >>> is_menu_item(describe("Energy & Environment")), is_menu_item(describe("Blue Origin, Kent, Washington"))
    (True, False)
    """
    return not line.prose and line.words <= MENU_ITEM_WORDS and not MENU_STOP.search(line.text)


def is_teaser(line: Line) -> bool:
    """Say whether a line reads as a teaser: a headline, a cut-off excerpt, or glued link texts.

    >>> is_teaser(describe("At the same time as Pakistani officials were negotiating with Russia to import oil and …"))
    True
    >>> is_teaser(describe("Fighting has intensified across Afghanistan in recent days."))
    False
    """
    return not line.prose or glues_words(line.text) or bool(TRUNCATED.search(line.text[-8:]))


def glues_words(text: str) -> bool:
    """Say whether a line glues two words at a case change that makes no word ("SecretaryPresident-elect").

    A brand written in camel case ("MacBook", "YouTube", "PlayStation") is a
    word the lists know, not two link texts glued.

    >>> glues_words("Trump Picks Rep. Ryan Zinke for Interior SecretaryPresident-elect Donald Trump today offered")
    True
    >>> glues_words("The new 16-inch MacBook Pro features a redesigned keyboard, as YouTube reviews show.")
    False
    """
    for capital in ANY_GLUED.finditer(text):
        start, end = capital.start(), capital.start()
        while start and text[start - 1].isalpha():
            start -= 1
        while end < len(text) and text[end].isalpha():
            end += 1
        if not known_word(text[start:end].lower()):
            return True
    return False


def teaser_lines(reads: list[Reading | None], labels: list[str | None]) -> list[int]:
    """Return the lines that follow a teaser trigger ("Check Also", "Most Read") and read as teasers."""
    found: list[int] = []
    for i, trigger in enumerate(reads):
        if trigger is None or not trigger.trigger:
            continue
        taken, longest = 0, 0
        for j in range(i + 1, len(reads)):
            nxt = reads[j]
            if nxt is None:
                continue
            if labels[j] is not None or taken >= TEASER_MAX or not is_teaser(nxt.line) \
                    or outgrows_teasers(nxt.line, longest) or opens_report(reads, j):
                break
            found.append(j)
            taken += 1
            longest = max(longest, nxt.line.words)
    return found


def opens_report(reads: list[Reading | None], i: int) -> bool:
    """Say whether line `i` opens a news report: its lede (`LEDE`), or the headline right above it.

    A teaser list ends there, however much the lede reads like a teaser
    (links glued into it: "President Yoon Suk Yeolover his short-liveddeclaration").

    >>> reads = [read_line(t, load_patterns(), False, False) for t in (
    ...     "South Korean president’s impeachment fails after ruling party lawmakers walk out",
    ...     "SEOUL, South Korea — A plan to impeach South Korean PresidentYoon Suk Yeolover his martial law failed.")]
    >>> opens_report(reads, 0), opens_report(reads, 1)
    (True, True)
    """
    if _is_lede(reads[i]):
        return True
    nxt = next((reads[j] for j in range(i + 1, len(reads)) if reads[j] is not None), None)
    return nxt is not None and _is_lede(nxt) and looks_like_headline(reads[i].line)


def _is_lede(read: Reading) -> bool:
    """Say whether a line is a report's lede: a sentence that opens with a dateline and a dash."""
    return read.line is not None and read.line.prose and bool(LEDE.match(read.line.text))


def outgrows_teasers(line: Line, longest: int) -> bool:
    """Say whether a sentence-like line is far longer than the teasers taken before it: the article going on.

    The teasers of one list share a shape (a headline, its author and date);
    a paragraph of TEASER_OUTGROWN times their words after them is the body
    again, even with a link glued in it. `longest` is 0 before the first teaser.
    """
    return bool(longest) and line.prose and line.words >= PROSE_PARAGRAPH and line.words > TEASER_OUTGROWN * longest


def is_teaser_card(text: str) -> bool:
    """Say whether a line is a teaser card: a title-case headline glued to its excerpt, a slide, a comment count.

    >>> is_teaser_card("Wife Creatively Includes Deployed Air Force Husband in Family Christmas CardAin’t no "
    ...                "mountain high enough, ain’t no valley low enough to keep this family apart.")
    True
    >>> is_teaser_card("High availability for task schedulingThe ATF service is 99.9% available.")
    False
    """
    if SLIDE.match(text) or counts_comments(text):
        return True
    join = CARD_JOIN.search(text, 0, CARD_HEAD)  # at the excerpt's capital
    if join is None or HEAD_STOP.search(text, 0, join.start()):
        return False
    words = [w for w in WORD.findall(text[:join.start()]) if w.lower() not in SMALL_WORDS]
    return len(words) >= 3 and sum(w[0].isupper() or w[0].isdigit() for w in words) >= 0.7 * len(words)


def counts_comments(text: str) -> bool:
    """Say whether a comment counter is glued into the head of a line: a card's, never a sentence's.

    >>> counts_comments("ScienceAssociated Press11Comments. Click to view commentsRussia: Space ship malfunctions")
    True
    >>> counts_comments("12 comments were removed, the moderators said.")
    False
    """
    head = text[:CARD_HEAD]
    return ("omment" in head or "OMMENT" in head) and bool(GLUED_COUNTER.search(head))


def teaser_cards(reads: list[Reading | None], labels: list[str | None]) -> list[int]:
    """Return the lines in runs of CARD_RUN or more teaser cards (blank lines aside), and each card counting comments.

    A headline glued to its excerpt could be a subheading glued to its
    paragraph, so it takes a run; a comment counter glued in is a card's alone.
    """
    found: list[int] = []
    run: list[int] = []
    for i, read in enumerate([*reads, None]):
        if i < len(reads) and read is None:
            continue
        if i < len(reads) and labels[i] is None and read.line is not None and is_teaser_card(read.line.text):
            run.append(i)
            continue
        found.extend(run if len(run) >= CARD_RUN else [j for j in run if counts_comments(reads[j].line.text)])
        run = []
    return found


def menu_runs(reads: list[Reading | None], labels: list[str | None]) -> list[int]:
    """Return the indices of the lines in runs of MENU_RUN or more menu-like lines (blank lines aside)."""
    found: list[int] = []
    run: list[int] = []
    for i, read in enumerate(reads):
        if read is None:
            continue
        if labels[i] is None and is_menu_item(read.line):
            run.append(i)
            continue
        if len(run) >= MENU_RUN:
            found.extend(run)
        run = []
    if len(run) >= MENU_RUN:
        found.extend(run)
    return found

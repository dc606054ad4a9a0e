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
- the shape of the text: the body is the one stretch of the page made of
  sentences. Each line gets a score (positive for a sentence-like line, by its
  length; negative for a short line without sentence punctuation, a menu line
  of glued link texts, a run of menu links, a line said twice in the page, a
  known pattern), and the body is the run of lines with the largest total
  (maximum-sum subarray). Short lines inside that run stay: they are
  subheadings. A footer or a teaser header costs so much that the body rarely
  runs across it; a button or a caption costs little, so the body goes on after
  a share bar or a photo.

The title is the last headline-like line before the body that is not part of a
list. When no line reads as a sentence there is no body to measure against, and
only the patterns label lines.

It does not read markup, does not change any text and does not decide about
blank lines (they are always ``None``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

import yaml

BOILERPLATE, CAPTIONS, DATELINES, BYLINES, TITLE = "boilerplate", "captions", "datelines", "bylines", "title"

# --- shape of a line ---------------------------------------------------------
WORD = re.compile(r"\w+")
MENU_STOP = re.compile(r"[,;:.!?]")
DIGIT = re.compile(r"\d")
DATE_TOKENS = re.compile(r"[a-z]+|\d+")
# A line that ends a sentence: terminal punctuation, maybe inside quotes or brackets.
SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*\s*$|[\"”»]\s*$")
TRUNCATED = re.compile(r"(…|\.\.\.|\.\s?\.\s?\.)[\"'”’)\]]*\s*$")
# Link texts glued together ("HomeContact", "BuffaloNovember"): a lower-case
# letter run followed by a capitalised word inside one token.
GLUED = re.compile(r"[a-z]{2}[A-Z][a-z]")
# A teaser glued to its date or age: "…in BuffaloNovember 19, 2019 at 5:10 pm",
# "…Modest Boost16 hours ago".
GLUED_DATE = re.compile(
    r"[a-z’'](?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, \d{4}"
    r"|\w\d{1,2} (?:minutes?|hours?|days?|weeks?) ago|~\d+ (?:minutes?|hours?|days?) ago"
)

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
REPEAT_HEAD = 24  # characters of a line's opening that a teaser card says twice
DUPLICATE_MAX_WORDS = 25  # a shorter line said twice in a page is furniture, not a sentence
BIO_MAX_WORDS = 60
MENU_RUN = 5  # this many menu-like lines in a row are a menu, not subheadings
MENU_ITEM_WORDS = 4
TEASER_MAX = 15  # teaser lines taken after one trigger


@dataclass(frozen=True)
class Patterns:
    """The compiled patterns of ``data/boilerplate.yaml``."""

    barrier: re.Pattern  # footers and teaser triggers, the whole line
    trigger: re.Pattern  # teaser triggers alone
    widget_start: re.Pattern  # buttons (the whole line) and widgets at its start
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


def _alternatives(patterns: list[str], full: bool = False) -> str:
    joined = "|".join(f"(?:{p})" for p in patterns)
    return f"(?:{joined})\\Z" if full else joined


def _any(patterns: list[str], flags: int = re.IGNORECASE, full: bool = False) -> re.Pattern:
    return re.compile(_alternatives(patterns, full), flags)


@cache
def load_patterns() -> Patterns:
    """Read and compile ``cleaning/data/boilerplate.yaml`` once."""
    text = resources.files("cleaning").joinpath("data/boilerplate.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    bp, cap, dl = data["boilerplate"], data["captions"], data["datelines"]
    return Patterns(
        # Matched against the lower-cased line: case-insensitive matching is several times slower.
        barrier=_any(bp["footers"] + bp["teaser_triggers"], flags=0, full=True),
        trigger=_any(bp["teaser_triggers"], flags=0, full=True),
        widget_start=re.compile(_alternatives(bp["buttons"], full=True) + "|" + _alternatives(bp["widget_starts"])),
        widget=_any(bp["widgets"], flags=0),
        call_to_action=_any(bp["calls_to_action"], flags=0),
        call_to_action_hints=frozenset(bp["calls_to_action_hints"].split()),
        credit=_any(cap["credits"], flags=0),
        credit_hints=frozenset(cap["hints"].split()),
        credit_line=_any(cap["credit_lines"], flags=0, full=True),
        date_token=re.compile(rf"(?:\d+|{dl['date_words']}|{dl['filler_words']})\Z"),
        date_prefix=re.compile(dl["prefixes"]),
        byline=_any(data["bylines"]["lines"], flags=0, full=True),
        bio=_any(data["bylines"]["bios"], flags=0, full=True),
    )


class Line(NamedTuple):
    """What the classifier knows of one stripped line."""

    text: str
    lower: str
    words: int
    prose: bool  # reads as sentences
    glued: int  # glued link texts
    vocab: frozenset[str]  # its words, lower-cased


def describe(line: str) -> Line:
    """Measure a stripped line: its words, whether it reads as sentences, its glued link texts.

    >>> d = describe("He tipped Suter’s shot in later, a dagger for the Sabres.")
    >>> d.words, d.prose, d.glued
    (12, True, 0)
    >>> describe("HomeContact CT PostAdvertise with UsSubscribeCareers").prose
    False
    """
    lower = line.lower()
    words = WORD.findall(lower)
    n = len(words)
    glued = len(GLUED.findall(line))
    prose = (
        n >= PROSE_MIN_WORDS
        and bool(SENTENCE_END.search(line[-8:]) or n >= 25)
        and not TRUNCATED.search(line[-8:])
        and glued * 6 <= n
        and not ((glued or " ago" in line) and GLUED_DATE.search(line))
        and not repeats_itself(line)
        and line[0] not in "<{|»›"
    )
    return Line(line, lower, n, prose, glued, frozenset(words))


def repeats_itself(line: str) -> bool:
    """Say whether a line says its opening words twice, as a teaser card's image and link texts do.

    >>> repeats_itself("Company TownParamount shakes up distribution ranks, hiring former Fox executive"
    ...                "Company TownParamount shakes up distribution ranks, hiring former Fox executive")
    True
    """
    return len(line) >= 2 * REPEAT_HEAD and line.find(line[:REPEAT_HEAD], REPEAT_HEAD) != -1


# --- labels from patterns --------------------------------------------------


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
    if line.words > CAPTION_MAX_WORDS:
        return False
    if "©" in text or not line.vocab.isdisjoint(pats.credit_hints):
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


def pattern_label(line: Line, pats: Patterns, repeated: frozenset[str]) -> tuple[str | None, float]:
    """Label a line from the known patterns alone, with the score it then gets.

    >>> pats = load_patterns()
    >>> pattern_label(describe("Source link"), pats, frozenset())
    ('boilerplate', -60.0)
    >>> pattern_label(describe("Washington, however, is not convinced."), pats, frozenset())
    (None, 0.0)
    """
    text = line.text
    if pats.barrier.match(line.lower):
        return BOILERPLATE, BARRIER
    if pats.widget_start.match(line.lower) or pats.widget.search(line.lower):
        return BOILERPLATE, FURNITURE
    if text in repeated and not (line.prose and line.words >= 12):
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
        return -(SHORT_PENALTY + SHORT_PER_WORD * min(line.words, 20))
    if (
        line.words < 40
        and not line.vocab.isdisjoint(pats.call_to_action_hints)
        and pats.call_to_action.search(line.lower)
    ):
        return FURNITURE
    return float(line.words - PROSE_OFFSET)


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
        and line.glued * 4 <= line.words
        and (line.text[:1].isupper() or line.text[:1].isdigit() or line.text[:1] in "\"'“‘")
    )


def find_title(infos: list[Line | None], labels: list[str | None], start: int) -> int | None:
    """Return the index of the headline: the last headline-like line before the body, not in a list.

    A run of three headline-like lines in a row is a teaser list, not a title.
    """
    seen = 0
    for i in range(start - 1, -1, -1):
        info = infos[i]
        if info is None or labels[i] in (BYLINES, DATELINES, CAPTIONS):
            continue
        seen += 1
        if seen > 12:
            break
        if labels[i] is None and looks_like_headline(info):
            neighbours = [j for j in (i - 1, i + 1) if 0 <= j < len(infos) and infos[j] is not None]
            in_list = sum(labels[j] is None and looks_like_headline(infos[j]) for j in neighbours) == 2
            if not in_list:
                return i
    return None


def classify_lines(lines: list[str], repeated: frozenset[str] = frozenset()) -> list[str | None]:
    """Label each line: None = article body (keep); otherwise the step that removes it.

    `repeated` holds the stripped lines seen in many documents of the corpus;
    they count as boilerplate unless they read as a long sentence.

    >>> classify_lines(["Taliban Slam US Relocation Program for Afghans", "",
    ...                 "The Taliban condemned the United States on Wednesday for what they described as interference.",
    ...                 "Washington on Monday announced a program that offers thousands of Afghans a way out.",
    ...                 "Check Also", "The Intercept’s Latest Leak Might Deal Irreparable Damage",
    ...                 "At the same time as Pakistani officials were negotiating with Russia to import oil and …"])
    ['title', None, None, None, 'boilerplate', 'boilerplate', 'boilerplate']
    """
    pats = load_patterns()
    infos: list[Line | None] = []
    labels: list[str | None] = []
    scores: list[float] = []
    stripped = [raw.strip() for raw in lines]
    counts = Counter(stripped)
    for text in stripped:
        if not text:
            infos.append(None)
            labels.append(None)
            scores.append(0.0)
            continue
        info = describe(text)
        label, score = pattern_label(info, pats, repeated)
        if label is None:
            score = line_score(info, pats)
            if counts[text] > 1 and info.words < DUPLICATE_MAX_WORDS:
                # A headline or caption said twice (image alt and caption, title and og:title).
                score = min(score, -(SHORT_PENALTY + SHORT_PER_WORD * min(info.words, 20)))
        infos.append(info)
        labels.append(label)
        scores.append(score)

    for i in teaser_lines(infos, labels, pats):
        labels[i], scores[i] = BOILERPLATE, min(scores[i], FURNITURE)
    menus = menu_runs(infos, labels)
    for i in menus:
        labels[i], scores[i] = BOILERPLATE, MENU_ITEM
    start, end = best_block(scores)
    out: list[str | None] = list(labels)
    for i, info in enumerate(infos):
        if info is None:
            continue
        if not start <= i < end:
            # Without any sentence-like run there is no body to measure against: only patterns decide.
            if out[i] is None and end > start:
                out[i] = BOILERPLATE
        elif out[i] == BYLINES and i > start + 2 and not pats.bio.match(info.text):
            out[i] = None  # an author line deep in the body is a credit line of the text
    if end > start:
        title = find_title(infos, labels, start)
        if title is not None:
            out[title] = TITLE
    return out


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
    return not line.prose or line.glued > 0 or bool(TRUNCATED.search(line.text[-8:]))


def teaser_lines(infos: list[Line | None], labels: list[str | None], pats: Patterns) -> list[int]:
    """Return the lines that follow a teaser trigger ("Check Also", "Most Read") and read as teasers."""
    found: list[int] = []
    for i, info in enumerate(infos):
        if info is None or labels[i] != BOILERPLATE or not pats.trigger.match(info.lower):
            continue
        taken = 0
        for j in range(i + 1, len(infos)):
            nxt = infos[j]
            if nxt is None:
                continue
            if labels[j] is not None or taken >= TEASER_MAX or not is_teaser(nxt):
                break
            found.append(j)
            taken += 1
    return found


def menu_runs(infos: list[Line | None], labels: list[str | None]) -> list[int]:
    """Return the indices of the lines in runs of MENU_RUN or more menu-like lines (blank lines aside)."""
    found: list[int] = []
    run: list[int] = []
    for i, info in enumerate([*infos, None]):
        if i < len(infos) and info is None:
            continue
        if info is not None and labels[i] is None and is_menu_item(info):
            run.append(i)
            continue
        if len(run) >= MENU_RUN:
            found.extend(run)
        run = []
    return found

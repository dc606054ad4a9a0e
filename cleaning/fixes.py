"""The repairs: small, named, pure functions from text to the changes they make.

Each repair takes the current text and the corpus `Context` and returns a list
of ``(start, end, replacement)`` changes in that text's offsets; it never
touches the text itself. The pipeline records each change as an `Edit`, so a
repair that returns nothing leaves no trace. `apply_changes` shows the result.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
from ftfy.badness import is_bad

from cleaning import patterns as P
from cleaning.document import apply_changes  # noqa: F401  (the doctests and tests use it from here)

Change = tuple[int, int, str]


@dataclass
class Context:
    """What a repair may know beyond its text: corpus statistics and per-document scratch.

    `repeated_lines` and `corpus_words` come from the first pass over the
    corpus; `labels` caches the line labels of the current text so the line
    repairs classify a document once.
    """

    repeated_lines: frozenset[str] = frozenset()
    corpus_words: frozenset[str] = frozenset()
    shared_stories: frozenset[int] = frozenset()  # the `patterns.story_keys` found in two documents or more
    repeated_stories: frozenset[int] = frozenset()  # ... in as many documents as a repeated line
    labels: dict[str, list[str | None]] = field(default_factory=dict)
    # The body model's doubt about this document: the share of its prose the line labels would
    # remove, when that was most of it and only evidenced removals were kept (None otherwise).
    body_uncertain: float | None = None
    readings: dict = field(default_factory=dict)  # the last classified page's line readings (`Page.readings`)

    def for_document(self, raw: str) -> Context:
        """Return a context with this corpus's statistics and fresh scratch, for the document `raw`.

        A copy of a story other documents hold too (`shares_story`) gets no
        repeated lines: what the corpus repeats of it is the story itself, its
        subheadings and list items as much as its furniture.
        """
        return Context(frozenset() if self.shares_story(raw) else self.repeated_lines, self.corpus_words)

    def shares_story(self, raw: str) -> bool:
        """Tell whether `raw` is a copy of a story other documents of the corpus hold too (`patterns.shares_story`)."""
        return bool(self.shared_stories) and P.shares_story(P.story_keys(raw), self.shared_stories,
                                                            self.repeated_stories)


# --- encoding ---------------------------------------------------------------

FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False)
FIXED_LINES = 1024  # suspect lines last fixed, kept for the next documents (`fix_suspect_line`)
FIXED_LINE_MAX = 2000  # characters of the longest line kept: bounds what they hold


def fix_encoding(text: str, ctx: Context) -> list[Change]:
    """Repair mojibake with ftfy, keeping curly quotes, and the bytes it cannot recover.

    ftfy runs only on lines that hold a character it could act on; what it
    leaves when a byte was lost on the way ("â€" for a closing quote) is
    mapped by `patterns.LOST_BYTE_MOJIBAKE`.

    >>> t = "the groupâ€™s leaders said â€œNot justice.â€"
    >>> apply_changes(t, fix_encoding(t, Context()))
    'the group’s leaders said “Not justice.”'
    """
    if text.isascii():
        return []
    changes = []
    for start, line in suspect_lines(text):
        fixed = fix_suspect_line(line)
        if fixed != line:
            changes.extend(_line_diff(line, fixed, start))
    return changes


def suspect_lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield the (offset, line) of each line holding a character ftfy might act on.

    One regex scan of the whole text finds them; the other lines, most of a
    page, are never looked at again.
    """
    pos = 0
    while m := P.ENCODING_SUSPECT.search(text, pos):
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        yield start, text[start:end]
        pos = end + 1


def fix_line_encoding(line: str) -> str:
    """Return one line as `fix_encoding` leaves it (pass one counts short lines in this form)."""
    return fix_suspect_line(line) if P.ENCODING_SUSPECT.search(line) else line


def fix_suspect_line(line: str) -> str:
    """Return a line holding a suspect character as `fix_encoding` leaves it, from memory if it was fixed lately.

    A site's menus, headers and footers recur on its pages, mojibake and
    all, and pass one fixes the short lines that pass two fixes again; ftfy
    costs about a millisecond for a line it has to search. A line past
    `FIXED_LINE_MAX` characters, which would hold much memory, is fixed anew.
    """
    return _fix_kept_line(line) if len(line) <= FIXED_LINE_MAX else _fix_suspect(line)


def _fix_suspect(line: str) -> str:
    return _fix_line(line) if needs_ftfy(line) else line


_fix_kept_line = lru_cache(maxsize=FIXED_LINES)(_fix_suspect)  # the lines fixed last, for `fix_suspect_line`


def _fix_line(line: str) -> str:
    """Fix one line: the plain UTF-8-read-as-cp1252 case directly, anything else with ftfy."""
    fixed = _redecode(line)
    if fixed is None or needs_ftfy(fixed):
        fixed = ftfy.fix_text(fixed or line, FTFY_CONFIG)
    return P.LOST_BYTE_RE.sub(lambda m: P.LOST_BYTE_MOJIBAKE[m[0]], fixed)


def _redecode(line: str) -> str | None:
    """Undo UTF-8 bytes read as cp1252 when the whole line is that; None when it is not.

    This is what ftfy does for the commonest mojibake, without its search over
    other encodings: encoding back and decoding as UTF-8 only succeeds on text
    that really is mojibake. A byte cp1252 has no character for (0x9D, the end
    of a closing quote) is put back where scrapers dropped it.
    """
    try:
        data = P.LOST_BYTE_GAP.sub("\u00e2\u20ac\x9d", line).encode("sloppy-windows-1252")
        fixed = data.decode("utf-8")
    except UnicodeError:
        return None
    return fixed if fixed != line else None


def needs_ftfy(text: str) -> bool:
    """Tell cheaply whether ftfy could change `text`.

    Plain UTF-8-as-cp1252 pairs and the other things ftfy fixes are found by
    one fast regex; ftfy's own (slower) mojibake check runs only on text with
    characters beyond ASCII and common typography.
    """
    if P.FTFY_TRIGGER.search(text) or P.MOJIBAKE_PAIR.search(text):
        return True
    return bool(P.UNUSUAL_CHAR.search(text)) and is_bad(text)


def _line_diff(before: str, after: str, offset: int) -> list[Change]:
    """Describe a rewritten line as word-level changes, so edits stay small and readable.

    Mojibake repair leaves ASCII alone, so the non-ASCII runs of the two
    versions usually pair up one to one; otherwise words are paired, and when
    they do not pair either, the differing middle is one change.
    """
    old, new = P.NON_ASCII_RUNS.split(before), P.NON_ASCII_RUNS.split(after)
    if len(old) == len(new) and old[::2] == new[::2]:  # ASCII untouched: pair the non-ASCII runs
        starts = [0]
        for part in old:
            starts.append(starts[-1] + len(part))
        return [(offset + starts[k], offset + starts[k + 1], new[k])
                for k in range(1, len(old), 2) if old[k] != new[k]]
    old, new = P.DIFF_TOKENS.findall(before), P.DIFF_TOKENS.findall(after)
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    start = offset + sum(map(len, old[:head]))
    old, new = old[head:len(old) - tail], new[head:len(new) - tail]
    if len(old) != len(new):
        return [(start, start + sum(map(len, old)), "".join(new))]
    changes = []
    for a, b in zip(old, new, strict=True):
        if a != b:
            changes.append((start, start + len(a), b))
        start += len(a)
    return changes


# --- whitespace -------------------------------------------------------------


def fix_whitespace(text: str, ctx: Context) -> list[Change]:
    """Normalise odd and zero-width spaces, runs of spaces and runs of blank lines.

    Every run of whitespace (zero-width characters included) becomes one space,
    one newline, or one blank line; none is left at either end of the text.

    >>> t = "The\u00a0Taliban  said\u200b so. \\n\\n\\n\\nNext paragraph.\\n"
    >>> apply_changes(t, fix_whitespace(t, Context()))
    'The Taliban said so.\\n\\nNext paragraph.'
    """
    changes = []
    for m in P.WHITESPACE_RUN.finditer(text):
        run = m[0]
        if m.start() == 0 or m.end() == len(text):
            after = ""
        elif "\n" in run:
            after = "\n\n" if run.count("\n") > 1 else "\n"
        elif P.ZERO_WIDTH.sub("", run):
            after = " "
        else:
            after = ""
        if after != run:
            changes.append((m.start(), m.end(), after))
    if text[:1] in (" ", "\n") and not (changes and changes[0][0] == 0):
        changes.insert(0, (0, 1, ""))
    if len(text) > 1 and text[-1:] in (" ", "\n") and not (changes and changes[-1][1] == len(text)):
        changes.append((len(text) - 1, len(text), ""))
    return changes


# --- line breaks ----------------------------------------------------------


def join_wrapped_lines(text: str, ctx: Context) -> list[Change]:
    """Re-join a paragraph the scraper hard-wrapped across lines, with the break as one space.

    A scraper that keeps the page source's line breaks gives one paragraph as
    several lines, the later ones indented; one that wraps at a width gives a
    long line that stops mid-sentence and goes on in lowercase. Both read as
    short menu lines to the line repairs, so they are joined first. A list
    item, table row or quote block on the next line, and code on either, keep
    their line breaks; so does a line after a blank one.

    >>> t = ("Google is reportedly acquiring Lytro for around $40\\n"
    ...      "                                                        million\\n"
    ...      "Xbox One X review: A console that keeps up with gaming PCs")
    >>> print(apply_changes(t, join_wrapped_lines(t, Context())))
    Google is reportedly acquiring Lytro for around $40 million
    Xbox One X review: A console that keeps up with gaming PCs
    """
    lines = text.split("\n")
    width = wrap_width(lines)
    if width is None and not P.WRAP_CANDIDATE.search(text):
        return []
    # `tail` is the end of the paragraph joined so far, None while it is the previous line alone:
    # then it is taken from that line only when the next one may go on with it.
    changes, pos, previous, tail, opener = [], 0, "", "", 0
    for line in lines:
        start, pos = pos, pos + len(line) + 1
        # Only an indented or lowercase line can go on with the one before, or one cut by the
        # text's wrap width: most lines are passed at once.
        starts_lower = line[:1] in " \t" or "a" <= line[:1] <= "z"
        if (starts_lower or width is not None) and line.strip():
            if tail is None:
                tail, opener = previous.strip()[-P.WRAP_TAIL:], _indent(previous)
            if tail and (starts_lower and _continues(previous, tail, line, opener) or _cut_at(width, previous, line)):
                end = _indent(line)
                gap = len(previous) - len(previous.rstrip(" \t"))
                changes.append((start - 1 - gap, start + end, "" if _hyphen_cut(previous, line) else " "))
                tail = (tail + " " + line[end:].rstrip())[-P.WRAP_TAIL:]
                previous = line
                continue
        tail, previous = None, line
    return changes


def wrap_width(lines: list[str]) -> int | None:
    """Return the width a text was wrapped at, or None: the one nearly all its long lines end just short of.

    A text wrapped at 78 characters has most lines of 63 to 78 characters and
    none longer; a scraped page has lines of every length. A paragraph's
    last line ends anywhere, so only the lines its block goes on after are
    counted for the width (in short paragraphs they are few).

    >>> import textwrap
    >>> wrap_width(textwrap.wrap("The Taliban condemned the United States on Wednesday for interference. " * 8, 78))
    78
    >>> wrap_width(["Home", "The Taliban condemned the United States on Wednesday for interference in Afghanistan."])
    """
    every = sorted(n for n in map(len, lines) if n >= P.WRAP_MIN_CHARS)
    # Past WRAP_MAX_WIDTH a line is longer than any width would allow (a scraped page's paragraphs):
    # too many such lines and no width fits, the test at the end fails for each.
    if len(every) < P.WRAP_WIDTH_LINES or _over(every, P.WRAP_MAX_WIDTH) > P.WRAP_OVER_SHARE * len(every):
        return None
    # A text with many lines indented past a few spaces keeps its source's line breaks (`_continues`).
    if sum(1 for line in lines if line[:5].isspace()) * 4 > len(every):
        return None
    long = sorted(len(line) for line, after in zip(lines, lines[1:], strict=False)
                  if len(line) >= P.WRAP_MIN_CHARS and after.strip())
    if len(long) < P.WRAP_WIDTH_LINES:
        return None
    best, width, low = 0, None, 0
    for high, n in enumerate(long):  # the fullest window of WRAP_SLACK characters ending at a line's length
        if n > P.WRAP_MAX_WIDTH:
            break
        while long[low] <= n - P.WRAP_SLACK:
            low += 1
        if n >= P.WRAP_MIN_WIDTH and high - low + 1 >= best:
            best, width = high - low + 1, n
    if width is None or best < max(P.WRAP_WIDTH_LINES, P.WRAP_WIDTH_SHARE * len(long)):
        return None
    return width if _over(every, width) <= P.WRAP_OVER_SHARE * len(every) else None


def _over(lengths: list[int], width: int) -> int:
    """Return how many of the sorted line lengths exceed `width`."""
    return len(lengths) - bisect.bisect_right(lengths, width)


def _cut_at(width: int | None, previous: str, line: str) -> bool:
    """Tell whether a wrap at `width` cut the line before `line`: the next word would not have fitted on it.

    A line that ends short of the width, with room for the next word, ended
    there on purpose: a heading, a list item, a paragraph's last line.
    """
    if width is None or _own_block(previous, line):
        return False
    ended = previous.rstrip()
    if len(ended) < P.WRAP_MIN_CHARS or len(ended) + 1 + len(line.split(None, 1)[0]) <= width:
        return False
    # Before a capital, a line in title case is a headline of a list as long as the width, not a cut.
    return not line.lstrip()[:1].isupper() or not _is_headline(ended)


def _hyphen_cut(previous: str, line: str) -> bool:
    """Tell whether the wrap broke a hyphenated word ("anti-" / "drug"): it joins without a space."""
    ended = previous.rstrip()
    return ended.endswith("-") and ended[-2:-1].isalpha() and "a" <= line.lstrip()[:1] <= "z"


def _continues(previous: str, tail: str, line: str, opener: int) -> bool:
    """Tell whether `line` goes on with the paragraph before it (`previous` line; `tail`: its joined end).

    A line indented deeper than the paragraph's first line (`opener`: its
    indentation) is the page source's own line break; in a text indented
    all alike, indentation tells nothing.
    """
    indent = _indent(line)
    body, indented = line[indent:], indent > opener
    # Only an ASCII lowercase start goes on a sentence: "â" opening a line is mojibake of a quote.
    if not indented and not ("a" <= body[0] <= "z" and len(tail) >= P.WRAP_MIN_CHARS
                             and P.WRAP_OPEN_END.search(tail) and len(tail.split()) >= P.WRAP_MIN_WORDS):
        return False
    return not _own_block(previous, line)


def _indent(line: str) -> int:
    """Return the width of a line's indentation, in characters."""
    return len(line) - len(line.lstrip(" \t"))


def _own_block(previous: str, line: str) -> bool:
    """Tell whether `line` keeps its line break whatever the text: a list item, a table row or code (on either)."""
    body = line.lstrip(" \t")
    return bool(P.LIST_ITEM.match(body) or "\t" in body or P.is_code_line(line) or P.is_code_line(previous))


# --- lines: boilerplate, captions, datelines, bylines, title ------------------


def line_labels(text: str, ctx: Context) -> list[str | None]:
    """Return each line's label (None = body), classifying a text only once."""
    from cleaning.lines import classify_page

    if text not in ctx.labels:
        page = classify_page(text.split("\n"), ctx.repeated_lines)
        ctx.labels, ctx.readings = {text: page.labels}, page.readings
        if page.uncertain:
            ctx.body_uncertain = round(page.prose_removed, 2)
    return ctx.labels[text]


def drop_lines(text: str, ctx: Context, label: str) -> list[Change]:
    """Remove the lines labelled `label`, remembering the labels of the lines left.

    The next line repair then finds the labels of the text this leaves and does
    not classify the document again.
    """
    labels = line_labels(text, ctx)
    if label not in labels:
        return []  # the text stays as it is, and so do its labels
    lines = text.split("\n")
    kept = [(line, lab) for line, lab in zip(lines, labels, strict=True) if lab != label]
    # With every line gone the text is "", which still splits into one (empty) line.
    ctx.labels = {"\n".join(line for line, _ in kept): [lab for _, lab in kept] or [None]}
    return remove_lines(lines, [lab == label for lab in labels])


def remove_lines(lines: list[str], marked: list[bool]) -> list[Change]:
    """Return the changes that remove each marked line with its line break."""
    changes, pos, run_start = [], 0, None
    for i, (line, mark) in enumerate(zip(lines, marked, strict=True)):
        if mark and run_start is None:
            run_start = pos
        if not mark and run_start is not None:
            changes.append((run_start, pos, ""))
            run_start = None
        pos += len(line) + 1
        if i == len(lines) - 1 and run_start is not None:
            # A run that ends the text takes the line break before it instead.
            changes.append((max(run_start - 1, 0), pos - 1, ""))
    return changes


def remove_repeated_lines(text: str, ctx: Context) -> list[Change]:
    """Remove short lines that repeat across the corpus and are not sentences (widgets, taglines).

    A repeated line that reads as a sentence stays: news articles quote the
    same statement.

    >>> ctx = Context(repeated_lines=frozenset({"Follow us on Telegram", "“We will not harm them,” he said."}))
    >>> t = "The Taliban took Kabul.\\nFollow us on Telegram\\n“We will not harm them,” he said."
    >>> apply_changes(t, remove_repeated_lines(t, ctx))
    'The Taliban took Kabul.\\n“We will not harm them,” he said.'
    """
    if not ctx.repeated_lines:
        return []
    lines = text.split("\n")
    return remove_lines(lines, [_is_repeated_widget(line, ctx.repeated_lines) for line in lines])


def _is_repeated_widget(line: str, repeated: frozenset[str]) -> bool:
    stripped = line.strip()
    return P.is_repeated(stripped, repeated) and not P.ends_sentence(stripped)


def remove_boilerplate(text: str, ctx: Context) -> list[Change]:
    """Remove footers, widgets with their teasers, menus and lines repeated across the corpus.

    >>> body = ("The global body warned last week that Afghanistan was on course "
    ...         "to witness its highest-ever number of civilian casualties.")
    >>> t = body + "\\nCheck Also\\nThe Intercept’s Latest Leak\\nAt the same time as Pakistani officials …"
    >>> apply_changes(t, remove_boilerplate(t, Context())) == body
    True
    """
    return drop_lines(text, ctx, "boilerplate")


def remove_captions(text: str, ctx: Context) -> list[Change]:
    """Move image captions and photo credits out of the body; from a paragraph, only its credits (`photo_credits`).

    >>> t = ("Everyone had to work with the Taliban to some extent to get their people out.\\n"
    ...      "Afghan refugees arrive at Pristina International Airport in Kosovo on Sunday © Reuters\\n"
    ...      "Jen Psaki defended the alliance with Taliban leaders.")
    >>> apply_changes(t, remove_captions(t, Context())).count("©")
    0
    >>> t = ("Afghan refugees arrived at Pristina International Airport in Kosovo on Sunday, the first of "
    ...      "several hundred people the government has agreed to shelter at a former army base near the "
    ...      "capital while the United States processes their visas, officials said © Reuters")
    >>> apply_changes(t, remove_captions(t, Context())).endswith("their visas, officials said")
    True
    """
    lines, labels = text.split("\n"), line_labels(text, ctx)
    credits = [photo_credits(line) if label is None else [] for line, label in zip(lines, labels, strict=True)]
    changes = drop_lines(text, ctx, "captions")
    if not any(credits):
        return changes
    pos, cuts = 0, []
    for line, spans in zip(lines, credits, strict=True):
        cuts += [(pos + start, pos + end, "") for start, end in spans]
        pos += len(line) + 1
    kept_labels = next(iter(ctx.labels.values()))  # the lines stay: only their credits go
    ctx.labels = {apply_changes(text, changes + cuts): kept_labels}
    return sorted(changes + cuts)


def photo_credits(line: str) -> list[tuple[int, int]]:
    """Return the spans of the photo credits that open (`patterns.CREDIT_HEAD`) or end (`patterns.CREDIT_TAIL`) a line.

    The spaces between a credit and the paragraph go with the credit.

    >>> line = "Afghan refugees arrive in Kosovo on Sunday \u00a0© Reuters"
    >>> [line[start:end] for start, end in photo_credits(line)]
    [' \xa0© Reuters']
    >>> line = "© Provided by Business Insider IncNintendo and Apple shocked the world this year."
    >>> [line[start:end] for start, end in photo_credits(line)]
    ['© Provided by Business Insider Inc']
    """
    head = P.CREDIT_HEAD.match(line)
    spans, after = ([head.span()], head.end()) if head else ([], 0)
    if any(c in line for c in P.CREDIT_TAIL_OPENERS) and (tail := P.CREDIT_TAIL.search(line, after)):
        spans.append((max(len(line[:tail.start()].rstrip()), after), tail.end()))
    return spans


def remove_datelines(text: str, ctx: Context) -> list[Change]:
    """Move lines that only give the date ("Saturday, 02/03/2024", "Published …") to meta.

    >>> t = "US Concerned By Taliban’s Killings\\n\\nSaturday, 02/03/2024\\n\\nThe US State Department said so."
    >>> "2024" in apply_changes(t, remove_datelines(t, Context()))
    False
    """
    return drop_lines(text, ctx, "datelines")


def remove_bylines(text: str, ctx: Context) -> list[Change]:
    """Move author lines ("By Jane Doe", "Tom Krisher, Ap Auto Writer") to meta.

    >>> t = "Taliban take Kabul\\nBy Jane Doe\\nThe Taliban entered Kabul on Sunday, officials said."
    >>> apply_changes(t, remove_bylines(t, Context()))
    'Taliban take Kabul\\nThe Taliban entered Kabul on Sunday, officials said.'
    """
    return drop_lines(text, ctx, "bylines")


def extract_title(text: str, ctx: Context) -> list[Change]:
    """Take the headline out of the body; a first line that is body text stays.

    >>> t = "Taliban Slam US Relocation Program for Afghans\\n\\nThe Taliban condemned the United States on Wednesday."
    >>> apply_changes(t, extract_title(t, Context()))
    '\\nThe Taliban condemned the United States on Wednesday.'
    """
    return drop_lines(text, ctx, "title")


# --- words (glued words: cleaning/glued.py) ---------------------------------


def fix_sentence_breaks(text: str, ctx: Context) -> list[Change]:
    """Restore a full stop lost where link text was spliced in, before a capitalised function word.

    Only inside running text: after at least three words of the sentence, before
    a lowercase word, and never in a title-case headline.

    >>> t = "The U.S. State Department on Saturday condemned the Taliban In the four months since it took control."
    >>> apply_changes(t, fix_sentence_breaks(t, Context()))
    'The U.S. State Department on Saturday condemned the Taliban. In the four months since it took control.'
    """
    changes, headline = [], {}
    for m in P.SENTENCE_BREAK.finditer(text):
        start = m.start()
        if not (start and text[start - 1].isascii() and text[start - 1].isalpha()):
            continue
        line_start = text.rfind("\n", 0, start) + 1
        if line_start not in headline:
            line_end = text.find("\n", start)
            headline[line_start] = _is_headline(text[line_start:line_end if line_end >= 0 else len(text)])
        if headline[line_start]:
            continue
        before = text[line_start:start]
        last_end = max((e.end() for e in P.SENTENCE_END.finditer(before + " ")), default=0)
        sentence_words = P.WORD.findall(before[last_end:])
        if len(sentence_words) >= 3 and sentence_words[-1].lower() not in P.GLUE_WORDS:
            changes.append((start, start, "."))
    return changes


def _is_headline(line: str) -> bool:
    """Tell whether a line is title case (most of its words capitalised)."""
    words = P.WORD.findall(line)
    caps = sum(w[0].isupper() for w in words)
    return len(words) < 4 or caps / len(words) > 0.6


def remove_doubled_words(text: str, ctx: Context) -> list[Change]:
    """Drop the second of two identical words that differ in case, or a doubled function word.

    >>> t = "Said Horsti said in the video statement, according to To the Reuters news agency."
    >>> apply_changes(t, remove_doubled_words(t, Context()))
    'Said Horsti said in the video statement, according to the Reuters news agency.'
    """
    changes = []
    for m in P.DOUBLED_WORD.finditer(text):
        first, second = m[1], m[2]
        if first != second or first.lower() in P.DOUBLE_SAFE:
            changes.append((m.start(2) - 1, m.end(2), ""))
    return changes


def fix_quotes(text: str, ctx: Context) -> list[Change]:
    """Close a paragraph that ends in an opening quote, and space a closing quote glued to a word.

    >>> t = "“This is a slander, Not justice. “\\n“Words are good. We will retain them, ”Khalilzad wrote."
    >>> print(apply_changes(t, fix_quotes(t, Context())))
    “This is a slander, Not justice.”
    “Words are good. We will retain them,” Khalilzad wrote.
    """
    changes = []
    if P.DANGLING_OPEN + "\n" in text or text.endswith(P.DANGLING_OPEN):  # else the scan finds none
        changes += [(m.start(), m.end(), "\u201d") for m in P.DANGLING_OPEN_QUOTE.finditer(text)
                    if m.start() and text[m.start() - 1] in P.QUOTE_DANGLES_AFTER]
    if P.GLUED_CLOSE in text:
        changes += [(m.start(), m.end(), "\u201d ") for m in P.GLUED_CLOSE_QUOTE.finditer(text)
                    if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in P.QUOTE_GLUES_AFTER)]
    return sorted(changes)

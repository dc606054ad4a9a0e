"""The repairs: small, named, pure functions from text to the changes they make.

Each repair takes the current text and the corpus `Context` and returns a list
of ``(start, end, replacement)`` changes in that text's offsets; it never
touches the text itself. The pipeline records each change as an `Edit`, so a
repair that returns nothing leaves no trace. `apply_changes` shows the result.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)
from ftfy.badness import is_bad

from cleaning import patterns as P

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
    labels: dict[str, list[str | None]] = field(default_factory=dict)
    # The body model's doubt about this document: the share of its prose the line labels would
    # remove, when that was most of it and only evidenced removals were kept (None otherwise).
    body_uncertain: float | None = None

    def for_document(self) -> Context:
        """Return a context with this corpus's statistics and fresh scratch."""
        return Context(self.repeated_lines, self.corpus_words)


def apply_changes(text: str, changes: list[Change]) -> str:
    """Apply non-overlapping changes to `text` (used by doctests and tests)."""
    for start, end, after in sorted(changes, reverse=True):
        text = text[:start] + after + text[end:]
    return text


# --- encoding ---------------------------------------------------------------

FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False)


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
        if needs_ftfy(line):
            fixed = _fix_line(line)
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
    changes, pos, previous, tail = [], 0, "", ""
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if tail and line.strip() and _continues(previous, tail, line):
            end = len(P.INDENT.match(line)[0]) if line[:1] in " \t" else 0
            gap = len(previous) - len(previous.rstrip(" \t"))
            changes.append((start - 1 - gap, start + end, " "))
            tail = (tail + " " + line[end:].rstrip())[-P.WRAP_TAIL:]
        else:
            tail = line.strip()[-P.WRAP_TAIL:]
        previous = line
    return changes


def _continues(previous: str, tail: str, line: str) -> bool:
    """Tell whether `line` goes on with the paragraph before it (`previous` line; `tail`: its joined end)."""
    body = line.lstrip(" \t")
    if P.LIST_ITEM.match(body) or P.CODE_LINE.search(line) or P.CODE_LINE.search(previous) or "\t" in body:
        return False
    if len(body) < len(line):  # indented: the page source's own line break
        return True
    return (body[0].islower() and len(tail) >= P.WRAP_MIN_CHARS and bool(P.WRAP_OPEN_END.search(tail))
            and len(tail.split()) >= P.WRAP_MIN_WORDS)


# --- lines: boilerplate, captions, datelines, bylines, title ------------------


def line_labels(text: str, ctx: Context) -> list[str | None]:
    """Return each line's label (None = body), classifying a text only once."""
    from cleaning.lines import classify_page

    if text not in ctx.labels:
        page = classify_page(text.split("\n"), ctx.repeated_lines)
        ctx.labels = {text: page.labels}
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
    return stripped in repeated and not P.SENTENCE_LINE.search(stripped)


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
    """Move image captions and photo credits out of the body; from a paragraph, only its credit.

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
    credits = [P.CREDIT_TAIL.search(line) if label is None else None for line, label in zip(lines, labels, strict=True)]
    changes = drop_lines(text, ctx, "captions")
    if not any(credits):
        return changes
    pos, cuts = 0, []
    for line, credit in zip(lines, credits, strict=True):
        if credit:
            cuts.append((pos + credit.start(), pos + credit.end(), ""))
        pos += len(line) + 1
    kept_labels = next(iter(ctx.labels.values()))  # the lines stay: only their credits go
    ctx.labels = {apply_changes(text, changes + cuts): kept_labels}
    return sorted(changes + cuts)


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


# --- words ------------------------------------------------------------------


def split_glued_words(text: str, ctx: Context) -> list[Change]:
    """Split words glued where link text was spliced in: "Afghanistanof" -> "Afghanistan of".

    Only tokens that are not English words, not handles or URLs and not listed
    in ``data/names.txt`` are split, and only where `_glue_point` finds
    evidence on both sides; a token glued twice ("toTheHollywood") is split
    twice. A token the corpus uses in two documents is a brand ("WeWork") and
    splits only at a function word ("thePlan"). A missed split costs less
    than a false one.

    >>> t = "Afghanistanof Taliban condemned TalibanThe State Department in Afghanistan, McKenzie said on YouTube."
    >>> apply_changes(t, split_glued_words(t, Context()))
    'Afghanistan of Taliban condemned Taliban The State Department in Afghanistan, McKenzie said on YouTube.'
    >>> t = "more than10 million people, according toTheHollywood Reporter"
    >>> apply_changes(t, split_glued_words(t, Context()))
    'more than 10 million people, according to The Hollywood Reporter'
    """
    tokens = {t for t in P.unknown_tokens(text) - P.known_names() if _may_split(t)}
    if not tokens:
        return []
    # A split can make a name stand alone ("Beijingand" gives "Beijing"), which may
    # justify another split: repeat until nothing changes, so that cleaning the
    # clean text again finds nothing more to split.
    words, standalone, cuts, places = P.english_words(), set(P.LETTERS.findall(text)), {}, {}
    judge = tokens
    while True:
        new = {}
        for t in judge:
            points = _glue_points(t, words, standalone)
            if points and points != cuts.get(t) and (_at_function_word(t, points) or _one_word_nowhere(t, ctx)):
                if t not in places:  # only a token that would split is located
                    places[t] = _free_places(text, t, in_hashtags=_part_of_speech_glued(t, points))
                if places[t]:
                    new[t] = points
        if not new:
            break
        cuts |= new
        parts = {part for token, points in new.items() for part in _parts(token, points)} - standalone
        standalone |= parts
        # Only a token that holds a part now standing alone can judge otherwise (a split one
        # may split deeper: "layoffsBusinessGateHouse" once "Business" stands alone).
        judge = {t for t in tokens if any(part in t for part in parts)}
    return sorted((start + cut, start + cut, " ") for token, points in cuts.items()
                  for start in places[token] for cut in points)


class _Everything:
    """A set that holds every word: the text that would let `_glue_points` split the most."""

    def __contains__(self, word: object) -> bool:
        return True


@lru_cache(maxsize=65_536)
def _may_split(token: str) -> bool:
    """Tell whether some text could let `token` split; most unknown tokens are names that never can.

    Every rule only gains from a part standing alone in the text, so a token
    that does not split when every part stands alone splits in no text.
    Names recur across a corpus, so the answer is remembered.
    """
    if not (_may_glue(token) or _unheard_of(token)):
        return False
    return bool(_glue_points(token, P.english_words(), _Everything()))


def _unheard_of(token: str) -> bool:
    """Tell whether no English word list knows `token` (most unknown tokens are names wordfreq knows)."""
    return not P.known_word(token.lower())


def _one_word_nowhere(token: str, ctx: Context) -> bool:
    """Tell whether neither this corpus (in two documents) nor English writes `token` as one word."""
    return token not in ctx.corpus_words and _unheard_of(token)


def _pair_point(token: str, words: dict[str, int], standalone: set[str]) -> int:
    """Split a token no English word list knows into two words: "Trekfilm", "indexmonitors", "Konggovernment".

    Only a token that wordfreq's 321k words do not know splits so, never a
    compound ("smartwatch", "hourlong", "Snapchat"). Each part has
    3+ letters and no capital inside. After a capitalised left part that the
    text uses alone ("Trek" in "Star Trek") or that is a very common word
    ("Scarystuff"), the right part must stand alone in the text too: a pun
    ("Hillicon") does not split. A lowercase left part of 4+ letters is a
    very common word or one the text uses alone ("econobox" stays whole,
    "sinjury" is not "sin jury"), before a common word or one the text uses
    alone. Compound prefixes and suffixes never split ("Cleggmania").
    """
    best, best_score = 0, 0
    if not _unheard_of(token) or _inflects_a_word(token.lower()):  # "greenwashed"
        return 0
    for i in range(3, len(token) - 2):
        left, right = token[:i], token[i:]
        lo = left.lower()
        if not (right.islower() and left[1:].islower()) or lo in P.COMPOUND_PREFIXES or right in P.COMPOUND_SUFFIXES:
            continue
        lc, rc = words.get(lo, 0), words.get(right, 0)
        if _pair_ok(left, right, lc, rc, standalone) and min(lc, rc) > best_score:
            best, best_score = i, min(lc, rc)
    return best


def _pair_ok(left: str, right: str, lc: int, rc: int, standalone: set[str]) -> bool:
    """Judge one place of `_pair_point`: evidence for both words."""
    if left[0].isupper():  # a name or a very common word, and a word the text uses alone: not a pun like "Hillicon"
        known = left in standalone or left.lower() in standalone or lc >= P.VERY_COMMON_COUNT
        return known and bool(rc) and right in standalone
    # "sinjury" is "’s injury", not "sin jury"
    left_ok = (len(left) >= 4 and lc >= P.VERY_COMMON_COUNT) or (bool(lc) and left in standalone)
    return left_ok and not _new_compound_head(right) and (
        rc >= P.COMMON_COUNT or (bool(rc) and right in standalone))


def _may_glue(token: str) -> bool:
    """Tell cheaply whether `_glue_point` could split `token`; most unknown tokens are names that it cannot.

    A capitalised token without a case change inside splits only before a
    lowercase hinge (a function word, a verb, an ending) or after a function
    word, so its ends are enough to rule it out ("Khalilzad").
    """
    if not token[0].isupper() or not token.isalpha() or not token[1:].islower():
        return True
    low = token.lower()
    return (low.endswith(P.HINGE_ENDINGS)
            or any(low[-k:] in P.GLUE_HINGES for k in range(2, min(P.HINGE_LENGTH, len(low) - 2) + 1))
            or any(low[:k] in P.TAIL_WORDS for k in range(2, min(P.HINGE_LENGTH, len(low) - 2) + 1)))


def _free_places(text: str, token: str, in_hashtags: bool = False) -> list[int]:
    """Return where `token` stands as a word, outside handles, paths, domains and (unless `in_hashtags`) hashtags."""
    starts, end, size = [], len(text), len(token)
    i = text.find(token)
    while i >= 0:
        j = i + size
        if not (i and _word_char(text[i - 1])) and not (j < end and _word_char(text[j])) \
                and not _in_handle(text, i, token, in_hashtags):
            starts.append(i)
        i = text.find(token, i + 1)
    return starts


def _word_char(char: str) -> bool:
    """Tell whether `char` is a word character, as ``\\w`` and ``\\b`` see it."""
    return char.isalnum() or char == "_"


def _in_handle(text: str, start: int, token: str, in_hashtags: bool = False) -> bool:
    """Tell whether the token is part of a handle, hashtag, path or domain ("@ArvindKejriwal", "#BrownsGreedy").

    After a full stop only a lowercase token is a domain part; a capitalised
    one starts a sentence glued to the last ("city.Parishas"). With
    `in_hashtags`, a hashtag is no handle: a word was glued after it.
    """
    before = text[start - 1] if start else ""
    if before == "#":
        return not in_hashtags
    return before in ("@", "/") or (before == "." and not token[0].isupper())


def _part_of_speech_glued(token: str, points: list[int]) -> bool:
    """Tell whether the split leaves a function word at the end: glued after a hashtag ("#Steelerswas")."""
    return _parts(token, points)[-1] in P.TAIL_WORDS


def _parts(token: str, points: list[int]) -> list[str]:
    """Cut `token` at `points`."""
    bounds = [0, *points, len(token)]
    return [token[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _at_function_word(token: str, points: list[int]) -> bool:
    """Tell whether some part of the split is a function word, a number or "www" ("thePlan", not "WeWork")."""
    return any(p.lower() in P.GLUE_WORDS or p in P.URL_STARTS or p[0].isdigit() for p in _parts(token, points))


def _glue_points(token: str, words: dict[str, int], standalone: set[str]) -> list[int]:
    """Return every place to split a token glued more than once ("toTheHollywood"), or [].

    A part is split again only while it is itself a candidate: 5+ characters,
    not an English word and not a listed name ("withSpaceNews").
    """
    cut = _glue_point(token, words, standalone) or _pair_point(token, words, standalone)
    if not cut:
        return []
    points = [cut]
    for offset, part in ((0, token[:cut]), (cut, token[cut:])):
        if len(part) >= 5 and part.lower() not in words and part not in P.known_names():
            points += [offset + p for p in _glue_points(part, words, standalone)]
    return sorted(points)


def _glue_point(token: str, words: dict[str, int], standalone: set[str]) -> int:
    """Return where to split a glued token, or 0 when no split is safe.

    A split needs evidence on both sides: each part is a frequent English word,
    a function word, or a name the text uses on its own ("Nadalkept" when
    "Nadal" stands alone elsewhere). Two lowercase content words split only at
    a word ending ("problemslast", "giantlaunched"), never where they could
    form a compound ("breadbasket", "hourlong"); a name stays whole unless
    its first part stands alone ("Afghanistanof" but not "Helmand").
    """
    if not token.isalpha():
        return _number_point(token, words, standalone)
    best, best_score, low = 0, 0.0, token.lower()
    # "aself" is "a self", not "as elf"; "haddocks" is a word, not "had docks" (but "boomis" is "boom is").
    word_like = token[1:].islower() and ((low[0] == "a" and low[1:] in words) or _inflects_a_word(low))
    for i in range(2, len(token) - 1):
        left, right, lo, ro = token[:i], token[i:], low[:i], low[i:]
        if word_like and ro not in P.TAIL_WORDS:
            continue
        if left[-1].islower() and right[0].isupper():
            lc, rc = words.get(lo, 0), words.get(ro, 0)
            ok = _camel_ok(left, right, lc, rc, standalone)
        elif right.islower() and _may_hinge(left, lo, ro):
            lc, rc = words.get(lo, 0), words.get(ro, 0)
            ok = _lower_ok(left, right, lc, rc, standalone)
        else:
            continue
        score = min(lc or P.COMMON_COUNT, rc or P.COMMON_COUNT)
        if ok and score > best_score:
            best, best_score = i, score
    return best


def _inflects_a_word(low: str) -> bool:
    """Tell whether a lowercase token is an English word with an ending: "haddocks", "greenwashed"."""
    return any(low.endswith(end) and P.known_word(low[:-len(end)] + back) for end, back in P.INFLECTIONS)


def _may_hinge(left: str, lo: str, ro: str) -> bool:
    """Tell cheaply whether `_lower_ok` could accept this place: most places of a name cannot."""
    return (ro in P.GLUE_HINGES or lo in P.TAIL_WORDS or ro.endswith(P.HINGE_ENDINGS)
            or (left[0].isupper() and len(ro) >= 5 and ro.endswith("s"))
            or (not left[0].isupper() and (lo.endswith(P.WORD_ENDINGS) or min(len(lo), len(ro)) >= 6)))


def _number_point(token: str, words: dict[str, int], standalone: set[str]) -> int:
    """Judge a word glued to a number: "than10", "the14th", "least106", "12Cleveland".

    The word must be lowercase and a function word or a common word of 5+
    letters, so models and codes stay whole ("MP3", "G20", "COVID19", "html5",
    "xbox360"); a number splits from a name only when the name stands alone.
    """
    if m := P.WORD_THEN_NUMBER.fullmatch(token):
        word = m[1]
        if word in P.GLUE_WORDS or (len(word) >= 5 and words.get(word, 0) >= P.COMMON_COUNT):
            return len(word)
    if (m := P.NUMBER_THEN_NAME.fullmatch(token)) and m[2] in standalone:
        return len(m[1])
    return 0


def _camel_ok(left: str, right: str, lc: float, rc: float, standalone: set[str]) -> bool:
    """Judge a split at a case change: "thePlan", "toldCBS", "TalibanThe", "NoemKristi", "WhenEric"."""
    if left.islower():  # brands that start in lowercase are short or listed: iPhone, eBay, macOS
        return left in P.GLUE_WORDS or (len(left) >= 3 and lc >= P.WORD_COUNT)
    if left in P.NAME_PREFIXES:
        return False
    if right.lower() in P.GLUE_WORDS or left == "The":
        return lc >= P.WORD_COUNT or left in standalone
    # "WhenEric", "SinceOlivier": a long sentence opener is no brand's first part
    # (unlike "We", "My", "You", "In", "On": "WeWork", "MySpace", "YouGov", "OnStar").
    if left in P.SENTENCE_STARTERS and len(left) >= 4:
        return len(right) >= 3 and (right in standalone or rc >= P.COMMON_COUNT)
    # "WeWork", "CarPlay", "SunExpress", "SmartNews": brands join two words, so the text must use both;
    # but no brand starts with a function word or a participle, or ends in an acronym
    # ("FromDawgs", "UpdatedPolice", "SportSUV"): then the right one alone is enough.
    if len(left) < 4:
        return False
    if left in standalone:
        return right in standalone or rc >= P.COMMON_COUNT
    lo = left.lower()
    return right in standalone and (lo in P.GLUE_WORDS or lo.endswith(P.VERB_ENDINGS) or right.isupper())


def _lower_ok(left: str, right: str, lc: float, rc: float, standalone: set[str]) -> bool:
    """Judge a split before a lowercase part: "Afghanistanof", "itselectric", "Nadalkept", "problemslast"."""
    lo, ro = left.lower(), right.lower()
    if ro in P.COMPOUND_SUFFIXES:
        return False
    if lo in P.GLUE_WORDS and ro in P.TAIL_WORDS:  # "hadan", "butif", "Hewas"; but "Juston" is a name
        return _function_pair_ok(left, right)
    # A capitalised left part is a name the text uses alone, or a very common word.
    name = (left[0].isupper() and len(left) >= 3 and lo not in P.GLUE_WORDS  # "Juston" is a name
            and (left in standalone or lc >= P.VERY_COMMON_COUNT))
    if ro in P.TAIL_WORDS:
        if left.islower():
            return _word_then_function_ok(left, ro, lc, standalone)
        if name or (len(left) >= 4 and ro in P.NAME_THEN_VERB):  # "Randallwas", "Burrishas"
            return True
        return len(left) >= 4 and lc >= P.COMMON_COUNT and ro in P.WORD_THEN_TAIL  # "Roadmapfor"
    if ro in P.URL_STARTS:  # "visitwww.example.com"
        return len(left) >= 3 and lc >= P.WORD_COUNT
    if lo in P.TAIL_WORDS:  # "inair", "ofconcealing", "Yetfires"; but "overdrew" is a word
        if lo in P.FUNCTION_PREFIXES:
            return False
        if len(right) >= (3 if left.islower() else 4) and rc >= P.COMMON_COUNT:
            return True
        if not left.islower():
            return False
        # "wasbesieged", "withpneumonic": after a function word no compound starts with
        if lo in P.CLOSED_WORDS and len(right) >= 4 and (rc >= P.WORD_COUNT or right in standalone):
            return True
        # "beintroverts": a word wordfreq knows, after a function word, in a token it does not know
        return (lo not in P.COMPOUND_PREFIXES and len(right) >= 5 and P.known_word(right)
                and _unheard_of(left + right))
    if left[0].isupper():  # "Nadalkept", "Bridenstinesaid", but not "Chromecast" or "Cleggmania"
        # A past tense after a known name of 4+ letters that the text never uses alone ("Neumannleft"):
        # in a token no word list knows, a name glued to its verb ("MacBookre|leased" has no known name).
        past = ro in P.COMMON_VERBS or (len(ro) >= 5 and ro.endswith("ed"))
        if len(left) >= 4 and past and lc >= P.WORD_COUNT and rc >= P.COMMON_COUNT:
            return True
        verb = past or (len(ro) >= 5 and ro.endswith(("ing", "s")))  # "Murrayreturns", "Prolooks"
        adverb = len(ro) >= 6 and ro.endswith("ly")  # "Countyregularly"
        return (name and (verb or adverb) and rc >= P.COMMON_COUNT) or (len(left) >= 3 and ro in P.NAME_THEN_VERB)
    if lo in P.COMPOUND_PREFIXES:
        return False
    return _content_pair_ok(lo, ro, lc, rc, standalone)


def _content_pair_ok(lo: str, ro: str, lc: float, rc: float, standalone: set[str]) -> bool:
    """Judge two lowercase content words: "problemslast", "giantlaunched", "purportedmeticulous".

    Compounds missing from the word list join short words or end in a head
    ("smartwatch", "breadbasket", "hourlong", "crowdfunding", "chipmakers"),
    so a pair splits at a word ending of two common words, or when both
    words are long (6+ letters) English words and the left one stands alone
    in the text (or both are common).
    """
    if _new_compound_head(ro):
        return False
    ending = lo.endswith(P.WORD_ENDINGS) or ro in P.COMMON_VERBS or (len(ro) >= 5 and ro.endswith("ed"))
    if ending and min(len(lo), len(ro)) >= 3 and min(lc, rc) >= P.COMMON_COUNT:
        return True
    return (min(len(lo), len(ro)) >= 6 and not ro.endswith(P.COMPOUND_HEAD_ENDINGS)
            and min(lc, rc) >= P.WORD_COUNT and (lo in standalone or min(lc, rc) >= P.COMMON_COUNT))


def _new_compound_head(right: str) -> bool:
    """Tell whether a lowercase right part is a gerund, where two lowercase words never split.

    New compounds that no word list knows yet end in one ("doomscrolling", "sportswashing").
    """
    return right.endswith("ing")


def _word_then_function_ok(left: str, ro: str, lc: float, standalone: set[str]) -> bool:
    """Judge a lowercase word glued to a function word: "plansfor", "winthis", "expectanciesof", "kilnsthat".

    A common word of 4+ letters splits before any function word; a 3-letter
    one, or a rarer word that ends like a word or stands alone in the text,
    only before a function word of 3+ letters that ends no compound (not
    "takeout", "topmost", "handsome"). "wint|his" is refused: "wint" is
    neither.
    """
    if len(left) >= 4 and lc >= P.COMMON_COUNT:
        return True
    if (len(ro) < 3 and ro != "of") or ro in P.FUNCTION_SUFFIXES:  # no word of 4+ letters ends in "of" but "proof"
        return False
    if len(left) == 3:
        return len(ro) >= 4 and lc >= P.COMMON_COUNT
    return len(left) >= 4 and (left in standalone or (lc >= P.WORD_COUNT and left.endswith(P.WORD_ENDINGS)))


def _function_pair_ok(left: str, right: str) -> bool:
    """Judge two glued function words: "hadan", "butif", "andmore", "Hewas"; not the name "Juston".

    In lowercase any pair is two words (compounds of them, "into", "whatever",
    "therein", are English words and never candidates). Capitalised, only a
    pronoun before a word of 3+ letters: names are made of such pairs too.
    """
    if left.islower():
        return True
    return left.lower() in P.PRONOUNS and len(right) >= 3


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
    changes = [(m.start(), m.end(), "\u201d") for m in P.DANGLING_OPEN_QUOTE.finditer(text)
               if m.start() and text[m.start() - 1] in P.QUOTE_DANGLES_AFTER]
    changes += [(m.start(), m.end(), "\u201d ") for m in P.GLUED_CLOSE_QUOTE.finditer(text)
                if m.start() and (text[m.start() - 1].isalnum() or text[m.start() - 1] in P.QUOTE_GLUES_AFTER)]
    return sorted(changes)

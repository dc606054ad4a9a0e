"""The repairs: small, named, pure functions from text to the changes they make.

Each repair takes the current text and the corpus `Context` and returns a list
of ``(start, end, replacement)`` changes in that text's offsets; it never
touches the text itself. The pipeline records each change as an `Edit`, so a
repair that returns nothing leaves no trace. `apply_changes` shows the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import ftfy

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
    changes, pos = [], 0
    for line in text.split("\n"):
        if P.FTFY_TRIGGER.search(line):
            fixed = P.LOST_BYTE_RE.sub(lambda m: P.LOST_BYTE_MOJIBAKE[m[0]], ftfy.fix_text(line, FTFY_CONFIG))
            if fixed != line:
                changes.extend(_line_diff(line, fixed, pos))
        pos += len(line) + 1
    return changes


def _line_diff(before: str, after: str, offset: int) -> list[Change]:
    """Describe a rewritten line as the smallest changes, so edits stay readable."""
    from difflib import SequenceMatcher

    ops = SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    return [(offset + i1, offset + i2, after[j1:j2]) for tag, i1, i2, j1, j2 in ops if tag != "equal"]


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
    return changes


# --- lines: boilerplate, captions, datelines, bylines, title ------------------


def line_labels(text: str, ctx: Context) -> list[str | None]:
    """Return each line's label (None = body), classifying a text only once."""
    from cleaning.lines import classify_lines

    if text not in ctx.labels:
        ctx.labels = {text: classify_lines(text.split("\n"), ctx.repeated_lines)}
    return ctx.labels[text]


def drop_lines(text: str, ctx: Context, label: str) -> list[Change]:
    """Remove the lines labelled `label`, each with its line break.

    The labels of the remaining lines are remembered for the text this leaves,
    so the next line repair does not classify the document again.
    """
    lines, labels = text.split("\n"), line_labels(text, ctx)
    changes, pos, run_start = [], 0, None
    for i, (line, lab) in enumerate(zip(lines, labels)):
        if lab == label and run_start is None:
            run_start = pos
        if lab != label and run_start is not None:
            changes.append((run_start, pos, ""))
            run_start = None
        pos += len(line) + 1
        if i == len(lines) - 1 and run_start is not None:
            # A run that ends the text takes the line break before it instead.
            changes.append((max(run_start - 1, 0), len(text), ""))
    kept = [(line, lab) for line, lab in zip(lines, labels) if lab != label]
    ctx.labels = {"\n".join(line for line, _ in kept): [lab for _, lab in kept]}
    return changes


def remove_boilerplate(text: str, ctx: Context) -> list[Change]:
    """Remove footers, widgets with their teasers, menus and lines repeated across the corpus.

    >>> t = "Recent clashes continued.\\nCheck Also\\nThe Intercept’s Latest Leak\\nAt the same time as …"
    >>> apply_changes(t, remove_boilerplate(t, Context()))
    'Recent clashes continued.'
    """
    return drop_lines(text, ctx, "boilerplate")


def remove_captions(text: str, ctx: Context) -> list[Change]:
    """Move image captions and photo credits out of the body.

    >>> t = ("Everyone had to work with the Taliban to some extent to get their people out.\\n"
    ...      "Afghan refugees arrive at Pristina International Airport in Kosovo on Sunday © Reuters\\n"
    ...      "Jen Psaki defended the alliance with Taliban leaders.")
    >>> apply_changes(t, remove_captions(t, Context())).count("©")
    0
    """
    return drop_lines(text, ctx, "captions")


def remove_datelines(text: str, ctx: Context) -> list[Change]:
    """Move lines that only give the date ("Saturday, 02/03/2024", "Published …") to meta.

    >>> t = "US Concerned By Taliban’s Retaliatory Killings\\n\\nSaturday, 02/03/2024\\n\\nThe US State Department said so."
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

    Only tokens that are not English words, not names the corpus uses in two
    or more documents and not listed in ``data/names.txt`` are split, and only
    into two known words at a case change ("TalibanThe") or around a function
    word ("itselectric"). A missed split costs less than a false one.

    >>> t = "Afghanistanof Taliban condemned TalibanThe State Department, General McKenzie said on YouTube."
    >>> apply_changes(t, split_glued_words(t, Context()))
    'Afghanistan of Taliban condemned Taliban The State Department, General McKenzie said on YouTube.'
    """
    words, names = P.english_words(), P.known_names()
    changes, standalone = [], None
    for m in P.GLUE_CANDIDATE.finditer(text):
        token = m[0]
        if _known(token, words) or token in ctx.corpus_words or token in names:
            continue
        if text.count(token) > 1:  # a word used twice is the document's own word
            continue
        if _hyphenated(text, m.start(), m.end()):
            continue
        if standalone is None:
            standalone = set(P.WORD.findall(text))
        cut = _glue_point(token, words, standalone)
        if cut:
            changes.append((m.start() + cut, m.start() + cut, " "))
    return changes


def _hyphenated(text: str, start: int, end: int) -> bool:
    """Tell whether the token is part of a hyphenated word (al-Qaeda, Isis-K, Taliban-led)."""
    return (start > 0 and text[start - 1] == "-") or (end < len(text) and text[end] == "-")


def _glue_point(token: str, words: dict[str, int], standalone: set[str]) -> int:
    """Return where to split a glued token, or 0 when no split is safe.

    Two English words must meet at a case change beside a function word
    ("TalibanThe") or after a word the text uses on its own ("TalibanDeclare"),
    or a common word must meet a function word ("itselectric"); a name stays
    whole unless its first part stands alone in the text ("Afghanistanof" but
    not "Helmand").
    Two content words glued in lowercase stay: they cannot be told from real
    compounds ("breadbasket", "hourlong").
    """
    best, best_score = 0, 0.0
    for i in range(2, len(token) - 1):
        left, right = token[:i], token[i:]
        lo, ro = left.lower(), right.lower()
        lc, rc = words.get(lo, 0), words.get(ro, 0)
        if left[-1].islower() and right[0].isupper():
            # "WeWork", "InBev": a capitalised function word may start a brand.
            after_function_word = lo in P.GLUE_WORDS and (left.islower() or left == "The")
            beside = ro in P.GLUE_WORDS or after_function_word or (len(left) >= 4 and left in standalone)
            ok = beside and left not in P.NAME_PREFIXES and min(lc, rc) >= P.WORD_COUNT
        elif not right.islower() or lo in P.COMPOUND_PREFIXES or ro in P.COMPOUND_SUFFIXES:
            continue
        elif ro in P.GLUE_WORDS:
            # "Helmand" is not "Helm and": a capitalised left part must stand alone elsewhere.
            ok = len(left) >= 4 and lc >= P.COMMON_COUNT and (left.islower() or left in standalone)
        elif lo in P.GLUE_WORDS:
            ok = len(right) >= 4 and rc >= P.COMMON_COUNT
        else:
            ok = False
        if ok and min(lc, rc) > best_score:
            best, best_score = i, min(lc, rc)
    return best


def _known(word: str, words: dict[str, int]) -> bool:
    """Tell whether `word` is one of the 150k most frequent English words."""
    return words.get(word.lower(), 0) >= P.WORD_COUNT


def fix_sentence_breaks(text: str, ctx: Context) -> list[Change]:
    """Restore a full stop lost where link text was spliced in, before a capitalised function word.

    Only inside running text: after at least three words of the sentence, before
    a lowercase word, and never in a title-case headline.

    >>> t = "The U.S. State Department on Saturday condemned the Taliban In the four months since it took control."
    >>> apply_changes(t, fix_sentence_breaks(t, Context()))
    'The U.S. State Department on Saturday condemned the Taliban. In the four months since it took control.'
    """
    changes, pos = [], 0
    for line in text.split("\n"):
        if not _is_headline(line):
            for m in P.SENTENCE_BREAK.finditer(line):
                before = line[:m.start()]
                last_end = max((e.end() for e in P.SENTENCE_END.finditer(before + " ")), default=0)
                sentence_words = P.WORD.findall(before[last_end:])
                if len(sentence_words) >= 3 and sentence_words[-1].lower() not in P.GLUE_WORDS:
                    changes.append((pos + m.start(), pos + m.start(), "."))
        pos += len(line) + 1
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
        if first.lower() != second.lower():
            continue
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
    changes = [(m.start(), m.end(), "\u201d") for m in P.DANGLING_OPEN_QUOTE.finditer(text)]
    changes += [(m.start(), m.end(), "\u201d ") for m in P.GLUED_CLOSE_QUOTE.finditer(text)]
    return changes

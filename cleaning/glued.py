"""The glued-word repair: split words glued where link text was spliced in ("Afghanistanof").

A subsystem of its own, as ftfy keeps `badness.py` apart from `fixes.py`: the
repair `split_glued_words` (registered as ``glued_words`` in
`cleaning.config`) and the rules that judge each place a token could split.
Its regexes and word lists live in `cleaning.patterns` and ``cleaning/data/``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from cleaning import patterns as P
from cleaning.fixes import Change, Context, apply_changes  # noqa: F401  (apply_changes: the doctests)


def split_glued_words(text: str, ctx: Context) -> list[Change]:
    """Split words glued where link text was spliced in: "Afghanistanof" -> "Afghanistan of".

    Only tokens that are not English words, not handles or URLs and not listed
    in ``data/names.txt`` are split, and only where `_glue_point` finds
    evidence on both sides; a token glued twice ("toTheHollywood") is split
    twice. A token the corpus uses in two documents, or the text more than
    once, is a name ("WeWork", "Edgestore") and splits only at a function
    word ("thePlan"); one English writes about as often as its parts together
    stays whole ("incautious", "hewas" does not); a token used anywhere in
    the text as code, a handle, a path or an address never splits. A missed
    split costs less than a false one. Weaker evidence carries where the
    place shows glue: a first name before a surname glued to its verb, a
    heading glued to the line after it, a text of spliced link text.

    >>> t = "Afghanistanof Taliban condemned TalibanThe State Department in Afghanistan, McKenzie said on YouTube."
    >>> apply_changes(t, split_glued_words(t, Context()))
    'Afghanistan of Taliban condemned Taliban The State Department in Afghanistan, McKenzie said on YouTube.'
    >>> t = "more than10 million people, according toTheHollywood Reporter"
    >>> apply_changes(t, split_glued_words(t, Context()))
    'more than 10 million people, according to The Hollywood Reporter'
    """
    found = P.word_runs(text)  # one scan: the tokens to judge, what stands alone, how many words
    runs = set(found)
    unknown = P.unknown_among(runs) - P.known_names()
    tokens = {t for t in unknown if _may_split(t)}
    if not tokens:
        return []
    # A split can make a name stand alone ("Beijingand" gives "Beijing"), which may
    # justify another split: repeat until nothing changes, so that cleaning the
    # clean text again finds nothing more to split.
    lowered = text.lower()
    words, standalone, cuts, places = P.english_words(), P.letter_runs(runs), {}, {}
    written = frozenset(standalone)  # the words the text itself writes alone, before any split adds to them
    judge, spliced, named, code, uses = tokens, False, False, None, None
    while True:
        new = {}
        for t in judge:
            points = _remembered_glue_points(t, words, standalone)
            if not points or points == cuts.get(t) or _written_as_one(t, points):
                continue
            if not _at_function_word(t, points) and not _prose_hinges(t, points):
                code = _writes_code(text) if code is None else code
                # "webRequest", "TaskStatus", "windowtype" in a text that writes code
                if code and not _used_apart(t, points, uses := uses or Counter(P.LETTERS.findall(text))):
                    continue
            if t not in places:  # only a token that would split is located
                places[t] = _free_places(text, t, in_hashtags=_part_of_speech_glued(t, points))
            if places[t] and _evidence_carries(text, lowered, t, points, places[t], ctx):
                new[t] = points
        if not new and not named:
            named = True  # "Rob Weirshrugged": a surname glued to its verb, after a first name
            new = _surname_verb_cuts(text, unknown - set(cuts), places, ctx)
            new |= _heading_cuts(text, unknown - set(cuts) - set(new), places, ctx)
        if not new and not spliced and _spliced_prose(sum(len(places[t]) for t in cuts), found):
            # Prose this glued is spliced link text: weaker evidence now carries (`_spliced_point`).
            spliced = True
            new = _spliced_cuts(text, unknown - set(cuts), places, standalone, ctx)
            if new and (_writes_code(text) if code is None else code):
                new = {t: points for t, points in new.items() if _at_function_word(t, points)}
        if not new:
            break
        cuts |= new
        parts = {part for token, points in new.items() for part in _parts(token, points)} - standalone
        standalone |= parts
        # Only a token that holds a part now standing alone can judge otherwise (a split one
        # may split deeper: "layoffsBusinessGateHouse" once "Business" stands alone).
        judge = {t for t in tokens if any(part in t for part in parts)}
    cuts = {token: _kept_whole(token, points, written, cuts) for token, points in cuts.items()}
    return sorted((start + cut, start + cut, " ") for token, points in cuts.items()
                  for start in places[token] for cut in points)


def _kept_whole(token: str, points: list[int], written: frozenset[str], cuts: dict[str, list[int]]) -> list[int]:
    """Drop a cut inside a word the text writes alone and keeps whole: "Edgestore|entity", not "Edge|store|entity".

    A token split twice is split again inside its part; where that part is
    a name of the text (written alone, not split there, no case change at
    the cut), the cut inside it goes. "fourth|Trek|film" keeps both (the
    text splits "Trekfilm" too), and so does "matrix|A|with" (a case change).
    """
    bounds = [0, *points, len(token)]
    return [cut for i, cut in enumerate(points)
            if (token[cut - 1].islower() and token[cut].isupper())
            or not any((whole := token[bounds[a]:bounds[b]]) in written and whole not in cuts
                       for a in range(i + 1) for b in range(i + 2, len(bounds)))]


def _writes_code(text: str) -> bool:
    """Tell whether a text writes code (`patterns.code_syntax`): then only a function word or a number is a hinge.

    Its camelCase and run-together names are identifiers ("webRequest",
    "TaskStatus", "windowtype"), not link texts glued together.
    """
    return len(P.code_syntax(text)) >= P.CODE_SYNTAX_MIN


def _used_apart(token: str, points: list[int], uses: Counter) -> bool:
    """Tell whether a text writes `token` once and each of its parts alone, as written ("testBug": "test", "Bug").

    An identifier recurs as itself ("TaskStatus" twice); a link glued to
    the prose before it is a one-off made of words the text uses apart.
    A capitalised word after a run of capitals is an identifier still ("OSFile", "XMLParser").
    """
    if any(token[p - 1].isupper() and token[p].isupper() for p in points):
        return False
    once = sum(uses[form] for form in {token, token[0].swapcase() + token[1:]}) == 1
    return once and all(uses[part] for part in _parts(token, points))


def _prose_hinges(token: str, points: list[int]) -> bool:
    """Tell whether every cut reads as prose: "fixedBug" (an inflected word, a capital), "Gijsfixed" (a past tense).

    Identifiers start with a stem ("showFrames", "webRequest") and end in a
    noun ("windowtype"); a word with an ending before a capital, or a past
    tense after a word, is prose glued to a link, even in a text that
    writes code.
    """
    parts = _parts(token, points)
    return all((left.islower() and len(left) >= 5 and left.endswith(P.INFLECTED_ENDINGS) and right[0].isupper())
               or (right.islower() and (right in P.COMMON_VERBS or (len(right) >= 5 and right.endswith("ed"))))
               for left, right in zip(parts, parts[1:], strict=False))


def _spliced_prose(splits: int, runs: list[str]) -> bool:
    """Tell whether a text is glued so often that its prose is spliced link text ("acontinual discontentwith").

    A person's text holds at most a few tokens that the strict rules split
    (0 to 5 per 1,000 words on the dev truth texts, every one a false split);
    a page built of spliced links holds 6 to 66. Past `patterns.SPLICED_RATE`
    glue is the likely reading of any unknown token made of two English words.
    The text's words (runs of letters, counted from its runs of word
    characters in order: `patterns.letter_run_count`) are counted only for
    enough splits.
    """
    return splits >= P.SPLICED_MIN_SPLITS and splits * 1000 >= P.SPLICED_RATE * P.letter_run_count(runs)


def _spliced_cuts(text: str, unknown: set[str], places: dict[str, list[int]], standalone: set[str],
                  ctx: Context) -> dict[str, list[int]]:
    """Return the cuts `_spliced_point` allows in a spliced text, for tokens used once and in no other document.

    After an apostrophe the token is the end of a word ("’sinjury" is "’s injury").
    """
    return _one_off_cuts(text, unknown, places, ctx, lambda t: _spliced_point(t, standalone),
                         lambda start: text[start - 1:start] not in P.APOSTROPHES)


def _surname_verb_cuts(text: str, unknown: set[str], places: dict[str, list[int]],
                       ctx: Context) -> dict[str, list[int]]:
    """Return the cuts of surnames glued to their verb after a first name: "Rob Weirshrugged", "Ankush Duafixed".

    A capitalised token no list knows, that ends in a past tense or a common
    verb and follows a capitalised word, written once and in no other
    document: a person's name, then what they did. Names end in such
    words too ("Goodale", "Wakefield") but are known, or recur.
    """
    return _one_off_cuts(text, unknown, places, ctx, _verb_point,
                         lambda start: bool(P.NAME_BEFORE.search(text, max(0, start - P.NAME_LOOKBACK), start)))


def _heading_cuts(text: str, unknown: set[str], places: dict[str, list[int]],
                  ctx: Context) -> dict[str, list[int]]:
    """Return the cuts of a heading glued to the line after it: "IsolationTasks in a given lambda are isolated".

    Two capitalised English words glued at a line's start, the sentence going
    on in lowercase after them (`patterns.HEADING_GLUE`), written once and
    in no other document: a heading or label whose line break the scraper
    lost, then the sentence's first word. An identifier or brand at a line's
    start recurs ("GreenPak devices") or joins short words ("NewsGuard
    rated"); one beside code is no free place.
    Unlike the strict rules, this holds in a text that writes code: the
    place, not the parts, is the evidence.
    """
    return _one_off_cuts(text, unknown, places, ctx, _title_pair_point,
                         lambda start: bool(P.HEADING_GLUE.match(text, start)))


@lru_cache(maxsize=65_536)
def _title_pair_point(token: str) -> int:
    """Return where a token no list knows parts into two capitalised English words ("Isolation|Tasks"), or 0.

    Names recur across texts, so the answer is remembered.
    """
    m = P.HEADING_GLUE.match(token + " a")  # the token as a line's start, a lowercase word after it
    if not m or not _unheard_of(token):
        return 0
    cut = len(m[1])
    return cut if all(P.known_word(part.lower()) for part in (token[:cut], token[cut:])) else 0


def _one_off_cuts(text: str, unknown: set[str], places: dict[str, list[int]], ctx: Context,
                  point_of: Callable[[str], int], fits: Callable[[int], bool]) -> dict[str, list[int]]:
    """Return the cut `point_of` finds in each token the text writes once, where `fits`, and no other document uses.

    The rules on weaker evidence (spliced prose, a surname glued to its verb)
    cut only such one-offs: a coinage or a name recurs, a glued link rarely does.
    """
    cuts = {}
    for t in unknown:
        if t in ctx.corpus_words or not (point := point_of(t)):
            continue
        found = _free_places(text, t)
        if len(found) == 1 and fits(found[0]):
            places[t], cuts[t] = found, [point]
    return cuts


@lru_cache(maxsize=65_536)
def _verb_point(token: str) -> int:
    """Return where a capitalised token no list knows ends in a common verb or a past tense ("Weir|shrugged"), or 0.

    Names recur across texts, so the answer is remembered.
    """
    if not (token.isalpha() and token[0].isupper() and token[1:].islower()) or not _unheard_of(token):
        return 0
    words = P.english_words()
    for i in range(3, len(token) - 2):
        right = token[i:]
        if right in P.COMMON_VERBS or (len(right) >= 5 and right.endswith("ed") and right in words):
            return i
    return 0


def _spliced_point(token: str, standalone: set[str]) -> int:
    """Split a token of spliced prose into two English words: "squarecistern", "aceof", "himto", "Mortifiedas".

    Of the cuts `_spliced_candidates` allows, the first whose parts both
    carry evidence (`_part_evidenced`): a rare word no list knows
    ("pitiably", "tenanting") leaves a short fragment ("ably", "anting")
    that is neither common nor written alone in the text.
    """
    for cut, (left, right) in _spliced_candidates(token):
        lo, ro = left.lower(), right.lower()
        hinge = lo in P.SPLICE_WORDS or ro in P.SPLICE_WORDS
        if _part_evidenced(lo, standalone, hinge) and _part_evidenced(ro, standalone, hinge):
            return cut
    return 0


def _part_evidenced(low: str, standalone: set[str], hinge: bool) -> bool:
    """Tell whether a lowercase part of a spliced cut is a function word, a common word, or one the text uses alone.

    A long word (`patterns.SPLICED_LONG`) beside a function word, or a
    longer one beside another word, needs no more than a place in the word
    lists: the fragments a rare word leaves are short.
    """
    zipf = _spliced_zipf(low)
    common = P.SPLICED_COMMON_ZIPF + (0.5 if len(low) <= 4 else 0.0)
    return (low in P.SPLICE_WORDS or zipf >= common or low in standalone or low.capitalize() in standalone
            or len(low) >= P.SPLICED_LONG + (0 if hinge else 2))


@lru_cache(maxsize=65_536)
def _spliced_candidates(token: str) -> tuple[tuple[int, tuple[str, str]], ...]:
    """Return the cuts of `token` into two words that spliced prose allows, most frequent parts first.

    Only a token no word list knows, not an identifier or a listed name; each
    part is an English word of 3+ letters (`patterns.SPLICED_ZIPF`), or a
    function word or pronoun beside one, or "a" and "I" before one. A
    compound head or prefix ("-like", "over-") never cuts. Names recur
    across texts, so the answer is remembered.
    """
    if not token.isalpha() or not _unheard_of(token) or _identifier(token) or token in P.known_names():
        return ()
    scored = [(score, i) for i in range(1, len(token)) if (score := _spliced_score(token[:i], token[i:]))]
    return tuple((i, (token[:i], token[i:])) for _, i in sorted(scored, reverse=True))


def _spliced_score(left: str, right: str) -> float:
    """Score one cut of `_spliced_candidates`: how often English writes the two parts (0 when the cut is not allowed).

    A capitalised token cuts only before a function word after an English
    word of 5+ letters ("Mortifiedas", "Bribeshe"): two capitalised or
    content words are how names and brands are made ("Neonworks",
    "Fireborn", "Viaskin").
    """
    if any(c.isupper() for c in left[1:] + right) or (left[0].isupper() and len(left) > 1 and not left.istitle()):
        return 0.0
    lo, ro = left.lower(), right.lower()
    zl, zr = _spliced_zipf(lo), _spliced_zipf(ro)
    if ro in ("a", "i") and (left[0].isupper() or ro == "i"):  # names end so: "Bessai", "Andrea"
        return 0.0
    if left[0].isupper() and left != "I":
        ok = ro in P.SPLICE_WORDS and len(lo) >= 5 and lo not in P.SPLICE_WORDS and zl >= P.SPLICED_ZIPF
    elif lo in P.SPLICE_WORDS or ro in P.SPLICE_WORDS:  # not "over|drew": "overdrew" is a word
        ok = len(lo + ro) >= 5 and min(zl, zr) >= P.SPLICED_ZIPF and lo not in P.FUNCTION_PREFIXES
    else:
        ok = (min(len(lo), len(ro)) >= 3 and min(zl, zr) >= P.SPLICED_ZIPF
              and lo not in P.COMPOUND_PREFIXES and ro not in P.COMPOUND_SUFFIXES)
    return zl + zr if ok else 0.0


def _spliced_zipf(word: str) -> float:
    """Return the Zipf frequency of a lowercase part, a function word counting as very frequent."""
    return 7.0 if word in P.SPLICE_WORDS else P.word_zipf(word)


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
    if not (_may_glue(token) or _unheard_of(token)) or _identifier(token):
        return False
    return bool(_glue_points(token, P.english_words(), _Everything()))


def _identifier(token: str) -> bool:
    """Tell whether `token` is written like a code identifier: "getElementById", "skipKnownBugs", not "toTheHollywood".

    Lowercase, then two or more capitalised parts, not after a function word:
    glue rarely joins three words, code joins them all the time.
    """
    m = P.IDENTIFIER.fullmatch(token)
    return bool(m) and m[1] not in P.GLUE_WORDS and len(P.CAPITAL_RUN.findall(token)) >= 2


def _unheard_of(token: str) -> bool:
    """Tell whether no English word list knows `token` (most unknown tokens are names wordfreq knows)."""
    return not P.known_word(token.lower())


def _one_word_nowhere(token: str, ctx: Context) -> bool:
    """Tell whether neither this corpus (in two documents) nor English writes `token` as one word."""
    return token not in ctx.corpus_words and _unheard_of(token)


def _evidence_carries(text: str, lowered: str, token: str, points: list[int], places: list[int],
                      ctx: Context) -> bool:
    """Tell whether the kind of hinge, and the corpus's and text's usage of the token, allow a split.

    No split where a writer made the word (`_part_of_a_written_word`) or
    writes it with other capitals elsewhere (`_recased`: a name). A function
    word or a number is a hinge on its own ("thePlan" splits in any corpus),
    unless a capitalised token written more than once only splits off one of
    two letters (the name "Danin"). Otherwise a token the corpus uses in two
    documents is a brand ("WeWork"); and one the text uses more than once,
    with no case change at the cut, is a name of the text ("Edgestore",
    "Workqueue") unless the text uses its first part alone as often ("Star
    Trek" beside "Trekfilm").
    """
    if any(_part_of_a_written_word(text, token, points, start) for start in places):
        return False
    return _usage_allows(text, token, points, places, ctx) and not _recased(text, lowered, token)


def _usage_allows(text: str, token: str, points: list[int], places: list[int], ctx: Context) -> bool:
    """Judge the hinge and the usage of the token, as `_evidence_carries` says."""
    if _at_function_word(token, points):
        # A capitalised word the text writes more than once, cut only at a short function word,
        # is a name of the text ("Danin", "Hedone"), not one link glued twice.
        return not (len(places) > 1 and token.isalpha() and token.istitle()
                    and min(map(len, _parts(token, points))) <= 2)
    if not _one_word_nowhere(token, ctx):
        return False
    if len(places) == 1 or all(token[p - 1].islower() and token[p].isupper() for p in points):
        return True
    first = token[:points[0]]
    return len(re.findall(standing_alone(first), text)) >= len(places)


def standing_alone(word: str) -> str:
    """Return a regex of `word` standing alone: no word character before or after it.

    The word opens the pattern and the lookbehind after it looks back past
    it, so a search skips to where the word's first letter stands; a
    lookbehind first would be tried at every position of the text.

    >>> re.findall(standing_alone("Trek"), "Star Trek, Trekfilm (Trek)")
    ['Trek', 'Trek']
    """
    return rf"{re.escape(word)}(?<!\w.{{{len(word)}}})(?!\w)"


def _recased(text: str, lowered: str, token: str) -> bool:
    """Tell whether the text also writes `token` with other capitals inside ("LightningArts", "Lightningarts").

    Its writer treats it as one word, a name: glue changes no capital but the
    first, where a sentence starts ("scarystuff", "Scarystuff"). Counting in
    the lowered text rules most tokens out; a word-bounded search settles the
    rest ("Hewas" is not recased by "theWashington").
    """
    if lowered.count(token.lower()) == text.count(token) + text.count(token[0].swapcase() + token[1:]):
        return False
    return any(m[0][1:] != token[1:] for m in re.finditer(standing_alone(token), text, re.IGNORECASE))


def _part_of_a_written_word(text: str, token: str, points: list[int], start: int) -> bool:
    """Tell whether the token at `start` is a piece of a word its writer made: no link text was spliced there.

    Two places show it: after a drop capital ("W hatever": the line's first
    letter set apart), and a capitalised word with no capital inside that
    starts with a function word in mid-sentence ("called Viaskin", "^
    Beandrea"): mid-sentence a capital marks a name, and a function word is
    capitalised only where a sentence starts ("…said.Yetfires").
    """
    if start >= 2 and P.DROP_CAPITAL.fullmatch(text, start - 2, start):
        return True
    if token.isalpha() and token[0].isupper() and token[1:].islower() and token[:points[0]].lower() in P.TAIL_WORDS:
        return not _starts_sentence(text, start)
    return False


def _starts_sentence(text: str, start: int) -> bool:
    """Tell whether a sentence starts at `start`: the text's or a line's start, or sentence punctuation before it."""
    i = start
    while i and text[i - 1] in P.SENTENCE_OPENERS:
        i -= 1
    return not i or text[i - 1] in P.SENTENCE_ENDS


def _written_as_one(token: str, points: list[int]) -> bool:
    """Tell whether English writes `token` as one word about as often as its parts side by side.

    The parts' frequencies, multiplied as if independent, estimate how often
    the split text would be written; a token wordfreq knows within
    `patterns.ZIPF_MARGIN` of that is a word ("incautious", "cannel",
    "andirons"), one far rarer is a typo of the pair ("hewas").
    """
    written = P.word_zipf(token.lower())
    if not written:
        return False
    parts = _parts(token, points)
    together = sum(P.word_zipf(part.lower()) for part in parts) - 9 * (len(parts) - 1)
    return written > together - P.ZIPF_MARGIN


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
    """Return where `token` stands as a word outside hashtags (unless `in_hashtags`); [] when it is code somewhere.

    A token the text uses once as code, a handle, a path or an address
    ("reqHeaders.get", "@NelsonSchwartz", "about:restartrequired",
    "Graduationparty.com") is that everywhere in the text.
    """
    starts, end, size = [], len(text), len(token)
    i = text.find(token)
    while i >= 0:
        j = i + size
        if not (i and _word_char(text[i - 1])) and not (j < end and _word_char(text[j])):
            if _in_code(text, i, j, token):
                return []
            if (in_hashtags or text[i - 1:i] != "#") and not _hyphenated(text, i, j):
                starts.append(i)
        i = text.find(token, i + 1)
    return starts


def _hyphenated(text: str, start: int, end: int) -> bool:
    """Tell whether the capitalised token at `start`:`end` is one half of a double-barrelled name ("Balland-Poirier").

    A writer joins such names with the hyphen; glue never comes with one.
    """
    if not text[start].isupper():
        return False
    if text[end:end + 1] == "-" and text[end + 1:end + 2].isupper():
        return True
    if text[start - 1:start] != "-":
        return False
    i = start - 1
    while i and text[i - 1].isalpha():
        i -= 1
    return i < start - 1 and text[i].isupper()


def _word_char(char: str) -> bool:
    """Tell whether `char` is a word character, as ``\\w`` and ``\\b`` see it."""
    return char.isalnum() or char == "_"


def _in_code(text: str, start: int, end: int, token: str) -> bool:
    """Tell whether the token at `start`:`end` is part of code, a handle, a path or an address.

    Before it: a code character (but a "$" before a number is a price:
    "$279Xbox"), or a full stop or colon before a lowercase token (after a
    full stop a capitalised one starts a sentence glued to the last:
    "city.Parishas"). After it: a code character, or a full stop or
    colon before a lowercase letter ("example.com", but a word may be
    glued to the address: "visitwww.example.com", "neededpic.twitter.com");
    after an identifier, a semicolon or an assignment.
    """
    before, after, next_ = text[start - 1:start], text[end:end + 1], text[end + 1:end + 2]
    if before and (before in P.CODE_BEFORE or (before in ".:" and token[0].islower())) and not _price(before, token):
        return True
    if after and (after in P.CODE_AFTER or (after in ".:" and next_.islower()
                                             and not token.lower().endswith(P.ADDRESS_STARTS))):
        return True
    # "reqHeaders;", "reqHeaders = ...": an identifier in a statement
    return bool(P.IDENTIFIER.fullmatch(token)) and (after == ";" or text[end:end + 2] == " =")


def _price(before: str, token: str) -> bool:
    """Tell whether a currency sign before the token starts a price ("$279Xbox"), not a variable ("$HOME")."""
    return before == "$" and token[0].isdigit()


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


class _Asked:
    """The words a text uses alone, recording which ones a judgement asked about and the answers."""

    def __init__(self, standalone: set[str]) -> None:
        self.standalone, self.answers = standalone, {}

    def __contains__(self, word: object) -> bool:
        found = self.answers[word] = word in self.standalone
        return found


_JUDGED: dict[str, list[tuple[dict, list[int]]]] = {}  # token -> (answers asked, points) of earlier texts
JUDGED_TOKENS = 65_536
JUDGED_PER_TOKEN = 4


def _remembered_glue_points(token: str, words: dict[str, int], standalone: set[str]) -> list[int]:
    """Return `_glue_points` of `token`, reusing an earlier text's answer when it is sure to be the same.

    The judgement depends on the text only through which of a few parts of the
    token the text uses alone. So each answer is kept with the parts it asked
    about; a text that uses the same of them alone gets the same points. Names
    recur across a corpus's documents, so most judgements are reused.
    """
    for answers, points in _JUDGED.get(token, ()):
        if all((word in standalone) == found for word, found in answers.items()):
            return points
    asked = _Asked(standalone)
    points = _glue_points(token, words, asked)
    if len(_JUDGED) >= JUDGED_TOKENS:
        _JUDGED.clear()
    judged = _JUDGED.setdefault(token, [])
    if len(judged) >= JUDGED_PER_TOKEN:
        judged.pop(0)
    judged.append((asked.answers, points))
    return points


def _glue_points(token: str, words: dict[str, int], standalone: set[str]) -> list[int]:
    """Return every place to split a token glued more than once ("toTheHollywood"), or [].

    A part is split again only while it is itself a candidate: 5+ characters,
    not an English word and not a listed name ("withSpaceNews"), and not
    one English writes as one word (`_written_as_one`: "ifcannel").
    """
    cut = _glue_point(token, words, standalone) or _pair_point(token, words, standalone) or _bigram_point(token)
    if not cut:
        return []
    cut = _likeliest_boundary(token, cut)
    points = [cut]
    for offset, part in ((0, token[:cut]), (cut, token[cut:])):
        if len(part) >= 5 and part.lower() not in words and part not in P.known_names():
            deeper = _glue_points(part, words, standalone)
            if not _written_as_one(part, deeper):  # "if|cannel", as a token alone
                points += [offset + p for p in deeper]
    return sorted(points)


def _likeliest_boundary(token: str, cut: int) -> int:
    """Move a cut between two lowercase letters to the boundary English most likely writes ("entrance|sto").

    Glue hides which word a letter at the hinge belongs to: "entrancesto"
    is "entrances to", "withouta" is "without a", "themunder" is "them
    under". The boundary of two words that English writes side by side most
    often (`patterns.pair_zipf`) wins, if by `patterns.BOUNDARY_MARGIN`
    ("at|our" stays beside "a|tour"). A cut with a part no word list knows
    stays: the text's own use of that part was its evidence ("Yeol|over",
    not "Yeo|lover").
    """
    if not (token[cut - 1].islower() and token[cut].islower()) or (found := _boundary_score(token, cut)) is None:
        return cut
    scores = {p: score for p in range(1, len(token))
              if p != cut and token[p].islower() and (score := _boundary_score(token, p)) is not None}
    best = max(scores, key=scores.get, default=cut)
    return best if best != cut and scores[best] > found + P.BOUNDARY_MARGIN else cut


def _boundary_score(token: str, cut: int) -> float | None:
    """Score a boundary of `_likeliest_boundary`: `patterns.pair_zipf` of the parts, None when one is no word."""
    left, right = token[:cut].lower(), token[cut:].lower()
    if (len(left) < 2 and left not in ("a", "i")) or (len(right) < 2 and right != "a"):
        return None
    if not (P.word_zipf(left) and P.word_zipf(right)):
        return None
    return P.pair_zipf(left, right)


def _bigram_point(token: str) -> int:
    """Split a token no word list knows where English often writes its two parts side by side: "himhow", "asystem".

    The other rules refuse two short words ("see|time", "off|as") and a
    word of one letter: compounds are made of such. But a pair English
    writes apart 100k times or more in a trillion words (`patterns.pair_count`),
    in a token no list knows as one word, was written apart; the most
    frequent such pair decides the cut. The one-letter words are "a" and "I"
    (`_bigram_cuts`): "asystem", "Iprefer", "througha", "becauseI".
    """
    if not token.isalpha() or not _unheard_of(token):
        return 0
    low = token.lower()
    count, cut = max(((P.pair_count(low[:i], low[i:]), i) for i in _bigram_cuts(token)), default=(0, 0))
    return cut if count else 0


def _bigram_cuts(token: str) -> range:
    """Return the places `_bigram_point` weighs: between two parts of 2+ letters, or beside "a" or "I".

    "a" or "I" may start the token ("asystem", "Iwrote"); "a" may end a
    lowercase one ("througha": names end in "a", as "Andrea"), and "I" one
    that is otherwise lowercase ("becauseI").
    """
    if token[:-1].islower() and token[-1] == "I":
        return range(len(token) - 1, len(token))
    if not token[1:].islower():
        return range(0)
    first = 1 if token[0] in P.ONE_LETTER_WORDS else 2
    return range(first, len(token) - (0 if token[-1] == "a" and token.islower() else 1))


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
    for i in range(1 if P.ARTICLE_CAPITAL.match(token) else 2, len(token) - 1):  # "aNASA": the article
        left, right, lo, ro = token[:i], token[i:], low[:i], low[i:]
        if word_like and ro not in P.TAIL_WORDS:
            continue
        if left[-1].islower() and right[0].isupper():
            lc, rc = words.get(lo, 0), words.get(ro, 0)
            ok = _camel_ok(left, right, lc, rc, standalone)
        elif right.islower() and _may_hinge(left, lo, ro):
            lc, rc = words.get(lo, 0), words.get(ro, 0)
            ok = _lower_ok(left, right, lc, rc, standalone)
        elif len(left) >= 2 and left.isupper() and right.istitle():
            lc, rc = words.get(lo, 0), words.get(ro, 0)
            ok = _acronym_ok(left, right, lc, standalone)
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
    """Tell cheaply whether `_lower_ok` could accept this place: most places of a name cannot.

    After a capital, a right part of 5+ letters may be a verb or a common noun, which the word lists judge.
    """
    return (ro in P.GLUE_HINGES or lo in P.TAIL_WORDS or ro.endswith(P.HINGE_ENDINGS)
            or (left[0].isupper() and len(ro) >= 5)
            or (not left[0].isupper() and (lo.endswith(P.WORD_ENDINGS) or min(len(lo), len(ro)) >= 6)))


def _number_point(token: str, words: dict[str, int], standalone: set[str]) -> int:
    """Judge a word glued to a number: "than10", "the14th", "least106", "12Cleveland", "May2015", "207The".

    The word must be lowercase and a function word or a common word of 5+
    letters, so models and codes stay whole ("MP3", "G20", "COVID19", "html5",
    "xbox360"); capitalised, a month or a common past tense ("Retrieved27"),
    never a product ("Windows10", "Office365"). A number splits from a name
    only when the name stands alone, and from a capitalised function word
    that starts a sentence ("207The").

    >>> t = "Variety. Retrieved31 August2014. See page 207The list."
    >>> apply_changes(t, split_glued_words(t, Context()))
    'Variety. Retrieved 31 August 2014. See page 207 The list.'
    """
    if m := P.WORD_THEN_NUMBER.fullmatch(token):
        word = m[1]
        if word in P.GLUE_WORDS or (len(word) >= 5 and words.get(word, 0) >= P.COMMON_COUNT):
            return len(word)
    if m := P.CAPITAL_THEN_NUMBER.fullmatch(token):
        word = m[1]
        past = len(word) >= 5 and word.endswith("ed") and words.get(word.lower(), 0) >= P.COMMON_COUNT
        if word in P.MONTHS or past:
            return len(word)
    if m := P.NUMBER_THEN_WORD.fullmatch(token):
        name = m[2]
        if name.lower() in P.GLUE_WORDS or (len(name) >= 4 and name in standalone):
            return len(m[1])
    return 0


def _camel_ok(left: str, right: str, lc: float, rc: float, standalone: set[str]) -> bool:
    """Judge a split at a case change: "thePlan", "aNASA", "toldCBS", "TalibanThe", "NoemKristi", "WhenEric"."""
    if left.islower():  # brands that start in lowercase are short or listed: iPhone, eBay, macOS
        if left == "a":  # "aFirefox", "aNASA": the article, before a word the text uses alone
            return right in standalone
        return left in P.GLUE_WORDS or (len(left) >= 3 and lc >= P.WORD_COUNT)
    if left in P.NAME_PREFIXES:
        return False
    if right.lower() in P.GLUE_WORDS or left == "The":
        return lc >= P.WORD_COUNT or left in standalone
    # "WhenEric", "SinceOlivier": a long sentence opener is no brand's first part
    # (unlike "We", "My", "You", "In", "On": "WeWork", "MySpace", "YouGov", "OnStar"), nor is a short
    # conjunction that opens a sentence (`patterns.OPENING_CONJUNCTIONS`: "ButBenjamin", "AndBug").
    if (left in P.SENTENCE_STARTERS and len(left) >= 4) or left in P.OPENING_CONJUNCTIONS:
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


def _acronym_ok(left: str, right: str, lc: float, standalone: set[str]) -> bool:
    """Judge a split after a run of capitals, before a capitalised word: "NZNew", "DONEMarionette", "NEWSLETTERThe".

    A line in capitals (a label, a status, a country code) lost its break
    before the next line. Names so made ("SQLAlchemy", "PDFMaker") join an
    acronym to a word the text never writes alone; a function word after
    the capitals is a sentence's start.
    """
    if right.lower() in P.GLUE_WORDS:
        return left in standalone or lc >= P.WORD_COUNT
    return len(right) >= 3 and left in standalone and right in standalone


def _lower_ok(left: str, right: str, lc: float, rc: float, standalone: set[str]) -> bool:
    """Judge a split before a lowercase part: "Afghanistanof", "itselectric", "Nadalkept", "problemslast"."""
    lo, ro = left.lower(), right.lower()
    if ro in P.COMPOUND_SUFFIXES:
        return False
    if lo in P.GLUE_WORDS and ro in P.TAIL_WORDS:  # "hadan", "butif", "Hewas"; but "Juston" is a name
        return _function_pair_ok(left, right)
    # A capitalised left part is a name the text uses alone (in any case: "Inequality"), or a very common word.
    name = (left[0].isupper() and len(left) >= 3 and lo not in P.GLUE_WORDS  # "Juston" is a name
            and (left in standalone or lo in standalone or lc >= P.VERY_COMMON_COUNT))
    if ro in P.TAIL_WORDS:
        if left.islower():
            return _word_then_function_ok(left, ro, lc, standalone)
        if name or (len(left) >= 4 and ro in P.NAME_THEN_VERB):  # "Randallwas", "Burrishas"
            return True
        # "Roadmapfor"; "Netflixand" in a token no word list knows (names end so: "Holland", "Garland")
        return len(left) >= 4 and lc >= P.COMMON_COUNT and (
            ro in P.WORD_THEN_TAIL or (len(ro) >= 3 and _unheard_of(left + right)))
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
        # A rarer verb after a name the text writes alone ("Waitingprovokes"): the name is the evidence.
        heard = rc >= P.COMMON_COUNT or (rc >= P.WORD_COUNT and left in standalone)
        # A common noun of 5+ letters after a name of 4+ letters the text writes alone, in a token no list
        # knows ("Iranreveal", "Ogleagain"): a brand so made is known ("Chromecast") or recurs ("Edgestore").
        noun = (len(ro) >= 5 and rc >= P.COMMON_COUNT and len(left) >= 4 and left in standalone
                and _unheard_of(left + right))
        return (name and (verb or adverb or noun) and heard) or (len(left) >= 3 and ro in P.NAME_THEN_VERB)
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
    if _adverb(lo) and len(ro) >= 4 and rc >= P.WORD_COUNT:  # "rudelytreated", "reallypaying"
        return True
    if _new_compound_head(ro):
        return False
    ending = lo.endswith(P.WORD_ENDINGS) or ro in P.COMMON_VERBS or (len(ro) >= 5 and ro.endswith("ed"))
    if ending and min(len(lo), len(ro)) >= 3 and min(lc, rc) >= P.COMMON_COUNT:
        return True
    return (min(len(lo), len(ro)) >= 6 and not ro.endswith(P.COMPOUND_HEAD_ENDINGS)
            and min(lc, rc) >= P.WORD_COUNT and (lo in standalone or min(lc, rc) >= P.COMMON_COUNT))


def _adverb(low: str) -> bool:
    """Tell whether a lowercase part is an adverb made of an English word: "rudely", "falsely", "happily".

    No compound starts with one, so a word glued after it is two words. The
    adverb is in the 150k list (wordfreq's larger one knows glue: "theonly"),
    its word a common one of 4+ letters ("family" is no "fami", "early" no "ear").
    """
    if len(low) < 5 or not low.endswith("ly") or low not in P.english_word_set():
        return False
    stem = low[:-3] + "y" if low.endswith("ily") else low[:-2]
    return len(stem) >= 4 and P.english_words().get(stem, 0) >= P.COMMON_COUNT


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
    pronoun before a word of 3+ letters, or a pair no word list knows
    ("Whydo"): names are made of such pairs too.
    """
    if left.islower():
        return True
    # "Whydo" no list knows; "Juston" is a name wordfreq knows
    return (left.lower() in P.PRONOUNS and len(right) >= 3) or _unheard_of(left + right)

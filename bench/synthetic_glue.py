"""Synthetic-glue probe: glue ~3% of adjacent word pairs in clean texts, clean as a corpus, score the splits.

Texts: the truth texts of both dev splits and the seed corpus (corpus/raw). Each text is copied with a
seeded random 3% of its adjacent letter-word pairs (one space between) glued: "word word" -> "wordword",
"word Word" -> "wordWord". Pairs whose concatenation is an English word are skipped. The copies are
cleaned as one corpus; a `glued_words` edit at a glue place restores it, any other is a false split.
Reported by hinge kind.

With --lines the glue is a lost line break instead: a seeded LINE_RATE of the places where a line (a
heading, a list item, a paragraph) ends in a word and the next one starts with one lose the line break
and any blank lines between, as a scraper that drops a block's end gives them ("Isolation\nTasks" ->
"IsolationTasks", "in AU and NZ\nNew" -> "NZNew"). Lines are far fewer than spaces, so the rate is higher.
"""
import argparse
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from evaluate import SPLITS  # noqa: E402  (the dev splits, named in one place)

from cleaning import glued as G  # noqa: E402
from cleaning import patterns as P  # noqa: E402
from cleaning.document import Document  # noqa: E402
from cleaning.pipeline import clean_corpus  # noqa: E402

RATE, LINE_RATE, SEED = 0.03, 0.25, 0
GAPS = {"space": (" ", RATE), "line": (r"[ \t]*\n\s*", LINE_RATE)}  # what the glue takes out, and how often
CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2}[a-z]")  # identifiers and brands already written glued


def kind(left, right):
    """Name the hinge of a glued pair: a function word, a case change, or two content words."""
    if left.lower() in P.GLUE_WORDS or right.lower() in P.GLUE_WORDS:
        return "function"
    if right[0].isupper():
        return "lower+Cap" if left[-1].islower() and left[0].islower() else "Cap+Cap"
    if left[0].isupper():
        return "Cap+lower"
    return "content"


def glue(text, rng, gap="space"):
    """Return the glued text and {raw offset of the glue: kind}; `gap` names what the glue takes out (`GAPS`)."""
    P.load_word_lists()
    between, rate = GAPS[gap]
    cands = [m for m in re.finditer(rf"(?=(?<![\w@#/.\-'’])([^\W\d_]+)({between})([^\W\d_]+)(?![\w@/\-'’]))", text)]
    out, places, pos, taken_until = [], {}, 0, -1
    shift = 0
    for m in cands:
        left, right = m[1], m[3]
        start = m.start(1)
        if start <= taken_until or rng.random() >= rate:
            continue
        if P.known_word((left + right).lower()) or len(left + right) < 5 or CAMEL.search(left + " " + right):
            continue
        space, size = start + len(left), len(m[2])
        out.append(text[pos:space])
        pos = space + size
        places[space - shift] = kind(left, right)
        shift += size
        taken_until = space + size + len(right)
    out.append(text[pos:])
    return "".join(out), places


def texts():
    """Yield (name, text) of each text the probe glues: the dev splits' truth texts and the clean seeds."""
    for split, root in SPLITS.items():
        for p in sorted((root / "truth").glob("*.txt")):
            yield f"{split}-{p.name}", p.read_text(encoding="utf-8")
    for item in clean_corpus(ROOT / "corpus" / "raw"):  # the seeds hold real glue: start from their clean text
        if isinstance(item, Document):
            yield f"seed-{Path(item.source).name}", item.text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=1, help="seeded glued copies of the texts to clean")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list the glue left, by hinge")
    parser.add_argument("--lines", action="store_true", help="glue at lost line breaks, not at spaces")
    args = parser.parse_args()
    seeds = args.seeds
    made, restored, false, missed = Counter(), Counter(), [], {}
    made_code, restored_code = Counter(), Counter()
    sources = list(texts())
    for seed in range(SEED, SEED + seeds):
        run(sources, random.Random(seed), made, restored, false, missed, made_code, restored_code,
            "line" if args.lines else "space")
    report(made, restored, false, missed, made_code, restored_code, args.verbose)


def run(sources, rng, made, restored, false, missed, made_code, restored_code, gap):
    """Glue one seeded copy of the texts at `gap`, clean it as a corpus, and add up what was restored and split."""
    glued = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in sources:
            g, places = glue(text.replace("\r\n", "\n"), rng, gap)
            (Path(tmp) / name).write_text(g, encoding="utf-8")
            glued[name] = places
            made.update(places.values())
        for item in clean_corpus(Path(tmp)):
            if not isinstance(item, Document):
                continue
            name = Path(item.source).name
            places = glued[name]
            raw = item.raw_text()
            hit = set()
            for e in item.edits:
                if "glued_words" not in e.step:
                    continue
                if e.step == "glued_words":
                    cand = [e.start]
                else:  # merged with another step: glue places inside it that gained a space
                    gained = e.after.count(" ") > e.before.count(" ")
                    cand = [p for p in places if e.start <= p <= e.end] if gained else []
                    if not cand:
                        cand = [e.start]
                for p in cand:
                    if p in places:
                        hit.add(p)
                    else:
                        false.append(f"{name[:22]}: {raw[max(0, p-12):p]}|{raw[p:p+12]}".replace("\n", "⏎"))
            code = G._writes_code(item.text)
            for p, k in places.items():
                if code:
                    made_code[k] += 1
                    restored_code[k] += p in hit
                if p in hit:
                    restored[k] += 1
                else:
                    w = re.search(r"[^\W_]+$", raw[:p])
                    w2 = re.match(r"[^\W_]+", raw[p:])
                    missed.setdefault(k + (" in code" if code else ""), []).append(
                        (w[0] if w else "") + "|" + (w2[0] if w2 else ""))


def report(made, restored, false, missed, made_code, restored_code, verbose):
    """Print the glue made and restored by hinge, the false splits, and (`verbose`) the glue missed."""
    total = sum(made.values())
    print(f"synthetic glue: {total} glued pairs, restored {sum(restored.values())} "
          f"({100*sum(restored.values())/max(1,total):.1f}%), false splits elsewhere {len(false)}")
    for k in ("function", "lower+Cap", "Cap+Cap", "Cap+lower", "content"):
        print(f"  {k:10} {restored[k]:4}/{made[k]:<4} {100*restored[k]/max(1,made[k]):5.1f}%"
              f"   in texts that write code: {restored_code[k]:3}/{made_code[k]:<3}")
    if verbose:
        for k, ms in missed.items():
            print(f"missed {k}: " + ", ".join(ms[:60]))
    print("false: " + "; ".join(false))


if __name__ == "__main__":
    main()

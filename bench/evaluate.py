"""Score the cleaner on both dev benchmarks (`make eval`), each beside its anchors.

Runs `clean_corpus` on each split's raw/ exactly as a user would (corpus-level
statistics included), scores each document's text against truth/ with
bench/metrics.py, and prints per split: shingle P/R/F1, glued words per 1k,
mojibake documents, documents lost, damaged pages (recall more than 0.10 below
the raw text's own recall: the cleaner took article text) and false splits per
1k tokens (the truth texts cleaned as a corpus: each `glued_words` edit there
splits a word a person wrote). The same run shows the articles cut when cleaned
alone: a truth text is the article without its page, so cleaning it should keep
nearly all of it; one that keeps less than KEPT_ALONE of itself shows a line
rule taking article text, whatever page stands around it. Last, each article
is set in another page's furniture (`transplant`): new pages, made of real
parts, that no rule was written for; each is cut in two by a block of
furniture (`cut_by_furniture`); and each is wrapped at WRAP_WIDTH
characters, as a plain-text scraper gives it (`wrapped`).
"""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
import textwrap
from pathlib import Path

import ftfy

sys.path.insert(0, str(Path(__file__).parent))
import metrics  # noqa: E402

from cleaning.document import Document  # noqa: E402
from cleaning.pipeline import clean_corpus  # noqa: E402

SPLITS = {"aeb-dev": Path(__file__).parent / "aeb-dev", "rdb-dev": Path(__file__).parent / "rdb-dev"}
TARGETS = {"aeb-dev": 0.92, "rdb-dev": 0.85}  # shF1; the others are the same for both
GLUED_MAX, FALSE_SPLITS_MAX, DAMAGE, KEPT_ALONE = 0.5, 0.1, 0.10, 0.90
TRANSPLANT_ROUNDS, TRANSPLANT_SEED = 4, 0
WRAP_WIDTH = 78  # a plain-text scraper's (or e-mail's) line width
CUT_BLOCK = 12  # lines of furniture put in the middle of an article (`cut_by_furniture`)
COLUMNS = ("shP", "shR", "shF1", "glued_per_1k", "mojibake_docs")


def evaluate(root: Path) -> dict:
    """Clean `root`/raw and score it; return the summary, the rows, what was lost and damaged, false splits."""
    rows, lost = [], []
    for item in clean_corpus(root / "raw"):
        if not isinstance(item, Document):
            lost.append(item.source)
            continue
        name = Path(item.source).name
        raw = (root / "raw" / name).read_text(encoding="utf-8", errors="replace")
        truth = (root / "truth" / name).read_text(encoding="utf-8")
        baseline = metrics.score(truth, raw)["shR"]
        rows.append(metrics.score(truth, item.text) | {"source": name, "raw_shR": baseline,
                                                        "uncertain": item.flags.get("body_uncertain")})
    damaged = [r for r in rows if r["shR"] < r["raw_shR"] - DAMAGE]
    splits, tokens, cut = clean_truths(root / "truth")
    return {"summary": metrics.summarize(rows), "rows": rows, "lost": lost, "damaged": damaged,
            "false_splits": splits, "false_per_1k": 1000 * len(splits) / max(1, tokens), "cut_alone": cut}


def clean_truths(truth: Path) -> tuple[list[str], int, list[tuple[str, float]]]:
    """Clean the truth texts as a corpus; return the glued-word splits made in them, their tokens, and the
    texts that keep less than KEPT_ALONE of themselves (name, shingle recall)."""
    found, tokens, cut = [], 0, []
    with tempfile.TemporaryDirectory() as tmp:
        for path in truth.glob("*.txt"):
            (Path(tmp) / path.name).write_bytes(path.read_bytes())
            tokens += len(metrics.toks(path.read_text(encoding="utf-8")))
        for item in clean_corpus(Path(tmp)):
            if isinstance(item, Document):
                found += [_context(item, e) for e in item.edits if e.step == "glued_words"]
                kept = metrics.score(item.raw_text(), item.text)["shR"]
                if kept < KEPT_ALONE:
                    cut.append((Path(item.source).name, kept))
    return found, tokens, sorted(cut, key=lambda c: c[1])


def _context(doc: Document, edit) -> str:
    raw = doc.raw_text()
    return raw[max(0, edit.start - 12):edit.start] + "|" + raw[edit.start:edit.start + 12]


def report(name: str, result: dict, anchors: dict) -> bool:
    """Print one split's table and figures; return whether its targets are met."""
    summary = result["summary"]
    print(f"== {name}")
    print(f"{'':28}" + "".join(f"{c:>14}" for c in COLUMNS))
    for label, row in [*anchors.items(), ("this cleaner", summary)]:
        cells = (f"{row[c]:>14.3f}" if isinstance(row[c], float) else f"{row[c]:>14}" for c in COLUMNS)
        print(f"{label:28}" + "".join(cells))
    damaged = ", ".join(f"{r['source']} {r['shR']:.2f}<{r['raw_shR']:.2f}" for r in result["damaged"])
    print(f"documents: {summary['docs']} scored, {len(result['lost'])} lost (rejected), "
          f"{len(result['damaged'])} damaged (recall > {DAMAGE:.2f} below the raw text's){': ' if damaged else ''}"
          f"{damaged}")
    uncertain = [f"{r['source']} {r['uncertain']:.2f}" for r in result["rows"] if r["uncertain"] is not None]
    print(f"flagged body_uncertain (share of prose the line repairs would remove): {len(uncertain)}"
          + (": " + ", ".join(uncertain) if uncertain else ""))
    print(f"false splits on the truth texts: {len(result['false_splits'])} ({result['false_per_1k']:.3f} per 1k)"
          + (": " + ", ".join(result["false_splits"][:12]) if result["false_splits"] else ""))
    cut = ", ".join(f"{name} {kept:.2f}" for name, kept in result["cut_alone"])
    print(f"articles cut when cleaned alone (truth text keeps < {KEPT_ALONE:.2f} of itself): "
          f"{len(result['cut_alone'])}{': ' if cut else ''}{cut}")
    worst = sorted(result["rows"], key=lambda r: r["shF1"])[:5]
    print("lowest F1: " + ", ".join(f"{r['source']} {r['shF1']:.2f}" for r in worst))
    glued = [g for r in result["rows"] for g in r["glued_examples"]]
    if glued:
        print("glued left: " + ", ".join(glued[:15]))
    met = (summary["shF1"] >= TARGETS[name] and summary["glued_per_1k"] <= GLUED_MAX
           and summary["mojibake_docs"] == 0 and not result["lost"] and not result["damaged"]
           and result["false_per_1k"] <= FALSE_SPLITS_MAX)
    print(f"target (F1 >= {TARGETS[name]:.2f}, glued <= {GLUED_MAX}/1k, 0 mojibake, 0 lost, 0 damaged, "
          f"false splits <= {FALSE_SPLITS_MAX}/1k): {'met' if met else 'NOT met'}\n")
    return met


class Page:
    """A dev page cut in two: its article (the truth text) and the furniture around it in the raw text."""

    def __init__(self, name: str, raw: str, truth: str):
        keys = {_key(line) for line in truth.split("\n")} - {""}
        long_keys = [k for k in keys if len(k) >= 40]

        def of_article(line: str) -> bool:  # the raw line, up to spaces and mojibake, or a piece of one
            k = _key(line)
            return k in keys or (len(k) >= 40 and any(k in t or t in k for t in long_keys))

        lines = raw.split("\n")
        inside = [i for i, line in enumerate(lines) if _key(line) in keys]
        self.name, self.article = name, truth
        self.head = [line for line in lines[:inside[0]] if not of_article(line)] if inside else []
        self.foot = [line for line in lines[inside[-1] + 1:] if not of_article(line)] if inside else []


def _key(line: str) -> str:
    return re.sub(r"\W", "", ftfy.fix_text(line).lower())


def dev_pages() -> list[Page]:
    """Return every dev page of both splits, cut into its article and its furniture."""
    return [Page(f"{split}/{path.stem}", path.read_text(encoding="utf-8", errors="replace"),
                 (root / "truth" / path.name).read_text(encoding="utf-8"))
            for split, root in SPLITS.items() for path in sorted((root / "raw").glob("*.txt"))]


def cleaned_alone(pages: list[Page]) -> dict[str, float]:
    """Clean the articles alone, as one corpus; return each one's recall of itself: the probes' baseline."""
    return _recalls({page.name: (page.article, page.article) for page in pages})


def transplant(pages: list[Page], alone: dict[str, float], rounds: int = TRANSPLANT_ROUNDS,
               seed: int = TRANSPLANT_SEED, copies: int = 1) -> tuple[int, list[str]]:
    """Set each dev article in another dev page's furniture and clean; return the pages made and the damaged.

    Each round pairs every article with the furniture of `copies` other
    pages, drawn at random from both splits, and cleans the round as one
    corpus: with one copy each article is once in it, as in most corpora;
    with three, it is a story syndicated on three sites. An article is
    damaged when its recall is more than DAMAGE below its recall cleaned alone (`alone`).
    """
    rng, made, damaged = random.Random(seed), 0, []
    for _ in range(rounds):
        pairs = list(dict.fromkeys((page, host) for _ in range(copies)  # a page in one host once
                                   for page, host in zip(pages, rng.sample(pages, len(pages)), strict=True)
                                   if host is not page))
        texts = {f"{page.name} in {host.name}": ("\n".join([*host.head, page.article, *host.foot]), page.article)
                 for page, host in pairs}
        made += len(texts)
        kept = _recalls(texts)
        damaged += [f"{name} {kept[name]:.2f}<{alone[page.name]:.2f}"
                    for (page, _), name in zip(pairs, texts, strict=True) if kept[name] < alone[page.name] - DAMAGE]
    return made, damaged


def cut_by_furniture(pages: list[Page], alone: dict[str, float], rounds: int = TRANSPLANT_ROUNDS,
                     seed: int = TRANSPLANT_SEED, block: int = CUT_BLOCK) -> tuple[int, list[str]]:
    """Cut each dev article in two by a block of another page's furniture, set it in a third page's; clean.

    The cut is at the paragraph nearest the article's middle; the block is
    `block` lines of the second page's furniture from a random place (a menu,
    a teaser list, a footer, a comment thread), as an inline "Read more" box
    or a page's widgets cut an article. Return the pages made and the
    damaged (recall more than DAMAGE below the article cleaned alone).
    """
    rng, made, damaged = random.Random(seed), 0, []
    for _ in range(rounds):
        texts, of = {}, {}
        for page in pages:
            paragraphs = page.article.split("\n")
            cuts = [i for i in range(1, len(paragraphs)) if paragraphs[i - 1].strip()]
            donor, host = rng.sample([p for p in pages if p is not page], 2)
            furniture = [line for line in [*donor.head, *donor.foot] if line.strip()]
            if not cuts or not furniture:
                continue
            cut = min(cuts, key=lambda i: abs(i - len(paragraphs) / 2))
            start = rng.randrange(max(1, len(furniture) - block))
            name = f"{page.name} cut by {donor.name} in {host.name}"
            texts[name] = ("\n".join([*host.head, *paragraphs[:cut], "", *furniture[start:start + block], "",
                                      *paragraphs[cut:], *host.foot]), page.article)
            of[name] = page.name
        made += len(texts)
        kept = _recalls(texts)
        damaged += [f"{name} {kept[name]:.2f}<{alone[of[name]]:.2f}" for name in texts
                    if kept[name] < alone[of[name]] - DAMAGE]
    return made, damaged


def wrapped(pages: list[Page], alone: dict[str, float], width: int = WRAP_WIDTH) -> tuple[int, list[str]]:
    """Wrap each dev article at `width` characters and clean them as a corpus; return the texts and the damaged.

    A text is damaged when its recall is more than DAMAGE below the same text
    cleaned unwrapped (`alone`).
    """
    kept = _recalls({page.name: ("\n".join("\n".join(textwrap.wrap(line, width)) or line
                                           for line in page.article.split("\n")), page.article) for page in pages})
    return len(pages), [f"{name} {kept[name]:.2f}<{alone[name]:.2f}" for name in kept
                        if kept[name] < alone[name] - DAMAGE]


def _recalls(texts: dict[str, tuple[str, str]]) -> dict[str, float]:
    """Clean the pages of `texts` (name -> (page, its article)) as one corpus; return their articles' recalls."""
    with tempfile.TemporaryDirectory() as tmp:
        names = {}
        for i, (name, (page, _)) in enumerate(texts.items()):
            names[f"{i:05d}.txt"] = name
            (Path(tmp) / f"{i:05d}.txt").write_text(page, encoding="utf-8")
        recalls = {}
        for item in clean_corpus(Path(tmp)):
            if isinstance(item, Document):
                name = names[Path(item.source).name]
                recalls[name] = metrics.score(texts[name][1], item.text)["shR"]
        return recalls


def _listed(damaged: list[str], most: int = 8) -> str:
    """Return the first `most` damaged pages as the end of a probe's line (": a, b …"), or nothing."""
    return (": " + ", ".join(damaged[:most]) + (" …" if len(damaged) > most else "")) if damaged else ""


def main() -> None:
    for name, root in SPLITS.items():
        report(name, evaluate(root), json.loads((root / "anchors.json").read_text()))
    pages = dev_pages()
    alone = cleaned_alone(pages)
    for copies, what in ((1, "another dev page's furniture"), (3, "the furniture of three other pages at once")):
        made, damaged = transplant(pages, alone, copies=copies)
        print(f"== each dev article set in {what} ({TRANSPLANT_ROUNDS} rounds, seed {TRANSPLANT_SEED}): "
              f"{made} pages, {len(damaged)} damaged (recall > {DAMAGE:.2f} below the article cleaned alone)"
              f"{_listed(damaged)}")
    made, damaged = cut_by_furniture(pages, alone)
    print(f"== each dev article cut in two by {CUT_BLOCK} lines of another page's furniture, in a third page's "
          f"({TRANSPLANT_ROUNDS} rounds, seed {TRANSPLANT_SEED}): {made} pages, {len(damaged)} damaged"
          f"{_listed(damaged)}")
    made, damaged = wrapped(pages, alone)
    print(f"== each dev truth text wrapped at {WRAP_WIDTH} characters: {made} texts, {len(damaged)} damaged (recall "
          f"> {DAMAGE:.2f} below the text cleaned unwrapped){': ' if damaged else ''}{', '.join(damaged)}")


if __name__ == "__main__":
    main()

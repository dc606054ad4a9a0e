"""Say why glued tokens left on a dev page did not split: python probe/why.py rdb-dev rdb-firefox-nightly-blog."""
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import metrics  # noqa: E402

from cleaning import glued as G  # noqa: E402
from cleaning import patterns as P  # noqa: E402
from cleaning.document import Document  # noqa: E402
from cleaning.fixes import Context  # noqa: E402
from cleaning.pipeline import clean_corpus, learn_partition_context, plan_partitions, survey_partition  # noqa: E402,F401

split, page = sys.argv[1], sys.argv[2]
root = ROOT / "bench" / split
docs = {Path(d.source).stem: d for d in clean_corpus(root / "raw") if isinstance(d, Document)}
doc = docs[page]
truth = (root / "truth" / f"{page}.txt").read_text(encoding="utf-8")
hits, _ = metrics.glued(truth, doc.text)
text = doc.text
runs = P.word_runs(text)
standalone = P.letter_runs(runs)
words = P.english_words()
print("writes_code:", G._writes_code(text), sorted(P.code_syntax(text))[:10])
uses = Counter(P.LETTERS.findall(text))
for t in dict.fromkeys(hits):
    out = [t]
    out.append(f"may_split={G._may_split(t)}")
    pts = G._glue_points(t, words, standalone)
    out.append(f"points={pts} parts={G._parts(t, pts) if pts else ''}")
    if pts:
        out.append(f"one={G._written_as_one(t, pts)} fw={G._at_function_word(t, pts)} prose={G._prose_hinges(t, pts)}")
        out.append(f"apart={G._used_apart(t, pts, uses)} uses={uses[t]}")
        pl = G._free_places(text, t)
        out.append(f"places={len(pl)}")
        if pl:
            out.append(f"carries={G._evidence_carries(text, text.lower(), t, pts, pl, Context())}")
    print(" ".join(out))

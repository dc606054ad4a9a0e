"""Print the glued tokens left on each dev page (bench/metrics.glued per document of clean_corpus(raw))."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import metrics  # noqa: E402

from cleaning.document import Document  # noqa: E402
from cleaning.pipeline import clean_corpus  # noqa: E402

for split in sys.argv[1:] or ("aeb-dev", "rdb-dev"):
    root = ROOT / "bench" / split
    total = n = 0
    for item in clean_corpus(root / "raw"):
        if not isinstance(item, Document):
            continue
        name = Path(item.source).name
        truth = (root / "truth" / name).read_text(encoding="utf-8")
        hits, toks = metrics.glued(truth, item.text)
        total, n = total + len(hits), n + toks
        if hits:
            print(f"{split}/{name[:-4]} {len(hits)}: {' '.join(hits)}")
    print(f"== {split}: {total} glued / {n} tokens = {1000 * total / n:.3f}/1k")

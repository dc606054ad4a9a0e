"""Print every glued_words edit made on the dev pages (raw), one a line, to diff two versions of the rule."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from cleaning.document import Document  # noqa: E402
from cleaning.pipeline import clean_corpus  # noqa: E402

for split in ("aeb-dev", "rdb-dev"):
    for item in clean_corpus(ROOT / "bench" / split / "raw"):
        if isinstance(item, Document):
            raw = item.raw_text()
            for e in item.edits:
                if "glued_words" in e.step:
                    ctx = (raw[max(0, e.start - 15):e.start] + "|" + raw[e.start:e.start + 15]).replace("\n", "⏎")
                    print(f"{split}/{Path(item.source).stem}: {ctx}")

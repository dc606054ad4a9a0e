"""Score the cleaner on the dev benchmark (`make eval`): shingle P/R/F1, glued words, mojibake.

Runs `corpus clean` on bench/aeb-dev/raw exactly as a user would (corpus-level
statistics included), scores each document's text against truth/ with
bench/metrics.py, and prints the figures beside the anchors.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import metrics  # noqa: E402

from cleaning.document import Document  # noqa: E402
from cleaning.pipeline import clean_corpus  # noqa: E402

HERE = Path(__file__).parent / "aeb-dev"
TARGET = {"shF1": 0.90, "glued_per_1k": 0.5, "mojibake_docs": 0}


def evaluate(root: Path = HERE) -> tuple[dict, list[dict], int]:
    """Clean raw/ and score each document against truth/; return summary, rows, documents lost."""
    rows, lost = [], 0
    for item in clean_corpus(root / "raw"):
        if not isinstance(item, Document):
            lost += 1
            continue
        truth = (root / "truth" / Path(item.source).name).read_text(encoding="utf-8")
        rows.append(metrics.score(truth, item.text) | {"source": item.source})
    return metrics.summarize(rows), rows, lost


def main() -> None:
    summary, rows, lost = evaluate()
    anchors = json.loads((HERE / "anchors.json").read_text())
    columns = ("shP", "shR", "shF1", "glued_per_1k", "mojibake_docs")
    print(f"{'':28}" + "".join(f"{c:>14}" for c in columns))
    for name, row in [*anchors.items(), ("this cleaner", summary)]:
        cells = (f"{row[c]:>14.3f}" if isinstance(row[c], float) else f"{row[c]:>14}" for c in columns)
        print(f"{name:28}" + "".join(cells))
    print(f"\ndocuments: {summary['docs']} scored, {lost} lost (rejected)")
    worst = sorted(rows, key=lambda r: r["shF1"])[:5]
    print("lowest F1: " + ", ".join(f"{r['source']} {r['shF1']:.2f}" for r in worst))
    glued = [g for r in rows for g in r["glued_examples"]]
    if glued:
        print("glued left: " + ", ".join(glued[:15]))
    met = summary["shF1"] >= TARGET["shF1"] and summary["glued_per_1k"] <= TARGET["glued_per_1k"] \
        and summary["mojibake_docs"] == 0 and lost == 0
    print(f"target (F1 >= 0.90, glued <= 0.5/1k, 0 mojibake, 0 lost): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()

"""Write gold records in every training format: JSONL, CSV, Parquet, spaCy, Hugging Face, CoNLL, SemEval.

Each writer takes the gold records (each with its `split`) and a folder, writes
its files there and returns the paths. They write into the export's temporary
folder, which the caller renames into place: all files or none.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
from spacy.tokens import Doc, DocBin

from exports import scheme
from exports.splits import SPLITS
from exports.tokens import BIO_TAGS, bio_sentences

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what makes a spreadsheet read a cell as a formula
HF_SPLIT_NAMES = {"train": "train", "dev": "validation", "test": "test"}


def in_split(records: list[dict], split: str) -> list[dict]:
    return [r for r in records if r["split"] == split]


# --- JSONL, CSV, Parquet ------------------------------------------------------------


def write_jsonl(rows: list[dict], path: Path) -> Path:
    """Write one JSON object per line (UTF-8, not ASCII-escaped)."""
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def table_rows(records: list[dict]) -> list[dict]:
    """Flatten gold records to one row per document; spans and relations stay nested."""
    return [
        {
            "doc_id": r["doc_id"],
            "split": r["split"],
            "title": r["title"],
            "text": r["text"],
            "target": r["target"],
            "stance": r["stance"],
            "spans": [_span_row(s) for s in r["spans"]],
            "relations": r["relations"],
            "annotators": r["annotators"],
            "resolution": r["resolution"],
            "resolved": r["resolved"],
            "task_id": r["provenance"]["task_id"],
            "source": r["provenance"]["source"],
            "url": r["provenance"]["url"],
            "date": r["provenance"]["date"],
            "snapshot": r["provenance"]["snapshot"],
        }
        for r in records
    ]


def _span_row(span: dict) -> dict:
    row = {k: span[k] for k in ("start", "end", "text", "label", "raw_start", "raw_end")}
    return row | {name: span.get(name) for name in scheme.ATTRIBUTES}


TABLE_SCHEMA = pa.schema(
    [
        ("doc_id", pa.string()),
        ("split", pa.string()),
        ("title", pa.string()),
        ("text", pa.string()),
        ("target", pa.string()),
        ("stance", pa.string()),
        (
            "spans",
            pa.list_(
                pa.struct(
                    [
                        ("start", pa.int64()),
                        ("end", pa.int64()),
                        ("text", pa.string()),
                        ("label", pa.string()),
                        ("raw_start", pa.int64()),
                        ("raw_end", pa.int64()),
                        *((name, pa.string()) for name in scheme.ATTRIBUTES),
                    ]
                )
            ),
        ),
        (
            "relations",
            pa.list_(pa.struct([("source", pa.int64()), ("target", pa.int64()), ("label", pa.string())])),
        ),
        ("annotators", pa.list_(pa.string())),
        ("resolution", pa.string()),
        ("resolved", pa.bool_()),
        ("task_id", pa.int64()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("date", pa.string()),
        ("snapshot", pa.string()),
    ]
)


def write_tables(records: list[dict], folder: Path) -> list[Path]:
    """Write `gold.parquet` (nested columns) and `gold.csv` (JSON cells, formulas escaped)."""
    frame = pd.DataFrame(table_rows(records), columns=TABLE_SCHEMA.names)
    parquet, csv = folder / "gold.parquet", folder / "gold.csv"
    frame.to_parquet(parquet, schema=TABLE_SCHEMA, index=False)
    flat = frame.copy()
    for column in ("spans", "relations", "annotators"):
        flat[column] = flat[column].map(lambda v: json.dumps(v, ensure_ascii=False))
    for column in flat.columns:
        flat[column] = flat[column].map(escape_formula)
    flat.to_csv(csv, index=False, encoding="utf-8", lineterminator="\n")
    return [parquet, csv]


def escape_formula(value):
    """Defuse a cell a spreadsheet would run as a formula by putting a quote before it.

    Every table a spreadsheet opens (gold.csv, stance/*.tsv) writes its cells
    through this one function. A cell that already starts with quotes before
    a formula sign gets one more, so `unescape_formula` gives every value back.

    >>> [escape_formula(v) for v in ("=HYPERLINK(1)", "-5 killed", "'=1", "'Tis", "Kabul", 3)]
    ["'=HYPERLINK(1)", "'-5 killed", "''=1", "'Tis", 'Kabul', 3]
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(value):
    """Give back the value `escape_formula` escaped: for readers of gold.csv with pandas, not spreadsheets.

    >>> [unescape_formula(escape_formula(v)) for v in ("=HYPERLINK(1)", "'=1", "'Tis", "Kabul")]
    ['=HYPERLINK(1)', "'=1", "'Tis", 'Kabul']
    """
    if isinstance(value, str) and value.startswith("'") and value.lstrip("'").startswith(FORMULA_STARTS):
        return value[1:]
    return value


# --- spaCy ---------------------------------------------------------------------------


def write_docbins(records: list[dict], docs: dict[str, Doc], folder: Path) -> list[Path]:
    """Write `train.spacy`, `dev.spacy`, `test.spacy`: entities, all gold spans, stance in `doc.cats`."""
    paths = []
    for split in SPLITS:
        binary = DocBin(attrs=["ORTH", "SENT_START", "ENT_IOB", "ENT_TYPE"], store_user_data=True)
        for r in in_split(records, split):
            binary.add(docs[r["doc_id"]])
        paths.append(folder / f"{split}.spacy")
        binary.to_disk(paths[-1])
    return paths


# --- Hugging Face datasets ----------------------------------------------------------


def hf_features():
    """The DatasetDict's features: BIO `ner_tags`, span and relation labels, stance as ClassLabels."""
    from datasets import ClassLabel, Features, Value

    return Features(
        {
            "doc_id": Value("string"),
            "text": Value("string"),
            "target": Value("string"),
            "tokens": [Value("string")],
            "ner_tags": [ClassLabel(names=list(BIO_TAGS))],
            "spans": [
                {
                    "start": Value("int64"),
                    "end": Value("int64"),
                    "text": Value("string"),
                    "label": ClassLabel(names=list(scheme.ACTOR_LABELS)),
                    **{name: Value("string") for name in scheme.ATTRIBUTES},
                }
            ],
            "relations": [
                {
                    "source": Value("int64"),
                    "target": Value("int64"),
                    "label": ClassLabel(names=[*scheme.RELATION_LABELS, scheme.UNLABELLED]),
                }
            ],
            "stance": ClassLabel(names=list(scheme.STANCE_LABELS)),
        }
    )


def hf_row(record: dict, doc: Doc) -> dict:
    """One example: tokens and BIO tags (no whitespace tokens), spans, relations, stance (-1 if none)."""
    pairs = [pair for sentence in bio_sentences(doc) for pair in sentence]
    return {
        "doc_id": record["doc_id"],
        "text": record["text"],
        "target": record["target"],
        "tokens": [t for t, _ in pairs],
        "ner_tags": [tag for _, tag in pairs],
        "spans": [
            {k: s.get(k) for k in ("start", "end", "text", "label", *scheme.ATTRIBUTES)} for s in record["spans"]
        ],
        "relations": record["relations"],
        "stance": record["stance"] if record["stance"] else -1,
    }


def write_hf_dataset(records: list[dict], docs: dict[str, Doc], folder: Path) -> Path:
    """Save a DatasetDict (train, validation, test) with `save_to_disk` into `folder/hf`."""
    import datasets
    from datasets import Dataset, DatasetDict

    features = hf_features()
    splits = {}
    for split in SPLITS:
        rows = [hf_row(r, docs[r["doc_id"]]) for r in in_split(records, split)]
        columns = {name: [row[name] for row in rows] for name in features}
        splits[HF_SPLIT_NAMES[split]] = Dataset.from_dict(columns, features=features)
    path = folder / "hf"
    was_enabled = datasets.is_progress_bar_enabled()
    datasets.disable_progress_bars()  # the CLI shows its own progress
    try:
        # an empty split saved with the default zero shards cannot be loaded back (datasets 5.2)
        empty = {name: 1 for name, part in splits.items() if len(part) == 0}
        DatasetDict(splits).save_to_disk(str(path), num_shards=empty)
    finally:
        if was_enabled:
            datasets.enable_progress_bars()
    return path


# --- CoNLL-2003 and SemEval-2016 -----------------------------------------------------


def write_conll(records: list[dict], docs: dict[str, Doc], folder: Path) -> list[Path]:
    """Write `conll/<split>.conll`: `-DOCSTART- -X- <doc_id> O`, then `token -X- -X- TAG` lines.

    A blank line ends each sentence; the doc id sits in the DOCSTART line, which
    CoNLL readers skip.
    """
    (folder / "conll").mkdir(exist_ok=True)
    paths = []
    for split in SPLITS:
        lines = []
        for r in in_split(records, split):
            lines += [f"-DOCSTART- -X- {_one_field(r['doc_id'])} O", ""]
            for sentence in bio_sentences(docs[r["doc_id"]]):
                lines += [f"{token} -X- -X- {tag}" for token, tag in sentence] + [""]
        paths.append(folder / "conll" / f"{split}.conll")
        paths[-1].write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    return paths


def read_conll(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Read a CoNLL file written here back into {doc_id: [(token, tag), ...]}."""
    docs: dict[str, list[tuple[str, str]]] = {}
    current = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            current = docs.setdefault(line.split()[2], [])
        elif line.strip():
            fields = line.split(" ")
            current.append((fields[0], fields[-1]))
    return docs


def _one_field(value: str) -> str:
    return re.sub(r"\s+", "_", value)


def write_stance_tsv(records: list[dict], folder: Path) -> list[Path]:
    """Write `stance/<split>.tsv` in SemEval-2016 Task 6 style: ID, Target, Text, Stance.

    Text is kept on one line (runs of whitespace become one space); documents
    without a resolved stance are left out. Cells are formula-escaped, as in gold.csv.
    """
    (folder / "stance").mkdir(exist_ok=True)
    paths = []
    for split in SPLITS:
        lines = ["ID\tTarget\tText\tStance"]
        lines += [
            "\t".join(escape_formula(_one_line(cell)) for cell in (r["doc_id"], r["target"], r["text"], r["stance"]))
            for r in in_split(records, split)
            if r["stance"]
        ]
        paths.append(folder / "stance" / f"{split}.tsv")
        paths[-1].write_text("\n".join(lines) + "\n", encoding="utf-8")
    return paths


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()

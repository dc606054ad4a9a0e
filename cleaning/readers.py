"""Read an input folder into raw records: text files in any encoding, or table rows.

Reading never drops anything: an input that cannot become a record becomes a
`Rejection` with its reason, so kept + rejected always equals inputs.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from cleaning.errors import CorpusError

TEXT_SUFFIXES = {".txt"}
TABLE_SUFFIXES = {".jsonl", ".csv", ".parquet"}
TABLE_FIELDS = ("title", "url", "date", "id")
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True)
class RawRecord:
    """One input document before cleaning: undecoded bytes (files) or text (table rows)."""

    source: str
    data: bytes | None = None
    text: str | None = None
    fields: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejection:
    """An input that could not be cleaned, and why."""

    source: str
    reason: str


def iter_inputs(root: Path) -> Iterator[RawRecord | Rejection]:
    """Yield every document under `root` (a folder searched recursively, or one file)."""
    for path, source in input_files(root):
        yield from iter_file(path, source)


def input_files(root: Path) -> list[tuple[Path, str]]:
    """List the files under `root` in reading order, each with its source name (its path from `root`)."""
    if not root.exists():
        raise CorpusError(f"input not found: {root}", "give a folder of .txt files or a .jsonl/.csv/.parquet file")
    files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    base = root.parent if root.is_file() else root
    return [(path, path.relative_to(base).as_posix()) for path in files]


def iter_file(path: Path, source: str) -> Iterator[RawRecord | Rejection]:
    """Yield the documents of one input file: one for a text file, one per row for a table."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        yield RawRecord(source, data=path.read_bytes())
    elif suffix in TABLE_SUFFIXES:
        yield from iter_table(path, source)
    elif not path.name.startswith("."):
        yield Rejection(source, f"unsupported file type {suffix or '(none)'}: expected .txt, .jsonl, .csv or .parquet")


def iter_table(path: Path, source: str) -> Iterator[RawRecord | Rejection]:
    """Yield one record per row of a .jsonl, .csv or .parquet file with a `text` column."""
    try:
        rows = _iter_jsonl(path) if path.suffix.lower() == ".jsonl" else _iter_frame(path)
        for number, row in rows:
            yield _row_record(f"{source}#{number}", row)
    except CorpusError as err:
        yield Rejection(source, err.message)


def iter_jsonl_block(path: Path, source: str, start: int, end: int, first: int,
                     lines: Iterable[bytes] | None = None) -> Iterator[RawRecord | Rejection]:
    """Yield the rows of a .jsonl file whose lines start in bytes [start, end), numbering lines from `first`.

    Lets a file too big for one worker be read in blocks; `first` is one more
    than the number of lines in the blocks before (see `read_lines`). `lines`,
    when given, are the block's lines already being read (to count them on the way).
    """
    for number, row in _iter_jsonl(path, start, end, first, lines):
        yield _row_record(f"{source}#{number}", row)


def read_lines(path: Path, start: int = 0, end: int | None = None) -> Iterator[bytes]:
    """Yield the lines of a file that start in bytes [start, end): blocks that tile a file share no line."""
    with path.open("rb") as f:
        if start > 0:
            f.seek(start - 1)
            f.readline()  # the line that straddles `start` belongs to the block before
        pos = f.tell()
        while end is None or pos < end:
            line = f.readline()
            if not line:
                return
            pos += len(line)
            yield line


def _iter_jsonl(path: Path, start: int = 0, end: int | None = None, first: int = 1,
                lines: Iterable[bytes] | None = None) -> Iterator[tuple[int, dict | Rejection]]:
    """Yield (line number, row) from a JSON Lines file; a bad line is a rejection, not a crash."""
    lines = read_lines(path, start, end) if lines is None else lines
    for number, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as err:
            yield number, Rejection("", f"malformed JSON on line {number}: {err}")
            continue
        yield number, row if isinstance(row, dict) else Rejection("", f"line {number} is not a JSON object")


def _iter_frame(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield (row number, row) from a CSV or Parquet file via pandas, in chunks."""
    import pandas as pd

    try:
        if path.suffix.lower() == ".csv":
            chunks = pd.read_csv(path, dtype=str, keep_default_na=False, chunksize=10_000)
        else:
            import pyarrow.parquet as pq

            chunks = (b.to_pandas() for b in pq.ParquetFile(path).iter_batches(batch_size=10_000))
        number = 0
        for frame in chunks:
            if "text" not in frame.columns:
                raise CorpusError(f"no `text` column (columns: {', '.join(map(str, frame.columns))})")
            for row in frame.to_dict("records"):
                number += 1
                yield number, row
    except (ValueError, OSError, pd.errors.ParserError) as err:
        raise CorpusError(f"unreadable table: {err}".strip()) from err


def _row_record(source: str, row: dict | Rejection) -> RawRecord | Rejection:
    """Turn one table row into a record, or reject it with its row's reason."""
    if isinstance(row, Rejection):
        return Rejection(source, row.reason)
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        return Rejection(source, "row has no text (missing, empty or not a string)")
    fields = {k: str(row[k]) for k in TABLE_FIELDS if row.get(k) not in (None, "") and row.get(k) == row.get(k)}
    return RawRecord(source, text=normalise_newlines(text.lstrip("\ufeff")), fields=fields)


def decode(data: bytes) -> tuple[str, str]:
    """Decode bytes of any encoding; return (text, encoding). Raise `CorpusError` for binary data.

    >>> decode("caf\\u00e9 \\u201cquoted\\u201d".encode("cp1252"))
    ('café “quoted”', 'cp1252')
    >>> decode(b"\\xef\\xbb\\xbfline one\\r\\nline two\\r\\n")
    ('line one\\nline two\\n', 'utf-8-sig')
    """
    if not data.strip():
        raise CorpusError("empty file")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return normalise_newlines(data.decode(encoding).lstrip("\ufeff")), encoding
    if b"\x00" in data[:4096]:
        raise CorpusError("binary file (NUL bytes): not text")
    try:
        return normalise_newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = _guess_encoding(data)
    return normalise_newlines(data.decode(encoding, errors="replace")), encoding


def _guess_encoding(data: bytes) -> str:
    """Name the most likely single-byte encoding of non-UTF-8 bytes.

    Scraped news that is not UTF-8 is almost always cp1252: a few accented
    letters and curly quotes among ASCII. Only when cp1252 cannot decode the
    bytes, or reads them as mostly accented letters (Cyrillic or Greek read
    wrongly), is the choice left to charset-normalizer.
    """
    if _fits(data, "cp1252"):
        text = data.decode("cp1252")
        letters = sum(c.isalpha() for c in text) or 1
        if sum("\u00c0" <= c <= "\u00ff" for c in text) / letters < 0.3:
            return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise CorpusError("binary or undecodable file: no text encoding fits")
    return best.encoding


def _fits(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR line endings into LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")

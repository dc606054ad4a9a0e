"""Read an input folder into raw records: text files in any encoding, or table rows.

Reading never drops anything: an input that cannot become a record becomes a
`Rejection` with its reason, so kept + rejected always equals inputs.
"""

from __future__ import annotations

import codecs
import csv
import errno
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import AnyStr

from cleaning.errors import CorpusError

TEXT_SUFFIXES = {".txt"}
TABLE_SUFFIXES = {".jsonl", ".csv", ".parquet"}
TABLE_FIELDS = ("title", "url", "date", "id")
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
MAX_DOCUMENT_BYTES = 1_000_000  # a text past this is cut into parts at paragraph breaks (config: max_document_bytes)
CSV_FIELD_MAX = 2**31 - 1  # the csv module's default (128 KB) is shorter than some articles


@dataclass(frozen=True)
class RawRecord:
    """One input document before cleaning: undecoded bytes (files) or text (table rows)."""

    source: str
    data: bytes | None = None
    text: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    flags: dict[str, str] = field(default_factory=dict)  # what reading did that a person should know (a split)


@dataclass(frozen=True)
class Rejection:
    """An input that could not be cleaned, and why."""

    source: str
    reason: str


def iter_inputs(root: Path, limit: int = MAX_DOCUMENT_BYTES) -> Iterator[RawRecord | Rejection]:
    """Yield every document under `root` (a folder searched recursively, or one file)."""
    for found in input_files(root):
        if found.problem:
            yield Rejection(found.source, found.problem)
        else:
            yield from iter_file(found.path, found.source, limit)


@dataclass(frozen=True)
class InputFile:
    """A file the walk met: where it is, its source name, its size; `problem` says why it cannot be read."""

    path: Path
    source: str
    size: int = 0
    problem: str | None = None


def input_files(root: Path) -> list[InputFile]:
    """List what is under `root` in reading order: every file, and every entry the walk could not use.

    Links are followed (a loop is reported, not walked again); a folder that
    cannot be listed, a dangling link or a pipe is an entry with its problem,
    so that nothing the walk meets is left out silently.
    """
    if not root.exists() and not root.is_symlink():
        raise CorpusError(f"input not found: {root}", "give a folder of .txt files or a .jsonl/.csv/.parquet file")
    if not root.is_dir():
        return [_entry(root, root.parent)]
    found: list[InputFile] = []
    _walk(root, root, found, set())
    return sorted(found, key=lambda f: f.path.parts)


def _walk(folder: Path, base: Path, found: list[InputFile], seen: set[tuple[int, int]]) -> None:
    """Add the entries under `folder` to `found`; `seen` holds the folders already walked (links can loop)."""
    try:
        info = folder.stat()
        if (info.st_dev, info.st_ino) in seen:
            found.append(InputFile(folder, source_name(folder, base), problem="link loop: folder already read"))
            return
        seen.add((info.st_dev, info.st_ino))
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as err:
        found.append(InputFile(folder, source_name(folder, base), problem=f"folder cannot be listed: {_why(err)}"))
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()  # follows links; a dangling or looping link is not a folder
        except OSError:
            is_dir = False
        if is_dir:
            _walk(path, base, found, seen)
        else:
            found.append(_entry(path, base))


def _entry(path: Path, base: Path) -> InputFile:
    """Describe one file the walk met, with the reason it cannot be read if it cannot."""
    source = source_name(path, base)
    try:
        info = path.stat()
    except OSError as err:
        if err.errno == errno.ELOOP:
            return InputFile(path, source, problem="link loop: the link points back to itself")
        if path.is_symlink():
            return InputFile(path, source, problem=f"dangling link to {os.readlink(path)}: {_why(err)}")
        return InputFile(path, source, problem=f"cannot be read: {_why(err)}")
    if not stat.S_ISREG(info.st_mode):
        return InputFile(path, source, problem="not a regular file (a pipe, socket or device): not read")
    return InputFile(path, source, info.st_size)


def source_name(path: Path, base: Path) -> str:
    """Return a path's name from `base`, printable: bytes that are not UTF-8 are shown escaped.

    >>> source_name(Path(os.fsdecode(b"in/caf\\xe9.txt")), Path("in"))
    'caf\\\\xe9.txt'
    """
    relative = path.relative_to(base).as_posix() if path != base else path.name
    return os.fsencode(relative).decode("utf-8", errors="backslashreplace")


def _why(err: OSError) -> str:
    return err.strerror or type(err).__name__


def iter_file(path: Path, source: str, limit: int = MAX_DOCUMENT_BYTES) -> Iterator[RawRecord | Rejection]:
    """Yield the documents of one input file: one for a text file (or its parts), one per row for a table.

    Nothing here raises for a bad file: what cannot be read is a rejection
    with its reason, and so is a bug (an internal error), as in cleaning.
    """
    suffix = path.suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES:
            yield from iter_text(path, source, limit)
        elif suffix in TABLE_SUFFIXES:
            yield from iter_table(path, source, limit)
        elif path.name.startswith("."):
            yield Rejection(source, "hidden file (its name starts with a dot): not read")
        else:
            yield Rejection(source, f"unsupported file type {suffix or '(none)'}: "
                                    "expected .txt, .jsonl, .csv or .parquet")
    except OSError as err:
        yield Rejection(source, f"cannot be read: {_why(err)}")
    except Exception as err:  # a bug must not end the run: reject the file with the reason
        yield Rejection(source, f"internal error while reading: {type(err).__name__}: {err}")


def iter_text(path: Path, source: str, limit: int = MAX_DOCUMENT_BYTES) -> Iterator[RawRecord | Rejection]:
    """Yield a text file as one record, or, past `limit` bytes, as parts cut at paragraph breaks.

    Each part is a document of its own (`source#partN`, flag `split_from`), so
    one huge file cleans in the memory of one part. UTF-16 and UTF-32 files
    are not cut (their line breaks are not single bytes): past the limit
    they are rejected with the reason.
    """
    if path.stat().st_size <= limit:
        yield RawRecord(source, data=path.read_bytes())
        return
    bounds = text_parts(path, limit)
    if not bounds:
        yield Rejection(source, f"UTF-16 or UTF-32 text over the size limit ({limit:,} bytes): not split; "
                                "convert it to UTF-8 or raise max_document_bytes")
        return
    for number, (start, end) in enumerate(bounds, start=1):
        yield read_text_part(path, source, number, start, end)


def text_parts(path: Path, limit: int = MAX_DOCUMENT_BYTES) -> list[tuple[int, int]]:
    """Return the byte ranges [start, end) of a text file's parts, cut where `paragraph_parts` cuts.

    One pass over the file holding one line at a time, so a planner can hand
    each part to a worker without reading the text itself. Empty for a file
    within `limit` (one document) and for UTF-16/32 text, which is not cut.
    """
    if path.stat().st_size <= limit:
        return []
    with path.open("rb") as f:
        head = f.read(4096)
        if head.startswith(WIDE_BOMS) or b"\x00" in head:
            return []
        f.seek(0)
        bounds, start, pos = [], 0, 0
        for line in iter(lambda: f.readline(limit), b""):
            pos += len(line)
            if ends_part(pos - start, line, limit):
                bounds.append((start, pos))
                start = pos
    if pos > start:
        bounds.append((start, pos))
    return bounds


def read_text_part(path: Path, source: str, number: int, start: int, end: int) -> RawRecord | Rejection:
    """Read part `number` of a text file cut by `text_parts`: bytes [start, end) as the document `source#partN`."""
    part = f"{source}#part{number}"
    try:
        with path.open("rb") as f:
            f.seek(start)
            data = f.read(end - start)
    except OSError as err:
        return Rejection(part, f"cannot be read: {_why(err)}")
    return RawRecord(part, data=data, flags={"split_from": source})


def ends_part(size: int, line: AnyStr, limit: int) -> bool:
    """Tell whether a part of `size` so far ends after `line`: past `limit` at a blank line, past twice that anyway."""
    return size >= 2 * limit or (size >= limit and not line.strip())


def paragraph_parts(lines: Iterable[AnyStr], limit: int) -> Iterator[list[AnyStr]]:
    """Group lines into parts of at least `limit` long, cut after a blank line (after any line past twice that).

    Lines are expected no longer than `limit` (`readline(limit)` cuts them),
    so a part holds at most three times `limit`.

    >>> list(paragraph_parts(["a\\n", "\\n", "b\\n", "c\\n", "\\n", "d\\n"], 2))
    [['a\\n', '\\n'], ['b\\n', 'c\\n'], ['\\n', 'd\\n']]
    """
    part, size = [], 0
    for line in lines:
        part.append(line)
        size += len(line)
        if ends_part(size, line, limit):
            yield part
            part, size = [], 0
    if part:
        yield part


def iter_table(path: Path, source: str, limit: int = MAX_DOCUMENT_BYTES) -> Iterator[RawRecord | Rejection]:
    """Yield one record per row of a .jsonl, .csv or .parquet file with a `text` column; an empty table is rejected."""
    readers = {".jsonl": _iter_jsonl, ".csv": _iter_csv}
    rows = 0
    try:
        for number, row in readers.get(path.suffix.lower(), _iter_parquet)(path):
            rows += 1
            yield from _row_records(f"{source}#{number}", row, limit)
    except CorpusError as err:
        yield Rejection(source, err.message)
        return
    if not rows:
        yield Rejection(source, "empty table: no rows")


def iter_jsonl_block(path: Path, source: str, start: int, end: int, first: int,
                     lines: Iterable[bytes] | None = None,
                     limit: int = MAX_DOCUMENT_BYTES) -> Iterator[RawRecord | Rejection]:
    """Yield the rows of a .jsonl file whose lines start in bytes [start, end), numbering lines from `first`.

    Lets a file too big for one worker be read in blocks; `first` is one more
    than the number of lines in the blocks before (see `read_lines`). `lines`,
    when given, are the block's lines already being read (to count them on the way).
    """
    try:
        rows = 0
        for number, row in _iter_jsonl(path, start, end, first, lines):
            rows += 1
            yield from _row_records(f"{source}#{number}", row, limit)
        if start == 0 and not rows and not any(line.strip() for line in read_lines(path, end)):
            yield Rejection(source, "empty table: no rows")  # the first block speaks for the file
    except OSError as err:
        yield Rejection(f"{source}@{start}", f"cannot be read: {_why(err)}")


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
    """Yield (line number, row) from a JSON Lines file; a bad line is a rejection, not a crash.

    Bytes that are not UTF-8 are replaced (the text is then flagged), as in text files.
    """
    lines = read_lines(path, start, end) if lines is None else lines
    for number, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        try:
            row = json.loads(line.decode("utf-8", errors="replace"))
        except RecursionError:
            yield number, Rejection("", f"malformed JSON on line {number}: nested too deep")
            continue
        except ValueError as err:  # bad JSON, or a number too long to convert
            yield number, Rejection("", f"malformed JSON on line {number}: {err}")
            continue
        yield number, row if isinstance(row, dict) else Rejection("", f"line {number} is not a JSON object")


def _iter_csv(path: Path) -> Iterator[tuple[int, dict | Rejection]]:
    """Yield (row number, row) from a CSV file with a header; a malformed row is a rejection, not the file.

    A row with more cells than the header is malformed; a shorter one gets
    empty cells. Bytes that are not UTF-8 are replaced, as in text files.
    """
    csv.field_size_limit(CSV_FIELD_MAX)
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, None)
        if header is None:
            return
        if "text" not in header:
            raise CorpusError(f"no `text` column (columns: {', '.join(header)})")
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                number += 1
                yield number, Rejection("", f"malformed CSV row (line {reader.line_num}): {err}")
                continue
            if not cells:
                continue  # a blank line
            number += 1
            if len(cells) > len(header):
                yield number, Rejection("", f"malformed CSV row (line {reader.line_num}): "
                                            f"{len(cells)} cells, the header has {len(header)}")
            else:
                yield number, dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))


def _iter_parquet(path: Path) -> Iterator[tuple[int, dict]]:
    """Yield (row number, row) from a Parquet file, in batches."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        number = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=10_000):
            if "text" not in batch.schema.names:
                raise CorpusError(f"no `text` column (columns: {', '.join(batch.schema.names)})")
            for row in batch.to_pylist():
                number += 1
                yield number, row
    except (pa.ArrowException, ValueError) as err:
        raise CorpusError(f"unreadable table: {err}".strip()) from err


def _row_records(source: str, row: dict | Rejection, limit: int) -> Iterator[RawRecord | Rejection]:
    """Turn one table row into a record (or parts, past `limit` characters), or reject it with its reason."""
    if isinstance(row, Rejection):
        yield Rejection(source, row.reason)
        return
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        yield Rejection(source, "row has no text (missing, empty or not a string)")
        return
    try:
        fields = {k: str(row[k]) for k in TABLE_FIELDS if row.get(k) not in (None, "") and row.get(k) == row.get(k)}
    except RecursionError:
        yield Rejection(source, "a field is nested too deep")
        return
    text = normalise_newlines(text.lstrip("\ufeff"))
    if len(text) <= limit:
        yield RawRecord(source, text=text, fields=fields)
        return
    lines = (line[i:i + limit] for line in text.splitlines(keepends=True) for i in range(0, len(line), limit))
    for number, part in enumerate(paragraph_parts(lines, limit), start=1):
        fields_of_part = {**fields, "id": f"{fields['id']}#part{number}"} if "id" in fields else fields
        yield RawRecord(f"{source}#part{number}", text="".join(part), fields=fields_of_part,
                        flags={"split_from": source})


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
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise CorpusError("binary file (NUL bytes): not text")
        return normalise_newlines(data.decode(encoding)), encoding
    try:
        return normalise_newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    encoding = "utf-8" if _mostly_utf8(data) else _guess_encoding(data)
    return normalise_newlines(data.decode(encoding, errors="replace")), encoding


def _utf16_without_bom(data: bytes) -> str | None:
    """Name the UTF-16 byte order of `data` if it reads as UTF-16 text without a BOM, else None.

    Text in UTF-16 has a NUL in one byte of every ASCII character (spaces at
    least) and almost never in the other; binary data has NULs anywhere.

    >>> _utf16_without_bom("Taliban talks".encode("utf-16-le")), _utf16_without_bom(b"\\x89PNG\\x00\\x00\\x00\\r")
    ('utf-16-le', None)
    """
    head = data[:4096]
    if len(data) % 2 or len(head) < 4:
        return None
    for encoding, zeros, others in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        if others.count(0) == 0 and zeros.count(0) >= len(zeros) // 10:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            shown = sum(c.isprintable() or c.isspace() for c in text[:2048])
            return encoding if shown >= 0.95 * min(len(text), 2048) else None
    return None


def _mostly_utf8(data: bytes) -> bool:
    """Tell whether bytes that are not valid UTF-8 are UTF-8 but for a few bytes (read as UTF-8, those replaced).

    A stray byte in a UTF-8 article must not make the whole article another
    code page: if the valid multi-byte characters outnumber the invalid
    bytes, it is UTF-8. Text in a single-byte code page has almost no valid
    multi-byte sequences.
    """
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
    wide = len(text) - len(text.encode("ascii", errors="ignore")) - text.count("\ufffd")
    return wide > replaced


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

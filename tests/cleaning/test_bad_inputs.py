"""Bad input never ends a run and never goes missing: every kind is kept or rejected with its reason.

Each kind of bad input found by probing the cleaner (issue 11) is made here
as small files in its own folder. Run alone, each must give exactly the
documents and rejections listed; run all together through `corpus clean`
(as a user without root's right to read everything), kept + rejected must
equal the inputs, with no traceback.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cleaning.config import CleanConfig
from cleaning.document import Document
from cleaning.pipeline import clean_corpus
from cleaning.readers import Rejection

LIMIT = 2_000  # max_document_bytes for these tests: a "huge" text is a few KB
PLACES = ("Kabul", "Doha", "Herat", "Kandahar", "Mazar-i-Sharif", "Jalalabad", "Kunduz", "Ghazni", "Bamiyan",
          "Islamabad", "Tashkent", "Dushanbe", "Tehran", "Ankara", "Geneva", "Oslo", "Brussels", "Moscow")


def article(n: int) -> str:
    """Return a distinct two-paragraph news text (lines long enough never to count as boilerplate)."""
    place, other = PLACES[n % len(PLACES)], PLACES[(n * 7 + 3) % len(PLACES)]
    return (f"Officials in {place} said on Tuesday that talks on file number {n} would resume next week in "
            f"{other} after a pause of {n + 2} months, according to three people familiar with the plans.\n\n"
            f"The delegation from {other} is expected to raise {n + 11} detailed questions about aid, "
            f"schooling for girls and the release of prisoners held since the summer, the officials added.\n")


@dataclass(frozen=True)
class Case:
    """One kind of bad input: how to make it, and what each input must become (None: kept; else a reason)."""

    make: Callable[[Path], None]
    expect: dict[str, str | None]
    check: Callable[[dict[str, Document]], None] = lambda docs: None
    unprivileged: bool = False  # root reads everything: run it without that right (capsh), as a user would
    inputs: int = 0  # documents and rejections expected, when not one per `expect` entry (a split text)
    extra: dict = field(default_factory=dict)

    @property
    def count(self) -> int:
        return self.inputs or len(self.expect)


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def _lines(path: Path, *rows: str) -> None:
    _write(path, "".join(row + "\n" for row in rows))


def _non_utf8_name(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    open(os.fsencode(folder) + b"/caf\xe9.txt", "wb").write(article(1).encode("utf-8"))


def _unreadable_file(folder: Path) -> None:
    _write(folder / "b.txt", article(2))
    (folder / "b.txt").chmod(0)


def _unlistable_folder(folder: Path) -> None:
    _write(folder / "locked" / "c.txt", article(3))
    (folder / "locked").chmod(0)


def _stray_byte(folder: Path) -> None:
    text = "“Café” talks in Zürich: " + article(4)
    body = text.encode("utf-8")
    _write(folder / "long.txt", body[:200] + b"\xff" + body[200:])
    _write(folder / "short.txt", "“Café” in Zürich".encode() + b" \xff " + "résumé".encode())


def _check_stray_byte(docs: dict[str, Document]) -> None:
    for doc in docs.values():
        assert doc.meta["encoding"] == "utf-8" and doc.flags["replacement_chars"] == 1
        assert "Café" in doc.text and "├" not in doc.text and "\ufffd" in doc.text


def _csv_with_a_bad_row(folder: Path) -> None:
    rows = [f'"{article(5).strip()}",https://x.org/1', 'broken,row,with,"too many",cells',
            f'"{article(6).strip()}",https://x.org/3']
    _lines(folder / "t.csv", "text,url", *rows)


def _links(folder: Path) -> None:
    folder.mkdir(parents=True)
    os.symlink("self.txt", folder / "self.txt")
    os.symlink("gone.txt", folder / "dangling.txt")
    _write(folder / "sub" / "d.txt", article(7))
    os.symlink("..", folder / "sub" / "up")


def _huge_text(folder: Path) -> None:
    _write(folder / "big.txt", "\n".join(article(n) for n in range(10, 30)))  # 8.7 KB, 40 paragraphs


def _check_huge_text(docs: dict[str, Document]) -> None:
    assert len(docs) >= 3 and all(d.flags["split_from"].endswith("big.txt") for d in docs.values())
    assert all(len(d.text.encode("utf-8")) <= 3 * LIMIT for d in docs.values())
    joined = "\n".join(docs[s].raw_text() for s in sorted(docs, key=lambda s: int(s.split("#part")[1])))
    assert all(f"file number {n} " in joined for n in range(10, 30))  # every paragraph is in one part


def _utf16_without_bom(folder: Path) -> None:
    _write(folder / "le.txt", article(20).encode("utf-16-le"))
    _write(folder / "be.txt", article(21).encode("utf-16-be"))


def _check_utf16(docs: dict[str, Document]) -> None:
    assert {s: d.meta["encoding"] for s, d in docs.items()} == {"le.txt": "utf-16-le", "be.txt": "utf-16-be"}
    assert all("talks on file number" in d.text for d in docs.values())


def _duplicate_ids(folder: Path) -> None:
    _lines(folder / "feed.jsonl", *(json.dumps({"id": "a1", "text": article(n)}) for n in (22, 23, 24)))


def _check_duplicate_ids(docs: dict[str, Document]) -> None:
    ids = {s: (d.id, d.flags.get("duplicate_id_of")) for s, d in docs.items()}
    assert ids == {"feed.jsonl#1": ("a1", None), "feed.jsonl#2": ("a1~2", "a1"), "feed.jsonl#3": ("a1~3", "a1")}


def _fifo(folder: Path) -> None:
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.txt")


CASES = {
    "non-UTF-8 file name": Case(_non_utf8_name, {"caf\\xe9.txt": None}),
    "unreadable file": Case(_unreadable_file, {"b.txt": "cannot be read: Permission denied"}, unprivileged=True),
    "unlistable folder": Case(_unlistable_folder, {"locked": "folder cannot be listed: Permission denied"},
                              unprivileged=True),
    "JSON nested 100,000 deep": Case(
        lambda f: _lines(f / "deep.jsonl", "[" * 100_000 + "]" * 100_000, json.dumps({"text": article(8)})),
        {"deep.jsonl#1": "malformed JSON on line 1: nested too deep", "deep.jsonl#2": None}),
    "JSON number of 5,000 digits": Case(
        lambda f: _lines(f / "long.jsonl", '{"text": "x", "n": ' + "7" * 5000 + "}"),
        {"long.jsonl#1": "malformed JSON on line 1: Exceeds the limit (4300 digits)"}),
    "JSON line not an object": Case(lambda f: _lines(f / "a.jsonl", "[1, 2]", '"text"'),
                                    {"a.jsonl#1": "line 1 is not a JSON object", "a.jsonl#2": "line 2 is not"}),
    "stray byte in UTF-8": Case(_stray_byte, {"long.txt": None, "short.txt": None}, _check_stray_byte),
    "stray byte in a JSONL row": Case(
        lambda f: _write(f / "r.jsonl", json.dumps({"text": "“Café” " + article(9)}, ensure_ascii=False)
                         .encode("utf-8").replace(b"Officials", b"Offi\xffcials") + b"\n"),
        {"r.jsonl#1": None}, lambda docs: [d.flags.get("replacement_chars") for d in docs.values()] == [1]),
    "UTF-16 without BOM": Case(_utf16_without_bom, {"le.txt": None, "be.txt": None}, _check_utf16),
    "UTF-16 over the size limit": Case(
        lambda f: _write(f / "wide.txt", "\ufeff".encode("utf-16-le") + (article(25) * 10).encode("utf-16-le")),
        {"wide.txt": "UTF-16 or UTF-32 text over the size limit (2,000 bytes): not split"}),
    "CSV with one malformed row": Case(
        _csv_with_a_bad_row,
        {"t.csv#1": None, "t.csv#2": "malformed CSV row (line 5): 5 cells, the header has 2", "t.csv#3": None}),
    "CSV with a header only": Case(lambda f: _lines(f / "h.csv", "text,url"), {"h.csv": "empty table: no rows"}),
    "empty JSONL": Case(lambda f: _write(f / "e.jsonl", ""), {"e.jsonl": "empty table: no rows"}),
    "blank JSONL": Case(lambda f: _write(f / "b.jsonl", "\n  \n"), {"b.jsonl": "empty table: no rows"}),
    "links: loop, dangling, folder loop": Case(
        _links, {"self.txt": "link loop: the link points back to itself",
                 "dangling.txt": "dangling link to gone.txt", "sub/d.txt": None,
                 "sub/up": "link loop: folder already read"}),
    "pipe named .txt": Case(_fifo, {"pipe.txt": "not a regular file"}),
    "hidden file": Case(lambda f: _write(f / ".DS_Store", b"\x00\x01"), {".DS_Store": "hidden file"}),
    "binary .txt": Case(lambda f: _write(f / "img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
                        {"img.txt": "binary file (NUL bytes): not text"}),
    "duplicate ids": Case(_duplicate_ids, {f"feed.jsonl#{n}": None for n in (1, 2, 3)}, _check_duplicate_ids),
    "huge text": Case(_huge_text, {}, _check_huge_text, inputs=4),
}


def unprivileged(command: list[str]) -> list[str]:
    """Return `command` run without root's right to read any file (so chmod 000 means unreadable)."""
    if os.geteuid() != 0:
        return command
    capsh = shutil.which("capsh")
    assert capsh, "run as root, this test needs capsh (Debian: apt-get install libcap2-bin) to drop its rights"
    return [capsh, "--drop=cap_dac_override,cap_dac_read_search", "--", "-c", shlex.join(command)]


def corpus_clean(source: Path, out: Path) -> subprocess.CompletedProcess:
    config = out.parent / f"{out.name}.toml"
    config.write_text(f"[corpus]\nmax_document_bytes = {LIMIT}\n")
    command = [sys.executable, "-m", "cli", "clean", str(source), "--out", str(out), "--config", str(config)]
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(unprivileged(command), capture_output=True, text=True, env=env,
                          cwd=Path(__file__).parents[2])


def read_outputs(out: Path) -> tuple[dict[str, Document], dict[str, str]]:
    """Read a finished run's documents (by source) and rejections (reason by source)."""
    docs = [Document.from_dict(json.loads(line)) for line in (out / "documents.jsonl").open(encoding="utf-8")]
    rejected = [json.loads(line) for line in (out / "rejected.jsonl").open(encoding="utf-8")]
    return {d.source: d for d in docs}, {r["source"]: r["reason"] for r in rejected}


def assert_outcome(case: Case, docs: dict[str, Document], rejected: dict[str, str], prefix: str = "") -> None:
    assert len(docs) + len(rejected) == case.count, (sorted(docs), rejected)
    for source, reason in case.expect.items():
        if reason is None:
            assert prefix + source in docs, (source, rejected.get(prefix + source))
        else:
            assert reason in rejected.get(prefix + source, ""), (source, rejected.get(prefix + source))
    assert case.check({s[len(prefix):]: d for s, d in docs.items()}) is not False


@pytest.mark.parametrize("kind", CASES)
def test_each_kind_of_bad_input_is_kept_or_rejected_with_its_reason(kind, tmp_path):
    case = CASES[kind]
    case.make(tmp_path / "in")
    try:
        if case.unprivileged:
            run = corpus_clean(tmp_path / "in", tmp_path / "out")
            assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
            docs, rejected = read_outputs(tmp_path / "out")
        else:
            items = list(clean_corpus(tmp_path / "in", CleanConfig(max_document_bytes=LIMIT), workers=1))
            docs = {i.source: i for i in items if isinstance(i, Document)}
            rejected = {i.source: i.reason for i in items if isinstance(i, Rejection)}
    finally:
        _restore_rights(tmp_path)
    assert_outcome(case, docs, rejected)


def test_every_kind_together_through_the_command_line(tmp_path):
    for kind, case in CASES.items():
        case.make(tmp_path / "in" / _folder(kind))
    try:
        run = corpus_clean(tmp_path / "in", tmp_path / "out")
    finally:
        _restore_rights(tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    docs, rejected = read_outputs(tmp_path / "out")
    inputs = sum(case.count for case in CASES.values())
    assert len(docs) + len(rejected) == inputs == 34
    assert f"{len(docs)} kept, {len(rejected)} rejected" in run.stdout
    for kind, case in CASES.items():
        prefix = _folder(kind) + "/"
        assert_outcome(case, {s: d for s, d in docs.items() if s.startswith(prefix)},
                       {s: r for s, r in rejected.items() if s.startswith(prefix)}, prefix)


def _folder(kind: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in kind)


def _restore_rights(root: Path) -> None:
    """Give back the rights the unreadable cases took, so pytest can remove its folders."""
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            if not path.is_symlink():
                path.chmod(0o755)

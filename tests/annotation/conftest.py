"""Fixtures of the annotation tests: the seed corpus as documents, a clean dir holding it, the scheme as a dict."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from annotation.scheme import SCHEME_FILE
from cleaning.document import Document

RAW = Path(__file__).resolve().parents[2] / "corpus" / "raw"


def seed_documents() -> list[Document]:
    """The five seed articles with trivial processing: first line as title, the rest as text.

    The real cleaner is not used, so these tests do not move when it does.
    """
    docs = []
    for path in sorted(RAW.glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").strip().partition("\n")
        docs.append(Document(id=path.stem.split("_")[1], source=path.name, title=title.strip(),
                             text=re.sub(r"\n{2,}", "\n\n", body.strip()), meta={"encoding": "utf-8"}))
    return docs


def scheme_dict() -> dict:
    """The project's scheme.yaml as a fresh mapping, for tests that change it."""
    return yaml.safe_load(SCHEME_FILE.read_text(encoding="utf-8"))


def write_clean_dir(where: Path, docs: list[Document]) -> Path:
    """Write `docs` as the cleaner would (documents.jsonl) and return the dir."""
    where.mkdir(parents=True, exist_ok=True)
    with (where / "documents.jsonl").open("w", encoding="utf-8") as out:
        out.writelines(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n" for doc in docs)
    return where


@pytest.fixture
def seed_docs() -> list[Document]:
    return seed_documents()


@pytest.fixture
def seed_dir(tmp_path: Path, seed_docs: list[Document]) -> Path:
    """A clean dir holding the five seed articles."""
    return write_clean_dir(tmp_path / "clean", seed_docs)

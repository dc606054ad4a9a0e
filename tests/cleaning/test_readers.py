"""Reading inputs: encodings, BOMs, line endings, tables, and rejections with their reasons."""

import json

import pandas as pd
import pytest

from cleaning.errors import CorpusError
from cleaning.readers import RawRecord, Rejection, decode, iter_inputs


def test_cp1252_text_is_detected_and_named():
    text, encoding = decode("The Taliban’s “amnesty” – café".encode("cp1252"))
    assert text == "The Taliban’s “amnesty” – café"
    assert encoding == "cp1252"


def test_latin1_text_decodes():
    text, encoding = decode("Señor Muñoz visited Zürich and Besançon.".encode("latin-1"))
    assert text == "Señor Muñoz visited Zürich and Besançon."
    assert encoding in ("cp1252", "latin_1", "iso8859_15")


@pytest.mark.parametrize("bom,codec", [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le")])
def test_bom_is_stripped_and_line_endings_normalised(bom, codec):
    text, _ = decode(bom + "Title\r\n\r\nBody line\rnext".encode(codec))
    assert text == "Title\n\nBody line\nnext"


def test_cyrillic_cp1251_is_not_read_as_cp1252():
    text, encoding = decode("Талибы заявили, что не причинят вреда бывшим переводчикам.".encode("cp1251"))
    assert encoding == "cp1251" and text.startswith("Талибы")


@pytest.mark.parametrize("data,reason", [(b"", "empty"), (b"  \n\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")])
def test_empty_and_binary_files_are_refused(data, reason):
    with pytest.raises(CorpusError, match=reason):
        decode(data)


def test_tables_give_one_record_per_row_and_reject_bad_rows(tmp_path):
    rows = [{"text": "First article body.", "title": "One", "id": "a1"}, {"title": "no text"}]
    lines = [json.dumps(r) for r in rows] + ["{not json", json.dumps({"text": "Third.", "date": "2021-08-15"})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    pd.DataFrame({"text": ["CSV body.", ""], "url": ["https://x.org/1", "https://x.org/2"]}).to_csv(tmp_path / "t.csv", index=False)
    pd.DataFrame({"text": ["Parquet body."]}).to_parquet(tmp_path / "t.parquet")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")

    items = list(iter_inputs(tmp_path))
    by_source = {i.source: i for i in items}
    assert by_source["feed.jsonl#1"] == RawRecord("feed.jsonl#1", text="First article body.", fields={"title": "One", "id": "a1"})
    assert by_source["feed.jsonl#2"] == Rejection("feed.jsonl#2", "row has no text (missing, empty or not a string)")
    assert by_source["feed.jsonl#3"].reason.startswith("malformed JSON on line 3")
    assert by_source["feed.jsonl#4"].fields == {"date": "2021-08-15"}
    assert by_source["t.csv#1"].fields == {"url": "https://x.org/1"}
    assert isinstance(by_source["t.csv#2"], Rejection)
    assert by_source["t.parquet#1"].text == "Parquet body."
    assert "unsupported file type .docx" in by_source["notes.docx"].reason
    assert len(items) == 8


def test_a_table_without_text_column_is_rejected_whole(tmp_path):
    pd.DataFrame({"body": ["x"]}).to_csv(tmp_path / "t.csv", index=False)
    [item] = iter_inputs(tmp_path)
    assert item == Rejection("t.csv", "no `text` column (columns: body)")


def test_missing_input_says_what_to_give(tmp_path):
    with pytest.raises(CorpusError, match="input not found") as err:
        list(iter_inputs(tmp_path / "nope"))
    assert ".txt" in err.value.hint

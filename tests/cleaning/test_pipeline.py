"""The cleaner over a corpus: the seed articles, the output contract, and corpus-level repairs."""

import json
import shutil
from pathlib import Path

import pytest

from cleaning.config import ALL_REPAIRS, REPAIRS, CleanConfig, load_config
from cleaning.document import Document, replay
from cleaning.errors import CorpusError
from cleaning.pipeline import clean_corpus
from cleaning.readers import Rejection, decode
from cleaning.writers import write_outputs

SEEDS = Path(__file__).parents[2] / "corpus" / "raw"


@pytest.fixture(scope="module")
def seed_docs():
    return {d.source[:3]: d for d in clean_corpus(SEEDS, workers=1)}


def test_seed_corpus_is_repaired(seed_docs):
    assert len(seed_docs) == 5 and all(isinstance(d, Document) for d in seed_docs.values())
    everything = "\n".join(d.text for d in seed_docs.values())
    for artifact in ("Source link", "Leave a Reply", "Your email address", "More News", "Check Also",
                     "Afghanistanof", "TalibanThe", "TalibanDeclare", "© Reuters", "according to To",
                     "Not justice. “", "them, ”Khalilzad", "Saturday, 02/03/2024"):
        assert artifact not in everything, artifact
    assert "condemned the Taliban. In the four months" in seed_docs["000"].text
    assert "General Kenneth McKenzie" in seed_docs["004"].text and "al-Qaeda" in seed_docs["004"].text


def test_titles_dates_and_captions_move_to_their_fields(seed_docs):
    assert seed_docs["000"].title == "Taliban rejects Western accusations due to worsening relations"
    assert seed_docs["002"].title is None
    assert seed_docs["002"].text.startswith("The US said on Friday that recent reports")
    assert seed_docs["001"].meta["date"] == "2024-02-03"
    assert seed_docs["001"].meta["datelines"] == ["Saturday, 02/03/2024"]
    assert seed_docs["004"].meta["captions"] == [
        "Afghan refugees arrive at Pristina International Airport in Kosovo on Sunday © Reuters"]
    assert "Source link" in seed_docs["000"].meta["boilerplate"]
    assert all(d.meta["encoding"] == "utf-8" for d in seed_docs.values())


def test_body_paragraphs_are_all_kept(seed_docs):
    for doc in seed_docs.values():
        raw = decode((SEEDS / doc.source).read_bytes())[0]
        body = [line for line in raw.split("\n") if len(line) > 200]
        for line in body:
            assert line[:60] in doc.raw_text()
            words = line.split()[3:9]
            assert " ".join(words) in doc.text or any(e.start <= raw.index(line) < e.end for e in doc.edits), line[:60]


def test_edits_replay_on_the_raw_text(seed_docs):
    for doc in seed_docs.values():
        raw = decode((SEEDS / doc.source).read_bytes())[0]
        assert replay(raw, doc.edits) == doc.text
        assert doc.raw_text() == raw
        assert all(e.before != e.after for e in doc.edits)


def test_cleaning_clean_text_changes_nothing(seed_docs, tmp_path):
    for doc in seed_docs.values():
        (tmp_path / doc.source).write_text(doc.text, encoding="utf-8")
    again = {d.source: d for d in clean_corpus(tmp_path, workers=1)}
    for doc in seed_docs.values():
        assert again[doc.source].text == doc.text
        assert again[doc.source].edits == ()


def test_ids_are_stable_and_engines_agree(seed_docs):
    twice = [d.to_dict() for d in clean_corpus(SEEDS, workers=2)]
    assert twice == [d.to_dict() for d in sorted(seed_docs.values(), key=lambda d: d.source)]


def test_every_input_is_kept_or_rejected_with_a_reason(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "in")
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "in" / "old.txt").write_bytes("The Taliban’s “amnesty” was announced in Kabul on Sunday, officials said, after weeks of talks.".encode("cp1252"))
    row = "The Taliban said on Sunday that former officials would be safe, a claim rights groups disputed."
    (tmp_path / "in" / "rows.jsonl").write_text(f'{{"text": "{row}"}}\n{{oops\n{{"text": "Share this"}}\n', encoding="utf-8")
    summary = write_outputs(clean_corpus(tmp_path / "in", workers=1), tmp_path / "out")
    docs = [json.loads(line) for line in (tmp_path / "out" / "documents.jsonl").open()]
    rejected = [json.loads(line) for line in (tmp_path / "out" / "rejected.jsonl").open()]
    assert summary.inputs == 11 == len(docs) + len(rejected)
    reasons = {r["source"]: r["reason"] for r in rejected}
    assert reasons == {"empty.txt": "empty file", "image.txt": "binary file (NUL bytes): not text",
                       "rows.jsonl#2": reasons["rows.jsonl#2"],
                       "rows.jsonl#3": "no article text left after cleaning (removed by boilerplate)"}
    assert reasons["rows.jsonl#2"].startswith("malformed JSON on line 2")
    old = next(d for d in docs if d["source"] == "old.txt")
    assert old["meta"]["encoding"] == "cp1252" and "Taliban’s “amnesty”" in old["text"]
    assert set(docs[0]) >= {"id", "source", "title", "text", "meta", "edits", "flags"}
    report = (tmp_path / "out" / "report.md").read_text()
    assert "| glued_words | 3 | 1 |" in report and "| near_duplicates | 0 | 0 |" in report
    assert "- **boilerplate** @" in report and "Source link" in report


def test_a_crash_leaves_no_half_written_output(tmp_path):
    out = tmp_path / "out"
    write_outputs(iter([]), out)
    before = (out / "documents.jsonl").read_bytes()

    def failing():
        yield from clean_corpus(SEEDS, workers=1)
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_outputs(failing(), out)
    assert (out / "documents.jsonl").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["documents.jsonl", "rejected.jsonl", "report.md"]


def test_near_duplicates_are_flagged_not_dropped(tmp_path):
    shutil.copytree(SEEDS, tmp_path / "in")
    text = (SEEDS / "003_d18bdafb2cebad04.txt").read_text(encoding="utf-8")
    (tmp_path / "in" / "zz_copy.txt").write_text(text.replace("Wednesday", "Thursday", 1), encoding="utf-8")
    docs = {d.source: d for d in clean_corpus(tmp_path / "in", workers=1)}
    assert len(docs) == 6
    assert docs["zz_copy.txt"].flags["near_duplicate_of"] == docs["003_d18bdafb2cebad04.txt"].id
    assert "near_duplicate_of" not in docs["003_d18bdafb2cebad04.txt"].flags


def test_lines_repeated_across_documents_are_boilerplate(tmp_path):
    body = ["The Taliban took Kabul on Sunday after a lightning advance across the country, officials said.",
            "Washington said it would judge the group by its actions, not its words, in the months ahead.",
            "Aid agencies warned of a humanitarian crisis as winter approaches and the economy falters."]
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"{body[i]}\nFollow us on Telegram for updates\n{body[(i + 1) % 3]}\n", encoding="utf-8")
    docs = list(clean_corpus(tmp_path, workers=1))
    assert all("Telegram" not in d.text for d in docs)
    assert all(d.meta["boilerplate"] == ["Follow us on Telegram for updates"] for d in docs)
    kept = list(clean_corpus(tmp_path, CleanConfig(repeated_lines=False), workers=1))
    assert all("Telegram" in d.text for d in kept)


def test_every_repair_has_a_switch_of_the_same_name():
    config = CleanConfig()
    for name in ALL_REPAIRS:
        assert getattr(config, name) is True
        assert getattr(config.without([name]), name) is False
    assert config.enabled() == list(REPAIRS)


def test_a_switched_off_repair_makes_no_edits():
    docs = list(clean_corpus(SEEDS, CleanConfig().without(["glued_words"]), workers=1))
    assert not any(e.step == "glued_words" for d in docs for e in d.edits)
    assert "Afghanistanof" in "".join(d.text for d in docs)


def test_unknown_repair_and_bad_config_say_what_is_known(tmp_path):
    with pytest.raises(CorpusError, match="unknown repair: glue") as err:
        CleanConfig().without(["glue"])
    assert "glued_words" in err.value.hint
    bad = tmp_path / "c.toml"
    bad.write_text("[repairs]\nglued = false\n")
    with pytest.raises(CorpusError, match="unknown setting glued"):
        load_config(bad)
    bad.write_text("[repairs]\nquotes = false\n[corpus]\nrepeated_min_docs = 5\n")
    assert load_config(bad) == CleanConfig(quotes=False, repeated_min_docs=5)


def test_rejections_keep_their_source(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02")
    [item] = clean_corpus(tmp_path, workers=1)
    assert item == Rejection("a.txt", "binary file (NUL bytes): not text")


def test_parquet_parts_hold_the_same_documents(tmp_path, monkeypatch):
    import pandas as pd

    from cleaning import writers

    monkeypatch.setattr(writers, "PART_ROWS", 2)
    write_outputs(clean_corpus(SEEDS, workers=1), tmp_path, parquet=True)
    parts = sorted((tmp_path / "documents.parquet").glob("part-*.parquet"))
    assert [p.name for p in parts] == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    table = pd.read_parquet(tmp_path / "documents.parquet")
    rows = [json.loads(line) for line in (tmp_path / "documents.jsonl").open()]
    assert list(table["id"]) == [r["id"] for r in rows]
    assert [json.loads(e) for e in table["edits"]] == [r["edits"] for r in rows]
    assert list(table["text"]) == [r["text"] for r in rows]

"""The `corpus agreement` and `corpus export` commands as a user runs them."""

import json
import os
import subprocess
import sys

from tests.exports.factories import annotation, document, full_answer, task


def corpus(*args: str, cwd=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "COLUMNS": "160", "NO_COLOR": "1", "PYTHONPATH": os.getcwd()}
    return subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env, cwd=cwd)


def write_inputs(folder):
    docs = [document("d1"), document("d2")]
    tasks = [
        task(1, docs[0], [annotation(1, "a@x", full_answer()), annotation(2, "b@x", full_answer())]),
        task(
            2,
            docs[1],
            [
                annotation(3, "a@x", full_answer(stance_value="FAVOR")),
                annotation(4, "b@x", full_answer(stance_value="NONE")),
            ],
        ),
    ]
    snapshots = folder / "corpus" / "annotations"
    snapshots.mkdir(parents=True)
    (snapshots / "snapshot-20250101T000000000000Z.json").write_text(json.dumps(tasks))
    (folder / "corpus" / "clean").mkdir()
    (folder / "corpus" / "clean" / "documents.jsonl").write_text("".join(json.dumps(d.to_dict()) + "\n" for d in docs))


def test_export_and_agreement_use_the_newest_snapshot_by_default(tmp_path):
    write_inputs(tmp_path)
    result = corpus("export", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 gold documents of 2 tasks" in result.stdout
    assert "items: 11 agreed, 0 single, 0 adjudicated, 1 open" in result.stdout
    assert "1 open items in 1 documents" in result.stdout
    folder = tmp_path / "corpus" / "gold" / "snapshot-20250101T000000000000Z"
    assert (folder / "gold.jsonl").exists() and (folder / "README.md").exists()

    again = corpus("export", cwd=tmp_path)
    assert again.returncode == 1 and "export already exists" in again.stderr and "Traceback" not in again.stderr
    assert corpus("export", "--force", "--include-unresolved", cwd=tmp_path).returncode == 0
    assert len((folder / "gold.jsonl").read_text().splitlines()) == 2

    agreement = corpus("agreement", cwd=tmp_path)
    assert agreement.returncode == 0, agreement.stderr
    assert "stance kappa" in agreement.stdout and "a@x / b@x" in agreement.stdout
    assert "spans unitizing alpha" in agreement.stdout and "95% interval" in agreement.stdout
    assert "rest on fewer than 50 items" in agreement.stdout
    folder = tmp_path / "corpus" / "agreement" / "snapshot-20250101T000000000000Z"
    assert (folder / "agreement.png").exists()
    diagnosis = [json.loads(line) for line in (folder / "agreement_documents.jsonl").read_text().splitlines()]
    assert [(d["doc_id"], d["on"]) for d in diagnosis] == [("d2", {"stance": 1}), ("d1", {})]


def test_documents_can_be_given_once_per_corpus_folder(tmp_path):
    write_inputs(tmp_path)
    clean = tmp_path / "corpus" / "clean" / "documents.jsonl"
    lines = clean.read_text().splitlines(keepends=True)
    clean.write_text(lines[0])
    (tmp_path / "second.jsonl").write_text(lines[1])
    only_first = corpus("export", "--documents", str(clean), cwd=tmp_path)
    assert only_first.returncode == 1 and "1 annotated document(s) are not in the cleaned documents" in only_first.stderr
    both = corpus("export", "--documents", str(clean), "--documents", "second.jsonl", cwd=tmp_path)
    assert both.returncode == 0, both.stderr
    export = json.loads((tmp_path / "corpus/gold/snapshot-20250101T000000000000Z/export.json").read_text())
    assert export["provenance"]["documents"] == [str(clean), "second.jsonl"]


def test_user_mistakes_get_a_message_not_a_traceback(tmp_path):
    missing = corpus("export", cwd=tmp_path)
    assert missing.returncode == 1 and "no snapshot in corpus/annotations" in missing.stderr
    assert "corpus pull" in missing.stderr and "Traceback" not in missing.stderr
    write_inputs(tmp_path)
    bad_split = corpus("export", "--split", "0.5,0.5", cwd=tmp_path)
    assert bad_split.returncode == 1 and "bad split ratios" in bad_split.stderr
    no_docs = corpus("export", "--documents", "nope.jsonl", cwd=tmp_path)
    assert no_docs.returncode == 1 and "documents not found: nope.jsonl" in no_docs.stderr


def test_help_explains_the_commands():
    for command in ("export", "agreement"):
        result = corpus(command, "--help")
        assert result.returncode == 0 and "Example" in result.stdout

"""The Dask engine on a real LocalCluster: same output as the local engine, and no loss when a worker dies."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from distributed import Client, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

from cleaning.config import CleanConfig
from cleaning.dask_engine import (
    clean_corpus_dask,
    dask_client,
    number_blocks,
    plan_partitions,
    read_partition,
    survey_partition,
)
from cleaning.document import Document
from cleaning.errors import CorpusError
from cleaning.pipeline import clean_corpus
from cleaning.readers import iter_inputs
from cleaning.writers import write_outputs

ROOT = Path(__file__).parents[2]
SEEDS = ROOT / "corpus" / "raw"
DEV = ROOT / "bench" / "aeb-dev" / "raw"
OUTPUTS = ("documents.jsonl", "rejected.jsonl", "report.md")
TELEGRAM = "Follow us on Telegram for updates"
BODY = ["The Taliban took Kabul on Sunday after a lightning advance across the country, officials said.",
        "Washington said it would judge the group by its actions, not its words, in the months ahead.",
        "Aid agencies warned of a humanitarian crisis as winter approaches and the economy falters."]


@pytest.fixture(scope="module")
def client():
    with dask_client(workers=2, dashboard=False) as client:
        yield client


def both_engines(root: Path, client: Client, tmp_path: Path, partitions: int | None = None) -> dict:
    """Write the outputs of both engines on `root`; return each output file's (local, dask) text."""
    write_outputs(clean_corpus(root, workers=1), tmp_path / "local")
    write_outputs(clean_corpus_dask(root, client, partitions=partitions), tmp_path / "dask")
    return {name: tuple((tmp_path / e / name).read_text() for e in ("local", "dask")) for name in OUTPUTS}


def mixed_corpus(folder: Path) -> Path:
    """Write a corpus of every input kind: text files, a JSON Lines file with bad lines, a CSV, odd files."""
    folder.mkdir()
    pages = [p.read_text(encoding="utf-8") for p in sorted(DEV.glob("*.txt"))[:12]]
    for i in range(3):  # a line repeated across documents that land in different partitions
        (folder / f"a{i}.txt").write_text(f"{BODY[i]}\n{TELEGRAM}\n{BODY[(i + 1) % 3]}\n")
    with (folder / "b.jsonl").open("w", encoding="utf-8") as f:
        for i, text in enumerate(pages):
            f.write("\n" if i == 3 else "{oops\n" if i == 7 else "")
            f.write(json.dumps({"text": text, **({"id": f"row{i}"} if i % 2 else {})}) + "\n")
        f.write(json.dumps({"text": pages[1].replace("the", "The", 1)}) + "\n")  # a near-duplicate, last
    (folder / "c.csv").write_text("title,text\nKabul,\"" + BODY[0] + "\"\n,\n", encoding="utf-8")
    (folder / "d.doc").write_bytes(b"not text")
    (folder / ".hidden").write_bytes(b"skipped")
    return folder


def test_partitions_read_every_input_once_in_order(tmp_path):
    root = mixed_corpus(tmp_path / "in")
    whole = list(iter_inputs(root))
    for partitions in (1, 2, 5, 40):
        plan = plan_partitions(root, partitions)
        assert 1 <= len(plan) <= partitions
        blocks = [p for part in plan for p in part if p.end is not None]
        assert bool(blocks) == (partitions >= 5), partitions
        tallies = [survey_partition(part) for part in plan]  # pass one, without a cluster
        numbered = number_blocks(plan, [t.block_lines for t in tallies])
        assert [r for part in numbered for r in read_partition(part)] == whole, partitions
        assert sum(t.records for t in tallies) == len(whole)
    assert [p.source for p in plan[0][:2]] == [".hidden", "a0.txt"] and plan[-1][-1].source == "d.doc"


def test_seed_corpus_gives_the_same_outputs_on_both_engines(client, tmp_path):
    outputs = both_engines(SEEDS, client, tmp_path, partitions=3)
    for name, (local, dask) in outputs.items():
        assert local == dask, name
    assert outputs["documents.jsonl"][0].count("\n") == 5


def test_dev_benchmark_gives_the_same_outputs_on_both_engines(client, tmp_path):
    outputs = both_engines(DEV, client, tmp_path)
    for name, (local, dask) in outputs.items():
        assert local == dask, name
    assert outputs["documents.jsonl"][0].count("\n") + outputs["rejected.jsonl"][0].count("\n") == 62


def test_corpus_repairs_see_across_partitions_and_blocks(client, tmp_path):
    root = mixed_corpus(tmp_path / "in")
    local = list(clean_corpus(root, workers=1))
    dask = list(clean_corpus_dask(root, client, partitions=8))
    assert dask == local
    assert sum(p.end is not None for part in plan_partitions(root, 8) for p in part) >= 2
    docs = {d.source: d for d in dask if isinstance(d, Document)}
    rejected = {r.source: r.reason for r in dask if not isinstance(r, Document)}
    assert all(docs[f"a{i}.txt"].meta["boilerplate"] == [TELEGRAM] for i in range(3))
    assert docs["b.jsonl#15"].flags["near_duplicate_of"] == docs["b.jsonl#2"].id == "row1"
    assert rejected["b.jsonl#9"].startswith("malformed JSON on line 9")
    assert rejected["d.doc"].startswith("unsupported file type .doc")
    assert docs["c.csv#1"].title == "Kabul"


class DieOnce(WorkerPlugin):
    """Kill the worker process the first time any worker starts cleaning a partition."""

    def __init__(self, marker: str):
        self.marker = marker

    def transition(self, key, start, finish, **kwargs):
        if finish == "executing" and str(key).startswith("clean-"):
            try:
                os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL))
            except FileExistsError:
                return  # only once: the restarted worker gets this plugin too
            os._exit(1)


def test_a_worker_dying_mid_run_loses_and_doubles_nothing(tmp_path):
    marker = tmp_path / "died"
    expected = [d.to_dict() for d in clean_corpus(SEEDS, workers=1)]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=40) as cluster, Client(cluster) as client:
        client.register_plugin(DieOnce(str(marker)))
        got = [d.to_dict() for d in clean_corpus_dask(SEEDS, client, partitions=5)]
    assert marker.exists(), "no worker died: the test tested nothing"
    assert got == expected


def test_an_unreachable_scheduler_says_what_to_do():
    with pytest.raises(CorpusError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9") as err:
        with dask_client("tcp://127.0.0.1:9", timeout="1s"):
            pass
    assert "dask scheduler" in err.value.hint


def test_cli_runs_on_a_given_scheduler(client, tmp_path):
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    run = subprocess.run([sys.executable, "-m", "cli", "clean", str(SEEDS), "--out", str(tmp_path / "dask"),
                          "--engine", "dask", "--scheduler", client.scheduler.address, "--partitions", "2",
                          "--format", "parquet"],
                         capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert "5 kept" in run.stdout and client.scheduler.address in run.stdout
    write_outputs(clean_corpus(SEEDS, workers=1), tmp_path / "local")
    for name in OUTPUTS:
        assert (tmp_path / "dask" / name).read_text() == (tmp_path / "local" / name).read_text(), name
    parquet = pd.read_parquet(tmp_path / "dask" / "documents.parquet")
    assert list(parquet["id"]) == [json.loads(line)["id"] for line in (tmp_path / "local" / "documents.jsonl").open()]

    wrong = subprocess.run([sys.executable, "-m", "cli", "clean", str(SEEDS), "--out", str(tmp_path / "x"),
                            "--scheduler", client.scheduler.address], capture_output=True, text=True, env=env)
    assert wrong.returncode == 1 and "--scheduler needs --engine dask" in wrong.stderr
    assert "hint: add --engine dask" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    shutil.rmtree(tmp_path / "x", ignore_errors=True)


def test_a_text_past_the_limit_is_cut_into_the_same_parts_on_both_engines(client, tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "big.txt").write_text("\n\n".join(f"{BODY[n % 3]} File {n}." for n in range(150)) + "\n")
    config = CleanConfig(max_document_bytes=2_000)
    local = list(clean_corpus(root, config, workers=1))
    dask = list(clean_corpus_dask(root, client, config, partitions=4))
    assert dask == local and len(local) >= 6
    assert [d.source for d in dask] == [f"big.txt#part{n}" for n in range(1, len(dask) + 1)]
    plan = plan_partitions(root, 4, config.max_document_bytes)
    assert len(plan) >= 3 and all(p.part for part in plan for p in part)  # the parts spread over the cluster

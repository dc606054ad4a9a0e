"""Throughput and memory of the cleaner against ftfy alone (`make bench`).

Builds a synthetic corpus of SIZE_MB from the dev benchmark's pages (each
document a fresh mix of real paragraphs, menus and footers, so documents are
distinct; in each paragraph UNIQUE_SWAPS pairs of lowercase words swapped, so
no two documents share one, as copies of a story would), then in separate
processes measures: `ftfy.fix_text` alone on the same texts on one core; the
whole cleaner (both passes, every repair, writing its outputs) with 1 and 2 workers; the same on the Dask engine with a
LocalCluster of 2 workers (cluster start-up not counted); and each run's peak
memory. Last, the time and peak memory of one single .txt file of each
SINGLE_MB (the same pages run together), which the cleaner cuts into
documents at paragraph breaks past `max_document_bytes`, each part a piece
of its own: the peak should stay flat as the file grows.

    python bench/speed.py [--size-mb 100] [--repeat 2] [--single-mb 50 200]

The ftfy and local-engine runs are repeated (interleaved) and the fastest of
each is reported, with every round's time printed.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cleaning.patterns import REPEATED_LINE_MAX  # a longer line may be a story key (`patterns.story_keys`)

HERE = Path(__file__).parent
BIG = HERE / "big"
UNIQUE_SWAPS = 3


def build_corpus(size_mb: float, path: Path | None = None) -> Path:
    """Write (once) a JSONL corpus of about `size_mb` MB mixed from the dev pages (to `path`, or in bench/big)."""
    path = path or BIG / f"corpus-{size_mb}mb.jsonl"
    if path.exists():
        return path
    rng = random.Random(7)
    pages = [p.read_text(encoding="utf-8").split("\n") for p in sorted((HERE / "aeb-dev" / "raw").glob("*.txt"))]
    long_lines = [line for page in pages for line in page if len(line) > 150]
    path.parent.mkdir(exist_ok=True)
    target, written, n = size_mb * 1_000_000, 0, 0
    with path.open("w", encoding="utf-8") as f:
        while written < target:
            page = rng.choice(pages)
            head, tail = ([_made_unique(line, rng) if len(line) > REPEATED_LINE_MAX else line for line in part]
                          for part in (page[: len(page) // 4], page[-len(page) // 4:]))
            body = [_made_unique(line, rng) for line in rng.sample(long_lines, rng.randint(6, 14))]
            text = "\n".join(head + body + tail)
            line = json.dumps({"id": f"doc{n}", "text": text}, ensure_ascii=False) + "\n"
            written += len(line.encode("utf-8"))
            f.write(line)
            n += 1
    return path


def _made_unique(paragraph: str, rng: random.Random) -> str:
    """Return a real paragraph with UNIQUE_SWAPS pairs of lowercase words inside it swapped: its own line.

    Documents that share most of their paragraphs are copies of one story
    (the cleaner then counts no repeated lines in them); a real feed holds
    few, so the corpus's documents share no paragraph, only menus and
    footers. Only two lowercase words inside the line trade places, so its
    sentences, capitals and ends stay as they were.
    """
    words = paragraph.split(" ")
    inner = [i for i in range(1, len(words) - 2) if words[i].isalpha() and words[i + 1].isalpha()
             and words[i].islower() and words[i + 1].islower()]
    for i in rng.sample(inner, min(UNIQUE_SWAPS, len(inner))):
        words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def build_single_text(size_mb: int) -> Path:
    """Write (once) one .txt file of about `size_mb` MB: the texts of the JSONL corpus run together."""
    path = BIG / f"single-{size_mb}mb" / "all.txt"
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    written, target = 0, size_mb * 1_000_000
    with path.open("w", encoding="utf-8") as f:
        for text in texts(build_corpus(max(size_mb, 1))):
            if written >= target:
                break
            f.write(text + "\n\n")
            written += len(text.encode("utf-8")) + 2
    return path


def run_single(path: Path, workers: int) -> dict:
    from cleaning.pipeline import clean_corpus
    from cleaning.writers import write_outputs

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        summary = write_outputs(clean_corpus(path.parent, workers=workers), Path(out))
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "mb": path.stat().st_size / 1e6, "docs": summary.kept, "rejected": summary.rejected}


def texts(path: Path):
    with path.open(encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)["text"]


def run_ftfy(path: Path) -> dict:
    import ftfy

    config = ftfy.TextFixerConfig(uncurl_quotes=False)
    data = list(texts(path))
    size = sum(len(t.encode("utf-8")) for t in data)
    started = time.perf_counter()
    for t in data:
        ftfy.fix_text(t, config)
    return {"seconds": time.perf_counter() - started, "mb": size / 1e6}


def run_cleaner(path: Path, workers: int) -> dict:
    from cleaning.pipeline import clean_corpus
    from cleaning.writers import write_outputs

    size = sum(len(t.encode("utf-8")) for t in texts(path))
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        summary = write_outputs(clean_corpus(path, workers=workers), Path(out))
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "mb": size / 1e6, "docs": summary.kept, "rejected": summary.rejected}


def run_dask(path: Path, workers: int) -> dict:
    from cleaning.dask_engine import clean_corpus_dask, dask_client
    from cleaning.writers import write_outputs

    size = sum(len(t.encode("utf-8")) for t in texts(path))
    with dask_client(workers=workers, dashboard=False) as client, tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        summary = write_outputs(clean_corpus_dask(path, client), Path(out))
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "mb": size / 1e6, "docs": summary.kept, "rejected": summary.rejected}


def measure(kind: str, path: Path, workers: int = 1) -> dict:
    """Run one measurement in a fresh process; add its peak memory.

    `peak_mb` is the largest sum, over the process and all its children, of
    their proportional set size (PSS: a page shared by n processes counts 1/n),
    sampled every 0.5 s: what the run really costs the machine, where adding
    up each process's RSS would count the pages forked workers share again.
    """
    import psutil

    code = (f"import json,sys; sys.path.insert(0,{str(HERE)!r}); import speed; "
            f"r=speed.run_{kind}(speed.Path({str(path)!r}){', ' + str(workers) if kind != 'ftfy' else ''}); "
            "print(json.dumps(r))")
    with subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True) as proc:
        root, peak = psutil.Process(proc.pid), 0
        while proc.poll() is None:
            peak = max(peak, _tree_pss(root))
            time.sleep(0.5)
        out = proc.stdout.read()
    if proc.returncode:
        raise SystemExit(f"the {kind} run failed (exit {proc.returncode})")
    return json.loads(out.strip().splitlines()[-1]) | {"peak_mb": peak / 1e6}


def _tree_pss(root) -> int:
    """Sum the proportional set size of a process and its descendants, in bytes.

    Reads /proc/PID/smaps_rollup (one line to parse, cheap enough not to slow
    the run it measures); a process that is gone counts 0.
    """
    import psutil

    try:
        pids = [root.pid, *(p.pid for p in root.children(recursive=True))]
    except psutil.Error:
        return 0
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
        except (OSError, StopIteration):
            pass
    return total


def fastest(rounds: list[dict], key) -> dict:
    """Return the fastest of the rounds' runs of `key`, with the largest peak memory of them all.

    Taking the fastest run is how timeit reports: what else the machine was
    doing only ever adds time.
    """
    best = min((r[key] for r in rounds), key=lambda run: run["seconds"])
    return best | {"peak_mb": max(r[key]["peak_mb"] for r in rounds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size-mb", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=2,
                        help="rounds of the ftfy and local-engine runs; the fastest of each is shown")
    parser.add_argument("--single-mb", type=int, nargs="*", default=[50, 200],
                        help="sizes of the one-file runs (none: skip them)")
    parser.add_argument("--only-single", action="store_true", help="run only the one-file measurement")
    args = parser.parse_args()
    if args.only_single:
        report_single(args.single_mb)
        return
    path = build_corpus(args.size_mb)
    print(f"corpus: {path} ({path.stat().st_size / 1e6:.0f} MB on disk)")
    rounds = [{"ftfy": measure("ftfy", path), 1: measure("cleaner", path, 1), 2: measure("cleaner", path, 2)}
              for _ in range(max(1, args.repeat))]
    for k in rounds[0]:
        print(f"{k if k == 'ftfy' else f'{k} worker(s)'}: " + ", ".join(f"{r[k]['seconds']:.1f} s" for r in rounds))
    ftfy_run, runs = fastest(rounds, "ftfy"), {w: fastest(rounds, w) for w in (1, 2)}
    dask_run = measure("dask", path, 2)
    base = ftfy_run["mb"] / ftfy_run["seconds"]
    print(f"\n{'run':34}{'MB/s':>8}{'x ftfy/core':>13}{'peak MB':>10}")
    print(f"{'ftfy.fix_text alone, 1 core':34}{base:8.2f}{1.0:13.2f}{ftfy_run['peak_mb']:10.0f}")
    for w, r in runs.items():
        rate = r["mb"] / r["seconds"]
        print(f"{f'cleaner, all repairs, {w} worker(s)':34}{rate:8.2f}{rate / w / base:13.2f}{r['peak_mb']:10.0f}")
    rate = dask_run["mb"] / dask_run["seconds"]
    print(f"{'cleaner, Dask engine, 2 workers':34}{rate:8.2f}{rate / 2 / base:13.2f}{dask_run['peak_mb']:10.0f}")
    speedup = runs[1]["seconds"] / runs[2]["seconds"]
    print(f"\nspeed-up with 2 workers: {speedup:.2f}x; "
          f"documents: {runs[2]['docs']} kept, {runs[2]['rejected']} rejected")
    print(f"Dask engine against local engine, 2 workers each: {runs[2]['seconds'] / dask_run['seconds']:.2f}x; "
          f"documents: {dask_run['docs']} kept, {dask_run['rejected']} rejected")
    print("peak MB: the largest total PSS of the run's processes (shared pages counted once).")
    report_single(args.single_mb)


def report_single(sizes_mb: list[int]) -> None:
    """Measure and print the time and peak memory of cleaning one .txt file of each size with 2 workers."""
    if sizes_mb:
        print()
    for size_mb in sizes_mb:
        path = build_single_text(size_mb)
        run = measure("single", path, 2)
        print(f"one {run['mb']:.0f} MB .txt file, 2 workers: {run['seconds']:.1f} s, peak {run['peak_mb']:.0f} MB; "
              f"documents: {run['docs']} kept (its parts), {run['rejected']} rejected")


if __name__ == "__main__":
    main()

"""Shared fixtures: a real Label Studio server that the test suite starts itself.

The first start of a data dir runs about 50 s of migrations, so the suite
migrates once into a template (kept in pytest's cache dir, keyed by the
Label Studio version, so later sessions skip even that) and every server
starts on a copy of it in about 4 s. Servers are stopped by their pid. A
server that cannot start makes the tests that need it fail, never skip.

Fixtures:
    label_studio          session: one shared server (a `LabelStudio`); use your own project names
    ls_client             an `annotation.client.Client` logged in to it as the admin
    start_label_studio    factory: a private server (for tests that stop or break it), stopped at teardown
    trained               session: a model `corpus train` made from synthetic gold (`TrainedModel`)
"""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pytest

from annotation import server
from annotation.client import TOKEN_KEY, Client, read_env_file


@dataclass
class LabelStudio:
    """A test server: where it listens, its admin token, its data dir and .env."""

    url: str
    port: int
    pid: int
    token: str
    data_dir: Path
    env_file: Path

    def client(self, timeout: float = 60.0) -> Client:
        """Return a client logged in as the admin."""
        return Client(self.url, self.token, timeout)

    def stop(self) -> None:
        """Stop the server by its pid (and make sure the process is gone)."""
        server.stop(self.data_dir)
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def restart(self) -> None:
        """Start the server again on the same data dir and port (after `stop`)."""
        started = server.start(self.port, self.data_dir, self.env_file)
        self.pid = started.pid


def _build_template(template: Path, scratch: Path) -> None:
    """Migrate a fresh data dir once (with a generated admin login), then keep it as the template."""
    data_dir, env_file = scratch / "data", scratch / ".env"
    server.start(server.free_port(), data_dir, env_file, wait_seconds=server.FIRST_START_SECONDS)
    server.stop(data_dir)
    if template.exists():
        shutil.rmtree(template)
    server.copy_data_dir(data_dir, template / "data")
    shutil.copy2(env_file, template / ".env")
    (template / "READY").write_text(json.dumps({"label-studio": version("label-studio")}))


@pytest.fixture(scope="session")
def label_studio_template(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated data dir and its .env, built once (cached across sessions in .pytest_cache)."""
    name = f"labelstudio-template-{version('label-studio')}"
    cache = getattr(request.config, "cache", None)
    template = Path(cache.mkdir(name)) if cache is not None else tmp_path_factory.mktemp(name)
    if not (template / "READY").exists():
        _build_template(template, tmp_path_factory.mktemp("template-build"))
    return template


def _launch(template: Path, where: Path) -> LabelStudio:
    data_dir, env_file = where / "data", where / ".env"
    server.copy_data_dir(template / "data", data_dir)
    shutil.copy2(template / ".env", env_file)
    port = server.free_port()
    started = server.start(port, data_dir, env_file)
    return LabelStudio(started.url, port, started.pid, read_env_file(env_file)[TOKEN_KEY], data_dir, env_file)


@pytest.fixture(scope="session")
def label_studio(label_studio_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabelStudio]:
    """One real server for the whole session; tests keep apart by using their own project names."""
    instance = _launch(label_studio_template, tmp_path_factory.mktemp("labelstudio"))
    yield instance
    instance.stop()


@pytest.fixture
def ls_client(label_studio: LabelStudio) -> Client:
    """A client logged in to the shared server as the admin."""
    return label_studio.client()


@pytest.fixture
def start_label_studio(label_studio_template: Path, tmp_path_factory: pytest.TempPathFactory
                       ) -> Iterator[Callable[[], LabelStudio]]:
    """Factory for private servers (tests that stop, restart or break one); all stopped at teardown."""
    started: list[LabelStudio] = []

    def start() -> LabelStudio:
        started.append(_launch(label_studio_template, tmp_path_factory.mktemp("labelstudio-private")))
        return started[-1]

    yield start
    for instance in started:
        instance.stop()


@dataclass
class TrainedModel:
    """Synthetic articles, the gold export made from them, and the model trained on its train split."""

    articles: list
    clean_dir: Path
    export_dir: Path
    model_dir: Path
    report: object  # exports.train.TrainReport


SYNTHETIC_ARTICLES = 72  # 36 train, 18 dev, 18 test at 0.5/0.25/0.25
TRAIN_EPOCHS = 30


@pytest.fixture(scope="session")
def trained(tmp_path_factory: pytest.TempPathFactory) -> TrainedModel:
    """Export synthetic gold as `corpus export` does (0.5/0.25/0.25 splits), then train on it (about 40 s)."""
    from exports.pipeline import export_gold
    from exports.train import train
    from tests.exports.synthetic import corpus_records, snapshot

    where = tmp_path_factory.mktemp("trained")
    articles = corpus_records(SYNTHETIC_ARTICLES, seed=7)
    clean_dir = where / "clean"
    clean_dir.mkdir()
    (clean_dir / "documents.jsonl").write_text(
        "".join(json.dumps(a.doc.to_dict(), ensure_ascii=False) + "\n" for a in articles), encoding="utf-8")
    (where / "snapshot.json").write_text(json.dumps(snapshot(articles)), encoding="utf-8")
    export_gold(where / "snapshot.json", clean_dir / "documents.jsonl", where / "gold", ratios=(0.5, 0.25, 0.25))
    report = train(where / "gold", where / "model", max_epochs=TRAIN_EPOCHS)
    return TrainedModel(articles, clean_dir, where / "gold", where / "model", report)

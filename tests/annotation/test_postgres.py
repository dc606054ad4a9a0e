"""`corpus serve --database-url`: Label Studio on a real PostgreSQL server that the test starts itself.

PostgreSQL comes from the system (Debian's `postgresql` package; `.ci/run`
installs it). The test runs its own cluster in a temporary dir on a free
port, never the system service, and stops it at teardown. PostgreSQL refuses
to run as root, so under root the cluster runs as the `postgres` system user.
PostgreSQL missing or not starting fails the test; it never skips.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from typer.testing import CliRunner

from annotation import server
from annotation.client import TOKEN_KEY, Client, read_env_file
from cleaning.errors import CorpusError
from cli import app

SUPERUSER = "pgadmin"
START_SECONDS = 60


@dataclass(frozen=True)
class Postgres:
    """A running PostgreSQL cluster with one database owned by a user who logs in with a password."""

    host: str
    port: int
    database: str
    user: str
    password: str

    @property
    def url(self) -> str:
        return f"postgresql://{quote(self.user, safe='')}:{quote(self.password, safe='')}@{self.host}:{self.port}/{self.database}"

    def query(self, sql: str) -> list[tuple]:
        """Run `sql` as the database's owner, over TCP with the password, as Label Studio does."""
        with psycopg.connect(host=self.host, port=self.port, dbname=self.database, user=self.user,
                             password=self.password, connect_timeout=10) as connection:
            return connection.execute(sql).fetchall()


def postgres_bindir() -> Path:
    """Return the dir holding initdb and pg_ctl: `pg_config --bindir`, else the newest /usr/lib/postgresql/*/bin."""
    candidates = []
    if shutil.which("pg_config"):
        done = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(done.stdout.strip()))
    by_version = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                        key=lambda p: [int(n) for n in re.findall(r"\d+", p)], reverse=True)
    candidates += [Path(p) for p in by_version]
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    pytest.fail("PostgreSQL is not installed (no initdb/pg_ctl from `pg_config --bindir` or in "
                "/usr/lib/postgresql/*/bin): apt-get install -y postgresql", pytrace=False)


def as_unprivileged(command: list[str]) -> list[str]:
    """Prefix `command` to run as the `postgres` user when we are root (PostgreSQL refuses root)."""
    if os.geteuid() != 0:
        return command
    if not shutil.which("runuser"):
        pytest.fail("running as root and `runuser` is missing: PostgreSQL cannot run as root", pytrace=False)
    return ["runuser", "-u", "postgres", "--", *command]


def run_checked(command: list[str], what: str, timeout: float = 120) -> str:
    """Run a PostgreSQL tool; fail the test with its output if it fails."""
    done = subprocess.run(as_unprivileged(command), capture_output=True, text=True, timeout=timeout, check=False,
                          stdin=subprocess.DEVNULL, cwd="/")
    if done.returncode != 0:
        pytest.fail(f"could not {what} (exit {done.returncode}):\n{done.stdout}\n{done.stderr}", pytrace=False)
    return done.stdout


@pytest.fixture
def postgres() -> Iterator[Postgres]:
    """A private PostgreSQL cluster on a free port of 127.0.0.1, with database `labels` owned by `labeller`."""
    bindir = postgres_bindir()
    # not tmp_path: pytest's dirs are root-only (0700), and the cluster's owner must reach its own dir
    root = Path(tempfile.mkdtemp(prefix="corpus-pg-"))
    if os.geteuid() == 0:
        try:
            shutil.chown(root, "postgres", "postgres")
        except LookupError:
            pytest.fail("running as root and there is no `postgres` user to run PostgreSQL as", pytrace=False)
    data, sockets, log = root / "data", root / "sockets", root / "postgres.log"
    port = server.free_port()
    pg_ctl = [str(bindir / "pg_ctl"), "-D", str(data)]
    try:
        run_checked([str(bindir / "initdb"), "-D", str(data), "-U", SUPERUSER, "-E", "UTF8", "--no-sync",
                     "--auth-local=trust", "--auth-host=scram-sha-256"], "initialise a PostgreSQL cluster")
        run_checked(["mkdir", "-m", "700", str(sockets)], "make the socket dir")
        started = subprocess.run(
            as_unprivileged([*pg_ctl, "-l", str(log), "-w", "-t", str(START_SECONDS), "-o",
                             f"-p {port} -k {sockets} -c listen_addresses={server.HOST} -c fsync=off", "start"]),
            capture_output=True, text=True, timeout=START_SECONDS + 30, check=False, stdin=subprocess.DEVNULL, cwd="/")
        if started.returncode != 0:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
            pytest.fail(f"PostgreSQL did not start on port {port} (exit {started.returncode}):\n"
                        f"{started.stdout}{started.stderr}\n{tail}", pytrace=False)
        # characters a URL must escape, so the test also checks that the URL is decoded before use
        db = Postgres(server.HOST, port, "labels", "labeller", f"pw-{os.urandom(8).hex()}@:/ %")
        psql = [str(bindir / "psql"), "-h", str(sockets), "-p", str(port), "-U", SUPERUSER, "-d", "postgres",
                "-v", "ON_ERROR_STOP=1", "-q"]
        literal = db.password.replace("'", "''")
        run_checked([*psql, "-c", f"create role {db.user} login password '{literal}'"], "create the database user")
        run_checked([*psql, "-c", f"create database {db.database} owner {db.user}"], "create the database")
        yield db
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(as_unprivileged([*pg_ctl, "-m", "fast", "-w", "stop"]), capture_output=True,
                           timeout=60, check=False, stdin=subprocess.DEVNULL, cwd="/")
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.integration
def test_serve_push_status_on_postgres_keep_everything_in_postgres(postgres, tmp_path, seed_dir):
    data_dir, env_file = tmp_path / "ls", tmp_path / ".env"
    port, where = server.free_port(), ["--data-dir", str(data_dir), "--env-file", str(env_file)]
    run = CliRunner().invoke
    began = time.monotonic()
    try:
        served = run(app, ["serve", "--port", str(port), "--database-url", postgres.url, *where])
        log = (data_dir / server.LOG_FILE).read_text(errors="replace") if (data_dir / server.LOG_FILE).exists() else ""
        assert served.exit_code == 0, f"{served.output}\n{log[-3000:]}"
        assert f"http://127.0.0.1:{port}" in served.output
        print(f"first start on a fresh PostgreSQL (migrations): {time.monotonic() - began:.0f} s")

        pushed = run(app, ["push", str(seed_dir), "--project", "on postgres", "--env-file", str(env_file)])
        assert pushed.exit_code == 0, pushed.output
        assert "5 created" in pushed.output
        state = run(app, ["status", "--project", "on postgres", *where])
        said = " ".join(state.output.split())  # rich wraps lines at the terminal width
        assert state.exit_code == 0 and "5 tasks" in said and "5 predictions" in said

        # `label-studio init` must reach the same database, not a new SQLite one beside the server
        refused = run(app, ["annotators", "add", "ann@example.org", "--password", "a-long-password-1", *where])
        assert isinstance(refused.exception, CorpusError), refused.output
        assert f"no SQLite database in {data_dir}" in refused.exception.message
        assert "--database-url" in refused.exception.hint and not list(data_dir.glob("*.sqlite3"))
        added = run(app, ["annotators", "add", "ann@example.org", "--password", "a-long-password-1",
                          "--database-url", postgres.url, *where])
        assert added.exit_code == 0, added.output
        assert "ann@example.org" in [u["email"] for u in Client.from_env(env_file).users()]

        # Label Studio's own tables, in PostgreSQL, hold what the API said
        tables = {name for (name,) in postgres.query(
            "select table_name from information_schema.tables where table_schema = 'public'")}
        assert {"task", "project", "prediction", "django_migrations"} <= tables
        assert postgres.query("select count(*) from task t join project p on p.id = t.project_id "
                              "where p.title = 'on postgres'") == [(5,)]
        assert postgres.query("select count(*) from prediction") == [(5,)]
        admin = read_env_file(env_file)["LABEL_STUDIO_USERNAME"]
        assert postgres.query(f"select count(*) from htx_user where email in ('{admin}', 'ann@example.org')") == [(2,)]
        assert list(data_dir.glob("*.sqlite3")) == [], "Label Studio made a SQLite database despite --database-url"

        log = (data_dir / server.LOG_FILE).read_text(errors="replace")
        secrets = read_env_file(env_file)
        for output in (served.output, pushed.output, state.output, added.output, log):
            for secret in (postgres.password, quote(postgres.password, safe=""), secrets[TOKEN_KEY],
                           secrets["LABEL_STUDIO_PASSWORD"]):
                assert secret not in output
        assert postgres.password not in env_file.read_text()
    finally:
        stopped = run(app, ["serve", "--stop", *where])
    assert "stopped Label Studio" in stopped.output
    assert server.read_pid(data_dir) is None and server.port_free(port)

"""Run the Label Studio server: install, start detached, wait until healthy, stop, report.

The server keeps its data in one directory (`.labelstudio/` by default, with
``server.pid`` and ``server.log`` beside the SQLite database). The first start
creates the admin and its API token from `.env` (written here, mode 600); the
token and password are never printed or logged, and the server's output reaches
``server.log`` through `annotation.redact`, which masks invite tokens. Sign-up
works only through an invite link.

A `.env` lost while the server runs is written again from the environment the
server process was started with (`rebuild_env_file`); lost while it is stopped,
`start` refuses before creating a login the database would reject.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from annotation.client import ENV_FILE, TOKEN_KEY, URL_KEY, Client, health, read_env_file
from cleaning.errors import CorpusError
from cleaning.writers import atomic_write, process_alive

DATA_DIR = Path(".labelstudio")
HOST = "127.0.0.1"
DEFAULT_PORT = 8080
PID_FILE, LOG_FILE = "server.pid", "server.log"
USER_KEY, PASSWORD_KEY, SECRET_KEY = "LABEL_STUDIO_USERNAME", "LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_SECRET_KEY"
SERVER_TOKEN_KEY = "LABEL_STUDIO_USER_TOKEN"  # the admin token as the server process gets it
ADMIN_EMAIL = "admin@newsgold.local"
FIRST_START_SECONDS = 240.0  # migrations take about 50 s on two cores; leave room for a slow disk


@dataclass(frozen=True)
class Server:
    """A running server we started: where it listens, its process, its data."""

    url: str
    port: int
    pid: int
    data_dir: Path
    env_file: Path
    started: bool  # False: it was already running

    @property
    def log(self) -> Path:
        return self.data_dir / LOG_FILE


def label_studio_command() -> str:
    """Return the `label-studio` executable of this environment, installing the server if it is missing.

    The server pins ``label-studio-sdk`` exactly, so the version installed is
    the one that pins the SDK we have.
    """
    found = Path(sys.executable).with_name("label-studio")
    if found.exists():
        return str(found)
    from importlib.metadata import version
    sdk = version("label-studio-sdk")
    pin = {"2.1.2": "1.23.2"}.get(sdk)
    requirement = f"label-studio=={pin}" if pin else "label-studio"
    done = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", requirement], check=False)
    if done.returncode != 0 or not found.exists():
        raise CorpusError(f"could not install {requirement} (pip exit {done.returncode})",
                          "install it yourself: pip install -e '.[server]'")
    return str(found)


def ensure_credentials(env_file: Path = ENV_FILE, port: int = DEFAULT_PORT) -> tuple[dict[str, str], bool]:
    """Return the login stored in `env_file`, creating it (mode 600) on first use; True if created."""
    env_file = Path(env_file)
    values = read_env_file(env_file)
    created = not all(values.get(k) for k in (USER_KEY, PASSWORD_KEY, TOKEN_KEY))
    if created:
        values.setdefault(USER_KEY, ADMIN_EMAIL)
        values[PASSWORD_KEY] = values.get(PASSWORD_KEY) or secrets.token_urlsafe(18)
        values[TOKEN_KEY] = values.get(TOKEN_KEY) or secrets.token_hex(20)
    changed = created or SECRET_KEY not in values or values.get(URL_KEY) != f"http://{HOST}:{port}"
    values.setdefault(SECRET_KEY, secrets.token_urlsafe(40))
    values[URL_KEY] = f"http://{HOST}:{port}"
    if changed:
        write_env_file(env_file, values)
    return values, created


def has_credentials(env_file: Path) -> bool:
    """Tell whether `env_file` holds the admin login (email, password, token)."""
    values = read_env_file(env_file)
    return all(values.get(k) for k in (USER_KEY, PASSWORD_KEY, TOKEN_KEY))


def rebuild_env_file(pid: int, env_file: Path, port: int, data_dir: Path) -> dict[str, str]:
    """Write a lost `env_file` again from the environment the running server (`pid`) was started with.

    The server got the admin login and the secret key from `.env` at start
    (`server_env`), and its process keeps them: /proc/PID/environ, readable by
    the user who started it. Without that (another OS, another user), the
    error says what else can be done.
    """
    try:
        raw = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError as err:
        raise CorpusError(
            f"{env_file} is missing and the environment of the server (pid {pid}) cannot be read to rebuild it: "
            f"{err.strerror}",
            f"restore {env_file} from a backup, or stop the server (`corpus serve --stop`) and move {data_dir} "
            "aside to start afresh (its annotations stay in the moved copy)") from None
    started = dict(item.partition("=")[::2] for item in raw.decode("utf-8", "replace").split("\0") if "=" in item)
    values = {USER_KEY: started.get(USER_KEY, ""), PASSWORD_KEY: started.get(PASSWORD_KEY, ""),
              TOKEN_KEY: started.get(SERVER_TOKEN_KEY, ""), SECRET_KEY: started.get("SECRET_KEY", ""),
              URL_KEY: f"http://{HOST}:{port}"}
    if not all(values.values()):
        raise CorpusError(f"{env_file} is missing and the server (pid {pid}) was not started by `corpus serve`",
                          f"restore {env_file} from a backup")
    write_env_file(env_file, values)
    return values


def write_env_file(path: Path, values: dict[str, str]) -> None:
    """Write ``KEY=value`` lines readable only by the owner, atomically."""
    with atomic_write(Path(path), mode=0o600) as out:
        out.write("# Label Studio login written by `corpus serve`: keep it secret (git-ignored).\n")
        out.writelines(f"{key}={value}\n" for key, value in values.items())


def server_env(values: dict[str, str], data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    """Return the environment the server process runs with."""
    env = {k: v for k, v in os.environ.items() if k not in ("USERNAME", "PASSWORD", "HOST", "PORT")}
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(Path(data_dir).resolve()),
        USER_KEY: values[USER_KEY],
        PASSWORD_KEY: values[PASSWORD_KEY],
        SERVER_TOKEN_KEY: values[TOKEN_KEY],
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "SECRET_KEY": values[SECRET_KEY],  # Django's name; .env keeps it as LABEL_STUDIO_SECRET_KEY
        "LATEST_VERSION_CHECK": "false", "COLLECT_ANALYTICS": "false",
        "SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": "",
    })
    if database_url:
        env.update(postgres_env(database_url))
    return env


def postgres_env(database_url: str) -> dict[str, str]:
    """Translate ``postgresql://user:pw@host:port/name`` into Label Studio's settings.

    >>> postgres_env("postgresql://ls:pw@db:5433/labels")["POSTGRE_PORT"]
    '5433'
    """
    url = urlsplit(database_url)
    if url.scheme not in ("postgres", "postgresql") or not url.path.strip("/"):
        raise CorpusError("the database URL must look like postgresql://user:password@host:5432/name",
                          "leave --database-url out to use SQLite in .labelstudio/")
    return {"DJANGO_DB": "default", "POSTGRE_NAME": url.path.strip("/"), "POSTGRE_USER": unquote(url.username or ""),
            "POSTGRE_PASSWORD": unquote(url.password or ""), "POSTGRE_HOST": url.hostname or "localhost",
            "POSTGRE_PORT": str(url.port or 5432)}


def check_port(port: int) -> int:
    """Refuse a port outside 1-65535: Label Studio takes 0 for its default 8080, a socket fails on 99999."""
    if not 1 <= port <= 65535:
        raise CorpusError(f"port {port} is not a TCP port: give one from 1 to 65535",
                          "for example --port 8080 (or PORT= for make)")
    return port


def start(port: int = DEFAULT_PORT, data_dir: Path = DATA_DIR, env_file: Path = ENV_FILE,
          database_url: str | None = None, wait_seconds: float | None = None,
          on_wait: Callable[[float], None] | None = None) -> Server:
    """Start Label Studio detached on 127.0.0.1:`port` and return once ``/health`` answers.

    Already running from `data_dir`: returns it. The port taken by anything
    else, or a server that dies or never comes up: `CorpusError` with the log tail.
    """
    data_dir, env_file = Path(data_dir), Path(env_file)
    url = f"http://{HOST}:{check_port(port)}"
    running = read_pid(data_dir)
    if running and running["port"] == port and health(url):
        if not has_credentials(env_file):
            rebuild_env_file(running["pid"], env_file, port, data_dir)
        values, _ = ensure_credentials(env_file, port)
        check_login(url, values[TOKEN_KEY], data_dir)
        return Server(url, port, running["pid"], data_dir, env_file, started=False)
    if running:
        raise CorpusError(f"Label Studio from {data_dir} already runs on port {running['port']} (pid {running['pid']})",
                          f"stop it with `corpus serve --stop`, or use --port {running['port']}")
    if not port_free(port):
        raise CorpusError(f"port {port} on {HOST} is taken by another program",
                          f"pick another with --port (or PORT= for make), or stop what listens on {port}")
    # a PostgreSQL database may be empty: give it the first start's time to migrate
    fresh = bool(database_url) or not any(data_dir.glob("*.sqlite3"))
    if not fresh and not has_credentials(env_file):
        raise CorpusError(
            f"{env_file} is missing (or has no login), but {data_dir} holds a database made with one: "
            "a new login would not open it",
            f"restore {env_file} from a backup; or, while the server still ran, `corpus serve` would have rebuilt "
            f"it; or move {data_dir} aside to start afresh (its annotations stay in the moved copy)")
    values, created = ensure_credentials(env_file, port)
    command = label_studio_command()
    data_dir.mkdir(parents=True, exist_ok=True)
    data_dir.chmod(0o700)  # the database holds password hashes and API tokens
    log = (data_dir / LOG_FILE).open("ab")  # for the filter's own errors; the server's output goes through it
    # the server runs under annotation.redact, which masks secrets in its output on the way to the log;
    # both are in one new session, so `stop` ends them together
    process = subprocess.Popen(
        [sys.executable, "-m", "annotation.redact", str((data_dir / LOG_FILE).resolve()),
         command, "start", "--no-browser", "--internal-host", HOST, "--port", str(port)],
        env=server_env(values, data_dir, database_url), stdin=subprocess.DEVNULL, stdout=log,
        stderr=subprocess.STDOUT, cwd=data_dir, start_new_session=True)
    log.close()
    (data_dir / PID_FILE).write_text(json.dumps({"pid": process.pid, "port": port}))
    wait_seconds = wait_seconds or (FIRST_START_SECONDS if fresh else 90.0)
    deadline, began = time.monotonic() + wait_seconds, time.monotonic()
    while not health(url, timeout=1.0):
        if process.poll() is not None:
            _forget(data_dir)
            raise CorpusError(f"Label Studio exited (code {process.returncode}) before it answered on {url}\n"
                              f"{log_tail(data_dir)}", f"full log: {data_dir / LOG_FILE}")
        if time.monotonic() > deadline:
            stop(data_dir)
            raise CorpusError(f"Label Studio did not come up on {url} within {wait_seconds:.0f} s\n"
                              f"{log_tail(data_dir)}", f"full log: {data_dir / LOG_FILE}")
        if on_wait:
            on_wait(time.monotonic() - began)
        time.sleep(0.5)
    if process.poll() is not None:  # something else answered on our port
        _forget(data_dir)
        raise CorpusError(f"another server answers on {url}; ours exited\n{log_tail(data_dir)}",
                          "pick another --port")
    check_login(url, values[TOKEN_KEY], data_dir)
    return Server(url, port, process.pid, data_dir, env_file, started=True)


def check_login(url: str, token: str, data_dir: Path) -> None:
    """Fail clearly when the stored token is not this data dir's admin token (e.g. .env was replaced)."""
    try:
        Client(url, token, timeout=30).whoami()
    except CorpusError as err:
        raise CorpusError(f"the server runs, but the login in .env does not work on it: {err.message}",
                          f"{data_dir} was created with another .env: restore that file, or move {data_dir} "
                          "aside to start afresh (its annotations stay in the moved copy)") from None


def stop(data_dir: Path = DATA_DIR, wait_seconds: float = 20.0) -> int | None:
    """Stop the server started from `data_dir` by its pid; return the pid, or None if none ran."""
    data_dir = Path(data_dir)
    running = read_pid(data_dir)
    if not running:
        _forget(data_dir)
        return None
    pid = running["pid"]
    for sig, wait in ((signal.SIGTERM, wait_seconds), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(pid, sig)  # its own session: the group holds the server and nothing else
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and process_alive(pid):
            time.sleep(0.2)
        if not process_alive(pid):
            break
    _forget(data_dir)
    return pid


def read_pid(data_dir: Path = DATA_DIR) -> dict | None:
    """Return ``{pid, port}`` of the server started from `data_dir` if its process lives, else None."""
    try:
        info = json.loads((Path(data_dir) / PID_FILE).read_text())
    except (FileNotFoundError, ValueError):
        return None
    return info if process_alive(int(info.get("pid", 0))) else None


@dataclass(frozen=True)
class Status:
    """What `corpus status` reports."""

    running: bool
    url: str | None
    pid: int | None
    # The project and its team's desks and review project, each with its annotated tasks
    # (ground-truth answers included, unlike Label Studio's own counter).
    projects: list[tuple[dict, int]] = field(default_factory=list)


def status(data_dir: Path = DATA_DIR, env_file: Path = ENV_FILE, project_title: str | None = None) -> Status:
    """Say whether the server runs and, if it does, what the project holds."""
    running = read_pid(data_dir)
    if not running:
        return Status(False, None, None)
    url = f"http://{HOST}:{running['port']}"
    if not health(url):
        return Status(False, url, running["pid"])
    projects = []
    if project_title:
        client = Client.from_env(env_file)
        for found in client.list_projects():
            if found["title"] == project_title or found["title"].startswith(f"{project_title} · "):
                projects.append((found, client.count_annotated_tasks(found["id"])))
    return Status(True, url, running["pid"], sorted(projects, key=lambda p: p[0]["id"]))


def port_free(port: int, host: str = HOST) -> bool:
    """Tell whether nothing listens on host:port (Label Studio would silently move to the next port)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) != 0


def free_port() -> int:
    """Return a port the OS says is free now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def log_tail(data_dir: Path, lines: int = 15) -> str:
    """Return the last lines of the server log, for error messages."""
    try:
        text = (Path(data_dir) / LOG_FILE).read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log)"
    return "\n".join("  | " + line for line in text.splitlines()[-lines:])


def copy_data_dir(template: Path, data_dir: Path) -> None:
    """Copy a migrated data dir (not its pid file or log): starting on it skips the migrations."""
    shutil.copytree(template, data_dir, ignore=shutil.ignore_patterns(PID_FILE, LOG_FILE, "export"),
                    dirs_exist_ok=True)


def add_annotator(email: str, password: str, data_dir: Path = DATA_DIR, env_file: Path = ENV_FILE,
                  database_url: str | None = None) -> str:
    """Create a user who can log in, with `label-studio init` on the server's database; return their token.

    `users.create` in the API makes a user without a password, who cannot log in.
    A server on PostgreSQL needs its `database_url` here too: without it the
    user would land in a new SQLite database the server never reads.
    """
    if not database_url and not any(Path(data_dir).glob("*.sqlite3")):
        raise CorpusError(f"no SQLite database in {data_dir}: the server keeps its data elsewhere, or never ran",
                          "give the --database-url the server was started with, or start it with `corpus serve`")
    running = read_pid(data_dir)
    values, _ = ensure_credentials(env_file, running["port"] if running else DEFAULT_PORT)
    token = secrets.token_hex(20)
    env = server_env(values, data_dir, database_url) | {
        "LABEL_STUDIO_USERNAME": email, "LABEL_STUDIO_PASSWORD": password, SERVER_TOKEN_KEY: token}
    # the login goes in the environment, not argv, where any local user could read it
    done = subprocess.run([label_studio_command(), "init", "--no-browser"], env=env, cwd=data_dir,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        tail = "\n".join(done.stdout.splitlines()[-10:] + done.stderr.splitlines()[-10:]).replace(password, "***")
        raise CorpusError(f"could not create annotator {email} (exit {done.returncode})\n{tail}",
                          "the email may already be taken")
    return token


def _forget(data_dir: Path) -> None:
    (Path(data_dir) / PID_FILE).unlink(missing_ok=True)

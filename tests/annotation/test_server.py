"""The server's life cycle and the annotation commands, against real Label Studio processes."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import subprocess
import sys
import time
import urllib.request

import pytest
from typer.testing import CliRunner

from annotation import server
from annotation.client import TOKEN_KEY, Client, read_env_file
from cleaning.errors import CorpusError
from cli import app


def test_port_taken_by_another_program_is_refused(tmp_path):
    with socket.socket() as other:
        other.bind((server.HOST, 0))
        other.listen()
        port = other.getsockname()[1]
        with pytest.raises(CorpusError) as caught:
            server.start(port, tmp_path / "data", tmp_path / ".env")
    assert f"port {port} on 127.0.0.1 is taken by another program" in caught.value.message
    assert "--port" in caught.value.hint
    assert server.read_pid(tmp_path / "data") is None


def test_credentials_are_created_once_with_mode_600(tmp_path):
    env_file = tmp_path / ".env"
    values, created = server.ensure_credentials(env_file, 8123)
    assert created and stat.S_IMODE(env_file.stat().st_mode) == 0o600
    assert len(values[TOKEN_KEY]) == 40 and values["LABEL_STUDIO_URL"] == "http://127.0.0.1:8123"
    again, created_again = server.ensure_credentials(env_file, 8123)
    assert not created_again and again == values == read_env_file(env_file)


@pytest.mark.integration
def test_serve_push_status_invite_stop_from_the_command_line(label_studio_template, tmp_path, seed_dir):
    data_dir, env_file = tmp_path / "ls", tmp_path / ".env"
    server.copy_data_dir(label_studio_template / "data", data_dir)
    shutil.copy2(label_studio_template / ".env", env_file)
    secrets = read_env_file(env_file)
    port, where = server.free_port(), ["--data-dir", str(data_dir), "--env-file", str(env_file)]
    run = CliRunner().invoke
    try:
        served = run(app, ["serve", "--port", str(port), *where])
        assert served.exit_code == 0, served.output
        assert f"http://127.0.0.1:{port}" in served.output and str(env_file) in served.output
        assert stat.S_IMODE(env_file.stat().st_mode) == 0o600 and stat.S_IMODE(data_dir.stat().st_mode) == 0o700
        again = run(app, ["serve", "--port", str(port), *where])
        assert again.exit_code == 0 and "already running" in again.output

        pushed = run(app, ["push", str(seed_dir), "--project", "cli", "--env-file", str(env_file)])
        assert pushed.exit_code == 0, pushed.output
        assert "5 created" in pushed.output and f"http://127.0.0.1:{port}/projects/" in pushed.output
        repushed = run(app, ["push", str(seed_dir), "--project", "cli", "--env-file", str(env_file)])
        assert "nothing to do" in repushed.output

        admin = Client.from_env(env_file)
        project_id = admin.find_project("cli")["id"]
        first_task = admin.list_tasks(project_id)[0]["id"]
        admin.create_annotation(first_task, [{"from_name": "stance", "to_name": "text", "type": "choices",
                                              "value": {"choices": ["NONE"]}}], ground_truth=True)
        state = run(app, ["status", "--project", "cli", *where])
        said = " ".join(state.output.split())  # the console wraps long lines
        assert state.exit_code == 0 and "5 tasks" in said and "5 predictions" in said
        # Label Studio's own counter says 0 here: it leaves ground-truth answers out
        assert "1 annotated, 1 annotations (1 ground truth)" in said
        teamed = run(app, ["push", str(seed_dir), "--project", "cli", "--team", "2", "--overlap", "1",
                           "--env-file", str(env_file)])
        assert teamed.exit_code == 0, teamed.output
        said = " ".join(run(app, ["status", "--project", "cli", *where]).output.split())
        assert "project 'cli' (id" in said  # the single project, and each desk beside it
        assert "project 'cli · desk 1'" in said and "project 'cli · desk 2'" in said
        invited = run(app, ["annotators", "invite", "--env-file", str(env_file)])
        assert f"http://127.0.0.1:{port}/user/signup/?token=" in invited.output
        link = invited.output.strip()
        urllib.request.urlopen(link, timeout=30).read()  # an annotator opens the invite: the server logs it
        log = wait_for_log_line(data_dir / server.LOG_FILE, "/user/signup/")
        assert "/user/signup/?token=***" in log and link.split("token=")[1] not in log

        for output in (served.output, pushed.output, state.output, log):
            assert secrets[TOKEN_KEY] not in output and secrets["LABEL_STUDIO_PASSWORD"] not in output
    finally:
        stopped = run(app, ["serve", "--stop", *where])
    assert "stopped Label Studio" in stopped.output
    assert server.read_pid(data_dir) is None and server.port_free(port)
    assert run(app, ["status", *where]).exit_code == 1


def wait_for_log_line(log, needle: str, seconds: float = 10.0) -> str:
    """Return the log's text once it holds `needle` (the server writes a request's line after answering it)."""
    deadline = time.monotonic() + seconds
    while needle not in (text := log.read_text()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert needle in text, f"no {needle!r} in {log} after {seconds} s"
    return text


@pytest.mark.integration
def test_added_annotator_gets_a_working_login(label_studio):
    token = server.add_annotator("ann1@example.org", "a-long-password-1", label_studio.data_dir,
                                 label_studio.env_file)
    me = Client(label_studio.url, token).whoami()
    assert me["email"] == "ann1@example.org"
    assert "ann1@example.org" in [u["email"] for u in label_studio.client().users()]


@pytest.mark.parametrize("port", ["0", "99999", "-1"])
def test_a_port_outside_1_to_65535_is_refused_with_a_message(tmp_path, port):
    result = subprocess.run(
        [sys.executable, "-m", "cli", "serve", "--port", port, "--data-dir", str(tmp_path / "data"),
         "--env-file", str(tmp_path / ".env")],
        capture_output=True, text=True, env={**os.environ, "COLUMNS": "160", "NO_COLOR": "1"})
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"port {port} is not a TCP port: give one from 1 to 65535" in result.stderr
    assert not (tmp_path / "data").exists() and not (tmp_path / ".env").exists()  # nothing started, no pid file


def test_check_port_accepts_the_whole_range():
    assert [server.check_port(p) for p in (1, 8080, 65535)] == [1, 8080, 65535]
    with pytest.raises(CorpusError, match="port 65536 is not a TCP port") as caught:
        server.check_port(65536)
    assert "--port 8080" in caught.value.hint


@pytest.mark.integration
def test_a_env_file_deleted_while_the_server_runs_is_rebuilt_from_it(start_label_studio):
    ls = start_label_studio()
    before = read_env_file(ls.env_file)
    ls.env_file.unlink()
    where = ["--data-dir", str(ls.data_dir), "--env-file", str(ls.env_file)]
    served = CliRunner().invoke(app, ["serve", "--port", str(ls.port), *where], env={"COLUMNS": "200"})
    assert served.exit_code == 0 and "already running" in served.output, served.output
    after = read_env_file(ls.env_file)
    assert after == before and stat.S_IMODE(ls.env_file.stat().st_mode) == 0o600  # the same login, secret key
    assert Client.from_env(ls.env_file).whoami()["email"] == before[server.USER_KEY]
    ls.stop()
    ls.restart()  # the rebuilt file starts the server again
    assert Client.from_env(ls.env_file).whoami()["email"] == before[server.USER_KEY]


@pytest.mark.integration  # the template is migrated by a real server
def test_a_env_file_lost_for_a_stopped_server_is_refused_before_anything_starts(label_studio_template, tmp_path):
    data_dir, env_file = tmp_path / "ls", tmp_path / ".env"
    server.copy_data_dir(label_studio_template / "data", data_dir)
    with pytest.raises(CorpusError) as caught:
        server.start(server.free_port(), data_dir, env_file)
    assert caught.value.message.startswith(f"{env_file} is missing (or has no login), but {data_dir} holds a database")
    assert f"restore {env_file}" in caught.value.hint and not env_file.exists() and not (data_dir / "server.pid").exists()

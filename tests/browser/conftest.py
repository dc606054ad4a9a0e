"""Fixtures of the browser tests: Debian's Chromium driven by playwright, and an annotator who signs up.

`playwright install` cannot download browsers here, so the tests drive the
system's ``chromium`` (the Debian package, which `.ci/run` installs) through
``executable_path``. A browser that is missing or cannot start makes the tests
fail with a message saying so, never skip: the labelling page is what
annotators see, and a suite that quietly stops looking at it tests nothing.

Fixtures:
    browser        module: one headless Chromium
    page           a fresh browser context and page, 1400x900, recording every JS dialog in ``page.dialogs``
    corpus_cli     run the `corpus` command as a user would, logged in to the test server as the admin
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Error, Page, expect, sync_playwright

from annotation.client import TOKEN_KEY, URL_KEY

# What works on this kind of machine (see ../shared/LABELSTUDIO.md): no sandbox, no GPU, nothing phoning home.
LAUNCH_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 60_000  # two loaded cores: Label Studio's first page load can take seconds
CHROMIUM_NAMES = ("chromium", "chromium-browser")
expect.set_options(timeout=TIMEOUT_MS)


def chromium_path() -> str:
    """Return the system Chromium (``$CHROMIUM`` first), or fail the test saying how to install it."""
    found = os.environ.get("CHROMIUM") or next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    if not found:
        pytest.fail("no Chromium found (looked for $CHROMIUM, then chromium / chromium-browser on PATH): "
                    "install Debian's package with `apt-get install chromium` (.ci/run does); "
                    "`playwright install` cannot download browsers here", pytrace=False)
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium per test module; failing to start it fails the tests, with the reason.

    Module scope: playwright's sync API holds an event loop while it runs, which
    must not outlive the browser tests into tests that start their own.
    """
    executable = chromium_path()
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=LAUNCH_FLAGS, timeout=TIMEOUT_MS)
        except Error as err:
            failure = f"Chromium at {executable} could not start: {err.message.strip().splitlines()[0]}"
        else:
            failure = None
        if failure:
            pytest.fail(failure, pytrace=False)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in its own context (its own cookies: its own login); JS dialogs are recorded and dismissed."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]

    def record(dialog) -> None:
        page.dialogs.append((dialog.type, dialog.message))  # type: ignore[attr-defined]
        dialog.dismiss()

    page.on("dialog", record)
    yield page
    context.close()


@pytest.fixture
def corpus_cli(label_studio, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess]:
    """Run ``corpus ARGS`` in a scratch dir with the test server's URL and admin token in the environment."""
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", URL_KEY: label_studio.url, TOKEN_KEY: label_studio.token}
    workdir = tmp_path / "cwd"
    workdir.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "cli", *args], capture_output=True, text=True, env=env,
                              cwd=workdir, timeout=600)
        assert done.returncode == 0, f"corpus {' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        return done

    return run


def sign_up(page: Page, invite_output: str, email: str, password: str) -> None:
    """Open the link `corpus annotators invite` printed and create an account on it, as a person would."""
    found = re.search(r"https?://\S+/user/signup/\?token=\S+", invite_output)
    assert found, f"no invite link in the output of `corpus annotators invite`: {invite_output!r}"
    page.goto(found.group(0))
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Create Account").click()
    page.wait_for_url(lambda url: "/user/signup" not in url)
    page.wait_for_load_state("networkidle")

"""nbgrader's Validate button as a student presses it: real JupyterLab, real Chromium.

The CLI test (test_course_nbgrader.py) checks the validator; this one checks
what a student actually reads, through the lab extension, its save-then-post
flow and the server extension running in the course directory.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from .course import make_course, nbgrader, notebook_path

LESSON = "lesson01"
CHROMIUM = Path("/usr/bin/chromium")
# Without the networking flags Chromium hangs on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERVER_START_S = 120
LAB_LOAD_MS = 120_000
# Validation runs the whole notebook in a fresh kernel; be patient under load (-n 2).
VALIDATE_MS = 300_000
SUCCESS = "Success! Your notebook passes all the tests."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server serving one course."""

    def __init__(self, course: Path, port: int, token: str, log: Path):
        self.course, self.port, self.token, self.log = course, port, token, log

    def url(self, path: str) -> str:
        # ?reset: open only this notebook, not the tabs a previous test left open.
        return f"http://127.0.0.1:{self.port}/{path}?reset&token={self.token}"

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[Lab]:
    """JupyterLab in a released course, with its own config, data and runtime dirs."""
    base = tmp_path_factory.mktemp("lab")
    course = make_course(base / "course")
    nbgrader(course, "generate_assignment", LESSON, "--force")
    venv_bin = str(Path(sys.executable).parent)
    env = dict(os.environ)
    # Kernels start from PATH; the lab and nbgrader extensions are found through
    # sys.prefix/share/jupyter and sys.prefix/etc/jupyter, whatever these dirs say.
    env["PATH"] = venv_bin + os.pathsep + env.get("PATH", "")
    for name in ("config", "data", "runtime"):
        env[f"JUPYTER_{name.upper()}_DIR"] = str(base / "jupyter" / name)
    port, token = _free_port(), secrets.token_hex(16)
    log = base / "jupyter.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter",
                "lab",
                "--no-browser",
                f"--port={port}",
                "--ServerApp.port_retries=0",
                "--ServerApp.ip=127.0.0.1",
                f"--IdentityProvider.token={token}",
                f"--ServerApp.root_dir={course}",
                "--allow-root",
                "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ],
            # The validate handler reads nbgrader_config.py from the working directory.
            cwd=course,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Lab(course, port, token, log)
    try:
        _wait_ready(proc, server)
        yield server
    finally:
        proc.terminate()  # jupyter_server shuts its kernels down on SIGTERM
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def _wait_ready(proc: subprocess.Popen, server: Lab) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}/api/status",
        headers={"Authorization": f"token {server.token}"},
    )
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"jupyter lab not ready after {SERVER_START_S} s:\n{server.log_tail()}")


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium; Playwright cannot download its own browsers here."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install chromium` (CI's .ci/run does)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


@contextmanager
def explained_failure(page: Page, lab: Lab, shots: Path):
    """On failure, keep what the browser showed and point at it and the server's log."""
    try:
        yield
    except Exception as error:
        with suppress(Exception):  # a dead browser must not hide the real error
            page.screenshot(path=shots / "failure.png", full_page=True)
        error.add_note(f"screenshots in {shots}\njupyter log (tail):\n{lab.log_tail()}")
        raise


def press_validate(
    page: Page, lab: Lab, folder: str, shows: str, shots: Path
) -> tuple[str, str, str]:
    """Open ``folder``'s notebook, check it ``shows`` a text, press Validate.

    Returns the dialog's title, its CSS classes and the text of its message.
    """
    page.goto(lab.url(f"lab/tree/{folder}/{LESSON}/{LESSON}.ipynb"))
    panel = page.locator(".jp-NotebookPanel")
    button = panel.locator(".jp-NotebookPanel-toolbar .validate-button")
    expect(button, "nbgrader's Validate button is not in the toolbar").to_be_visible(
        timeout=LAB_LOAD_MS
    )
    expect(panel).to_have_count(1)
    expect(panel).to_contain_text(shows, timeout=LAB_LOAD_MS)
    button.click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible(timeout=VALIDATE_MS)
    title = dialog.locator(".jp-Dialog-header").inner_text().strip()
    message = dialog.locator("#validation-message")
    text = message.inner_text() if message.count() else dialog.inner_text()
    classes = dialog.get_attribute("class") or ""
    page.screenshot(path=shots / "dialog.png")
    dialog.get_by_role("button", name="Ok").click()
    expect(dialog).to_have_count(0)
    expect(button).to_have_text("Validate")  # not stuck at "Validating..."
    return title, classes, text


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_unanswered_release_lists_stubs_and_failing_checks(lab, page, tmp_path):
    """A student who validates an unanswered notebook must not read "Success"."""
    release = notebook_path(lab.course, "release", LESSON)
    with explained_failure(page, lab, tmp_path):
        stub = "raise NotImplementedError()"
        title, classes, text = press_validate(page, lab, "release", stub, tmp_path)
        assert title == "Validation Results", (title, text)
        assert "nbgrader-ErrorDialog" in classes and "Success" not in text, text

        nb = nbformat.read(release, as_version=4)
        meta = [cell.metadata.get("nbgrader", {}) for cell in nb.cells]
        cells = list(zip(nb.cells, meta, strict=True))
        answers = [c for c, m in cells if c.cell_type == "code" and m.get("solution")]
        checks = [c for c, m in cells if str(m.get("grade_id", "")).startswith("check")]
        assert answers and checks
        # One NotImplementedError traceback per answer cell, each still the stub.
        tracebacks = re.findall(r"NotImplementedError +Traceback \(most recent call last\)", text)
        assert len(tracebacks) == len(answers), text
        assert text.count(stub) >= len(answers), text
        # Every visible check is listed with the answer it misses (Part B's df_rule here).
        for check in checks:
            assert _squash(check.source) in _squash(text), (check.metadata.nbgrader, text)
        assert "NameError: name 'df_rule' is not defined" in text, text
        assert "YOUR ANSWER HERE You did not provide a response." in _squash(text), text
        # The dialog lists exactly the cells `nbgrader validate` counts.
        cli = nbgrader(lab.course, "validate", str(release)).stdout
        failed = re.search(r"VALIDATION FAILED ON (\d+) CELL", cli)
        assert failed, cli
        assert text.count("The following cell failed:") == int(failed.group(1)), (cli, text)


def test_solved_source_validates_with_success(lab, page, tmp_path):
    """The same flow on the instructor's solved notebook: the dialog can say Success."""
    with explained_failure(page, lab, tmp_path):
        title, classes, text = press_validate(page, lab, "source", "### BEGIN SOLUTION", tmp_path)
        assert title == "Validation Results", (title, text)
        assert "nbgrader-SuccessDialog" in classes, (classes, text)
        assert text.strip() == SUCCESS, text

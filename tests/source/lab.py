"""Real JupyterLab and Debian's Chromium for the browser tests.

A lab serves one folder (a course for the instructor's side, a student's home
for the student's), with config, data and runtime dirs of its own, so the
machine's Jupyter settings never leak in.
"""

from __future__ import annotations

import os
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

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

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
#: How long the lab's first page may take under load (-n 2).
LAB_LOAD_MS = 120_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    """A JupyterLab server serving one folder."""

    def __init__(self, root: Path, port: int, token: str, log: Path):
        self.root, self.port, self.token, self.log = root, port, token, log

    def url(self, path: str) -> str:
        # ?reset: open only what the path names, not the tabs a previous test left open.
        return f"http://127.0.0.1:{self.port}/{path}?reset&token={self.token}"

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:]


@contextmanager
def running_lab(root: Path, base: Path) -> Iterator[Lab]:
    """JupyterLab on ``root``, its working directory too (nbgrader reads its config there)."""
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
                f"--ServerApp.root_dir={root}",
                "--allow-root",
                "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            ],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    lab = Lab(root, port, token, log)
    try:
        _wait_ready(proc, lab)
        yield lab
    finally:
        proc.terminate()  # jupyter_server shuts its kernels down on SIGTERM
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)


def _wait_ready(proc: subprocess.Popen, lab: Lab) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{lab.port}/api/status",
        headers={"Authorization": f"token {lab.token}"},
    )
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"jupyter lab exited with {proc.returncode}:\n{lab.log_tail()}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"jupyter lab not ready after {SERVER_START_S} s:\n{lab.log_tail()}")


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium; Playwright cannot download its own browsers here."""
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: run `apt-get install chromium` (CI's .ci/run does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def explained_failure(page: Page, lab: Lab, shots: Path, *logs: Path):
    """On failure, keep what the browser showed and point at it and the servers' logs."""
    try:
        yield
    except Exception as error:
        with suppress(Exception):  # a dead browser must not hide the real error
            page.screenshot(path=shots / "failure.png", full_page=True)
        tails = "".join(
            f"\n{log.name} (tail):\n{log.read_text(errors='replace')[-3000:]}"
            for log in logs
            if log.is_file()
        )
        error.add_note(f"screenshots in {shots}\njupyter log (tail):\n{lab.log_tail()}{tails}")
        raise

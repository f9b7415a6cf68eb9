"""A course, an nbgrader exchange and students' homes on this machine, for tests of serve.

Each student has a home with an ``nbgrader_config.py`` of their own (the
course id, the exchange, a cache of their own and their id), as a JupyterHub
user would; ``submit`` and ``fetch_feedback`` run real nbgrader there.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.source.course import make_course, nbgrader

ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def served_course(tmp: Path, lessons: tuple[str, ...], settings: str) -> tuple[Path, Path]:
    """A released course whose config points at a fresh exchange; (course, exchange)."""
    exchange = tmp / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    course = make_course(tmp / "course")
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write(f"\nc.Exchange.root = {str(exchange)!r}\n{settings}\n")
    for lesson in lessons:
        nbgrader(course, "generate_assignment", lesson, "--force")
        nbgrader(course, "release_assignment", lesson, "--force")
    return course, exchange


def home(tmp: Path, exchange: Path, student: str) -> Path:
    path = tmp / "home" / student
    path.mkdir(parents=True, exist_ok=True)
    (path / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.Exchange.cache = {str(path / '.cache')!r}\n"
        "c.CourseDirectory.course_id = 'calcml'\n"
        f"c.CourseDirectory.student_id = {student!r}\n"
    )
    return path


def submit_cmd(where: Path, lesson: str, data: bytes) -> list[str]:
    (where / lesson).mkdir(exist_ok=True)
    (where / lesson / f"{lesson}.ipynb").write_bytes(data)
    return [sys.executable, "-m", "nbgrader", "submit", lesson]


def submit(where: Path, lesson: str, data: bytes) -> None:
    proc = subprocess.run(
        submit_cmd(where, lesson, data), cwd=where, env=ENV, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def fetch_feedback(where: Path, lesson: str) -> list[str]:
    """Real ``nbgrader fetch_feedback``; the fetched pages, oldest submission first."""
    nbgrader(where, "fetch_feedback", lesson)
    folder = where / lesson / "feedback"
    return (
        [p.read_text() for p in sorted(folder.glob(f"*/{lesson}.html"))] if folder.is_dir() else []
    )


class Served:
    """``autograder serve`` as a TA starts it, in its own process."""

    def __init__(self, course: Path, log: Path) -> None:
        self.course, self.log = course, log
        self.proc: subprocess.Popen | None = None

    def start(self) -> Served:
        env = {**ENV, "AUTOGRADER_SERVE_TOKEN": "t0ken"}
        self.out = self.log.open("a")
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "autograder",
                "serve",
                "--course",
                str(self.course),
                "--port",
                "0",
            ],
            env=env,
            stdout=self.out,
            stderr=subprocess.STDOUT,
        )
        wait_for(lambda: "serving calcml" in self.log.read_text(), 120, self.log)
        return self

    def port(self) -> int:
        line = [x for x in self.log.read_text().splitlines() if "status http://" in x][-1]
        return int(line.rsplit(":", 1)[1].split("/")[0])

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 120) -> int:
        self.proc.send_signal(sig)
        code = self.proc.wait(timeout)
        self.out.close()
        return code


def ledger(course: Path) -> list[dict]:
    path = course / "serve" / "ledger.sqlite"
    if not path.is_file():
        return []
    db = sqlite3.connect(path, timeout=30)
    db.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in db.execute("SELECT * FROM attempts ORDER BY seen")]
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()


def wait_for(predicate, timeout: float, log: Path | None = None, step: float = 0.2):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    tail = log.read_text()[-3000:] if log is not None and log.is_file() else ""
    raise AssertionError(f"timed out after {timeout} s\n{tail}")


def gradebook_scores(course: Path, lesson: str) -> dict[str, tuple[float, float]]:
    """student -> (score, penalty) as nbgrader's own gradebook holds them."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {
            s.student.id: (s.score, s.late_submission_penalty)
            for s in gb.assignment_submissions(lesson)
        }


def verdicts(page: str) -> list[str]:
    import re

    return re.findall(r"<td><strong>([^<]+)</strong>", page)


def notice(page: str) -> str:
    import re

    m = re.search(r'<div class="notice[^"]*" id="verdict">(.*?)</div>', page, re.S)
    return re.sub(r"<[^>]+>", " ", m.group(1)) if m else ""

"""nbgrader's gradebook in a real PostgreSQL server: grade, export, serve, and graders at once.

The course sets ``CourseDirectory.db_url`` to a PostgreSQL URL, as a TA would;
every command then works on that gradebook and ``nbgrader export`` reads it.
"""

from __future__ import annotations

import csv
import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.autograder.conftest import notebooks
from tests.postgres import Server
from tests.source.course import nbgrader

_names = itertools.count()


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    import tempfile

    # Not under pytest's folder: the server's user must reach it (pytest's is root's, mode 700).
    root = Path(tempfile.mkdtemp(prefix="calcml-pg-"))
    server = Server(root).start()
    yield server
    server.stop()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_course(released, tmp_path, postgres):
    course = tmp_path / "course"
    shutil.copytree(released, course)
    (course / "gradebook.db").unlink(missing_ok=True)
    url = postgres.database(f"gradebook{next(_names)}")
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write(f"\nc.CourseDirectory.db_url = {url!r}\n")
    nbgrader(course, "generate_assignment", "lesson01", "--force")  # the lesson's rows, in PG
    return course, url


def _autograder(course, *args):
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "--course", str(course), *args],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def _submit(course, subs):
    for student, data in subs.items():
        folder = course / "submitted" / student / "lesson01"
        folder.mkdir(parents=True)
        (folder / "lesson01.ipynb").write_bytes(data)


def _csv(path):
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def _rows(url, sql):
    import sqlalchemy

    with sqlalchemy.create_engine(url).connect() as conn:
        return conn.execute(sqlalchemy.text(sql)).all()


def test_grade_and_both_exports_on_postgresql(pg_course):
    course, url = pg_course
    subs = notebooks(course, "lesson01")
    chosen = {k: subs[k] for k in ("solver", "blank", "notjson")}
    _submit(course, chosen)
    _autograder(course, "grade", "lesson01", "--quiet")
    assert not (course / "gradebook.db").exists()  # nothing went to SQLite behind our back
    nbgrader(course, "export", "--to", str(course / "nb.csv"))
    scores = {r["student_id"]: float(r["score"]) for r in _csv(course / "nb.csv")}
    assert scores["solver"] == 10.0 and scores["blank"] == 0.0 and scores["notjson"] == 0.0
    _autograder(course, "export", "lesson01")
    ours = _csv(course / "exports" / "grades.csv")
    assert {r["student_id"] for r in ours} >= set(chosen)
    # formgrade's own backend (what its pages call) lists and reads the submissions there.
    from nbgrader.apps.api import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config()
    config.CourseDirectory.root = str(course)
    api = NbGraderAPI(CourseDirectory(config=config), config=config)
    listed = {s["student"]: s for s in api.get_submissions("lesson01")}
    assert listed["solver"]["autograded"] and listed["solver"]["score"] == 10.0
    per_notebook = {n["student"]: n for n in api.get_notebook_submissions("lesson01", "lesson01")}
    assert per_notebook["blank"]["score"] == 0.0 and per_notebook["solver"]["score"] == 10.0
    # The grader's indexes are there, and nbgrader still reads the gradebook (above).
    names = {r[0] for r in _rows(url, "SELECT indexname FROM pg_indexes")}
    assert any("notebook_id" in n or "grade" in n for n in names), names


def test_serve_records_into_postgresql(pg_course, tmp_path):
    from tests.autograder.serve.exchange import (
        Served,
        fetch_feedback,
        home,
        ledger,
        submit,
        verdicts,
        wait_for,
    )

    course, url = pg_course
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write(f"\nc.Exchange.root = {str(exchange)!r}\n")
    nbgrader(course, "release_assignment", "lesson01", "--force")
    ada = home(tmp_path, exchange, "ada")
    log = tmp_path / "serve.log"
    served = Served(course, log).start()
    try:
        submit(ada, "lesson01", notebooks(course, "lesson01")["solver"])
        wait_for(lambda: any(r["state"] == "graded" for r in ledger(course)), 90, log)
    finally:
        assert served.stop() == 0
    (page,) = fetch_feedback(ada, "lesson01")
    assert "Correct" in verdicts(page)
    (row,) = _rows(
        url,
        "SELECT s.student_id FROM submitted_assignment s JOIN assignment a "
        "ON a.id = s.assignment_id WHERE a.name = 'lesson01'",
    )
    assert row[0] == "ada" and not (course / "gradebook.db").exists()


def test_graders_at_once_lose_nothing_and_duplicate_nothing(pg_course):
    course, url = pg_course
    subs = notebooks(course, "lesson01")
    students = {f"{name}-{i}": data for i in range(3) for name, data in subs.items()}
    _submit(course, students)
    names = sorted(students)
    shards = [names[0::3], names[1::3], names[2::3], names[::2]]  # the last overlaps the others
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "autograder",
                "--course",
                str(course),
                "grade",
                "lesson01",
                "--quiet",
                "--workers",
                "1",
                *itertools.chain.from_iterable(("--student", s) for s in shard),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for shard in shards
    ]
    for p in procs:
        _, err = p.communicate(timeout=900)
        assert p.returncode == 0, err[-3000:]
    subs_rows = _rows(
        url,
        "SELECT s.student_id, COUNT(*) FROM submitted_assignment s JOIN assignment a "
        "ON a.id = s.assignment_id WHERE a.name = 'lesson01' GROUP BY s.student_id",
    )
    assert sorted(r[0] for r in subs_rows) == names
    assert all(r[1] == 1 for r in subs_rows)
    dup = _rows(
        url,
        "SELECT notebook_id, cell_id, COUNT(*) FROM grade GROUP BY 1, 2 HAVING COUNT(*) > 1",
    )
    assert dup == []
    n_cells = _rows(url, "SELECT COUNT(*) FROM grade_cells")[0][0]
    assert _rows(url, "SELECT COUNT(*) FROM grade")[0][0] == n_cells * len(names)
    # Every result file agrees with the gradebook: nothing a later grader wrote was lost.
    nbgrader(course, "export", "--to", str(course / "nb.csv"))
    scores = {r["student_id"]: float(r["score"]) for r in _csv(course / "nb.csv")}
    for student in names:
        if student.startswith("solver"):
            assert scores[student] == 10.0, student


def _start_graders(url, barrier, rounds, drops):
    """One grader's start, ``rounds`` times, each with every index missing."""
    import sqlalchemy

    from autograder import gradebook_indexes

    engine, failures = sqlalchemy.create_engine(url), []
    for _ in range(rounds):
        barrier.wait()  # every grader starts together and finds the indexes missing
        gradebook_indexes._DONE.clear()
        try:
            gradebook_indexes.ensure_indexes(url)
        except Exception as error:  # noqa: BLE001 - kept for the other graders' rounds
            failures.append(error)
        barrier.wait()
        if drops:
            with engine.begin() as conn:
                for name, _, _ in gradebook_indexes.INDEXES:
                    conn.execute(sqlalchemy.text(f"DROP INDEX IF EXISTS {name}"))
        barrier.wait()
    engine.dispose()
    if failures:
        raise failures[0]  # a nonzero exit code, and the first error on stderr


def test_graders_starting_together_each_find_the_indexes(postgres, monkeypatch):
    """Graders that start at once all miss the indexes; none may fail building them."""
    import multiprocessing
    import os

    from nbgrader.api import Gradebook

    from autograder.gradebook_indexes import INDEXES

    # nbgrader's Gradebook runs `alembic` for a new database: the one beside this Python.
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    url = postgres.database(f"gradebook{next(_names)}")
    with Gradebook(url):  # the tables, as nbgrader's generate_assignment leaves them
        pass
    context = multiprocessing.get_context("spawn")
    graders, rounds = 6, 30
    barrier = context.Barrier(graders)
    procs = [
        context.Process(target=_start_graders, args=(url, barrier, rounds, i == 0))
        for i in range(graders)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
    assert [p.exitcode for p in procs] == [0] * graders
    from autograder import gradebook_indexes

    gradebook_indexes.ensure_indexes(url)  # the last round dropped them
    names = {r[0] for r in _rows(url, "SELECT indexname FROM pg_indexes")}
    assert {name for name, _, _ in INDEXES} <= names

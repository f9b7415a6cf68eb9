"""The grader adds the gradebook's missing indexes; nbgrader's own commands still read it."""

from __future__ import annotations

import sqlite3

from autograder.gradebook_indexes import INDEXES, ensure_indexes
from tests.source.course import nbgrader

from .conftest import notebooks, put_folder
from .test_cli_e2e import cli


def _indexes(db) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}


def test_grading_adds_the_indexes_and_nbgrader_reads_the_gradebook(course):
    assert not {name for name, _, _ in INDEXES} & _indexes(course / "gradebook.db")
    subs = notebooks(course, "lesson07")
    inbox = put_folder(course, "lesson07", {k: subs[k] for k in ("solver", "blank")})
    cli(course, "collect", "lesson07", "--from", str(inbox))
    cli(course, "grade", "lesson07", "--quiet")
    assert {name for name, _, _ in INDEXES} <= _indexes(course / "gradebook.db")
    nbgrader(course, "export")
    assert "solver" in (course / "grades.csv").read_text()


def test_adding_them_twice_is_harmless(course):
    url = f"sqlite:///{course / 'gradebook.db'}"
    ensure_indexes(url)
    from autograder import gradebook_indexes

    gradebook_indexes._DONE.clear()
    ensure_indexes(url)  # another grader, the same gradebook
    assert {name for name, _, _ in INDEXES} <= _indexes(course / "gradebook.db")

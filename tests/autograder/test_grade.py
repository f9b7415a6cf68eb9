"""One submission's failure in the grader is that submission's error: the batch completes."""

from __future__ import annotations

import pytest

import autograder.grade as grade
from autograder.course import Course
from autograder.results import load
from tests.source.course import cell_scores

from .conftest import notebooks


@pytest.fixture
def two(course):
    subs = notebooks(course, "lesson07")
    for student in ("solver", "breaker"):
        folder = course / "submitted" / student / "lesson07"
        folder.mkdir(parents=True)
        (folder / "lesson07.ipynb").write_bytes(subs["solver"])
    return Course.open(course)


BREAK = '{"cell_type": "code", "source": "# BREAK", "metadata": {}, "outputs": []},'


def _judge_breaking(real):
    def judge(nb):
        if any("BREAK" in str(c.get("source", "")) for c in nb.get("cells", [])):
            raise RecursionError("maximum recursion depth exceeded")
        return real(nb)

    return judge


def test_an_error_while_finishing_is_that_submissions_alone(two, monkeypatch):
    path = two.submitted("breaker", "lesson07") / "lesson07.ipynb"
    path.write_text(path.read_text().replace('"cells": [', '"cells": [' + BREAK, 1))
    monkeypatch.setattr(grade, "judge_notebook", _judge_breaking(grade.judge_notebook))
    run = grade.grade_lesson(two, "lesson07", progress=False)
    results = {r.student: r for r in run.graded}
    assert results["solver"].status == "graded" and results["solver"].score > 0
    broken = results["breaker"]
    assert broken.status == "error" and "error" in broken.flags
    assert "RecursionError" in " ".join(broken.messages)
    assert all(points == 0 for points, _ in cell_scores(two.root, "lesson07", "breaker").values())
    assert load(two.autograded("breaker", "lesson07")).status == "error"
    # A rerun neither crashes nor grades anything twice.
    again = grade.grade_lesson(two, "lesson07", progress=False)
    assert {r.student for r in again.skipped} == {"solver", "breaker"}


def test_an_error_while_preparing_is_that_submissions_alone(two, monkeypatch):
    real = grade._prepare

    def prepare(course, lesson, student, *args, **kwargs):
        if student == "breaker":
            raise OSError(28, "No space left on device")
        return real(course, lesson, student, *args, **kwargs)

    monkeypatch.setattr(grade, "_prepare", prepare)
    run = grade.grade_lesson(two, "lesson07", progress=False)
    results = {r.student: r for r in run.graded}
    assert results["solver"].status == "graded"
    assert results["breaker"].status == "error"
    assert "No space left on device" in " ".join(results["breaker"].messages)

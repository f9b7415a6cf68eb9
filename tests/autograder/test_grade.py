"""One submission's failure in the grader is that submission's error: the batch completes."""

from __future__ import annotations

import pytest

import autograder.grade as grade
import autograder.work as work
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
    def judge(nb, **kwargs):
        if any("BREAK" in str(c.get("source", "")) for c in nb.get("cells", [])):
            raise RecursionError("maximum recursion depth exceeded")
        return real(nb, **kwargs)

    return judge


def test_an_error_while_finishing_is_that_submissions_alone(two, monkeypatch):
    path = two.submitted("breaker", "lesson07") / "lesson07.ipynb"
    path.write_text(path.read_text().replace('"cells": [', '"cells": [' + BREAK, 1))
    monkeypatch.setattr(work, "judge_notebook", _judge_breaking(work.judge_notebook))
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


def test_a_paste_error_is_named_where_the_student_looks(course):
    import nbformat

    from tests.source.course import with_solutions

    source = nbformat.read(course / "source" / "lesson01" / "lesson01.ipynb", as_version=4)
    pasted = with_solutions(source, {"sol_rule": "def df_rule(x):\n    return 3*x**2 – 4*x"})
    folder = course / "submitted" / "paster" / "lesson01"
    folder.mkdir(parents=True)
    (folder / "lesson01.ipynb").write_text(nbformat.writes(pasted))
    (result,) = grade.grade_lesson(Course.open(course), "lesson01", progress=False).graded
    rule = next(c for c in result.cells if c.grade_id == "test_rule")
    assert rule.points == 0 and rule.note == "follows-earlier-cell"
    for phrase in ("sol_rule", "Line 2", "U+2013", "replace it with -"):
        assert phrase in rule.feedback, rule.feedback
    # Every part that failed because of it says so, naming the same cell.
    for cell in result.cells:
        if cell.note == "follows-earlier-cell":
            assert "sol_rule" in cell.feedback, (cell.grade_id, cell.feedback)
    formula = next(c for c in result.cells if c.grade_id == "test_formula")
    assert formula.points == formula.max_points  # untouched parts keep their points


def test_workers_get_no_gradebook_url(two, monkeypatch):
    """What travels to a worker (a Dask host on a cluster) names no database to write."""
    import pickle

    seen = []
    real = work.Local.run_work

    def run_work(self, items):
        def kept():
            for item in items:
                seen.append(pickle.dumps(item))
                yield item

        return real(self, kept())

    monkeypatch.setattr(work.Local, "run_work", run_work)
    url = f"sqlite:///{two.root / 'gradebook.db'}"
    with open(two.root / "nbgrader_config.py", "a") as fh:  # as a course with PostgreSQL does
        fh.write(f"\nc.CourseDirectory.db_url = {url!r}\n")
    course = Course.open(two.root)
    run = grade.grade_lesson(course, "lesson07", progress=False)
    assert {r.status for r in run.graded} == {"graded"} and len(seen) == 2
    assert course.db_url == url
    assert all(url.encode() not in blob and b"gradebook.db" not in blob for blob in seen)


def test_a_batch_syncs_its_notebooks_before_the_result_files_that_vouch_for_them(two, monkeypatch):
    import autograder.record as record

    seen = []

    def sync(folders):
        folders = sorted(folders)
        seen.append([(f.name, sorted(p.name for p in f.iterdir())) for f in folders])

    monkeypatch.setattr(record, "sync_filesystems", sync)
    run = grade.grade_lesson(two, "lesson07", progress=False)
    assert {r.status for r in run.graded} == {"graded"}
    # One batch: a sync once both notebooks are written and before any result file
    # (a crash between them regrades, never trusts a missing notebook), then one after.
    assert seen == [
        [("lesson07", ["lesson07.ipynb"])] * 2,
        [("lesson07", ["autograder.json", "lesson07.ipynb"])] * 2,
    ]
    assert {load(two.autograded(s, "lesson07")).status for s in ("solver", "breaker")} == {"graded"}

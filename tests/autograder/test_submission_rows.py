"""open_rows makes the rows nbgrader's update_or_create_submission makes, for many at once."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from nbgrader.api import Gradebook, MissingEntry

from autograder.course import Course
from autograder.submission_rows import lesson_rows, open_rows

_ids = itertools.count()
DUE = dt.datetime(2026, 3, 1, 12, 0, 0)


def _shape(gb: Gradebook, student: str) -> tuple:
    """Everything of a submission's rows but their own ids."""
    sub = gb.find_submission("lesson01", student)
    notebooks = sorted(
        (
            n.notebook_id,
            n.flagged,
            n.late_submission_penalty,
            sorted(
                (g.cell_id, g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade)
                for g in n.grades
            ),
            sorted((c.cell_id, c.auto_comment, c.manual_comment) for c in n.comments),
        )
        for n in sub.notebooks
    )
    return sub.timestamp, sub.extension, sub.total_seconds_late, notebooks


@pytest.fixture
def gradebook(course):
    course = Course.open(course)
    with Gradebook(course.db_url, course.course_id) as gb:
        gb.update_or_create_assignment("lesson01", duedate=DUE)
    return course


def test_new_submissions_get_nbgraders_rows(gradebook):
    stamps = {
        "early": DUE - dt.timedelta(hours=1),
        "late": DUE + dt.timedelta(minutes=90),
        "unstamped": None,
    }
    ours = {f"o{next(_ids)}-{k}": v for k, v in stamps.items()}
    theirs = {f"t{next(_ids)}-{k}": v for k, v in stamps.items()}
    late = open_rows(gradebook.db_url, lesson_rows(gradebook.db_url, "lesson01"), ours)
    with Gradebook(gradebook.db_url, gradebook.course_id) as gb:
        for student, stamp in theirs.items():
            gb.update_or_create_student(student)
            kwargs = {"timestamp": stamp} if stamp is not None else {}
            gb.update_or_create_submission("lesson01", student, **kwargs)
        for mine, theirs_id in zip(ours, theirs, strict=True):
            assert _shape(gb, mine) == _shape(gb, theirs_id)
            assert gb.find_student(mine).id == mine
            assert late[mine] == gb.find_submission("lesson01", mine).total_seconds_late
        assert late[next(s for s in ours if s.endswith("late"))] == 90 * 60


def test_a_resubmission_keeps_its_rows_and_gets_its_new_time(gradebook):
    student = f"again{next(_ids)}"
    rows = lesson_rows(gradebook.db_url, "lesson01")
    open_rows(gradebook.db_url, rows, {student: DUE - dt.timedelta(days=1)})
    with Gradebook(gradebook.db_url, gradebook.course_id) as gb:
        sub = gb.find_submission("lesson01", student)
        sub.extension = dt.timedelta(hours=2)
        grade = sub.notebooks[0].grades[0]
        grade.manual_score = 0.5
        gb.db.commit()
        before = {g.id for n in sub.notebooks for g in n.grades}
    late = open_rows(gradebook.db_url, rows, {student: DUE + dt.timedelta(hours=3)})
    assert late == {student: 3600.0}  # an hour past the due date and its extension
    with Gradebook(gradebook.db_url, gradebook.course_id) as gb:
        sub = gb.find_submission("lesson01", student)
        assert sub.timestamp == DUE + dt.timedelta(hours=3)
        assert {g.id for n in sub.notebooks for g in n.grades} == before
        assert len(gb.assignment_submissions("lesson01")) == len(
            {s.student_id for s in gb.assignment_submissions("lesson01")}
        )
        assert any(g.manual_score == 0.5 for n in sub.notebooks for g in n.grades)


def test_an_unreleased_lesson_is_a_missing_entry(gradebook):
    with pytest.raises(MissingEntry):
        lesson_rows(gradebook.db_url, "lesson09")

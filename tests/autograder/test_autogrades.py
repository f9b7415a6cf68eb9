"""decide then write: what nbgrader's SaveAutoGrades writes, row for row."""

from __future__ import annotations

import itertools

import nbformat
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbgrader.api import Gradebook
from nbgrader.preprocessors import SaveAutoGrades

from autograder.autogrades import decide, write
from autograder.course import Course
from autograder.nbgrader_steps import resources

_students = itertools.count()

#: What a cell can have left: nothing, an error, stderr, a partial score, text.
OUTPUTS = {
    "none": [],
    "error": [nbformat.v4.new_output("error", ename="E", evalue="x", traceback=["E: x"])],
    "stderr": [nbformat.v4.new_output("stream", name="stderr", text="careful\n")],
    "half": [nbformat.v4.new_output("execute_result", data={"text/plain": "0.5"})],
    "text": [nbformat.v4.new_output("execute_result", data={"text/plain": "'ok'"})],
}


def _rows(course: Course, student: str) -> dict:
    with Gradebook(course.db_url, course.course_id) as gb:
        sub = gb.find_submission_notebook("lesson01", "lesson01", student)
        return {
            "grades": {
                g.name: (g.auto_score, g.manual_score, g.needs_manual_grade, g.score)
                for g in sub.grades
            },
            "comments": {c.name: c.auto_comment for c in sub.comments},
        }


def _submitted(course: Course, student: str, manual: set[str]) -> None:
    with Gradebook(course.db_url, course.course_id) as gb:
        gb.update_or_create_student(student)
        gb.add_submission("lesson01", student)
        for grade in gb.find_submission_notebook("lesson01", "lesson01", student).grades:
            if grade.name in manual:
                grade.manual_score = 0.25
        gb.db.commit()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_same_rows_as_nbgraders_step(course, data):
    course = Course.open(course)
    release = nbformat.read(course.release("lesson01") / "lesson01.ipynb", as_version=4)
    graded = [c for c in release.cells if c.metadata.get("nbgrader", {}).get("grade_id")]
    names = [c.metadata.nbgrader.grade_id for c in graded]
    manual = set(data.draw(st.lists(st.sampled_from(names), max_size=3)))
    for cell in graded:
        info = cell.metadata.nbgrader
        if cell.cell_type == "code":
            cell.outputs = OUTPUTS[data.draw(st.sampled_from(sorted(OUTPUTS)))]
        if info.get("solution") and data.draw(st.booleans()):
            cell.source += "\n# answered"
    theirs, ours = f"t{next(_students)}", f"o{next(_students)}"
    for student in (theirs, ours):
        _submitted(course, student, manual)
    SaveAutoGrades().preprocess(release, resources(course, "lesson01", theirs, "lesson01"))
    scores, manual = write(
        course.db_url, "lesson01", ours, "lesson01", decide(release), on_time=False
    )
    expected = _rows(course, theirs)
    assert _rows(course, ours) == expected
    assert scores == {n: g[3] for n, g in expected["grades"].items()}
    assert sorted(manual) == sorted(n for n, g in expected["grades"].items() if g[2])

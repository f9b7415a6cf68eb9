"""Each student's own task, graded end to end by the real CLI and by plain nbgrader."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import nbformat

from autograder.results import load
from calcml_tasks import variant_for
from tests.source.course import cell_scores

from .test_cli_e2e import _env, cli

STUDENTS = [f"s{i:02d}" for i in range(12)]
#: Parts of lesson01 whose answer a student types with the numbers of their task.
TYPED_WITH_NUMBERS = ("test_formula", "test_rule", "test_plot")


def _solved_by(source: nbformat.NotebookNode, student: str) -> nbformat.NotebookNode:
    """The source solved as ``student`` does it: their numbers typed in, their id entered."""
    nb = nbformat.from_dict(source)
    variant = variant_for("calcml", "lesson01", student)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution"):
            for name, value in variant.items():
                cell.source = re.sub(rf"\btask\.{name}\b", repr(value), cell.source)
        if cell.metadata.get("calcml", {}).get("identity"):
            cell.source = cell.source.replace('student_id = ""', f"student_id = {student!r}")
    return nb


def _submit(root, student: str, nb) -> None:
    folder = root / "submitted" / student / "lesson01"
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / "lesson01.ipynb")


def test_every_student_is_graded_on_their_own_task(course, tmp_path):
    source = nbformat.read(course / "source" / "lesson01" / "lesson01.ipynb", as_version=4)
    a, b = STUDENTS[0], next(
        s for s in STUDENTS[1:] if variant_for("calcml", "lesson01", s)
        != variant_for("calcml", "lesson01", STUDENTS[0])
    )
    for student in STUDENTS:
        _submit(course, student, source if student != b else _solved_by(source, a))
    _submit(course, "typist", _solved_by(source, "typist"))
    theirs = tmp_path / "theirs"
    shutil.copytree(course, theirs)

    cli(course, "grade", "lesson01", "--quiet")
    for student in [*STUDENTS, "typist"]:
        if student == b:
            continue
        scores = cell_scores(course, "lesson01", student)
        assert all(s == m for g, (s, m) in scores.items() if g.startswith("test_")), student
        assert not {"other-variant", "possible-copy"} & set(
            load(course / "autograded" / student / "lesson01").flags
        )
    assert len({variant_for("calcml", "lesson01", s).key() for s in STUDENTS}) >= 6

    # b handed in a's solved notebook: graded against b's own task, both flags, a named.
    copied = cell_scores(course, "lesson01", b)
    for cell in TYPED_WITH_NUMBERS:
        assert copied[cell][0] < copied[cell][1], cell
    result = load(course / "autograded" / b / "lesson01")
    assert {"other-variant", "possible-copy"} <= set(result.flags)
    assert any(repr(a) in m and "right for the task" in m for m in result.messages)
    cli(course, "feedback", "lesson01")
    page = (course / "feedback" / b / "lesson01" / "lesson01.html").read_text()
    assert "another student&#39;s task" in page or "another student's task" in page
    assert "possible-copy" not in page  # a signal for the TA, not shown to the student

    # Plain nbgrader grades each student's own task too, with the same scores.
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", "lesson01", "--force"],
        cwd=theirs,
        capture_output=True,
        text=True,
        timeout=1200,
        env=_env(),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    for student in [*STUDENTS, "typist"]:
        assert cell_scores(theirs, "lesson01", student) == cell_scores(
            course, "lesson01", student
        ), student

"""The seven lessons under real nbgrader: release, autograde, partial credit."""

from __future__ import annotations

import os
import re

import nbformat

from calcml_tasks import variant_for
import pytest

from .course import (
    LESSONS,
    ROOT,
    cell_outputs,
    cell_scores,
    make_course,
    nbgrader,
    notebook_path,
    submit,
    with_solutions,
)
from autograder.demo.mistakes import all_mistakes

MISTAKES = all_mistakes()

# COURSE_LESSONS=lesson02,lesson03 limits a run to some lessons while writing them.
ONLY = [x for x in os.environ.get("COURSE_LESSONS", "").split(",") if x]
PRESENT = tuple(
    lesson
    for lesson in LESSONS
    if (ROOT / "source" / lesson).is_dir() and (not ONLY or lesson in ONLY)
)


@pytest.fixture(scope="session")
def course(tmp_path_factory):
    """A course with every lesson released, submitted and autograded."""
    path = make_course(tmp_path_factory.mktemp("course"))
    for lesson in PRESENT:
        nbgrader(path, "generate_assignment", lesson, "--force")
        source = nbformat.read(notebook_path(path, "source", lesson), as_version=4)
        release = nbformat.read(notebook_path(path, "release", lesson), as_version=4)
        submit(path, lesson, "solver", source)
        submit(path, lesson, "blank", release)
        for m in MISTAKES:
            if m.lesson == lesson:
                variant = variant_for("calcml", lesson, m.student)
                submit(path, lesson, m.student, with_solutions(source, m.cells(variant)))
        nbgrader(path, "autograde", lesson, "--force")
    return path


def test_all_seven_lessons_exist():
    assert all((ROOT / "source" / lesson / f"{lesson}.ipynb").is_file() for lesson in LESSONS)


@pytest.mark.parametrize("lesson", PRESENT)
def test_release_leaks_no_solution_or_hidden_test(course, lesson):
    source = nbformat.read(notebook_path(course, "source", lesson), as_version=4)
    text = notebook_path(course, "release", lesson).read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "reference"):
        assert marker not in text, marker
    # No line of any solution block survives, unless the instructions quote it.
    pattern = re.compile(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", re.S)
    public = "\n".join(pattern.sub("", cell.source) for cell in source.cells)
    for cell in source.cells:
        for block in pattern.findall(cell.source):
            for line in block.splitlines():
                line = line.strip()
                if len(line) > 25 and not line.startswith("#") and line not in public:
                    assert line not in text, line


@pytest.mark.parametrize("lesson", PRESENT)
def test_solutions_get_full_marks(course, lesson):
    scores = cell_scores(course, lesson, "solver")
    assert scores, "no autograded cells"
    wrong = {k: v for k, v in scores.items() if v[0] != v[1]}
    assert not wrong, (wrong, cell_outputs(course, lesson, "solver"))


@pytest.mark.parametrize("lesson", PRESENT)
def test_blank_release_gets_zero(course, lesson):
    scores = cell_scores(course, lesson, "blank")
    assert scores and all(score == 0 for score, _ in scores.values()), scores


@pytest.mark.parametrize("lesson", LESSONS)
def test_three_typical_mistakes_per_lesson(lesson):
    assert sum(1 for m in MISTAKES if m.lesson == lesson and m.partial) >= 3


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.student for m in MISTAKES])
def test_mistake_gets_partial_credit_and_is_named(course, mistake):
    if mistake.lesson not in PRESENT:
        pytest.skip(f"COURSE_LESSONS leaves out {mistake.lesson}")
    scores = cell_scores(course, mistake.lesson, mistake.student)
    outputs = cell_outputs(course, mistake.lesson, mistake.student)
    for cell, phrase in mistake.partial.items():
        score, points = scores[cell]
        assert 0 < score < points, (cell, score, outputs[cell])
        assert phrase.lower() in outputs[cell].lower(), (cell, outputs[cell])
        assert "HIDDEN" not in outputs[cell] and "grade(" not in outputs[cell]
    for cell in mistake.full:
        assert scores[cell][0] == scores[cell][1], (cell, outputs[cell])


def test_validate_reports_stubs_and_failing_checks(course):
    """A released notebook, unanswered, never gets "Success"; a solved one does."""
    lesson = PRESENT[0]
    released = nbgrader(course, "validate", str(notebook_path(course, "release", lesson)))
    text = released.stdout + released.stderr
    assert "Success" not in text
    assert "NotImplementedError" in text and "You did not provide a response" in text
    solved = nbgrader(course, "validate", str(notebook_path(course, "source", lesson)))
    assert "Success! Your notebook passes all the tests." in solved.stdout + solved.stderr


def _visible_checks():
    import ast

    for lesson in LESSONS:
        nb = nbformat.read(ROOT / "source" / lesson / f"{lesson}.ipynb", as_version=4)
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("locked") and not meta.get("solution"):
                for node in ast.walk(ast.parse(cell.source)):
                    if isinstance(node, ast.Assert):
                        yield lesson, meta.get("grade_id"), node, cell.source


def test_every_visible_check_tells_the_student_what_to_fix():
    bare = [(lesson, g) for lesson, g, node, _ in _visible_checks() if node.msg is None]
    assert not bare
    assert len(list(_visible_checks())) >= 20


def test_no_visible_check_depends_on_another_parts_answer():
    """A check cell names only the answer of the part it sits above (and the task's givens)."""
    import ast

    for lesson in LESSONS:
        nb = nbformat.read(ROOT / "source" / lesson / f"{lesson}.ipynb", as_version=4)
        defined: dict[str, str] = {}  # name -> the solution cell that defines it
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code":
                continue
            tree = ast.parse(cell.source)
            if meta.get("solution"):
                last = meta.get("grade_id")
                for node in ast.walk(tree):
                    if isinstance(node, ast.FunctionDef | ast.ClassDef):
                        defined[node.name] = last
                    elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                        defined[node.id] = last
            elif meta.get("locked") and str(meta.get("grade_id", "")).startswith("check"):
                names = [n for n in ast.walk(tree) if isinstance(n, ast.Name)]
                own = {n.id for n in names if isinstance(n.ctx, ast.Store)}
                used = {n.id for n in names if isinstance(n.ctx, ast.Load)} - own
                owners = {defined[n] for n in used if n in defined}
                assert len(owners) <= 1, (lesson, meta["grade_id"], owners)

"""Adding a part takes one declaration and the notebook's cells: graded end to end."""

from __future__ import annotations

import nbformat
import numpy as np
import pytest

from autograder.course import Course
from autograder.grade import grade_lesson
from autograder.results import load
from autograder.verify.declared import check_declared
from reference.answers.kinds import Sampled
from reference.checks.functions import check_function
from reference.grading.declare import declare
from tests.source.course import nbgrader

PART = "lesson07.hinge"


@pytest.fixture
def declared():
    """The instructor's one declaration (undone afterwards, for the other tests)."""
    import reference.answers as answers
    from reference.grading import REGISTRY

    part = declare(
        PART,
        points=1,
        collect=Sampled((-2.0, -0.5, 0.0, 0.5, 1.0, 1.5, 3.0)),
        check=check_function,
        reference=lambda v: lambda t: np.maximum(0.0, 1.0 - np.asarray(t, dtype=float)),
        options={"name": "hinge"},
        description="hinge(t) = max(0, 1 - t), vectorised",
    )
    yield part
    for table in (REGISTRY, answers._COLLECTORS, answers._INPUTS):
        table.pop(PART, None)


def _cell(kind: str, source: str, grade_id: str, **meta) -> nbformat.NotebookNode:
    make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
    cell = make(source)
    cell.metadata["nbgrader"] = {
        "grade": False, "solution": False, "locked": True, "task": False,
        "schema_version": 3, "grade_id": grade_id, **meta,
    }  # fmt: skip
    return cell


def _add_cells(course) -> None:
    path = course / "source" / "lesson07" / "lesson07.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells += [
        _cell("markdown", "## Extra: the hinge loss (1 point)\n\nWrite `hinge(t)`.", "md_hinge"),
        _cell(
            "code",
            "### BEGIN SOLUTION\ndef hinge(t):\n    return np.maximum(0.0, 1.0 - t)\n"
            "### END SOLUTION",
            "sol_hinge",
            solution=True,
            locked=False,
        ),
        _cell(
            "code",
            '### BEGIN HIDDEN TESTS\nfrom reference.grading import grade; grade("lesson07.hinge",'
            " hinge)\n### END HIDDEN TESTS",
            "test_hinge",
            grade=True,
            points=1,
        ),
    ]
    nbformat.write(nb, path)


def test_a_new_part_is_one_declaration_and_its_cells(declared, course):
    _add_cells(course)
    assert PART in check_declared("lesson07", course / "source/lesson07/lesson07.ipynb")
    nbgrader(course, "generate_assignment", "lesson07", "--force")
    source = nbformat.read(course / "source/lesson07/lesson07.ipynb", as_version=4)
    wrong = nbformat.from_dict(source)
    for cell in wrong.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "sol_hinge":
            cell.source = "def hinge(t):\n    return np.maximum(0.0, t - 1.0)"
    for student, nb in (("right", source), ("wrong", wrong)):
        folder = course / "submitted" / student / "lesson07"
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / "lesson07.ipynb")
    grade_lesson(Course.open(course), "lesson07", progress=False)  # hardened: judged outside
    cells = {
        s: {c.grade_id: c for c in load(course / "autograded" / s / "lesson07").cells}
        for s in ("right", "wrong")
    }
    right = cells["right"]["test_hinge"]
    assert (right.points, right.max_points) == (1, 1), right.feedback
    assert cells["right"]["test_hinge"].part == PART
    assert cells["wrong"]["test_hinge"].points == 0
    assert "hinge" in cells["wrong"]["test_hinge"].feedback


def test_a_declaration_whose_reference_fails_its_own_check_raises():
    with pytest.raises(ValueError, match="part 'lesson07.broken'.*reference answer"):
        declare(
            "lesson07.broken",
            points=1,
            check=check_function,
            collect=Sampled((0.0, 1.0)),
            reference=lambda v: "not a function",
        )
    with pytest.raises(ValueError, match="part 'lesson07.elsewhere'.*points differ"):
        declare(
            "lesson07.elsewhere",
            points=1,
            check=check_function,
            collect=Sampled((0.0, 1.0)),
            reference=lambda v: np.square,
            options={"points": [0.0, 1.0, 5.0]},  # where the collector did not sample
        )


def test_a_declaration_with_a_misspelt_option_raises_naming_the_part():
    with pytest.raises(ValueError, match=r"part 'lesson07.typo'.*rtoll"):
        declare(
            "lesson07.typo",
            points=1,
            check=check_function,
            collect=Sampled((0.0, 1.0)),
            reference=lambda v: np.square,
            options={"rtoll": 1e-3},
        )

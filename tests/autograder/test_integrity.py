import copy

import nbformat

from autograder.integrity import changed_cells


def _nb():
    nb = nbformat.v4.new_notebook()
    meta = lambda gid, **kw: {"nbgrader": {"grade_id": gid, "schema_version": 3, **kw}}  # noqa: E731
    nb.cells = [
        nbformat.v4.new_code_cell("import numpy as np", metadata=meta("setup", locked=True)),
        nbformat.v4.new_code_cell("x = 1", metadata=meta("sol", solution=True)),
        nbformat.v4.new_code_cell(
            "assert x", metadata=meta("t", grade=True, points=2, locked=True)
        ),
    ]
    return nb


def test_untouched_submission_has_no_changes():
    release = _nb()
    student = copy.deepcopy(release)
    student.cells[1].source = "x = 42"  # answering is allowed
    assert changed_cells(student, release) == []


def test_each_kind_of_tampering_is_named():
    release = _nb()
    edited, deleted, retyped, dup, points = (copy.deepcopy(release) for _ in range(5))
    edited.cells[2].source = "pass"
    del deleted.cells[0]
    retyped.cells[2].cell_type = "markdown"
    dup.cells.append(copy.deepcopy(dup.cells[2]))
    points.cells[2].metadata.nbgrader["points"] = 200
    assert "edited" in changed_cells(edited, release)[0]
    assert "deleted" in changed_cells(deleted, release)[0]
    assert "changed from code to markdown" in " ".join(changed_cells(retyped, release))
    assert "appears 2 times" in changed_cells(dup, release)[0]
    assert "metadata" in changed_cells(points, release)[0]

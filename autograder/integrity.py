"""Spot changes a student made to cells they were not meant to touch.

nbgrader restores locked and test cells before running a submission, so such
edits cannot change a score; a TA still wants to know about them. We compare
the submission with the *released* notebook (what the student was given),
not with the source, whose test cells also hold the hidden tests.
"""

from __future__ import annotations

from collections import Counter

import nbformat


def _protected(nb: nbformat.NotebookNode) -> dict[str, nbformat.NotebookNode]:
    cells = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        if grade_id and (meta.get("locked") or (meta.get("grade") and not meta.get("solution"))):
            cells[grade_id] = cell
    return cells


def changed_cells(student: nbformat.NotebookNode, release: nbformat.NotebookNode) -> list[str]:
    """One message per protected cell that was deleted, retyped, edited or duplicated.

    Cells are matched by their nbgrader ``grade_id``; the metadata of every
    graded cell (points, kind) is compared too, since editing it is a way to
    try to change what a cell is worth.
    """
    messages = []
    ids = Counter(
        c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        for c in student.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    )
    for grade_id, n in sorted(ids.items()):
        if n > 1:
            messages.append(f"cell {grade_id!r} appears {n} times")
    mine = {
        c.metadata["nbgrader"]["grade_id"]: c
        for c in student.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    }
    for grade_id, given in _protected(release).items():
        cell = mine.get(grade_id)
        if cell is None:
            messages.append(f"cell {grade_id!r} was deleted or its id was changed")
        elif cell.cell_type != given.cell_type:
            messages.append(
                f"cell {grade_id!r} was changed from {given.cell_type} to {cell.cell_type}"
            )
        elif cell.source.strip() != given.source.strip():
            messages.append(f"locked cell {grade_id!r} was edited")
    for cell in release.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = meta.get("grade_id")
        theirs = mine.get(grade_id, {}).get("metadata", {}).get("nbgrader", {}) if grade_id else {}
        if theirs and any(
            theirs.get(k) != meta.get(k) for k in ("points", "grade", "solution", "locked")
        ):
            messages.append(f"the grading metadata of cell {grade_id!r} was altered")
    return messages

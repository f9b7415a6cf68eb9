"""Instructor mistakes found before any student sees them: the notebook against its parts.

Each graded test cell of a source notebook names its part in its one-line
hidden test; the part is declared once in ``reference/grading/lessonNN.py``.
What must agree, and raises :class:`InstructorError` naming the part when not:

* the cell's part exists, and each part of the lesson has a test cell;
* the cell's points (nbgrader's metadata) equal the part's points;
* every collector in ``reference/answers`` belongs to a declared part.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from ..judge import graded_part


class InstructorError(Exception):
    """A mistake in a lesson's declaration: the message names the part and what to fix."""


def graded_cells(nb: nbformat.NotebookNode) -> list[tuple[str, float, str | None]]:
    """(grade id, points, part id) of each autograded test cell, in notebook order."""
    cells = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            cells.append(
                (str(meta.get("grade_id")), float(meta.get("points", 0)), graded_part(cell.source))
            )
    return cells


def check_declared(lesson: str, notebook: Path) -> list[str]:
    """Raise :class:`InstructorError` for the first disagreement; the lesson's part ids if none."""
    from reference.answers import collector
    from reference.answers import registered as collectors
    from reference.grading import REGISTRY, get_part

    nb = nbformat.read(notebook, as_version=4)
    seen = []
    for grade_id, points, part_id in graded_cells(nb):
        if part_id is None:
            raise InstructorError(
                f"{lesson}: test cell {grade_id} does not end with grade(\"{lesson}.<part>\", "
                "answer): it would not be judged"
            )
        try:
            part = get_part(part_id)
        except KeyError:
            raise InstructorError(
                f"{lesson}: test cell {grade_id} grades {part_id!r}, which no "
                f"reference/grading/{lesson}.py declares"
            ) from None
        if float(part.points) != points:
            raise InstructorError(
                f"part {part_id}: declared with {part.points:g} points, but its test cell "
                f"{grade_id} gives {points:g}; make them agree"
            )
        seen.append(part_id)
    collector(f"{lesson}.any")  # imports the lesson's collectors
    declared = sorted(p for p in REGISTRY if p.split(".", 1)[0] == lesson)
    unused = [p for p in declared if p not in seen]
    if unused:
        raise InstructorError(f"part {unused[0]}: declared, but no test cell of {lesson} grades it")
    orphans = [p for p in collectors() if p.split(".", 1)[0] == lesson and p not in declared]
    if orphans:
        raise InstructorError(f"part {orphans[0]}: a collector is declared, but no such part")
    return seen

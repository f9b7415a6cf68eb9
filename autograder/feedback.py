"""One HTML page per student: the score of each part and what the checks said.

Built from the grading results, never from the autograded notebook, so the
page cannot show hidden tests' code (nbgrader's own feedback renders the
whole notebook, hidden tests included: nbgrader issue #917).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import nbformat

from .course import Course
from .gradebook_view import lesson_scores
from .results import FLAGS, load
from .templates import template

_PAGE = template("feedback.html.j2")


def _titles(course: Course, lesson: str, notebook: str) -> dict[str, str]:
    """A readable title per graded cell: the heading of the markdown above it."""
    path = course.release(lesson) / f"{notebook}.ipynb"
    if not path.is_file():
        path = course.source(lesson) / f"{notebook}.ipynb"
    titles, heading = {}, ""
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    heading = line.lstrip("#").strip().replace("$", "")
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id:
            titles[grade_id] = f"{heading} ({grade_id})" if heading else grade_id
    return titles


def _explain(feedback: str, note: str) -> str:
    if feedback:
        return feedback
    if note == "error":
        return "This part's test stopped with an error."
    return ""


def write_feedback(course: Course, lesson: str) -> list[Path]:
    """Write ``feedback/<student>/<lesson>/<notebook>.html`` for every graded student."""
    notebook = course.notebook_name(lesson)
    scores = lesson_scores(course, lesson)
    titles = _titles(course, lesson, notebook)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    written = []
    for student, points in sorted(scores.points.items()):
        result = load(course.autograded(student, lesson))
        if result is None:
            continue
        messages = {c.grade_id: _explain(c.feedback, c.note) for c in result.cells}
        rows = []
        for part, max_points in scores.parts.items():
            got = points.get(part)
            cls = (
                ""
                if got is None
                else "full"
                if got >= max_points
                else "zero"
                if got == 0
                else "part"
            )
            text = messages.get(part, "")
            if got is None:
                text = text or "A TA will read and grade this answer."
            rows.append(
                {
                    "title": titles.get(part, part),
                    "points": got,
                    "max": max_points,
                    "feedback": text,
                    "cls": cls,
                }
            )
        flags = [f"{FLAGS.get(f, f)}" for f in result.flags if f != "needs-manual-grading"]
        page = _PAGE.render(
            lesson=lesson,
            student=student,
            total=scores.totals.get(student, 0.0),
            max_total=scores.max_total,
            timestamp=result.timestamp,
            flags=flags,
            rows=rows,
            now=now,
        )
        target = course.feedback(student, lesson) / f"{notebook}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        written.append(target)
    return written

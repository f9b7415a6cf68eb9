"""Read scores back from nbgrader's gradebook (manual grades included)."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

from nbgrader.api import Gradebook, MissingEntry

from .course import Course
from .results import load


@dataclass
class LessonScores:
    """Everything exports and reports need about one lesson, as plain data."""

    lesson: str
    #: grade_id -> max points, in notebook order
    parts: dict[str, float] = field(default_factory=dict)
    #: student -> grade_id -> points (None while a human has not graded it)
    points: dict[str, dict[str, float | None]] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)
    flags: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    feedback: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def max_total(self) -> float:
        return round(sum(self.parts.values()), 6)


def lesson_scores(course: Course, lesson: str, students: list[str] | None = None) -> LessonScores:
    """Scores of ``lesson`` for every student in the gradebook (or ``students``)."""
    from sqlalchemy.exc import SAWarning

    out = LessonScores(lesson)
    notebook = course.notebook_name(lesson)
    with warnings.catch_warnings(), Gradebook(course.db_url, course.course_id) as gb:
        warnings.simplefilter("ignore", SAWarning)
        try:
            nb = gb.find_notebook(notebook, lesson)
        except MissingEntry:
            return out
        for cell in sorted(nb.grade_cells, key=lambda c: c.id):
            out.parts[cell.name] = float(cell.max_score)
        order = {c.name: i for i, c in enumerate(nb.source_cells)}
        out.parts = dict(sorted(out.parts.items(), key=lambda kv: order.get(kv[0], 1_000)))
        everyone = students if students is not None else [s.id for s in gb.students]
        for student in everyone:
            try:
                sub = gb.find_submission_notebook(notebook, lesson, student)
            except MissingEntry:
                out.flags[student] = ["missing"]
                out.totals[student] = 0.0
                out.points[student] = {name: 0.0 for name in out.parts}
                continue
            grades = {g.name: g for g in sub.grades}
            out.points[student] = {
                name: (None if grades[name].needs_manual_grade else float(grades[name].score or 0))
                for name in out.parts
                if name in grades
            }
            out.totals[student] = float(sub.score or 0.0)
            flags = []
            if sub.assignment.total_seconds_late and sub.assignment.total_seconds_late > 0:
                flags.append("late")
            if any(g.needs_manual_grade for g in sub.grades):
                flags.append("needs-manual-grading")
            result = load(course.autograded(student, lesson))
            if result is not None:
                flags.extend(f for f in result.flags if f not in flags)
                out.notes[student] = {c.grade_id: c.note for c in result.cells}
                out.feedback[student] = {c.grade_id: c.feedback for c in result.cells}
            out.flags[student] = flags
    return out

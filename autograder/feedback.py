"""One HTML page per student: the score of each part and what the checks said.

Built from the grading results, never from the autograded notebook, so the
page cannot show hidden tests' code (nbgrader's own feedback renders the
whole notebook, hidden tests included: nbgrader issue #917).
"""

from __future__ import annotations

from pathlib import Path

from .course import Course, CourseError
from .flags import explain, shown
from .gradebook_view import lesson_scores, now_text, when_text
from .results import load
from .templates import template

_PAGE = template("feedback.html.j2")

#: What a part that waits for a TA shows instead of points (never "0").
WAITING = "waiting for a TA"


def _explain(feedback: str, note: str) -> str:
    if feedback:
        return feedback
    if note == "error":
        return "This part's test stopped with an error."
    return ""


def _cls(got: float | None, max_points: float) -> str:
    if got is None:
        return "wait"
    return "full" if got >= max_points else "zero" if got == 0 else "part"


def write_feedback(course: Course, lesson: str) -> list[Path]:
    """Write ``feedback/<student>/<lesson>/<notebook>.html`` for every graded student."""
    notebook = course.notebook_name(lesson)
    scores = lesson_scores(course, lesson)
    if not scores.submitted():
        raise CourseError(f"nothing graded for {lesson} yet: run `autograder grade {lesson}` first")
    now = now_text()
    written = []
    for student in sorted(scores.submitted()):
        points = scores.points.get(student, {})
        result = load(course.autograded(student, lesson))
        if result is None:
            continue
        messages = {c.grade_id: _explain(c.feedback, c.note) for c in result.cells}
        rows = []
        for part, max_points in scores.parts.items():
            got = points.get(part)
            text = messages.get(part, "")
            if got is None:
                text = text or "A TA will read and grade this answer."
            rows.append(
                {
                    "title": scores.title(part),
                    "points": got,
                    "max": max_points,
                    "feedback": text,
                    "cls": _cls(got, max_points),
                }
            )
        page = _PAGE.render(
            lesson=lesson,
            student=student,
            score=scores.score_line(student),
            waiting=WAITING,
            timestamp=when_text(result.timestamp),
            flags=[explain(f) for f in shown(scores.flags.get(student, result.flags))],
            rows=rows,
            now=now,
        )
        target = course.feedback(student, lesson) / f"{notebook}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        written.append(target)
    return written

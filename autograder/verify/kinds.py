"""What verify hands in for each student, and what the grader must say of it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import nbformat

from ..course import Course
from ..results import SubmissionResult


@dataclass(frozen=True)
class Kind:
    """A kind of submission: how to make it for a variant, and what is wrong with its result."""

    name: str
    make: Callable  # (source, release, variant, student) -> notebook
    problem: Callable[[SubmissionResult], str | None]


def typed_for(nb: nbformat.NotebookNode, variant, student: str) -> nbformat.NotebookNode:
    """``nb`` as ``student`` fills it in: their id typed, ``task.a`` written as their number."""
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("solution") and variant is not None:
            for name, value in variant.items():
                cell.source = re.sub(rf"\btask\.{name}\b", repr(value), cell.source)
        if cell.metadata.get("calcml", {}).get("identity"):
            cell.source = re.sub(r'student_id = ".*"', f"student_id = {student!r}", cell.source)
    return nb


def _replaced(nb: nbformat.NotebookNode, cells: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(nb)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in cells:
            cell.source = cells[grade_id]
    return nb


def _autograded(result: SubmissionResult):
    return [c for c in result.cells if c.grade_id.startswith("test_") or c.part]


def _full(result: SubmissionResult) -> str | None:
    from reference.grading.parts import JUDGE_ERRORS

    from .declared import InstructorError

    short = [c for c in _autograded(result) if c.points < c.max_points]
    for c in short:
        if c.note == "check-error" and c.part in JUDGE_ERRORS:
            raise InstructorError(
                f"part {c.part}: its judge fails on the instructor's own solution "
                f"({JUDGE_ERRORS[c.part]}); check the options it passes"
            )
    if result.status != "graded":
        return f"status {result.status}: {'; '.join(result.messages)[:300]}"
    if short:
        c = short[0]
        return f"{c.grade_id} got {c.points:g}/{c.max_points:g}: {c.feedback[:200]}"
    return None


def _zero(result: SubmissionResult) -> str | None:
    scored = [c for c in result.cells if c.points > 0]
    return f"{scored[0].grade_id} got {scored[0].points:g} points" if scored else None


def _mistake_kind(m) -> Kind:
    def make(source, release, variant, student):
        return typed_for(_replaced(source, m.cells(variant)), variant, student)

    def problem(result: SubmissionResult) -> str | None:
        by_id = {c.grade_id: c for c in result.cells}
        for grade_id, phrase in m.partial.items():
            c = by_id.get(grade_id)
            if c is None:
                return f"{grade_id} was not graded"
            if not 0 < c.points < c.max_points:
                return f"{grade_id} got {c.points:g}/{c.max_points:g}, not partial: {c.feedback}"
            if phrase.lower() not in c.feedback.lower():
                return f"{grade_id}'s feedback does not say {phrase!r}: {c.feedback[:200]}"
        for grade_id in m.full:
            c = by_id.get(grade_id)
            if c is None or c.points < c.max_points:
                return f"{grade_id} should keep full marks"
        return None

    return Kind(f"mistake:{m.name}", make, problem)


def kinds(lesson: str) -> list[Kind]:
    """The solution, the blank release and every typical mistake of ``lesson``."""
    from ..demo.mistakes import all_mistakes

    return [
        Kind("solution", lambda s, r, v, student: typed_for(s, v, student), _full),
        Kind("blank", lambda s, r, v, student: typed_for(r, v, student), _zero),
        *(_mistake_kind(m) for m in all_mistakes() if m.lesson == lesson),
    ]


def submit_all(
    course: Course,
    lesson: str,
    notebook: str,
    kind: Kind,
    students: list[str],
    source: nbformat.NotebookNode,
    release: nbformat.NotebookNode,
) -> None:
    from calcml_tasks import variant_for

    for student in students:
        variant = variant_for(course.course_id, lesson, student)
        folder = course.submitted(student, lesson)
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(kind.make(source, release, variant, student), folder / f"{notebook}.ipynb")

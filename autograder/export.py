"""CSV exports: one row per student, one column per graded part, plus flags.

``grades.csv`` keeps nbgrader's total (what ``nbgrader export`` gives, written
answers that wait for a TA counting 0) and beside it the autograded points and
the points that still wait for a TA, so no one reads a waiting answer as a
zero. ``canvas.csv`` is for Canvas's gradebook import: with a roster, only the
students the roster maps to Canvas (a ``canvas_id`` or ``sis_id``) get a row;
the others are returned as unmapped, for the caller to list.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple

from .collect.roster import Roster
from .course import Course, CourseError
from .flags import Flag
from .gradebook_view import LessonScores, lesson_scores


class Exported(NamedTuple):
    detail: Path
    canvas: Path
    #: students left out of canvas.csv because the roster cannot map them to Canvas
    unmapped: list[str]


def _students(scores: list[LessonScores], roster: Roster | None) -> list[str]:
    seen = set(roster.ids()) if roster else set()
    for s in scores:
        seen.update(s.totals)
    return sorted(seen)


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _write_detail(path: Path, scores: list[LessonScores], students: list[str]) -> None:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        header = ["student_id"]
        for s in scores:
            header += [f"{s.lesson}:{part}" for part in s.parts]
            header += [f"{s.lesson}:{c}" for c in ("total", "max", "autograded", "waiting_for_ta")]
            header.append(f"{s.lesson}:flags")
        writer.writerow(header + ["total"])
        for student in students:
            row: list[str] = [student]
            total = 0.0
            for s in scores:
                pts = s.points.get(student)
                flags = s.flags.get(student, [Flag.MISSING.value])
                for part in s.parts:
                    row.append(_fmt(pts.get(part)) if pts else "0")  # "" while a TA grades it
                row += [
                    _fmt(s.totals.get(student, 0.0)),
                    _fmt(s.max_total),
                    _fmt(s.autograded(student)),
                    _fmt(s.waiting(student)),
                    ";".join(flags),
                ]
                total += s.totals.get(student, 0.0)
            writer.writerow(row + [_fmt(round(total, 6))])


def export_grades(
    course: Course, lessons: list[str], out: Path, roster: Roster | None = None
) -> Exported:
    """Write ``grades.csv`` (per part, with flags) and ``canvas.csv`` (Canvas import)."""
    # Everyone graded, plus roster students who never submitted (they get "missing").
    scores = [lesson_scores(course, lesson) for lesson in lessons]
    scores = [s for s in scores if s.parts]  # lessons never released have nothing to export
    if not any(s.submitted() for s in scores):
        raise CourseError(
            f"nothing graded yet in {', '.join(lessons) or 'any lesson'}: "
            "run `autograder grade` first"
        )
    students = _students(scores, roster)
    out.mkdir(parents=True, exist_ok=True)
    detail = out / "grades.csv"
    _write_detail(detail, scores, students)
    canvas = out / "canvas.csv"
    unmapped = []
    with canvas.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [s.lesson for s in scores]
        )
        writer.writerow(["Points Possible", "", "", "", ""] + [_fmt(s.max_total) for s in scores])
        for student in students:
            info = roster.find(student) if roster else {}
            if roster and not (info and (info.get("canvas_id") or info.get("sis_id"))):
                unmapped.append(student)
                continue
            sis = info.get("sis_id") or ("" if roster else student)
            writer.writerow(
                [
                    info.get("name") or student,
                    info.get("canvas_id", ""),
                    sis,
                    sis,
                    info.get("section", ""),
                ]
                + [_fmt(s.totals.get(student, 0.0)) for s in scores]
            )
    return Exported(detail, canvas, unmapped)

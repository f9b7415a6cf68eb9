"""CSV exports: one row per student, one column per graded part, plus flags."""

from __future__ import annotations

import csv
from pathlib import Path

from .collect.roster import Roster
from .course import Course
from .gradebook_view import LessonScores, lesson_scores


def _students(course: Course, scores: list[LessonScores], roster: Roster | None) -> list[str]:
    seen = set(roster.ids()) if roster else set()
    for s in scores:
        seen.update(s.totals)
    return sorted(seen)


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def export_grades(
    course: Course, lessons: list[str], out: Path, roster: Roster | None = None
) -> tuple[Path, Path]:
    """Write ``grades.csv`` (per part, with flags) and ``canvas.csv`` (Canvas import)."""
    roster = roster or Roster()
    # Everyone graded, plus roster students who never submitted (they get "missing").
    scores = [lesson_scores(course, lesson) for lesson in lessons]
    scores = [s for s in scores if s.parts]  # lessons never released have nothing to export
    students = _students(course, scores, roster)
    out.mkdir(parents=True, exist_ok=True)
    detail = out / "grades.csv"
    with detail.open("w", newline="") as fh:
        writer = csv.writer(fh)
        header = ["student_id"]
        for s in scores:
            header += [f"{s.lesson}:{part}" for part in s.parts]
            header += [f"{s.lesson}:total", f"{s.lesson}:max", f"{s.lesson}:flags"]
        writer.writerow(header + ["total"])
        for student in students:
            row: list[str] = [student]
            total = 0.0
            for s in scores:
                pts = s.points.get(student)
                flags = s.flags.get(student, ["missing"])
                for part in s.parts:
                    row.append(_fmt(pts.get(part)) if pts else "0")
                row += [_fmt(s.totals.get(student, 0.0)), _fmt(s.max_total), ";".join(flags)]
                total += s.totals.get(student, 0.0)
            writer.writerow(row + [_fmt(round(total, 6))])
    canvas = out / "canvas.csv"
    with canvas.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"] + [s.lesson for s in scores]
        )
        writer.writerow(["Points Possible", "", "", "", ""] + [_fmt(s.max_total) for s in scores])
        for student in students:
            info = roster.row(student)
            writer.writerow(
                [
                    info.get("name") or student,
                    info.get("canvas_id", ""),
                    info.get("sis_id", student),
                    info.get("sis_id", student),
                    info.get("section", ""),
                ]
                + [_fmt(s.totals.get(student, 0.0)) for s in scores]
            )
    return detail, canvas

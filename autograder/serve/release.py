"""The student's page for one attempt, released through nbgrader's exchange.

``nbgrader fetch_feedback`` (and the Assignment List's Fetch Feedback) looks,
for each submission in the student's cache, for
``<exchange>/<course>/feedback/<hash>.html``, where the hash is nbgrader's
``notebook_hash`` of the submission's secret and the notebook's name (or, for
a submission without a secret, of the notebook and its unique key). The page
is written there atomically, so a fetch never sees half of it.

What a page shows is the lesson's policy (:class:`.policy.Shown`); it is built
from the grading result, never from the autograded notebook's cells, so hidden
tests never show, and the expected curve is never drawn.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from ..course import Course
from ..feedback import _cls, _explain, _pictures, _svg_or_none
from ..flags import explain, for_student
from ..gradebook_view import lesson_scores, now_text, when_text
from ..results import SubmissionResult
from ..safe_files import read_file
from ..templates import template
from .policy import Shown

_PAGE = template("attempt.html.j2")


def feedback_name(box: Path, folder: str, course_id: str, notebook: str) -> str:
    """The file name fetch_feedback looks for, for this inbound submission."""
    from nbgrader.utils import make_unique_key, notebook_hash

    try:
        secret = read_file(box, [folder, "submission_secret.txt"], max_bytes=4096).decode()
    except (OSError, UnicodeDecodeError):
        secret = ""
    if secret:
        return f"{notebook_hash(secret=secret, notebook_id=notebook)}.html"
    student, lesson, stamp = folder.split("+")[:3]
    key = make_unique_key(course_id, lesson, notebook, student, stamp)
    return f"{notebook_hash(str(box / folder / f'{notebook}.ipynb'), key)}.html"


def publish(exchange_course: Path, name: str, page: str) -> Path:
    """Write the page where students fetch feedback; readable, not listable, by them."""
    out = exchange_course / "feedback"
    if not out.is_dir():
        out.mkdir(parents=True, exist_ok=True)
        out.chmod(0o711)
    tmp = out / f".{name}.{os.getpid()}.tmp"
    tmp.write_text(page, encoding="utf-8")
    tmp.chmod(0o644)
    os.replace(tmp, out / name)
    return out / name


def _verdict(got: float | None, max_points: float) -> str:
    if got is None:
        return "Waiting for a TA"
    if got >= max_points:
        return "Correct"
    return "Not yet right" if got == 0 else "Partly right"


def graded_page(
    course: Course,
    result: SubmissionResult,
    *,
    shown: Shown,
    notice: list[str],
    stamp: str,
    number: int,
    recorded: tuple[float, str] | None = None,
) -> str:
    """The page of a graded attempt, showing what ``shown`` allows.

    ``recorded`` is what the gradebook keeps and why (shown with the score);
    points of written answers are never counted as zeros: they wait for a TA.
    """
    lesson, student = result.lesson, result.student
    scores = lesson_scores(course, lesson, students=[student])
    notice = list(notice)
    if shown is not Shown.NONE and recorded is not None:
        auto = [c for c in result.cells if c.grade_id not in scores.manual]
        got = round(sum(c.points for c in auto), 6)
        top = round(sum(c.max_points for c in auto), 6)
        waits = round(result.max_score - top, 6)
        wait = (
            f" ({waits:g} more point{' waits' if waits == 1 else 's wait'} for a TA)"
            if waits
            else ""
        )
        kept, how = recorded
        notice.append(f"This attempt scored {got:g} / {top:g} autograded{wait}.")
        notice.append(f"Your recorded grade is {kept:g} / {top:g} autograded: {how}.")
    rows = []
    if shown in (Shown.PARTS, Shown.FULL):
        titles = scores.titles
        pictures = (
            _pictures(course, student, lesson, course.notebook_name(lesson), result.cells)
            if shown is Shown.FULL
            else {}
        )
        for cell in result.cells:
            got = None if cell.grade_id in scores.manual else cell.points
            rows.append(
                {
                    "title": titles.get(cell.grade_id, cell.grade_id),
                    "points": got,
                    "max": cell.max_points,
                    "cls": _cls(got, cell.max_points),
                    "verdict": _verdict(got, cell.max_points),
                    "feedback": _explain(cell.feedback, cell.note)
                    if shown is Shown.FULL and got is not None
                    else "",
                    "picture": _svg_or_none(pictures.get(cell.grade_id), False)
                    if got is not None
                    else None,
                }
            )
    flags = [explain(f) for f in for_student(result.flags)] if shown is not Shown.NONE else []
    return _render(lesson, student, stamp, notice, number=number, flags=flags, rows=rows)


def refused_page(lesson: str, student: str, notice: list[str], stamp: str) -> str:
    """The page of an attempt that was archived and not graded, saying why."""
    return _render(lesson, student, stamp, notice, refused=True)


def _render(
    lesson: str,
    student: str,
    stamp: str,
    notice: list[str],
    *,
    number: int | None = None,
    refused: bool = False,
    flags: Sequence[str] = (),
    rows: Sequence[dict] = (),
) -> str:
    return _PAGE.render(
        lesson=lesson,
        student=student,
        number=number,
        submitted=when_text(stamp_time(stamp)),
        notice=notice,
        refused=refused,
        flags=list(flags),
        rows=list(rows),
        now=now_text(),
    )


def stamp_time(stamp: str):
    """nbgrader's timestamp text as a datetime (None if unreadable)."""
    from ..collect.sources import parse_stamp

    try:
        return parse_stamp(stamp)
    except Exception:  # noqa: BLE001 - written by the student's side
        return None

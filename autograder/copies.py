"""Whose task a submission was solved for: answers wrong for the owner, right for another.

Each student has a task of their own (:mod:`calcml_tasks`). A notebook solved
for another student's task fails, for its owner, every part whose answer
depends on the task; the same answers judged for that other student's task
pass. That is a signal for a TA (a copy, or a mix-up of ids), never a penalty.

Only submissions that fail most of their varying parts are looked into, and
each candidate task is tried on the cheapest evidence first, so a class costs
a few judge calls per suspicious notebook.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from calcml_tasks import Variant, variant_for

from .flags import Flag
from .judge import Judged, judge_again

if TYPE_CHECKING:
    from .results import SubmissionResult

#: The share of a notebook's varying parts that must fail before other tasks are tried.
SUSPICIOUS_SHARE = 0.5
#: At most this many other students' tasks are tried per submission.
MAX_CANDIDATES = 400


def flag_whose_task(
    result: SubmissionResult,
    solved_for: str | None,
    judged: Judged,
    *,
    course_id: str,
    class_list: Sequence[str],
) -> None:
    """Flag a notebook solved for another student's task, and answers that fit one.

    ``class_list``: the students with a submission of the lesson.
    """
    if solved_for and solved_for != result.student:
        result.flags.append(Flag.OTHER_VARIANT)
        result.messages.append(
            f"The notebook shows the task of {solved_for!r}, not its owner's: it was graded "
            f"against the task of {result.student!r}."
        )
    fits = fitting_students(
        judged,
        course=course_id,
        lesson=result.lesson,
        owner=result.student,
        candidates=[solved_for, *class_list] if solved_for else class_list,
    )
    if fits:
        result.flags.append(Flag.POSSIBLE_COPY)
        result.messages.append(
            "Answers wrong for this student's task are right for the task of "
            + ", ".join(repr(s) for s in fits[:5])
            + ": a TA should compare the notebooks."
        )


def fitting_students(
    judged: Judged,
    *,
    course: str,
    lesson: str,
    owner: str,
    candidates: Iterable[str],
) -> list[str]:
    """Other students whose task every failing varying answer of ``judged`` is right for.

    ``candidates`` are tried in order (put the id the notebook names first).
    """
    from reference.grading import get_part

    varying = {pid: h for pid, h in judged.handed.items() if get_part(pid).varies}
    failing = {pid: h for pid, h in varying.items() if not h.result.passed}
    if not failing or len(failing) < SUSPICIOUS_SHARE * len(varying):
        return []
    if len(varying) > 1 and len(failing) < 2:
        return []  # one wrong part is a mistake, not a sign of another task
    own = variant_for(course, lesson, owner)
    tried: dict[str, bool] = {}
    found = []
    for i, student in enumerate(dict.fromkeys(candidates)):
        if i >= MAX_CANDIDATES:
            break
        if student == owner:
            continue
        other = variant_for(course, lesson, student)
        if other is None or other == own:
            continue
        key = other.key()
        if key not in tried:
            tried[key] = _fits(failing, other)
        if tried[key]:
            found.append(student)
    return found


def _fits(failing: dict, other: Variant) -> bool:
    """Most failing answers, and at least two, are right for ``other``'s task.

    Not all: a part that combines the student's own code with the task's given
    function (a plot of both) may fit neither task. Judging stops as soon as
    the answer is known: a notebook wrong for every task (a blank one) costs a
    judge call or two per candidate, not one per part.
    """
    from reference.grading import get_part

    needed = max(min(2, len(failing)), -(-len(failing) // 2))
    right = wrong = 0
    for pid, handed in failing.items():
        if judge_again(get_part(pid), handed.data, other).passed:
            right += 1
        else:
            wrong += 1
        if right >= needed:
            return True
        if len(failing) - wrong < needed:
            return False
    return False


def submitted_for(raw: bytes) -> str | None:
    """:func:`solved_for` of a submitted file's bytes; None if they are not a notebook."""
    import json

    try:
        nb = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return None
    return solved_for(nb) if isinstance(nb, dict) else None


def solved_for(nb: dict) -> str | None:
    """The student id a submitted notebook was worked on for, as it left the student.

    The task the setup cell showed when the student last ran it (its output's
    metadata), else the id typed into the identity cell; None if neither says.
    """
    from calcml_tasks import VARIANT_KEY

    shown = None
    typed = None
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        for out in cell.get("outputs", []) or []:
            meta = out.get("metadata", {}) if isinstance(out, dict) else {}
            record = meta.get(VARIANT_KEY) if isinstance(meta, dict) else None
            if isinstance(record, dict) and isinstance(record.get("student"), str):
                shown = record["student"].strip() or shown
        if (cell.get("metadata", {}) or {}).get("calcml", {}).get("identity"):
            typed = _typed_id(cell.get("source", ""))
    return shown or typed or None


def _typed_id(source) -> str | None:
    import ast

    text = "".join(source) if isinstance(source, list) else str(source)
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return None
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["student_id"]
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value.strip() or None
    return None

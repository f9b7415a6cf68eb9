"""Whether an attempt is graded, and what its page says about the attempts left.

A pure decision on plain data, so each rule has a test of its own. Arrival
times are the service's clock (``Attempt.seen``), never the timestamp the
student's side wrote: a student cannot move a cooldown by editing a file.

>>> from autograder.serve.ledger import Attempt
>>> from autograder.serve.policy import LessonPolicy, Shown, Recorded, Late
>>> p = LessonPolicy(2, 60.0, Shown.PARTS, Shown.FULL, Recorded.BEST, 0.1, Late.GRADE)
>>> first = Attempt("a+l+t1", "a", "lesson01", "t1", seen=1000.0, state="graded", number=1)
>>> decide(Attempt("a+l+t2", "a", "lesson01", "t2", seen=1030.0), [first], p, late=False).grade
False
>>> decide(Attempt("a+l+t2", "a", "lesson01", "t2", seen=1060.0), [first], p, late=False).grade
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from .ledger import Attempt
from .policy import Late, LessonPolicy

#: A status the grader gives when no code ran: such an attempt is not counted.
NOT_COUNTED = ("unreadable",)


@dataclass
class Decision:
    grade: bool
    #: Why it is not graded (a short word for the TA: limit, cooldown, late, ...).
    reason: str = ""
    #: Lines for the student's page.
    notice: list[str] = field(default_factory=list)
    #: The attempt number it gets if graded.
    number: int = 0


def clock(t: float) -> str:
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def counted(history: list[Attempt]) -> list[Attempt]:
    return [a for a in history if a.reason not in NOT_COUNTED]


def decide(
    attempt: Attempt, history: list[Attempt], policy: LessonPolicy, *, late: bool
) -> Decision:
    """Grade ``attempt`` given this student's graded ``history`` of the lesson?"""
    used = counted(history)
    number = len(history) + 1
    if late and policy.late is Late.ARCHIVE:
        return Decision(
            False,
            "late",
            [
                f"This attempt arrived after the deadline of {attempt.lesson}. It is kept, "
                "but it is not graded; your grade is that of your attempts before the deadline."
            ],
        )
    if policy.attempts and len(used) >= policy.attempts:
        return Decision(
            False,
            "limit",
            [
                f"This attempt was not graded: you have used all {policy.attempts} graded "
                f"attempts of {attempt.lesson}. It is kept with your submissions; no further "
                "attempt will be graded.",
            ],
        )
    if used and policy.cooldown:
        opens = used[-1].seen + policy.cooldown
        if attempt.seen < opens:
            wait = opens - attempt.seen
            return Decision(
                False,
                "cooldown",
                [
                    f"This attempt was not graded: it came {attempt.seen - used[-1].seen:.0f} s "
                    f"after your last graded one, and attempts of {attempt.lesson} must be "
                    f"{policy.cooldown:g} s apart. The next attempt opens at {clock(opens)} "
                    f"(in {wait:.0f} s). It does not count against your attempts.",
                ],
            )
    return Decision(True, number=number)


def attempts_line(policy: LessonPolicy, number: int, seen: float, *, counts: bool) -> str:
    """What the page of a graded attempt says about the ones left."""
    used = number if counts else number - 1
    if not policy.attempts:
        left = "There is no limit on attempts"
    else:
        remaining = max(0, policy.attempts - used)
        left = (
            f"{remaining} graded attempt{'' if remaining == 1 else 's'} left"
            if remaining
            else "that was your last graded attempt"
        )
    text = f"Attempt {number} of {policy.attempts or 'unlimited'} was graded; {left}."
    if policy.cooldown and (not policy.attempts or used < policy.attempts):
        text += f" The next attempt opens at {clock(seen + policy.cooldown)}."
    if not counts:
        text += " Nothing in the notebook could run, so this attempt does not count."
    return text

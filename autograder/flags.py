"""The flags a submission can carry, each with why it is raised and what it does to the score.

One place for them, so a TA never sees "ran past its time limit" beside full
marks without the sentence that reconciles the two. The values are the strings
stored in ``autograder.json`` and written to ``grades.csv``; they never change.

>>> Flag("timed-out") is Flag.TIMED_OUT and Flag.TIMED_OUT == "timed-out"
True
>>> print(Flag.TIMED_OUT.explain())
timed-out: a cell ran past its time limit and was stopped (often a loop that never ends). \
Score: only the parts that needed the stopped cell lose points; every other part is graded \
as usual, so full marks are still possible.
"""

from __future__ import annotations

from enum import StrEnum


class Flag(StrEnum):
    """A flag: its stored value, why it was raised, and what it means for the score."""

    reason: str
    effect: str

    def __new__(cls, value: str, reason: str, effect: str) -> Flag:
        member = str.__new__(cls, value)
        member._value_ = value
        member.reason = reason
        member.effect = effect
        return member

    def explain(self) -> str:
        """One sentence for a page: the flag, why, and what it does to the score."""
        return f"{self.value}: {self.reason}. Score: {self.effect}."

    LATE = (
        "late",
        "submitted after the due date",
        "nbgrader's late-submission penalty (set by the course; none by default) is taken "
        "off the total",
    )
    TIMED_OUT = (
        "timed-out",
        "a cell ran past its time limit and was stopped (often a loop that never ends)",
        "only the parts that needed the stopped cell lose points; every other part is graded "
        "as usual, so full marks are still possible",
    )
    CRASHED = (
        "crashed",
        "the notebook's process died (killed, out of memory, or it ended itself)",
        "cells that never ran score 0; the parts graded before the crash keep their points",
    )
    UNREADABLE = (
        "unreadable",
        "the file is not a notebook Jupyter can open (truncated upload, not JSON, not UTF-8)",
        "nothing ran, so every part scores 0 until a file Jupyter can open is submitted",
    )
    NEEDS_MANUAL_GRADING = (
        "needs-manual-grading",
        "a written answer waits for a TA",
        "its points are not in the autograded score; they count once a TA grades them in "
        "nbgrader formgrade",
    )
    CELLS_CHANGED = (
        "cells-changed",
        "locked or test cells were edited, deleted or retyped, and were restored before grading",
        "no penalty by itself; an answer that relied on the edit may lose points",
    )
    TAMPERED = (
        "tampered",
        "the notebook's code replaced grading functions or IPython hooks, or handed in an "
        "answer computed at other inputs than the grader chose",
        "the parts concerned score 0, and a TA will read the notebook",
    )
    OTHER_VARIANT = (
        "other-variant",
        "the notebook was solved for another student's task (another id was typed or shown)",
        "it is graded against its owner's own task, so the parts that depend on the task "
        "lose points",
    )
    POSSIBLE_COPY = (
        "possible-copy",
        "answers wrong for this student's task are right for another student's task "
        "(named with the flag)",
        "none by itself: a signal for a TA to look, not a penalty",
    )
    MISSING = ("missing", "no submission", "every part scores 0")
    ERROR = (
        "error",
        "the grader could not finish this submission",
        "it scores 0 until a TA looks at it",
    )


def explain(flag: str) -> str:
    """:meth:`Flag.explain` for a stored value; an unknown value is shown as it is."""
    try:
        return Flag(flag).explain()
    except ValueError:
        return flag


def shown(flags: list[str]) -> list[Flag | str]:
    """The flags worth a TA's attention: all but ``needs-manual-grading``, which pages show
    as "waiting for a TA" on the part itself."""
    return [f for f in flags if f != Flag.NEEDS_MANUAL_GRADING]


#: Flags for the TA's eyes only: a signal to look, never shown on a student's page.
TA_ONLY = frozenset({Flag.POSSIBLE_COPY})


def for_student(flags: list[str]) -> list[Flag | str]:
    """The flags a student's feedback page explains (``possible-copy`` is the TA's)."""
    return [f for f in shown(flags) if f not in TA_ONLY]

"""The value every answer check returns, and the catalogue of its notes.

A check answers three things, as STACK's answer tests do: a score in [0, 1],
feedback the student may read, and a stable note (a short tag) that reports
count across a class. The result is plain data so it can cross a process
boundary as JSON.

A result may also carry a picture (:mod:`.pictures`): plain data, drawn by the
grader under the feedback. It is an illustration, not part of the verdict:
unpacking, equality and ``repr`` ignore it, and :meth:`CheckResult.to_dict`
has its key only when there is one.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field

from .pictures import check_picture

#: Every note a check may return, with the meaning a TA reads in reports.
#: Checks register their own tags with :func:`register_note`.
NOTES: dict[str, str] = {
    "correct": "The answer is right.",
    "wrong": "The answer is wrong in a way no detector could name.",
    "check-error": "The check itself failed on this input (a bug to report).",
    "missing": "No answer was given (None, Ellipsis or an unfinished stub).",
}


def register_note(tag: str, meaning: str) -> str:
    """Add ``tag`` to :data:`NOTES` and return it.

    Registering a tag again with the same meaning is harmless (a module
    imported twice); with another meaning it is an instructor's mistake: two
    checks would report different things under one name.

    >>> register_note("correct", "The answer is right.")
    'correct'
    >>> register_note("correct", "Something else.")
    Traceback (most recent call last):
    ...
    ValueError: note 'correct' is registered already, meaning: The answer is right.
    """
    known = NOTES.setdefault(tag, meaning)
    if known != meaning:
        raise ValueError(f"note {tag!r} is registered already, meaning: {known}")
    return tag


#: Notes many checks share: one home each.
WRONG_TYPE = register_note("wrong-type", "The answer is not of the requested type.")
WRONG_SHAPE = register_note("wrong-shape", "The answer has the wrong shape or size.")
PARSE_ERROR = register_note("parse-error", "The answer could not be read as a formula.")

#: Handed-in data that names other inputs than the grader chose (or none); it scores 0.
TAMPERED = register_note(
    "tampered", "The answer was computed at other inputs than the grader chose; not graded."
)


@dataclass(frozen=True)
class CheckResult:
    """Outcome of one answer check.

    >>> r = CheckResult(0.5, "Off by a factor of 2.", "constant-factor")
    >>> score, feedback, note = r
    >>> r.passed, r.award(4)
    Off by a factor of 2.
    (False, 2.0)

    ``picture`` is a spec from :func:`.pictures.curve_picture` (validated here):

    >>> from reference.checks.pictures import curve_picture
    >>> p = CheckResult(0.0, "No.", "wrong", picture=curve_picture([0, 1], [1, 2], marked=[1]))
    >>> p == CheckResult(0.0, "No.", "wrong"), sorted(p.to_dict())
    (True, ['feedback', 'note', 'picture', 'score'])
    """

    score: float
    feedback: str
    note: str
    #: A picture for the feedback (:mod:`.pictures`), or None; not compared, not in repr.
    picture: dict | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        s = float(self.score)
        if not math.isfinite(s) or not 0.0 <= s <= 1.0:
            raise ValueError(f"score must be in [0, 1], got {self.score!r}")
        object.__setattr__(self, "score", s)
        if self.note not in NOTES:
            raise ValueError(f"unregistered note {self.note!r}")
        if self.picture is not None:
            object.__setattr__(self, "picture", check_picture(self.picture))

    def __iter__(self):
        return iter((self.score, self.feedback, self.note))

    @property
    def passed(self) -> bool:
        return self.score >= 1.0

    def to_dict(self) -> dict:
        """Plain JSON-able data; the ``picture`` key only when there is a picture."""
        out = {"score": self.score, "feedback": self.feedback, "note": self.note}
        if self.picture is not None:
            out["picture"] = copy.deepcopy(self.picture)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> CheckResult:
        """The inverse of :meth:`to_dict`; a malformed picture raises ``ValueError``."""
        return cls(
            float(data["score"]), str(data["feedback"]), str(data["note"]), data.get("picture")
        )

    def with_picture(self, picture: dict | None) -> CheckResult:
        """This verdict with ``picture`` attached (or removed, for None)."""
        return CheckResult(self.score, self.feedback, self.note, picture)

    def award(self, points: float) -> float:
        """Print the feedback and return ``score * points``.

        This is the one-liner a test cell ends with: nbgrader reads a number
        as the cell's partial credit, and prints go to the student's feedback.
        """
        print(self.feedback)
        return self.earned(points)

    def earned(self, points: float) -> float:
        """``score * points``, rounded as nbgrader's partial credit is shown."""
        return round(self.score * points, 6)


def correct(feedback: str = "Correct.") -> CheckResult:
    return CheckResult(1.0, feedback, "correct")


def wrong(feedback: str, note: str = "wrong", score: float = 0.0) -> CheckResult:
    return CheckResult(score, feedback, note)

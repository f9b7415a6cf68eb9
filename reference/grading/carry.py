"""Error carried forward: a later part is marked against the student's own earlier answers.

Exam markers do not charge one mistake twice. Where a later part uses what the
student answered in an earlier one (the error table is made with Part C's
``df_rate``), and that earlier answer is wrong, the later part is judged again
against the student's own earlier answer. If it follows from it, the part
either earns the credit the instructor's policy gives (``credit``), or, where
the task does not allow that, keeps its points but says that the loss comes
from the earlier part and is not a new mistake.

The earlier answers reach a judge as plain data, like the answer itself: the
grader passes those of the same notebook (:mod:`autograder.judge`), the
in-kernel one-liner those handed in before in the same kernel.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from reference.answers.plain import from_plain
from reference.checks.result import CheckResult, register_note
from reference.checks.safety import TimeLimitExceeded, quiet, time_limit

CARRIED_FORWARD = register_note(
    "carried-forward",
    "Wrong against the reference only because an earlier part is wrong: it follows from the "
    "student's own earlier answer, and is marked against it (error carried forward).",
)
FOLLOWS_EARLIER_PART = register_note(
    "follows-earlier-part",
    "The points lost follow from a wrong earlier part; this part is not a new mistake.",
)

#: A consistency test gets at most this long on the handed-in data.
CONSISTENT_SECONDS = 5.0

#: ``consistent(answer, earlier, variant) -> bool``: does ``answer`` follow from the earlier
#: answers (plain values by part id), for the student's variant (None for a lesson with one
#: task)? It may raise on malformed data: that counts as "no".
Consistent = Callable[[Any, Mapping[str, Any], Any], bool]


@dataclass(frozen=True)
class Handed:
    """An earlier answer of the same notebook: its plain data and its verdict."""

    data: Any
    result: CheckResult

    @property
    def wrong(self) -> bool:
        """Wrong against the reference, even if marked right by carrying an error forward."""
        return not self.result.passed or self.result.note == CARRIED_FORWARD

    def key(self) -> list:
        """What a verdict cache must tell apart: the data and the verdict."""
        return [self.data, self.result.to_dict()]


@dataclass(frozen=True)
class CarryForward:
    """A part's policy for answers that follow from the student's own wrong earlier answers.

    >>> rule = CarryForward(
    ...     uses={"demo.a": "a (Part A)"}, consistent=lambda v, e, _: v == 2 * e["demo.a"]
    ... )
    >>> earlier = {"demo.a": Handed(3, CheckResult(0.0, "no", "wrong"))}
    >>> verdict = rule.apply(6, CheckResult(0.0, "6 is wrong", "wrong"), earlier)
    >>> verdict.score, verdict.note
    (1.0, 'carried-forward')
    >>> rule.apply(5, CheckResult(0.0, "5 is wrong", "wrong"), earlier).note
    'wrong'
    """

    #: The earlier parts used, by part id, with the words that name them to the student.
    uses: Mapping[str, str]
    #: Whether the answer follows from the earlier answers.
    consistent: Consistent
    #: The share of the part's points an answer that follows earns; 0 where the task does not
    #: allow carrying the error forward (the feedback then only says where the loss comes from).
    credit: float = 1.0

    def __post_init__(self) -> None:
        if not self.uses or not all(isinstance(k, str) and v for k, v in self.uses.items()):
            raise ValueError("uses must name at least one earlier part id, each with its words")
        if not callable(self.consistent):
            raise TypeError("consistent must be a function (answer, earlier, variant) -> bool")
        if not (isinstance(self.credit, int | float) and 0.0 <= self.credit <= 1.0):
            raise ValueError(f"credit must be a share in [0, 1], got {self.credit!r}")

    def apply(
        self,
        data: Any,
        result: CheckResult,
        earlier: Mapping[str, Handed],
        variant: Any = None,
    ) -> CheckResult:
        """The verdict on ``data`` once the earlier answers it used are taken into account."""
        wrong_before = [pid for pid in self.uses if pid in earlier and earlier[pid].wrong]
        if result.passed or not wrong_before:
            return result
        used = {pid: from_plain(earlier[pid].data) for pid in self.uses if pid in earlier}
        if not self._follows(from_plain(data), used, variant):
            return result
        names = " and ".join(f"your {self.uses[pid]}" for pid in wrong_before)
        if self.credit > result.score:
            return CheckResult(
                float(self.credit),
                f"This follows correctly from {names}, which is wrong (see that part's "
                "feedback). It is marked against your own answer there (error carried "
                "forward)" + (", so no points are lost here." if self.credit >= 1 else "."),
                CARRIED_FORWARD,
            )
        return CheckResult(
            result.score,
            f"This follows correctly from {names}, which is wrong (see that part's feedback): "
            "the points lost here come from that part, not from a new mistake. Once it is "
            "right, this part follows.",
            FOLLOWS_EARLIER_PART,
        )

    def _follows(self, value: Any, used: Mapping[str, Any], variant: Any) -> bool:
        try:
            with quiet(), time_limit(CONSISTENT_SECONDS):
                return bool(self.consistent(value, used, variant))
        except TimeLimitExceeded:
            return False
        except Exception:  # noqa: BLE001 - handed-in data may be anything
            return False


def close(a: float, b: float, rtol: float = 1e-6) -> bool:
    """Both finite and equal to ``rtol`` (relative to the larger); for consistency tests.

    >>> close(1.0, 1.0 + 1e-9), close(1.0, float("nan"))
    (True, False)
    """
    a, b = float(a), float(b)
    if not (math.isfinite(a) and math.isfinite(b)):
        return False
    return abs(a - b) <= rtol * max(abs(a), abs(b), 1e-300)

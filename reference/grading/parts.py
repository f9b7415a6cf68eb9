"""Graded parts: how an answer is collected and how it is judged.

A part splits grading in two, so the verdict can leave the student's process:

* collecting (:mod:`reference.answers`, by part id) runs where the answer lives,
  the student's process: it samples functions, reads figure data, encodes arrays.
  It knows nothing of the solutions.
* ``judge(plain data) -> CheckResult`` runs in the grader's own process under
  ``autograder grade``, or in the kernel under plain ``nbgrader autograde``, and
  calls ``reference.checks`` with the reference solutions. It must be a pure
  function of the data (no unseeded randomness, no clock): the grader judges
  each distinct answer once and gives every identical one the same verdict.

A hidden test is one line: ``grade("lesson01.derivative_rule", df_rule)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from calcml_tasks import Variant, base_variant, shown_variant
from reference.answers import collect
from reference.answers.kinds import Collector, use
from reference.answers.plain import from_plain
from reference.checks.result import CheckResult
from reference.checks.safety import TimeLimitExceeded, quiet, time_limit

from .carry import CarryForward, Handed

Judge = Callable[..., CheckResult]
#: The last error each part's judge raised in this process (``autograder verify`` names it).
JUDGE_ERRORS: dict[str, str] = {}
#: A judge that takes longer than this on handed-in data gives 0 with a note.
JUDGE_SECONDS = 20.0


@dataclass(frozen=True)
class Part:
    """One autograded part of a lesson.

    >>> p = Part("demo.half", 2, judge=lambda v: CheckResult(0.5, "half", "wrong"))
    >>> p.grade(1.0)  # half of the part's 2 points; the feedback is printed
    half
    1.0
    """

    id: str
    points: float
    judge: Judge
    description: str = ""
    #: How an answer that follows from the student's own wrong earlier answers is marked.
    carry: CarryForward | None = None
    #: The answer depends on the student's variant: ``judge(value, variant)``.
    varies: bool = False
    #: How the answer is collected, when the part declares it here (else ``reference.answers``
    #: holds a collector for it, or the answer travels as itself).
    collect: Collector | None = None

    @property
    def lesson(self) -> str:
        return self.id.split(".", 1)[0]

    def judge_data(
        self,
        data: Any,
        earlier: Mapping[str, Handed] | None = None,
        *,
        variant: Variant | None = None,
    ) -> CheckResult:
        """Judge handed-in plain data; never raises, never runs past ``JUDGE_SECONDS``.

        ``earlier`` holds the answers handed in before in the same notebook, by
        part id; a part with ``carry`` is marked against those it uses. A part
        that ``varies`` is judged for ``variant`` (default: the seed's own task).
        """
        if self.varies and variant is None:
            variant = base_variant(self.lesson)
        try:
            with quiet(), time_limit(JUDGE_SECONDS):
                value = from_plain(data)
                result = self.judge(value, variant) if self.varies else self.judge(value)
        except TimeLimitExceeded:
            return CheckResult(0.0, "Your answer took too long to check.", "check-error")
        except Exception as exc:  # noqa: BLE001
            JUDGE_ERRORS[self.id] = f"{type(exc).__name__}: {exc}"
            return CheckResult(
                0.0, f"Your answer could not be checked ({type(exc).__name__}).", "check-error"
            )
        if self.carry is None or result.note == "check-error":
            return result
        return self.carry.apply(data, result, earlier or {}, variant)

    def check(
        self,
        answer: Any,
        earlier: Mapping[str, Handed] | None = None,
        *,
        variant: Variant | None = None,
    ) -> CheckResult:
        """Collect (as the student's process would) and judge, in this process."""
        return self.judge_data(collect(self.id, answer), earlier, variant=variant)

    def grade(self, answer: Any) -> Points:
        """Print the feedback and return the points earned.

        The answer is remembered for the parts after it that carry errors
        forward, as the grader does for a whole notebook; a varying part is
        judged for the task the notebook's setup cell showed.
        """
        data = collect(self.id, answer)
        variant = shown_variant(self.lesson) if self.varies else None
        result = self.judge_data(data, _HANDED, variant=variant)
        _HANDED[self.id] = Handed(data, result)
        return Points(result.award(self.points), self, result)


class Points(float):
    """Points earned by a part: a plain number to nbgrader, with the verdict attached.

    In a notebook the number becomes the cell's ``execute_result`` (nbgrader's
    partial credit); the verdict travels in that output's metadata under
    ``"calcml"``, where the autograder reads notes for its reports, invisible
    to the student.
    """

    def __new__(cls, value: float, part: Part, result: CheckResult) -> Points:
        self = super().__new__(cls, value)
        self.verdict = {"part": part.id, "points": part.points, **result.to_dict()}
        return self

    def __repr__(self) -> str:
        return repr(float(self))

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": repr(float(self))}, {"calcml": self.verdict}


REGISTRY: dict[str, Part] = {}
#: The answers graded so far in this process (a kernel runs one notebook), by part id.
_HANDED: dict[str, Handed] = {}


def register(part: Part) -> Part:
    """Add a part; an instructor's slip (a duplicate id, an unknown earlier part) raises now."""
    if part.id in REGISTRY and REGISTRY[part.id] is not part:
        raise ValueError(f"duplicate part id {part.id!r}")
    lesson = part.id.split(".", 1)[0]
    for used in part.carry.uses if part.carry else ():
        if used not in REGISTRY or used.split(".", 1)[0] != lesson:
            raise ValueError(
                f"part {part.id!r} carries errors forward from {used!r}, which is not a part "
                f"of {lesson} registered before it"
            )
    if part.collect is not None:
        try:
            use(part.id, part.collect)
        except ValueError:
            raise ValueError(
                f"part {part.id!r} declares its collector, and reference/answers has another: "
                "keep one"
            ) from None
    REGISTRY[part.id] = part
    return part


def collector_table(lesson: str) -> dict[str, dict]:
    """The collectors ``lesson``'s parts declare, as plain data for the student's process."""
    import importlib

    try:
        importlib.import_module(f"reference.grading.{lesson}")
    except ModuleNotFoundError:
        return {}
    return {
        pid: part.collect.spec()
        for pid, part in REGISTRY.items()
        if part.lesson == lesson and part.collect is not None
    }


def get_part(part_id: str) -> Part:
    """Look a part up by id, importing its lesson module on first use."""
    if part_id not in REGISTRY:
        import importlib

        lesson = part_id.split(".", 1)[0]
        importlib.import_module(f"reference.grading.{lesson}")
    try:
        return REGISTRY[part_id]
    except KeyError:
        raise KeyError(f"no graded part {part_id!r}") from None


def forget_answers() -> None:
    """Start a new notebook in this process: no earlier answers, no task shown."""
    from calcml_tasks import forget_shown

    _HANDED.clear()
    forget_shown()


def grade(part_id: str, answer: Any) -> Points:
    """The hidden-test one-liner: collect, judge, print feedback, return points."""
    return get_part(part_id).grade(answer)

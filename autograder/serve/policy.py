"""How ``autograder serve`` treats a lesson's submissions: limits, feedback, the recorded grade.

Configured in the course's ``nbgrader_config.py`` like any nbgrader setting::

    c.ServePolicy.attempts = 5          # graded attempts per student and lesson
    c.ServePolicy.cooldown = 120        # seconds between two graded attempts
    c.ServePolicy.feedback = "parts"    # before the deadline: none | score | parts | full
    c.ServePolicy.recorded = "best"     # last | best | declining
    c.ServePolicy.lessons = {"lesson07": {"attempts": 2, "feedback": "score"}}

The limits exist so that students cannot use the hidden checks as an oracle;
the deadline and the late penalty are nbgrader's own (the assignment's
``duedate`` in the gradebook, ``LateSubmissionPlugin``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, fields, replace

from traitlets import Dict, Enum, Float, Int
from traitlets.config import Config, Configurable


class Shown(enum.StrEnum):
    """What a student's feedback page shows."""

    NONE = "none"  # that the attempt was graded, nothing more
    SCORE = "score"  # the total
    PARTS = "parts"  # points and a verdict per part
    FULL = "full"  # points and the checks' feedback per part, with pictures


class Recorded(enum.StrEnum):
    """Which attempt's grade goes into nbgrader's gradebook."""

    LAST = "last"
    BEST = "best"
    DECLINING = "declining"  # the last, minus ``decline`` of its score per earlier attempt


class Late(enum.StrEnum):
    """What happens to a submission after the lesson's deadline."""

    GRADE = "grade"  # graded, with nbgrader's late penalty
    ARCHIVE = "archive"  # kept, not graded


@dataclass(frozen=True)
class LessonPolicy:
    """One lesson's resolved policy (plain data, what a decision needs)."""

    attempts: int
    cooldown: float
    feedback: Shown
    after_deadline: Shown
    recorded: Recorded
    decline: float
    late: Late

    def shown(self, late: bool) -> Shown:
        return self.after_deadline if late else self.feedback


_KEYS = {f.name for f in fields(LessonPolicy)}


class PolicyError(ValueError):
    """An instructor's mistake in the policy; the message names the lesson and key."""


class ServePolicy(Configurable):
    """Per-lesson limits and feedback of ``autograder serve`` (defaults for every lesson)."""

    attempts = Int(
        5, help="Graded attempts per student and lesson (0: no limit). Later ones are archived."
    ).tag(config=True)
    cooldown = Float(
        60.0, help="Seconds a student waits between two graded attempts of a lesson (0: none)."
    ).tag(config=True)
    feedback = Enum(
        [s.value for s in Shown],
        Shown.PARTS.value,
        help="What feedback shows before the deadline: none, score, parts (points and a verdict "
        "per part) or full (the checks' feedback too). Hidden checks are never shown.",
    ).tag(config=True)
    after_deadline = Enum(
        [s.value for s in Shown], Shown.FULL.value, help="What feedback shows after the deadline."
    ).tag(config=True)
    recorded = Enum(
        [r.value for r in Recorded],
        Recorded.BEST.value,
        help="The grade nbgrader's gradebook keeps: the last attempt, the best, or the last "
        "with `decline` of its score lost per earlier attempt (recorded as nbgrader's penalty).",
    ).tag(config=True)
    decline = Float(
        0.1, help="With recorded='declining': the share of the score lost per earlier attempt."
    ).tag(config=True)
    late = Enum(
        [x.value for x in Late],
        Late.GRADE.value,
        help="After the deadline: grade (with nbgrader's late penalty) or archive only.",
    ).tag(config=True)
    lessons = Dict(
        help="Per-lesson overrides of the keys above, e.g. {'lesson01': {'attempts': 3}}."
    ).tag(config=True)

    def for_lesson(self, lesson: str) -> LessonPolicy:
        """The policy of ``lesson``; an unknown key or bad value raises, naming both."""
        base = LessonPolicy(
            attempts=self.attempts,
            cooldown=self.cooldown,
            feedback=Shown(self.feedback),
            after_deadline=Shown(self.after_deadline),
            recorded=Recorded(self.recorded),
            decline=self.decline,
            late=Late(self.late),
        )
        override = self.lessons.get(lesson, {})
        if not isinstance(override, dict):
            raise PolicyError(f"ServePolicy.lessons[{lesson!r}] must be a dict of settings")
        unknown = sorted(set(override) - _KEYS)
        if unknown:
            raise PolicyError(
                f"ServePolicy.lessons[{lesson!r}]: unknown setting(s) {', '.join(unknown)} "
                f"(known: {', '.join(sorted(_KEYS))})"
            )
        try:
            policy = replace(base, **_typed(override))
        except (ValueError, TypeError) as exc:
            raise PolicyError(f"ServePolicy.lessons[{lesson!r}]: {exc}") from None
        _check(policy, lesson)
        return policy

    def check(self, lessons: list[str]) -> None:
        """Raise on any mistake, before the first submission is graded."""
        extra = sorted(set(self.lessons) - set(lessons))
        if extra:
            raise PolicyError(
                f"ServePolicy.lessons names lesson(s) the course does not have: {', '.join(extra)}"
            )
        for lesson in lessons:
            self.for_lesson(lesson)


_TYPES = {"feedback": Shown, "after_deadline": Shown, "recorded": Recorded, "late": Late}


def _typed(override: dict) -> dict:
    out = {}
    for key, value in override.items():
        if key in _TYPES:
            out[key] = _TYPES[key](value)
        elif key == "attempts":
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"attempts must be an integer, not {value!r}")
            out[key] = value
        else:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{key} must be a number, not {value!r}")
            out[key] = float(value)
    return out


def _check(policy: LessonPolicy, lesson: str) -> None:
    if policy.attempts < 0:
        raise PolicyError(f"{lesson}: attempts must be 0 (no limit) or more")
    if policy.cooldown < 0:
        raise PolicyError(f"{lesson}: cooldown must be 0 or more seconds")
    if not 0 <= policy.decline <= 1:
        raise PolicyError(f"{lesson}: decline must be between 0 and 1")


def load_policy(config: Config) -> ServePolicy:
    """The policy the course's config declares (traitlets validates the types)."""
    return ServePolicy(config=config)

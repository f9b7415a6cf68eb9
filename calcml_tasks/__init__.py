"""Per-student variants of the lessons' tasks: a declared space, a seed, an identity.

Student-safe, like :mod:`reference.answers`: it knows what each student's
task *is* (the numbers, the function given), never its answer. A lesson that
varies has a module here with its ``SPACE`` (:class:`~.space.Space`),
``describe(v)`` (the task in words and math) and ``names(v)`` (what the setup
cell defines, such as ``f``). A lesson without one has a single task.

The notebook's setup cell calls :func:`my_task`; the grader calls
:func:`variant_for` with the submission's owner.

>>> v = variant_for("calcml", "lesson01", "alice")
>>> v == variant_for("calcml", "lesson01", "alice"), sorted(v)
(True, ['a', 'b', 'c'])
>>> variant_for("calcml", "lesson99", "alice") is None
True
"""

from __future__ import annotations

import importlib
import json
import types
from typing import Any

from .identity import Identity, course_id, find_identity
from .seed import variant_seed
from .space import Choice, Constraint, IntRange, Space, Variant

__all__ = [
    "VARIANT_KEY",
    "Choice",
    "Constraint",
    "IntRange",
    "Space",
    "Task",
    "Variant",
    "base_variant",
    "my_task",
    "shown_variant",
    "space",
    "task_module",
    "variant_for",
]

#: Output metadata key under which a notebook records whose task it shows.
VARIANT_KEY = "calcml-variant"
#: The variant each lesson's setup cell showed in this process (a kernel runs one notebook).
_SHOWN: dict[str, Variant] = {}


def task_module(lesson: str) -> types.ModuleType | None:
    """The module declaring ``lesson``'s variants, or None if the lesson has one task."""
    if not lesson.replace("lesson", "", 1).isdigit():
        return None
    try:
        return importlib.import_module(f"{__name__}.{lesson}")
    except ModuleNotFoundError as exc:
        if exc.name == f"{__name__}.{lesson}":
            return None
        raise


def space(lesson: str) -> Space | None:
    """``lesson``'s variant space, or None if it does not vary."""
    module = task_module(lesson)
    return None if module is None else module.SPACE


def base_variant(lesson: str) -> Variant | None:
    """The seed's own task of a varying lesson (tests, the case table, plain checks)."""
    s = space(lesson)
    return None if s is None else s.default()


def variant_for(course: str, lesson: str, student: str) -> Variant | None:
    """``student``'s variant of ``lesson``: None for a lesson with one task."""
    s = space(lesson)
    if s is None:
        return None
    return s.draw(variant_seed(course, lesson, student))


class Task:
    """A student's task as the setup cell shows it, with the names it defines.

    Shown in a notebook, it renders the task as math and records, in the
    output's metadata, whose task it is (the grader reads that back).
    """

    def __init__(self, lesson: str, variant: Variant, identity: Identity, course: str) -> None:
        self.lesson, self.variant, self.identity, self.course = lesson, variant, identity, course
        for name, value in task_module(lesson).names(variant).items():
            setattr(self, name, value)

    def record(self) -> dict[str, Any]:
        return {
            "lesson": self.lesson,
            "student": self.identity.student,
            "source": self.identity.source,
            "variant": json.loads(self.variant.key())[1],
        }

    def _words(self) -> str:
        text = task_module(self.lesson).describe(self.variant)
        if self.identity.source == "none":
            return (
                f"{text}\n\n**This is the example task, not yours.** Type your student id into "
                "the cell above (`student_id = \"...\"`), then run this cell again."
            )
        return f"{text}\n\n*(The task of student `{self.identity.student}`.)*"

    def __repr__(self) -> str:
        return self._words()

    def _repr_mimebundle_(self, include=None, exclude=None):
        words = self._words()
        return {"text/markdown": words, "text/plain": words}, {VARIANT_KEY: self.record()}


def my_task(lesson: str, typed: str = "", *, course: str = "calcml") -> Task:
    """The task of whoever runs this notebook (see :mod:`.identity` for the order)."""
    identity = find_identity(lesson, typed)
    course = course_id(course)
    s = space(lesson)
    if s is None:
        raise ValueError(f"{lesson} has a single task: its notebook needs no my_task()")
    if identity.source == "none":
        variant = s.default()
    else:
        variant = s.draw(variant_seed(course, lesson, identity.student))
    _SHOWN[lesson] = variant
    return Task(lesson, variant, identity, course)


def shown_variant(lesson: str, *, course: str = "calcml") -> Variant | None:
    """The variant this process's notebook works on: the one its setup cell showed, else
    the one its identity gives, else the seed's own task. None for a lesson with one task.
    """
    if lesson in _SHOWN:
        return _SHOWN[lesson]
    s = space(lesson)
    if s is None:
        return None
    identity = find_identity(lesson)
    if identity.source == "none":
        return s.default()
    return s.draw(variant_seed(course_id(course), lesson, identity.student))


def lessons() -> list[str]:
    """The lessons that vary, discovered from this package's modules."""
    import pkgutil
    import re

    return sorted(
        (m.name for m in pkgutil.iter_modules(__path__) if re.fullmatch(r"lesson\d+", m.name)),
        key=lambda name: int(name[6:]),
    )


def warm() -> None:
    """Import every lesson's task module (a forked, confined child then reads no file)."""
    for lesson in lessons():
        task_module(lesson)


def forget_shown() -> None:
    """Start a new notebook in this process."""
    _SHOWN.clear()

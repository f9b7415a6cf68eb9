"""Hand answers in: turn a student's answer into plain data, knowing nothing of the solutions.

This package is all of ``reference`` that a student's process may hold. For
every graded part it knows how to *collect* the answer (sample a function at
fixed points, call a routine on fixed inputs, read a figure's data, encode an
array or a formula as text) and nothing about what the right answer is: it
imports neither ``reference.lessons`` nor ``reference.grading``.

In hardened grading the autograder puts :func:`kernel_module` in the student's
process as ``reference.grading``, so the hidden test one-liner
``grade("lesson01.rule", df_rule)`` only hands the answer in; the grader's own
process judges it (``reference.grading``) and writes the points into the cell.

Only the grader chooses a collector's inputs (sample points, fixed arguments,
steps): a collector declares them with ``collects(..., inputs=...)``, and each
answer carries their :func:`~reference.answers.digest.digest`, which the grader
compares with the digest of its own, unpatched copy (:func:`inputs_digest`).

>>> answer = hand_in("lesson01.formula", "3*x**2 - 4*x")
>>> answer.data
'3*x**2 - 4*x'
"""

from __future__ import annotations

import importlib
import json
import types
from collections.abc import Callable
from typing import Any

from reference.checks.safety import quiet

from .digest import digest
from .plain import to_plain

Collector = Callable[[Any], Any]
Inputs = Callable[[], Any]

#: Output metadata key under which a handed-in answer travels.
ANSWER_KEY = "calcml-answer"
def lesson_modules(path, pattern: str = r"lesson(\d+)") -> tuple[str, ...]:
    """The modules of a package folder named like a lesson, in lesson order (10 after 9).

    >>> lesson_modules(__path__)[:2]
    ('lesson01', 'lesson02')
    """
    import pkgutil
    import re

    found = [(re.fullmatch(pattern, m.name), m.name) for m in pkgutil.iter_modules(path)]
    return tuple(name for match, name in sorted((int(m.group(1)), n) for m, n in found if m))


#: The lessons whose collectors this package holds (discovered: a new lessonNN.py is one).
LESSONS = lesson_modules(__path__)

#: What ``inputs_digest`` says when the inputs have no digest or changed during collection.
UNDIGESTIBLE = "undigestible"
CHANGED = "changed-while-collecting"

_COLLECTORS: dict[str, Collector] = {}
_INPUTS: dict[str, Inputs] = {}


def collects(part_id: str, *, inputs: Inputs | None = None) -> Callable[[Collector], Collector]:
    """Register the decorated function as the collector of ``part_id``.

    ``inputs`` returns everything the collector reads besides the answer (its
    module's constants, the functions it passes on). It is called each time a
    digest is taken, so a constant rebound or changed in place is seen.
    """

    def decorate(func: Collector) -> Collector:
        if part_id in _COLLECTORS and _COLLECTORS[part_id] != func:
            raise ValueError(f"two collectors for {part_id!r}")
        _COLLECTORS[part_id] = func
        if inputs is not None:
            _INPUTS[part_id] = inputs
        return func

    return decorate


def collector(part_id: str) -> Collector:
    """The collector of a part; an answer without one travels as itself (``to_plain``)."""
    lesson = part_id.split(".", 1)[0]
    if lesson in LESSONS:
        importlib.import_module(f"{__name__}.{lesson}")
    return _COLLECTORS.get(part_id, to_plain)


def registered() -> list[str]:
    """The part ids with a collector of their own (of the lessons imported so far)."""
    return sorted(_COLLECTORS)


def declared_inputs(part_id: str) -> Inputs | None:
    """The ``inputs=`` a part's collector declared, or None."""
    collector(part_id)  # imports the lesson's collectors
    return _INPUTS.get(part_id)


def inputs_digest(part_id: str) -> str | None:
    """The digest of the inputs ``part_id``'s collector reads now; None if it reads none.

    Never raises: inputs that cannot be digested give :data:`UNDIGESTIBLE`,
    which no trusted digest equals.
    """
    inputs = declared_inputs(part_id)
    if inputs is None:
        return None
    try:
        return digest(inputs())
    except Exception as exc:  # noqa: BLE001 - the student's code may have replaced them
        return f"{UNDIGESTIBLE}: {type(exc).__name__}"


def collect(part_id: str, answer: Any) -> Any:
    """The plain data of ``answer`` for ``part_id``; never raises.

    Whatever the student's object does (raise, lie, loop in ``__iter__``),
    the result is JSON-able data; a failure is itself data the judge explains.
    """
    try:
        with quiet():
            data = collector(part_id)(answer)
        json.dumps(data, allow_nan=False)  # prove it is plain
        return data
    except Exception as exc:  # noqa: BLE001 - student objects may do anything
        return {"__unsupported__": type(answer).__name__, "reason": type(exc).__name__}


class Answer:
    """An answer handed in: shown as a short note, carried as plain data in metadata.

    The metadata is ``{"part": id, "data": data}``, plus ``"inputs": digest``
    for a part whose collector declares inputs.
    """

    def __init__(self, part_id: str, data: Any, *, inputs: str | None = None) -> None:
        self.part_id = part_id
        self.data = data
        self.inputs = inputs

    def __repr__(self) -> str:
        return f"<answer to {self.part_id} handed in for grading>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        sent = {"part": self.part_id, "data": self.data}
        if self.inputs is not None:
            sent["inputs"] = self.inputs
        return {"text/plain": repr(self)}, {ANSWER_KEY: sent}


def hand_in(part_id: str, answer: Any) -> Answer:
    """The hidden test one-liner as the student's process runs it in hardened grading.

    The inputs are digested before and after collecting: the student's
    function, called by the collector, could change them in between.
    """
    part_id = str(part_id)
    before = inputs_digest(part_id)
    data = collect(part_id, answer)
    after = inputs_digest(part_id)
    return Answer(part_id, data, inputs=before if before == after else CHANGED)


def kernel_module() -> types.ModuleType:
    """A stand-in for ``reference.grading`` whose ``grade`` only hands answers in."""
    module = types.ModuleType("reference.grading", "Answers are handed in; the grader judges.")
    module.grade = hand_in
    module.__all__ = ["grade"]
    return module


def warm() -> None:
    """Import every lesson's collectors (a forked child then needs no disk access)."""
    for lesson in LESSONS:
        importlib.import_module(f"{__name__}.{lesson}")
    importlib.import_module(f"{__name__}.kinds")  # the declared parts' collectors

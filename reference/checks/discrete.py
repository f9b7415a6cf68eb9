"""Checks for answers that are a choice or a set, not a quantity.

The seed's "can you tell why?" questions become multiple-choice answers, and
"which points are support vectors?" becomes a set of indices. Matching is by
normalised text or exact integers, never by calling the student's ``__eq__``.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping

import numpy as np

from .result import WRONG_TYPE, CheckResult, correct, register_note
from .safety import answer_check, is_missing

NOT_A_CHOICE = register_note("not-a-choice", "The answer is not one of the offered choices.")
WRONG_CHOICE = register_note("wrong-choice", "A valid but wrong choice.")
SET_MISSING = register_note("set-missing-items", "The set lacks some of the right items.")
SET_EXTRA = register_note("set-extra-items", "The set has items that do not belong.")


def _label(value: object) -> str | None:
    if isinstance(value, str):
        text = value.strip().strip("().").strip().lower()
        return text or None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(int(value))
    return None


@answer_check
def check_choice(
    student: object, expected: str, *, choices: Iterable[str], **options: object
) -> CheckResult:
    """Multiple choice: ``student`` must be one of ``choices`` and equal ``expected``.

    Case, spaces and a trailing ``)`` or ``.`` are ignored, so ``"b"``,
    ``"B)"`` and ``" B "`` are the same choice. Options: ``explain`` maps a
    wrong choice to a hint; ``partial`` maps a half-right choice to
    ``(score, note)``.

    >>> check_choice("b)", "B", choices="ABCD").score
    1.0
    >>> check_choice("E", "B", choices="ABCD").note
    'not-a-choice'
    """
    allowed = [c.lower() for c in choices]
    if is_missing(student):
        return CheckResult(0.0, "No choice was made.", "missing")
    label = _label(student)
    if label is None or label not in allowed:
        return CheckResult(
            0.0,
            f"Answer with one of {', '.join(repr(c) for c in choices)} (a string).",
            NOT_A_CHOICE,
        )
    if label == expected.lower():
        return correct()
    explain = options.get("explain", {})
    hint = (
        explain.get(label.upper(), explain.get(label, "")) if isinstance(explain, Mapping) else ""
    )
    feedback = ("That choice is not right. " + str(hint)).strip()
    # ``partial={"C": (0.5, "note")}``: a choice that is half right earns some credit.
    partial = options.get("partial", {})
    credit = (
        partial.get(label.upper(), partial.get(label)) if isinstance(partial, Mapping) else None
    )
    if credit is not None:
        score, note = credit
        return CheckResult(float(score), feedback, note)
    return CheckResult(0.0, feedback, WRONG_CHOICE)


def _as_int_set(value: object) -> set[int] | None:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        return None
    items: set[int] = set()
    for count, item in enumerate(value):
        if count > 10_000:
            return None
        if isinstance(item, bool) or not isinstance(item, numbers.Integral):
            # NumPy integers are Integral; floats such as 2.0 are accepted if whole.
            if (
                not isinstance(item, bool | np.bool_)
                and isinstance(item, numbers.Real)
                and float(item).is_integer()
            ):
                item = int(item)
            else:
                return None
        items.add(int(item))
    return items


@answer_check
def check_index_set(student: object, expected: Iterable[int], **options: object) -> CheckResult:
    """A set of integer indices, order and repeats ignored; partial credit by overlap.

    The score is the Jaccard overlap ``|S & E| / |S | E|``, so every missing
    and every extra index costs the same.

    >>> check_index_set([2, 0, 1], {0, 1, 2}).score
    1.0
    >>> round(check_index_set([0, 1, 5], {0, 1, 2}).score, 2)
    0.5
    """
    name = str(options.get("name", "Your answer"))
    if is_missing(student):
        return CheckResult(0.0, f"{name} is missing.", "missing")
    got = _as_int_set(student)
    want = set(int(i) for i in expected)
    if got is None:
        return CheckResult(0.0, f"{name} must be a list or set of whole numbers.", WRONG_TYPE)
    if got == want:
        return correct()
    overlap = len(got & want) / len(got | want) if got | want else 0.0
    if got - want:
        bad = sorted(got - want)[:5]
        return CheckResult(overlap, f"{name} includes {bad}, which do not belong.", SET_EXTRA)
    return CheckResult(overlap, f"{name} misses {len(want - got)} item(s).", SET_MISSING)

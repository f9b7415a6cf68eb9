"""The answer-check case table, STACK style.

Each module in this package defines ``CASES: list[Case]``. A row says what a
check must do with one student answer: ``pass`` (score 1), ``fail`` (score 0),
``partial`` (0 < score < 1) or ``message`` (score 0 with a clear explanation).
``note`` pins the tag when it matters. The table is the specification: a
false pass or a false fail is a bug in the check, never in the row.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

OUTCOMES = ("pass", "fail", "partial", "message")


@dataclass(frozen=True)
class Case:
    id: str
    check: Callable[..., Any]
    student: Any
    expected: Any
    want: str
    options: dict = field(default_factory=dict)
    note: str | None = None
    #: Text the feedback must contain (case-insensitive), for "message" rows.
    says: str | None = None
    #: A typical mistake: its feedback must carry ``note``, the named mistake
    #: (``test_mistake_naming`` measures the share that does).
    typical: bool = False

    def __post_init__(self) -> None:
        if self.want not in OUTCOMES:
            raise ValueError(f"{self.id}: want must be one of {OUTCOMES}")
        if self.typical and (self.note is None or self.want == "pass"):
            raise ValueError(f"{self.id}: a typical mistake states its note and cannot pass")


def mistake(
    id: str,
    check: Callable[..., Any],
    student: Any,
    expected: Any,
    note: str,
    want: str = "partial",
    says: str | None = None,
    **options: Any,
) -> Case:
    """A typical-mistake row: ``want`` (partial or fail) and the ``note`` it must be named by."""
    return Case(id, check, student, expected, want, options, note, says, typical=True)


def part_check(student: Any, part_id: str) -> Any:
    """Grade ``student`` through a graded part: its collector, then its judge."""
    from reference.grading import get_part

    return get_part(part_id).check(student)


def all_cases() -> list[Case]:
    """Collect ``CASES`` from every module of this package."""
    cases: list[Case] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        cases.extend(getattr(module, "CASES", []))
    return cases

"""Typical wrong submissions, per lesson (one module each), and what grading must say about them.

Each ``Mistake`` replaces some solution cells of the source notebook (the rest
stays correct) and names test cells that must get partial credit (strictly
between 0 and the cell's points) with feedback containing a phrase. They come
from the seed's reader comments and from the misconceptions the checks know.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: A cell's new source, or a function of the student's variant giving it (None: the seed's
#: task), as a student types the numbers of their own task.
Source = str | Callable[[Mapping[str, Any] | None], str]


@dataclass(frozen=True)
class Mistake:
    lesson: str
    name: str
    replace: dict[str, Source]
    #: test cell grade_id -> phrase its feedback must contain (case-insensitive)
    partial: dict[str, str]
    #: test cell grade_id -> full marks expected although the answer looks odd
    full: tuple[str, ...] = field(default_factory=tuple)

    @property
    def student(self) -> str:
        return f"{self.lesson}-{self.name}"

    def cells(self, variant: Mapping[str, Any] | None = None) -> dict[str, str]:
        """The replaced cells' sources for a student with ``variant``."""
        return {k: v(variant) if callable(v) else v for k, v in self.replace.items()}


def all_mistakes() -> list[Mistake]:
    """Collect ``MISTAKES`` from the lesson modules of this package."""
    import importlib
    import pkgutil

    found: list[Mistake] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        found.extend(importlib.import_module(f"{__name__}.{info.name}").MISTAKES)
    return found

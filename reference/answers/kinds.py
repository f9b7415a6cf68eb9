"""Collectors a part can name in its one declaration, as plain data.

A part declared with :func:`reference.grading.declare.declare` says how its
answer is collected with one of these: ``Plain()`` (the answer travels as
itself), ``Sampled(points)`` (a function sampled at fixed points) or
``Figure()`` (a figure's data). Being plain data, the grader can hand the
collectors of a lesson to the student's process with each job
(:func:`install`), so nothing there imports the part's judge or solution.

>>> spec = Sampled((0.0, 1.0)).spec()
>>> spec
{'kind': 'sampled', 'points': [0.0, 1.0], 'timeout': 1.0}
>>> from_spec(spec) == Sampled((0.0, 1.0))
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np


@dataclass(frozen=True)
class Plain:
    """The answer travels as itself (numbers, arrays, text, choices, formulas)."""

    kind: ClassVar[str] = "plain"

    def collect(self, answer: Any) -> Any:
        from .plain import to_plain

        return to_plain(answer)

    def inputs(self) -> Any:
        return None

    def spec(self) -> dict:
        return {"kind": self.kind}


@dataclass(frozen=True)
class Sampled:
    """A function of one variable, sampled at ``points`` (``timeout`` seconds a call)."""

    points: tuple[float, ...]
    timeout: float = 1.0
    kind: ClassVar[str] = "sampled"

    def __post_init__(self) -> None:
        pts = tuple(float(p) for p in np.asarray(self.points, dtype=float).reshape(-1))
        if not pts or not all(np.isfinite(pts)):
            raise ValueError("Sampled needs at least one finite sample point")
        object.__setattr__(self, "points", pts)

    def collect(self, answer: Any) -> Any:
        from reference.checks.functions import sample_function

        return sample_function(answer, np.array(self.points), timeout=self.timeout)

    def inputs(self) -> Any:
        return (np.array(self.points), float(self.timeout))

    def spec(self) -> dict:
        return {"kind": self.kind, "points": list(self.points), "timeout": self.timeout}


@dataclass(frozen=True)
class Figure:
    """A matplotlib figure, read as plain data."""

    kind: ClassVar[str] = "figure"

    def collect(self, answer: Any) -> Any:
        from reference.checks.plots import figure_data

        return figure_data(answer)

    def inputs(self) -> Any:
        return None

    def spec(self) -> dict:
        return {"kind": self.kind}


Collector = Plain | Sampled | Figure
_KINDS = {"plain": Plain, "sampled": Sampled, "figure": Figure}


def from_spec(spec: dict) -> Collector:
    """The collector a plain spec names; a spec that names none raises ``ValueError``."""
    if not isinstance(spec, dict) or spec.get("kind") not in _KINDS:
        raise ValueError(f"not a collector spec: {spec!r}")
    fields = {k: v for k, v in spec.items() if k != "kind"}
    if "points" in fields:
        fields["points"] = tuple(fields["points"])
    return _KINDS[spec["kind"]](**fields)


def install(table: dict[str, dict]) -> None:
    """Register the collectors of declared parts (the grader's table, one job's lesson)."""
    from . import collects

    for part_id, spec in table.items():
        use(part_id, from_spec(spec), collects)


def use(part_id: str, collector: Collector, collects=None) -> None:
    """Register ``collector`` for ``part_id`` (twice the same is fine; another raises)."""
    if collects is None:
        from . import collects
    inputs = collector.inputs if collector.inputs() is not None else None
    collects(part_id, inputs=inputs)(_Bound(collector))


@dataclass(frozen=True)
class _Bound:
    """A collector as the registry holds it: a function of the answer, equal when the same."""

    collector: Collector

    def __call__(self, answer: Any) -> Any:
        return self.collector.collect(answer)

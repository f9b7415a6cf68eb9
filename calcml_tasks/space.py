"""A lesson's variant space: named parameters, constraints, and a seeded draw.

An instructor declares what may vary in a task (integer ranges, choices) and
what every draw must satisfy (distinct critical points, a separable data set).
A draw is deterministic in its seed and rejects draws that break a constraint,
so every student gets a sound task, the same one each time.

>>> space = Space(
...     "demo",
...     IntRange("a", 1, 3),
...     IntRange("b", -4, 4, exclude=(0,)),
...     constraints=[Constraint("a != b", lambda v: v["a"] != v["b"])],
... )
>>> v = space.draw(7)
>>> v == space.draw(7), 1 <= v["a"] <= 3, v["b"] != 0
(True, True, True)
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Draws tried before a space is declared unsound (its constraints reject almost everything).
MAX_TRIES = 1000


@dataclass(frozen=True)
class IntRange:
    """An integer from ``low`` to ``high`` inclusive, leaving out ``exclude``."""

    name: str
    low: int
    high: int
    exclude: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if not self.values():
            raise ValueError(f"parameter {self.name!r}: no integer in [{self.low}, {self.high}]")

    def values(self) -> tuple[int, ...]:
        return tuple(i for i in range(self.low, self.high + 1) if i not in self.exclude)

    def draw(self, rng: random.Random) -> int:
        return rng.choice(self.values())


@dataclass(frozen=True)
class Choice:
    """One of ``options`` (numbers, strings, or tuples of them: plain data)."""

    name: str
    options: tuple[Any, ...]

    def __post_init__(self) -> None:
        if not self.options:
            raise ValueError(f"parameter {self.name!r}: no options")
        json.dumps(list(self.options))  # plain data only: it travels in notebooks

    def values(self) -> tuple[Any, ...]:
        return self.options

    def draw(self, rng: random.Random) -> Any:
        return rng.choice(self.options)


Param = IntRange | Choice


@dataclass(frozen=True)
class Constraint:
    """A condition every variant must meet, with the words that say it."""

    description: str
    holds: Callable[[Variant], bool]


class Variant(Mapping[str, Any]):
    """One draw: parameter values by name, with the lesson and seed it came from."""

    def __init__(self, lesson: str, seed: int | None, values: Mapping[str, Any]) -> None:
        self.lesson, self.seed = lesson, seed
        self._values = dict(values)

    def __getitem__(self, name: str) -> Any:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Variant) and (self.lesson, self._values) == (
            other.lesson,
            other._values,
        )

    def __hash__(self) -> int:
        return hash(self.key())

    def key(self) -> str:
        """A stable text naming the task (the seed aside): verdict caches and reports use it."""
        return json.dumps([self.lesson, sorted(self._values.items())])

    def label(self) -> str:
        """Short words for reports: ``a=2, b=-3, c=1``."""
        return ", ".join(f"{k}={v}" for k, v in self._values.items())

    def __repr__(self) -> str:
        return f"Variant({self.lesson!r}, {self.label()})"


@dataclass(frozen=True)
class Space:
    """What may vary in a lesson's task, and what every variant must satisfy.

    ``base`` is the seed's own task (the values the blog post uses); it is the
    variant of tests, of the case table and of plain ``Part.check``.
    """

    lesson: str
    params: tuple[Param, ...]
    constraints: Sequence[Constraint] = ()
    base: Mapping[str, Any] = field(default_factory=dict)

    def __init__(
        self,
        lesson: str,
        *params: Param,
        constraints: Sequence[Constraint] = (),
        base: Mapping[str, Any] | None = None,
    ) -> None:
        names = [p.name for p in params]
        if len(set(names)) != len(names):
            raise ValueError(f"{lesson}: a parameter is declared twice in {names}")
        object.__setattr__(self, "lesson", lesson)
        object.__setattr__(self, "params", tuple(params))
        object.__setattr__(self, "constraints", tuple(constraints))
        base = dict(base) if base is not None else {p.name: p.values()[0] for p in params}
        if set(base) != set(names):
            raise ValueError(f"{lesson}: the base task must give {names}, not {sorted(base)}")
        object.__setattr__(self, "base", base)
        broken = self.broken(self.default())
        if broken:
            raise ValueError(f"{lesson}: the base task breaks a constraint: {broken[0]}")

    def default(self) -> Variant:
        """The seed's own task."""
        return Variant(self.lesson, None, self.base)

    def draw(self, seed: int) -> Variant:
        """The variant of ``seed``: the first draw of a seeded stream meeting every constraint."""
        rng = random.Random(seed)
        for _ in range(MAX_TRIES):
            v = Variant(self.lesson, seed, {p.name: p.draw(rng) for p in self.params})
            if not self.broken(v):
                return v
        raise ValueError(f"{self.lesson}: no variant meets the constraints in {MAX_TRIES} draws")

    def broken(self, variant: Variant) -> list[str]:
        """The constraints ``variant`` breaks, in words (empty when it is sound)."""
        out = []
        for c in self.constraints:
            try:
                ok = bool(c.holds(variant))
            except Exception as exc:  # noqa: BLE001 - a constraint that cannot be evaluated fails
                out.append(f"{c.description} (could not be checked: {type(exc).__name__})")
                continue
            if not ok:
                out.append(c.description)
        return out

    def size(self) -> int:
        """How many parameter combinations there are before constraints."""
        n = 1
        for p in self.params:
            n *= len(p.values())
        return n

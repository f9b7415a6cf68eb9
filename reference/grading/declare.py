"""One declaration per graded part: id, points, collector, reference answer, check, options.

>>> from reference.answers.kinds import Plain
>>> from reference.checks.numeric import check_number
>>> part = declare(
...     "demo.double", points=1, collect=Plain(), check=check_number,
...     reference=lambda v: 2.0 * (v["a"] if v else 1), options={"rtol": 1e-6},
... )
>>> part.check(2.0).score, part.check(3.0).score
(1.0, 0.0)

Add a part by this declaration in ``reference/grading/lessonNN.py`` and its
test cell in the notebook (``grade("lessonNN.part", answer)``). The answer's
collector is named here as plain data, so the student's process gets it from
the grader without ever importing this module. An instructor's slip raises
at import, naming the part: an option the check does not take, a reference
answer the check does not give full marks.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from typing import Any

from reference.answers.kinds import Collector, Figure, Plain, Sampled
from reference.answers.plain import from_plain
from reference.checks.result import CheckResult

from .carry import CarryForward
from .parts import Part, register

#: ``reference(variant) -> answer``: the right answer for a variant (None: the seed's task).
Reference = Callable[[Any], Any]


def declare(
    part_id: str,
    *,
    points: float,
    check: Callable[..., CheckResult],
    reference: Reference,
    collect: Collector | None = None,
    options: Mapping[str, Any] | Callable[[Any], Mapping[str, Any]] | None = None,
    description: str = "",
    carry: CarryForward | None = None,
) -> Part:
    """Declare and register a part judged by ``check(answer, reference(variant), **options)``.

    ``options`` may be a function of the variant, for options that depend on the task.
    """
    from calcml_tasks import base_variant

    collect = Plain() if collect is None else collect
    lesson = part_id.split(".", 1)[0]

    takes_points = "points" in inspect.signature(check).parameters

    def options_for(variant: Any) -> dict[str, Any]:
        chosen = dict((options(variant) if callable(options) else options) or {})
        if isinstance(collect, Sampled) and takes_points:
            # The check compares where the collector sampled, and only there.
            given = chosen.setdefault("points", collect.points)
            if tuple(float(p) for p in given) != collect.points:
                raise ValueError(
                    f"part {part_id!r}: the check's points differ from the collector's; "
                    "leave 'points' out and the collector's are used"
                )
        return chosen

    def judge(value: Any, variant: Any) -> CheckResult:
        return check(value, reference(variant), **options_for(variant))

    part = Part(
        part_id,
        points,
        judge,
        description,
        carry=carry,
        varies=True,
        collect=collect,
    )
    if not isinstance(collect, Figure):  # the reference itself must earn full marks
        base = base_variant(lesson)
        try:
            verdict = part.judge(from_plain(collect.collect(reference(base))), base)
        except Exception as exc:  # noqa: BLE001 - named with the part
            raise ValueError(f"part {part_id!r}: {type(exc).__name__}: {exc}") from None
        if not verdict.passed:
            raise ValueError(
                f"part {part_id!r}: its reference answer does not pass its own check "
                f"({verdict.note}: {verdict.feedback})"
            )
    return register(part)

"""Are the variants equally hard? Scores by task and by each task parameter, for the report.

With many tasks, most are held by one or two students, so a lone task's mean
says little; each parameter's values are compared too (every student with
``a = 3``, say). A group is out of line when its mean differs from the class
mean by more than :data:`OUT_OF_LINE` of the autograded points and by more
than three standard errors, with at least :data:`MIN_GROUP` students.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

#: The least difference of means (a share of the autograded points) that is flagged.
OUT_OF_LINE = 0.15
#: The least number of students in a group whose mean is judged.
MIN_GROUP = 3


@dataclass
class Group:
    """Students sharing a task, or a value of one task parameter."""

    label: str
    scores: list[float]
    out_of_line: bool = False

    @property
    def n(self) -> int:
        return len(self.scores)

    @property
    def mean(self) -> float:
        return sum(self.scores) / len(self.scores)


def by_variant(
    course_id: str, lesson: str, scores: dict[str, float], auto_max: float
) -> tuple[list[Group], list[Group]]:
    """(groups by task, groups by parameter value), each flagged when out of line.

    Empty for a lesson with a single task.
    """
    from calcml_tasks import variant_for

    tasks: dict[str, Group] = {}
    values: dict[str, Group] = {}
    for student, score in sorted(scores.items()):
        variant = variant_for(course_id, lesson, student)
        if variant is None:
            return [], []
        tasks.setdefault(variant.label(), Group(variant.label(), [])).scores.append(score)
        for name, value in variant.items():
            label = f"{name} = {value}"
            values.setdefault(label, Group(label, [])).scores.append(score)
    everyone = list(scores.values())
    for group in (*tasks.values(), *values.values()):
        group.out_of_line = _out_of_line(group, everyone, auto_max)
    order = sorted(tasks.values(), key=lambda g: (-g.n, g.label))
    return order, sorted(values.values(), key=lambda g: g.label)


def _out_of_line(group: Group, everyone: list[float], auto_max: float) -> bool:
    if group.n < MIN_GROUP or len(everyone) <= group.n or auto_max <= 0:
        return False
    mean = sum(everyone) / len(everyone)
    spread = math.sqrt(sum((s - mean) ** 2 for s in everyone) / (len(everyone) - 1))
    gap = abs(group.mean - mean)
    return gap > OUT_OF_LINE * auto_max and gap > 3 * spread / math.sqrt(group.n)


def sections(course_id: str, lesson: str, scores: dict[str, float], auto_max: float) -> dict:
    """What the report's template shows: the two tables and the groups out of line."""
    tasks, values = by_variant(course_id, lesson, scores, auto_max)
    return {
        "variant_tasks": tasks,
        "variant_values": values,
        "variant_flags": [g.label for g in (*tasks, *values) if g.out_of_line],
    }


"""The report's scores by variant: a harder task parameter is flagged, chance is not."""

from __future__ import annotations

import random

from autograder.variant_report import by_variant, sections
from calcml_tasks import variant_for

IDS = [f"s{i:03d}" for i in range(120)]


def test_a_parameter_value_whose_students_score_lower_is_out_of_line():
    rng = random.Random(3)
    scores = {}
    for s in IDS:
        hard = variant_for("calcml", "lesson01", s)["a"] == 3
        scores[s] = (3.0 if hard else 9.0) + rng.uniform(-0.5, 0.5)
    tasks, values = by_variant("calcml", "lesson01", scores, auto_max=10.0)
    flagged = {g.label for g in values if g.out_of_line}
    assert "a = 3" in flagged
    assert sum(g.n for g in tasks) == len(IDS) and len(tasks) >= 30
    assert "a = 3" in sections("calcml", "lesson01", scores, 10.0)["variant_flags"]


def test_equal_tasks_flag_nothing():
    rng = random.Random(4)
    scores = {s: 8.0 + rng.uniform(-1.0, 1.0) for s in IDS}
    tasks, values = by_variant("calcml", "lesson01", scores, auto_max=10.0)
    assert not [g for g in (*tasks, *values) if g.out_of_line]


def test_a_lesson_with_one_task_has_no_section(monkeypatch):
    import calcml_tasks

    monkeypatch.setattr(calcml_tasks, "space", lambda lesson: None)
    assert by_variant("calcml", "lesson01", {"a": 1.0}, 10.0) == ([], [])

"""A wrong error table comes with the student's error-versus-step curve."""

from __future__ import annotations

import numpy as np

from reference.answers import collect
from reference.answers.lesson01 import ERROR_X, STEPS
from reference.grading import get_part
from reference.lessons.l1_derivatives import Cubic


def _judge(table):
    return get_part("lesson01.errors").judge_data(collect("lesson01.errors", table))


def test_a_wrong_table_is_drawn_on_log_axes_with_its_wrong_steps_marked():
    cubic = Cubic()
    table = np.abs(
        (cubic.f(ERROR_X + STEPS) - cubic.f(ERROR_X - STEPS)) / (2 * STEPS)
        - cubic.f_prime(ERROR_X)
    )
    verdict = _judge(table)
    assert verdict.note == "central-instead"
    picture = verdict.picture
    assert picture["log"] == "xy" and picture["x"] == [float(f"{h:.6g}") for h in STEPS]
    assert picture["marked"] and max(picture["marked"]) < 7
    assert "h" in picture["xlabel"]


def test_a_right_table_or_one_of_the_wrong_shape_has_no_picture():
    cubic = Cubic()
    right = np.abs((cubic.f(ERROR_X + STEPS) - cubic.f(ERROR_X)) / STEPS - cubic.f_prime(ERROR_X))
    assert _judge(right).passed and _judge(right).picture is None
    assert _judge([1.0, 2.0]).picture is None

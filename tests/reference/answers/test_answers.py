"""Handing answers in: plain data only, never a failure, and no solution in reach."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from reference.answers import ANSWER_KEY, LESSONS, collect, hand_in, kernel_module


class Liar:
    """A student object whose every method misbehaves."""

    def __eq__(self, other):
        return True

    def __float__(self):
        raise RuntimeError("no")

    def __iter__(self):
        raise RuntimeError("no")

    def __call__(self, *args):
        raise RuntimeError("no")


@pytest.mark.parametrize(
    "part",
    [
        "lesson01.rule",
        "lesson03.sweep",
        "lesson04.jacobian",
        "lesson05.numerical_gradient",
        "lesson06.plot",
        "lesson07.w",
        "no.such.part",
    ],
)
def test_any_object_becomes_plain_data(part):
    data = collect(part, Liar())
    assert json.loads(json.dumps(data, allow_nan=False)) == data


def test_a_handed_in_answer_carries_its_data_in_metadata():
    from reference.answers.kinds import install
    from reference.grading.parts import collector_table

    install(collector_table("lesson01"))  # what the grader hands the student's process
    answer = hand_in("lesson01.rule", lambda x: 3 * np.asarray(x) ** 2 - 4 * np.asarray(x))
    bundle, meta = answer._repr_mimebundle_()
    assert "handed in" in bundle["text/plain"]
    sent = meta[ANSWER_KEY]
    assert sent["part"] == "lesson01.rule"
    assert sent["data"]["values"][0] == pytest.approx(3 * 16 + 16)


def test_the_kernel_stand_in_only_hands_in():
    module = kernel_module()
    assert module.grade("lesson02.shift", 3.0).data == {"__float__": 3.0}


def test_the_sweep_cases_match_the_gradients_the_judge_expects():
    from reference.answers.lesson03 import SWEEP_INPUTS
    from reference.grading.lesson03 import SWEEP_CASES

    h = 1e-6
    for (func, (x, y)), (_, grad) in zip(SWEEP_INPUTS, SWEEP_CASES, strict=True):
        fd = [
            (func(x + h, y) - func(x - h, y)) / (2 * h),
            (func(x, y + h) - func(x, y - h)) / (2 * h),
        ]
        assert np.allclose(fd, grad, rtol=1e-6)
        assert not math.isnan(fd[0])


def test_answers_import_no_solution():
    code = (
        "import sys, reference.answers as a; a.warm(); "
        "print(sorted(m for m in sys.modules if m.startswith('reference.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = eval(out.stdout)  # a list of module names printed by our own code
    assert loaded and all(m.startswith(("reference.answers", "reference.checks")) for m in loaded)
    assert {f"reference.answers.{lesson}" for lesson in LESSONS} <= set(loaded)

"""Unit and property tests for :mod:`reference.checks.steps`."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference.checks.result import NOTES, CheckResult
from reference.checks.steps import check_step_size, optimal_step

EXP = {"func": math.exp, "dfunc": math.exp, "x": 1.0}


def test_notes_are_registered():
    for tag in ("cancellation", "truncation", "not-positive"):
        assert tag in NOTES


@pytest.mark.parametrize(
    ("scheme", "lo", "hi"),
    [("forward", 1e-9, 1e-7), ("backward", 1e-9, 1e-7), ("central", 1e-7, 1e-4)],
)
def test_optimal_step_matches_theory(scheme, lo, hi):
    assert lo < optimal_step(math.exp, math.exp, 1.0, scheme) < hi


def test_good_small_and_large_steps():
    assert check_step_size(1e-8, **EXP).passed
    assert check_step_size(1e-5, scheme="central", **EXP).passed
    r = check_step_size(1e-13, **EXP)
    assert r.note == "cancellation" and 0 < r.score < 1 and "cancellation" in r.feedback
    r = check_step_size(1e-2, **EXP)
    assert r.note == "truncation" and 0 < r.score < 1
    assert check_step_size(1e-20, **EXP).score == 0.0
    assert check_step_size(10.0, **EXP).score == 0.0


@settings(deadline=None, max_examples=40)
@given(st.floats(-18, 2))
def test_classification_agrees_with_optimal_step(log_h):
    h = 10.0**log_h
    best = optimal_step(math.exp, math.exp, 1.0)
    r = check_step_size(h, **EXP)
    assert r.note in ("correct", "cancellation", "truncation")
    if r.note == "cancellation":
        assert h < best
    if r.note == "truncation":
        assert h > best
    if h < best / 1e3:
        assert r.note == "cancellation"
    if h > best * 1e3:
        assert r.note == "truncation"


def test_feedback_hides_best_step_unless_revealed():
    best = optimal_step(math.exp, math.exp, 1.0)
    text = f"{best:.6g}"
    assert text not in check_step_size(1e-2, **EXP).feedback
    assert text in check_step_size(1e-2, reveal=True, **EXP).feedback


@pytest.mark.parametrize(
    ("h", "note"),
    [
        (0.0, "not-positive"),
        (-1e-8, "not-positive"),
        (math.nan, "not-finite"),
        (math.inf, "not-finite"),
        ("1e-8", "wrong-type"),
        (None, "missing"),
        (True, "wrong-type"),
        ([1e-8, 1e-7], "wrong-shape"),
    ],
)
def test_bad_steps(h, note, capfd):
    r = check_step_size(h, **EXP)
    assert isinstance(r, CheckResult) and r.score == 0.0 and r.note == note
    assert r.feedback
    assert capfd.readouterr().err == ""


def test_accepts_numpy_and_list_forms():
    assert check_step_size(np.float32(1e-8), **EXP).passed
    assert check_step_size(np.array([1e-8]), **EXP).passed


def test_slow_student_object_returns_quickly():
    class Slow:
        def __float__(self):
            while True:
                pass

    assert check_step_size(Slow(), timeout=0.2, **EXP).note == "timeout"

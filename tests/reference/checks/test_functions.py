"""Unit and property tests for :mod:`reference.checks.functions`."""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reference.checks.functions import check_function, sample_function, sample_points
from reference.checks.result import NOTES
from reference.checks.safety import run_in_child


def sig(x):
    return 1 / (1 + np.exp(-x))


def dsig(x):
    return sig(x) * (1 - sig(x))


def dsig_scalar(x):
    z = math.exp(-x) if x >= 0 else math.exp(x)
    return z / (1 + z) ** 2


def test_notes_are_registered():
    assert "student-undefined" in NOTES


def test_sample_function_returns_plain_data():
    s = sample_function(math.log, [-1.0, 0.5, 2.0])
    assert s["vectorized"] is False
    assert s["values"][0] is None and s["errors"][0].startswith("ValueError")
    assert s["values"][2] == pytest.approx(math.log(2.0))
    assert json.loads(json.dumps(s)) == s
    v = sample_function(np.log, [0.5, 2.0])
    assert v["vectorized"] is True and v["errors"] == [None, None]


def test_constant_function_is_broadcast():
    s = sample_function(lambda x: 2.0, [1.0, 2.0, 3.0])
    assert s["values"] == [2.0, 2.0, 2.0] and s["vectorized"] is True


def test_non_elementwise_function_is_not_trusted_as_vectorized():
    s = sample_function(lambda x: x / np.max(np.abs(x)), [1.0, 2.0, 4.0])
    assert s["vectorized"] is False and s["values"] == [1.0, 1.0, 1.0]


def test_sample_points_are_seeded_and_inside():
    a, b = sample_points((0.0, 1.0), 10, 3), sample_points((0.0, 1.0), 10, 3)
    assert np.array_equal(a, b) and a.min() > 0 and a.max() < 1
    two = sample_points([(-2.0, -1.0), (1.0, 2.0)], 20, 0)
    assert np.all((np.abs(two) >= 1) & (np.abs(two) <= 2))


@settings(deadline=None, max_examples=25)
@given(st.floats(0.1, 5), st.floats(-3, 3))
def test_vectorized_and_scalar_implementations_both_pass(a, b):
    def expected(x):
        return a * np.sin(x) + b * x**2

    def vectorized(x):
        return a * np.sin(x) + b * x * x

    def scalar_only(x):
        return a * math.sin(x) + b * x * x

    assert check_function(vectorized, expected).passed
    assert check_function(scalar_only, expected).passed
    assert check_function(lambda x: [scalar_only(float(v)) for v in np.ravel(x)], expected).passed


@settings(deadline=None, max_examples=25)
@given(st.floats(0.1, 5))
def test_scaled_answer_is_a_constant_factor(k):
    r = check_function(lambda x: (1 + k) * dsig(x), dsig)
    assert r.note == "constant-factor" and 0 < r.score < 1


def test_sigmoid_derivative_with_stray_factor_2():
    r = check_function(lambda x: 2 * sig(x) * (1 - sig(x)), dsig)
    assert r.note == "constant-factor" and r.score == 0.5


def test_undefined_expected_points_are_skipped():
    def dlog(x):
        return np.where(x > 0, 1 / np.abs(x), np.nan)

    assert check_function(lambda x: 1 / x, dlog, domain=(-1.0, 1.0)).passed
    assert check_function(lambda x: 1 / math.sqrt(x) ** 2, dlog, domain=(-1.0, 1.0)).passed
    assert check_function(lambda x: 1 / x, dlog, points=[-1.0, 0.0, 1e-9, 0.5]).passed


def test_student_undefined_where_expected_defined():
    r = check_function(lambda x: math.sqrt(x), lambda x: np.sqrt(np.abs(x)), domain=(-1, 1))
    assert r.note == "student-undefined" and "x = -" in r.feedback and "ValueError" in r.feedback


def test_student_errors_and_stub():
    r = check_function(lambda x: 1 / 0, dsig)
    assert r.note == "student-error" and "ZeroDivisionError" in r.feedback

    def stub(x):
        raise NotImplementedError

    assert check_function(stub, dsig).note == "missing"
    assert check_function(lambda x: "0.2", dsig).note == "wrong-type"
    assert check_function(None, dsig).note == "missing"
    assert check_function(0.25, dsig).note == "wrong-type"


def test_infinite_loop_times_out_within_five_seconds(capfd):
    def loops(x):
        while True:
            pass

    start = time.process_time()
    r = check_function(loops, dsig)  # default timeout of 1 s
    assert r.note == "timeout"
    assert time.process_time() - start < 5
    assert capfd.readouterr().err == ""


def test_slow_but_finite_function_stays_within_budget():
    def slow(x):
        time.sleep(0.15)
        return dsig_scalar(x)

    start = time.process_time()
    r = check_function(slow, dsig, timeout=0.5)
    assert r.note == "timeout"
    assert time.process_time() - start < 5


def test_samples_can_cross_a_process_boundary():
    pts = sample_points((-2.0, 2.0), 40, 0)
    samples = run_in_child(sample_function, dsig_scalar, pts, timeout=10)
    assert check_function(samples, dsig).passed
    assert check_function(samples, sample_function(dsig, pts)).passed
    bad = run_in_child(sample_function, lambda x: 2 * dsig_scalar(x), pts, timeout=10)
    assert check_function(bad, dsig).note == "constant-factor"


def test_related_functions_feed_the_detectors():
    r = check_function(
        lambda x: x * np.log(x) - x + 3,
        np.log,
        domain=(0.5, 3.0),
        related={"antiderivative": lambda x: x * np.log(x) - x},
    )
    assert r.note == "integrated-instead"


def test_feedback_hides_expected_unless_revealed():
    def expected(x):
        return x**2 + 3.14159

    r = check_function(lambda x: x + 1, expected, points=[1.0, 2.0])
    assert r.note == "wrong" and "x = 1" in r.feedback and "4.14159" not in r.feedback
    r = check_function(lambda x: x + 1, expected, points=[1.0, 2.0], reveal=True)
    assert "4.14159" in r.feedback


def test_student_output_is_swallowed(capfd):
    import sys

    def noisy(x):
        print("hello")
        print("oops", file=sys.stderr)
        return dsig(x)

    assert check_function(noisy, dsig).passed
    out = capfd.readouterr()
    assert out.err == "" and "hello" not in out.out


junk = st.one_of(
    st.none(),
    st.floats(),
    st.text(max_size=3),
    st.lists(st.floats(), max_size=2),
    st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
)


@settings(deadline=None, max_examples=30)
@given(junk)
def test_functions_returning_junk_never_raise(value):
    r = check_function(lambda x: value, dsig, n_points=5)
    assert r.note != "check-error" and r.score < 1


def test_tampered_note_is_registered():
    assert "tampered" in NOTES


def test_samples_taken_elsewhere_are_not_graded():
    """Only the judge's points count: a zero function sampled where f' = 0 scores nothing."""

    def f_prime(x):
        return 3 * x**2 - 4 * x

    points = np.linspace(-4.0, 4.0, 9)
    zero = sample_function(lambda x: 0 * x, [0.0, 4 / 3])
    r = check_function(zero, f_prime, points=points)
    assert r.score == 0 and r.note == "tampered" and "not graded" in r.feedback
    assert check_function(sample_function(f_prime, points), f_prime, points=points).passed
    moved = sample_function(f_prime, points + 1e-9)
    assert check_function(moved, f_prime, points=points).note == "tampered"
    fewer = sample_function(f_prime, points[:-1])
    assert check_function(fewer, f_prime, points=points).note == "tampered"


def test_without_points_the_judges_seeded_points_decide():
    default = sample_points((-2.0, 2.0), 40, 0)
    assert check_function(sample_function(dsig, default), dsig).passed
    elsewhere = sample_function(dsig, default[:5])
    assert check_function(elsewhere, dsig).note == "tampered"
    seed_1 = sample_function(dsig, sample_points((-2.0, 2.0), 40, 1))
    assert check_function(seed_1, dsig).note == "tampered"
    assert check_function(seed_1, dsig, seed=1).passed


def test_expected_samples_fix_the_points_not_the_students():
    pts = np.array([0.5, 1.0, 1.5])
    expected = sample_function(dsig, pts)
    assert check_function(sample_function(dsig, pts), expected).passed
    other = sample_function(dsig, pts * 2)
    assert check_function(other, expected).note == "tampered"
    right = sample_function(dsig, pts)
    # Expected samples at other points than ``points`` are the judge's own bug.
    assert check_function(right, other, points=pts).note == "check-error"


@pytest.mark.parametrize(
    "change",
    [
        {"values": [0.1, 0.2]},
        {"values": ["0.1", 0.2, 0.3]},
        {"values": [True, 0.2, 0.3]},
        {"errors": [None, 5, None]},
        {"errors": [None]},
        {"points": "abc"},
        {"points": [[0.5, 1.0, 1.5]]},
        {"values": None},
    ],
)
def test_malformed_samples_score_nothing_and_never_raise(change):
    pts = [0.5, 1.0, 1.5]
    samples = {**sample_function(dsig, pts), **change}
    r = check_function(samples, dsig, points=pts)
    assert r.score == 0 and r.note == "tampered"
    assert check_function({"values": [0.1]}, dsig, points=pts).note == "tampered"


def test_nan_and_infinity_travel_as_plain_data_and_are_named():
    from reference.answers import collect

    def f(x):
        x = np.asarray(x, dtype=float)
        return np.where(x > 0, np.log(np.abs(x)) * 0 + np.inf, np.nan)

    samples = sample_function(f, [-1.0, 1.0])
    json.dumps(samples, allow_nan=False)  # plain JSON, no NaN literal
    assert samples["values"] == [None, None]
    data = collect("lesson01.rule", f)
    assert "__unsupported__" not in data
    result = check_function(samples, lambda x: x, points=[-1.0, 1.0])
    assert result.score == 0 and "NaN" in result.feedback and "x = -1" in result.feedback
    result = check_function(sample_function(f, [1.0]), lambda x: x, points=[1.0])
    assert "infinity" in result.feedback

""":func:`check_function` attaches a curve picture exactly when the student's function
disagrees with the expected one at some sample points, and the verdict stays as it was."""

from __future__ import annotations

import json

import numpy as np
import pytest

from reference.checks.functions import check_function, sample_function, sample_points
from reference.checks.pictures import check_picture

from .cases import function_cases


def f_prime(x):
    return 3 * x**2 - 4 * x


PTS = sample_points((-2.0, 2.0), 40, 0)
XS = np.sort(PTS)


def test_a_correct_function_has_no_picture():
    assert check_function(lambda x: x * (3 * x - 4), f_prime).picture is None


def test_disagreement_at_some_points_marks_exactly_those_points():
    r = check_function(lambda x: np.where(x > 1, 0.0, f_prime(x)), f_prime)
    assert (r.score, r.note) == (0.0, "wrong")
    assert r.feedback.startswith("Your function differs from the expected function at 10 of 43")
    p = r.picture
    assert p is not None and p["kind"] == "curve" and p["log"] == ""
    assert p["x"] == [float(f"{x:.6g}") for x in XS]  # every sample point, left to right
    assert p["marked"] == [int(i) for i in np.flatnonzero(XS > 1)]
    assert p["student"] == [0.0 if x > 1 else float(f"{f_prime(x):.6g}") for x in XS]
    assert p["reference"] == [float(f"{f_prime(x):.6g}") for x in XS]
    assert p["ylabel"] == "your function" and "sample points" in p["title"]


def test_a_named_mistake_keeps_its_verdict_and_gets_a_picture():
    r = check_function(lambda x: -f_prime(x), f_prime, name="df_rule")
    assert tuple(r) == (0.5, "The sign of your answer is flipped.", "sign-error")
    assert r.picture["marked"] == [i for i, x in enumerate(XS) if x != 0]  # f'(0) = 0 = -f'(0)
    assert r.picture["student_label"] == "df_rule"


def test_values_that_are_not_finite_are_blank_and_marked():
    r = check_function(lambda x: np.where(x > 1, np.nan, f_prime(x)), f_prime)
    assert r.note == "student-undefined"
    bad = [int(i) for i in np.flatnonzero(XS > 1)]
    assert r.picture["marked"] == bad
    assert all(r.picture["student"][i] is None for i in bad)


def test_handed_in_samples_get_the_same_picture_as_the_function():
    wrong = lambda x: f_prime(x) + (x > 0.5)  # noqa: E731
    direct = check_function(wrong, f_prime, points=PTS)
    handed = check_function(sample_function(wrong, PTS), f_prime, points=PTS)
    assert handed.picture == direct.picture is not None


@pytest.mark.parametrize(
    "student",
    [
        None,
        "3x^2 - 4x",
        lambda x: (_ for _ in ()).throw(NotImplementedError()),
        lambda x: 1 / 0,
        sample_function(lambda x: -f_prime(x), PTS[:5]),  # tampered
    ],
    ids=["missing", "not-callable", "not-implemented", "raises-everywhere", "tampered"],
)
def test_nothing_to_draw_or_nothing_compared_means_no_picture(student):
    r = check_function(student, f_prime, points=PTS)
    assert r.score == 0 and r.picture is None


def test_a_timed_out_sampling_has_no_picture():
    samples = sample_function(lambda x: -f_prime(x), PTS)
    samples["values"][-5:] = [None] * 5
    samples["errors"][-5:] = ["TimeLimitExceeded: took longer than 1 s"] * 5
    r = check_function(samples, f_prime, points=PTS)
    assert r.note == "timeout" and r.picture is None


def test_the_verdict_with_its_picture_is_small_json():
    r = check_function(lambda x: -f_prime(x), f_prime)
    text = json.dumps(r.to_dict(), allow_nan=False)
    assert len(text) < 4000
    assert check_picture(json.loads(text)["picture"]) == r.picture


def test_a_graded_part_hands_its_picture_to_the_verdict_metadata(capsys):
    from reference.grading import get_part

    points = get_part("lesson01.rule").grade(lambda x: 4 * x - 3 * x**2)
    capsys.readouterr()
    verdict = json.loads(json.dumps(points.verdict, allow_nan=False))
    assert verdict["note"] == "sign-error" and verdict["picture"]["kind"] == "curve"


ROWS = [c for c in function_cases.CASES if c.check is check_function]


@pytest.mark.parametrize("case", ROWS, ids=[c.id for c in ROWS])
def test_case_table_pictures_are_consistent(case, capfd):
    r = case.check(case.student, case.expected, **case.options)
    if r.passed or r.picture is None:
        assert r.picture is None, f"{case.id}: a passing answer has nothing to mark"
        return
    p = r.picture
    assert r.score < 1 and p["marked"]
    student = np.array([np.nan if v is None else v for v in p["student"]])
    reference = np.array([np.nan if v is None else v for v in p["reference"]])
    same = student == reference  # (NaN, a blank, is never equal)
    assert not same[p["marked"]].any(), case.id  # every marked point disagrees
    assert capfd.readouterr().err == ""

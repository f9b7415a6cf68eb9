"""Error carried forward: later parts marked against the student's own earlier answers."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from reference.answers import collect
from reference.answers.lesson01 import ERROR_X, STEPS
from reference.checks.result import CheckResult
from reference.grading import Part, get_part, grade, register
from reference.grading.carry import CARRIED_FORWARD, FOLLOWS_EARLIER_PART, CarryForward, Handed
from reference.lessons import l1_derivatives as l1

WRONG = CheckResult(0.0, "wrong", "wrong")
RIGHT = CheckResult(1.0, "right", "correct")
DOUBLE = CarryForward(
    uses={"demo.a": "a (Part A)"}, consistent=lambda v, e, _: v == 2 * e["demo.a"]
)


def test_an_answer_that_follows_from_a_wrong_earlier_one_earns_the_credit():
    verdict = DOUBLE.apply(6, WRONG, {"demo.a": Handed(3, WRONG)})
    assert verdict.score == 1.0 and verdict.note == CARRIED_FORWARD
    assert "a (Part A)" in verdict.feedback and "carried forward" in verdict.feedback


def test_without_credit_the_points_stay_and_the_loss_is_put_on_the_earlier_part():
    rule = CarryForward(uses=DOUBLE.uses, consistent=DOUBLE.consistent, credit=0.0)
    half = CheckResult(0.5, "half", "wrong")
    verdict = rule.apply(6, half, {"demo.a": Handed(3, WRONG)})
    assert verdict.score == 0.5 and verdict.note == FOLLOWS_EARLIER_PART
    assert "not from a new mistake" in verdict.feedback


def test_a_share_of_the_credit_is_a_policy():
    rule = CarryForward(uses=DOUBLE.uses, consistent=DOUBLE.consistent, credit=0.75)
    verdict = rule.apply(6, WRONG, {"demo.a": Handed(3, WRONG)})
    assert verdict.score == 0.75 and verdict.note == CARRIED_FORWARD
    assert "no points are lost" not in verdict.feedback


@pytest.mark.parametrize(
    ("value", "earlier"),
    [
        (5, {"demo.a": Handed(3, WRONG)}),  # a new mistake: it does not follow
        (6, {"demo.a": Handed(3, RIGHT)}),  # the earlier part is right: nothing to carry
        (6, {}),  # the earlier part handed nothing in (it raised)
        ("six", {"demo.a": Handed(None, WRONG)}),  # the test itself raises on the data
    ],
)
def test_otherwise_the_verdict_is_the_reference_one(value, earlier):
    assert DOUBLE.apply(value, WRONG, earlier) is WRONG


def test_a_right_answer_is_never_touched():
    assert DOUBLE.apply(6, RIGHT, {"demo.a": Handed(3, WRONG)}) is RIGHT


@pytest.mark.parametrize(
    "kwargs",
    [
        {"uses": {}, "consistent": lambda v, e, _: True},
        {"uses": {"demo.a": ""}, "consistent": lambda v, e, _: True},
        {"uses": {"demo.a": "a"}, "consistent": "yes"},
        {"uses": {"demo.a": "a"}, "consistent": lambda v, e, _: True, "credit": 1.5},
        {"uses": {"demo.a": "a"}, "consistent": lambda v, e, _: True, "credit": "all"},
    ],
)
def test_instructor_mistakes_in_the_policy_raise(kwargs):
    with pytest.raises((ValueError, TypeError)):
        CarryForward(**kwargs)


def test_carrying_from_a_part_not_registered_before_raises_with_the_part_name():
    part = Part("lesson01.later", 1, judge=lambda v: WRONG, carry=DOUBLE)
    with pytest.raises(ValueError, match="lesson01.later.*demo.a"):
        register(part)
    other = Part(
        "lesson02.uses_lesson01",
        1,
        judge=lambda v: WRONG,
        carry=CarryForward(uses={"lesson01.rate": "df_rate"}, consistent=lambda v, e, _: True),
    )
    get_part("lesson01.rate")
    with pytest.raises(ValueError, match="not a part of lesson02"):
        register(other)


# -- the lessons' parts ------------------------------------------------------------------


def _central(x, dx):
    return (l1.f(x + dx) - l1.f(x - dx)) / (2 * dx)


def _judge(part_id, answer, earlier):
    data = collect(part_id, answer)
    result = get_part(part_id).judge_data(data, earlier)
    return Handed(data, result)


def test_lesson01_a_central_df_rate_is_charged_once():
    rate = _judge("lesson01.rate", _central, {})
    assert rate.result.score < 1
    table = np.abs(_central(ERROR_X, STEPS) - l1.f_prime(ERROR_X))
    alone = get_part("lesson01.errors").judge_data(collect("lesson01.errors", table))
    assert alone.score < 1  # against the reference only, it is wrong
    errors = _judge("lesson01.errors", table, {"lesson01.rate": rate})
    assert errors.result.score == 1 and errors.result.note == CARRIED_FORWARD
    assert "df_rate (Part C)" in errors.result.feedback
    best = _judge("lesson01.best_step", STEPS[np.argmin(table)], {"lesson01.errors": errors})
    assert best.result.score == 1 and best.result.note == CARRIED_FORWARD
    assert "errors table (Part E)" in best.result.feedback
    # A step that is not the minimum of the student's own table is a mistake of its own.
    other = _judge("lesson01.best_step", 1e-12, {"lesson01.errors": errors})
    assert other.result.note not in (CARRIED_FORWARD, FOLLOWS_EARLIER_PART)


def test_lesson01_a_table_made_with_a_wrong_df_rule_follows_from_part_b():
    def rule(x):
        return 4 * np.asarray(x) - 3 * np.asarray(x) ** 2  # the sign error

    handed = {
        "lesson01.rule": _judge("lesson01.rule", rule, {}),
        "lesson01.rate": _judge(
            "lesson01.rate", lambda x, dx: l1.forward_difference(l1.f, x, dx), {}
        ),
    }
    assert handed["lesson01.rate"].result.passed and not handed["lesson01.rule"].result.passed
    table = np.abs(l1.forward_difference(l1.f, ERROR_X, STEPS) - rule(ERROR_X))
    errors = _judge("lesson01.errors", table, handed)
    assert errors.result.note == CARRIED_FORWARD and "df_rule (Part B)" in errors.result.feedback
    assert "df_rate" not in errors.result.feedback  # that part was right


def test_lesson01_a_table_of_its_own_mistake_is_not_carried():
    rate = _judge("lesson01.rate", _central, {})
    table = np.abs(_central(ERROR_X, STEPS) - l1.f_prime(ERROR_X)) * 3
    errors = _judge("lesson01.errors", table, {"lesson01.rate": rate})
    assert errors.result.score < 1 and errors.result.note != CARRIED_FORWARD


def test_lesson03_the_largest_rate_follows_from_a_wrong_gradient():
    grad = _judge("lesson03.grad_11", [1.0, 1.0], {})  # the factor 2 forgotten
    assert not grad.result.passed
    rate = _judge("lesson03.max_rate_11", np.sqrt(2.0), {"lesson03.grad_11": grad})
    assert rate.result.score == 1 and rate.result.note == CARRIED_FORWARD
    assert _judge("lesson03.max_rate_11", 2.0, {"lesson03.grad_11": grad}).result.score == 0


def test_lesson04_the_jacobian_at_the_point_follows_from_a_wrong_J():
    x, y, p, q, r, s, t, u = sp.symbols("x y p q r s t u")
    units = [p * x + q * y, r * x + s * y, t * x + u * y]
    sig = [1 / (1 + sp.exp(-z)) for z in units]
    # The transposed weights of the second unit: a mistake of Part A.
    wrong_j = sp.Matrix(
        [
            [sig[0] * (1 - sig[0]) * p, sig[0] * (1 - sig[0]) * q],
            [sig[1] * (1 - sig[1]) * s, sig[1] * (1 - sig[1]) * r],
            [sig[2] * (1 - sig[2]) * t, sig[2] * (1 - sig[2]) * u],
        ]
    )
    jac = _judge("lesson04.jacobian", wrong_j, {})
    assert not jac.result.passed
    from reference.grading.lesson04 import AT_POINT

    at = np.array(wrong_j.subs(AT_POINT).evalf().tolist(), dtype=float)
    verdict = _judge("lesson04.at_point", at, {"lesson04.jacobian": jac}).result
    assert verdict.score == 1 and verdict.note == CARRIED_FORWARD
    assert "J (Part A)" in verdict.feedback
    assert _judge("lesson04.at_point", at + 1, {"lesson04.jacobian": jac}).result.score < 1


def test_the_in_kernel_one_liner_carries_errors_within_one_notebook(capsys):
    assert grade("lesson01.rate", _central) < 1
    table = np.abs(_central(ERROR_X, STEPS) - l1.f_prime(ERROR_X))
    assert grade("lesson01.errors", table) == 1
    assert "carried forward" in capsys.readouterr().out

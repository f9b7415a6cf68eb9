"""Graded parts of lesson 5: backpropagation as a chain of Jacobian products.

The notebook gives the network class (with the seed's reduction and loss bugs
fixed) and the wrong sigmoid derivative 2 s (1 - s) of the seed; the student
fixes the derivative, writes a central-difference gradient, runs a gradient
check, names the Jacobians in ``backward()`` and trains the network. Training
is graded by the accuracy of the student's predictions on held-out points.

Each student has their own circles and hidden layer sizes
(:mod:`calcml_tasks.lesson05`): the training part is judged on the held-out
points of the student's own data seed. The other parts have one right answer
for every variant (the derivative, the grader's own gradient problem, 1/3 and
~0 for the gradient check, the Jacobians), so they do not vary.
"""

from __future__ import annotations

import contextlib
from typing import Any

import numpy as np

from reference.answers.lesson05 import GRAD_A, GRAD_EPS, GRAD_W, POINTS, grad_loss
from reference.checks import backprop as bp
from reference.checks import differences as dif
from reference.checks.discrete import check_choice, check_index_set
from reference.checks.functions import check_function
from reference.checks.numeric import BadAnswer, as_float_array, check_array, check_number
from reference.checks.result import WRONG_TYPE, CheckResult, correct, register_note, wrong
from reference.checks.tolerance import Tolerance
from reference.lessons import l5_backprop as l5

from .parts import Part, register

#: Held-out points of the seed's notebook: make_circles(200, factor=0.5, noise=0.1, random_state=1);
#: a variant's are random_state=data_seed + 1.
TEST_SEED = 1
N_TEST = 200
FULL_ACCURACY = 0.9
#: The size of the notebook's gradient-check batch X_check.
N_CHECK = 20

ONE_SIDED = dif.ONE_SIDED
EPS_SCALING = dif.EPS_SCALING
IGNORES_STEP = dif.IGNORES_STEP
NOT_RESTORED = register_note(
    "not-restored", "The function changed its input array and did not restore it."
)
LOW_ACCURACY = register_note("low-accuracy", "The trained model's accuracy is below the target.")


# -- the sigmoid derivative -----------------------------------------------------------


def _judge_dsigmoid(samples: Any) -> CheckResult:
    s = l5.sigmoid
    verdict = check_function(
        samples,
        l5.dsigmoid,
        points=POINTS,
        name="your dsigmoid",
        related={
            "original": s,
            "antiderivative": lambda z: np.logaddexp(0.0, z),
            "second_derivative": lambda z: s(z) * (1 - s(z)) * (1 - 2 * s(z)),
        },
    )
    if verdict.note == "constant-factor":
        twice = check_function(samples, lambda z: 2 * l5.dsigmoid(z), points=POINTS)
        if twice.passed:
            return CheckResult(
                verdict.score,
                "Your dsigmoid is off by a constant factor 2: it is the seed's 2 s(1 - s). "
                "The derivative of the sigmoid is s(1 - s).",
                bp.SLOPE_2,
            )
    return verdict


register(
    Part(
        "lesson05.dsigmoid",
        2,
        judge=lambda s: _judge_dsigmoid(s),
        description="dsigmoid(z) = s(1 - s), the seed's 2 s(1 - s) fixed",
    )
)


# -- numerical gradient -----------------------------------------------------------------


def _grad_exact(W: np.ndarray) -> np.ndarray:
    return GRAD_A.T @ l5.sigmoid(GRAD_A @ W) + 0.3 * W**2


def _grad_difference(kind: str, eps: float = GRAD_EPS) -> np.ndarray:
    """The ``kind`` difference of the loss at ``GRAD_W``, entry by entry, with step ``eps``."""
    g = np.zeros_like(GRAD_W)
    for idx in np.ndindex(GRAD_W.shape):
        e = np.zeros_like(GRAD_W)
        e[idx] = 1.0
        g[idx] = dif.difference(lambda t, e=e: grad_loss(GRAD_W + t * e), 0.0, eps, kind)
    return g


def _grad_not_restored() -> np.ndarray:
    """Central differences that leave every entry at ``old - eps`` (never restored)."""
    W = GRAD_W.copy()
    g = np.zeros_like(W)
    for idx in np.ndindex(W.shape):
        old = W[idx]
        W[idx] = old + GRAD_EPS
        up = grad_loss(W)
        W[idx] = old - GRAD_EPS
        g[idx] = (up - grad_loss(W)) / (2 * GRAD_EPS)
    return g


def judge_gradient(data: Any) -> CheckResult:
    if not isinstance(data, dict):
        return wrong("numerical_gradient could not be called.", WRONG_TYPE)
    if "error" in data:
        return wrong(f"{data['error']}.", WRONG_TYPE)
    if "raised" in data:
        if data["raised"].startswith("NotImplementedError"):
            return wrong("numerical_gradient is not implemented yet.", "missing")
        return wrong(f"numerical_gradient raised {data['raised']}.", "student-error")
    value = data["value"]
    name = "the array numerical_gradient returns"
    central = _grad_difference("central")
    verdict = check_array(value, central, name=name, rtol=1e-7, atol=1e-10)
    if verdict.passed:
        if not data.get("restored", True):
            return CheckResult(
                0.5,
                "numerical_gradient computes the right differences but leaves W changed: "
                "put every entry back to its old value after using it.",
                NOT_RESTORED,
            )
        return correct()
    try:
        got = as_float_array(value, name)
    except BadAnswer:
        return verdict
    if got.shape != central.shape:
        return verdict

    def close(other: np.ndarray, rtol: float = 1e-7) -> bool:
        return bool(np.allclose(got, other, rtol=rtol, atol=1e-10))

    if not data.get("restored", True) and close(_grad_not_restored()):
        return CheckResult(
            0.5,
            "numerical_gradient never puts the changed entries of W back, so every later "
            "difference is taken at a shifted W, and W is left changed: restore each entry "
            "to its old value after using it.",
            NOT_RESTORED,
        )
    named = dif.name_difference(
        got,
        _grad_difference,
        scheme="central",
        step=GRAD_EPS,
        exact=_grad_exact(GRAD_W),
        name="numerical_gradient",
        tol=Tolerance(rtol=1e-6, atol=1e-10),
    )
    if named is not None:
        return named
    if not data.get("restored", True):
        return wrong(verdict.feedback + " Also, W is left changed: restore every entry.", "wrong")
    if np.all(got == 0):
        return wrong(
            "numerical_gradient returns only zeros: loss_fn must be called with W after one "
            "of its entries has been changed (change it in place).",
            "wrong",
        )
    return verdict


register(
    Part(
        "lesson05.numerical_gradient",
        2,
        judge=judge_gradient,
        description="numerical_gradient(loss_fn, W, eps) by central differences",
    )
)


# -- gradient check of the network ----------------------------------------------------------


_ZERO_NUMERIC = (
    "{name} is 1, which happens when the numerical gradient is all zeros: numerical_gradient "
    "must change the very array it is given (in place), because the loss reads the network's W."
)


def judge_check_given(value: Any) -> CheckResult:
    result = check_number(value, 1.0 / 3.0, name="your rel_error_given", rtol=2e-3)
    if result.passed:
        return result
    try:
        v = float(as_float_array(value, "your rel_error_given").reshape(-1)[0])
    except (BadAnswer, IndexError):
        return result
    if abs(v - 1.0) < 1e-6:
        return wrong(_ZERO_NUMERIC.format(name="rel_error_given"), "wrong")
    named = bp.name_relative_error(v, ratio=2.0, batch=N_CHECK, name="rel_error_given")
    if named is not None:
        return named
    if 0 <= v < 1e-5:
        return wrong(
            "rel_error_given is tiny, but the given derivative is wrong: make sure this "
            "network uses dsigmoid_given, not your fixed dsigmoid.",
            "wrong",
        )
    return result


def judge_check_fixed(value: Any) -> CheckResult:
    try:
        arr = as_float_array(value, "your rel_error_fixed")
    except BadAnswer as bad:
        return bad.result
    if arr.size != 1 or not np.isfinite(arr).all():
        return wrong("rel_error_fixed should be one finite number.", "wrong")
    v = float(arr.reshape(-1)[0])
    if 0 <= v < 1e-6:
        return correct()
    if abs(v - 1.0) < 1e-6:
        return wrong(_ZERO_NUMERIC.format(name="rel_error_fixed"), "wrong")
    named = bp.name_relative_error(v, batch=N_CHECK, name="rel_error_fixed")
    if named is not None:
        return named
    if v < 0:
        return wrong("A relative error cannot be negative.", "wrong")
    return wrong(
        "rel_error_fixed is too large for a correct backward pass (it should be below 1e-6): "
        "check dsigmoid, numerical_gradient and that both gradients belong to the same model "
        "and batch.",
        "wrong",
    )


register(Part("lesson05.check_given", 0.5, judge=judge_check_given))
register(Part("lesson05.check_fixed", 0.5, judge=judge_check_fixed))


# -- which factors are Jacobians -------------------------------------------------------------

register(
    Part(
        "lesson05.jacobian_items",
        1,
        judge=lambda v: check_index_set(v, {1, 2}, name="jacobian_items"),
        description="W[l].T and diag(g'(z)) are the layer Jacobians in backward()",
    )
)
register(
    Part(
        "lesson05.why_elementwise",
        0.5,
        judge=lambda c: check_choice(
            c,
            "A",
            choices="ABCD",
            explain={"D": "Nothing is approximated: the elementwise product is exact here."},
        ),
    )
)
register(
    Part(
        "lesson05.bug_effect",
        0.5,
        judge=lambda c: check_choice(
            c,
            "A",
            choices="ABCD",
            explain={
                "C": "The sigmoid is only in the output layer, so the factor enters only once.",
                "B": "Every gradient is computed through the output layer's derivative.",
            },
        ),
    )
)


# -- training --------------------------------------------------------------------------------


#: The held-out labels of each variant's test seed (data seed + 1), as ``make_circles`` draws
#: them (a test proves it), 200 bits in hexadecimal: written out so the grader need not import
#: scikit-learn (most of its start-up time).
HELD_OUT_LABELS = {
    1: "1c63a049e9e2d9f830f5998ff115143b8ebf180bb9030fd5da",
    3: "3a6704f891e7573069fa1cbae11183a2ca89ceac11d9137fcf",
    5: "be2139214ea2f6dd3164c0dd80146abe9d4433ec3e3be43bce",
    7: "4a2b2efdadd14a636d30f1236b065419c6e5fe2b29601ed1b3",
    9: "1dbace8094e0ad8f6261d640c75ee4305d7478e68d6ee6d26d",
    11: "b288205a07d09fcd357f63b94ee49a69dc8126f4d8cf36d123",
    13: "d592acf9829d24736d3982f34d5c71066ac20be6cf02bf0fe2",
    15: "59ac7be9a578cf339033433337a93862d1171c43a1d4a195bf",
    17: "784f9d6595303bf67c74634fe3e0680685a3e4e740ccb2942f",
    19: "42c5799c15957fcd02774c816c78f8b83ff999fb8b0a061a8a",
    21: "80cda9f5aeeb5493cfb58fb0315204d0b99909e6f2309e7678",
    23: "24e39bd2f52cf16a933e3d793c3f3482e4f601cc82d9e84d84",
    25: "dc6fc091179d5993a54e8c1aad02a8555192d81ebdccd277f5",
    27: "9bf04a3af3cff1d57938f8982c7f766c1d3806a2d10406fb02",
    29: "d8faec0d6b2f2b245e09ae74e3f01fa0982e56e2a8a22db671",
    31: "9e1e451c977365c0a824293d352d2240d372b7dd1dff7f2314",
    33: "7ce96c27c740fe6c65e27ffbaa40644e1354c6025e8477c1aa",
    35: "fc0639a90ded6a5339181986d6859a61a48578fd2e7b0b8efa",
    37: "f267cb1e4bfd26c653b056eb010d88d18f298e71799a92e06b",
    39: "be017c7b4e56b22ba9da0caa645d6f1c595c3168d051179bd3",
}


def _test_labels(v=None) -> np.ndarray:
    """The held-out labels of variant ``v`` (None: the seed's task, ``TEST_SEED``)."""
    seed = TEST_SEED if v is None else int(v["data_seed"]) + 1
    bits = bin(int(HELD_OUT_LABELS[seed], 16))[2:].zfill(N_TEST)
    return np.array([float(c) for c in bits])


def judge_training(value: Any, v=None) -> CheckResult:
    if isinstance(value, list | tuple):  # a list of True/False travels as booleans
        with contextlib.suppress(TypeError, ValueError):
            value = np.array(value, dtype=float)
    try:
        pred = as_float_array(value, "your test_predictions")
    except BadAnswer as bad:
        return bad.result
    if pred.size != N_TEST or pred.ndim > 2 or (pred.ndim == 2 and 1 not in pred.shape):
        return wrong(
            f"test_predictions should hold one label per held-out point ({N_TEST} of them), "
            f"but it has shape {pred.shape}.",
            "wrong-shape",
        )
    pred = pred.reshape(-1)
    if not np.all(np.isin(pred, (0.0, 1.0))):
        return wrong(
            "test_predictions should hold class labels 0 or 1: threshold the network's "
            "output at 0.5.",
            WRONG_TYPE,
        )
    acc = float(np.mean(pred == _test_labels(v)))
    if acc >= FULL_ACCURACY:
        return correct(f"Correct: accuracy {acc:.3f} on the held-out points.")
    score = max(0.0, min(1.0, (acc - 0.5) / (FULL_ACCURACY - 0.5)))
    return CheckResult(
        round(score, 3),
        f"Your model's accuracy on the held-out points is {acc:.3f}; full credit needs "
        f"{FULL_ACCURACY}. Train for more epochs, change the learning rate or the seed.",
        LOW_ACCURACY,
    )


register(
    Part(
        "lesson05.training",
        2,
        judge=judge_training,
        description="accuracy of the trained network on the student's own held-out points",
        varies=True,
    )
)

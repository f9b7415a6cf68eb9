"""Typical mistakes with Jacobians and backpropagation, each with the note that names it.

Jacobians: transposed, the input variables (columns) or the outputs (rows) in
the wrong order, a missing chain-rule factor. Backpropagation: the sigmoid's
slope 2 s(1 - s), W where W.T belongs, a batch mean where a sum belongs (and
the reverse), and the relative errors of a gradient check they produce.
Checked with :func:`check_jacobian`, :func:`check_backward` and
:func:`name_relative_error`, and through lessons 4 and 5.
"""

from __future__ import annotations

import numpy as np
import sympy as sp

from reference.checks.backprop import backward_layer, check_backward, name_relative_error
from reference.checks.matrices import check_jacobian
from reference.checks.result import CheckResult, correct

from . import Case, mistake, part_check

J32 = np.array([[2.0, 1.0], [1.0, 4.0], [np.cos(1.0), 0.0]])
J22 = np.array([[0.0, 1.0], [5.0, 1.0]])
J33 = np.array([[1.0, 2.0, 3.0], [0.0, 4.0, 5.0], [6.0, 0.0, 7.0]])
NAMES = {"row_names": ["f1", "f2", "f3"], "col_names": ["x", "y"]}

x, y, p, q, r, s, t, u = sp.symbols("x y p q r s t u")


def sigma(z):
    return 1 / (1 + sp.exp(-z))


S1, S2, S3 = sigma(p * x + q * y), sigma(r * x + s * y), sigma(t * x + u * y)
J = sp.Matrix(
    [
        [p * S1 * (1 - S1), q * S1 * (1 - S1)],
        [r * S2 * (1 - S2), s * S2 * (1 - S2)],
        [t * S3 * (1 - S3), u * S3 * (1 - S3)],
    ]
)
F_VEC = sp.Matrix([S1, S2, S3])
AT = {p: 1, q: 2, r: -1, s: 0.5, t: 0, u: 3, x: 0.5, y: -0.25}


def numbers(m: sp.Matrix) -> np.ndarray:
    return np.array(m.subs(AT).evalf().tolist(), dtype=float)


# one layer of a backward pass, rows are samples
_RNG = np.random.default_rng(11)
LAYER = {
    "a_prev": _RNG.standard_normal((5, 3)),
    "W": _RNG.standard_normal((3, 3)),
    "z": _RNG.standard_normal((5, 3)),
    "da": _RNG.standard_normal((5, 3)),
    "dg": lambda z: 1 / (1 + np.exp(-z)) * (1 - 1 / (1 + np.exp(-z))),
}
RIGHT = backward_layer(LAYER)
N = LAYER["a_prev"].shape[0]


def _relerr_check(value, settings) -> CheckResult:
    """A gradient check's relative error judged by what it says about the two gradients."""
    if abs(float(value) - settings.get("right", 0.0)) <= 1e-6:
        return correct()
    named = name_relative_error(float(value), **settings["name"])
    return named or CheckResult(0.0, "unnamed", "wrong")


def rel(k: float) -> float:
    """The relative error |a - b| / (|a| + |b|) of two gradients with a = k b."""
    return abs(k - 1) / (k + 1)


def _j(id_, student, expected, note, want="partial", **options):
    return mistake(f"mj-jac-{id_}", check_jacobian, student, expected, note, want, **options)


def _b(id_, student, note, want="partial"):
    return mistake(f"mj-back-{id_}", check_backward, student, LAYER, note, want)


def _p(id_, student, part, note, want="partial"):
    return mistake(f"mj-part-{id_}", part_check, student, part, note, want)


CASES: list[Case] = [
    # transposed
    _j("transposed-rect", J32.T, J32, "transposed", **NAMES),
    _j("transposed-square", J22.T, J22, "transposed"),
    _p("sym-transposed", J.T, "lesson04.jacobian", "transposed"),
    _p("point-transposed", numbers(J).T, "lesson04.at_point", "transposed"),
    # the variables (columns) or outputs (rows) in the wrong order
    _j("columns-swapped", J32[:, ::-1], J32, "variable-order", **NAMES),
    _j("columns-rotated", J33[:, [1, 2, 0]], J33, "variable-order"),
    _j("rows-swapped", J32[[1, 0, 2]], J32, "output-order", **NAMES),
    _j("rows-rotated", J33[[2, 0, 1]], J33, "output-order"),
    _p("sym-columns", J[:, [1, 0]], "lesson04.jacobian", "variable-order"),
    _p("sympy-wrt-yx", F_VEC.jacobian([y, x]), "lesson04.jacobian_sympy", "variable-order"),
    _p("point-columns", numbers(J)[:, ::-1], "lesson04.at_point", "variable-order"),
    _p("fvec-order", sp.Matrix([S2, S1, S3]), "lesson04.function_vector", "output-order"),
    # a missing chain-rule factor
    _p(
        "no-inner-all",
        sp.Matrix([[S1 * (1 - S1)] * 2, [S2 * (1 - S2)] * 2, [S3 * (1 - S3)] * 2]),
        "lesson04.jacobian",
        "missing-inner-derivative",
    ),
    _p(
        "no-inner-one-row",
        sp.Matrix(
            [
                [S1 * (1 - S1)] * 2,
                [r * S2 * (1 - S2), s * S2 * (1 - S2)],
                [t * S3 * (1 - S3), u * S3 * (1 - S3)],
            ]
        ),
        "lesson04.jacobian",
        "missing-inner-derivative",
    ),  # fmt: skip
    _p(
        "no-inner-point",
        numbers(sp.Matrix([[S1 * (1 - S1)] * 2, [S2 * (1 - S2)] * 2, [S3 * (1 - S3)] * 2])),
        "lesson04.at_point",
        "missing-inner-derivative",
    ),
    _p("slope-2s", "2*S*(1 - S)", "lesson04.slope_in_s", "constant-factor"),
    _p("jac-factor-2", 2 * J, "lesson04.jacobian", "constant-factor"),
    _p("jac-sign", -J, "lesson04.jacobian", "sign-error"),
    # backprop: 2 s(1 - s), W for W.T, batch mean or sum
    _b("dz-2s", {"dz": 2 * RIGHT["dz"]}, "sigmoid-slope-2"),
    _b("dW-2s", {"dz": RIGHT["dz"], "dW": 2 * RIGHT["dW"]}, "sigmoid-slope-2"),
    _b("w-not-t", {"da_prev": RIGHT["dz"] @ LAYER["W"]}, "w-not-transposed"),
    _b(
        "w-not-t-mixed",
        {"dz": RIGHT["dz"], "da_prev": RIGHT["dz"] @ LAYER["W"]},
        "w-not-transposed",
    ),  # fmt: skip
    _b("dW-mean", {"dW": RIGHT["dW"] / N}, "batch-mean-sum"),
    _b("db-mean", {"db": RIGHT["db"] / N}, "batch-mean-sum"),
    _b("db-mean-flat", {"db": RIGHT["db"].reshape(-1) / N}, "batch-mean-sum"),
    _b("dW-sum-twice", {"dW": RIGHT["dW"] * N}, "batch-mean-sum"),
    _b("dW-transposed", {"dW": RIGHT["dW"].T}, "transposed"),
]

CASES += [
    # the relative errors a gradient check reports
    mistake("mj-relerr-fixed-2s", _relerr_check, rel(2), {"name": {}}, "sigmoid-slope-2", "fail"),
    mistake("mj-relerr-fixed-batch", _relerr_check, rel(20), {"name": {"batch": 20}},
            "batch-mean-sum", "fail"),  # fmt: skip
    mistake("mj-relerr-fixed-batch-inv", _relerr_check, rel(1 / 20), {"name": {"batch": 20}},
            "batch-mean-sum", "fail"),  # fmt: skip
    mistake("mj-relerr-given-batch", _relerr_check, rel(40),
            {"name": {"ratio": 2.0, "batch": 20}, "right": rel(2)}, "batch-mean-sum", "fail"),
    _p("check-fixed-2s", rel(2), "lesson05.check_fixed", "sigmoid-slope-2", "fail"),
    _p("check-fixed-batch", rel(20), "lesson05.check_fixed", "batch-mean-sum", "fail"),
    _p("check-given-batch", rel(40), "lesson05.check_given", "batch-mean-sum", "fail"),
    _p("check-given-batch-inv", rel(10), "lesson05.check_given", "batch-mean-sum", "fail"),
]  # fmt: skip

# Right answers written other ways: never a mistake.
CASES += [
    Case("mj-ok-00", check_jacobian, J32.tolist(), J32, "pass", NAMES),
    Case("mj-ok-01", check_jacobian, sp.Matrix(J22.tolist()), J22, "pass"),
    Case("mj-ok-02", check_jacobian, np.array([[1.0, 1.0], [2.0, 2.0]]), [[1, 1], [2, 2]], "pass"),
    Case("mj-ok-back-00", check_backward, dict(RIGHT), LAYER, "pass"),
    Case("mj-ok-back-01", check_backward, {"db": RIGHT["db"].reshape(-1)}, LAYER, "pass"),
    Case("mj-ok-back-02", check_backward, {"dW": RIGHT["dW"].tolist()}, LAYER, "pass"),
    Case("mj-ok-part-00", part_check, J, "lesson04.jacobian", "pass"),
    Case("mj-ok-part-01", part_check, F_VEC.jacobian([x, y]), "lesson04.jacobian_sympy", "pass"),
    Case(
        "mj-ok-part-02", part_check, sp.Matrix([S1, S2, S3]).T, "lesson04.function_vector", "pass"
    ),  # fmt: skip
    Case("mj-ok-part-03", part_check, numbers(J), "lesson04.at_point", "pass"),
    Case("mj-ok-part-04", part_check, "S - S**2", "lesson04.slope_in_s", "pass"),
    Case("mj-ok-part-05", part_check, 1e-9, "lesson05.check_fixed", "pass"),
]

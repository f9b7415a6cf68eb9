"""Case rows for :func:`check_function`."""

from __future__ import annotations

import math
import sys
import time

import numpy as np

from reference.checks.functions import check_function, sample_function, sample_points

from . import Case

FAST = {"timeout": 0.2}


def sig(x):
    return 1 / (1 + np.exp(-x))


def dsig(x):
    return sig(x) * (1 - sig(x))


def dsig_scalar(x):
    """Scalar-only: ``if`` on an array raises, so sampling falls back to floats."""
    if x >= 0:
        z = math.exp(-x)
        return z / (1 + z) ** 2
    z = math.exp(x)
    return z / (1 + z) ** 2


def dsig_list(x):
    return [dsig_scalar(v) for v in np.atleast_1d(x)] if np.ndim(x) else dsig_scalar(x)


def dsig_stray2(x):
    return 2 * sig(x) * (1 - sig(x))


def relu_grad(x):
    return np.where(x > 0, 1.0, 0.0)


def relu_grad_scalar(x):
    return 1.0 if x > 0 else 0.0


def dlog(x):
    """d/dx log(x): undefined (NaN) for x <= 0."""
    return np.where(x > 0, 1 / np.abs(x), np.nan)


def dtanh(x):
    return 1 - np.tanh(x) ** 2


def loops(x):
    while True:
        pass


def sleeps(x):
    time.sleep(60)


def swallow_once(x):
    try:
        time.sleep(60)
    except Exception:  # noqa: BLE001 - a student swallowing the first interrupt
        time.sleep(60)


def recurse(x):
    return recurse(x)


def stub(x):
    raise NotImplementedError


def divides(x):
    return 1 / 0


def exits(x):
    sys.exit(1)


def prints(x):
    print("debug", x)
    return dsig(x)


def writes_stderr(x):
    sys.stderr.write("warning!\n")
    return dsig(x)


def domain_error(x):
    return math.sqrt(x) + dsig_scalar(x) - math.sqrt(x)


def nan_at_zero(x):
    return np.where(x == 0.0, np.nan, 2 * x)


def mutates(x):
    x *= 2
    return x / 2


def not_elementwise(x):
    return x / np.max(np.abs(x))


class Poly:
    """A callable object, not a function."""

    def __call__(self, x):
        return 3 * x**2


def _f(id_, student, expected, want, note=None, says=None, **options):
    return Case(f"function-{id_}", check_function, student, expected, want, options, note, says)


PTS = sample_points((-2.0, 2.0), 40, 0)

CASES = [
    # Equivalent implementations that must pass.
    _f("vectorized", lambda x: np.exp(-x) * sig(x) ** 2, dsig, "pass", "correct"),
    _f("scalar-only", dsig_scalar, dsig, "pass"),
    _f("returns-list", dsig_list, dsig, "pass"),
    _f("math-module", lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2, dsig, "pass"),
    _f("tanh-form", lambda x: 0.25 / np.cosh(x / 2) ** 2, dsig, "pass"),
    _f("callable-object", Poly(), lambda x: 3 * x**2, "pass"),
    _f(
        "float32",
        lambda x: np.float32(2) * np.asarray(x, np.float32),
        lambda x: 2 * x,
        "pass",
        rtol=1e-6,
    ),
    _f("relu-grad", relu_grad_scalar, relu_grad, "pass"),
    _f("constant", lambda x: 3.0, lambda x: 3.0 + 0 * x, "pass"),
    _f("constant-int", lambda x: 0, lambda x: np.zeros_like(x), "pass"),
    _f("dtanh", lambda x: 1 / np.cosh(x) ** 2, dtanh, "pass"),
    _f("mutates-input", mutates, lambda x: x, "pass"),
    _f("prints", prints, dsig, "pass"),
    _f("writes-stderr", writes_stderr, dsig, "pass"),
    _f("large-values", lambda x: np.exp(30 * x), lambda x: np.exp(30 * x), "pass", domain=(0, 20)),
    _f("near-zero-values", lambda x: 1e-15 * x, lambda x: 0 * x, "pass"),
    _f("points-option", lambda x: x**3, lambda x: x**3, "pass", points=[0.0, 1.0, 2.5]),
    _f("intervals", np.log, np.log, "pass", domain=[(0.1, 1.0), (2.0, 5.0)]),
    _f("samples-dict", sample_function(dsig_scalar, PTS), dsig, "pass"),
    _f("both-dicts", sample_function(dsig_scalar, PTS), sample_function(dsig, PTS), "pass"),
    # Skipping points where the expected answer is undefined.
    _f("log-deriv-skips-negative", lambda x: 1 / x, dlog, "pass", domain=(-1.0, 1.0)),
    _f("log-deriv-raises-negative", lambda x: 1 / math.sqrt(x) ** 2, dlog, "pass", domain=(-1, 1)),
    _f("log-deriv-near-zero", lambda x: 1 / x, dlog, "pass", points=[-1.0, 0.0, 1e-12, 1e-6, 0.5]),
    _f("expected-raises", lambda x: x, lambda x: math.sqrt(x) ** 2, "pass", domain=(-1, 1)),
    # Near misses that must fail.
    _f("rel-1e-4", lambda x: dsig(x) * (1 + 1e-4 * x), dsig, "fail", "wrong", says="for example"),
    _f("sigmoid-not-derivative", sig, dsig, "fail", "wrong"),
    _f("one-point-off", lambda x: np.where(np.abs(x - PTS[5]) < 1e-12, 0.0, dsig(x)), dsig, "fail"),
    _f(
        "relu-grad-flipped", lambda x: 1.0 if x >= 0 else 0.0, relu_grad, "pass", points=[-1.0, 1.0]
    ),
    _f("relu-wrong-side", lambda x: np.where(x < 0, 1.0, 0.0), relu_grad, "fail"),
    _f("not-elementwise", not_elementwise, lambda x: x / 2, "fail"),
    # Partial credit for a named mistake.
    _f("stray-factor-2", dsig_stray2, dsig, "partial", "constant-factor"),
    _f("sign", lambda x: -dsig(x), dsig, "partial", "sign-error"),
    _f("plus-constant", lambda x: dsig(x) + 1, dsig, "partial", "additive-constant"),
    _f(
        "integrated",
        lambda x: x * np.log(x) - x + 7,
        np.log,
        "partial",
        "integrated-instead",
        domain=(0.5, 3.0),
        related={"antiderivative": lambda x: x * np.log(x) - x},
    ),
    # The student's function is undefined where the answer is defined.
    _f("domain-error", domain_error, dsig, "message", "student-undefined", says="x = -"),
    _f(
        "nan-at-point",
        nan_at_zero,
        lambda x: 2 * x,
        "message",
        "student-undefined",
        points=[-1, 0, 1],
    ),
    _f(
        "overflow-inf",
        lambda x: np.exp(1000 * x),
        lambda x: np.exp(x),
        "message",
        "student-undefined",
        domain=(0.5, 1),
    ),
    # Student code that raises, loops or returns the wrong type.
    _f("raises-everywhere", divides, dsig, "message", "student-error", says="ZeroDivisionError"),
    _f("recursion", recurse, dsig, "message", "student-error", says="RecursionError"),
    _f("sys-exit", exits, dsig, "message", "student-error", says="SystemExit"),
    _f("stub", stub, dsig, "message", "missing", says="not implemented"),
    _f("infinite-loop", loops, dsig, "message", "timeout", **FAST),
    _f("sleeps", sleeps, dsig, "message", "timeout", **FAST),
    _f("swallows-interrupt", swallow_once, dsig, "message", "timeout", **FAST),
    _f("returns-string", lambda x: "0.25", dsig, "message", "wrong-type", says="string"),
    _f("returns-none", lambda x: None, dsig, "message", "wrong-type", says="return"),
    _f("returns-dict", lambda x: {"y": x}, dsig, "message", "wrong-type"),
    _f("returns-complex", lambda x: x + 1j, lambda x: x, "message", "wrong-type", says="complex"),
    _f("returns-pair", lambda x: (x, x), lambda x: x, "message", "wrong-type", says="2 numbers"),
    _f("returns-function", lambda x: dsig, dsig, "message", "wrong-type", says="function"),
    _f("not-callable-number", 0.25, dsig, "message", "wrong-type", says="function"),
    _f("not-callable-string", "sigma(x)*(1-sigma(x))", dsig, "message", "wrong-type"),
    _f("none", None, dsig, "message", "missing"),
    _f("ellipsis", ..., dsig, "message", "missing"),
    # Reveal only on request.
    _f(
        "reveal", lambda x: x + 1, lambda x: x**2 + 5, "fail", "wrong", says="expected", reveal=True
    ),
]

"""Name the mistakes of a backward pass: W for its transpose, a batch mean for a sum, 2 s(1 - s).

For one layer ``z = a_prev @ W + b``, ``a = g(z)`` (rows are samples), the
backward pass computes ``dz = da * g'(z)``, ``dW = a_prev.T @ dz``,
``db = dz`` summed over the samples and ``da_prev = dz @ W.T``.
:func:`check_backward` judges any of these a student hands in and names the
usual slips; :func:`name_relative_error` explains the number a gradient check
reports, which is how these slips show up in a notebook.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .numeric import BadAnswer, as_float_array, compare_arrays
from .result import CheckResult, correct, register_note, wrong
from .safety import answer_check, is_missing
from .tolerance import Tolerance

W_NOT_T = register_note(
    "w-not-transposed", "The backward pass multiplies by W where its transpose W.T belongs."
)
BATCH = register_note(
    "batch-mean-sum",
    "A mean over the batch and a sum over it are mixed up (off by the batch size).",
)
SLOPE_2 = register_note(
    "sigmoid-slope-2", "The sigmoid's slope is taken as 2 s(1 - s), twice the right s(1 - s)."
)

#: The quantities of one layer's backward pass, in the order they are computed.
KEYS = ("dz", "dW", "db", "da_prev")
CREDIT = {W_NOT_T: 0.5, BATCH: 0.5, SLOPE_2: 0.5}
TOL = Tolerance(rtol=1e-7, zero_level=1e-12, zero_tol=1e-12)


def backward_layer(layer: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The right ``dz, dW, db, da_prev`` of one layer (see the module docstring).

    >>> layer = {"a_prev": np.ones((2, 1)), "W": np.ones((1, 1)), "z": np.zeros((2, 1)),
    ...          "da": np.ones((2, 1)), "dg": lambda z: 0 * z + 0.25}
    >>> backward_layer(layer)["dW"].tolist()
    [[0.5]]
    """
    a_prev, W = np.asarray(layer["a_prev"], float), np.asarray(layer["W"], float)
    dz = np.asarray(layer["da"], float) * np.asarray(layer["dg"](np.asarray(layer["z"], float)))
    return {
        "dz": dz,
        "dW": a_prev.T @ dz,
        "db": dz.sum(axis=0, keepdims=True),
        "da_prev": dz @ W.T,
    }


def _slip(key: str, got: np.ndarray, right: dict, layer: Mapping, n: int) -> CheckResult | None:
    """The named slip behind a wrong ``key``, or None."""

    def same(other: np.ndarray) -> bool:
        other = np.asarray(other, float)
        return got.size == other.size and bool(np.all(TOL.close(got.reshape(-1), other.ravel())))

    exp = right[key]
    W = np.asarray(layer["W"], float)
    if key == "da_prev" and W.shape[0] == W.shape[1] and same(right["dz"] @ W):
        return CheckResult(
            CREDIT[W_NOT_T],
            "da_prev multiplies dz by W; going backwards through z = a_prev @ W it must be "
            "multiplied by W.T (the Jacobian of the linear map, transposed for row vectors).",
            W_NOT_T,
        )
    if key in ("dW", "db") and n > 1:
        for k, how in ((1 / n, "a mean"), (float(n), "a sum")):
            if same(k * exp):
                return CheckResult(
                    CREDIT[BATCH],
                    f"{key} is {how} over the batch where the other is expected: it is off by "
                    f"the batch size {n}. The loss already carries the 1/n of its mean, so sum "
                    "over the samples here.",
                    BATCH,
                )
    if same(2 * exp):
        return CheckResult(
            CREDIT[SLOPE_2],
            f"{key} is twice the right value (a constant factor 2): the sigmoid's slope is "
            "s(1 - s), not 2 s(1 - s).",
            SLOPE_2,
        )
    return None


@answer_check
def check_backward(student: Any, layer: Mapping[str, Any], **options: Any) -> CheckResult:
    """Judge one layer's backward pass: a dict with some of ``dz, dW, db, da_prev``.

    ``layer`` holds ``a_prev``, ``W``, ``z``, ``da`` and the activation's
    derivative ``dg``. Each quantity handed in counts the same; a slip that is
    named earns partial credit. ``db`` may be a row ``(1, m)`` or flat ``(m,)``.
    Option ``name`` (default "your backward pass").

    >>> layer = {"a_prev": np.eye(2), "W": np.array([[1.0, 2.0], [3.0, 4.0]]),
    ...          "z": np.zeros((2, 2)), "da": np.ones((2, 2)), "dg": lambda z: 0 * z + 0.25}
    >>> right = backward_layer(layer)
    >>> check_backward({"da_prev": right["dz"] @ layer["W"]}, layer).note
    'w-not-transposed'
    """
    unknown = set(options) - {"name"}
    if unknown:
        raise TypeError(f"unknown option(s): {sorted(unknown)}")
    name = str(options.get("name", "your backward pass"))
    if is_missing(student):
        return wrong(f"{name} is missing.", "missing")
    if not isinstance(student, Mapping) or not set(student) & set(KEYS):
        return wrong(
            f"{name} should be a dict with some of {', '.join(KEYS)} (arrays).", "wrong-type"
        )
    right = backward_layer(layer)
    n = int(np.asarray(layer["a_prev"]).shape[0])
    scores, problems = [], []
    for key in [k for k in KEYS if k in student]:
        try:
            got = as_float_array(student[key], key)
        except BadAnswer as bad:
            scores.append(0.0)
            problems.append(bad.result)
            continue
        exp = right[key]
        if key == "db" and got.shape == exp.shape[1:]:
            exp = exp.reshape(-1)
        verdict = compare_arrays(got, exp, TOL, name=key, reveal=False)
        if not verdict.passed:
            verdict = _slip(key, got, right, layer, n) or verdict
        scores.append(verdict.score)
        if not verdict.passed:
            problems.append(verdict)
    if not problems:
        return correct()
    first = problems[0]
    feedback = " ".join(p.feedback for p in problems)
    return CheckResult(float(np.mean(scores)), feedback, first.note)


def name_relative_error(
    value: float, *, ratio: float = 1.0, batch: int = 1, name: str = "the relative error"
) -> CheckResult | None:
    """Explain a gradient check's ``|a - b| / (|a| + |b|)`` when one gradient is ``k`` times
    the other: ``ratio`` is the ``k`` of a right solution (2 for the seed's 2 s(1 - s)),
    ``batch`` the batch size. Returns a zero-credit verdict naming the slip, or None.

    >>> name_relative_error(1 / 3).note
    'sigmoid-slope-2'
    >>> name_relative_error(19 / 21, batch=20).note
    'batch-mean-sum'
    """
    v = float(value)
    if not 0.0 < v < 1.0:
        return None
    k = (1 + v) / (1 - v)  # the larger gradient over the smaller one

    def near(target: float) -> bool:
        return abs(k - target) <= 1e-3 * target

    if batch > 1 and any(near(t) for t in (batch * ratio, batch / ratio, ratio / batch)):
        return CheckResult(
            0.0,
            f"{name} is {v:.4g}: one gradient is about {k:.3g} times the other, the batch size "
            f"({batch}) times what it should be. One of them is a mean over the samples and the "
            "other a sum: both must differentiate the same loss.",
            BATCH,
        )
    if ratio == 1.0 and near(2.0):
        return CheckResult(
            0.0,
            f"{name} is about 1/3: one gradient is twice the other, as with the sigmoid slope "
            "2 s(1 - s) of the seed (a constant factor 2). The fixed network must use s(1 - s).",
            SLOPE_2,
        )
    return None

"""Typical finite-difference mistakes, each with the note that names it.

Families: forward, backward and central confused; an ignored or hard-coded
step; a wrong scaling (divided by h instead of 2h); the exact derivative
instead of a difference; a step too small (cancellation) or too large
(truncation). Checked with :func:`check_difference` and
:func:`check_step_size`, and through lessons 1, 2, 4 and 5.
"""

from __future__ import annotations

import math

import numpy as np

from reference.checks.differences import check_difference
from reference.checks.steps import check_step_size

from . import Case, mistake, part_check

PTS = [-1.5, -0.2, 0.4, 1.0, 2.5]
H = 0.01


def cubic(x):
    return x**3 - 2 * x**2 + 1


def dcubic(x):
    return 3 * x**2 - 4 * x


def fwd(f, h=None):
    return lambda x, step: (f(x + (h or step)) - f(x)) / (h or step)


def bwd(f, h=None):
    return lambda x, step: (f(x) - f(x - (h or step))) / (h or step)


def ctr(f, h=None, scale=2.0):
    return lambda x, step: (f(x + (h or step)) - f(x - (h or step))) / (scale * (h or step))


def _c(id_, student, func, note, scheme="forward", want="partial", dfunc=None):
    return mistake(
        f"md-diff-{id_}", check_difference, student, func, note, want,
        points=PTS, step=H, scheme=scheme, dfunc=dfunc,
    )  # fmt: skip


def _p(id_, student, part, note, want="partial"):
    return mistake(f"md-part-{id_}", part_check, student, part, note, want)


def _s(id_, h, note, want="partial", scheme="forward", func=math.exp, dfunc=math.exp, x=1.0):
    return mistake(
        f"md-step-{id_}", lambda s, e, **o: check_step_size(s, **o), h, None, note, want,
        func=func, dfunc=dfunc, x=x, scheme=scheme,
    )  # fmt: skip


# numerical_gradient(loss_fn, W, eps) variants, as students write them
def numgrad(kind="central", eps=None, scale=1.0):
    def g(loss_fn, W, e):
        e = eps or e
        out = np.zeros(W.shape)
        for i in np.ndindex(W.shape):
            old = W[i]
            W[i] = old + e
            up = loss_fn(W)
            W[i] = old - e
            down = loss_fn(W)
            W[i] = old
            mid = loss_fn(W)
            diff = {"central": (up - down) / (2 * e), "forward": (up - mid) / e}
            out[i] = diff.get(kind, (mid - down) / e) * scale
        return out

    return g


def f_numeric(params, x, y):
    w = np.asarray(params, dtype=float).reshape(3, 2)
    return 1 / (1 + np.exp(-(w @ np.array([x, y], dtype=float))))


def jac_fd(kind="central", h=None, scale=1.0, swap=False):
    def j(params, x, y, step):
        s = h or step
        if kind == "central":
            cx = (f_numeric(params, x + s, y) - f_numeric(params, x - s, y)) / (2 * s)
            cy = (f_numeric(params, x, y + s) - f_numeric(params, x, y - s)) / (2 * s)
        else:
            cx = (f_numeric(params, x + s, y) - f_numeric(params, x, y)) / s
            cy = (f_numeric(params, x, y + s) - f_numeric(params, x, y)) / s
        cols = [cy, cx] if swap else [cx, cy]
        return np.column_stack(cols) * scale

    return j


def rate(kind="forward", h=None):
    return {"forward": fwd, "backward": bwd, "central": ctr}[kind](cubic, h)


STEPS = 10.0 ** -np.arange(1, 16)


def errors_of(kind):
    return np.array([abs(rate(kind)(2.0, h) - dcubic(2.0)) for h in STEPS])


def max_gap_fixed(step):
    grid = np.arange(-10, 10, 0.1)
    total = np.cumsum((3 * grid**2 - 4 * grid) * 0.1)
    return float(np.max(np.abs(total - (grid + 0.1) ** 3 + 2 * (grid + 0.1) ** 2 - 1200)))


CASES: list[Case] = [
    # the scheme confused
    _c("central-exp", ctr(np.exp), np.exp, "central-instead"),
    _c("central-sin", ctr(np.sin), np.sin, "central-instead"),
    _c("backward-exp", bwd(np.exp), np.exp, "backward-instead"),
    _c("backward-cubic", bwd(cubic), cubic, "backward-instead"),
    _c("one-sided-fwd", fwd(np.exp), np.exp, "one-sided-difference", scheme="central"),
    _c("one-sided-bwd", bwd(np.sin), np.sin, "one-sided-difference", scheme="central"),
    # the step ignored: hard-coded, or the exact derivative
    _c("fixed-1e-4", fwd(np.exp, 1e-4), np.exp, "ignores-step"),
    _c("fixed-1e-3", fwd(cubic, 1e-3), cubic, "ignores-step"),
    _c("fixed-0.1", fwd(np.sin, 0.1), np.sin, "ignores-step"),
    _c("fixed-central", ctr(np.exp, 1e-3), np.exp, "ignores-step"),
    _c("exact-exp", lambda x, h: np.exp(x), np.exp, "exact-instead", dfunc=np.exp),
    _c("exact-cubic", lambda x, h: dcubic(x), cubic, "exact-instead", dfunc=dcubic),
    # the wrong scaling
    _c("over-h", ctr(np.exp, scale=1.0), np.exp, "eps-scaling", scheme="central"),
    _c("over-4h", ctr(np.sin, scale=4.0), np.sin, "eps-scaling", scheme="central"),
    _c("fwd-over-2h", lambda x, h: (np.exp(x + h) - np.exp(x)) / (2 * h), np.exp, "eps-scaling"),
    # a step too small or too large
    _s("tiny", 1e-14, "cancellation"),
    _s("zero-effect", 1e-17, "cancellation", "fail"),
    _s("huge", 0.5, "truncation", "fail"),
    _s("large", 1e-3, "truncation"),
    _s("central-tiny", 1e-13, "cancellation", scheme="central"),
    _s("central-large", 1e-2, "truncation", scheme="central"),
    _s("cubic-last-step", 1e-15, "cancellation", "fail", func=cubic, dfunc=dcubic, x=2.0),
    # through the graded parts
    _p("rate-central", rate("central"), "lesson01.rate", "central-instead"),
    _p("rate-backward", rate("backward"), "lesson01.rate", "backward-instead"),
    _p("rate-fixed-1e-4", rate("forward", 1e-4), "lesson01.rate", "ignores-step"),
    _p("rate-fixed-1e-6", rate("forward", 1e-6), "lesson01.rate", "ignores-step"),
    _p("rate-exact", lambda x, h: dcubic(x), "lesson01.rate", "exact-instead"),
    _p("errors-central", errors_of("central"), "lesson01.errors", "central-instead"),
    _p("errors-backward", errors_of("backward"), "lesson01.errors", "backward-instead"),
    _p("errors-one-step", np.full(15, errors_of("forward")[3]), "lesson01.errors", "ignores-step"),
    _p("best-last", 1e-15, "lesson01.best_step", "cancellation", "fail"),
    _p("best-first", 0.1, "lesson01.best_step", "truncation", "fail"),
    _p("fd-forward", jac_fd("forward"), "lesson04.jacobian_fd", "one-sided-difference"),
    _p("fd-fixed-step", jac_fd("forward", 1e-4), "lesson04.jacobian_fd", "ignores-step"),
    _p("fd-exact-step", jac_fd("central", 1e-6), "lesson04.jacobian_fd", "exact-instead"),
    _p("fd-over-h", jac_fd(scale=2.0), "lesson04.jacobian_fd", "eps-scaling"),
    _p("grad-forward", numgrad("forward"), "lesson05.numerical_gradient", "one-sided-difference"),
    _p("grad-backward", numgrad("backward"), "lesson05.numerical_gradient", "one-sided-difference"),
    _p("grad-over-eps", numgrad(scale=2.0), "lesson05.numerical_gradient", "eps-scaling"),
    _p("grad-fixed-eps", numgrad("forward", 1e-4), "lesson05.numerical_gradient", "ignores-step"),
    _p("grad-tiny-eps", numgrad(eps=1e-6), "lesson05.numerical_gradient", "exact-instead"),
    _p("gap-fixed-step", max_gap_fixed, "lesson02.max_gap", "ignores-step", "fail"),
]

# Right differences written other ways: never a mistake.
CASES += [
    Case(
        "md-ok-00", check_difference, lambda x, h: (np.exp(x + h) - np.exp(x)) * (1 / h), np.exp,
        "pass", {"points": PTS, "step": H},
    ),
    Case(
        "md-ok-01", check_difference, lambda x, h: -(np.exp(x) - np.exp(x + h)) / h, np.exp,
        "pass", {"points": PTS, "step": H},
    ),
    Case(
        "md-ok-02", check_difference, ctr(np.sin), np.sin, "pass",
        {"points": PTS, "step": H, "scheme": "central"},
    ),
    Case(
        "md-ok-03", check_difference, lambda x, h: (math.exp(x + h) - math.exp(x)) / h,
        np.exp, "pass", {"points": PTS, "step": H},
    ),
    Case("md-ok-part-00", part_check, rate("forward"), "lesson01.rate", "pass"),
    Case("md-ok-part-01", part_check, jac_fd(), "lesson04.jacobian_fd", "pass"),
    Case("md-ok-part-02", part_check, numgrad(), "lesson05.numerical_gradient", "pass"),
    Case("md-ok-part-03", part_check, errors_of("forward"), "lesson01.errors", "pass"),
    Case("md-ok-part-04", part_check, 1e-8, "lesson01.best_step", "pass"),
]  # fmt: skip

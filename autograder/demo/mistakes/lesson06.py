"""Typical mistakes in lesson 6, typed with each student's own k and cubic."""

from fractions import Fraction

from . import Mistake

#: The seed's task: log x, and the cubic x^3 - 2x^2 + 1.
_SEED = {"k": 1, "a": 1, "b": -2, "c": 0, "d": 1}


def _task(v) -> dict:
    return _SEED if v is None else dict(v)


def _critical(v) -> tuple[Fraction, Fraction, float, float]:
    """The cubic's critical points p < q, as a student finds them, and f'' there."""
    t = _task(v)
    a, b, c = t["a"], t["b"], t["c"]
    root = round((b * b - 3 * a * c) ** 0.5)
    p, q = sorted((Fraction(-b - root, 3 * a), Fraction(-b + root, 3 * a)))
    return p, q, float(6 * a * p + 2 * b), float(6 * a * q + 2 * b)


def _number(p: Fraction) -> str:
    """``0``, ``4/3``, ``-2/3``: a critical point as a student types it."""
    return str(p.numerator) if p.denominator == 1 else f"{p.numerator}/{p.denominator}"


def _kinds_swapped(v) -> str:
    p, q, f2p, f2q = _critical(v)
    kinds = {f2p: "max" if f2p < 0 else "min", f2q: "max" if f2q < 0 else "min"}
    wrong = {"max": "min", "min": "max"}
    return (
        f'cubic_critical = {{{_number(p)}: "{wrong[kinds[f2p]]}", '
        f'{_number(q)}: "{wrong[kinds[f2q]]}"}}\ncubic_f2 = [{f2p}, {f2q}]'
    )


def _f2_sign(v) -> str:
    t = _task(v)
    p, q, f2p, f2q = _critical(v)
    slope, const = -6 * t["a"], -2 * t["b"]  # f'' written with the opposite sign
    if const:
        written = f"{const} {'-' if slope < 0 else '+'} {abs(slope)} * p"
        shown = f"{const} {'-' if slope < 0 else '+'} {abs(slope)}x"
    else:
        written, shown = f"{slope} * p", f"{slope}x"
    return (
        f'cubic_critical = {{{_number(p)}: "{"max" if f2p < 0 else "min"}", '
        f'{_number(q)}: "{"max" if f2q < 0 else "min"}"}}\n'
        f"cubic_f2 = [{written} for p in ({_number(p)}, {_number(q)})]  # f'' written as {shown}\n"
    )


def _log10(v) -> str:
    return f"log_derivative = {_task(v)['k']} / (x * sp.log(10))"


def _times_k(v, call: str) -> str:
    k = _task(v)["k"]
    return call if k == 1 else f"{k} * {call}"


def _label(v) -> str:
    k = _task(v)["k"]
    return "log x" if k == 1 else f"{k} log x"


def _log10_plot(v) -> str:
    return (
        "xs = np.linspace(0.01, 10, 500)\nfig6, ax = plt.subplots()\n"
        f"ax.plot(xs, {_times_k(v, 'np.log10(xs)')}, label='{_label(v)}')\nax.set_title('log')\n"
        "ax.set_xlabel('x')\nax.legend()\n"
    )


def _warns(v) -> str:
    return (
        "xs = np.linspace(0, 10, 500)\nfig6, ax = plt.subplots()\n"
        f"ax.plot(xs, {_times_k(v, 'np.log(xs)')}, label='{_label(v)}')\n"
        f"ax.set_title('{_label(v)}')\nax.set_xlabel('x')\nax.legend()\n"
    )


MISTAKES: list[Mistake] = [
    # A reader answered "the maximum is at x = infinity".
    Mistake(
        "lesson06",
        "max-at-infinity",
        {"sol_log_extremum": 'log_extremum = "A"'},
        {"test_log_extremum": "not a number of the domain"},
    ),
    # log read as log10: 1/(x ln 10) instead of 1/x.
    Mistake(
        "lesson06",
        "log10",
        {"sol_log_derivative": _log10},
        {"test_log_derivative": "base-10"},
    ),
    Mistake(
        "lesson06",
        "kinds-swapped",
        {"sol_cubic": _kinds_swapped},
        {"test_cubic_critical": "look at the sign of f''"},
    ),
    Mistake(
        "lesson06",
        "f2-sign",
        {"sol_cubic": _f2_sign},
        {"test_cubic_f2": "sign"},
    ),
    Mistake(
        "lesson06",
        "log10-plot",
        {"sol_plot": _log10_plot},
        {"test_plot": "does not match"},
    ),
    # The limit of 1/x as x grows, taken as a zero of the derivative: SymPy's oo in a list.
    Mistake(
        "lesson06",
        "zero-at-infinity",
        {"sol_log_zeros": "log_zeros = [sp.oo]"},
        {"test_log_zeros": "infinity"},
    ),
    # Plotting from x = 0 makes NumPy warn (log 0 = -inf) but the plot is right.
    Mistake(
        "lesson06",
        "warns",
        {"sol_plot": _warns},
        {},
        full=("test_plot",),
    ),
    # The setup cell's x is positive, and sp.solve keeps only the solutions its assumptions
    # allow: the critical point x <= 0 is lost.
    Mistake(
        "lesson06",
        "positive-symbol",
        {
            "sol_cubic": (
                "points = sorted(sp.solve(sp.diff(cubic(x), x), x))\n"
                "second = sp.diff(cubic(x), x, 2)\n"
                "cubic_f2 = [float(second.subs(x, p)) for p in points]\n"
                'cubic_critical = {float(p): ("max" if v < 0 else "min") '
                "for p, v in zip(points, cubic_f2)}\n"
            )
        },
        {"test_cubic_critical": "missing"},
    ),
]

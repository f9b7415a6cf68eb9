"""Typical mistakes in lesson 1, typed with each student's own numbers."""

from . import Mistake


def _abc(v) -> tuple[int, int, int]:
    return (1, -2, 1) if v is None else (v["a"], v["b"], v["c"])


def _integrated(v) -> str:
    a, b, c = _abc(v)
    return f"derivative_formula = {a}*x**4/4 + {b}*x**3/3 + {c}*x"


def _rule(first: int, second: int) -> str:
    return f"def df_rule(x):\n    return {first} * x**2 + {second} * x"


def _sign(v) -> str:
    a, b, _ = _abc(v)
    return _rule(-3 * a, -2 * b)


def _term_sign(v) -> str:
    a, b, _ = _abc(v)
    return _rule(3 * a, -2 * b)


def _warns(v) -> str:
    a, b, _ = _abc(v)
    return (
        "def df_rule(x):\n    x = np.asarray(x, dtype=float)\n"
        "    noise = np.where(x > 0, 0 * np.sqrt(x), 0.0)  # sqrt(-x) warns, is discarded\n"
        f"    return {3 * a} * x**2 + {2 * b} * x + noise\n"
        "np.log(0.0)\n"
    )

MISTAKES: list[Mistake] = [
    Mistake(
        "lesson01",
        "integrated",
        {"sol_formula": _integrated},
        {"test_formula": "integrated"},
    ),
    Mistake(
        "lesson01",
        "sign",
        {"sol_rule": _sign},
        {"test_rule": "sign"},
    ),
    Mistake(
        "lesson01",
        "central",
        {
            "sol_rate": (
                "def df_rate(x, delta_x):\n"
                "    return (f(x + delta_x) - f(x - delta_x)) / (2 * delta_x)"
            )
        },
        {"test_rate": "central"},
    ),
    Mistake(
        "lesson01",
        "no-legend",
        {
            "sol_plot": (
                "xs = np.linspace(-10, 10, 500)\nfig1, ax = plt.subplots()\n"
                "ax.plot(xs, df_rule(xs), label='rule')\n"
                "ax.plot(xs, df_rate(xs, 1e-4), label='rate')\n"
                "ax.set_title('derivatives')\n"
            )
        },
        {"test_plot": "legend"},
    ),
    Mistake(
        "lesson01",
        "tiny-step",
        {
            "sol_steps": (
                "steps = 10.0 ** -np.arange(1, 16)\n"
                "errors = np.array([abs(df_rate(2.0, h) - df_rule(2.0)) for h in steps])\n"
                "best_step = 1e-12\nerror_shrinks = 'A'\ntiny_step_cause = 'B'\n"
            )
        },
        {"test_best_step": "cancellation"},
    ),
    # One term with the wrong sign: the power rule applied, the minus lost.
    Mistake(
        "lesson01",
        "term-sign",
        {"sol_rule": _term_sign},
        {"test_rule": "one term"},
    ),
    # The slope from the left: f(x) - f(x - dx).
    Mistake(
        "lesson01",
        "backward",
        {"sol_rate": "def df_rate(x, delta_x):\n    return (f(x) - f(x - delta_x)) / delta_x"},
        {"test_rate": "backward"},
    ),
    # The plot's step hard-coded in the function: it ignores the step it is given.
    Mistake(
        "lesson01",
        "hard-coded-step",
        {"sol_rate": "def df_rate(x, delta_x):\n    return (f(x + 1e-4) - f(x)) / 1e-4"},
        {"test_rate": "ignores the step"},
    ),
    # A legend made for the first line only.
    Mistake(
        "lesson01",
        "legend-one-entry",
        {
            "sol_plot": (
                "xs = np.linspace(-10, 10, 500)\nfig1, ax = plt.subplots()\n"
                "first, = ax.plot(xs, df_rule(xs), label='rule')\n"
                "ax.plot(xs, df_rate(xs, 1e-4), label='rate')\n"
                "ax.set_title('derivatives')\nax.legend(handles=[first])\n"
            )
        },
        {"test_plot": "no entry for 'rate'"},
    ),
    # A right answer whose code makes NumPy warn must still get full marks.
    Mistake(
        "lesson01",
        "warns",
        {"sol_rule": _warns},
        {},
        full=("test_rule", "test_formula"),
    ),
]

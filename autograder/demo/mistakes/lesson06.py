"""Typical mistakes in lesson 6."""

from . import Mistake

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
        {"sol_log_derivative": "log_derivative = 1 / (x * sp.log(10))"},
        {"test_log_derivative": "base-10"},
    ),
    Mistake(
        "lesson06",
        "kinds-swapped",
        {"sol_cubic": 'cubic_critical = {0: "min", 4/3: "max"}\ncubic_f2 = [-4.0, 4.0]'},
        {"test_cubic_critical": "look at the sign of f''"},
    ),
    Mistake(
        "lesson06",
        "f2-sign",
        {
            "sol_cubic": (
                'cubic_critical = {0: "max", 4/3: "min"}\n'
                "cubic_f2 = [4 - 6 * p for p in (0, 4/3)]  # f'' written as 4 - 6x\n"
            )
        },
        {"test_cubic_f2": "sign"},
    ),
    Mistake(
        "lesson06",
        "log10-plot",
        {
            "sol_plot": (
                "xs = np.linspace(0.01, 10, 500)\nfig6, ax = plt.subplots()\n"
                "ax.plot(xs, np.log10(xs), label='log x')\nax.set_title('log')\n"
                "ax.set_xlabel('x')\nax.legend()\n"
            )
        },
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
        {
            "sol_plot": (
                "xs = np.linspace(0, 10, 500)\nfig6, ax = plt.subplots()\n"
                "ax.plot(xs, np.log(xs), label='log x')\nax.set_title('log x')\n"
                "ax.set_xlabel('x')\nax.legend()\n"
            )
        },
        {},
        full=("test_plot",),
    ),
]

"""Typical mistakes in lesson 2."""

from . import Mistake

MISTAKES: list[Mistake] = [
    # The most common confusion: the derivative where an antiderivative is asked.
    Mistake(
        "lesson02",
        "differentiated",
        {"sol_antiderivative": "antiderivative = 6 * x - 4"},
        {"test_antiderivative": "differentiated"},
    ),
    # The heights are added up but never multiplied by the width of the rectangles.
    Mistake(
        "lesson02",
        "no-width",
        {"sol_running": "xs = np.arange(-10, 10, 0.1)\nrunning = np.cumsum(f(xs))"},
        {"test_running": "constant factor"},
    ),
    # The areas are computed but not accumulated.
    Mistake(
        "lesson02",
        "not-summed",
        {"sol_running": "xs = np.arange(-10, 10, 0.1)\nrunning = f(xs) * 0.1"},
        {"test_running": "adds them up"},
    ),
    # A reader's plot: labelled "area" and no title.
    Mistake(
        "lesson02",
        "area-label",
        {
            "sol_plot": (
                "def F(x):\n    return x**3 - 2 * x**2\n\n\n"
                "fig2, ax = plt.subplots()\n"
                "ax.plot(xs, F(xs), c='r', alpha=0.5, label='antiderivative')\n"
                "ax.plot(xs, running, c='b', alpha=0.5, label='area')\n"
                "ax.legend()\n"
            )
        },
        {"test_plot": "running sum"},
    ),
    Mistake(
        "lesson02",
        "shift-sign",
        {"sol_shift": "shift = F(-10)"},
        {"test_shift": "sign"},
    ),
    Mistake(
        "lesson02",
        "shift-from-data",
        {"sol_shift": "shift = running[-1] - F(xs[-1])"},
        {"test_shift": "exactly"},
    ),
    # Comparing the sum with the area up to x_k instead of x_k + step.
    Mistake(
        "lesson02",
        "left-edge",
        {
            "sol_gap": (
                "def max_gap(step):\n    grid = np.arange(-10, 10, step)\n"
                "    total = np.cumsum(f(grid) * step)\n"
                "    return np.max(np.abs(total - (F(grid) - F(-10))))\n\n\n"
                "gap_halving = 'A'\n"
            )
        },
        {"test_max_gap": "right edge"},
        full=("test_gap_halving",),
    ),
    # The power rule run backwards with one sign lost.
    Mistake(
        "lesson02",
        "term-sign",
        {"sol_antiderivative": "antiderivative = x**3 + 2 * x**2"},
        {"test_antiderivative": "one term"},
    ),
    # The antiderivative plotted with the constant that matches the running sum added.
    Mistake(
        "lesson02",
        "plot-with-constant",
        {
            "sol_plot": (
                "def F(x):\n    return x**3 - 2 * x**2\n\n\n"
                "fig2, ax = plt.subplots()\n"
                "ax.plot(xs, F(xs) + 1200, label='antiderivative')\n"
                "ax.plot(xs, running, label='running sum')\n"
                "ax.set_title('area')\nax.legend()\n"
            )
        },
        {"test_plot": "shifted"},
    ),
    # A right answer whose code makes NumPy warn must still get full marks.
    Mistake(
        "lesson02",
        "warns",
        {
            "sol_running": (
                "xs = np.arange(-10, 10, 0.1)\n"
                "log_heights = np.log(f(xs))  # NaN where f < 0: warns, and is not used\n"
                "running = np.cumsum(f(xs) * 0.1)\n"
            )
        },
        {},
        full=("test_running", "test_plot", "test_max_gap"),
    ),
]

"""Typical mistakes in lesson 2, typed with each student's own numbers."""

from . import Mistake


def _ab(v) -> tuple[int, int]:
    """The integrand's coefficients a, b of f(x) = a x^2 + b x (None: the seed's 3, -4)."""
    return (3, -4) if v is None else (v["a"], v["b"])


def _py(*terms: tuple[int, str]) -> str:
    """Python for a sum of terms as a student types it: ``x**3 - 2 * x**2``."""
    out = ""
    for coef, power in terms:
        body = power if abs(coef) == 1 else f"{abs(coef)} * {power}"
        if not out:
            out = f"-{body}" if coef < 0 else body
        else:
            out += f" {'-' if coef < 0 else '+'} {body}"
    return out


def _antiderivative(v, sign: int = 1) -> str:
    """F(x) = (a/3) x^3 + (b/2) x^2 in Python, its second term's sign flipped if ``sign`` < 0."""
    a, b = _ab(v)
    return _py((a // 3, "x**3"), (sign * b // 2, "x**2"))


def _def_F(v) -> str:
    return f"def F(x):\n    return {_antiderivative(v)}\n\n\n"


def _differentiated(v) -> str:
    a, b = _ab(v)
    return f"antiderivative = {_py((2 * a, 'x'))} {'-' if b < 0 else '+'} {abs(b)}"


def _term_sign(v) -> str:
    return f"antiderivative = {_antiderivative(v, sign=-1)}"


def _area_label(v) -> str:
    return (
        _def_F(v) + "fig2, ax = plt.subplots()\n"
        "ax.plot(xs, F(xs), c='r', alpha=0.5, label='antiderivative')\n"
        "ax.plot(xs, running, c='b', alpha=0.5, label='area')\n"
        "ax.legend()\n"
    )


def _plot_with_constant(v) -> str:
    a, b = _ab(v)
    shift = 1000 * a // 3 - 50 * b  # -F(-10), the constant typed as a number
    return (
        _def_F(v) + "fig2, ax = plt.subplots()\n"
        f"ax.plot(xs, F(xs) {'-' if shift < 0 else '+'} {abs(shift)}, label='antiderivative')\n"
        "ax.plot(xs, running, label='running sum')\n"
        "ax.set_title('area')\nax.legend()\n"
    )


MISTAKES: list[Mistake] = [
    # The most common confusion: the derivative where an antiderivative is asked.
    Mistake(
        "lesson02",
        "differentiated",
        {"sol_antiderivative": _differentiated},
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
        {"sol_plot": _area_label},
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
        {"sol_antiderivative": _term_sign},
        {"test_antiderivative": "one term"},
    ),
    # The antiderivative plotted with the constant that matches the running sum added.
    Mistake(
        "lesson02",
        "plot-with-constant",
        {"sol_plot": _plot_with_constant},
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

"""Typical mistakes in lesson 3, typed with each student's own numbers where they need them."""

from . import Mistake


def _task(v) -> dict:
    """The variant's numbers (None: the seed's x^2 + y^2 at (1, 1) and x^2 + y^3)."""
    return dict(a=1, b=1, x0=1, y0=1, c=1, d=1) if v is None else dict(v)


def _unit_gradient(v) -> str:
    t = _task(v)
    gx, gy = 2 * t["a"] * t["x0"], 2 * t["b"] * t["y0"]
    square = gx**2 + gy**2
    return (
        f"grad_11 = np.array([{gx:.1f}, {gy:.1f}]) / np.sqrt({square})\n"
        f"max_rate_11 = np.sqrt({square})"
    )


def _field_2y(v) -> str:
    t = _task(v)
    return f"def grad_field(xv, yv):\n    return {2 * t['c']} * xv, {2 * t['d']} * yv"


def _field_swapped(v) -> str:
    t = _task(v)
    return f"def grad_field(xv, yv):\n    return {3 * t['d']} * yv**2, {2 * t['c']} * xv"


_SWEEP_HEAD = (
    "def sweep_gradient(func, x, y):\n"
    "    step = {step}\n"
    "    best_rate, best_angle = -np.inf, 0.0\n"
    "    for angle in np.arange(0, 360, {angle_step}):\n"
    "        rad = np.deg2rad(angle)\n"
    "        dx, dy = {dx} * step, {dy} * step\n"
    "        rate = ({f}(x + dx, y + dy) - {f}(x, y)) / step\n"
)
_KEEP_INSIDE = "        if rate > best_rate:\n            best_rate, best_angle = rate, angle\n"
_KEEP_AFTER = "    if rate > best_rate:\n        best_rate, best_angle = rate, angle\n"
_SWEEP_TAIL = (
    "    rad = np.deg2rad(best_angle)\n"
    "    return np.array([best_rate * np.sin(rad), best_rate * np.cos(rad)])\n"
)


def _sweep(keep=_KEEP_INSIDE, step="1e-4", angle_step="0.1", dx="np.sin(rad)", dy="np.cos(rad)",
           f="func"):  # fmt: skip
    head = _SWEEP_HEAD.format(step=step, angle_step=angle_step, dx=dx, dy=dy, f=f)
    return head + keep + _SWEEP_TAIL


MISTAKES: list[Mistake] = [
    # A reader's result: 359.9 degrees and (-0.003, 1.997): the comparison ran after the loop.
    Mistake(
        "lesson03",
        "last-angle",
        {"sol_sweep": _sweep(keep=_KEEP_AFTER)},
        {"test_sweep": "last angle"},
    ),
    # The lesson's plotting code: fy = 2*y, the gradient of x^2 + y^2 (d y^3 taken for d y^2).
    Mistake(
        "lesson03",
        "field-2y",
        {"sol_field": _field_2y},
        {"test_field": "y component", "test_quiver": "arrows do not point"},
    ),
    # Only the direction of steepest ascent, normalised to length 1.
    Mistake(
        "lesson03",
        "unit-gradient",
        {"sol_grad_11": _unit_gradient},
        {"test_grad_11": "constant factor"},
        full=("test_max_rate_11",),
    ),
    # The step uses the usual (cos, sin) convention, the report the lesson's (sin, cos).
    Mistake(
        "lesson03",
        "mixed-convention",
        {"sol_sweep": _sweep(dx="np.cos(rad)", dy="np.sin(rad)")},
        {"test_sweep": "swapped"},
    ),
    # The lesson's code pasted in a function that still calls the task's f_sq.
    Mistake(
        "lesson03",
        "fixed-function",
        {"sol_sweep": _sweep(f="f_sq")},
        {"test_sweep": "func"},
    ),
    # A coarser sweep with the forward-difference bias (2.00007, 2.00007)-style: still right.
    Mistake(
        "lesson03",
        "coarse-sweep",
        {"sol_sweep": _sweep(step="1e-3", angle_step="0.5")},
        {},
        full=("test_sweep",),
    ),
    # Arrows of the gradient's own length: the task asks for unit arrows.
    Mistake(
        "lesson03",
        "quiver-not-unit",
        {
            "sol_quiver": (
                "grid = np.linspace(-10, 10, 20)\n"
                "xv, yv = np.meshgrid(grid, grid, indexing='ij')\n"
                "fx, fy = grad_field(xv, yv)\n"
                "size = np.sqrt(fx**2 + fy**2)\n"
                "fig3, ax = plt.subplots()\n"
                "ax.quiver(xv, yv, fx, fy, size, cmap='viridis')\n"
                "ax.set_title('gradient of x^2 + y^3')\n"
            )
        },
        {"test_quiver": "unit length"},
    ),
    # Unit arrows with no colour array.
    Mistake(
        "lesson03",
        "quiver-no-colour",
        {
            "sol_quiver": (
                "grid = np.linspace(-10, 10, 20)\n"
                "xv, yv = np.meshgrid(grid, grid, indexing='ij')\n"
                "fx, fy = grad_field(xv, yv)\n"
                "size = np.sqrt(fx**2 + fy**2)\n"
                "fig3, ax = plt.subplots()\n"
                "ax.quiver(xv, yv, fx / size, fy / size)\n"
                "ax.set_title('gradient of x^2 + y^3')\n"
            )
        },
        {"test_quiver": "no colour array"},
    ),
    # The step taken with the angle in degrees passed to np.sin and np.cos.
    Mistake(
        "lesson03",
        "degrees",
        {"sol_sweep": _sweep(dx="np.sin(angle)", dy="np.cos(angle)")},
        {"test_sweep": "degrees"},
    ),
    # The two partial derivatives returned in the wrong order.
    Mistake(
        "lesson03",
        "field-swapped",
        {"sol_field": _field_swapped},
        {"test_field": "wrong order"},
    ),
    # A right answer whose code makes NumPy warn (0/0 at the origin) must still get full marks.
    Mistake(
        "lesson03",
        "warns",
        {
            "sol_quiver": (
                "grid = np.linspace(-10, 10, 21)  # contains 0: the gradient vanishes there\n"
                "xv, yv = np.meshgrid(grid, grid, indexing='ij')\n"
                "fx, fy = grad_field(xv, yv)\n"
                "size = np.sqrt(fx**2 + fy**2)\n"
                "fig3, ax = plt.subplots()\n"
                "ax.quiver(xv, yv, fx / size, fy / size, size, cmap='viridis')\n"
                "ax.set_title('gradient of x^2 + y^3')\n"
            )
        },
        {},
        full=("test_quiver", "test_field"),
    ),
]

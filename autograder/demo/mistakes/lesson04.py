"""Typical mistakes in lesson 4; those of Part D are typed with each student's own numbers."""

from . import Mistake

_UNITS = "s1, s2, s3 = sigma(p * x + q * y), sigma(r * x + s * y), sigma(t * x + u * y)\n"


def _jacobian(row1: str, row2: str, row3: str, tail: str = "") -> str:
    return f"{_UNITS}J = sp.Matrix([{row1}, {row2}, {row3}]){tail}\n"


def _numbers(v) -> tuple[tuple, tuple]:
    """The weights (p, q, r, s, t, u) and point (x, y) of Part D (None: the seed's)."""
    if v is None:
        return (1, 2, -1, 0.5, 0, 3), (0.5, -0.25)
    return tuple(v[name] for name in "pqrstu"), (v["x"], v["y"])


def _at_point_no_inner(v) -> str:
    weights, (px, py) = _numbers(v)
    return (
        f"out = f_numeric({weights!r}, {px!r}, {py!r})\n"
        "slope = out * (1 - out)\n"
        "J_at_point = np.column_stack([slope, slope])  # the inner factors p, q, ... forgotten\n"
    )


def _at_point_columns(v) -> str:
    (a, b, c, d, e, f), (px, py) = _numbers(v)
    return (
        f"w = np.array([[{a!r}, {b!r}], [{c!r}, {d!r}], [{e!r}, {f!r}]])\n"
        f"out = f_numeric(w.ravel(), {px!r}, {py!r})\n"
        "J_at_point = (out * (1 - out))[:, None] * w[:, ::-1]  # d/dy first, then d/dx\n"
    )


MISTAKES: list[Mistake] = [
    # Rows and columns swapped: one row per input instead of one per output.
    Mistake(
        "lesson04",
        "transposed",
        {
            "sol_jacobian": _jacobian(
                "[p * s1 * (1 - s1), q * s1 * (1 - s1)]",
                "[r * s2 * (1 - s2), s * s2 * (1 - s2)]",
                "[t * s3 * (1 - s3), u * s3 * (1 - s3)]",
                ".T",
            )
        },
        {"test_jacobian": "transposed"},
    ),
    # The chain rule stops at the sigmoid: the inner factor p (q, r, ...) is missing.
    Mistake(
        "lesson04",
        "no-inner-factor",
        {
            "sol_jacobian": _jacobian(
                "[s1 * (1 - s1), s1 * (1 - s1)]",
                "[s2 * (1 - s2), s2 * (1 - s2)]",
                "[s3 * (1 - s3), s3 * (1 - s3)]",
            )
        },
        {"test_jacobian": "chain rule"},
    ),
    # The seed's sigmoid derivative 2 s (1 - s), here and in the identity of Part E.
    Mistake(
        "lesson04",
        "factor-two",
        {
            "sol_jacobian": _jacobian(
                "[2 * p * s1 * (1 - s1), 2 * q * s1 * (1 - s1)]",
                "[2 * r * s2 * (1 - s2), 2 * s * s2 * (1 - s2)]",
                "[2 * t * s3 * (1 - s3), 2 * u * s3 * (1 - s3)]",
            ),
            "sol_pattern": "dsigma_in_S = 2 * S * (1 - S)\njacobian_shape = 'B'\n",
        },
        {"test_jacobian": "constant factor", "test_slope_in_s": "constant factor"},
    ),
    # A forward difference where the central one was asked.
    Mistake(
        "lesson04",
        "one-sided",
        {
            "sol_fd": (
                "def jacobian_fd(params, x, y, h=1e-5):\n"
                "    base = f_numeric(params, x, y)\n"
                "    col_x = (f_numeric(params, x + h, y) - base) / h\n"
                "    col_y = (f_numeric(params, x, y + h) - base) / h\n"
                "    return np.column_stack([col_x, col_y])\n"
            )
        },
        {"test_fd": "one-sided"},
    ),
    # The right central differences, laid out with one row per input.
    Mistake(
        "lesson04",
        "fd-transposed",
        {
            "sol_fd": (
                "def jacobian_fd(params, x, y, h=1e-5):\n"
                "    col_x = (f_numeric(params, x + h, y) - f_numeric(params, x - h, y)) / (2*h)\n"
                "    col_y = (f_numeric(params, x, y + h) - f_numeric(params, x, y - h)) / (2*h)\n"
                "    return np.array([col_x, col_y])\n"
            )
        },
        {"test_fd": "transposed"},
    ),
    # SymPy asked for the derivatives with respect to (y, x): the columns are swapped.
    Mistake(
        "lesson04",
        "variables-order",
        {
            "sol_sympy": (
                "f_vec = sp.Matrix([sigma(p * x + q * y), sigma(r * x + s * y), "
                "sigma(t * x + u * y)])\nJ_sympy = f_vec.jacobian([y, x])\n"
            )
        },
        {"test_jacobian_sympy": "wrong order"},
    ),
    # The step of the setup's default hard-coded: h is ignored.
    Mistake(
        "lesson04",
        "fd-hard-coded-step",
        {
            "sol_fd": (
                "def jacobian_fd(params, x, y, h=1e-5):\n"
                "    h = 1e-5\n"
                "    col_x = (f_numeric(params, x + h, y) - f_numeric(params, x - h, y)) / (2*h)\n"
                "    col_y = (f_numeric(params, x, y + h) - f_numeric(params, x, y - h)) / (2*h)\n"
                "    return np.column_stack([col_x, col_y])\n"
            )
        },
        {"test_fd": "ignores the step"},
    ),
    # Part D worked out with numbers, the chain rule stopped at the sigmoid.
    Mistake(
        "lesson04",
        "at-point-no-inner",
        {"sol_at_point": _at_point_no_inner},
        {"test_at_point": "chain rule"},
    ),
    # Part D worked out with numbers, the weights' columns taken the wrong way round.
    Mistake(
        "lesson04",
        "at-point-columns",
        {"sol_at_point": _at_point_columns},
        {"test_at_point": "wrong order"},
    ),
    # A right answer whose code makes NumPy warn must still get full marks.
    Mistake(
        "lesson04",
        "warns",
        {
            "sol_fd": (
                "def jacobian_fd(params, x, y, h=1e-5):\n"
                "    np.log(np.zeros(1))  # warns: divide by zero, result unused\n"
                "    col_x = (f_numeric(params, x + h, y) - f_numeric(params, x - h, y)) / (2*h)\n"
                "    col_y = (f_numeric(params, x, y + h) - f_numeric(params, x, y - h)) / (2*h)\n"
                "    return np.column_stack([col_x, col_y])\n"
                "np.exp(1000.0)\n"
            )
        },
        {},
        full=("test_fd",),
    ),
]

"""Typical mistakes in lesson 7, typed with each student's own extra points."""

from . import Mistake

_SLSQP = (
    "six = minimize(objective, np.array([1.0, 1.0, 1.0]), method='SLSQP',\n"
    "               bounds=((-10, 10), (-10, 10), (-10, 10)), constraints=constraints6)\n"
    "w6 = six.x\n"
)
#: The seed's extra points 3, 4, 5 (classes -1, -1, +1).
_SEED_EXTRA = ((-1, -1), (-3, -1), (3, 3))


def _extra(v) -> tuple[tuple[int, int], ...]:
    return _SEED_EXTRA if v is None else tuple(tuple(v[k]) for k in ("p3", "p4", "p5"))


def _term(coef: int, var: str) -> str:
    """``coef * var`` as a student types it: ``w[0]``, ``-w[0]``, ``3 * w[0]``, nothing for 0."""
    if coef == 0:
        return ""
    body = var if abs(coef) == 1 else f"{abs(coef)} * {var}"
    return f"-{body}" if coef < 0 else body


def _constraint(x: int, y: int, t: int) -> str:
    """t (a x + b y + c) - 1, expanded by hand as a student writes it out."""
    out = ""
    for coef, var in ((t * x, "w[0]"), (t * y, "w[1]"), (t, "w[2]")):
        term = _term(coef, var)
        if not term:
            continue
        if not out:
            out = term
        else:
            out += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
    return f"    {{'type': 'ineq', 'fun': lambda w: {out} - 1}},\n"


def _constraint_sign(v) -> str:
    """Constraints typed by hand, one with the class sign of (0, 0) lost: c - 1 >= 0."""
    (x3, y3), (x4, y4), (x5, y5) = _extra(v)
    return (
        "constraints6 = [\n"
        "    {'type': 'ineq', 'fun': lambda w: w[2] - 1},\n"
        + _constraint(1, 2, 1)
        + _constraint(2, 1, 1)
        + _constraint(x3, y3, -1)
        + _constraint(x4, y4, -1)
        + _constraint(x5, y5, 1)
        + "]\n"
        + _SLSQP
    )


MISTAKES: list[Mistake] = [
    # Constraints typed by hand, one with the class sign of (0, 0) lost: c - 1 >= 0.
    Mistake(
        "lesson07",
        "constraint-sign",
        {"sol_w6": _constraint_sign},
        {"test_w6": "check the class sign"},
    ),
    # The class +1 extra point (the seed's (3, 3), on the diagonal through the support
    # vectors' midpoint) taken as a support vector too.
    Mistake(
        "lesson07",
        "extra-support-vector",
        {"sol_support": "support6 = [0, 1, 2, 5]"},
        {"test_support": "do not belong"},
    ),
    # Multipliers read off scikit-learn's dual_coef_ (alpha = lambda / 2).
    Mistake(
        "lesson07",
        "sklearn-alpha",
        {
            "sol_lambdas": (
                "m = SVC(kernel='linear', C=1e6, tol=1e-6).fit(points, labels)\n"
                "lambdas6 = np.zeros(6)\n"
                "lambdas6[m.support_] = np.abs(m.dual_coef_[0])\n"
            )
        },
        {"test_lambdas": "half"},
    ),
    # The lesson's Lagrangian adds lambda_i (g_i - 1), so its multipliers come out negative.
    Mistake(
        "lesson07",
        "lagrangian-sign",
        {
            "sol_lambdas": (
                "G = labels[:, None] * np.column_stack([points, np.ones(6)])\n"
                "lambdas6 = np.zeros(6)\n"
                "lambdas6[support6] = np.linalg.lstsq(G[support6].T, "
                "-np.array([2 * w6[0], 2 * w6[1], 0.0]), rcond=None)[0]\n"
            )
        },
        {"test_lambdas": "sign"},
    ),
    Mistake(
        "lesson07",
        "right-side-only",
        {"sol_why": 'why_same = "C"'},
        {"test_why": "inside the margin"},
    ),
    # Least squares over all six points: multipliers where the constraints are not active.
    Mistake(
        "lesson07",
        "multipliers-off-support",
        {
            "sol_lambdas": (
                "G = labels[:, None] * np.column_stack([points, np.ones(6)])\n"
                "lambdas6 = np.linalg.lstsq(G.T, np.array([2 * w6[0], 2 * w6[1], 0.0]), "
                "rcond=None)[0]\n"
            )
        },
        {"test_lambdas": "complementary slackness"},
    ),
    # A right answer whose code makes NumPy warn (log of a zero slack) must get full marks.
    Mistake(
        "lesson07",
        "warns",
        {
            "sol_support": (
                "values6 = labels * (points @ w6[:2] + w6[2])\n"
                "slack = np.round(values6 - 1, 8)\n"
                "support6 = [i for i in range(6) if np.log(np.abs(slack[i])) < -9]\n"
            )
        },
        {},
        full=("test_support",),
    ),
]

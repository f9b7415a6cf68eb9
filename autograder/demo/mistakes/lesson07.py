"""Typical mistakes in lesson 7."""

from . import Mistake

_SLSQP = (
    "six = minimize(objective, np.array([1.0, 1.0, 1.0]), method='SLSQP',\n"
    "               bounds=((-10, 10), (-10, 10), (-10, 10)), constraints=constraints6)\n"
    "w6 = six.x\n"
)

MISTAKES: list[Mistake] = [
    # Constraints typed by hand, one with the class sign of (0, 0) lost: c - 1 >= 0.
    Mistake(
        "lesson07",
        "constraint-sign",
        {
            "sol_w6": (
                "constraints6 = [\n"
                "    {'type': 'ineq', 'fun': lambda w: w[2] - 1},\n"
                "    {'type': 'ineq', 'fun': lambda w: w[0] + 2 * w[1] + w[2] - 1},\n"
                "    {'type': 'ineq', 'fun': lambda w: 2 * w[0] + w[1] + w[2] - 1},\n"
                "    {'type': 'ineq', 'fun': lambda w: w[0] + w[1] - w[2] - 1},\n"
                "    {'type': 'ineq', 'fun': lambda w: 3 * w[0] + w[1] - w[2] - 1},\n"
                "    {'type': 'ineq', 'fun': lambda w: 3 * w[0] + 3 * w[1] + w[2] - 1},\n"
                "]\n" + _SLSQP
            )
        },
        {"test_w6": "check the class sign"},
    ),
    # (3, 3) lies on the diagonal through the support vectors' midpoint: taken as one too.
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

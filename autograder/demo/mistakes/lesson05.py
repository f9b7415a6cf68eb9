"""Typical mistakes in lesson 5.

They use only the names the setup cell gives (``make_network``, ``X``, ``X_test``,
``X_check``...), which hold each student's own network and data, so one source fits every
variant; :mod:`calcml_tasks.lesson05` keeps only variants in which each still gets its
partial credit (300 epochs of the notebook's recipe reach 0.6 to 0.85, for instance).
"""

from . import Mistake

_CHECK = (
    "net_given = make_network(dsigmoid_given, seed=0, scale=1.0)\n"
    "loss_given = lambda W: net_given.loss(X_check, y_check)\n"
    "numeric = numerical_gradient(loss_given, net_given.W[1], 1e-6)\n"
    "net_given.backward(y_check, net_given.forward(X_check))\n"
    "rel_error_given = relative_error(net_given.dW[1], numeric)\n"
    "net_fixed = make_network(dsigmoid, seed=0, scale=1.0)\n"
    "loss_fixed = lambda W: net_fixed.loss(X_check, y_check)\n"
    "numeric = numerical_gradient(loss_fixed, net_fixed.W[1], 1e-6)\n"
    "net_fixed.backward(y_check, net_fixed.forward(X_check))\n"
    "rel_error_fixed = relative_error(net_fixed.dW[1], numeric)\n"
)

MISTAKES: list[Mistake] = [
    # The seed's derivative kept: 2 s (1 - s).
    Mistake(
        "lesson05",
        "factor-two",
        {"sol_dsigmoid": "def dsigmoid(z):\n    s = sigmoid(z)\n    return 2 * s * (1 - s)\n"},
        {"test_dsigmoid": "constant factor"},
    ),
    # The derivative of 1 / (1 + e^-z) with the sign of the inner derivative lost.
    Mistake(
        "lesson05",
        "sign",
        {"sol_dsigmoid": "def dsigmoid(z):\n    s = sigmoid(z)\n    return s * (s - 1)\n"},
        {"test_dsigmoid": "sign"},
    ),
    # A forward difference where the central one was asked.
    Mistake(
        "lesson05",
        "one-sided",
        {
            "sol_numgrad": (
                "def numerical_gradient(loss_fn, W, eps=1e-6):\n"
                "    grad = np.zeros(W.shape)\n"
                "    base = loss_fn(W)\n"
                "    for i in np.ndindex(W.shape):\n"
                "        old = W[i]\n"
                "        W[i] = old + eps\n"
                "        grad[i] = (loss_fn(W) - base) / eps\n"
                "        W[i] = old\n"
                "    return grad\n"
            )
        },
        {"test_numgrad": "one-sided"},
    ),
    # Central difference divided by eps instead of 2 * eps.
    Mistake(
        "lesson05",
        "eps-scaling",
        {
            "sol_numgrad": (
                "def numerical_gradient(loss_fn, W, eps=1e-6):\n"
                "    grad = np.zeros(W.shape)\n"
                "    for i in np.ndindex(W.shape):\n"
                "        old = W[i]\n"
                "        W[i] = old + eps\n"
                "        up = loss_fn(W)\n"
                "        W[i] = old - eps\n"
                "        down = loss_fn(W)\n"
                "        W[i] = old\n"
                "        grad[i] = (up - down) / eps\n"
                "    return grad\n"
            )
        },
        {"test_numgrad": "eps scaling"},
    ),
    # A reader's answer: "the Jacobian is the dz[l] matrix".
    Mistake(
        "lesson05",
        "dz-is-jacobian",
        {"sol_jacobians": "jacobian_items = [0, 1]\nwhy_elementwise = 'A'\nbug_effect = 'A'\n"},
        {"test_jacobian_items": "do not belong"},
    ),
    # Too little training: the seed's recipe is far too short for the mean loss.
    Mistake(
        "lesson05",
        "short-training",
        {
            "sol_train": (
                "model = make_network(dsigmoid, seed=2)\n"
                "losses = train(model, X, y, n_epochs=300, learning_rate=0.5)\n"
                "test_predictions = (model.forward(X_test)[:, 0] > 0.5).astype(int)\n"
            )
        },
        {"test_train": "accuracy"},
    ),
    # A forward difference with its own step instead of the eps it is given.
    Mistake(
        "lesson05",
        "hard-coded-eps",
        {
            "sol_numgrad": (
                "def numerical_gradient(loss_fn, W, eps=1e-6):\n"
                "    grad = np.zeros(W.shape)\n"
                "    base = loss_fn(W)\n"
                "    for i in np.ndindex(W.shape):\n"
                "        old = W[i]\n"
                "        W[i] = old + 1e-4\n"
                "        grad[i] = (loss_fn(W) - base) / 1e-4\n"
                "        W[i] = old\n"
                "    return grad\n"
            )
        },
        {"test_numgrad": "ignores the step"},
    ),
    # A right answer whose code makes NumPy warn must still get full marks.
    Mistake(
        "lesson05",
        "warns",
        {
            "sol_dsigmoid": (
                "def dsigmoid(z):\n"
                "    s = 1 / (1 + np.exp(-np.asarray(z, dtype=float)))  # overflows for z < -709\n"
                "    return s * (1 - s)\n"
                "dsigmoid(np.array([-1000.0, 0.0]))\n"
            ),
            "sol_check": _CHECK + "np.log(0.0)\n",
        },
        {},
        full=("test_dsigmoid", "test_check_given", "test_check_fixed"),
    ),
]

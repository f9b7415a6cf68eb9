"""Lesson 5: backpropagation is a chain of Jacobian products.

A multilayer perceptron in NumPy with a correct backward pass, checked against
central differences. Row-vector convention: a batch ``X`` has shape
``(n_samples, n_features)``, layer ``l`` computes ``z[l] = a[l-1] @ W[l] + b[l]``
then ``a[l] = g(z[l])``.

Which factors in ``backward()`` are Jacobians
---------------------------------------------
* The linear map ``z = a W + b`` has Jacobian ``dz/da = W^T`` (shape
  ``n_out x n_in``). With row vectors the chain rule multiplies on the right by
  that Jacobian: ``da[l-1] = dz[l] @ W[l].T``.
* The activation ``a = g(z)`` acts elementwise, so its Jacobian is the
  diagonal matrix ``diag(g'(z))``. Multiplying by a diagonal matrix is an
  elementwise product, which is why the code reads ``dz[l] = da[l] * g'(z[l])``.
* ``dz[l]`` itself is *not* a Jacobian: it is the gradient of the (scalar)
  loss with respect to ``z[l]``, i.e. the vector being carried backwards.

Bugs in the lesson's published code (fixed here)
------------------------------------------------
1. ``dsigmoid`` returned ``2 * s * (1 - s)``; the derivative of the logistic
   function is ``s * (1 - s)``. Every gradient comes out twice too large, so
   the gradient check reports a relative error of about 1/3.
2. ``backward`` summed ``dW`` over the batch but averaged ``db``. One of the
   two is then off by a factor ``n``; here the loss is a mean and both are
   reduced consistently (the ``1/n`` lives in the loss derivative, the
   backward pass sums).
3. ``cross_entropy`` divided by ``y.shape[1]``, which is 1 for an ``(n, 1)``
   target, so it reported the summed loss while its docstring promised the
   mean. Here it divides by the number of samples.

Each student's task (:class:`Circles`) has its own circles and hidden layer
sizes; :meth:`Circles.broken` measures whether it trains and checks like the
seed's task, which is how ``calcml_tasks.lesson05.SOUND`` was made.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

Array = np.ndarray
Activation = Callable[[Array], Array]

#: Probabilities are clipped into [EPS, 1 - EPS] so log() stays finite.
EPS = float(np.finfo(float).eps)

# Data set and training recipe that reach >= 0.9 accuracy (see ``summary``).
DATA_SEED = 0
INIT_SEED = 2
INIT_SCALE = 0.1
EPOCHS = 1000
LEARNING_RATE = 0.5


# --------------------------------------------------------------------------
# activations and their derivatives
# --------------------------------------------------------------------------
def sigmoid(z: Array) -> Array:
    """Logistic function; the input is clipped so exp() cannot overflow."""
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500.0, 500.0)))


def dsigmoid(z: Array) -> Array:
    """Derivative s(1 - s) of the logistic function (the seed had 2 s(1 - s))."""
    s = sigmoid(z)
    return s * (1.0 - s)


def dsigmoid_seed_bug(z: Array) -> Array:
    """The lesson's wrong derivative, kept only to show that gradient checks catch it."""
    s = sigmoid(z)
    return 2.0 * s * (1.0 - s)


def relu(z: Array) -> Array:
    """max(0, z), elementwise."""
    return np.maximum(0.0, z)


def drelu(z: Array) -> Array:
    """Step function; at the kink z = 0 we use the subgradient 0."""
    return (z > 0).astype(float)


def tanh(z: Array) -> Array:
    """Hyperbolic tangent: a smooth activation, convenient for gradient checks."""
    return np.tanh(z)


def dtanh(z: Array) -> Array:
    """Derivative 1 - tanh(z)^2."""
    return 1.0 - np.tanh(z) ** 2


# --------------------------------------------------------------------------
# loss
# --------------------------------------------------------------------------
def _as_column(y: Array) -> Array:
    y = np.asarray(y, dtype=float)
    return y.reshape(-1, 1) if y.ndim == 1 else y


def cross_entropy(y: Array, yhat: Array) -> float:
    """Mean binary cross-entropy over the samples (the seed divided by 1 instead of n)."""
    y = _as_column(y)
    p = np.clip(yhat, EPS, 1.0 - EPS)
    return float(-np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)))


def d_cross_entropy(y: Array, yhat: Array) -> Array:
    """Gradient of the *mean* cross-entropy with respect to each prediction.

    The factor ``1/n`` is included here, so the backward pass only has to sum
    over the batch for both weights and biases.
    """
    y = _as_column(y)
    p = np.clip(yhat, EPS, 1.0 - EPS)
    return (-y / p + (1.0 - y) / (1.0 - p)) / y.shape[0]


def accuracy(y: Array, yhat: Array) -> float:
    """Fraction of samples where thresholding the probability at 0.5 gives the label."""
    y = _as_column(y)
    return float(np.mean((yhat > 0.5) == (y > 0.5)))


# --------------------------------------------------------------------------
# the network
# --------------------------------------------------------------------------
class MLP:
    """Fully connected network; index 0 of every list is the input layer.

    ``W[l]`` has shape ``(layersizes[l-1], layersizes[l])`` and ``b[l]`` shape
    ``(1, layersizes[l])``; ``W[0]`` and ``b[0]`` are unused (``None``).
    """

    def __init__(
        self,
        layersizes: Sequence[int],
        activations: Sequence[Activation],
        derivatives: Sequence[Activation],
        lossderiv: Callable[[Array, Array], Array] = d_cross_entropy,
        loss_fn: Callable[[Array, Array], float] = cross_entropy,
    ) -> None:
        self.layersizes = tuple(int(n) for n in layersizes)
        self.activations = tuple(activations)
        self.derivatives = tuple(derivatives)
        if not len(self.activations) == len(self.derivatives) == len(self.layersizes) - 1:
            raise ValueError("need one activation and one derivative per non-input layer")
        self.lossderiv = lossderiv
        self.loss_fn = loss_fn
        n = len(self.layersizes)
        self.W: list[Array | None] = [None] * n
        self.b: list[Array | None] = [None] * n
        self.z: list[Array | None] = [None] * n
        self.a: list[Array | None] = [None] * n
        self.dW: list[Array | None] = [None] * n
        self.db: list[Array | None] = [None] * n
        self.dz: list[Array | None] = [None] * n
        self.da: list[Array | None] = [None] * n

    @property
    def n_layers(self) -> int:
        """Number of layers with parameters."""
        return len(self.layersizes) - 1

    def initialize(self, seed: int = 42, scale: float = 0.1) -> MLP:
        """Draw weights and biases from N(0, scale^2) with a private generator.

        The seed reseeded NumPy's global generator; a local ``Generator`` keeps
        other code's randomness untouched.
        """
        rng = np.random.default_rng(seed)
        for l in range(1, len(self.layersizes)):
            n_in, n_out = self.layersizes[l - 1], self.layersizes[l]
            self.W[l] = rng.standard_normal((n_in, n_out)) * scale
            self.b[l] = rng.standard_normal((1, n_out)) * scale
        return self

    def forward(self, X: Array) -> Array:
        """Propagate a batch and remember every ``z`` and ``a`` for the backward pass."""
        self.a[0] = np.asarray(X, dtype=float)
        for l, g in enumerate(self.activations, 1):
            self.z[l] = self.a[l - 1] @ self.W[l] + self.b[l]
            self.a[l] = g(self.z[l])
        return self.a[-1]

    def backward(self, y: Array, yhat: Array) -> None:
        """Fill ``dW``, ``db``, ``dz``, ``da`` with gradients of the mean loss.

        Per layer, going backwards: multiply by the activation Jacobian
        ``diag(g'(z))`` (an elementwise product), then by the linear Jacobian
        ``W^T`` (``@ W.T`` in row-vector form). Weights and biases are both
        reduced by summing over the batch because ``dz`` already carries the
        ``1/n`` of the mean.
        """
        self.da[-1] = self.lossderiv(y, yhat)
        for l in range(self.n_layers, 0, -1):
            self.dz[l] = self.da[l] * self.derivatives[l - 1](self.z[l])
            self.dW[l] = self.a[l - 1].T @ self.dz[l]
            self.db[l] = self.dz[l].sum(axis=0, keepdims=True)
            self.da[l - 1] = self.dz[l] @ self.W[l].T

    def update(self, eta: float) -> None:
        """One gradient-descent step with learning rate ``eta``."""
        for l in range(1, len(self.layersizes)):
            self.W[l] -= eta * self.dW[l]
            self.b[l] -= eta * self.db[l]

    def loss(self, X: Array, y: Array) -> float:
        """Loss of the current parameters on ``(X, y)``."""
        return self.loss_fn(y, self.forward(X))

    def parameters(self) -> list[tuple[str, Array]]:
        """Named parameter arrays, e.g. ``("W1", W[1])``, in layer order."""
        out = []
        for l in range(1, len(self.layersizes)):
            out += [(f"W{l}", self.W[l]), (f"b{l}", self.b[l])]
        return out

    def gradients(self) -> dict[str, Array]:
        """Gradients from the last ``backward`` call, keyed like ``parameters``."""
        out = {}
        for l in range(1, len(self.layersizes)):
            out[f"W{l}"] = self.dW[l].copy()
            out[f"b{l}"] = self.db[l].copy()
        return out


class SeedReductionMLP(MLP):
    """Reproduces the lesson's inconsistent reductions, for demonstrating the bug.

    The loss derivative is per sample (no ``1/n``), ``dW`` is summed over the
    batch and ``db`` is averaged, as in the published code.
    """

    def backward(self, y: Array, yhat: Array) -> None:
        self.da[-1] = self.lossderiv(y, yhat) * _as_column(y).shape[0]
        for l in range(self.n_layers, 0, -1):
            self.dz[l] = self.da[l] * self.derivatives[l - 1](self.z[l])
            self.dW[l] = self.a[l - 1].T @ self.dz[l]
            self.db[l] = self.dz[l].mean(axis=0, keepdims=True)
            self.da[l - 1] = self.dz[l] @ self.W[l].T


def circles_model(seed: int = INIT_SEED, scale: float = INIT_SCALE) -> MLP:
    """The lesson's [2, 4, 3, 1] network (relu, relu, sigmoid), initialised."""
    model = MLP([2, 4, 3, 1], [relu, relu, sigmoid], [drelu, drelu, dsigmoid])
    return model.initialize(seed, scale)


def circles_data(random_state: int = DATA_SEED) -> tuple[Array, Array]:
    """Two noisy concentric circles; ``y`` is returned as an ``(n, 1)`` column."""
    from sklearn.datasets import make_circles  # here: the grader imports this module

    X, y = make_circles(n_samples=1000, factor=0.5, noise=0.1, random_state=random_state)
    return X, y.reshape(-1, 1).astype(float)


# --------------------------------------------------------------------------
# gradient checking
# --------------------------------------------------------------------------
def numerical_gradients(
    model: MLP, X: Array, y: Array, eps: float = 1e-6, names: tuple[str, ...] | None = None
) -> dict[str, Array]:
    """Central differences ``(L(p + eps) - L(p - eps)) / (2 eps)`` for every W and b entry
    (or only those of the parameters ``names``, e.g. ``("W1",)``).

    Each entry is perturbed in place and restored, so the model is unchanged
    afterwards (apart from the cached forward values).
    """
    grads = {}
    for name, p in model.parameters():
        if names is not None and name not in names:
            continue
        g = np.zeros_like(p)
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + eps
            up = model.loss(X, y)
            p[idx] = old - eps
            down = model.loss(X, y)
            p[idx] = old
            g[idx] = (up - down) / (2.0 * eps)
        grads[name] = g
    return grads


def gradient_errors(model: MLP, X: Array, y: Array, eps: float = 1e-6) -> dict[str, float]:
    """Relative error ``|a - n| / max(|a| + |n|, tiny)`` per parameter array (2-norms).

    Norms over a whole array are used instead of single entries because an
    individual entry can be ~0, where round-off alone gives a large ratio.
    """
    numeric = numerical_gradients(model, X, y, eps)
    model.backward(y, model.forward(X))
    analytic = model.gradients()
    tiny = np.finfo(float).tiny
    errors = {}
    for name, n in numeric.items():
        a = analytic[name]
        denom = max(float(np.linalg.norm(a) + np.linalg.norm(n)), tiny)
        errors[name] = float(np.linalg.norm(a - n)) / denom
    return errors


def gradient_check(model: MLP, X: Array, y: Array, eps: float = 1e-6) -> float:
    """Largest relative error over all parameter arrays; below ~1e-6 means correct."""
    return max(gradient_errors(model, X, y, eps).values())


def check_problem(seed: int = 0, n: int = 20) -> tuple[MLP, Array, Array]:
    """A small float64 problem with smooth activations (tanh, tanh, sigmoid).

    Smooth activations keep central differences clear of ReLU kinks.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    y = (rng.random((n, 1)) < 0.5).astype(float)
    model = MLP([2, 4, 3, 1], [tanh, tanh, sigmoid], [dtanh, dtanh, dsigmoid])
    return model.initialize(seed, scale=1.0), X, y


def seed_bug_errors(seed: int = 0) -> dict[str, float]:
    """Gradient-check relative errors: correct code and each seed bug on its own."""
    model, X, y = check_problem(seed)
    out = {"correct": gradient_check(model, X, y)}

    buggy = MLP(model.layersizes, [tanh, tanh, sigmoid], [dtanh, dtanh, dsigmoid_seed_bug])
    buggy.W, buggy.b = model.W, model.b
    out["dsigmoid_2s(1-s)"] = gradient_check(buggy, X, y)

    mixed = SeedReductionMLP(model.layersizes, [tanh, tanh, sigmoid], [dtanh, dtanh, dsigmoid])
    mixed.W, mixed.b = model.W, model.b
    out["sum_dW_mean_db"] = gradient_check(mixed, X, y)
    return out


# --------------------------------------------------------------------------
# explicit Jacobians
# --------------------------------------------------------------------------
def backward_jacobians(model: MLP, l: int, sample: int = 0) -> dict[str, Array]:
    """Explicit Jacobians of layer ``l`` for one sample of the last forward pass.

    ``"activation"`` is ``d a[l] / d z[l] = diag(g'(z[l]))`` and ``"linear"`` is
    ``d z[l] / d a[l-1] = W[l]^T``. In row-vector form the backward pass is
    ``dz = da @ J_act`` and ``da_prev = dz @ J_lin``.
    """
    if not 1 <= l <= model.n_layers:
        raise ValueError(f"layer must be in 1..{model.n_layers}")
    z = model.z[l][sample]
    return {
        "activation": np.diag(model.derivatives[l - 1](z)),
        "linear": model.W[l].T.copy(),
    }


def chained_input_gradient(model: MLP, y: Array, sample: int = 0) -> Array:
    """dL/dx for one sample as an explicit product of Jacobian matrices.

    Starts from dL/dyhat of that sample and right-multiplies by each layer's
    activation then linear Jacobian; equals ``da[0][sample]`` after ``backward``.
    """
    grad = np.atleast_1d(model.lossderiv(y, model.a[-1])[sample])
    for l in range(model.n_layers, 0, -1):
        jac = backward_jacobians(model, l, sample)
        grad = grad @ jac["activation"] @ jac["linear"]
    return grad


# --------------------------------------------------------------------------
# training
# --------------------------------------------------------------------------
@dataclass
class History:
    """Loss and accuracy measured before each update, plus the final values."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)


def train(model: MLP, X: Array, y: Array, epochs: int, eta: float) -> History:
    """Full-batch gradient descent; the history has ``epochs + 1`` entries.

    Entry ``k`` is measured after ``k`` updates, so the last entry describes
    the returned model (the seed printed the loss *before* its last update).
    """
    history = History()
    for _ in range(epochs):
        yhat = model.forward(X)
        history.loss.append(cross_entropy(y, yhat))
        history.accuracy.append(accuracy(y, yhat))
        model.backward(y, yhat)
        model.update(eta)
    yhat = model.forward(X)
    history.loss.append(cross_entropy(y, yhat))
    history.accuracy.append(accuracy(y, yhat))
    return history


# --------------------------------------------------------------------------
# a student's task: the data seed and the hidden layer sizes
# --------------------------------------------------------------------------
#: The seed's hidden layers, and the sizes of the held-out set and of Part C's check batch.
HIDDEN = (4, 3)
N_TEST, N_CHECK = 200, 20
#: The too-short training of the typical mistake (the notebook's recipe stopped early).
SHORT_EPOCHS = 300
#: The init seeds over which a student's search for a recipe of their own is measured.
RECIPE_SEEDS = tuple(range(10))
#: What every variant must show, as the seed's task does (:meth:`Circles.broken` says it).
FULL_FROM = 0.95  # the notebook's recipe: held-out accuracy at least this, its last 100 epochs
SHORT_BAND = (0.6, 0.85)  # 300 epochs of it: partial credit, clear of 0.5 and of 0.9
RECIPES_BAND = (3, 6)  # of the 10 init seeds, so many reach 0.9 with 1000 epochs at rate 0.5
PERTURBATION = 1e-9  # initial weights changed by this relative amount change no accuracy
KINK_MARGIN = 1e-4  # Part C's ReLU inputs stay this far from 0 (the step is 1e-6)
FIXED_BELOW = 1e-8  # Part C: rel_error_fixed, a hundredth of the judge's 1e-6
GIVEN_WITHIN = 1e-5  # Part C: rel_error_given this close to 1/3 (the judge allows 2e-3)
GRADIENT_ABOVE = 1e-3  # Part C: the norm of dW[1] (a dead network has none to check)


@dataclass(frozen=True)
class Circles:
    """A student's variant of the lesson's task: their circles and their hidden layers.

    The training set is ``make_circles(1000, ..., random_state=data_seed)``, the
    held-out points ``random_state=data_seed + 1`` and the check batch of Part C
    comes from ``default_rng(data_seed)``. The network is ``[2, h1, h2, 1]``
    (ReLU, ReLU, sigmoid), as in the seed.

    >>> Circles().layersizes, Circles().test_seed  # the seed's task
    ((2, 4, 3, 1), 1)
    """

    data_seed: int = DATA_SEED
    hidden: tuple[int, int] = HIDDEN

    @classmethod
    def of(cls, variant: Mapping | None) -> Circles:
        """The task of a variant (None: the seed's task)."""
        if variant is None:
            return cls()
        return cls(int(variant["data_seed"]), (int(variant["h1"]), int(variant["h2"])))

    @property
    def layersizes(self) -> tuple[int, ...]:
        return (2, *self.hidden, 1)

    @property
    def test_seed(self) -> int:
        return self.data_seed + 1

    @property
    def check_seed(self) -> int:
        return self.data_seed

    def network(
        self, derivative: Activation = dsigmoid, seed: int = INIT_SEED, scale: float = INIT_SCALE
    ) -> MLP:
        """The notebook's ``make_network(derivative, seed, scale)`` for this task."""
        model = MLP(self.layersizes, [relu, relu, sigmoid], [drelu, drelu, derivative])
        return model.initialize(seed, scale)

    def data(self) -> tuple[Array, Array]:
        """The training set ``X, y`` (``y`` a column)."""
        return circles_data(self.data_seed)

    def held_out(self) -> tuple[Array, Array]:
        """The held-out points and their labels (a flat array of 0.0 and 1.0)."""
        from sklearn.datasets import make_circles

        X, y = make_circles(n_samples=N_TEST, factor=0.5, noise=0.1, random_state=self.test_seed)
        return X, y.astype(float)

    def check_batch(self) -> tuple[Array, Array]:
        """Part C's ``X_check, y_check``."""
        rng = np.random.default_rng(self.check_seed)
        X = rng.standard_normal((N_CHECK, 2))
        return X, (rng.random((N_CHECK, 1)) < 0.5).astype(float)

    def check_errors(self, eps: float = 1e-6) -> dict[str, float]:
        """Part C as the notebook does it: the relative error of ``dW[1]`` against central
        differences, for the given and the fixed derivative, with what makes it meaningful
        (``kink``: the smallest |z| of a hidden layer; ``gradient``: the norm of ``dW[1]``).
        """
        X, y = self.check_batch()
        out: dict[str, float] = {}
        for name, derivative in (("given", dsigmoid_seed_bug), ("fixed", dsigmoid)):
            model = self.network(derivative, seed=0, scale=1.0)
            numeric = numerical_gradients(model, X, y, eps, names=("W1",))["W1"]
            model.backward(y, model.forward(X))
            norm = float(np.linalg.norm(model.dW[1]) + np.linalg.norm(numeric))
            out[name] = float(np.linalg.norm(model.dW[1] - numeric)) / norm if norm else np.inf
            out["gradient"] = float(np.linalg.norm(model.dW[1]))
            out["kink"] = float(min(np.abs(model.z[l]).min() for l in (1, 2)))
        return out

    def predictions(self, model: MLP) -> Array:
        """``test_predictions`` of a trained model: labels 0 or 1 for the held-out points."""
        return (model.forward(self.held_out()[0])[:, 0] > 0.5).astype(int)

    def trained(
        self, seed: int = INIT_SEED, epochs: int = EPOCHS, eta: float = LEARNING_RATE
    ) -> MLP:
        """The network trained as the notebook's solution does (the seed's recipe)."""
        model = self.network(seed=seed)
        X, y = self.data()
        train(model, X, y, epochs, eta)
        return model

    def held_out_accuracies(
        self,
        seed: int = INIT_SEED,
        epochs: int = EPOCHS,
        eta: float = LEARNING_RATE,
        perturb: float = 0.0,
    ) -> Array:
        """Held-out accuracy after each of ``epochs`` updates (entry k: after k + 1).

        ``perturb`` changes the initial weights by that relative amount (a fixed pattern):
        how a machine that rounds differently would start.
        """
        model = self.network(seed=seed)
        if perturb:
            rng = np.random.default_rng(99)
            for l in range(1, model.n_layers + 1):
                model.W[l] = model.W[l] * (1 + perturb * rng.standard_normal(model.W[l].shape))
        X, y = self.data()
        X_test, labels = self.held_out()
        out = np.empty(epochs)
        for k in range(epochs):
            model.backward(y, model.forward(X))
            model.update(eta)
            out[k] = np.mean((model.forward(X_test)[:, 0] > 0.5) == labels)
        return out

    def soundness(self) -> dict:
        """Everything :meth:`broken` judges, measured (about 1.5 s: a dozen trainings)."""
        acc = self.held_out_accuracies()
        moved = self.held_out_accuracies(perturb=PERTURBATION)
        finals = {INIT_SEED: float(acc[-1])}
        for s in RECIPE_SEEDS:
            if s not in finals:
                finals[s] = float(self.held_out_accuracies(seed=s)[-1])
        return {
            "full": float(acc[-1]),
            "plateau": float(acc[-100:].min()),
            "short": float(acc[SHORT_EPOCHS - 1]),
            "perturbed": [float(moved[SHORT_EPOCHS - 1]), float(moved[-1])],
            "recipes": sum(a >= 0.9 for a in finals.values()),
            **self.check_errors(),
        }

    def broken(self, measured: dict | None = None) -> list[str]:
        """What this task fails of what the seed's task shows (empty: sound)."""
        m = self.soundness() if measured is None else measured
        low, high = SHORT_BAND
        fewest, most = RECIPES_BAND
        out = []
        if not m["plateau"] >= FULL_FROM:
            out.append(f"the notebook's recipe stays at {FULL_FROM} held-out accuracy or more")
        if not low <= m["short"] <= high:
            out.append(f"{SHORT_EPOCHS} epochs of it reach between {low} and {high}")
        if m["perturbed"] != [m["short"], m["full"]]:
            out.append("initial weights changed by 1e-9 change no accuracy")
        if not fewest <= m["recipes"] <= most:
            out.append(f"{fewest} to {most} of the init seeds 0..9 reach 0.9 in {EPOCHS} epochs")
        if not (m["kink"] > KINK_MARGIN and m["gradient"] > GRADIENT_ABOVE):
            out.append("Part C's check is clear of ReLU kinks and of a vanishing gradient")
        if not (m["fixed"] < FIXED_BELOW and abs(m["given"] - 1 / 3) < GIVEN_WITHIN):
            out.append("Part C's check gives ~0 for the fixed derivative and 1/3 for the given")
        return out


def summary() -> dict:
    """Key answers of lesson 5 as plain data."""
    X, y = circles_data()
    model = circles_model()
    history = train(model, X, y, EPOCHS, LEARNING_RATE)
    bugs = seed_bug_errors()
    return {
        "layersizes": [2, 4, 3, 1],
        "training": {
            "data_random_state": DATA_SEED,
            "init_seed": INIT_SEED,
            "init_scale": INIT_SCALE,
            "epochs": EPOCHS,
            "learning_rate": LEARNING_RATE,
            "initial_loss": history.loss[0],
            "initial_accuracy": history.accuracy[0],
            "final_loss": history.loss[-1],
            "final_accuracy": history.accuracy[-1],
        },
        "gradient_check_relative_error": bugs["correct"],
        "seed_bug_relative_errors": {k: v for k, v in bugs.items() if k != "correct"},
        "jacobians": {
            "linear": "W[l].T, applied as da[l-1] = dz[l] @ W[l].T",
            "activation": "diag(g'(z[l])), applied elementwise as dz[l] = da[l] * g'(z[l])",
        },
        "seed_bugs": [
            "dsigmoid returned 2*s*(1-s); correct derivative is s*(1-s)",
            "dW summed over the batch while db was averaged; reductions must match the loss",
            "cross_entropy divided by y.shape[1] (= 1), not by the number of samples",
        ],
    }

"""Lesson 5: the backward pass against central differences and explicit Jacobians."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from reference.lessons import l5_backprop as l5


def test_dsigmoid_matches_central_difference():
    z = np.linspace(-6, 6, 25)
    h = 1e-6
    numeric = (l5.sigmoid(z + h) - l5.sigmoid(z - h)) / (2 * h)
    np.testing.assert_allclose(l5.dsigmoid(z), numeric, rtol=1e-7, atol=1e-12)
    assert l5.dsigmoid(np.array([0.0]))[0] == pytest.approx(0.25)
    assert l5.dsigmoid_seed_bug(np.array([0.0]))[0] == pytest.approx(0.5)


def test_sigmoid_is_finite_for_huge_inputs():
    out = l5.sigmoid(np.array([-1e6, 0.0, 1e6]))
    assert np.all(np.isfinite(out))
    np.testing.assert_allclose(out, [0.0, 0.5, 1.0], atol=1e-200)


def test_relu_and_tanh_derivatives():
    z = np.array([-2.0, -0.5, 0.5, 2.0])
    np.testing.assert_array_equal(l5.relu(z), [0, 0, 0.5, 2])
    np.testing.assert_array_equal(l5.drelu(z), [0, 0, 1, 1])
    h = 1e-6
    numeric = (l5.tanh(z + h) - l5.tanh(z - h)) / (2 * h)
    np.testing.assert_allclose(l5.dtanh(z), numeric, rtol=1e-7)


def test_cross_entropy_is_a_mean_over_samples():
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    p = np.array([[0.9], [0.2], [0.6], [0.4]])
    expected = -np.mean([np.log(0.9), np.log(0.8), np.log(0.6), np.log(0.6)])
    assert l5.cross_entropy(y, p) == pytest.approx(expected, rel=1e-12)
    # doubling the data set must not change a mean
    assert l5.cross_entropy(np.vstack([y, y]), np.vstack([p, p])) == pytest.approx(expected)


def test_cross_entropy_derivative_matches_central_difference():
    rng = np.random.default_rng(3)
    y = (rng.random((7, 1)) < 0.5).astype(float)
    p = rng.uniform(0.1, 0.9, (7, 1))
    h = 1e-7
    numeric = np.zeros_like(p)
    for i in range(7):
        up, down = p.copy(), p.copy()
        up[i] += h
        down[i] -= h
        numeric[i] = (l5.cross_entropy(y, up) - l5.cross_entropy(y, down)) / (2 * h)
    np.testing.assert_allclose(l5.d_cross_entropy(y, p), numeric, rtol=1e-6)


def test_gradient_check_passes_on_seeded_problem():
    model, X, y = l5.check_problem(seed=0)
    errors = l5.gradient_errors(model, X, y)
    assert set(errors) == {"W1", "b1", "W2", "b2", "W3", "b3"}
    assert max(errors.values()) < 1e-6
    assert l5.gradient_check(model, X, y) == max(errors.values())


def test_analytic_gradients_equal_numeric_entrywise():
    model, X, y = l5.check_problem(seed=5)
    numeric = l5.numerical_gradients(model, X, y)
    model.backward(y, model.forward(X))
    for name, g in model.gradients().items():
        assert g.shape == numeric[name].shape
        np.testing.assert_allclose(g, numeric[name], rtol=1e-5, atol=1e-9)


def test_numerical_gradients_leave_parameters_unchanged():
    model, X, y = l5.check_problem(seed=1)
    before = [p.copy() for _, p in model.parameters()]
    l5.numerical_gradients(model, X, y)
    for old, (_, new) in zip(before, model.parameters(), strict=True):
        np.testing.assert_array_equal(old, new)


def test_relu_network_gradient_check_away_from_kinks():
    X, y = l5.circles_data()
    X, y = X[:40], y[:40]
    model = l5.circles_model(seed=7, scale=1.0)
    model.forward(X)
    # central differences straddling a kink would be meaningless: make sure none is near
    assert min(np.abs(model.z[l]).min() for l in (1, 2)) > 1e-4
    assert l5.gradient_check(model, X, y) < 1e-6


def test_seed_dsigmoid_bug_fails_gradient_check_clearly():
    errors = l5.seed_bug_errors(seed=0)
    assert errors["correct"] < 1e-6
    # every gradient is doubled: |2g - g| / (|2g| + |g|) = 1/3
    assert errors["dsigmoid_2s(1-s)"] == pytest.approx(1 / 3, rel=1e-6)
    assert errors["sum_dW_mean_db"] > 0.1


def test_seed_reduction_bug_is_off_by_n():
    model, X, y = l5.check_problem(seed=2, n=20)
    model.backward(y, model.forward(X))
    good = model.gradients()
    bad = l5.SeedReductionMLP(model.layersizes, model.activations, model.derivatives)
    bad.W, bad.b = model.W, model.b
    bad.backward(y, bad.forward(X))
    seeded = bad.gradients()
    np.testing.assert_allclose(seeded["W1"], 20 * good["W1"], rtol=1e-10)
    np.testing.assert_allclose(seeded["b1"], good["b1"], rtol=1e-10)


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    hidden=st.lists(st.integers(1, 4), min_size=1, max_size=2),
    n_in=st.integers(1, 3),
    n=st.integers(3, 12),
)
def test_gradient_check_property_smooth_networks(seed, hidden, n_in, n):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, n_in))
    y = (rng.random((n, 1)) < 0.5).astype(float)
    sizes = [n_in, *hidden, 1]
    acts = [l5.tanh] * len(hidden) + [l5.sigmoid]
    ders = [l5.dtanh] * len(hidden) + [l5.dsigmoid]
    model = l5.MLP(sizes, acts, ders).initialize(seed, scale=1.0)
    model.backward(y, model.forward(X))
    # a relative error is meaningless for a (near-)zero gradient: round-off dominates it
    assume(min(np.linalg.norm(g) for g in model.gradients().values()) > 1e-3)
    assert l5.gradient_check(model, X, y) < 1e-6


def test_explicit_jacobians_have_expected_form():
    model, X, y = l5.check_problem(seed=0)
    model.forward(X)
    jac = l5.backward_jacobians(model, 2, sample=3)
    np.testing.assert_array_equal(jac["linear"], model.W[2].T)
    assert jac["linear"].shape == (3, 4)
    np.testing.assert_allclose(np.diag(jac["activation"]), l5.dtanh(model.z[2][3]))
    off_diag = jac["activation"] - np.diag(np.diag(jac["activation"]))
    assert np.all(off_diag == 0)
    with pytest.raises(ValueError):
        l5.backward_jacobians(model, 0)


def test_activation_jacobian_matches_finite_differences():
    model, X, _ = l5.check_problem(seed=4)
    model.forward(X)
    z = model.z[1][0]
    h = 1e-6
    numeric = np.column_stack(
        [(l5.tanh(z + h * e) - l5.tanh(z - h * e)) / (2 * h) for e in np.eye(z.size)]
    )
    np.testing.assert_allclose(l5.backward_jacobians(model, 1)["activation"], numeric, atol=1e-9)


def test_chained_jacobians_reproduce_backward_pass():
    model, X, y = l5.check_problem(seed=0)
    model.backward(y, model.forward(X))
    for i in range(len(X)):
        np.testing.assert_allclose(l5.chained_input_gradient(model, y, i), model.da[0][i])


def test_chained_jacobians_match_input_finite_differences():
    model, X, y = l5.check_problem(seed=8, n=6)
    model.forward(X)
    chained = l5.chained_input_gradient(model, y, sample=2)
    h = 1e-6
    numeric = np.zeros(X.shape[1])
    for j in range(X.shape[1]):
        up, down = X.copy(), X.copy()
        up[2, j] += h
        down[2, j] -= h
        numeric[j] = (model.loss(up, y) - model.loss(down, y)) / (2 * h)
    np.testing.assert_allclose(chained, numeric, rtol=1e-6, atol=1e-10)


def test_training_reaches_ninety_percent_on_circles():
    X, y = l5.circles_data()
    assert X.shape == (1000, 2) and y.shape == (1000, 1)
    model = l5.circles_model()
    history = l5.train(model, X, y, l5.EPOCHS, l5.LEARNING_RATE)
    assert len(history.loss) == len(history.accuracy) == l5.EPOCHS + 1
    assert history.accuracy[0] < 0.7
    assert history.accuracy[-1] >= 0.9
    assert history.loss[-1] < 0.5 * history.loss[0]
    # the last history entry describes the returned model
    assert l5.accuracy(y, model.forward(X)) == history.accuracy[-1]


def test_training_decreases_loss_independently_of_recipe():
    X, y = l5.circles_data(random_state=3)
    model = l5.circles_model(seed=42, scale=0.5)
    history = l5.train(model, X, y, 300, 0.5)
    assert history.loss[-1] < history.loss[0]


def test_mlp_rejects_mismatched_configuration():
    with pytest.raises(ValueError):
        l5.MLP([2, 3, 1], [l5.relu], [l5.drelu])


def test_summary_is_plain_data():
    s = l5.summary()
    json.dumps(s)
    assert s["layersizes"] == [2, 4, 3, 1]
    assert s["training"]["final_accuracy"] >= 0.9
    assert s["gradient_check_relative_error"] < 1e-6
    assert s["seed_bug_relative_errors"]["dsigmoid_2s(1-s)"] > 0.3
    assert "W[l].T" in s["jacobians"]["linear"]
    assert "diag" in s["jacobians"]["activation"]

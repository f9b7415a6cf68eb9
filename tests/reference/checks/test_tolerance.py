import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from reference.checks.tolerance import Tolerance

finite = st.floats(allow_nan=False, allow_infinity=False, width=64)


def test_tiny_values_are_not_all_equal():
    # np.isclose(1e-9, 2e-9) is True with its defaults; ours is not fooled.
    assert np.isclose(1e-9, 2e-9)
    assert not Tolerance().close(1e-9, 2e-9)


def test_zero_level_allows_round_off_around_zero():
    assert Tolerance().close(0.0, 1e-15)
    assert not Tolerance().close(0.0, 1e-6)


def test_nan_and_infinities():
    t = Tolerance()
    assert not t.close(math.nan, math.nan)
    assert t.close(math.inf, math.inf)
    assert not t.close(math.inf, -math.inf)
    assert not t.close(1e308, math.inf)


def test_from_options_ignores_other_keys():
    assert Tolerance.from_options({"rtol": 1e-3, "reveal": True}).rtol == 1e-3


@given(finite)
def test_reflexive(a):
    assert Tolerance().close(a, a)


@given(finite, finite)
def test_symmetric(a, b):
    t = Tolerance(rtol=1e-4)
    assert t.close(a, b) == t.close(b, a)


@given(st.floats(min_value=1e-11, max_value=1e300))
def test_relative_error_of_one_in_a_thousand_fails(a):
    assert not Tolerance().close(a, a * (1 + 1e-3))

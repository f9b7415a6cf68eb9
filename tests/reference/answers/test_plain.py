import json
import math

import numpy as np
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from reference.answers.plain import SympyMatrixText, SympyText, Unsupported, from_plain, to_plain


def _trip(value):
    return from_plain(json.loads(json.dumps(to_plain(value), allow_nan=False)))


@given(hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5)))
def test_float_arrays_survive_json_bit_for_bit(arr):
    back = _trip(arr)
    assert back.shape == arr.shape
    assert np.array_equal(back, arr, equal_nan=True)


@given(st.one_of(st.integers(), st.floats(), st.booleans(), st.none(), st.text(max_size=50)))
def test_scalars_survive(value):
    back = _trip(value)
    if isinstance(value, float) and math.isnan(value):
        assert math.isnan(back)
    else:
        assert back == value and type(back) is type(value)


def test_containers_and_markers():
    assert _trip((1, [2.5, None], {"a": 1})) == (1, [2.5, None], {"a": 1})
    assert _trip(...) is Ellipsis
    assert sorted(_trip({3, 1})) == [1, 3]
    assert _trip(1 + 2j) == 1 + 2j


def test_sympy_travels_as_text_never_as_objects():
    x = sp.Symbol("x")
    text = _trip(x**2 + 1)
    assert isinstance(text, SympyText) and text == "x**2 + 1"
    matrix = _trip(sp.Matrix([[x, 1]]))
    assert isinstance(matrix, SympyMatrixText) and matrix.shape == (1, 2)


def test_functions_and_huge_answers_become_unsupported():
    assert isinstance(_trip(lambda t: t), Unsupported)
    assert isinstance(_trip(np.zeros(3_000_000)), Unsupported)
    assert isinstance(_trip("x" * 50_000), Unsupported)
    deep = []
    for _ in range(50):
        deep = [deep]
    assert "nested too deep" in json.dumps(to_plain(deep))

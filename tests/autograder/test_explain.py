"""Paste errors are named with their line and character; their knock-on failures say so."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from autograder.explain import PASTED, knock_on, syntax_feedback


@pytest.mark.parametrize(
    ("source", "phrases"),
    [
        ("s = “text”", ["Line 1", "U+201C", 'replace it with "']),
        ("def f(x):\n    return x – 1", ["Line 2", "U+2013", "en dash", "replace it with -"]),
        ("y = 3 × 4", ["U+00D7", "replace it with *"]),
        ("x\u00a0= 1", ["non-breaking space", "replace it with  "]),
        ("x = 1\u200b", ["zero-width space", "delete it"]),
        ("a = ‘b’\nc = “d”", ["Line 1", "more such character"]),
        ("def f(x)\n    return x", ["Line 1", "not valid Python"]),
        ("x = (1,\n", ["not valid Python"]),
    ],
)
def test_syntax_errors_are_named(source, phrases):
    text = syntax_feedback(source)
    assert text is not None
    for phrase in phrases:
        assert phrase in text, (phrase, text)


@pytest.mark.parametrize(
    "source", ["x = 1", "s = '“quoted” inside a string'", "%matplotlib inline\nx = 2"]
)
def test_code_that_parses_needs_no_explanation(source):
    assert syntax_feedback(source) is None


@given(st.text(max_size=200))
def test_never_raises(source):
    result = syntax_feedback(source)
    assert result is None or isinstance(result, str)


@given(st.sampled_from(sorted(PASTED)))
def test_every_pasted_character_in_code_is_named(char):
    text = syntax_feedback(f"value = 1 {char} 2")
    assert text is not None and f"U+{ord(char):04X}" in text


def _cell(source, error=None, grade_id=None):
    outputs = []
    if error:
        ename, evalue = error
        outputs = [{"output_type": "error", "ename": ename, "evalue": evalue, "traceback": []}]
    meta = {"nbgrader": {"grade_id": grade_id}} if grade_id else {}
    return {"cell_type": "code", "source": source, "metadata": meta, "outputs": outputs}


def test_a_later_name_error_points_at_the_cell_that_could_not_run():
    cells = [
        _cell("import numpy as np"),
        _cell("def df_rule(x):\n    return 3*x**2 – 4*x", ("SyntaxError", "invalid"), "sol_rule"),
        _cell("grade('lesson01.rule', df_rule)", ("NameError", "name 'df_rule' is not defined"),
              "test_rule"),
        _cell("grade('lesson01.x', other)", ("NameError", "name 'other' is not defined"), "t2"),
    ]
    found = knock_on(cells)
    assert set(found) == {2}
    assert "sol_rule" in found[2] and "U+2013" in found[2] and "Line 2" in found[2]
    assert "not judged on its own" in found[2]


def test_chains_lead_back_through_cells_that_failed_for_another_reason():
    cells = [
        _cell("rate = 1 / 0", ("ZeroDivisionError", "division by zero"), "sol_rate"),
        _cell("grade('p', rate)", ("NameError", "name 'rate' is not defined"), "test_rate"),
    ]
    assert "ZeroDivisionError" in knock_on(cells)[1]

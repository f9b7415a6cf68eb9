"""An option a check does not take is the instructor's slip: it raises, naming the option.

A student's odd answer never raises; a misspelt option must not pass for one
("could not be checked, tell your TA"), so ``autograder verify`` finds it first.
"""

from __future__ import annotations

import numpy as np
import pytest

from reference.checks.calculus import check_antiderivative, check_derivative
from reference.checks.functions import check_function
from reference.checks.matrices import check_jacobian, check_matrix
from reference.checks.numeric import check_array, check_number
from reference.checks.plots import check_figure
from reference.checks.symbolic import check_expression
from reference.checks.tolerance import OptionError

CALLS = {
    "check_number": lambda **o: check_number(1.0, 1.0, **o),
    "check_array": lambda **o: check_array([1.0], [1.0], **o),
    "check_matrix": lambda **o: check_matrix(np.eye(2), np.eye(2), **o),
    "check_jacobian": lambda **o: check_jacobian(np.eye(2), np.eye(2), **o),
    "check_function": lambda **o: check_function(np.sin, np.sin, **o),
    "check_expression": lambda **o: check_expression("x", "x", **o),
    "check_derivative": lambda **o: check_derivative("2*x", "x**2", **o),
    "check_antiderivative": lambda **o: check_antiderivative("x**3/3", "x**2", **o),
    "check_figure": lambda **o: check_figure({"axes": []}, {}, **o),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_a_misspelt_option_raises_with_the_checks_name(name):
    with pytest.raises(OptionError, match=rf"{name} got unknown option\(s\) \['rtoll'\]"):
        CALLS[name](rtoll=1e-3)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_the_right_option_is_taken(name):
    assert CALLS[name](rtol=1e-3).note != "check-error"

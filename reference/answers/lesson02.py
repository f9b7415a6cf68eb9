"""Lesson 2 answers: the figure is read, the gap function sampled at fixed steps."""

from __future__ import annotations

import numpy as np

from reference.checks.functions import sample_function
from reference.checks.plots import figure_data

from . import collects

#: The steps at which ``max_gap(step)`` is called.
GAP_STEPS = np.array([0.2, 0.1, 0.05, 0.025])

collects("lesson02.plot")(figure_data)


@collects("lesson02.max_gap", inputs=lambda: GAP_STEPS)
def max_gap(fn):
    return sample_function(fn, GAP_STEPS, timeout=2.0)

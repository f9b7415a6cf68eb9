"""Lesson 1 answers: the derivative functions are sampled, the figure read."""

from __future__ import annotations

import numpy as np

from reference.checks.functions import sample_function
from reference.checks.plots import figure_data

from . import collects

#: Where student functions are sampled: a fixed grid plus awkward points.
POINTS = np.concatenate([np.linspace(-4.0, 4.0, 33), [-10.0, 0.1, 4 / 3, 7.5, 10.0]])
#: The step ``df_rate`` is called with.
RATE_STEP = 1e-2


@collects("lesson01.rule", inputs=lambda: POINTS)
def rule(fn):
    return sample_function(fn, POINTS)


@collects("lesson01.rate", inputs=lambda: (POINTS, RATE_STEP))
def rate(fn):
    return sample_function(lambda x: fn(x, RATE_STEP), POINTS)


collects("lesson01.plot")(figure_data)

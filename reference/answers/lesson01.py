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
#: The steps and the point of Part E's error table (stated in the task).
STEPS = 10.0 ** -np.arange(1, 16)
ERROR_X = 2.0


@collects("lesson01.rate", inputs=lambda: (POINTS, RATE_STEP, STEPS, ERROR_X))
def rate(fn):
    """Samples at ``POINTS``, and under ``"by_step"`` the rates Part E's table is made of.

    The table's judge marks a table made with a wrong ``df_rate`` against that
    ``df_rate`` (error carried forward), so it needs ``df_rate(2, h)`` for each step.
    """
    samples = sample_function(lambda x: fn(x, RATE_STEP), POINTS)
    samples["by_step"] = sample_function(lambda h: fn(ERROR_X, h), STEPS)
    return samples


collects("lesson01.plot")(figure_data)

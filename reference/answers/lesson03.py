"""Lesson 3 answers: the sweep is run on fixed cases, the field on a fixed grid."""

from __future__ import annotations

import numpy as np

from reference.checks.plots import figure_data
from reference.checks.safety import TimeLimitExceeded, time_limit

from . import collects
from .plain import to_plain


def task_function(x, y):
    """The task's function x^2 + y^2 (stated in the notebook)."""
    return x**2 + y**2


def new_function(x, y):
    """A function the student has not seen: sin(x) + x y^2."""
    return np.sin(x) + x * y**2


#: (function, point) pairs on which the student's sweep is run.
SWEEP_INPUTS = (
    (task_function, (1.0, 1.0)),
    (new_function, (0.5, -1.2)),
    (new_function, (-1.0, 0.8)),
)
SWEEP_SECONDS = 5.0
#: Grid on which the student's gradient field is sampled (includes the origin).
FIELD_AXIS = np.array([-3.0, -1.5, -0.5, 0.0, 0.7, 2.0, 3.1])
FIELD_X, FIELD_Y = np.meshgrid(FIELD_AXIS, FIELD_AXIS, indexing="ij")


@collects("lesson03.sweep", inputs=lambda: (SWEEP_INPUTS, SWEEP_SECONDS))
def sweep(routine) -> list:
    """Run the student's sweep on every case; one vector (or an error text) per case."""
    out = []
    for func, (x, y) in SWEEP_INPUTS:
        try:
            with time_limit(SWEEP_SECONDS):
                out.append(to_plain(np.asarray(routine(func, x, y), dtype=float)))
        except TimeLimitExceeded:
            out.append({"error": f"took longer than {SWEEP_SECONDS:g} s"})
        except Exception as exc:  # noqa: BLE001 - student code may raise anything
            out.append({"error": type(exc).__name__})
    return out


@collects("lesson03.field", inputs=lambda: (FIELD_X, FIELD_Y))
def field(fn) -> dict:
    try:
        with time_limit(2.0):
            out = fn(FIELD_X.copy(), FIELD_Y.copy())
            parts = [np.asarray(p, dtype=float) for p in out]
    except TimeLimitExceeded:
        return {"error": "took too long"}
    except Exception as exc:  # noqa: BLE001 - student code may raise anything
        return {"error": type(exc).__name__}
    return {"parts": [to_plain(p) for p in parts]}


collects("lesson03.quiver")(figure_data)

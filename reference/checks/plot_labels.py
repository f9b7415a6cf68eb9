"""The text and frame of a plot: title, axis labels, legend entries and axis limits.

Each function returns one element ``(ok, message, note)`` of
:func:`.plots.check_figure`; the message names what is missing.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .plot_fields import WRONG_RANGE, as_floats, covers
from .result import register_note

NO_LEGEND = register_note("plot-no-legend", "The plot has no legend.")
NO_LABELS = register_note(
    "plot-no-labels", "A title, axis label or line label is missing or wrong."
)


def text_element(want: Any, texts: list[str], what: str, missing: str) -> tuple[bool, str, str]:
    texts = [t for t in texts if t and t.strip()]
    if want is True:
        return (True, "", "correct") if texts else (False, missing, NO_LABELS)
    needle = str(want).lower()
    if any(needle in t.lower() for t in texts):
        return True, "", "correct"
    if not texts:
        return False, missing, NO_LABELS
    return False, f"no {what} mentions '{want}'", NO_LABELS


def check_legend(want: Any, data: dict, axes: list[dict]) -> tuple[bool, str, str]:
    legends = [ax["legend"] for ax in axes if ax.get("legend") is not None]
    legends += [leg for leg in data.get("legends") or [] if leg is not None]
    texts = [str(t) for leg in legends for t in leg if str(t).strip()]
    if not legends:
        return False, "the legend is missing", NO_LEGEND
    if want is True:
        return (True, "", "correct") if texts else (False, "the legend is empty", NO_LEGEND)
    wanted = [want] if isinstance(want, str) else list(want)
    absent = [w for w in wanted if not any(str(w).lower() in t.lower() for t in texts)]
    if absent:
        return (
            False,
            "the legend has no entry for " + ", ".join(f"'{w}'" for w in absent),
            NO_LEGEND,
        )
    return True, "", "correct"


def check_limits(key: str, want: Any, axes: list[dict]) -> tuple[bool, str, str]:
    """The axes' view (``xlim``/``ylim``) includes the stated interval."""
    lo, hi = (float(v) for v in want)
    for ax in axes:
        view = as_floats(ax.get(key))
        if view.size == 2 and covers(np.array([view.min(), view.max()]), lo, hi, slack=0.0):
            return True, "", "correct"
    axis = key[0]
    return False, f"the {axis}-axis does not show {axis} from {lo:g} to {hi:g}", WRONG_RANGE

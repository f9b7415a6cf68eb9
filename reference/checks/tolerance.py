"""One notion of "close enough", shared by every numeric comparison.

``np.isclose`` is asymmetric and its default ``atol=1e-8`` makes 1e-9 equal
to 2e-9. We use a symmetric relative tolerance and, as WeBWorK does, switch to
an absolute tolerance only when both values are below a zero level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

#: The options every numeric comparison takes.
FIELDS = ("rtol", "atol", "zero_level", "zero_tol")


class OptionError(TypeError):
    """A check called with an option or spec key it does not know: the instructor's slip.

    Unlike a student's odd answer, it raises out of the check (``answer_check``
    lets it through), so ``autograder verify`` names the part before release.
    """


def reject_unknown(check: str, options: Mapping[str, Any], allowed: Iterable[str]) -> None:
    """Raise :class:`OptionError` for option names ``check`` does not take.

    >>> reject_unknown("check_number", {"rtoll": 1e-3}, FIELDS)
    Traceback (most recent call last):
    ...
    reference.checks.tolerance.OptionError: check_number got unknown option(s) ['rtoll']; \
it takes ['atol', 'rtol', 'zero_level', 'zero_tol']
    """
    allowed = set(allowed)
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise OptionError(f"{check} got unknown option(s) {unknown}; it takes {sorted(allowed)}")


@dataclass(frozen=True)
class Tolerance:
    """Symmetric relative tolerance with a zero level.

    ``a`` and ``b`` are close when ``|a - b| <= rtol * max(|a|, |b|) + atol``,
    or when both are smaller than ``zero_level`` in magnitude and differ by at
    most ``zero_tol``. NaN is never close to anything; equal infinities are.

    >>> t = Tolerance()
    >>> bool(t.close(1e-9, 2e-9)), bool(t.close(1.0, 1.0 + 1e-9))
    (False, True)
    """

    rtol: float = 1e-6
    atol: float = 0.0
    zero_level: float = 1e-12
    zero_tol: float = 1e-12

    def close(self, a, b) -> np.ndarray:
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
        with np.errstate(all="ignore"):
            diff = np.abs(a - b)
            scale = np.maximum(np.abs(a), np.abs(b))
            ok = diff <= self.rtol * scale + self.atol
            tiny = (np.abs(a) < self.zero_level) & (np.abs(b) < self.zero_level)
            ok |= tiny & (diff <= self.zero_tol)
            same_inf = np.isinf(a) & np.isinf(b) & (np.sign(a) == np.sign(b))
        return (ok & np.isfinite(diff)) | same_inf

    @classmethod
    def from_options(cls, options: dict) -> Tolerance:
        """Build from check keyword options, ignoring unrelated keys."""
        fields = ("rtol", "atol", "zero_level", "zero_tol")
        return cls(**{k: float(options[k]) for k in fields if k in options})

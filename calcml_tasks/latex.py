"""Tasks written as the student reads them: a sum of terms with its signs, as math."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def signed_sum(terms: Iterable[tuple[float, str]], number: Callable[[float], str] = str) -> str:
    """``x^3 - 2x^2 + 1`` from ``[(1, "x^3"), (-2, "x^2"), (0, "x"), (1, "")]``.

    Zero terms are left out and a coefficient of one is not written before a
    variable; ``number`` writes a coefficient's size (``str``; ``"{:g}".format``
    for weights such as 0.5).

    >>> signed_sum([(1, "x^3"), (-2, "x^2"), (0, "x"), (1, "")])
    'x^3 - 2x^2 + 1'
    >>> signed_sum([(-1, "x"), (0.5, "y")], number="{:g}".format)
    '-x + 0.5y'
    >>> signed_sum([(0, "x")])
    '0'
    """
    out = ""
    for coef, body in terms:
        if coef == 0:
            continue
        mag = abs(coef)
        term = body if (mag == 1 and body) else f"{number(mag)}{body}"
        if not out:
            out = f"-{term}" if coef < 0 else term
        else:
            out += f" {'-' if coef < 0 else '+'} {term}"
    return out or "0"

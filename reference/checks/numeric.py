"""Checks for numbers and arrays of numbers.

Student answers are converted with :func:`as_float_array`, which never uses
``==`` on a student object and turns every odd input (text, dicts, functions,
generators, ragged lists, complex values, booleans) into a clear message.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np

from .misconceptions import diagnose
from .result import WRONG_SHAPE, WRONG_TYPE, CheckResult, correct, register_note, wrong
from .safety import TimeLimitExceeded, answer_check, is_missing, time_limit
from .tolerance import Tolerance, reject_unknown

NOT_FINITE = register_note("not-finite", "The answer contains NaN or infinity.")
TRANSPOSED = register_note("transposed", "The answer is the transpose of the expected matrix.")

#: Seconds allowed to turn a student object into numbers.
CONVERT_TIMEOUT = 2.0
#: How many wrong entries a message lists.
SHOW_ENTRIES = 3
_TOL_FIELDS = ("rtol", "atol", "zero_level", "zero_tol")


class BadAnswer(Exception):
    """A student answer that cannot be judged; carries the result to return."""

    def __init__(self, result: CheckResult) -> None:
        super().__init__(result.feedback)
        self.result = result


def cap(name: str) -> str:
    """Capitalise a name that opens a sentence, unless it is a variable's name.

    A student's variable keeps its spelling (``df_rate``, ``errors``, ``J``).

    >>> cap("your answer"), cap("df_rate"), cap("errors"), cap("x_1 sample")
    ('Your answer', 'df_rate', 'errors', 'x_1 sample')
    """
    first = name.split(" ", 1)[0]
    if " " not in name or "_" in first or any(c.isdigit() for c in first):
        return name
    return name[:1].upper() + name[1:]


def fmt(value: float) -> str:
    """Format a number compactly for feedback."""
    return f"{float(value):.6g}"


def fmt_shape(shape: tuple[int, ...]) -> str:
    if len(shape) == 0:
        return "a single number"
    return "shape " + (
        "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"
    )


def tolerance(options: Mapping[str, Any]) -> Tolerance:
    """Build the :class:`Tolerance` from check options; reject unknown ones."""
    return Tolerance.from_options(dict(options))


def split_options(
    options: dict, allowed: tuple[str, ...] = (), check: str = "this check"
) -> Tolerance:
    """Return the tolerance; an unknown option name raises :class:`OptionError`."""
    reject_unknown(check, options, (*_TOL_FIELDS, *allowed))
    return tolerance(options)


def _type_name(obj: Any) -> str:
    return type(obj).__name__


def _describe(obj: Any) -> str | None:
    """A message for inputs that are plainly not numbers, else ``None``."""
    if isinstance(obj, bool | np.bool_):
        return "is a boolean (True/False), not a number"
    if isinstance(obj, str | bytes):
        return "is text (a string), not a number; remove the quotes"
    if isinstance(obj, Mapping):
        return "is a dictionary, not a number or array"
    if isinstance(obj, set | frozenset):
        return "is a set; sets have no order, use a list or an array"
    if inspect.isgenerator(obj) or isinstance(obj, Iterator):
        return "is a generator or iterator; wrap it in list(...) or np.array(...)"
    if callable(obj) and not hasattr(obj, "__array__") and not hasattr(obj, "__float__"):
        return "is a function; call it to get a number"
    return None


def _sympy_message(obj: Any) -> str | None:
    symbols = getattr(obj, "free_symbols", None)
    if symbols and isinstance(symbols, set | frozenset):
        names = ", ".join(sorted(str(s) for s in symbols)[:3])
        return f"contains the symbol(s) {names}; give a number"
    return None


def _object_to_float(raw: np.ndarray) -> np.ndarray:
    """Convert an object array entry by entry, refusing text and complex values."""
    flat = raw.reshape(-1)
    out = np.empty(flat.shape, dtype=float)
    for i, item in enumerate(flat):
        why = _describe(item)
        if why is not None:
            raise _Reject(why if raw.ndim == 0 else f"contains an entry that {why}", WRONG_TYPE)
        why = _sympy_message(item)
        if why is not None:
            raise _Reject(why, WRONG_TYPE)
        if isinstance(item, complex | np.complexfloating):
            if item.imag != 0:
                raise _Reject("contains a complex number with a nonzero imaginary part", WRONG_TYPE)
            item = item.real
        if item is None:
            raise _Reject("contains None where a number should be", WRONG_TYPE)
        try:
            out[i] = float(item)
        except TimeLimitExceeded:
            raise
        except OverflowError as exc:
            raise _Reject("contains a number too large for a float", NOT_FINITE) from exc
        except Exception as exc:  # noqa: BLE001 - anything a student object raises
            what = (
                f"is of type {_type_name(item)}, not a number"
                if raw.ndim == 0
                else f"contains an entry of type {_type_name(item)} that is not a number"
            )
            raise _Reject(what, WRONG_TYPE) from exc
    return out.reshape(raw.shape)


class _Reject(Exception):
    def __init__(self, why: str, note: str) -> None:
        super().__init__(why)
        self.why = why
        self.note = note


def _sympy_matrix(obj: Any) -> np.ndarray | None:
    module = type(obj).__module__ or ""
    if module.startswith("sympy") and hasattr(obj, "tolist") and hasattr(obj, "shape"):
        rows = obj.tolist()
        return np.array(rows, dtype=object).reshape(tuple(int(n) for n in obj.shape))
    return None


def _convert(obj: Any) -> np.ndarray:
    why = _describe(obj)
    if why is not None:
        raise _Reject(why, WRONG_TYPE)
    why = _sympy_message(obj) if not hasattr(obj, "tolist") else None
    if why is not None:
        raise _Reject(why, WRONG_TYPE)
    raw = _sympy_matrix(obj)
    if raw is None:
        try:
            raw = np.asarray(obj)
        except TimeLimitExceeded:
            raise
        except ValueError as exc:
            raise _Reject(
                "is ragged: its rows have different lengths, so it is not an array", WRONG_SHAPE
            ) from exc
        except Exception as exc:  # noqa: BLE001
            raise _Reject(
                f"of type {_type_name(obj)} could not be read as numbers", WRONG_TYPE
            ) from exc
    kind = raw.dtype.kind
    if kind == "b":
        raise _Reject("contains booleans (True/False), not numbers", WRONG_TYPE)
    if kind in "USa":
        raise _Reject("contains text (strings), not numbers; remove the quotes", WRONG_TYPE)
    if kind in "iuf":
        return raw.astype(float)
    if kind == "c":
        if np.any(raw.imag != 0):
            raise _Reject("contains complex numbers with a nonzero imaginary part", WRONG_TYPE)
        return raw.real.astype(float)
    if kind == "O":
        return _object_to_float(raw)
    raise _Reject(f"of type {_type_name(obj)} is not a number or array of numbers", WRONG_TYPE)


def as_float_array(
    student: Any, name: str = "your answer", *, timeout: float = CONVERT_TIMEOUT
) -> np.ndarray:
    """Convert a student answer to a float array or raise :class:`BadAnswer`.

    >>> as_float_array([1, 2.5]).tolist()
    [1.0, 2.5]
    >>> try:
    ...     as_float_array("3")
    ... except BadAnswer as bad:
    ...     bad.result.note
    'wrong-type'
    """
    if is_missing(student):
        raise BadAnswer(
            wrong(f"{cap(name)} is missing: replace the placeholder with your answer.", "missing")
        )
    try:
        with time_limit(timeout):
            return _convert(student)
    except _Reject as rej:
        raise BadAnswer(wrong(f"{cap(name)} {rej.why}.", rej.note)) from None
    except TimeLimitExceeded:
        raise BadAnswer(wrong(f"Reading {name} as numbers took too long.", "timeout")) from None
    except Exception as exc:  # noqa: BLE001 - a hostile object may raise anything
        raise BadAnswer(
            wrong(f"{cap(name)} could not be read as numbers ({_type_name(exc)}).", WRONG_TYPE)
        ) from None


def _index(idx: tuple[int, ...]) -> str:
    if len(idx) == 1:
        return f"[{idx[0]}]"
    return "[" + ", ".join(str(i) for i in idx) + "]"


def not_finite_message(values: np.ndarray, expected: np.ndarray, name: str) -> CheckResult | None:
    """A message when the student has NaN/inf where the expected value is finite."""
    bad = ~np.isfinite(values) & np.isfinite(expected)
    if not np.any(bad):
        return None
    first = tuple(int(i) for i in np.argwhere(bad)[0])
    v = values[first] if values.ndim else values
    what = "NaN (not a number)" if np.isnan(v) else "infinity"
    where = f" at index {_index(first)}" if values.ndim else ""
    count = int(bad.sum())
    more = f" ({count} entries are not finite)" if count > 1 else ""
    return wrong(
        f"{cap(name)} contains {what}{where}{more}. Look for a division by zero, "
        "a log of zero or a negative number, or an overflow.",
        NOT_FINITE,
    )


def entry_mismatch(
    values: np.ndarray,
    expected: np.ndarray,
    ok: np.ndarray,
    name: str,
    reveal: bool,
    label: Callable[[tuple[int, ...]], str] = lambda i: f"index {_index(i)}",
) -> str:
    """Feedback naming how many entries are wrong and where the first ones are."""
    bad = np.argwhere(~ok)
    count, total = len(bad), ok.size
    parts = []
    for idx in bad[:SHOW_ENTRIES]:
        i = tuple(int(k) for k in idx)
        text = label(i)
        if reveal:
            text += f" (expected {fmt(expected[i])}, got {fmt(values[i])})"
        parts.append(text)
    more = " and more" if count > SHOW_ENTRIES else ""
    verb = "is" if count == 1 else "are"
    return f"{count} of {total} entries {verb} wrong in {name}: " + ", ".join(parts) + more + "."


def close_or_both_nan(tol: Tolerance, values: np.ndarray, expected: np.ndarray) -> np.ndarray:
    return np.asarray(tol.close(values, expected)) | (np.isnan(values) & np.isnan(expected))


@answer_check
def check_number(
    student: Any,
    expected: Any,
    *,
    reveal: bool = False,
    name: str = "your answer",
    **options: float,
) -> CheckResult:
    """Check a single number with a symmetric relative tolerance.

    Options: ``rtol`` (default 1e-6), ``atol``, ``zero_level``, ``zero_tol``.

    >>> check_number(0.1 + 0.2, 0.3).note
    'correct'
    >>> check_number(-2.0, 2.0).note
    'sign-error'
    """
    tol = split_options(options, ("timeout",), "check_number")
    timeout = float(options.get("timeout", CONVERT_TIMEOUT))
    exp = np.asarray(expected, dtype=float)
    if exp.size != 1:
        raise ValueError("check_number needs a single expected number")
    exp = exp.reshape(())
    try:
        values = as_float_array(student, name, timeout=timeout)
    except BadAnswer as bad:
        return bad.result
    if values.size != 1:
        return wrong(
            f"{cap(name)} should be a single number, but it has {fmt_shape(values.shape)} "
            f"({values.size} numbers).",
            WRONG_SHAPE,
        )
    value = values.reshape(())
    if close_or_both_nan(tol, value, exp):
        return correct()
    bad = not_finite_message(value, exp, name)
    if bad is not None:
        return bad
    reveal_text = f" The expected value is {fmt(exp)}." if reveal else ""
    verdict = diagnose(value.reshape(1), exp.reshape(1), tol=tol)
    if verdict is not None:
        return CheckResult(verdict.score, verdict.feedback + reveal_text, verdict.note)
    if not np.isfinite(exp):
        return wrong(f"{cap(name)} is not correct.{reveal_text}")
    rel = abs(float(value) - float(exp)) / max(abs(float(exp)), abs(float(value)), 1e-300)
    hint = " It is close: check rounding and the precision of constants." if rel < 1e-2 else ""
    return wrong(f"{cap(name)} is not correct.{hint}{reveal_text}")


def compare_arrays(
    values: np.ndarray,
    exp: np.ndarray,
    tol: Tolerance,
    *,
    name: str,
    reveal: bool,
    label: Callable[[tuple[int, ...]], str] | None = None,
    transposed_credit: float = 0.5,
) -> CheckResult:
    """Compare two float arrays, shape first; shared by array and matrix checks."""
    label = label or (lambda i: f"index {_index(i)}")
    if values.shape != exp.shape:
        if (
            values.ndim == 2
            and exp.ndim == 2
            and values.shape == exp.T.shape
            and np.all(close_or_both_nan(tol, values, exp.T))
        ):
            return CheckResult(
                transposed_credit,
                f"{cap(name)} is transposed: it has {fmt_shape(values.shape)} but "
                f"{fmt_shape(exp.shape)} was expected. Swap rows and columns (use .T).",
                TRANSPOSED,
            )
        hint = ""
        if values.size == exp.size and np.all(
            close_or_both_nan(tol, values.reshape(-1), exp.reshape(-1))
        ):
            hint = " The entries are right; reshape them."
        return wrong(
            f"{cap(name)} has the wrong shape: expected {fmt_shape(exp.shape)}, "
            f"got {fmt_shape(values.shape)}.{hint}",
            WRONG_SHAPE,
        )
    ok = close_or_both_nan(tol, values, exp)
    if np.all(ok):
        return correct()
    if (
        values.ndim == 2
        and values.shape[0] == values.shape[1]
        and np.all(close_or_both_nan(tol, values, exp.T))
    ):
        return CheckResult(
            transposed_credit,
            f"{cap(name)} is the transpose of the right matrix: swap rows and columns (use .T).",
            TRANSPOSED,
        )
    bad = not_finite_message(values, exp, name)
    if bad is not None:
        return bad
    verdict = diagnose(values, exp, tol=tol)
    if verdict is not None:
        extra = " Expected:\n" + np.array2string(exp, precision=6) if reveal else ""
        return CheckResult(verdict.score, verdict.feedback + extra, verdict.note)
    return wrong(entry_mismatch(values, exp, ok, name, reveal, label))


@answer_check
def check_array(
    student: Any,
    expected: Any,
    *,
    reveal: bool = False,
    name: str = "your answer",
    shape: tuple[int, ...] | None = None,
    **options: float,
) -> CheckResult:
    """Check an array (or list) of numbers entry by entry.

    ``shape`` overrides the required shape (``expected`` is broadcast to it).
    Options: ``rtol``, ``atol``, ``zero_level``, ``zero_tol``.

    >>> check_array([1, 2, 3], np.array([1.0, 2.0, 3.0])).note
    'correct'
    >>> check_array([[1, 2], [3, 4]], [[1, 3], [2, 4]]).note
    'transposed'
    """
    tol = split_options(options, ("timeout",), "check_array")
    timeout = float(options.get("timeout", CONVERT_TIMEOUT))
    exp = np.asarray(expected, dtype=float)
    if shape is not None:
        exp = np.broadcast_to(exp, tuple(shape))
    try:
        values = as_float_array(student, name, timeout=timeout)
    except BadAnswer as bad:
        return bad.result
    return compare_arrays(values, exp, tol, name=name, reveal=reveal)

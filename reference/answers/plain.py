"""Turn a student's answer into plain JSON data and back.

The student's process only ever hands over this data; the verdict is computed
from it wherever the grader likes. Nothing here unpickles or evaluates: a
SymPy object travels as its string form and is parsed safely by the checks.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

#: Refuse answers bigger than this many numbers; a grader must not be flooded.
MAX_ITEMS = 2_000_000
MAX_TEXT = 20_000
MAX_DEPTH = 20


@dataclass(frozen=True)
class Unsupported:
    """Stands in for an answer that cannot travel as plain data."""

    type_name: str
    reason: str = ""

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


def _float(x: float) -> float | str:
    # JSON has no NaN or infinity; keep them as tagged strings.
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def to_plain(value: Any, _depth: int = 0) -> Any:
    """Encode ``value`` as JSON-able data, losing nothing a check needs.

    >>> to_plain(np.array([1.0, np.nan]))
    {'__ndarray__': [1.0, 'nan'], 'shape': [2], 'dtype': 'float64'}
    """
    if _depth > MAX_DEPTH:
        return {"__unsupported__": "nested too deep"}
    if value is None or isinstance(value, bool | str) and len(str(value)) <= MAX_TEXT:
        return value
    if isinstance(value, str):
        return {"__unsupported__": "str", "reason": "text too long"}
    if value is Ellipsis:
        return {"__ellipsis__": True}
    if isinstance(value, numbers.Integral) and not isinstance(value, np.bool_):
        return int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, np.bool_):
        return {"__float__": _float(float(value))}
    if isinstance(value, numbers.Complex):
        return {"__complex__": [_float(value.real), _float(value.imag)]}
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.ndarray):
        if value.size > MAX_ITEMS:
            return {"__unsupported__": "ndarray", "reason": f"more than {MAX_ITEMS} items"}
        if value.dtype.kind in "biuf":
            data = value.astype(float).ravel().tolist()
            return {
                "__ndarray__": [_float(v) for v in data],
                "shape": list(value.shape),
                "dtype": str(value.dtype),
            }
        return {"__unsupported__": f"ndarray of {value.dtype}"}
    sympy_text = _sympy_text(value)
    if sympy_text is not None:
        return sympy_text
    if isinstance(value, list | tuple | set | frozenset):
        if len(value) > MAX_ITEMS:
            return {"__unsupported__": type(value).__name__, "reason": "too many items"}
        items = [to_plain(v, _depth + 1) for v in value]
        if isinstance(value, list):
            return items
        return {f"__{type(value).__name__}__": items}
    if isinstance(value, dict):
        return {
            "__dict__": [
                [to_plain(k, _depth + 1), to_plain(v, _depth + 1)] for k, v in value.items()
            ]
        }
    return {"__unsupported__": type(value).__name__}


def _sympy_text(value: Any) -> dict | None:
    try:
        import sympy
    except ImportError:  # pragma: no cover - sympy is a dependency
        return None
    if isinstance(value, sympy.MatrixBase):
        return {"__sympy_matrix__": [[str(e) for e in row] for row in value.tolist()]}
    if isinstance(value, sympy.Basic):
        return {"__sympy__": str(value)}
    return None


def _unfloat(x: Any) -> float:
    return float(x) if isinstance(x, str) else x


def from_plain(data: Any) -> Any:
    """Decode :func:`to_plain` output; SymPy text stays text (a ``SympyText``)."""
    if isinstance(data, list):
        return [from_plain(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "__float__" in data:
        return float(_unfloat(data["__float__"]))
    if "__complex__" in data:
        re, im = data["__complex__"]
        return complex(_unfloat(re), _unfloat(im))
    if "__ellipsis__" in data:
        return Ellipsis
    if "__ndarray__" in data:
        flat = np.array([_unfloat(v) for v in data["__ndarray__"]], dtype=float)
        return flat.reshape(data["shape"])
    if "__sympy__" in data:
        return SympyText(data["__sympy__"])
    if "__sympy_matrix__" in data:
        return SympyMatrixText(tuple(tuple(row) for row in data["__sympy_matrix__"]))
    if "__tuple__" in data:
        return tuple(from_plain(v) for v in data["__tuple__"])
    for key in ("__set__", "__frozenset__"):
        if key in data:
            return [from_plain(v) for v in data[key]]
    if "__dict__" in data:
        return {_hashable(from_plain(k)): from_plain(v) for k, v in data["__dict__"]}
    if "__unsupported__" in data:
        return Unsupported(str(data["__unsupported__"]), str(data.get("reason", "")))
    return {k: from_plain(v) for k, v in data.items()}


def _hashable(key: Any) -> Any:
    try:
        hash(key)
    except TypeError:
        return repr(key)
    return key


class SympyText(str):
    """A SymPy expression as it travelled: text, to be parsed safely."""


@dataclass(frozen=True)
class SympyMatrixText:
    """A SymPy matrix as it travelled: rows of entry texts."""

    rows: tuple[tuple[str, ...], ...]

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.rows), len(self.rows[0]) if self.rows else 0)

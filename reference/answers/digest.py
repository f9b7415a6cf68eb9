"""A deterministic fingerprint of the inputs a collector uses.

The student's process hands in, next to each answer, the digest of the inputs
its collector read (sample points, fixed arguments, steps, the functions it
passes to the student's code). The grader computes the same digest from its
own import of :mod:`reference.answers` and refuses an answer whose digest
differs. The student's code runs in the process that computes the digest, so
this is evidence, not a lock: the lock is that judges never take inputs from
handed-in data.

Both sides run the same interpreter on the same files, so code objects can be
fingerprinted by their contents; ``marshal.dumps`` is not used because its
output depends on reference counts (``FLAG_REF``) and so differs between
processes. Only exact built-in types are accepted: an object of a student's
class has no digest, which never equals a trusted one.

>>> digest((1.0, "a")) == digest((1.0, "a")) != digest((1.0, "b"))
True
>>> digest(np.zeros(2)) != digest(np.zeros(2, dtype=np.float32))
True
"""

from __future__ import annotations

import hashlib
import types
from typing import Any

import numpy as np

#: The prefix of every digest; a new format must change it.
FORMAT = "sha256-v1:"
MAX_DEPTH = 20

_SCALARS = (type(None), bool, int, float, complex, str, bytes)
_CODE_FIELDS = (
    "co_argcount",
    "co_posonlyargcount",
    "co_kwonlyargcount",
    "co_flags",
    "co_code",
    "co_consts",
    "co_names",
    "co_varnames",
    "co_freevars",
    "co_cellvars",
)


def digest(value: Any) -> str:
    """The fingerprint of ``value``; raises ``TypeError`` for a type it does not know."""
    h = hashlib.sha256()
    _feed(h, value, 0)
    return FORMAT + h.hexdigest()


def _tag(h: Any, tag: str, payload: bytes = b"") -> None:
    h.update(f"{tag}{len(payload)}:".encode())
    h.update(payload)


def _feed(h: Any, obj: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise TypeError("inputs nested too deep")
    kind = type(obj)
    if kind in _SCALARS:
        if kind is float:
            payload = float.hex(obj).encode()
        elif kind is str:
            payload = obj.encode("utf-8", "surrogatepass")
        elif kind is bytes:
            payload = obj
        else:
            payload = repr(obj).encode()
        _tag(h, kind.__name__, payload)
    elif kind is np.ndarray:
        if obj.dtype.hasobject:
            _tag(h, "objarray", repr(obj.shape).encode())
            for item in obj.ravel().tolist():
                _feed(h, item, depth + 1)
        else:
            _tag(h, "array", f"{obj.dtype.str}{obj.shape}".encode())
            _tag(h, "bytes", np.ascontiguousarray(obj).tobytes())
    elif isinstance(obj, np.generic) and not obj.dtype.hasobject:
        _feed(h, np.asarray(obj), depth + 1)
    elif kind in (tuple, list):
        _tag(h, kind.__name__, str(len(obj)).encode())
        for item in obj:
            _feed(h, item, depth + 1)
    elif kind is dict:
        _tag(h, "dict", str(len(obj)).encode())
        for key, item in obj.items():
            _feed(h, key, depth + 1)
            _feed(h, item, depth + 1)
    elif kind is types.FunctionType:
        _tag(h, "function", f"{obj.__module__}.{obj.__qualname__}".encode())
        _feed(h, obj.__code__, depth + 1)
        _feed(h, obj.__defaults__, depth + 1)
        _feed(h, obj.__kwdefaults__, depth + 1)
        cells = tuple(c.cell_contents for c in obj.__closure__ or ())
        _feed(h, cells, depth + 1)
    elif kind is types.CodeType:
        _tag(h, "code")
        for name in _CODE_FIELDS:
            _feed(h, getattr(obj, name), depth + 1)
    elif kind is frozenset:  # code constants such as ``x in {1, 2}``
        _tag(h, "frozenset", ",".join(sorted(digest(v) for v in obj)).encode())
    else:
        raise TypeError(f"no digest for a {kind.__name__}")

"""Notice when a notebook's code changed the machinery that grades it.

Before the first cell, the child records which objects stand behind the names
a grader relies on (comparison functions, the checks, IPython's input and
display hooks); after the last cell it compares. A difference does not change
the score (the verdict is decided in the grader's process, from the answers
handed in) but is flagged for the TA. It is best effort: code that runs in the
same process can also hide its traces.
"""

from __future__ import annotations

import sys
from typing import Any

#: (module, attribute path) pairs whose object must not change during a run.
WATCHED = (
    ("builtins", "isinstance"),
    ("builtins", "float"),
    ("builtins", "abs"),
    ("math", "isclose"),
    ("numpy", "allclose"),
    ("numpy", "isclose"),
    ("numpy", "array_equal"),
    ("numpy.testing", "assert_allclose"),
    ("numpy.ndarray", "__eq__"),
    ("sympy", "simplify"),
    ("sympy", "Eq"),
    ("reference.grading", "grade"),
    ("reference.answers", "collect"),
    ("reference.answers", "hand_in"),
    ("reference.answers", "Answer._repr_mimebundle_"),
)


def _resolve(module: str, path: str) -> Any:
    if module == "numpy.ndarray":
        import numpy as np

        return getattr(np.ndarray, path)
    obj: Any = sys.modules[module]  # only what is loaded: importing here would cost time
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _hooks(shell: Any) -> dict[str, Any]:
    manager = getattr(shell, "input_transformer_manager", None)
    return {
        "ast_transformers": list(getattr(shell, "ast_transformers", [])),
        "input_transformers_cleanup": list(getattr(shell, "input_transformers_cleanup", [])),
        "input_transformers_post": list(getattr(shell, "input_transformers_post", [])),
        "line_transforms": list(getattr(manager, "line_transforms", [])),
        "token_transformers": list(getattr(manager, "token_transformers", [])),
        "events": {k: list(v) for k, v in getattr(shell.events, "callbacks", {}).items()},
        "displayhook": type(shell.displayhook),
        "display_pub": type(shell.display_pub),
        "showtraceback": getattr(shell, "_showtraceback", None),
        "sys.displayhook": sys.displayhook,
    }


def snapshot(shell: Any) -> dict[str, Any]:
    """Remember the objects that grading depends on (call before the first cell)."""
    objects = {}
    for module, path in WATCHED:
        try:
            objects[f"{module}.{path}"] = _resolve(module, path)
        except Exception:  # noqa: BLE001 - a module the notebook never needs
            continue
    return {"objects": objects, "hooks": _hooks(shell)}


def changes(shell: Any, before: dict[str, Any]) -> list[str]:
    """What differs now from ``before``, in words a TA can read."""
    found = []
    for name, obj in before["objects"].items():
        try:
            now = _resolve(*_split(name))
        except Exception:  # noqa: BLE001 - deleted counts as changed
            now = None
        if now is not obj:
            found.append(f"{name} was replaced")
    hooks = _hooks(shell)
    for key, value in before["hooks"].items():
        if hooks.get(key) != value:
            found.append(f"IPython's {key} was changed")
    return found


def _split(name: str) -> tuple[str, str]:
    for module, path in WATCHED:
        if name == f"{module}.{path}":
            return module, path
    raise KeyError(name)

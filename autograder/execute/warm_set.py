"""Which modules the zygote imports before forking: what the graded lessons' notebooks import.

Importing everything a course might use (SciPy, scikit-learn...) costs the
zygote about a second that a lesson which never imports them waits for before
its first child runs. The released notebooks say what a lesson needs; a
student who imports more still gets it, in their own child, only slower.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from pathlib import Path

from .zygote import SECRET_PREFIXES

#: Imported whatever a lesson needs: the answer collectors and the students' tasks.
BASE = ("numpy", "sympy", "matplotlib.pyplot", "reference.answers", "calcml_tasks")


def imported_by(sources: Iterable[str]) -> list[str]:
    """Absolute modules imported by the code in ``sources`` (cells that do not parse: none).

    >>> imported_by(["import numpy as np\\nfrom scipy import optimize", "from . import x", "1 +"])
    ['numpy', 'scipy']
    """
    found: list[str] = []
    for source in sources:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append(node.module)
    return list(dict.fromkeys(found))


def warm_modules(notebooks: Iterable[Path]) -> tuple[str, ...]:
    """:data:`BASE` and what the released ``notebooks`` import, solutions and judges left out.

    >>> warm_modules([])
    ('numpy', 'sympy', 'matplotlib.pyplot', 'reference.answers', 'calcml_tasks')
    """
    sources = []
    for path in notebooks:
        try:
            cells = json.loads(path.read_text())["cells"]
        except (OSError, ValueError, KeyError, TypeError):
            continue  # grading reports the broken release; warming is best effort
        sources += ["".join(c.get("source", "")) for c in cells if c.get("cell_type") == "code"]
    wanted = [*BASE, *imported_by(sources)]
    return tuple(
        m
        for m in dict.fromkeys(wanted)
        if not m.startswith(SECRET_PREFIXES) and m != "reference.grading"
    )

"""The zygote's warm set: what the released lessons import, and cold imports still work."""

from __future__ import annotations

import json

from autograder.execute.pool import Job, WarmPool
from autograder.execute.sandbox import Limits
from autograder.execute.warm_set import BASE, imported_by, warm_modules
from tests.source.course import LESSONS, ROOT


def _notebook(tmp_path, name, *sources):
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": []} for s in sources]
    cells.insert(0, {"cell_type": "markdown", "source": "import scipy", "metadata": {}})
    path = tmp_path / name
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4}))
    return path


def test_imports_of_code_cells_only_in_order_without_secrets(tmp_path):
    nb = _notebook(
        tmp_path,
        "a.ipynb",
        "import sklearn.svm as svm\nfrom scipy.optimize import minimize",
        "from reference.grading import grade\nimport reference.lessons.lesson01",
        "def broken(:\n    import os",
        "import numpy as np",
    )
    modules = warm_modules([nb, tmp_path / "missing.ipynb"])
    assert modules[: len(BASE)] == BASE
    assert modules[len(BASE) :] == ("sklearn.svm", "scipy.optimize")
    assert imported_by(["import a.b, c\nif x:\n    from d import e"]) == ["a.b", "c", "d"]


def test_released_lessons_warm_what_their_sources_import():
    sources = [ROOT / "source" / x / f"{x}.ipynb" for x in LESSONS]
    by_lesson = {x: set(warm_modules([p])) for x, p in zip(LESSONS, sources, strict=True)}
    assert "sklearn.svm" in by_lesson["lesson07"] and "scipy.optimize" in by_lesson["lesson07"]
    assert not any(m.startswith(("scipy", "sklearn")) for m in by_lesson["lesson01"])
    assert all(not m.startswith("reference.grading") for ms in by_lesson.values() for m in ms)


def test_a_module_left_cold_still_imports_in_a_confined_child(tmp_path):
    """A student importing what the lesson does not: slower, never broken (sandbox on)."""
    nb = json.loads(
        _notebook(
            tmp_path,
            "b.ipynb",
            "from scipy.optimize import minimize_scalar\nfrom sklearn.svm import SVC\n"
            "float(round(minimize_scalar(lambda t: (t - 2) ** 2).x, 3)), SVC().kernel",
        ).read_text()
    )
    with WarmPool(workers=1, warm_modules=BASE, sandbox=Limits()) as pool:
        (out,) = pool.run([Job("cold", nb, str(tmp_path))])
    assert out.status == "ok", out.detail
    outputs = [o for c in out.notebook["cells"] for o in c.get("outputs", [])]
    (result,) = [o for o in outputs if o["output_type"] == "execute_result"]
    assert result["data"]["text/plain"] == "(2.0, 'rbf')", outputs

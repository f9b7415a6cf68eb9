"""The warm fork pool: kernel-like outputs, isolation, and failures contained."""

from __future__ import annotations

import pytest

from autograder.execute.pool import Job, WarmPool


def _nb(*sources: str) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "source": s,
                "metadata": {},
                "outputs": [],
                "execution_count": None,
            }
            for s in sources
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@pytest.fixture(scope="module")
def pool():
    with WarmPool(workers=2, warm_modules=("numpy", "matplotlib.pyplot")) as pool:
        yield pool


def _run(pool, *jobs):
    return {o.key: o for o in pool.run(jobs)}


def test_outputs_look_like_a_kernels(pool, tmp_path):
    nb = _nb(
        "print('hi')\nimport sys; print('oops', file=sys.stderr)\n1 + 1",
        "from IPython.display import display, HTML\ndisplay(HTML('<b>x</b>'))",
        "%time y = 3\ny",
        "1/0",
        "import warnings; warnings.warn('careful')\n'after'",
    )
    out = _run(pool, Job("a", nb, str(tmp_path)))["a"]
    assert out.status == "ok"
    c1, c2, c3, c4, c5 = (c["outputs"] for c in out.notebook["cells"])
    assert {"output_type": "stream", "name": "stdout", "text": "hi\n"} in c1
    assert any(o.get("name") == "stderr" and "oops" in o["text"] for o in c1)
    assert c1[-1]["output_type"] == "execute_result" and c1[-1]["data"]["text/plain"] == "2"
    assert c2[0]["output_type"] == "display_data" and "text/html" in c2[0]["data"]
    assert c3[-1]["data"]["text/plain"] == "3"  # magics work
    assert c4[0]["output_type"] == "error" and c4[0]["ename"] == "ZeroDivisionError"
    assert any(o.get("name") == "stderr" and "careful" in o["text"] for o in c5)
    counts = [c["execution_count"] for c in out.notebook["cells"]]
    assert counts == sorted(counts) and counts[0] >= 1


def test_students_do_not_see_each_other(pool, tmp_path):
    first = _nb("import numpy as np\nnp.secret = 42\nleaked = 1")
    second = _nb("import numpy as np\nprint(hasattr(np, 'secret'), 'leaked' in globals())")
    out = _run(pool, Job("one", first, str(tmp_path)))
    out.update(_run(pool, Job("two", second, str(tmp_path))))
    assert out["two"].notebook["cells"][0]["outputs"][0]["text"] == "False False\n"


def test_random_state_differs_between_children(pool, tmp_path):
    nb = _nb("import numpy as np\nprint(np.random.rand())")
    out = _run(pool, *(Job(str(i), nb, str(tmp_path)) for i in range(3)))
    values = {o.notebook["cells"][0]["outputs"][0]["text"] for o in out.values()}
    assert len(values) == 3


def test_cell_timeout_then_the_rest_still_runs(pool, tmp_path):
    nb = _nb("while True:\n    try:\n        pass\n    except Exception:\n        pass", "'next'")
    out = _run(pool, Job("slow", nb, str(tmp_path), cell_timeout=0.5))["slow"]
    first, second = (c["outputs"] for c in out.notebook["cells"])
    assert first[-1]["ename"] == "CellTimeoutError"
    assert second[-1]["data"]["text/plain"] == "'next'"


def test_wall_timeout_kills_a_loop_that_ignores_everything(pool, tmp_path):
    nb = _nb(
        "import signal\nsignal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
        "signal.setitimer(signal.ITIMER_REAL, 0)\nwhile True: pass"
    )
    out = _run(pool, Job("stuck", nb, str(tmp_path), cell_timeout=0.5, wall_timeout=2))["stuck"]
    assert out.status == "timeout" and out.seconds < 10


def test_a_process_that_kills_itself_keeps_earlier_cells(pool, tmp_path):
    nb = _nb("print('before')", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "1")
    out = _run(pool, Job("dies", nb, str(tmp_path)))["dies"]
    assert out.status == "crashed" and "SIGKILL" in out.detail
    assert out.notebook["cells"][0]["outputs"][0]["text"] == "before\n"
    assert out.notebook["cells"][2]["execution_count"] is None


def test_killing_the_parent_group_is_contained(pool, tmp_path):
    # The child leads its own process group: killing "its" group spares the grader.
    nb = _nb("import os, signal\nos.killpg(0, signal.SIGKILL)")
    out = _run(pool, Job("pg", nb, str(tmp_path)), Job("ok", _nb("2"), str(tmp_path)))
    assert out["pg"].status == "crashed" and out["ok"].status == "ok"


def test_tampering_with_checks_and_hooks_is_reported(pool, tmp_path):
    clean = _run(pool, Job("clean", _nb("import numpy as np\nnp.allclose(1, 1)"), str(tmp_path)))
    assert clean["clean"].tampering == []
    attack = _nb(
        "import numpy as np\nnp.allclose = lambda *a, **k: True",
        "import ast\nclass Strip(ast.NodeTransformer):\n    pass\n"
        "get_ipython().ast_transformers.append(Strip())",
        "get_ipython().input_transformers_cleanup.append(lambda lines: [])",
    )
    out = _run(pool, Job("attack", attack, str(tmp_path)))["attack"]
    text = " ".join(out.tampering)
    assert "numpy.allclose was replaced" in text
    assert "ast_transformers" in text and "input_transformers_cleanup" in text

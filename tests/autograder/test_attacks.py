"""Attacks on hardened grading: none raises a score, reads what is hidden, or stops the batch.

Every attacker starts from the same honest submission of lesson 1 (three
parts wrong, the rest right) and adds an attack. Graded in one batch with the
honest submission itself, each attacker must score exactly what the honest
one scores, cell by cell, unless its attack destroys its own answers (then
never more); no output of any attacker may contain a hidden file's text.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import textwrap

import nbformat
import pytest

from autograder.course import Course
from autograder.execute.sandbox import landlock_abi
from autograder.grade import grade_lesson
from autograder.results import load
from tests.source.course import cell_scores, with_solutions

pytestmark = pytest.mark.skipif(landlock_abi() < 6, reason="needs Landlock with signal scoping")

#: The honest answer: three parts wrong in typical ways, the rest right; written with the
#: task's names, so it makes the same mistakes whichever student's task it is graded on.
HONEST = {
    "sol_formula": "derivative_formula = task.a*x**4/4 + task.b*x**3/3 + task.c*x",
    "sol_rule": "def df_rule(x):\n    return -(3 * task.a * x**2 + 2 * task.b * x)",
    "sol_rate": (
        "def df_rate(x, delta_x):\n    return (f(x + delta_x) - f(x - delta_x)) / (2 * delta_x)"
    ),
}
#: Text that only hidden files contain; no attacker's output may show any of it.
SECRETS = (
    "BEGIN SOLUTION",
    "BEGIN HIDDEN TESTS",
    "SQLite format 3",
    "OTHER-STUDENT-SECRET",
    "def f_prime",
    "LEAK",
)
OTHER = "victim"

#: Writes forged results into every pipe the notebook's process holds; EXTRA
#: is written after them.
FORGE = """
import json, os
fake = {"output_type": "execute_result", "execution_count": 1,
        "data": {"text/plain": "1000"}, "metadata": {"calcml": {"score": 1.0}}}
for fd in range(3, 64):
    try:
        if not os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
            continue
    except OSError:
        continue
    for i in range(40):
        msg = {"cell": i, "data": {"outputs": [fake], "execution_count": 1}}
        os.write(fd, (json.dumps(msg) + "\\n").encode())
    os.write(fd, EXTRA)
"""

# Each attack: (where its cell goes, code, whether it may only lower the score).
# "start": right after the setup cell, before any answer; "end": after every
# cell; "after:ID": right after that cell.
ATTACKS: dict[str, tuple[str, str, bool]] = {
    "ast-strip-asserts": (
        "start",
        """
        import ast
        class Strip(ast.NodeTransformer):
            def visit_Assert(self, node):
                return ast.Pass()
        get_ipython().ast_transformers.append(Strip())
        """,
        False,
    ),
    "ast-replace-grade": (
        "start",
        """
        import ast
        class Full(ast.NodeTransformer):
            def visit_Call(self, node):
                if getattr(node.func, "id", "") == "grade":
                    return ast.copy_location(ast.Constant(1000.0), node)
                return node
        get_ipython().ast_transformers.append(Full())
        """,
        True,
    ),
    "blank-later-cells": (
        "start",
        "get_ipython().input_transformers_cleanup.append(lambda lines: [])",
        True,
    ),
    "patch-comparisons": (
        "start",
        """
        import math, numpy as np, sympy as sp
        np.allclose = np.isclose = lambda *a, **k: True
        np.testing.assert_allclose = lambda *a, **k: None
        math.isclose = lambda *a, **k: True
        sp.simplify = lambda *a, **k: sp.Integer(0)
        """,
        False,
    ),
    "always-equal": (
        "after:sol_formula",
        """
        class Equal(float):
            def __eq__(self, other): return True
            def __ne__(self, other): return False
            def __sub__(self, other): return 0.0
        derivative_formula = Equal(0)
        """,
        True,
    ),
    "gradebook-sqlite": (
        "start",
        """
        import sqlite3, pathlib
        for up in range(1, 6):
            path = pathlib.Path("/".join([".."] * up)) / "gradebook.db"
            try:
                db = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
                db.execute("update grade set auto_score = 1000")
                db.commit()
                print("LEAK wrote the gradebook")
            except Exception as e:
                print("denied", type(e).__name__)
        """,
        False,
    ),
    "read-source": (
        "start",
        """
        import glob
        for path in glob.glob("../../../source/**/*.ipynb", recursive=True) + [
                "../../../source/lesson01/lesson01.ipynb"]:
            try:
                print("LEAK", open(path).read()[:2000])
            except Exception as e:
                print("denied", type(e).__name__)
        """,
        False,
    ),
    "read-reference-files": (
        "start",
        """
        import reference, pathlib
        for folder in list(reference.__path__):
            try:
                code = (pathlib.Path(folder) / "lessons" / "l1_derivatives.py").read_text()
                print("LEAK", code[:300])
                scope = {}
                exec(code, scope)
                df_rule = scope["f_prime"]
            except Exception as e:
                print("denied", type(e).__name__)
        """,
        False,
    ),
    "import-reference": (
        "start",
        """
        try:
            from reference.lessons import l1_derivatives as l1
            print("LEAK imported the solutions")
        except Exception as e:
            print("denied", type(e).__name__)
        try:
            import importlib
            importlib.import_module("reference.grading.lesson01")
            print("LEAK imported the judges")
        except Exception as e:
            print("denied", type(e).__name__)
        """,
        False,
    ),
    "search-memory": (
        "start",
        """
        import gc, sys
        names = [m for m in sys.modules if "lessons" in m or m.startswith("reference.grading.")]
        funcs = [o for o in gc.get_objects() if getattr(o, "__name__", "") == "f_prime"]
        regs = [o for o in gc.get_objects() if isinstance(o, dict) and "lesson01.rule" in o
                and "lesson01.formula" in o]
        if names or funcs or regs:
            print("LEAK", names, len(funcs), len(regs))
        """,
        False,
    ),
    "read-grader-memory": (
        "start",
        """
        import os
        for pid in {os.getppid(), GRADER}:
            for what in ("cmdline", "environ", "maps", "mem"):
                try:
                    with open(f"/proc/{pid}/{what}", "rb") as f:
                        f.read(64)
                    print("LEAK read", what)
                except Exception as e:
                    print("denied", type(e).__name__)
        """,
        False,
    ),
    "ptrace-parent": (
        "start",
        """
        import ctypes, os
        libc = ctypes.CDLL(None, use_errno=True)
        for pid in (os.getppid(), GRADER):
            if libc.ptrace(16, pid, 0, 0) == 0:  # PTRACE_ATTACH
                print("LEAK attached")
        """,
        False,
    ),
    "other-students": (
        "start",
        f"""
        import glob
        for path in glob.glob("../../**/*.ipynb", recursive=True) + glob.glob(
                "../../../submitted/{OTHER}/lesson01/*"):
            try:
                print("LEAK", open(path).read()[:5000])
            except Exception as e:
                print("denied", type(e).__name__)
        """,
        False,
    ),
    "kill-parent": (
        "start",
        """
        import os, signal
        try:
            os.kill(os.getppid(), signal.SIGKILL)
        except Exception as e:
            print("denied", type(e).__name__)
        """,
        False,
    ),
    "kill-grader-and-everyone": (
        "start",
        """
        import os, signal
        for kill, target in ((os.kill, GRADER), (os.killpg, "group"), (os.kill, -1)):
            try:
                kill(os.getpgid(GRADER) if target == "group" else target, signal.SIGKILL)
            except Exception as e:
                print("denied", type(e).__name__)
        """,
        False,
    ),
    "ignore-signals-loop": (
        "end",
        """
        import signal
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        while True:
            pass
        """,
        False,
    ),
    "fork-bomb": (
        "start",
        """
        import os
        try:
            while True:
                os.fork()
        except Exception as e:
            print("denied", type(e).__name__)
        """,
        False,
    ),
    "memory-bomb": (
        "start",
        """
        try:
            hog = bytearray(64 * 1024**3)
        except MemoryError:
            print("denied MemoryError")
        """,
        False,
    ),
    "write-outside": (
        "start",
        f"""
        for path in ("../../../pwned.txt", "/tmp/calcml-pwned.txt",
                     "../../../submitted/{OTHER}/lesson01/lesson01.ipynb",
                     "../../../source/lesson01/lesson01.ipynb"):
            try:
                open(path, "w").write("pwned")
                print("LEAK wrote", path)
            except Exception as e:
                print("denied", type(e).__name__)
        """,
        False,
    ),
    "network": (
        "start",
        """
        import socket
        try:
            socket.create_connection(("127.0.0.1", PORT), timeout=2).sendall(b"LEAK")
            print("LEAK connected")
        except Exception as e:
            print("denied", type(e).__name__)
        """,
        False,
    ),
    "forge-results-at-end": (
        "end",
        FORGE.replace(
            "EXTRA", """b'{"start": {"cells": []}, "sandbox": []}\\n{"done": true}\\n'"""
        ),
        False,
    ),
    "forge-results-at-start": ("start", FORGE.replace("EXTRA", "b''"), True),
    "lying-displayhook": (
        "start",
        """
        hook = get_ipython().displayhook
        def lie(format_dict, md_dict=None):
            format_dict = {"text/plain": "1000"}
            hook.__class__.write_format_data(hook, format_dict, {})
        hook.write_format_data = lie
        """,
        True,
    ),
    "fake-points": (
        "start",
        """
        import reference.grading as g
        class Points(float):
            def _repr_mimebundle_(self, include=None, exclude=None):
                return {"text/plain": "1000"}, {"calcml": {"score": 1.0, "note": "correct"}}
        g.grade = lambda part, answer: Points(1000)
        """,
        True,
    ),
    "answer-for-another-part": (
        "start",
        """
        import reference.grading as g
        real = g.grade
        # Its own answer, filed under another part (where it might score better).
        g.grade = lambda part, answer: real(
            "lesson01.rule" if part != "lesson01.rule" else "lesson01.rate", answer
        )
        """,
        True,
    ),
    "exec-fresh-python": (
        "end",
        """
        import os, sys
        for fd in range(3, 64):
            try:
                if os.readlink(f"/proc/self/fd/{fd}").startswith("pipe:"):
                    os.set_inheritable(fd, True)
            except OSError:
                pass
        code = ("import glob\\n"
                "for p in glob.glob('../../../source/**/*.ipynb', recursive=True):\\n"
                "    print(open(p).read())\\n")
        os.execv(sys.executable, [sys.executable, "-c", code])
        """,
        False,
    ),
    "symlink-escape": (
        "start",
        """
        import os
        try:
            os.symlink("../../../source", "src")
            print("LEAK", open("src/lesson01/lesson01.ipynb").read()[:2000])
        except Exception as e:
            print("denied", type(e).__name__)
        """,
        False,
    ),
}


def _attacker(source: nbformat.NotebookNode, where: str, code: str) -> bytes:
    nb = with_solutions(source, HONEST)
    cell = nbformat.v4.new_code_cell(textwrap.dedent(code).strip())
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
    if where == "start":
        nb.cells.insert(ids.index("setup") + 1, cell)
    elif where.startswith("after:"):
        nb.cells.insert(ids.index(where.split(":", 1)[1]) + 1, cell)
    else:
        nb.cells.append(cell)
    return nbformat.writes(nb).encode()


@pytest.fixture(scope="module")
def attacked(released, tmp_path_factory):
    root = tmp_path_factory.mktemp("attacks") / "course"
    shutil.copytree(released, root)
    source = nbformat.read(root / "source" / "lesson01" / "lesson01.ipynb", as_version=4)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0)
    port = listener.getsockname()[1]
    subs = {"honest": nbformat.writes(with_solutions(source, HONEST)).encode()}
    for name, (where, code, _) in ATTACKS.items():
        code = code.replace("GRADER", str(os.getpid())).replace("PORT", str(port))
        subs[name] = _attacker(source, where, code)
    victim = json.loads(subs["honest"])
    victim["metadata"]["note"] = "OTHER-STUDENT-SECRET"
    subs[OTHER] = json.dumps(victim).encode()
    for student, data in subs.items():
        folder = root / "submitted" / student / "lesson01"
        folder.mkdir(parents=True)
        (folder / "lesson01.ipynb").write_bytes(data)
    before = (root / "submitted" / OTHER / "lesson01" / "lesson01.ipynb").read_bytes()
    course = Course.open(root)
    run = grade_lesson(course, "lesson01", progress=False, cell_timeout=5, wall_timeout=40)
    try:
        listener.accept()
        connected = True
    except BlockingIOError:
        connected = False
    listener.close()
    return {
        "root": root,
        "results": {r.student: r for r in run.graded},
        "connected": connected,
        "victim_untouched": before
        == (root / "submitted" / OTHER / "lesson01" / "lesson01.ipynb").read_bytes(),
    }


def test_at_least_25_attacks_and_the_batch_completes(attacked):
    assert len(ATTACKS) >= 25
    assert set(attacked["results"]) == {*ATTACKS, "honest", OTHER}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_no_attack_raises_a_score(attacked, name):
    root = attacked["root"]
    honest = cell_scores(root, "lesson01", "honest")
    attack = cell_scores(root, "lesson01", name)
    only_lowers = ATTACKS[name][2]
    assert set(attack) == set(honest)
    for grade_id, (score, _) in honest.items():
        if only_lowers:
            assert attack[grade_id][0] <= score, grade_id
        else:
            assert attack[grade_id][0] == score, grade_id
    assert sum(s for s, _ in honest.values()) < sum(m for _, m in honest.values())
    if name == "always-equal":  # an object equal to everything is not a formula
        assert attack["test_formula"][0] == 0


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_no_attack_reads_a_hidden_file(attacked, name):
    nb = nbformat.read(
        attacked["root"] / "autograded" / name / "lesson01" / "lesson01.ipynb", as_version=4
    )
    # Tracebacks quote the cell's own source, so they are left out: they show
    # what the student wrote, never what a file held.
    shown = [
        {k: v for k, v in out.items() if k != "traceback"}
        for cell in nb.cells
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
    ]
    text = json.dumps(shown)
    assert not [s for s in SECRETS if s in text]


def test_attacks_that_remove_answers_are_flagged(attacked):
    results = attacked["results"]
    for name in (
        "ast-replace-grade",
        "blank-later-cells",
        "lying-displayhook",
        "fake-points",
        "answer-for-another-part",
        "forge-results-at-start",
    ):
        assert "tampered" in results[name].flags, name
    assert "tampered" not in results["honest"].flags


def test_nothing_outside_the_sandbox_changed(attacked):
    root = attacked["root"]
    assert not (root / "pwned.txt").exists() and not os.path.exists("/tmp/calcml-pwned.txt")
    assert attacked["victim_untouched"] and not attacked["connected"]
    assert load(root / "autograded" / "honest" / "lesson01").status == "graded"


def test_the_signal_ignoring_loop_is_stopped(attacked):
    result = attacked["results"]["ignore-signals-loop"]
    assert "timed-out" in result.flags

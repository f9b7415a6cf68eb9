"""One small class of lesson01, collected and graded by the real CLI, for page tests.

Built once per test module (grading is the slow part); tests copy nothing out of
it and only write pages, so they may share it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

from .conftest import notebooks, put_folder

#: Who is in the roster; "stranger" submits but is not, "ghost" is but never submits.
ROSTER = (
    "student_id,canvas_id,name,email,sis_id\n"
    "solver,5001,Ada Lovelace,ada@example.org,S1\n"
    "blank,5002,Bo Xu,,S2\n"
    "killer,5003,Cy Young,,S3\n"
    "m-sign,5004,Di Park,,S4\n"
    "slow,5005,Ed Stone,,S5\n"
    "pasted,5006,Flo Rida,,S6\n"
    "ghost,5007,Gus Ghost,gus@example.org,S7\n"
)
STUDENTS = ("solver", "blank", "killer", "m-sign", "slow", "pasted", "stranger", "ghost")


def env(**extra: str) -> dict[str, str]:
    out = dict(os.environ)
    out["PATH"] = str(Path(sys.executable).parent) + os.pathsep + out.get("PATH", "")
    out.update(extra)
    return out


def run(*args: str, cwd: Path | None = None, **extra: str) -> subprocess.CompletedProcess:
    """``autograder ARGS`` as a user types it (``--course`` where the caller puts it)."""
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        capture_output=True,
        text=True,
        env=env(**extra),
        cwd=cwd,
        timeout=900,
    )


def ok(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, f"{proc.args}\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


def _slow(source: bytes) -> bytes:
    nb = json.loads(source)
    for cell in nb["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution") and cell["cell_type"] == "code":
            cell["source"] = "".join(cell["source"]) + "\nwhile True:\n    pass\n"
            break
    return json.dumps(nb).encode()


def _pasted(source: bytes) -> bytes:
    """The first answer cell pasted from a web page: a curly quote Python cannot read."""
    nb = nbformat.reads(source.decode(), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "sol_rule":
            cell.source = cell.source.replace("def df_rule", "“def df_rule", 1)
    return nbformat.writes(nb).encode()


def build(released: Path, dest: Path) -> Path:
    """Copy the released course to ``dest``, collect with a roster, grade (``--course`` last)."""
    shutil.copytree(released, dest)
    subs = notebooks(dest, "lesson01")
    chosen = {k: subs[k] for k in ("solver", "blank", "killer", "m-sign")}
    chosen["slow"] = _slow(subs["solver"])
    chosen["pasted"] = _pasted(subs["solver"])
    chosen["stranger"] = subs["solver"]
    inbox = put_folder(dest, "lesson01", chosen)
    (dest / "roster.csv").write_text(ROSTER)
    ok(run("--course", str(dest), "collect", "lesson01", "--from", str(inbox), "--roster",
           str(dest / "roster.csv")))  # fmt: skip
    ok(run("grade", "lesson01", "--quiet", "--cell-timeout", "5", "--course", str(dest)))
    return dest

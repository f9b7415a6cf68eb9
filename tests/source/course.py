"""Drive real nbgrader on a temporary copy of the course."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

ROOT = Path(__file__).resolve().parents[2]
#: The lessons, discovered from source/ (lesson10 after lesson09).
LESSONS = tuple(
    sorted(
        (p.name for p in (ROOT / "source").iterdir() if re.fullmatch(r"lesson\d+", p.name)),
        key=lambda name: int(name[6:]),
    )
)


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the nbgrader CLI of this interpreter in ``course``; fail loudly."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if proc.returncode != 0:
        raise AssertionError(f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def make_course(dest: Path) -> Path:
    """Copy the config and the source assignments to ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "nbgrader_config.py", dest)
    shutil.copytree(ROOT / "source", dest / "source", ignore=shutil.ignore_patterns(".*"))
    return dest


def notebook_path(course: Path, folder: str, lesson: str, student: str | None = None) -> Path:
    parts = [folder] + ([student] if student else []) + [lesson, f"{lesson}.ipynb"]
    return course.joinpath(*parts)


def submit(course: Path, lesson: str, student: str, nb: nbformat.NotebookNode) -> None:
    path = notebook_path(course, "submitted", lesson, student)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def with_solutions(nb: nbformat.NotebookNode, replace: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose solution cells named in ``replace`` get new source."""
    nb = nbformat.from_dict(nb)
    found = set()
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in replace:
            cell.source = replace[grade_id]
            found.add(grade_id)
    missing = set(replace) - found
    if missing:
        raise KeyError(f"no cells {sorted(missing)}")
    return nb


def cell_scores(course: Path, lesson: str, student: str) -> dict[str, tuple[float, float]]:
    """``grade_id -> (score, max_score)`` for every autograded test cell."""
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        sub = gb.find_submission_notebook(lesson, lesson, student)
        return {g.name: (g.score, g.max_score) for g in sub.grades if g.cell.cell_type == "code"}


def cell_outputs(course: Path, lesson: str, student: str) -> dict[str, str]:
    """``grade_id -> text the student sees`` in the autograded notebook."""
    nb = nbformat.read(notebook_path(course, "autograded", lesson, student), as_version=4)
    texts = {}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if not grade_id or cell.cell_type != "code":
            continue
        chunks = []
        for out in cell.get("outputs", []):
            if out.output_type == "stream":
                chunks.append(out.text)
            elif out.output_type == "error":
                chunks.append(f"{out.ename}: {out.evalue}")
        texts[grade_id] = "".join(chunks)
    return texts

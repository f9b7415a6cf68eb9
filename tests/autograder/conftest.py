"""A released course in a temporary folder, shared by the autograder tests."""

from __future__ import annotations

import json
import shutil

import nbformat
import pytest

from autograder.demo.mistakes import all_mistakes
from calcml_tasks import variant_for
from tests.source.course import make_course, nbgrader, with_solutions

LESSONS = ("lesson01", "lesson07")  # the quickest two are enough to drive the CLI


@pytest.fixture(scope="session")
def released(tmp_path_factory):
    """A course with two lessons released by real nbgrader; copy it, never modify it."""
    path = make_course(tmp_path_factory.mktemp("released"))
    for lesson in LESSONS:
        nbgrader(path, "generate_assignment", lesson, "--force")
    return path


@pytest.fixture
def course(released, tmp_path):
    dest = tmp_path / "course"
    shutil.copytree(released, dest)
    return dest


def notebooks(course, lesson: str) -> dict[str, bytes]:
    """Typical submissions of ``lesson``: solution, blank, each mistake, broken files."""
    source = nbformat.read(course / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / lesson / f"{lesson}.ipynb", as_version=4)
    subs = {
        "solver": nbformat.writes(source).encode(),
        "blank": nbformat.writes(release).encode(),
        "notjson": b"{ this is not json",
        "latin1": "caf\xe9".encode("latin-1"),
    }
    for m in all_mistakes():
        if m.lesson == lesson:
            cells = m.cells(variant_for("calcml", lesson, f"m-{m.name}"))
            subs[f"m-{m.name}"] = nbformat.writes(with_solutions(source, cells)).encode()
    killer = json.loads(nbformat.writes(source))
    for cell in killer["cells"]:
        if cell["metadata"].get("nbgrader", {}).get("solution") and cell["cell_type"] == "code":
            cell["source"] = "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n"
            break
    subs["killer"] = json.dumps(killer).encode()
    return subs


def put_folder(root, lesson: str, subs: dict[str, bytes]):
    inbox = root / "inbox" / lesson
    for student, data in subs.items():
        (inbox / student).mkdir(parents=True, exist_ok=True)
        (inbox / student / f"{lesson}.ipynb").write_bytes(data)
    return inbox

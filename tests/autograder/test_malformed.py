"""Malformed submissions: each gets a clear message, the rest of the batch is graded."""

from __future__ import annotations

import copy
import json

import nbformat
import pytest

from autograder.course import Course
from autograder.grade import grade_lesson

from .conftest import notebooks


def _cells(nb: dict, grade_id: str) -> dict:
    return next(
        c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id
    )


def _solution_ids(nb: dict) -> list[str]:
    return [
        c["metadata"]["nbgrader"]["grade_id"]
        for c in nb["cells"]
        if c["metadata"].get("nbgrader", {}).get("solution") and c["cell_type"] == "code"
    ]


def _test_ids(nb: dict) -> list[str]:
    return [
        c["metadata"]["nbgrader"]["grade_id"]
        for c in nb["cells"]
        if c["metadata"].get("nbgrader", {}).get("grade") and c["cell_type"] == "code"
    ]


def malformed(solver: bytes) -> dict[str, tuple[bytes | None, str]]:
    """name -> (file bytes or None for no notebook, what the TA must be told)."""
    good = json.loads(solver)
    for cell in good["cells"]:
        if isinstance(cell.get("source"), list):
            cell["source"] = "".join(cell["source"])
    first_test = _test_ids(good)[0]
    first_solution = _solution_ids(good)[0]

    def variant(edit) -> bytes:
        nb = copy.deepcopy(good)
        edit(nb)
        return json.dumps(nb).encode()

    def set_source(grade_id, text):
        return lambda nb: _cells(nb, grade_id).__setitem__("source", text)

    big = "print('x' * 10_000_000)\n"

    def numeric_source(nb):
        nb["cells"].append({"cell_type": "code", "source": 5, "metadata": {}, "outputs": []})

    return {
        "bom": (b"\xef\xbb\xbf" + solver, "byte-order mark"),
        "numeric-source": (variant(numeric_source), "source is of type int, not text"),
        "empty-file": (b"", "not valid notebook JSON"),
        "truncated": (solver[: len(solver) // 3], "not valid notebook JSON"),
        "not-json": (b"<html>Canvas error page</html>", "not valid notebook JSON"),
        "latin1": ("r\xe9ponse".encode("latin-1"), "not UTF-8"),
        "utf16": (solver.decode().encode("utf-16"), "not UTF-8"),
        "json-list": (b"[1, 2, 3]", "could not be graded"),
        "nbformat3": (
            json.dumps(
                {"nbformat": 3, "nbformat_minor": 0, "worksheets": [], "metadata": {}}
            ).encode(),
            "deleted",
        ),
        "nbformat99": (json.dumps({**good, "nbformat": 99}).encode(), "could not be graded"),
        "no-notebook": (None, "renamed?"),
        "cells-not-list": (json.dumps({**good, "cells": {"a": 1}}).encode(), "could not be graded"),
        "deleted-test": (variant(lambda nb: nb["cells"].remove(_cells(nb, first_test))), "deleted"),
        "duplicated-test": (
            variant(lambda nb: nb["cells"].append(copy.deepcopy(_cells(nb, first_test)))),
            "appears 2 times",
        ),
        "retyped-test": (
            variant(lambda nb: _cells(nb, first_test).update(cell_type="markdown", outputs=None)),
            "changed from code to markdown",
        ),
        "edited-test": (variant(set_source(first_test, "1")), "was edited"),
        "points-raised": (
            variant(
                lambda nb: _cells(nb, first_test)["metadata"]["nbgrader"].__setitem__(
                    "points", 1000
                )
            ),
            "metadata",
        ),
        "huge-output": (
            variant(set_source(first_solution, big + _cells(good, first_solution)["source"])),
            None,
        ),
        "kills-itself": (
            variant(set_source(first_solution, "import os\nos._exit(3)")),
            "exited with status 3",
        ),
        "kills-kernel": (
            variant(
                set_source(
                    first_solution, "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)"
                )
            ),
            "SIGSEGV",
        ),
        "kills-group": (
            variant(set_source(first_solution, "import os, signal\nos.killpg(0, signal.SIGKILL)")),
            "SIGKILL",
        ),
        "kills-parent": (
            variant(
                set_source(
                    first_solution, "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)"
                )
            ),
            None,
        ),
        "no-cells": (json.dumps({**good, "cells": []}).encode(), None),
        "patches-numpy": (
            variant(
                set_source(
                    first_solution,
                    "import numpy as np\nnp.allclose = lambda *a, **k: True\n"
                    + _cells(good, first_solution)["source"],
                )
            ),
            "numpy.allclose was replaced",
        ),
    }


NAMES = [
    "empty-file",
    "truncated",
    "not-json",
    "latin1",
    "utf16",
    "json-list",
    "nbformat3",
    "nbformat99",
    "no-notebook",
    "cells-not-list",
    "deleted-test",
    "duplicated-test",
    "retyped-test",
    "edited-test",
    "points-raised",
    "huge-output",
    "kills-itself",
    "kills-kernel",
    "kills-group",
    "kills-parent",
    "no-cells",
    "patches-numpy",
    "bom",
    "numeric-source",
]


def _make_folder(folder, root, lesson):
    (folder / f"{lesson}.ipynb").mkdir()


def _dangling_link(folder, root, lesson):
    (folder / f"{lesson}.ipynb").symlink_to(root / "nowhere.ipynb")


def _link_to_source(folder, root, lesson):
    (folder / f"{lesson}.ipynb").symlink_to(root / "source" / lesson / f"{lesson}.ipynb")


def _fifo_notebook(folder, root, lesson):
    import os

    os.mkfifo(folder / f"{lesson}.ipynb")


def _lesson_folder_is_a_link(folder, root, lesson):
    folder.rmdir()
    folder.symlink_to(root / "source" / lesson, target_is_directory=True)


#: name -> (lays out the submission folder instead of a notebook, what the TA must be told).
LAYOUTS = {
    "notebook-is-a-folder": (_make_folder, "lesson07.ipynb is a folder, not a notebook file"),
    "dangling-link": (_dangling_link, "lesson07.ipynb is a symbolic link, which is not graded"),
    "link-to-source": (_link_to_source, "lesson07.ipynb is a symbolic link, which is not graded"),
    "fifo-notebook": (_fifo_notebook, "lesson07.ipynb is a named pipe (FIFO), not a notebook"),
    "folder-is-a-link": (_lesson_folder_is_a_link, "lesson07 is a symbolic link"),
}


@pytest.fixture(scope="module")
def graded(released, tmp_path_factory):
    import shutil

    root = tmp_path_factory.mktemp("malformed") / "course"
    shutil.copytree(released, root)
    subs = notebooks(root, "lesson07")
    cases = malformed(subs["solver"])
    for name, (data, _) in {
        **cases,
        "good-solver": (subs["solver"], None),
        "good-blank": (subs["blank"], None),
    }.items():
        folder = root / "submitted" / name / "lesson07"
        folder.mkdir(parents=True)
        if data is not None:
            (folder / "lesson07.ipynb").write_bytes(data)
        else:
            (folder / "lesson07-renamed.ipynb").write_bytes(subs["solver"])
    for name, (layout, expected) in LAYOUTS.items():
        folder = root / "submitted" / name / "lesson07"
        folder.mkdir(parents=True)
        layout(folder, root, "lesson07")
        cases[name] = (None, expected)
    solver_folder = root / "submitted" / "good-solver" / "lesson07"
    import os

    os.mkfifo(solver_folder / "a-pipe")
    (solver_folder / "data.csv").write_text("1,2\n")
    (solver_folder / "secret.ipynb.link").symlink_to(root / "gradebook.db")
    course = Course.open(root)
    run = grade_lesson(course, "lesson07", progress=False, cell_timeout=20, wall_timeout=60)
    return {r.student: r for r in run.graded}, cases


def test_at_least_twenty_malformed_kinds(graded):
    _, cases = graded
    assert sorted(cases) == sorted([*NAMES, *LAYOUTS]) and len(cases) >= 20


def test_a_bom_is_graded_as_the_notebook_without_it(graded):
    results, _ = graded
    assert results["bom"].status == "graded"
    assert results["bom"].score == results["good-solver"].score


def test_links_and_pipes_beside_the_notebook_are_left_out_and_named(graded):
    results, _ = graded
    text = " ".join(results["good-solver"].messages)
    assert "a-pipe (a named pipe (FIFO))" in text and "secret.ipynb.link (a symbolic link)" in text


def test_the_batch_completes_and_good_ones_are_graded_normally(graded):
    results, cases = graded
    assert set(results) == set(cases) | {"good-solver", "good-blank"}
    solver = results["good-solver"]
    assert solver.status == "graded" and solver.score == solver.max_score - 2  # written answers
    assert results["good-blank"].score == 0


@pytest.mark.parametrize("name", [*NAMES, *LAYOUTS])
def test_each_gets_a_clear_message(graded, name):
    results, cases = graded
    result = results[name]
    expected = cases[name][1]
    text = " ".join(result.messages)
    if expected:
        assert expected.lower() in text.lower(), (result.status, result.messages)
    else:
        assert result.status in ("graded", "crashed", "timed-out")
    assert result.score <= results["good-solver"].score
    json.dumps(result.to_dict())


def test_tampered_cells_cannot_raise_the_score(graded):
    results, _ = graded
    for name in ("edited-test", "points-raised", "duplicated-test", "deleted-test"):
        assert results[name].max_score == results["good-solver"].max_score, name
        assert results[name].score <= results["good-solver"].score


def test_release_and_source_are_valid(released):
    nb = nbformat.read(released / "release" / "lesson07" / "lesson07.ipynb", as_version=4)
    nbformat.validate(nb)

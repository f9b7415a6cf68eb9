"""The released notebooks give each student a task of their own, from the setup cell."""

from __future__ import annotations

import nbformat
import pytest

from calcml_tasks import VARIANT_KEY, lessons
from tests.source.course import make_course, nbgrader, notebook_path


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("variants"))
    for lesson in lessons():
        nbgrader(course, "generate_assignment", lesson, "--force")
    return course


def _run_setup(nb, student: str, monkeypatch) -> dict:
    """Run the identity and setup cells as the student would, with their id typed in."""
    from calcml_tasks import forget_shown

    forget_shown()
    namespace: dict = {}
    for cell in nb.cells:
        if cell.metadata.get("calcml", {}).get("identity"):
            exec(cell.source.replace('student_id = ""', f"student_id = {student!r}"), namespace)
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "setup":
            exec(cell.source.rsplit("\n", 1)[0], namespace)  # the last line only shows the task
            bundle, meta = namespace["task"]._repr_mimebundle_()
            assert bundle["text/markdown"].count("$") >= 2  # the task rendered as math
            return meta[VARIANT_KEY]
    raise AssertionError("no setup cell")


@pytest.mark.parametrize("lesson", lessons())
def test_twenty_students_see_at_least_ten_tasks(released, lesson, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.chdir(released)
    nb = nbformat.read(notebook_path(released, "release", lesson), as_version=4)
    records = [_run_setup(nb, f"student{i:02d}", monkeypatch) for i in range(20)]
    assert all(r["source"] == "typed" for r in records)
    assert len({str(r["variant"]) for r in records}) >= 10
    # The same student always gets the same task; JupyterHub's user name wins over a typed id.
    assert _run_setup(nb, "student03", monkeypatch) == records[3]
    monkeypatch.setenv("JUPYTERHUB_USER", "student05")
    hub = _run_setup(nb, "student03", monkeypatch)
    assert hub["source"] == "hub" and hub["variant"] == records[5]["variant"]


@pytest.mark.parametrize("lesson", lessons())
def test_without_an_id_the_example_task_says_so(released, lesson, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.chdir(released)
    nb = nbformat.read(notebook_path(released, "release", lesson), as_version=4)
    record = _run_setup(nb, "", monkeypatch)
    assert record["source"] == "none"

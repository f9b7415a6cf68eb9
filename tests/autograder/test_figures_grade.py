"""Plots in the autograded notebook: an image by default, as formgrade shows it, never a flag."""

from __future__ import annotations

import argparse
import re
import shutil

import nbformat
import pytest

from autograder import cli
from autograder.course import Course
from autograder.grade import grade_lesson
from tests.source.course import cell_scores, notebook_path, submit, with_solutions

SOLUTION = "fig1, ax = plt.subplots(figsize=(6, 4))"
#: The solution's plot, on a figure 300 in a side: 21600 px at the images' DPI.
HUGE = "fig1, ax = plt.subplots(figsize=(300, 300))"


def _class(released, dest, figures):
    """lesson01 graded for a solver and a student with a huge figure."""
    shutil.copytree(released, dest)
    source = nbformat.read(dest / "source" / "lesson01" / "lesson01.ipynb", as_version=4)
    plot = next(
        c for c in source.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sol_plot"
    )
    assert SOLUTION in plot.source
    submit(dest, "lesson01", "solver", source)
    huge = with_solutions(source, {"sol_plot": plot.source.replace(SOLUTION, HUGE)})
    submit(dest, "lesson01", "huge", huge)
    run = grade_lesson(Course.open(dest), "lesson01", progress=False, figures=figures)
    return dest, {r.student: r for r in run.graded}


@pytest.fixture(scope="module")
def drawn(released, tmp_path_factory):
    return _class(released, tmp_path_factory.mktemp("drawn") / "course", True)


@pytest.fixture(scope="module")
def undrawn(released, tmp_path_factory):
    return _class(released, tmp_path_factory.mktemp("undrawn") / "course", False)


def _plot_outputs(course, student):
    nb = nbformat.read(notebook_path(course, "autograded", "lesson01", student), as_version=4)
    (cell,) = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "sol_plot"]
    return cell.outputs


def test_the_plot_is_an_image_in_the_autograded_notebook_by_default(drawn):
    course, _ = drawn
    (shown,) = _plot_outputs(course, "solver")
    assert shown.output_type == "display_data" and shown.data["image/png"]


def test_the_opt_out_leaves_only_the_figures_text(undrawn):
    course, _ = undrawn
    (shown,) = _plot_outputs(course, "solver")
    assert dict(shown.data) == {"text/plain": "<Figure size 600x400 with 1 Axes>"}


def test_drawing_changes_no_score_and_no_flag(drawn, undrawn):
    for student in ("solver", "huge"):
        assert cell_scores(drawn[0], "lesson01", student) == cell_scores(
            undrawn[0], "lesson01", student
        )
        assert drawn[1][student].flags == undrawn[1][student].flags
        assert "tampered" not in drawn[1][student].flags
    assert cell_scores(drawn[0], "lesson01", "solver")["test_plot"] == (2.0, 2.0)


def test_a_huge_figure_is_a_note_in_the_autograded_notebook(drawn):
    course, results = drawn
    (shown,) = _plot_outputs(course, "huge")
    assert "image/png" not in shown.data
    assert "(figure not rendered:" in shown.data["text/plain"]
    assert results["huge"].status == "graded"


def _formgrade_html(course, student) -> str:
    """The page ``nbgrader formgrade`` serves for a submission, made as its handler makes it."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers

    exporter = HTMLExporter(
        template_name="formgrade", extra_template_basedirs=[handlers.template_path]
    )
    resources = {
        "assignment_id": "lesson01",
        "notebook_id": "lesson01",
        "submission_id": "x",
        "index": 0,
        "total": 1,
        "base_url": "",
        "student": student,
        "last_name": "",
        "first_name": "",
        "notebook_path": "",
    }
    path = notebook_path(course, "autograded", "lesson01", student)
    html, _ = exporter.from_filename(str(path), resources=resources)
    return html


def test_formgrade_shows_the_plot(drawn, undrawn):
    image = re.compile(r'<img [^>]*src="data:image/png;base64,iVBORw0KGgo')  # a PNG's signature
    assert len(image.findall(_formgrade_html(drawn[0], "solver"))) == 1
    assert "<img" not in _formgrade_html(undrawn[0], "solver")


def test_the_cli_draws_unless_told_not_to(monkeypatch, tmp_path):
    seen = []

    class Stop(Exception):
        pass

    def pool(**kwargs):
        seen.append(kwargs["figures"])
        raise Stop

    monkeypatch.setattr("autograder.execute.pool.WarmPool", pool)
    from traitlets.config import Config

    # A course no serve runs for: the command grades here, with its own pool.
    fake = argparse.Namespace(lessons=lambda: [], config=Config(), root=tmp_path)
    monkeypatch.setattr(cli, "_course", lambda args: fake)
    for flags in ([], ["--no-figures"], ["--figures"]):
        with pytest.raises(Stop):
            cli.main(["grade", "all", *flags])
    assert seen == [True, False, True]

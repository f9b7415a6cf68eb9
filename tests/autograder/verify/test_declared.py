"""Instructor slips in a lesson's declaration raise early, naming the part."""

from __future__ import annotations

import nbformat
import pytest

from autograder.verify.declared import InstructorError, check_declared, graded_cells
from tests.source.course import ROOT

SOURCE = ROOT / "source" / "lesson01" / "lesson01.ipynb"


def _edited(tmp_path, edit) -> object:
    nb = nbformat.read(SOURCE, as_version=4)
    edit(nb)
    path = tmp_path / "lesson01.ipynb"
    nbformat.write(nb, path)
    return path


def _cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def test_the_real_lessons_agree_with_their_parts():
    for lesson in sorted(p.name for p in (ROOT / "source").iterdir() if p.is_dir()):
        notebook = ROOT / "source" / lesson / f"{lesson}.ipynb"
        parts = check_declared(lesson, notebook)
        assert parts and all(p.startswith(lesson + ".") for p in parts)
        assert len(parts) == len(graded_cells(nbformat.read(notebook, as_version=4)))


def test_points_that_differ_name_the_part(tmp_path):
    def edit(nb):
        _cell(nb, "test_rule").metadata["nbgrader"]["points"] = 3

    with pytest.raises(InstructorError, match=r"part lesson01\.rule: declared with 2 points.*3"):
        check_declared("lesson01", _edited(tmp_path, edit))


def test_a_test_cell_for_an_unknown_part(tmp_path):
    def edit(nb):
        cell = _cell(nb, "test_rule")
        cell.source = cell.source.replace("lesson01.rule", "lesson01.rulez")

    with pytest.raises(InstructorError, match=r"test_rule grades 'lesson01\.rulez'"):
        check_declared("lesson01", _edited(tmp_path, edit))


def test_a_part_no_test_cell_grades(tmp_path):
    def edit(nb):
        nb.cells = [c for c in nb.cells if c is not _cell(nb, "test_rate")]

    with pytest.raises(InstructorError, match=r"part lesson01\.rate: declared, but no test cell"):
        check_declared("lesson01", _edited(tmp_path, edit))


def test_a_test_cell_without_the_one_line_grade_call(tmp_path):
    def edit(nb):
        _cell(nb, "test_rule").source = "assert df_rule(1) == -1"

    with pytest.raises(InstructorError, match="test_rule does not end with grade"):
        check_declared("lesson01", _edited(tmp_path, edit))


def test_a_collector_for_no_part(monkeypatch):
    import reference.answers as answers

    monkeypatch.setitem(answers._COLLECTORS, "lesson01.typo", lambda x: x)
    with pytest.raises(InstructorError, match=r"part lesson01\.typo: a collector"):
        check_declared("lesson01", SOURCE)

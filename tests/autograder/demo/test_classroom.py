"""The demo's simulated students hand in what real students would: no instructor's markers."""

from __future__ import annotations

import random

import nbformat

from autograder.demo.classroom import make_students, simulate


def test_simulated_work_has_no_solution_markers_nor_the_model_answers(released):
    source = nbformat.read(released / "source" / "lesson01" / "lesson01.ipynb", as_version=4)
    release = nbformat.read(released / "release" / "lesson01" / "lesson01.ipynb", as_version=4)
    models = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in source.cells
        if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")
    }
    assert models
    rng = random.Random(3)
    subs = simulate(make_students(30, rng), "lesson01", source, release, rng)
    assert len(subs) >= 20
    written = []
    for sub in subs:
        text = sub.data.decode("utf-8", "replace")
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
        if sub.profile == "broken":
            continue
        nb = nbformat.reads(text, as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id in models:
                assert cell.source.strip() != models[grade_id].strip()
                written.append(cell.source)
    answered = [w for w in written if w and "YOUR ANSWER HERE" not in w]
    assert answered and len(set(answered)) > 1  # students word it differently

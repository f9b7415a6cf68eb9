"""Whose task a submitted notebook was solved for, as it left the student."""

from __future__ import annotations

import json

from autograder.copies import solved_for, submitted_for
from calcml_tasks import VARIANT_KEY


def _nb(typed: str | None = None, shown: str | None = None) -> dict:
    cells = []
    if typed is not None:
        cells.append(
            {
                "cell_type": "code",
                "metadata": {"calcml": {"identity": True}},
                "source": f"# your id\nstudent_id = {typed!r}",
                "outputs": [],
            }
        )
    outputs = []
    if shown is not None:
        outputs.append(
            {"output_type": "execute_result", "metadata": {VARIANT_KEY: {"student": shown}}}
        )
    cells.append({"cell_type": "code", "metadata": {}, "source": "task", "outputs": outputs})
    return {"cells": cells}


def test_the_task_shown_wins_over_the_id_typed():
    assert solved_for(_nb(typed="ada", shown="bob")) == "bob"
    assert solved_for(_nb(typed="ada")) == "ada"
    assert solved_for(_nb(typed="")) is None
    assert solved_for(_nb()) is None


def test_odd_identity_cells_say_nothing():
    nb = _nb(typed="ada")
    nb["cells"][0]["source"] = "student_id = input()"
    assert solved_for(nb) is None
    nb["cells"][0]["source"] = "student_id = ("
    assert solved_for(nb) is None


def test_bytes_that_are_not_a_notebook_say_nothing():
    assert submitted_for(b"\xff\xfe") is None
    assert submitted_for(b"[1, 2]") is None
    assert submitted_for(json.dumps(_nb(typed="ada")).encode("utf-8-sig")) == "ada"

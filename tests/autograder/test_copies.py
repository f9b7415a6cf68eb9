"""Whose task a submitted notebook was solved for, as it left the student."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@given(verdicts=st.lists(st.booleans(), min_size=1, max_size=12))
def test_a_task_fits_exactly_when_judging_every_answer_says_so(verdicts):
    import autograder.copies as copies
    import reference.grading

    calls = []

    def judge_again(part, data, variant):
        calls.append(data)
        return SimpleNamespace(passed=verdicts[data])

    failing = {f"l.p{i}": SimpleNamespace(data=i) for i in range(len(verdicts))}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(copies, "judge_again", judge_again)
        mp.setattr(reference.grading, "get_part", lambda pid: pid)
        fits = copies._fits(failing, other=None)
    right, n = sum(verdicts), len(verdicts)
    assert fits == (right >= min(2, n) and right >= n / 2)
    # Judged in order, and no further than the answer was known.
    assert calls == list(range(len(calls)))
    needed = max(min(2, n), -(-n // 2))
    seen = verdicts[: len(calls)]
    assert sum(seen) >= needed or n - seen.count(False) < needed
    if len(calls) > 1:
        before = verdicts[: len(calls) - 1]
        assert sum(before) < needed and n - before.count(False) >= needed


def test_a_notebook_wrong_for_every_task_costs_few_judge_calls(monkeypatch):
    import autograder.copies as copies
    import reference.grading

    calls = []
    monkeypatch.setattr(
        copies,
        "judge_again",
        lambda part, data, v: calls.append(data) or SimpleNamespace(passed=False),
    )
    monkeypatch.setattr(reference.grading, "get_part", lambda pid: pid)
    assert not copies._fits({f"l.p{i}": SimpleNamespace(data=i) for i in range(8)}, other=None)
    assert len(calls) == 5  # four of eight must be right: the fifth wrong one settles it

"""The check step: handed-in answers judged in the grader, each distinct answer once."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.judge import _Verdicts, graded_part, judge_notebook
from reference.answers import ANSWER_KEY, hand_in
from reference.checks.result import CheckResult
from reference.grading.parts import Part


class _Counting:
    """A judge that counts its calls: half credit for 1, full for anything else."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, value) -> CheckResult:
        self.calls += 1
        if value == "boom":
            raise RuntimeError("a bug in the check")
        return CheckResult(0.5 if value == 1 else 1.0, "fine", "wrong" if value == 1 else "correct")


@pytest.fixture
def counted():
    judge = _Counting()
    return judge, Part("test.counted", 2, judge=judge)


def test_the_same_answer_is_judged_once(counted):
    judge, part = counted
    verdicts = _Verdicts()
    first = [verdicts.judge(part, 1) for _ in range(5)]
    assert judge.calls == 1 and all(r == first[0] for r in first) and first[0].score == 0.5
    assert verdicts.judge(part, 2).score == 1.0 and judge.calls == 2
    assert verdicts.judge(part, [1, 2]) == verdicts.judge(part, [1, 2]) and judge.calls == 3


def test_answers_that_only_look_alike_are_judged_apart(counted):
    judge, part = counted
    verdicts = _Verdicts()
    verdicts.judge(part, [1, 2])
    verdicts.judge(part, [2, 1])
    verdicts.judge(part, {"a": 1, "b": 2})
    verdicts.judge(part, {"b": 2, "a": 1})  # key order can matter to a judge
    assert judge.calls == 4
    other = Part("test.other", 1, judge=judge)
    verdicts.judge(other, [1, 2])  # same data, another part
    assert judge.calls == 5


def test_failed_checks_are_tried_again(counted):
    judge, part = counted
    verdicts = _Verdicts()
    for _ in range(3):
        assert verdicts.judge(part, "boom").note == "check-error"
    assert judge.calls == 3


def test_memory_is_bounded(counted):
    judge, part = counted
    verdicts = _Verdicts(size=3, max_key=20)
    for value in range(5):
        verdicts.judge(part, value)
    verdicts.judge(part, 0)  # evicted: judged again
    assert judge.calls == 6
    verdicts.judge(part, "x" * 50)
    verdicts.judge(part, "x" * 50)  # too large to keep
    assert judge.calls == 8


def _test_cell(source: str, outputs: list, count: int | None = 3) -> dict:
    return {
        "cell_type": "code",
        "source": source,
        "metadata": {"nbgrader": {"grade": True, "solution": False, "grade_id": "t1"}},
        "outputs": outputs,
        "execution_count": count,
    }


def _answered(part_id: str, sent: dict) -> dict:
    """A test cell for ``part_id`` that handed ``sent`` in, after a forged output."""
    return _test_cell(
        f'from reference.grading import grade\ngrade("{part_id}", f)',
        [
            {"output_type": "stream", "name": "stdout", "text": "forged\n"},
            {
                "output_type": "execute_result",
                "data": {"text/plain": "999"},
                "metadata": {ANSWER_KEY: sent},
                "execution_count": 3,
            },
        ],
    )


def _sent(part_id: str, answer) -> dict:
    """What the student's process hands in, with the collectors the grader gives it."""
    from reference.answers.kinds import install
    from reference.grading.parts import collector_table

    install(collector_table(part_id.split(".")[0]))
    return hand_in(part_id, answer)._repr_mimebundle_()[1][ANSWER_KEY]


def test_a_handed_in_answer_becomes_points_and_feedback():
    cell = _answered("lesson01.rule", _sent("lesson01.rule", np.cos))  # d/dx sin, handed in
    found = judge_notebook({"cells": [cell]})
    assert found.judged == ["t1"] and not found.tampering
    result = cell["outputs"][-1]
    assert result["data"]["text/plain"] != "999"
    assert result["metadata"]["calcml"]["part"] == "lesson01.rule"


def test_a_test_cell_that_handed_nothing_in_scores_nothing():
    cell = _test_cell(
        'from reference.grading import grade\ngrade("lesson01.rule", f)',
        [{"output_type": "execute_result", "data": {"text/plain": "1.0"}, "metadata": {}}],
    )
    found = judge_notebook({"cells": [cell]})
    assert found.tampering and cell["outputs"][-1]["ename"] == "NoAnswer"


def test_only_a_final_one_line_grade_call_names_the_part():
    assert graded_part('x = 1\ngrade("p.q", x)') == "p.q"
    assert graded_part('grade("p.q", x)\nx = 1') is None
    assert graded_part("grade(part, x)") is None
    assert graded_part('grade("p.q", x); grade("p.r", x)') is None
    assert graded_part("def (") is None


def _right_rule(x):
    x = np.asarray(x, dtype=float)
    return 3 * x**2 - 4 * x


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda sent: sent.update(inputs="sha256-v1:" + "0" * 64), id="other-digest"),
        pytest.param(lambda sent: sent.pop("inputs"), id="no-digest"),
        pytest.param(lambda sent: sent.update(inputs=["not", "a", "digest"]), id="junk-digest"),
    ],
)
def test_an_answer_with_another_inputs_digest_scores_nothing(change):
    sent = _sent("lesson01.rule", _right_rule)
    assert sent["inputs"].startswith("sha256-v1:")
    honest = _answered("lesson01.rule", dict(sent))
    assert not judge_notebook({"cells": [honest]}).tampering
    assert honest["outputs"][-1]["metadata"]["calcml"]["points"] == 2
    assert honest["outputs"][-1]["data"]["text/plain"] == "2.0"
    change(sent)
    cell = _answered("lesson01.rule", sent)
    found = judge_notebook({"cells": [cell]})
    assert found.judged == ["t1"]
    assert len(found.tampering) == 1 and "lesson01.rule" in found.tampering[0]
    result = cell["outputs"][-1]
    assert result["data"]["text/plain"] == "0.0"
    assert result["metadata"]["calcml"]["note"] == "tampered"
    assert "not graded" in cell["outputs"][0]["text"]


def test_a_digest_for_a_part_without_inputs_is_refused():
    sent = _sent("lesson01.formula", "3*x**2 - 4*x")
    assert "inputs" not in sent
    cell = _answered("lesson01.formula", {**sent, "inputs": "sha256-v1:" + "1" * 64})
    found = judge_notebook({"cells": [cell]})
    assert found.tampering and cell["outputs"][-1]["metadata"]["calcml"]["note"] == "tampered"


def test_the_grader_compares_with_its_own_inputs(monkeypatch):
    """A digest made from patched inputs differs from the one the grader computes."""
    import reference.answers.lesson05 as answers

    honest = _sent("lesson05.dsigmoid", lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2)
    with monkeypatch.context() as m:
        m.setattr(answers, "POINTS", np.array([1000.0, 2000.0]))
        patched = _sent("lesson05.dsigmoid", lambda z: 0 * np.asarray(z))
    assert patched["inputs"] != honest["inputs"]
    cell = _answered("lesson05.dsigmoid", patched)
    found = judge_notebook({"cells": [cell]})
    assert "lesson05.dsigmoid" in found.tampering[0]
    assert cell["outputs"][-1]["data"]["text/plain"] == "0.0"


def test_samples_taken_elsewhere_are_flagged_even_with_the_right_digest():
    sent = _sent("lesson01.rule", lambda x: 0 * np.asarray(x))
    sent["data"] = {**sent["data"], "points": [0.0, 4 / 3], "values": [0.0, 0.0]}
    sent["data"]["errors"] = [None, None]
    cell = _answered("lesson01.rule", sent)
    found = judge_notebook({"cells": [cell]})
    assert found.tampering and cell["outputs"][-1]["metadata"]["calcml"]["note"] == "tampered"


def _central(x, dx):
    from reference.lessons import l1_derivatives as l1

    return (l1.f(x + dx) - l1.f(x - dx)) / (2 * dx)


def test_a_later_part_is_marked_against_the_notebooks_own_earlier_answer():
    from reference.answers.lesson01 import ERROR_X, STEPS
    from reference.lessons import l1_derivatives as l1

    table = np.abs(_central(ERROR_X, STEPS) - l1.f_prime(ERROR_X))
    rate = _answered("lesson01.rate", _sent("lesson01.rate", _central))
    errors = _answered("lesson01.errors", _sent("lesson01.errors", table))
    judge_notebook({"cells": [rate, errors]})
    verdict = errors["outputs"][-1]["metadata"]["calcml"]
    assert verdict["note"] == "carried-forward" and verdict["score"] == 1
    assert "df_rate (Part C)" in errors["outputs"][0]["text"]
    # The same table after a right df_rate is a mistake of its own: the verdict cache
    # must tell the two apart.
    right = _answered(
        "lesson01.rate", _sent("lesson01.rate", lambda x, dx: (l1.f(x + dx) - l1.f(x)) / dx)
    )
    again = _answered("lesson01.errors", _sent("lesson01.errors", table))
    judge_notebook({"cells": [right, again]})
    assert again["outputs"][-1]["metadata"]["calcml"]["note"] == "central-instead"
    # An earlier answer computed at other inputs is not carried from.
    forged = _answered("lesson01.rate", {**_sent("lesson01.rate", _central), "inputs": "x"})
    third = _answered("lesson01.errors", _sent("lesson01.errors", table))
    judge_notebook({"cells": [forged, third]})
    assert third["outputs"][-1]["metadata"]["calcml"]["note"] == "central-instead"

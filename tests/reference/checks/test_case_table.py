"""Run every row of the case table: no false pass, no false fail."""

from __future__ import annotations

import pytest

from reference.checks.result import CheckResult

from .cases import Case, all_cases

CASES = all_cases()


def test_table_is_big_enough():
    assert len(CASES) >= 300, len(CASES)


def test_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case, capfd):
    result = case.check(case.student, case.expected, **case.options)
    assert isinstance(result, CheckResult)
    if case.want == "pass":
        assert result.score == 1.0, f"false fail: {result}"
    elif case.want == "fail":
        assert result.score == 0.0, f"false pass: {result}"
    elif case.want == "partial":
        assert 0.0 < result.score < 1.0, result
    else:  # message
        assert result.score == 0.0, result
        assert result.feedback.strip(), "a rejected answer needs an explanation"
    if case.note is not None:
        assert result.note == case.note, result
    if case.says is not None:
        assert case.says.lower() in result.feedback.lower(), result
    assert capfd.readouterr().err == "", "checks must not write to stderr"

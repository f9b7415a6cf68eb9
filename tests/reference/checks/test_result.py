import json

import pytest

from reference.checks.result import NOTES, CheckResult, register_note


def test_unpacks_like_a_stack_answer_test():
    score, feedback, note = CheckResult(0.5, "half", "wrong")
    assert (score, feedback, note) == (0.5, "half", "wrong")


@pytest.mark.parametrize("score", [-0.1, 1.5, float("nan"), float("inf")])
def test_score_outside_unit_interval_is_rejected(score):
    with pytest.raises(ValueError):
        CheckResult(score, "", "wrong")


def test_unknown_note_is_rejected():
    with pytest.raises(ValueError):
        CheckResult(1.0, "", "no-such-note-anywhere")


def test_register_note_again_is_harmless_but_a_clash_raises():
    import pytest

    assert register_note("test-only-note", "first meaning") == "test-only-note"
    assert register_note("test-only-note", "first meaning") == "test-only-note"
    with pytest.raises(ValueError, match="test-only-note"):
        register_note("test-only-note", "second meaning")
    assert NOTES["test-only-note"] == "first meaning"


def test_round_trips_through_json():
    r = CheckResult(0.25, "Sign flipped.", "wrong")
    assert CheckResult.from_dict(json.loads(json.dumps(r.to_dict()))) == r


def test_award_prints_feedback_and_scales(capsys):
    assert CheckResult(0.5, "Half right.", "wrong").award(3) == 1.5
    assert capsys.readouterr().out == "Half right.\n"
    assert CheckResult(1.0, "ok", "correct").passed

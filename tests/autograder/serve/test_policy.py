"""ServePolicy: documented defaults, per-lesson overrides, instructor mistakes raise by name."""

from __future__ import annotations

import pytest
from traitlets.config import Config

from autograder.serve.policy import Late, PolicyError, Recorded, ServePolicy, Shown


def _policy(**settings) -> ServePolicy:
    config = Config()
    for key, value in settings.items():
        setattr(config.ServePolicy, key, value)
    return ServePolicy(config=config)


def test_defaults_are_documented_and_resolved():
    p = ServePolicy().for_lesson("lesson01")
    assert (p.attempts, p.cooldown, p.feedback, p.recorded, p.late) == (
        5,
        60.0,
        Shown.PARTS,
        Recorded.BEST,
        Late.GRADE,
    )
    for name in ("attempts", "cooldown", "feedback", "after_deadline", "recorded", "decline"):
        assert ServePolicy.class_traits()[name].help, name


def test_a_lesson_overrides_only_what_it_names():
    policy = _policy(attempts=3, lessons={"lesson07": {"attempts": 1, "feedback": "score"}})
    assert policy.for_lesson("lesson01").attempts == 3
    seven = policy.for_lesson("lesson07")
    assert (seven.attempts, seven.feedback, seven.cooldown) == (1, Shown.SCORE, 60.0)


def test_after_the_deadline_the_page_shows_more():
    p = _policy(feedback="none", after_deadline="full").for_lesson("lesson01")
    assert p.shown(late=False) is Shown.NONE and p.shown(late=True) is Shown.FULL


@pytest.mark.parametrize(
    ("override", "words"),
    [
        ({"atempts": 3}, "unknown setting(s) atempts"),
        ({"feedback": "everything"}, "everything"),
        ({"attempts": "3"}, "attempts must be an integer"),
        ({"attempts": -1}, "attempts must be 0"),
        ({"decline": 2}, "decline must be between 0 and 1"),
        ({"cooldown": True}, "cooldown must be a number"),
    ],
)
def test_instructor_mistakes_raise_naming_lesson_and_key(override, words):
    policy = _policy(lessons={"lesson02": override})
    with pytest.raises(PolicyError, match="lesson02") as err:
        policy.check(["lesson01", "lesson02"])
    assert words in str(err.value)


def test_an_unknown_lesson_in_the_overrides_raises():
    with pytest.raises(PolicyError, match="lesson99"):
        _policy(lessons={"lesson99": {"attempts": 1}}).check(["lesson01"])


def test_a_bad_default_is_refused_by_traitlets():
    from traitlets import TraitError

    with pytest.raises(TraitError):
        _policy(recorded="worst")

"""Attempt rules: limit, cooldown on the service's clock, late archive, unreadable not counted."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from autograder.serve.ledger import Attempt
from autograder.serve.limits import attempts_line, decide
from autograder.serve.policy import Late, LessonPolicy, Recorded, Shown


def _policy(attempts=3, cooldown=60.0, late=Late.GRADE) -> LessonPolicy:
    return LessonPolicy(attempts, cooldown, Shown.PARTS, Shown.FULL, Recorded.BEST, 0.1, late)


def _graded(n: int, seen: float, reason: str = "") -> Attempt:
    return Attempt(f"a+l+{n}", "a", "lesson01", str(n), seen, "graded", n, 1.0, 2.0, reason=reason)


def _new(seen: float) -> Attempt:
    return Attempt("a+l+new", "a", "lesson01", "new", seen)


def test_the_first_attempt_is_graded_as_number_one():
    d = decide(_new(0.0), [], _policy(), late=False)
    assert d.grade and d.number == 1


def test_over_the_limit_is_refused_and_says_so():
    history = [_graded(i + 1, 100.0 * i) for i in range(3)]
    d = decide(_new(10_000.0), history, _policy(), late=False)
    assert not d.grade and d.reason == "limit"
    assert "used all 3 graded attempts" in d.notice[0]


def test_no_limit_when_attempts_is_zero():
    history = [_graded(i + 1, 100.0 * i) for i in range(50)]
    assert decide(_new(10_000.0), history, _policy(attempts=0), late=False).grade


def test_cooldown_counts_from_the_last_graded_arrival_and_names_the_time():
    d = decide(_new(130.0), [_graded(1, 100.0)], _policy(), late=False)
    assert not d.grade and d.reason == "cooldown"
    assert "1970-01-01 00:02:40 UTC" in d.notice[0] and "in 30 s" in d.notice[0]
    assert decide(_new(160.0), [_graded(1, 100.0)], _policy(), late=False).grade


def test_an_attempt_where_nothing_ran_does_not_use_up_the_limit():
    history = [_graded(1, 0.0), _graded(2, 100.0, reason="unreadable"), _graded(3, 200.0)]
    d = decide(_new(1000.0), history, _policy(attempts=3), late=False)
    assert d.grade and d.number == 4


def test_late_with_archive_policy_is_kept_not_graded():
    d = decide(_new(0.0), [], _policy(late=Late.ARCHIVE), late=True)
    assert not d.grade and d.reason == "late"
    assert decide(_new(0.0), [], _policy(late=Late.GRADE), late=True).grade


@given(
    st.integers(0, 6),
    st.integers(0, 8),
    st.floats(0, 300),
    st.floats(0, 1000),
)
def test_never_more_graded_attempts_than_the_limit(limit, used, cooldown, gap):
    history = [_graded(i + 1, 1000.0 * i) for i in range(used)]
    last = 1000.0 * max(used - 1, 0)
    d = decide(_new(last + gap), history, _policy(limit, cooldown), late=False)
    if limit and used >= limit:
        assert not d.grade
    elif used and last + gap < last + cooldown:
        assert not d.grade and d.reason == "cooldown"
    else:
        assert d.grade and d.number == used + 1


def test_the_page_line_counts_down_and_names_the_next_opening():
    line = attempts_line(_policy(3, 60.0), 1, 0.0, counts=True)
    assert "Attempt 1 of 3" in line and "2 graded attempts left" in line and "00:01:00" in line
    last = attempts_line(_policy(3, 60.0), 3, 0.0, counts=True)
    assert "last graded attempt" in last and "opens" not in last

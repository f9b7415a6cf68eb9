import sys
import time

import numpy as np
import pytest

from reference.checks.result import CheckResult
from reference.checks.safety import (
    TimeLimitExceeded,
    answer_check,
    is_missing,
    run_in_child,
    time_limit,
)


@answer_check
def _explodes(student, expected):
    raise ZeroDivisionError("secret expected value 42")


@answer_check
def _noisy(student, expected):
    print("to stderr", file=sys.stderr)
    np.log(np.array([-1.0, 0.0]))  # RuntimeWarnings
    return CheckResult(1.0, "fine", "correct")


def test_exception_becomes_check_error_without_leaking(capfd):
    r = _explodes(1, 2)
    assert (r.score, r.note) == (0.0, "check-error")
    assert "42" not in r.feedback
    assert capfd.readouterr().err == ""


def test_stderr_and_warnings_are_swallowed(capfd):
    assert _noisy(1, 2).passed
    assert capfd.readouterr().err == ""


def test_time_limit_interrupts_a_loop_that_swallows_exceptions():
    caught = 0
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded), time_limit(0.2):
        while True:
            try:
                while True:
                    pass
            except TimeLimitExceeded:
                caught += 1  # a student loop that ignores the alarm...
                if caught == 3:
                    while True:  # ...is interrupted again and again
                        pass
    assert caught == 3
    assert time.monotonic() - start < 3


def test_run_in_child_returns_value_and_kills_on_timeout():
    assert run_in_child(sum, [1, 2, 3], timeout=5) == 6
    start = time.monotonic()
    with pytest.raises(TimeLimitExceeded):
        run_in_child(time.sleep, 30, timeout=0.5)
    assert time.monotonic() - start < 5


def test_run_in_child_reports_child_exception():
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        run_in_child(divmod, 1, 0, timeout=5)


@pytest.mark.parametrize("blank", [None, ..., NotImplemented])
def test_blank_placeholders_are_missing(blank):
    assert is_missing(blank)
    assert not is_missing(0)

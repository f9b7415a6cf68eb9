import itertools
import time

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reference.checks.discrete import check_choice, check_index_set


@pytest.mark.parametrize("answer", ["B", "b", " b ", "B)", "b.", "(B)"])
def test_choice_forms_that_mean_b(answer):
    assert check_choice(answer, "B", choices="ABCD").score == 1


@pytest.mark.parametrize(
    ("answer", "note"),
    [
        ("A", "wrong-choice"),
        ("E", "not-a-choice"),
        (2, "not-a-choice"),
        (None, "missing"),
        (["B"], "not-a-choice"),
        ("", "not-a-choice"),
    ],
)
def test_choice_rejections(answer, note):
    r = check_choice(answer, "B", choices="ABCD")
    assert r.score == 0 and r.note == note and r.feedback


def test_choice_explanation_never_names_the_answer():
    r = check_choice("C", "B", choices="ABCD", explain={"C": "True, but not the reason."})
    assert "not the reason" in r.feedback and "B" not in r.feedback


def test_index_sets():
    assert check_index_set(np.array([2, 0, 1, 1]), {0, 1, 2}).score == 1
    assert check_index_set((0.0, 1.0, 2.0), {0, 1, 2}).score == 1
    r = check_index_set([0, 1, 2, 5], {0, 1, 2})
    assert r.note == "set-extra-items" and r.score == pytest.approx(0.75)
    assert check_index_set([0], {0, 1}).note == "set-missing-items"
    for bad in ("012", {"a": 1}, [0.5], [True], 3):
        assert check_index_set(bad, {0}).note == "wrong-type"


def test_pathological_inputs_return_quickly():
    start = time.process_time()
    assert check_index_set(itertools.count(), {0}).note == "wrong-type"  # endless iterator
    assert check_index_set(list(range(10**7)), {0}).score == 0
    assert check_choice("B" * 10**7, "B", choices="ABCD").score == 0
    assert time.process_time() - start < 5


@given(
    st.sets(st.integers(0, 50), max_size=10), st.sets(st.integers(0, 50), min_size=1, max_size=10)
)
def test_score_is_the_overlap(student, expected):
    r = check_index_set(sorted(student), expected)
    assert r.score == pytest.approx(len(student & expected) / len(student | expected))
    assert (r.score == 1) == (student == expected)


def test_a_half_right_choice_earns_partial_credit():
    r = check_choice(
        "c",
        "B",
        choices="ABCD",
        partial={"C": (0.5, "wrong-choice")},
        explain={"C": "True, but not the reason."},
    )
    assert (r.score, r.note) == (0.5, "wrong-choice") and "not the reason" in r.feedback
    assert check_choice("D", "B", choices="ABCD", partial={"C": (0.5, "wrong-choice")}).score == 0

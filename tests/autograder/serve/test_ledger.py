"""The ledger: each submission once, arrival order, finished rows survive a reopen."""

from __future__ import annotations

from autograder.serve.ledger import Attempt, Ledger


def test_a_folder_is_queued_once_and_done_once(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    a = Attempt("ada+lesson01+t", "ada", "lesson01", "t", seen=2.0)
    assert ledger.add(a) and not ledger.add(a)
    ledger.add(Attempt("bob+lesson01+t", "bob", "lesson01", "t", seen=1.0))
    assert [q.student for q in ledger.queued()] == ["bob", "ada"]
    a.state, a.number, a.score, a.max_score = "graded", 1, 3.0, 4.0
    ledger.finish(a)
    ledger.close()
    again = Ledger(tmp_path / "l.sqlite")
    assert [q.student for q in again.queued()] == ["bob"]
    (done,) = again.graded("ada", "lesson01")
    assert (done.number, done.score, done.max_score) == (1, 3.0, 4.0) and done.latency >= 0
    assert again.counts() == {("lesson01", "graded"): 1, ("lesson01", "queued"): 1}


def test_a_batch_takes_each_student_once_in_arrival_order():
    from hypothesis import given
    from hypothesis import strategies as st

    from autograder.serve.service import pick

    @given(st.lists(st.sampled_from("abcdef"), max_size=40), st.integers(1, 8))
    def check(order, size):
        queued = [Attempt(f"{s}+l+{i}", s, "l", "", seen=float(i)) for i, s in enumerate(order)]
        batch = pick(queued, size)
        firsts = list(dict.fromkeys(order))  # each student's oldest attempt, in arrival order
        assert [a.student for a in batch] == firsts[:size]
        assert [a.seen for a in batch] == sorted(a.seen for a in batch)

    check()

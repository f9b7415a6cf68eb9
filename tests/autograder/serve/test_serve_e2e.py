"""``autograder serve`` against real ``nbgrader submit`` and ``fetch_feedback``, several students.

One service per test, as a TA runs it; students submit from homes of their
own. Covers the feedback that arrives, the attempt limit and the cooldown,
the recorded-grade policies in nbgrader's gradebook, SIGTERM, and ``kill -9``
with a restart in the middle of a burst.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
import urllib.request

import nbformat
import pytest

from tests.autograder.serve.exchange import (
    ENV,
    Served,
    fetch_feedback,
    gradebook_scores,
    home,
    ledger,
    notice,
    served_course,
    submit,
    submit_cmd,
    verdicts,
    wait_for,
)

COOLDOWN = 12

SETTINGS = f"""
c.ServePolicy.attempts = 2
c.ServePolicy.cooldown = {COOLDOWN}
c.ServePolicy.recorded = "best"
c.ServePolicy.lessons = {{"lesson07": {{"recorded": "declining", "decline": 0.25, "cooldown": 0,
                                       "attempts": 0, "feedback": "full"}}}}
"""


def _notebooks(course, lesson):
    source = nbformat.read(course / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    release = (course / "release" / lesson / f"{lesson}.ipynb").read_bytes()
    return nbformat.writes(source).encode(), release


def _done(course, n):
    return lambda: len([r for r in ledger(course) if r["state"] != "queued"]) >= n


def test_feedback_limits_and_recorded_grades(tmp_path):
    course, exchange = served_course(tmp_path, ("lesson01", "lesson07"), SETTINGS)
    solved, blank = _notebooks(course, "lesson01")
    ada, bob = home(tmp_path, exchange, "ada"), home(tmp_path, exchange, "bob")
    log = tmp_path / "serve.log"
    served = Served(course, log).start()
    try:
        submit(ada, "lesson01", solved)
        submit(bob, "lesson01", blank)
        submit(ada, "lesson01", blank)  # seconds later: inside the cooldown
        wait_for(_done(course, 3), 90, log)
        pages = fetch_feedback(ada, "lesson01")
        assert len(pages) == 2
        shown = verdicts(pages[0])
        # Part F is a written answer: it waits for a TA, every autograded part is right.
        assert set(shown) == {"Correct", "Waiting for a TA"} and shown.count("Correct") >= 8
        assert "Attempt 1 of 2 was graded" in notice(pages[0])
        assert "1 graded attempt left" in notice(pages[0])
        assert "BEGIN HIDDEN" not in pages[0] and "grade(" not in pages[0]
        assert "was not graded" in notice(pages[1])
        assert "next attempt opens at" in notice(pages[1])
        (bob_page,) = fetch_feedback(bob, "lesson01")
        assert set(verdicts(bob_page)) == {"Not yet right", "Waiting for a TA"}
        # ... and the parts-level page shows no check's text, only verdicts.
        assert "<pre>" not in bob_page

        first = next(r for r in ledger(course) if r["student"] == "ada")
        time.sleep(max(0.0, first["seen"] + COOLDOWN + 0.5 - time.time()))

        submit(ada, "lesson01", blank)  # attempt 2, worse: the best stays recorded
        wait_for(_done(course, 4), 90, log)
        pages = fetch_feedback(ada, "lesson01")
        text = notice(pages[2])
        assert "Attempt 2 of 2" in text and "scored 0 /" in text
        assert "recorded grade is 10 / 10 autograded: your best attempt (attempt 1)" in text
        assert gradebook_scores(course, "lesson01")["ada"] == (10.0, 0.0)

        submit(ada, "lesson01", solved)  # over the limit: archived, not graded
        wait_for(_done(course, 5), 60, log)
        pages = fetch_feedback(ada, "lesson01")
        assert "used all 2 graded attempts" in notice(pages[3])
        attempts = sorted((course / "attempts" / "ada" / "lesson01").iterdir())
        assert len(attempts) == 4  # every attempt is kept, graded or not

        # lesson07 records the last attempt, 25 % less per earlier one, as nbgrader's penalty.
        solved7, _ = _notebooks(course, "lesson07")
        cy = home(tmp_path, exchange, "cy")
        for _ in range(2):
            submit(cy, "lesson07", solved7)
        wait_for(_done(course, 7), 120, log)
        score, penalty = gradebook_scores(course, "lesson07")["cy"]
        assert score > 0 and penalty == pytest.approx(0.25 * score)
        full = fetch_feedback(cy, "lesson07")[-1]
        assert "Attempt 2 of unlimited" in notice(full) and "<pre>" in full

        req = urllib.request.Request(f"http://127.0.0.1:{served.port()}/health")
        req.add_header("Authorization", "token t0ken")
        health = json.loads(urllib.request.urlopen(req, timeout=10).read())
        assert health["lessons"]["lesson01"] == {"graded": 3, "refused": 2}
        assert health["latency_s"]["n"] == 7 and health["queued"] == 0
    finally:
        assert served.stop() == 0
    assert "stopped" in log.read_text()


def _burst(tmp_path, exchange, students, data):
    procs = []
    for student in students:
        where = home(tmp_path, exchange, student)
        procs.append(
            subprocess.Popen(
                submit_cmd(where, "lesson01", data[student]),
                cwd=where,
                env=ENV,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    return procs


def test_sigterm_and_kill_9_in_a_burst_lose_nothing_and_double_nothing(tmp_path):
    settings = "c.ServePolicy.attempts = 0\nc.ServePolicy.cooldown = 0\nc.Serve.batch = 2\n"
    course, exchange = served_course(tmp_path, ("lesson01",), settings)
    solved, blank = _notebooks(course, "lesson01")
    students = [f"s{i:02d}" for i in range(8)]
    data = {s: (solved if i % 2 else blank) for i, s in enumerate(students)}
    data["s03"] = b"{ not a notebook"  # a bad notebook gets a page and stops nothing
    log = tmp_path / "serve.log"

    served = Served(course, log).start()
    procs = _burst(tmp_path, exchange, students, data)
    wait_for(lambda: any(r["state"] == "queued" for r in ledger(course)), 60, log)
    done_before = len([r for r in ledger(course) if r["state"] != "queued"])
    assert served.stop(signal.SIGTERM) == 0  # the batch in progress finishes first
    rows = ledger(course)
    assert len([r for r in rows if r["state"] != "queued"]) > done_before

    served = Served(course, log).start()
    wait_for(_done(course, done_before + 3), 120, log)
    served.proc.kill()  # kill -9 in the middle of the burst
    served.proc.wait(30)
    for p in procs:
        assert p.wait(120) == 0
    assert len(ledger(course)) == len(students)
    assert any(r["state"] == "queued" for r in ledger(course)), "killed after the burst ended"

    served = Served(course, log).start()
    try:
        wait_for(_done(course, len(students)), 180, log)
    finally:
        assert served.stop() == 0
    rows = ledger(course)
    assert sorted(r["student"] for r in rows) == students
    assert all(r["state"] == "graded" and r["number"] == 1 for r in rows)
    graded_lines = [line for line in log.read_text().splitlines() if ": graded" in line]
    assert len(graded_lines) == len(students)  # each attempt graded and recorded once
    scores = gradebook_scores(course, "lesson01")
    assert sorted(scores) == students
    for i, student in enumerate(students):
        pages = fetch_feedback(home(tmp_path, exchange, student), "lesson01")
        assert len(pages) == 1, student
        if student == "s03":
            assert "could not" in notice(pages[0]) or "not a notebook" in notice(pages[0])
        else:
            assert scores[student][0] == (10.0 if i % 2 else 0.0), student

"""``autograder grade`` handed to the course's running serve: the socket, the token, the CLI.

The request checks run on their own; the socket tests use a real
:class:`Listener` with a stand-in service loop; the end-to-end test grades a
class through a real ``autograder serve`` and compares every result with the
same class graded in the command's own process.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
from dataclasses import asdict

import pytest

from autograder.results import load
from autograder.serve.handoff import Listener, Request, address, hand_off, parse, token_path
from tests.autograder.conftest import notebooks
from tests.autograder.serve.exchange import ENV, Served, served_course

GOOD = {
    "token": "t",
    "lessons": ["lesson01"],
    "students": None,
    "force": False,
    "cell_timeout": None,
    "sandbox": True,
    "figures": True,
}
SERVE = {"token": "t", "lessons": ["lesson01", "lesson02"], "sandbox": True, "figures": True}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"token": "T"}, "wrong token"),
        ({"token": None}, "wrong token"),
        ({"lessons": []}, "no lessons"),
        ({"lessons": "lesson01"}, "no lessons"),
        ({"lessons": ["lesson09"]}, "unknown lesson 'lesson09'"),
        ({"students": "ada"}, "students must be"),
        ({"students": [1]}, "students must be"),
        ({"cell_timeout": True}, "cell_timeout"),
        ({"cell_timeout": "9"}, "cell_timeout"),
        ({"force": 1}, "force"),
        ({"sandbox": False}, "settings differ"),
        ({"figures": None}, "settings differ"),
        ({"seen": "older"}, "changed since the serve started"),
    ],
)
def test_a_bad_request_is_refused_with_its_reason(change, reason):
    refused = parse(json.dumps({**GOOD, **change}).encode(), **SERVE)
    assert isinstance(refused, str) and reason in refused


@pytest.mark.parametrize("line", [b"", b"[1]", b"not json", b'"a string"', b"\xff\xfe"])
def test_what_is_not_a_request_is_refused(line):
    assert parse(line, **SERVE) == "not a grade request"


def test_a_good_request_is_taken_as_sent():
    sent = {**GOOD, "students": ["ada"], "force": True, "cell_timeout": 2.5}
    assert parse(json.dumps(sent).encode(), **SERVE) == {
        "lessons": ["lesson01"],
        "students": ["ada"],
        "force": True,
        "cell_timeout": 2.5,
    }


@pytest.fixture
def listening(tmp_path):
    listener = Listener(
        tmp_path, tmp_path / "serve", lessons=["lesson01"], sandbox=True, figures=True
    )
    assert listener.start()
    yield listener
    listener.stop()


def _ask(root, notes, **request):
    return hand_off(
        root,
        root / "serve",
        **{**{k: v for k, v in GOOD.items() if k != "token"}, **request},
        note=notes.append,
    )


def test_a_request_is_answered_with_the_services_summary(tmp_path, listening):
    done = [{"lesson": "lesson01", "graded": 2, "skipped": 0, "flagged": []}]

    def service():
        request = listening.take(30)
        assert request.lessons == ["lesson01"] and request.students == ["ada", "bob"]
        request.accept(pool="2 workers")
        request.finish(done)

    loop = threading.Thread(target=service)
    loop.start()
    notes = []
    assert _ask(tmp_path, notes, students=["ada", "bob"]) == done
    loop.join(30)
    assert notes == [f"grading in the running serve (pid {_pid()}, 2 workers)"]
    assert oct(token_path(tmp_path / "serve").stat().st_mode & 0o777) == "0o600"


def _pid():
    import os

    return os.getpid()


def test_a_wrong_token_is_refused_and_never_queued(tmp_path, listening):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect(address(tmp_path))
        sock.sendall(json.dumps({**GOOD, "token": "guess"}).encode() + b"\n")
        answer = json.loads(sock.makefile("rb").readline())
    assert "wrong token" in answer["refused"]
    assert listening.take(0.5) is None


def test_without_a_serve_the_command_grades_here(tmp_path):
    notes = []
    assert _ask(tmp_path, notes) is None  # no token: no serve ever ran here
    (tmp_path / "serve").mkdir()
    token_path(tmp_path / "serve").write_text("left by a serve killed with -9\n")
    assert _ask(tmp_path, notes) is None and notes == []  # nothing listens


def test_a_second_serve_of_the_course_takes_no_commands(tmp_path, listening):
    other = Listener(tmp_path, tmp_path / "other", lessons=["lesson01"], sandbox=True, figures=True)
    assert not other.start()
    other.stop()
    assert token_path(tmp_path / "serve").is_file()  # the first one's token is untouched


def test_a_stopping_serve_sends_the_command_back(tmp_path, listening):
    asked = threading.Thread(target=lambda: answers.append(_ask(tmp_path, notes)))
    answers, notes = [], []
    asked.start()
    while listening.requests.empty():  # queued, not yet answered by the service
        asked.join(0.05)
    listening.stop()
    asked.join(30)
    assert answers == [None] and "serve is stopping" in notes[0]


def test_a_serve_that_dies_midway_leaves_the_rest_to_the_command(tmp_path, listening):
    def service():
        request = listening.take(30)
        request.accept(pool="2 workers")
        request.conn.close()  # as if killed while grading

    threading.Thread(target=service).start()
    notes = []
    assert _ask(tmp_path, notes) is None
    assert "stopped before it finished" in notes[-1]


def _grade(course, *args):
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "--course", str(course), "grade", *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def _results(course, lesson, students):
    found = {}
    for student in students:
        result = asdict(load(course / "autograded" / student / lesson))
        found[student] = tuple(
            result[k] for k in ("digest", "status", "flags", "cells", "messages", "sandbox")
        )
    return found


def test_grade_runs_in_the_serve_with_the_results_of_grading_here(tmp_path):
    course, _ = served_course(tmp_path, ("lesson01",), "")
    subs = notebooks(course, "lesson01")
    for student, data in subs.items():
        folder = course / "submitted" / student / "lesson01"
        folder.mkdir(parents=True)
        (folder / "lesson01.ipynb").write_bytes(data)
    here = tmp_path / "here"
    shutil.copytree(course, here)
    served = Served(course, tmp_path / "serve.log").start()
    try:
        handed = _grade(course, "lesson01", "--quiet")
        assert "grading in the running serve" in handed.stderr
        served_results = _results(course, "lesson01", subs)
        again = _grade(course, "lesson01", "--quiet")
        assert f"graded 0, already graded {len(subs)}" in again.stdout
        own = _grade(course, "lesson01", "--quiet", "--no-sandbox", "--force")
        assert "settings differ" in own.stderr and f"graded {len(subs)}," in own.stdout
        with (course / "nbgrader_config.py").open("a") as fh:
            fh.write("\nc.Execute.timeout = 20\n")  # the serve still grades with the old
        edited = _grade(course, "lesson01", "--quiet")
        assert "changed since the serve started" in edited.stderr
    finally:
        assert served.stop() == 0
    local = _grade(here, "lesson01", "--quiet")
    assert "running serve" not in local.stderr
    # The summary printed (in finishing order) and every result are grading here's.
    assert sorted(handed.stdout.splitlines()) == sorted(local.stdout.splitlines())
    assert served_results == _results(here, "lesson01", subs)
    assert not token_path(course / "serve").exists()  # the serve took its token away


def _answered(tmp_path, monkeypatch, stop_after: int | None = None):
    """A real service answers a grade request for three submissions, two per chunk; what
    the command was sent, and how many were graded at each look at the inbound."""
    from autograder.course import Course
    from autograder.execute.pool import WarmPool
    from autograder.serve import service as service_module
    from autograder.serve.policy import ServePolicy

    course_root, exchange = served_course(tmp_path, ("lesson01",), "")
    subs = notebooks(course_root, "lesson01")
    for student in ("solver", "blank", "notjson"):
        folder = course_root / "submitted" / student / "lesson01"
        folder.mkdir(parents=True)
        (folder / "lesson01.ipynb").write_bytes(subs[student])
    course = Course.open(course_root)
    monkeypatch.setattr(service_module, "HANDED_CHUNK", 2)
    ours, theirs = socket.socketpair()
    stop, looks = threading.Event(), []

    def step():
        looks.append(_graded(course_root))
        if stop_after is not None and len(looks) >= stop_after:
            stop.set()  # SIGTERM while the class is graded
        return 0

    with WarmPool(workers=1, warm_modules=("numpy",)) as pool:
        service = service_module.Service(
            course, exchange=exchange, policy=ServePolicy(config=course.config), pool=pool
        )
        monkeypatch.setattr(service, "step", step)
        service.answer(Request(ours, ["lesson01"], None, False, None), stop)
        service.ledger.close()
    return [json.loads(line) for line in theirs.makefile("rb").read().splitlines()], looks


def test_students_are_served_between_the_chunks_of_a_class(tmp_path, monkeypatch):
    """A TA's whole-class grade is taken a chunk at a time, with a look at the students'
    inbound after each: their feedback waits for one chunk, never for the class."""
    answers, looks = _answered(tmp_path, monkeypatch)
    assert "accepted" in answers[0]
    (lesson,) = answers[1]["summary"]
    assert (lesson["lesson"], lesson["graded"], lesson["skipped"]) == ("lesson01", 3, 0)
    assert looks == [2, 3]  # after the first chunk of two, then after the last one


def test_a_stopping_serve_sends_the_rest_of_a_class_back(tmp_path, monkeypatch):
    answers, looks = _answered(tmp_path, monkeypatch, stop_after=1)
    assert looks == [2] and answers[1] == {"refused": "serve is stopping"}


def _graded(course_root) -> int:
    return len(list(course_root.glob("autograded/*/lesson01/autograder.json")))


def test_a_stopped_serve_frees_the_course_for_the_next(tmp_path):
    first = Listener(tmp_path, tmp_path / "serve", lessons=["lesson01"], sandbox=True, figures=True)
    assert first.start()
    first.stop()
    assert not token_path(tmp_path / "serve").exists()
    again = Listener(tmp_path, tmp_path / "serve", lessons=["lesson01"], sandbox=True, figures=True)
    assert again.start()  # the same process, at once: nothing holds the address
    again.stop()

"""Scanning the exchange inbound and filing attempts, with folders a student wrote."""

from __future__ import annotations

import os

import pytest

from autograder.course import Course
from autograder.serve import inbox
from autograder.serve.inbox import Arrival, NotFiled

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))


@pytest.fixture
def course(tmp_path):
    (tmp_path / "course").mkdir()
    with open(os.path.join(ROOT, "nbgrader_config.py")) as src:
        (tmp_path / "course" / "nbgrader_config.py").write_text(src.read())
    return Course.open(tmp_path / "course")


def _submission(box, name, *, secret=True, notebook=b"{}"):
    folder = box / name
    folder.mkdir(parents=True)
    if notebook is not None:
        (folder / "lesson01.ipynb").write_bytes(notebook)
    (folder / "timestamp.txt").write_text("2026-12-01 10:00:00.000000 UTC")
    if secret:
        (folder / "submission_secret.txt").write_text("s" * 128)
    return folder


def test_parse_folder_names():
    a = inbox.parse_folder("ada+lesson01+2026-12-01 10:00:00.000000 UTC+AbC")
    assert (a.student, a.lesson, a.stamp) == ("ada", "lesson01", "2026-12-01 10:00:00.000000 UTC")
    for bad in ("ada", "ada+lesson01", "+lesson01+t", "a+b+c+d+e"):
        assert inbox.parse_folder(bad) is None, bad


def test_scan_waits_for_the_secret_nbgrader_writes_last(tmp_path):
    box = tmp_path / "inbound"
    _submission(box, "ada+lesson01+t1+x")
    _submission(box, "bob+lesson01+t1+y", secret=False)
    (box / "stray-file").write_text("x")
    (box / "eve+lesson01+t1+z").symlink_to(box / "ada+lesson01+t1+x")
    found = inbox.scan(box, set())
    assert [a.student for a in found] == ["ada"]
    later = os.path.getmtime(box / "bob+lesson01+t1+y" / "timestamp.txt") + 10
    assert [a.student for a in inbox.scan(box, {"ada+lesson01+t1+x"}, now=later)] == ["bob"]
    assert inbox.scan(tmp_path / "absent", set()) == []


def test_problem_names_a_bad_id_or_lesson():
    assert "not a usable folder name" in inbox.problem(
        Arrival("f", "../x", "lesson01", ""), ["lesson01"]
    )
    assert "not a lesson" in inbox.problem(Arrival("f", "ada", "lesson99", ""), ["lesson01"])
    assert inbox.problem(Arrival("f", "ada", "lesson01", ""), ["lesson01"]) is None


def test_filing_copies_only_the_notebook_and_nbgraders_files(course, tmp_path):
    box = tmp_path / "inbound"
    folder = _submission(box, "ada+lesson01+t1+x")
    (folder / "extra.bin").write_bytes(b"x" * 100)
    dest = inbox.file_attempt(course, box, inbox.parse_folder(folder.name), "lesson01")
    assert sorted(p.name for p in dest.iterdir()) == [
        "lesson01.ipynb",
        "submission_secret.txt",
        "timestamp.txt",
    ]
    assert dest == course.root / "attempts" / "ada" / "lesson01" / folder.name
    assert inbox.file_attempt(course, box, inbox.parse_folder(folder.name), "lesson01") == dest


def test_a_planted_link_or_a_missing_notebook_is_not_filed(course, tmp_path):
    box = tmp_path / "inbound"
    secret = tmp_path / "gradebook-secret"
    secret.write_text("hidden")
    linked = _submission(box, "ada+lesson01+t1+x", notebook=None)
    (linked / "lesson01.ipynb").symlink_to(secret)
    with pytest.raises(NotFiled, match="plain file"):
        inbox.file_attempt(course, box, inbox.parse_folder(linked.name), "lesson01")
    empty = _submission(box, "bob+lesson01+t1+y", notebook=None)
    with pytest.raises(NotFiled, match="no lesson01.ipynb"):
        inbox.file_attempt(course, box, inbox.parse_folder(empty.name), "lesson01")


def test_install_replaces_the_submission_whole(course, tmp_path):
    box = tmp_path / "inbound"
    old = _submission(box, "ada+lesson01+t1+x", notebook=b'{"old": 1}')
    new = _submission(box, "ada+lesson01+t2+y", notebook=b'{"new": 1}')
    for f in (old, new):
        dest = inbox.file_attempt(course, box, inbox.parse_folder(f.name), "lesson01")
        inbox.install(course, dest, "ada", "lesson01", "lesson01")
    target = course.submitted("ada", "lesson01")
    assert (target / "lesson01.ipynb").read_bytes() == b'{"new": 1}'
    assert sorted(p.name for p in target.parent.iterdir()) == ["lesson01"]


def test_a_folder_made_by_another_user_for_a_student_is_a_forgery(tmp_path):
    import pwd

    box = tmp_path / "inbound"
    own = _submission(box, "ada+lesson01+t1+x")
    assert inbox.not_owner(box, inbox.parse_folder(own.name)) is None  # the service's own user
    if os.geteuid() != 0:
        pytest.skip("changing a folder's owner needs root")  # CI runs as root
    nobody = pwd.getpwnam("nobody")
    forged = _submission(box, "ada+lesson01+t2+y")
    os.chown(forged, nobody.pw_uid, nobody.pw_gid)
    assert "made by user 'nobody', not by 'ada'" in inbox.not_owner(
        box, inbox.parse_folder(forged.name)
    )
    honest = _submission(box, "nobody+lesson01+t3+z")
    os.chown(honest, nobody.pw_uid, nobody.pw_gid)
    assert inbox.not_owner(box, inbox.parse_folder(honest.name)) is None

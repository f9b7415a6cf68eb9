from datetime import UTC, datetime, timedelta

import pytest

from autograder.collect.sources import Incoming, Rejected
from autograder.collect.store import store
from autograder.course import Course

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def course(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    (tmp_path / "source" / "lesson01").mkdir(parents=True)
    (tmp_path / "source" / "lesson01" / "lesson01.ipynb").write_text("{}")
    return Course.open(tmp_path)


def nb(student, data, hours=0, origin=None):
    return Incoming(
        student, "lesson01.ipynb", data, T0 + timedelta(hours=hours), origin or f"{student}-{hours}"
    )


def test_latest_wins_older_kept_rejects_listed(course):
    report = store(
        course,
        "lesson01",
        [
            nb("ann", b"v1", 0),
            nb("ann", b"v2", 5),
            nb("bob", b"b1", 1),
            Rejected("x.pdf", "not a notebook"),
        ],
    )
    assert (course.submitted("ann", "lesson01") / "lesson01.ipynb").read_bytes() == b"v2"
    assert (
        (course.submitted("ann", "lesson01") / "timestamp.txt")
        .read_text()
        .startswith("2026-11-01 17:00:00")
    )
    archived = list((course.root / "archive" / "ann" / "lesson01").glob("*/lesson01.ipynb"))
    assert [p.read_bytes() for p in archived] == [b"v1"]
    assert report.rejected == [{"origin": "x.pdf", "reason": "not a notebook"}]
    assert len(report.stored) == 2


def test_a_newer_collection_replaces_and_archives(course):
    store(course, "lesson01", [nb("ann", b"v1", 0)])
    report = store(course, "lesson01", [nb("ann", b"v2", 3)])
    assert (course.submitted("ann", "lesson01") / "lesson01.ipynb").read_bytes() == b"v2"
    assert len(report.archived) == 1
    kept = list((course.root / "archive" / "ann" / "lesson01").glob("*/lesson01.ipynb"))
    assert [p.read_bytes() for p in kept] == [b"v1"]


def test_an_older_arrival_never_overwrites(course):
    store(course, "lesson01", [nb("ann", b"new", 5)])
    report = store(course, "lesson01", [nb("ann", b"old", 1)])
    assert (course.submitted("ann", "lesson01") / "lesson01.ipynb").read_bytes() == b"new"
    assert report.archived and not report.stored


def test_same_file_twice_is_unchanged(course):
    store(course, "lesson01", [nb("ann", b"v1", 0)])
    report = store(course, "lesson01", [nb("ann", b"v1", 0)])
    assert report.unchanged and not report.stored and not report.archived


def test_extra_files_travel_with_their_notebook_or_are_listed(course):
    extra = Incoming("ann", "helper.py", b"x=1", T0, "ann/helper.py", is_notebook=False)
    lonely = Incoming("cy", "notes.txt", b"hi", T0, "cy/notes.txt", is_notebook=False)
    report = store(course, "lesson01", [nb("ann", b"v1", 1), extra, lonely])
    assert (course.submitted("ann", "lesson01") / "helper.py").read_bytes() == b"x=1"
    assert report.rejected[0]["origin"] == "cy/notes.txt"

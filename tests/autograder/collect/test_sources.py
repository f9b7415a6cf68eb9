import io
import zipfile
from datetime import UTC, datetime

from autograder.collect.roster import Roster, squash
from autograder.collect.sources import (
    CANVAS_NAME,
    Incoming,
    Rejected,
    detect,
    from_exchange,
    from_folder,
    from_lms_zip,
)


def _zip(tmp_path, members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(zipfile.ZipInfo(name, (2026, 11, 2, 10, 0, 0)), data)
    path = tmp_path / "s.zip"
    path.write_bytes(buf.getvalue())
    return path


def test_canvas_names():
    m = CANVAS_NAME.match("doejane_LATE_4001_9002_lesson01-1.ipynb")
    assert (m["name"], m["late"], m["user"], m["file"]) == (
        "doejane",
        "_LATE",
        "4001",
        "lesson01-1.ipynb",
    )
    assert CANVAS_NAME.match("lesson01.ipynb") is None


def test_roster_maps_canvas_id_then_unique_name(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("student_id,canvas_id,name\njd,4001,Jane Doe\nbx,,Bo Xu\n")
    roster = Roster.read(path)
    assert roster.by_canvas("4001", "whatever") == "jd"
    assert roster.by_canvas("9999", squash("Xu Bo")[::-1]) is None
    assert roster.by_canvas("9999", "boxu") == "bx"


def test_roster_without_student_id_column_is_refused(tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("name\nJane\n")
    try:
        Roster.read(path)
    except ValueError as exc:
        assert "student_id" in str(exc)
    else:
        raise AssertionError("a roster without ids was accepted")


def test_zip_rejects_traversal_bombs_and_strangers(tmp_path):
    path = _zip(
        tmp_path,
        [
            ("doejane_4001_9001_lesson01.ipynb", b"{}"),
            ("../escape_4001_9001_lesson01.ipynb", b"{}"),
            ("/abs_4001_9001_lesson01.ipynb", b"{}"),
            ("doejane_4001_9002_bomb.ipynb", b"0" * 55_000_000),
            ("readme.txt", b"hi"),
        ],
    )
    roster = Roster([{"student_id": "jd", "canvas_id": "4001", "name": "Jane Doe"}])
    items = list(from_lms_zip(path, "lesson01", "lesson01", roster))
    ok = [i for i in items if isinstance(i, Incoming)]
    bad = {i.origin: i.reason for i in items if isinstance(i, Rejected)}
    assert [(i.student, i.filename) for i in ok] == [("jd", "lesson01.ipynb")]
    assert ok[0].timestamp == datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    assert "unsafe path" in bad["../escape_4001_9001_lesson01.ipynb"]
    assert "unsafe path" in bad["/abs_4001_9001_lesson01.ipynb"]
    assert "zip bomb" in bad["doejane_4001_9002_bomb.ipynb"]
    assert "whose file" in bad["readme.txt"]


def test_not_a_zip_is_reported(tmp_path):
    path = tmp_path / "s.zip"
    path.write_bytes(b"not a zip")
    (item,) = list(from_lms_zip(path, "lesson01", "lesson01"))
    assert isinstance(item, Rejected) and "not a readable zip" in item.reason


def test_folder_layouts_and_odd_names(tmp_path):
    (tmp_path / "ann").mkdir()
    (tmp_path / "ann" / "Lesson01_final.ipynb").write_text("{}")
    (tmp_path / "bob.ipynb").write_text("{}")
    (tmp_path / "bad name!").mkdir()
    (tmp_path / "bad name!" / "lesson01.ipynb").write_text("{}")
    (tmp_path / "cy").mkdir()
    (tmp_path / "cy" / "other.ipynb").write_text("{}")
    (tmp_path / "ann" / "link.ipynb").symlink_to("/etc/passwd")
    items = list(from_folder(tmp_path, "lesson01", "lesson01"))
    ok = sorted((i.student, i.filename) for i in items if isinstance(i, Incoming))
    assert ok == [("ann", "lesson01.ipynb")]  # bob.ipynb names no lesson
    reasons = " ".join(i.reason for i in items if isinstance(i, Rejected))
    assert "not a usable folder name" in reasons and "symbolic links" in reasons
    assert "does not mention lesson01" in reasons


def test_exchange_and_detection(tmp_path):
    inbound = tmp_path / "inbound"
    folder = inbound / "ann+lesson01+2026-11-01 10:00:00.000000 UTC+77"
    folder.mkdir(parents=True)
    (folder / "lesson01.ipynb").write_text("{}")
    (inbound / "garbage").mkdir()
    assert detect(inbound) == "exchange"
    items = list(from_exchange(inbound, "lesson01", "lesson01"))
    assert [i.student for i in items if isinstance(i, Incoming)] == ["ann"]
    assert any(isinstance(i, Rejected) for i in items)
    assert detect(tmp_path / "inbound" / "garbage") == "folder"

"""Every user mistake on the CLI: one line on stderr, exit 2, never a traceback."""

from __future__ import annotations

import io
import zipfile

import pytest

from .conftest import notebooks, put_folder
from .graded import run


def _one_line_error(proc, *words: str) -> str:
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    err = proc.stderr.strip()
    assert "Traceback" not in err and err.startswith("autograder: ") and "\n" not in err, err
    for word in words:
        assert word in err, (word, err)
    return err


@pytest.fixture
def inbox(course):
    return put_folder(course, "lesson01", {"ann": notebooks(course, "lesson01")["blank"]})


def test_missing_roster(course, inbox, tmp_path):
    proc = run("collect", "lesson01", "--from", str(inbox), "--roster",
               str(tmp_path / "missing.csv"), "--course", str(course))  # fmt: skip
    _one_line_error(proc, "missing.csv", "does not exist")
    assert not (course / "submitted").exists()  # nothing filed before the roster is read


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"name,email\nJane,j@x\n", ("student_id",)),
        (b"student_id,name\n\xff\xfe\x00bad\n", ("not UTF-8",)),
        (b"student_id,name\nann,Ann\nann,Ann B\n", ("line 3", "twice")),
        (b"student_id,name\nann smith,Ann\n", ("line 2", "not usable")),
        (b'student_id,name\nann,"unclosed\n', ()),
    ],
)
def test_bad_roster(course, inbox, tmp_path, content, words):
    roster = tmp_path / "roster.csv"
    roster.write_bytes(content)
    proc = run("collect", "lesson01", "--from", str(inbox), "--roster", str(roster),
               "--course", str(course))  # fmt: skip
    if not words:  # csv reads an unclosed quote to the end: accepted, never a traceback
        assert proc.returncode == 0 and "Traceback" not in proc.stderr
        return
    _one_line_error(proc, "roster.csv", *words)


@pytest.mark.parametrize("command", ["collect", "grade", "feedback", "report", "export"])
def test_unknown_lesson(course, inbox, command):
    extra = ["--from", str(inbox)] if command == "collect" else []
    proc = run(command, "lesson99", *extra, "--course", str(course))
    _one_line_error(proc, "unknown lesson 'lesson99'", "lesson01")


@pytest.mark.parametrize("command", ["feedback", "report", "export"])
def test_nothing_graded_yet(course, command):
    proc = run(command, "lesson01", "--course", str(course))
    _one_line_error(proc, "nothing graded", "autograder grade")


def test_missing_course_dir(tmp_path):
    proc = run("report", "lesson01", "--course", str(tmp_path / "nowhere"), cwd=tmp_path)
    _one_line_error(proc, "not a course directory")


def test_course_after_the_subcommand_is_used(course, tmp_path):
    """Run from a folder that is no course: only the --course after the subcommand can help."""
    proc = run("report", "lesson99", "--course", str(course), cwd=tmp_path)
    _one_line_error(proc, "unknown lesson")  # it looked in the course, not in tmp_path
    proc = run("--course", str(tmp_path), "report", "lesson99", "--course", str(course))
    _one_line_error(proc, "unknown lesson")  # the later one wins, as usual on a command line


@pytest.mark.parametrize(
    ("name", "data", "kind", "words"),
    [
        ("garbage.zip", b"this is not a zip", "auto", ("not a readable zip file",)),
        ("lesson01.ipynb", b"{}", "auto", ("not a readable zip file",)),
        ("folder", None, "zip", ("is a folder, not a zip file",)),
        ("file.txt", b"x", "folder", ("is a file, not a folder",)),
        ("missing", False, "auto", ("does not exist",)),
    ],
)
def test_bad_source(course, tmp_path, name, data, kind, words):
    path = tmp_path / name
    if data is None:
        path.mkdir()
    elif data:
        path.write_bytes(data)
    proc = run("collect", "lesson01", "--from", str(path), "--kind", kind,
               "--course", str(course))  # fmt: skip
    _one_line_error(proc, name, *words)


def _empty_zip(path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w"):
        pass
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize("source", ["empty-zip", "empty-folder", "other-lesson-only"])
def test_an_empty_inbox_warns(course, tmp_path, source):
    if source == "empty-zip":
        path = _empty_zip(tmp_path / "submissions.zip")
    elif source == "empty-folder":
        path = tmp_path / "inbox"
        path.mkdir()
    else:
        path = put_folder(tmp_path, "lesson01", {"ann": b"{}"}).parent / "lesson07"
        path.mkdir()
        (path / "bob").mkdir()
        (path / "bob" / "lesson07.ipynb").write_text("{}")  # names another lesson
    proc = run("collect", "lesson01", "--from", str(path), "--course", str(course))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "0 submission(s) filed" in proc.stdout
    assert "warning: no lesson01 submission found" in proc.stderr
    assert str(path) in proc.stderr


def test_a_filled_inbox_does_not_warn(course, inbox):
    proc = run("collect", "lesson01", "--from", str(inbox), "--course", str(course))
    assert proc.returncode == 0 and "1 submission(s) filed" in proc.stdout
    assert "warning" not in proc.stderr
    again = run("collect", "lesson01", "--from", str(inbox), "--course", str(course))
    assert "1 already collected" in again.stdout and "warning" not in again.stderr

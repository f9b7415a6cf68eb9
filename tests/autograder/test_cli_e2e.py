"""The autograder CLI end to end on a temporary course with real nbgrader."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from autograder.results import load
from tests.source.course import LESSONS, cell_scores, nbgrader

from .conftest import notebooks, put_folder


def _env() -> dict[str, str]:
    """This interpreter's folder first on PATH: its nbgrader, jupyter and kernels."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def cli(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = _env()
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "--course", str(course), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"autograder {args} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


def test_folder_collect_grade_feedback_export_report(course):
    subs = notebooks(course, "lesson01")
    inbox = put_folder(course, "lesson01", subs)
    (inbox / "solver" / "notes.txt").write_text("my working")
    (inbox / "stray.pdf").write_bytes(b"%PDF")
    (inbox / "solver" / "homework.ipynb").write_bytes(subs["blank"])  # names no lesson
    out = cli(course, "collect", "lesson01", "--from", str(inbox)).stdout
    assert f"{len(subs)} submission(s) filed" in out
    assert "stray.pdf" in out and "homework.ipynb" in out  # listed, not dropped
    assert (course / "submitted" / "solver" / "lesson01" / "notes.txt").is_file()

    out = cli(course, "grade", "lesson01", "--workers", "2", "--quiet").stdout
    assert f"graded {len(subs)}" in out
    results = {s: load(course / "autograded" / s / "lesson01") for s in subs}
    assert results["solver"].score == results["solver"].max_score - 1  # the written answer
    assert results["blank"].score == 0
    for broken in ("notjson", "latin1"):
        assert results[broken].status == "unreadable" and results[broken].score == 0
    assert "not UTF-8" in results["latin1"].messages[0]
    assert results["killer"].status == "crashed" and results["killer"].score == 0
    assert 0 < results["m-sign"].score < results["solver"].score
    # A central difference in Part C is charged there only: the error table and the best
    # step made with it are marked against it (error carried forward).
    central = cell_scores(course, "lesson01", "m-central")
    assert central["test_rate"][0] < central["test_rate"][1]
    assert all(central[g][0] == central[g][1] for g in ("test_errors", "test_best_step"))

    cli(course, "feedback", "lesson01")
    page = (course / "feedback" / "m-sign" / "lesson01" / "lesson01.html").read_text()
    assert "sign" in page.lower()
    page = (course / "feedback" / "m-central" / "lesson01" / "lesson01.html").read_text()
    assert page.count("error carried forward") == 2 and "your df_rate (Part C)" in page
    for secret in ("BEGIN HIDDEN", "grade(", "reference", "### BEGIN SOLUTION"):
        assert secret not in page

    cli(course, "export")
    rows = list(csv.DictReader((course / "exports" / "grades.csv").open()))
    by_id = {r["student_id"]: r for r in rows}
    assert set(subs) <= set(by_id)
    assert by_id["m-sign"]["lesson01:test_rule"] == "1"
    assert "crashed" in by_id["killer"]["lesson01:flags"]
    assert "unreadable" in by_id["notjson"]["lesson01:flags"]
    assert "needs-manual-grading" in by_id["solver"]["lesson01:flags"]
    canvas = list(csv.reader((course / "exports" / "canvas.csv").open()))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert canvas[1][0] == "Points Possible"

    out = cli(course, "report", "lesson01").stdout
    report = (course / "reports" / "lesson01.html").read_text()
    assert "data:image/png;base64," in report and "sign-error" in report
    assert "killer" in report  # flagged submissions are listed
    assert "lesson01.html" in out

    # nbgrader's own tools still work on the gradebook we filled.
    nbgrader(course, "export")
    assert "solver" in (course / "grades.csv").read_text()


def _canvas_zip(path: Path, subs: dict[str, bytes]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(
            zipfile.ZipInfo("doejane_4001_9001_lesson07.ipynb", (2026, 11, 1, 10, 0, 0)),
            subs["blank"],
        )
        zf.writestr(
            zipfile.ZipInfo("doejane_4001_9002_lesson07-1.ipynb", (2026, 11, 2, 10, 0, 0)),
            subs["solver"],
        )
        zf.writestr(
            zipfile.ZipInfo("roeric_LATE_4002_9003_lesson07.ipynb", (2026, 11, 3, 9, 0, 0)),
            subs["m-sign-flip"] if "m-sign-flip" in subs else subs["blank"],
        )
        zf.writestr("smithann_4999_9004_lesson07.ipynb", subs["solver"])  # not in the roster
        zf.writestr("../../evil_4001_9005_lesson07.ipynb", subs["solver"])  # path traversal
        zf.writestr(zipfile.ZipInfo("doejane_4001_9006_bomb.ipynb"), b"0" * 60_000_000)
    path.write_bytes(buf.getvalue())


def test_canvas_zip_with_roster_keeps_latest_and_lists_the_rest(course, tmp_path):
    subs = notebooks(course, "lesson07")
    zpath = tmp_path / "submissions.zip"
    _canvas_zip(zpath, subs)
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id,canvas_id,name\njdoe,4001,Jane Doe\neroe,4002,Eric Roe\n")
    out = cli(course, "collect", "lesson07", "--from", str(zpath), "--roster", str(roster)).stdout
    assert "2 submission(s) filed" in out and "1 older version(s) archived" in out
    assert "not in the roster" in out and "unsafe path" in out and "zip bomb" in out
    stored = (course / "submitted" / "jdoe" / "lesson07" / "lesson07.ipynb").read_bytes()
    assert stored == subs["solver"]  # the later resubmission wins
    archived = list((course / "archive" / "jdoe" / "lesson07").glob("*/lesson07.ipynb"))
    assert [p.read_bytes() for p in archived] == [subs["blank"]]
    assert (
        (course / "submitted" / "jdoe" / "lesson07" / "timestamp.txt")
        .read_text()
        .startswith("2026-11-02 10:00:00")
    )
    # Collecting the same zip again changes nothing.
    again = cli(course, "collect", "lesson07", "--from", str(zpath), "--roster", str(roster)).stdout
    assert "0 submission(s) filed" in again and "2 already collected" in again


def test_exchange_inbound_latest_wins(course, tmp_path):
    subs = notebooks(course, "lesson07")
    inbound = tmp_path / "exchange" / "calcml" / "inbound"
    for stamp, key in (
        ("2026-11-01 10:00:00.000000 UTC", "blank"),
        ("2026-11-02 10:00:00.000000 UTC", "solver"),
    ):
        folder = inbound / f"ann+lesson07+{stamp}+1234"
        folder.mkdir(parents=True)
        (folder / "lesson07.ipynb").write_bytes(subs[key])
        (folder / "timestamp.txt").write_text(stamp)
    (inbound / "bob+lesson01+2026-11-01 10:00:00.000000 UTC").mkdir()  # another lesson
    out = cli(course, "collect", "lesson07", "--from", str(inbound)).stdout
    assert "1 submission(s) filed" in out and "1 older version(s) archived" in out
    assert (course / "submitted" / "ann" / "lesson07" / "lesson07.ipynb").read_bytes() == subs[
        "solver"
    ]


def test_scores_equal_nbgrader_autograde(course, tmp_path):
    """Same submissions, graded by nbgrader and by us: identical scores per cell,
    and the same late penalty (one submission is late, the rest on time)."""
    import shutil

    from nbgrader.api import Gradebook

    # nbgrader cannot grade broken files at all (it stops or waits on a dead kernel).
    broken = ("latin1", "notjson", "killer")
    subs = {k: v for k, v in notebooks(course, "lesson01").items() if k not in broken}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.update_or_create_assignment("lesson01", duedate="2026-01-10 12:00:00 UTC")
    with open(course / "nbgrader_config.py", "a") as f:
        f.write('\nc.LateSubmissionPlugin.penalty_method = "zero"\n')
    late = "solver"
    ours = tmp_path / "ours"
    shutil.copytree(course, ours)
    for root in (course, ours):
        for student, data in subs.items():
            folder = root / "submitted" / student / "lesson01"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "lesson01.ipynb").write_bytes(data)
            day = "11" if student == late else "09"
            (folder / "timestamp.txt").write_text(f"2026-01-{day} 12:00:00.000000 UTC")
    proc = subprocess.run(
        [sys.executable, "-m", "nbgrader", "autograde", "lesson01", "--force"],
        cwd=course,
        capture_output=True,
        text=True,
        timeout=900,
        env=_env(),
    )
    assert "solver" in proc.stdout + proc.stderr
    cli(ours, "grade", "lesson01", "--quiet")
    compared = 0
    for student in subs:
        theirs = cell_scores(course, "lesson01", student)
        mine = cell_scores(ours, "lesson01", student)
        assert mine == theirs, student
        compared += 1
    assert compared >= 5
    # nbgrader's own kernel carries the error forward as the grader does.
    central = cell_scores(course, "lesson01", "m-central")
    assert central["test_errors"][0] == central["test_errors"][1]
    penalties = []
    for root in (course, ours):
        with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
            penalties.append(
                {
                    s: gb.find_submission_notebook(
                        "lesson01", "lesson01", s
                    ).late_submission_penalty
                    for s in subs
                }
            )
    assert penalties[0] == penalties[1]
    assert penalties[1][late] > 0 and penalties[1]["blank"] is None


def test_kill_and_rerun_loses_nothing_and_grades_nothing_twice(course):
    subs = notebooks(course, "lesson07")
    solver = subs["solver"]
    for i in range(24):
        folder = course / "submitted" / f"s{i:02d}" / "lesson07"
        folder.mkdir(parents=True)
        (folder / "lesson07.ipynb").write_bytes(solver if i % 2 else subs["blank"])
    env = _env()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "autograder",
            "--course",
            str(course),
            "grade",
            "lesson07",
            "--workers",
            "1",
            "--quiet",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    results = lambda: sorted(course.glob("autograded/*/lesson07/autograder.json"))  # noqa: E731
    deadline = time.monotonic() + 300
    while len(results()) < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = {p: p.stat().st_mtime_ns for p in results()}
    assert 3 <= len(before) < 24, "the kill should land halfway"
    out = cli(course, "grade", "lesson07", "--quiet").stdout
    assert f"graded {24 - len(before)}, already graded {len(before)}" in out
    after = {p: p.stat().st_mtime_ns for p in results()}
    assert len(after) == 24
    assert all(after[p] == t for p, t in before.items()), "a finished result was redone"
    for i in range(24):
        r = load(course / "autograded" / f"s{i:02d}" / "lesson07")
        assert r.status == "graded" and (r.score > 0) == bool(i % 2)


def test_unknown_lesson_and_missing_course_give_clear_errors(course, tmp_path):
    proc = cli(course, "grade", "lesson99", check=False)
    assert proc.returncode == 2 and "unknown lesson" in proc.stderr
    proc = cli(tmp_path / "nowhere", "grade", "lesson01", check=False)
    assert proc.returncode == 2 and "not a course directory" in proc.stderr
    (course / "gradebook.db").unlink()  # as if no lesson had been released yet
    proc = cli(course, "grade", "lesson01", check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "run `nbgrader generate_assignment lesson01`" in proc.stderr


@pytest.mark.parametrize("students", [6])
def test_demo_builds_grades_and_reports(tmp_path, students):
    dest = tmp_path / "demo"
    env = _env()
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "autograder",
            "demo",
            "--dir",
            str(dest),
            "--students",
            str(students),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
        cwd=Path(__file__).parents[2],
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    roster = [r["student_id"] for r in csv.DictReader((dest / "roster.csv").open())]
    assert len(roster) == students
    absent = 0
    for lesson in LESSONS:
        report = (dest / "reports" / f"{lesson}.html").read_text()
        # Every report counts the whole class, also those who never submitted this lesson.
        assert f"{students} student(s) in the gradebook" in report, lesson
        missing = report[report.index("<h2>Missing") :]
        for student in roster:
            submitted = (dest / "submitted" / student / lesson).is_dir()
            assert (student in missing) != submitted, (lesson, student)
            absent += not submitted
    assert absent > 0, "the seed should leave someone out, or this test proves nothing"
    # The demo's students each solve their own task, and the report says how each task did.
    from calcml_tasks import lessons as varying

    for lesson in varying():
        report = (dest / "reports" / f"{lesson}.html").read_text()
        assert "Scores by variant" in report and "distinct task(s)" in report, lesson
    assert (dest / "exports" / "grades.csv").is_file() and (
        dest / "exports" / "canvas.csv"
    ).is_file()
    assert list(dest.glob("feedback/*/lesson01/lesson01.html"))
    assert "Look at:" in proc.stdout
    assert proc.stdout.rstrip().splitlines()[-5].strip().startswith("class reports:")
    json.loads((dest / "reports" / "collect-lesson04.json").read_text())

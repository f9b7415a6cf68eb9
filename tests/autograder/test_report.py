"""Reports, feedback pages and exports a TA can trust, driven through the real CLI."""

from __future__ import annotations

import csv
import re
import shutil
import warnings
from html import unescape

import pytest
from nbgrader.api import Gradebook

from autograder.flags import Flag
from autograder.gradebook_view import LessonScores

from .graded import STUDENTS, build, ok, run

#: A time with its zone: "2026-11-02 10:00 UTC" or "… ABC (UTC+02:00)".
ZONED = r"\d{4}-\d\d-\d\d \d\d:\d\d (?:UTC|[A-Z]+ \(UTC[+-]\d\d:\d\d\))"


@pytest.fixture(scope="module")
def graded(released, tmp_path_factory):
    return build(released, tmp_path_factory.mktemp("graded") / "course")


def _page(course, student: str) -> str:
    return (course / "feedback" / student / "lesson01" / "lesson01.html").read_text()


def _rows(html: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", html, re.S)


def _section(html: str, heading: str) -> str:
    start = html.index(f"<h2>{heading}")
    end = html.find("<h2>", start + 4)
    return html[start : end if end > 0 else None]


def _ta_grades(course, student: str, points: float) -> None:
    with warnings.catch_warnings(), Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        warnings.simplefilter("ignore")
        grade = gb.find_grade("written_steps", "lesson01", "lesson01", student)
        grade.manual_score = points
        grade.needs_manual_grade = False
        gb.db.commit()


def test_report_counts_every_student_and_lists_the_missing(graded):
    out = ok(run("report", "lesson01", "--course", str(graded)))
    assert "lesson01.html" in out
    html = (graded / "reports" / "lesson01.html").read_text()
    assert f"{len(STUDENTS)} student(s) in the gradebook" in html
    assert f"{len(STUDENTS) - 1} submitted" in html and "1 missing" in html
    missing = _section(html, "Missing")
    assert "ghost" in missing and "solver" not in missing


def test_written_parts_wait_for_a_ta_never_zero_percent(graded):
    ok(run("report", "lesson01", "--course", str(graded)))
    html = (graded / "reports" / "lesson01.html").read_text()
    (row,) = [r for r in _rows(html) if "Part F — in your own words" in r]
    assert "waiting for a TA" in row and "%" not in row
    assert re.search(r"\d+ answer\(s\) wait for a TA", html)
    assert "Autograded points: mean" in html


def test_titles_are_clean_text_one_per_part(graded):
    ok(run("report", "lesson01", "--course", str(graded)))
    ok(run("feedback", "lesson01", "--course", str(graded)))
    for html in ((graded / "reports" / "lesson01.html").read_text(), _page(graded, "solver")):
        assert "δx" in html
        for raw in ("$", "\\delta", "(test_formula)", "(2 points)", "(3 points)"):
            assert raw not in html, raw
    page = _page(graded, "solver")
    titles = re.findall(r"<tr><td>(.*?)</td>", page)
    assert "Part A — the derivative by the rules" in titles
    assert len(titles) == len(set(titles)) == 9  # one title per graded cell, none repeated


def test_feedback_separates_autograded_and_waiting_points_and_zones_times(graded):
    ok(run("feedback", "lesson01", "--course", str(graded), TZ="ABC-2"))
    page = _page(graded, "solver")
    assert "Score: <strong>10 / 10 autograded, 1 point waits for a TA</strong>" in page
    (written,) = [r for r in _rows(page) if "Part F — in your own words" in r]
    assert "waiting for a TA (1 point)" in written and "0 /" not in written
    assert re.search(rf"submitted {ZONED}", page)
    assert re.search(rf"Generated {ZONED}\.", page) and "ABC (UTC+02:00)" in page


def test_each_flag_says_why_and_what_it_means_for_the_score(graded):
    ok(run("feedback", "lesson01", "--course", str(graded)))
    slow = _page(graded, "slow")
    assert Flag.TIMED_OUT.explain() in slow
    assert "full marks are still possible" in slow
    assert "needs-manual-grading" not in slow  # shown on the part as "waiting for a TA"
    ok(run("report", "lesson01", "--course", str(graded)))
    flags = unescape(_section((graded / "reports" / "lesson01.html").read_text(), "Flagged"))
    assert Flag.CRASHED.explain() in flags and Flag.TIMED_OUT.explain() in flags
    assert Flag.LATE.explain() not in flags  # the legend lists only flags that were raised


def test_a_broken_notebook_is_one_row_of_frequent_mistakes(graded):
    ok(run("report", "lesson01", "--course", str(graded)))
    mistakes = _section((graded / "reports" / "lesson01.html").read_text(), "Most frequent")
    killer = [r for r in _rows(mistakes) if "killer" in r]
    assert len(killer) == 1 and "several parts of one notebook" in killer[0]
    assert "crashed" in killer[0]
    # A paste error: its knock-on failures are one row, not one per part.
    pasted = [r for r in _rows(mistakes) if "pasted" in r]
    cascades = [r for r in pasted if re.search(r"<td>(error|follows-earlier-cell)</td>", r)]
    assert len(cascades) == 1 and "several parts of one notebook" in cascades[0]
    assert "sign-error" in mistakes  # real mistakes are still listed by part


def test_export_keeps_nbgrader_total_and_shows_waiting_points(graded, tmp_path):
    proc = run("export", "--roster", str(graded / "roster.csv"), "--out", str(tmp_path),
               "--course", str(graded))  # fmt: skip
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "grades.csv").open())}
    assert set(rows) == set(STUDENTS)
    solver = rows["solver"]
    assert solver["lesson01:autograded"] == "10" and solver["lesson01:waiting_for_ta"] == "1"
    assert solver["lesson01:total"] == "10" and solver["lesson01:written_steps"] == ""
    assert rows["ghost"]["lesson01:flags"] == "missing"
    # The roster cannot map "stranger" to Canvas: left out of canvas.csv, listed, exit 1.
    assert proc.returncode == 1, proc.stderr
    assert "cannot map" in proc.stderr and "  stranger" in proc.stderr
    assert "Traceback" not in proc.stderr
    canvas = {r[0]: r for r in csv.reader((tmp_path / "canvas.csv").open())}
    assert "stranger" not in canvas and not any(r[1] == "" for r in list(canvas.values())[2:])
    assert canvas["Ada Lovelace"][1:3] == ["5001", "S1"]
    assert canvas["Gus Ghost"][-1] == "0"  # never submitted: a row with 0, not left out


def test_roster_names_reach_the_gradebook(graded):
    from tests.source.course import nbgrader

    listed = nbgrader(graded, "db", "student", "list").stdout
    assert "Lovelace, Ada" in listed and "ada@example.org" in listed
    assert "Ghost, Gus" in listed
    assert "None, None" in listed  # "stranger" came without a roster row: no names to give


def test_a_ta_grade_replaces_waiting_everywhere(graded, tmp_path):
    graded = shutil.copytree(graded, tmp_path / "course")  # the shared course stays ungraded
    _ta_grades(graded, "solver", 1.0)
    ok(run("feedback", "lesson01", "--course", str(graded)))
    page = _page(graded, "solver")
    assert "Score: <strong>11 / 11 (10 / 10 autograded, 1 / 1 for written answers)" in page
    assert "waiting for a TA" not in page
    ok(run("report", "lesson01", "--course", str(graded)))
    html = (graded / "reports" / "lesson01.html").read_text()
    assert "Part F — in your own words" in html
    ok(run("export", "--out", str(tmp_path / "out"), "--course", str(graded)))
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "out" / "grades.csv").open())}
    assert rows["solver"]["lesson01:waiting_for_ta"] == "0"
    assert rows["solver"]["lesson01:written_steps"] == "1"
    assert "needs-manual-grading" not in rows["solver"]["lesson01:flags"]
    assert "needs-manual-grading" in rows["m-sign"]["lesson01:flags"]  # still waiting


def test_the_part_chart_is_labelled_by_title_and_shows_waiting(monkeypatch):
    from autograder import report

    figures = []
    monkeypatch.setattr(report, "_png", lambda fig: figures.append(fig) or "")
    scores = LessonScores(
        "lesson01",
        parts={"test_a": 2.0, "written": 1.0},
        manual={"written"},
        titles={"test_a": "Part A — the rule", "written": "Part B — in your own words"},
        points={"s1": {"test_a": 2.0, "written": None}, "s2": {"test_a": 0.0, "written": None}},
        totals={"s1": 2.0, "s2": 0.0},
        flags={"s1": [], "s2": []},
    )
    parts = report._parts(scores, ["s1", "s2"])
    report._plots(scores, parts)
    ax = figures[1].axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["Part B — in your own words", "Part A — the rule"]
    assert [t.get_text() for t in ax.texts] == ["waiting for a TA"]
    assert [p.get_width() for p in ax.patches] == [0.0, 50.0]

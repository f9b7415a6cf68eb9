"""``autograder serve`` refuses an instructor's mistake at start, naming it, with exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.source.course import make_course


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ('c.ServePolicy.lessons = {"lesson99": {"attempts": 1}}', "lesson99"),
        ('c.ServePolicy.lessons = {"lesson01": {"atempts": 1}}', "unknown setting(s) atempts"),
        ('c.ServePolicy.recorded = "worst"', "worst"),
        ('c.CourseDirectory.course_id = ""', "course_id"),
    ],
)
def test_a_bad_setting_stops_serve_before_it_starts(tmp_path, setting, words):
    course = make_course(tmp_path / "course")
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write(f"\nc.Exchange.root = {str(tmp_path / 'ex')!r}\n{setting}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "autograder", "serve", "--course", str(course), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    assert words in proc.stderr and "Traceback" not in proc.stderr

"""``autograder verify`` through the real CLI, on a temporary course."""

from __future__ import annotations

import re

import nbformat

from ..test_cli_e2e import cli


def test_every_task_is_verified_and_the_table_says_so(course):
    proc = cli(course, "verify", "lesson01", "--students", "4", "--quiet")
    rows = {line.split()[0]: line.split() for line in proc.stdout.splitlines() if line.strip()}
    head, row = rows["lesson"], rows["lesson01"]
    assert head == ["lesson", "tasks", "constraints", "solution", "blank", "mistakes", "result"]
    assert row[2:5] == ["4/4", "4/4", "4/4"] and row[-1] == "ok"
    passed, checked = map(int, row[5].split("/"))
    assert passed == checked >= 4 * 5
    assert not (course / "submitted").exists()  # the course itself is never touched


def _edit_source(course, grade_id: str, source: str | None = None, points: float | None = None):
    path = course / "source" / "lesson01" / "lesson01.ipynb"
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            if source is not None:
                cell.source = source
            if points is not None:
                cell.metadata["nbgrader"]["points"] = points
    nbformat.write(nb, path)


def test_a_solution_written_for_one_task_fails_for_the_others(course):
    # The seed's numbers typed into the instructor's solution: right only for the seed's task.
    _edit_source(course, "sol_rule", "def df_rule(x):\n    return 3 * x**2 - 4 * x")
    proc = cli(course, "verify", "lesson01", "--students", "6", "--quiet", check=False)
    assert proc.returncode == 1
    assert re.search(r"FAIL lesson01 solution as student\d+: test_rule got 0", proc.stdout)
    assert "FAILED" in proc.stdout


def test_points_that_disagree_stop_verify_with_the_part_named(course):
    _edit_source(course, "test_rate", points=5)
    proc = cli(course, "verify", "lesson01", "--students", "2", "--quiet", check=False)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "part lesson01.rate: declared with 1 points, but its test cell test_rate gives 5" in (
        proc.stderr
    )


def test_a_judge_option_typo_is_named_with_its_part(course, monkeypatch, capsys):
    """An instructor's typo in a check option: the judge raises on the instructor's solution.

    In this process (the grader's): a changed judge in a child would stop the zygote.
    """
    import dataclasses

    import reference.grading.lesson01 as lesson01
    from autograder.cli import main
    from reference.checks.functions import check_function
    from reference.grading import REGISTRY

    def typo(samples, v):
        cubic = lesson01._cubic(v)
        return check_function(samples, cubic.f_prime, points=lesson01.POINTS, rtoll=1e-3)

    part = dataclasses.replace(REGISTRY["lesson01.rule"], judge=typo)
    monkeypatch.setitem(REGISTRY, "lesson01.rule", part)
    code = main(["verify", "lesson01", "--students", "1", "--quiet", "--course", str(course)])
    err = capsys.readouterr().err
    assert code == 2 and "part lesson01.rule: its judge fails" in err and "rtoll" in err


def test_a_roster_verifies_each_students_own_task(course, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("student_id\nada\nbob\ncyd\n")
    proc = cli(course, "verify", "lesson07", "--roster", str(roster), "--quiet")
    assert "lesson07" in proc.stdout and "ok" in proc.stdout

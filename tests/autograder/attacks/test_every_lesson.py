"""The attack catalogue on all seven lessons, each attacker followed by an honest student.

Per lesson, one batch with one worker grades, in this order, every attacker
and right after it an honest student who solved everything. Checked:

* no attacker scores more, in any cell, than its twin: the same submission
  without the attack (the base, a typical mistake, plus the attack's own
  answer changes);
* every honest student keeps full marks: no attacker harmed the next one;
* the batch completes, every submission has a result, and nothing outside
  the scratch folders changed (no planted file, the sources intact).

One test per lesson, so each lesson's batch is graded once whatever the
number of pytest workers; its failure message lists every broken case.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import textwrap

import nbformat
import pytest

from autograder.course import Course
from autograder.demo.mistakes import all_mistakes
from autograder.execute.sandbox import landlock_abi
from autograder.grade import grade_lesson
from calcml_tasks import variant_for
from tests.source.course import LESSONS, cell_scores, make_course, nbgrader, with_solutions

from .catalogue import Attack, for_lesson

pytestmark = pytest.mark.skipif(landlock_abi() < 6, reason="needs Landlock with signal scoping")


@pytest.fixture(scope="session")
def released_all(tmp_path_factory):
    path = make_course(tmp_path_factory.mktemp("all-lessons"))
    for lesson in LESSONS:
        nbgrader(path, "generate_assignment", lesson, "--force")
    return path


def solved_release(release, source):
    """The release with every solution cell answered as the source does: a real student's file."""
    answers = {
        c.metadata["nbgrader"]["grade_id"]: "\n".join(
            line for line in c.source.split("\n") if "### BEGIN SOLUTION" not in line
            and "### END SOLUTION" not in line
        )
        for c in source.cells
        if c.get("metadata", {}).get("nbgrader", {}).get("solution")
    }
    return with_solutions(release, answers)


def _notebook(solved, replace: dict[str, str], attack: Attack | None, lesson: str) -> bytes:
    nb = with_solutions(solved, replace)
    if attack is not None and attack.code:
        code = textwrap.dedent(attack.code).strip().replace("LESSON", lesson)
        cell = nbformat.v4.new_code_cell(code)
        if attack.where == "start":
            ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]
            nb.cells.insert(ids.index("setup") + 1, cell)
        else:
            nb.cells.append(cell)
    return nbformat.writes(nb).encode()


def _digest(folder) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path).encode() + path.read_bytes())
    return h.hexdigest()


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_attack_gains_or_harms(released_all, tmp_path, lesson):
    root = tmp_path / "course"
    shutil.copytree(released_all, root)
    source = nbformat.read(root / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    release = nbformat.read(root / "release" / lesson / f"{lesson}.ipynb", as_version=4)
    source = solved_release(release, source)
    mistake = next(m for m in all_mistakes() if m.lesson == lesson)
    attacks = for_lesson(lesson)
    def mistaken(student: str) -> dict[str, str]:  # typed with the student's own numbers
        return mistake.cells(variant_for("calcml", lesson, student))

    subs: dict[str, bytes] = {"base": _notebook(source, mistaken("base"), None, lesson)}
    order = ["base"]
    for i, attack in enumerate(attacks):
        if attack.replace:
            twin = f"twin-{attack.name}"
            subs[twin] = _notebook(source, {**mistaken(twin), **attack.replace}, None, lesson)
            order.append(twin)
        replace = {**mistaken(attack.name), **attack.replace}
        subs[attack.name] = _notebook(source, replace, attack, lesson)
        subs[f"honest-{i:02d}"] = nbformat.writes(source).encode()
        order += [attack.name, f"honest-{i:02d}"]
    for student, data in subs.items():
        folder = root / "submitted" / student / lesson
        folder.mkdir(parents=True)
        (folder / f"{lesson}.ipynb").write_bytes(data)
    for attack in attacks:
        if attack.prepare is not None:
            attack.prepare(root / "submitted" / attack.name / lesson, lesson, root)
    sources = _digest(root / "source")
    hostname = socket.gethostname()

    run = grade_lesson(
        Course.open(root), lesson, students=order, workers=1, progress=False,
        cell_timeout=10, wall_timeout=60,
    )

    results = {r.student: r for r in run.all}
    problems = [f"no result for {s}" for s in order if s not in results]
    scores = {s: cell_scores(root, lesson, s) for s in results}
    full = {g: m for g, (_, m) in scores["honest-00"].items()}
    for i, attack in enumerate(attacks):
        twin = scores[f"twin-{attack.name}" if attack.replace else "base"]
        got = scores[attack.name]
        for grade_id, (points, _) in twin.items():
            if got.get(grade_id, (0.0, 0))[0] > (points or 0.0) + 1e-9:
                problems.append(f"{attack.name} gained in {grade_id}: {got[grade_id]} > {points}")
        missing = set(attack.flags) - set(results[attack.name].flags)
        if missing:
            problems.append(f"{attack.name} lacks the flags {sorted(missing)}")
        honest = scores[f"honest-{i:02d}"]
        lost = {g: p for g, (p, _) in honest.items() if (p or 0.0) < full[g] - 1e-9}
        after = results[f"honest-{i:02d}"]
        if lost or after.status != "graded" or set(after.flags) - {"needs-manual-grading"}:
            problems.append(f"the honest student after {attack.name} lost {lost} {after.flags}")
    planted = [p.name for p in root.rglob("PWNED*")]
    if planted:
        problems.append(f"files planted outside a scratch folder: {planted}")
    if _digest(root / "source") != sources:
        problems.append("a source notebook changed")
    if socket.gethostname() != hostname:
        problems.append("the machine's hostname changed")
    assert sum(p for p, _ in scores["base"].values()) < sum(full.values())
    assert not problems, "\n".join(problems)

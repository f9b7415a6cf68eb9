"""``autograder verify``: prove every student's task sound before the lesson is released.

For each lesson and each student's variant, through the real grader:

* the variant meets its space's constraints;
* the instructor's solution, typed with that student's numbers, gets full marks;
* every typical mistake (:mod:`autograder.demo.mistakes`) gets its partial
  credit and feedback naming it;
* the blank release gets 0.

Before any of that, the notebook is checked against its declared parts
(:mod:`.declared`): an instructor's slip raises with the part's name. All of it
runs in a scratch copy of the course; the course itself is never touched.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..course import Course
from .declared import InstructorError, check_declared
from .kinds import Kind, kinds, submit_all

__all__ = ["InstructorError", "LessonCheck", "table", "verify"]


@dataclass
class LessonCheck:
    """What verifying one lesson found."""

    lesson: str
    students: int = 0
    tasks: int = 0
    #: kind -> (passed, checked)
    counts: dict[str, list[int]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def cells(self) -> list[str]:
        """The table row: tasks, then passed/checked per kind (typical mistakes summed)."""
        mistakes = [c for k, c in self.counts.items() if k.startswith("mistake:")]
        summed = [sum(p for p, _ in mistakes), sum(n for _, n in mistakes)]
        row = [self.lesson, str(self.tasks)]
        for counts in (*(self.counts.get(k) for k in ("constraints", "solution", "blank")), summed):
            row.append(f"{counts[0]}/{counts[1]}" if counts else "-")
        return [*row, "ok" if self.ok else "FAILED"]


#: The columns of ``autograder verify``'s table.
HEADER = ["lesson", "tasks", "constraints", "solution", "blank", "mistakes", "result"]


def table(checks: list[LessonCheck]) -> str:
    """The checks as an aligned text table."""
    rows = [HEADER, *(c.cells() for c in checks)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    return "\n".join("  ".join(v.ljust(w) for v, w in zip(r, widths, strict=True)) for r in rows)


def verify(
    course: Course,
    lessons: list[str],
    students: list[str],
    *,
    workers: int = 2,
    progress: bool = False,
) -> list[LessonCheck]:
    """Verify ``lessons`` for ``students``; an instructor slip raises :class:`InstructorError`."""
    from calcml_tasks import space, variant_for

    from ..demo import release
    from ..execute.pool import WarmPool
    from ..execute.sandbox import Limits

    for lesson in lessons:
        check_declared(lesson, course.source(lesson) / f"{course.notebook_name(lesson)}.ipynb")
    checks = []
    with tempfile.TemporaryDirectory(prefix="autograder-verify-") as tmp, WarmPool(
        workers=workers, figures=False, sandbox=Limits()
    ) as pool:
        base = _scratch_course(course, Path(tmp) / "base")
        release(base, lessons)
        for lesson in lessons:
            varies = space(lesson) is not None
            chosen = students if varies else students[:1]  # one task: one run says it all
            check = LessonCheck(lesson, students=len(students))
            check.tasks = len({str(variant_for(course.course_id, lesson, s)) for s in chosen})
            if varies:
                _constraints(course, lesson, chosen, check)
            for kind in kinds(lesson):
                scratch = Path(tmp) / f"{lesson}-{kind.name}"
                shutil.copytree(base.root, scratch)
                _run_kind(Course.open(scratch), lesson, kind, chosen, pool, check, progress)
                shutil.rmtree(scratch, ignore_errors=True)
            checks.append(check)
    return checks


def _scratch_course(course: Course, dest: Path) -> Course:
    dest.mkdir(parents=True)
    shutil.copy(course.root / "nbgrader_config.py", dest / "nbgrader_config.py")
    shutil.copytree(course.root / "source", dest / "source")
    return Course.open(dest)


def _constraints(course: Course, lesson: str, students: list[str], check: LessonCheck) -> None:
    from calcml_tasks import space, variant_for

    s = space(lesson)
    broken = 0
    for student in students:
        problems = s.broken(variant_for(course.course_id, lesson, student))
        if problems:
            broken += 1
            check.failures.append(f"{lesson} {student}: the task breaks {problems[0]!r}")
    check.counts["constraints"] = [len(students) - broken, len(students)]


def _run_kind(
    course: Course,
    lesson: str,
    kind: Kind,
    students: list[str],
    pool,
    check: LessonCheck,
    progress: bool,
) -> None:
    from ..grade import grade_lesson
    from ..results import load

    notebook = course.notebook_name(lesson)
    source = nbformat.read(course.source(lesson) / f"{notebook}.ipynb", as_version=4)
    release = nbformat.read(course.release(lesson) / f"{notebook}.ipynb", as_version=4)
    submit_all(course, lesson, notebook, kind, students, source, release)
    grade_lesson(course, lesson, pool=pool, progress=progress, force=True)
    passed = 0
    for student in students:
        result = load(course.autograded(student, lesson))
        problem = kind.problem(result) if result else "no result was written"
        if problem:
            check.failures.append(f"{lesson} {kind.name} as {student}: {problem}")
        else:
            passed += 1
    check.counts[kind.name] = [passed, len(students)]

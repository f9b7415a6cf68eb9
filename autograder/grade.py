"""Grade every submission of a lesson: read, sanitize, execute, judge, record, in one pass.

Data flows one way per submission: this process reads the submitted file
safely and opens its gradebook rows; a worker (:mod:`.work`: this process
with the local pool, a Dask worker on a cluster) sanitizes it with
nbgrader's steps, executes it in a child of a warm zygote (:mod:`.execute`),
judges the answers it handed in (:mod:`.judge`) and decides what nbgrader
records; this process then records it (:mod:`.record`: the gradebook, the
autograded notebook, a result file). A submission whose result file matches
its digest is skipped, so a run killed halfway loses nothing and grades
nothing twice.
Whatever goes wrong with one submission is that submission's error: the
batch always completes.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat

from calcml_tasks.identity import GRADER_COURSE, GRADER_STUDENT
from reference.grading.parts import collector_table

from . import nbgrader_steps as steps
from . import record, submission_rows
from .course import Course
from .execute.child import FigureLimits
from .execute.executor import Executor, WorkExecutor
from .gradebook_indexes import ensure_indexes
from .results import SubmissionResult, load
from .submission import copy_files, copy_files_or_none, read_submission, read_timestamp
from .work import LessonWork, Local, Work

#: The whole notebook may not run longer than this (each cell has its own limit too).
DEFAULT_WALL_TIMEOUT = 300.0
#: Submissions whose gradebook rows are made in one transaction.
CHUNK = 16


@dataclass
class GradeRun:
    """What one ``grade`` call did."""

    graded: list[SubmissionResult] = field(default_factory=list)
    skipped: list[SubmissionResult] = field(default_factory=list)

    @property
    def all(self) -> list[SubmissionResult]:
        return self.skipped + self.graded


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class _Read:
    """A submission's file as read, before its gradebook rows are made."""

    student: str
    raw: bytes | None
    problem: str
    digest: str
    out_dir: Path
    timestamp: datetime | None


def _read(course: Course, lesson: str, student: str, notebook: str, force: bool) -> _Read | None:
    """The submission's bytes and timestamp; None when it was graded as it is already."""
    sub_dir = course.submitted(student, lesson)
    raw, problem = read_submission(sub_dir, notebook)
    digest = _digest(raw or b"")
    out_dir = course.autograded(student, lesson)
    previous = load(out_dir)
    if previous is not None and previous.digest == digest and not force:
        return None
    return _Read(student, raw, problem, digest, out_dir, read_timestamp(sub_dir))


def _prepare(
    course: Course,
    lesson: str,
    student: str,
    notebook: str,
    read: _Read,
    late_seconds: float,
    cell_timeout: float,
    wall_timeout: float,
    snapshot: steps.GradebookSnapshot | None = None,
) -> tuple[record.Prepared, Work | None]:
    """What the grader keeps of a submission, and the work a worker does on it (None:
    nothing to run)."""
    timestamp, out_dir = read.timestamp, read.out_dir
    result = SubmissionResult(
        student=student,
        lesson=lesson,
        status="graded",
        digest=read.digest,
        timestamp=timestamp.isoformat() if timestamp else None,
    )
    late = late_seconds > 0
    if late:
        result.flags.append("late")
    res = steps.resources(course, lesson, student, notebook, late=late)
    max_scores = snapshot.max_scores() if snapshot else {}
    prepared = record.Prepared(result, res, out_dir, notebook, max_scores, late)
    if read.raw is None:
        copy_files_or_none(course, lesson, student, out_dir)
        record.unreadable(result, read.problem)
        return prepared, None
    skipped = copy_files(course, lesson, student, out_dir)
    if skipped:
        result.messages.append(
            "Not copied for grading (only plain files and folders are): " + ", ".join(skipped[:10])
        )
    work = Work(
        key=f"{lesson}/{student}",
        student=student,
        raw=read.raw,
        cwd=str(out_dir),
        # Workers need no gradebook: its URL (maybe with a password) stays here.
        resources={**res, "nbgrader": {**res["nbgrader"], "db_url": None}},
        cell_timeout=cell_timeout,
        wall_timeout=wall_timeout,
        env={GRADER_STUDENT: student, GRADER_COURSE: course.course_id},
    )
    return prepared, work


def summary(runs: dict[str, GradeRun]) -> list[dict]:
    """What ``grade`` prints of its runs, as plain data (a serve sends it to the command)."""
    from .flags import shown

    return [
        {
            "lesson": lesson,
            "graded": len(run.graded),
            "skipped": len(run.skipped),
            "flagged": [
                [r.student, [str(f) for f in r.flags], "; ".join(r.messages[:2])]
                for r in run.graded
                if shown(r.flags)
            ],
        }
        for lesson, run in runs.items()
    ]


def _chunks(students: list[str], first: bool) -> Iterator[list[str]]:
    """The students in chunks of :data:`CHUNK`; the run's very first alone, so that its
    notebook starts while the next chunk's rows are made."""
    start = 1 if first and students else 0
    if start:
        yield students[:1]
    for i in range(start, len(students), CHUNK):
        yield students[i : i + CHUNK]


def _open_rows(course: Course, plan: _Lesson, reads: list[_Read]) -> dict[str, float | Exception]:
    """Seconds late by student, with the gradebook rows of a chunk made in one
    transaction; if that fails, one at a time, so a failure is one submission's."""
    if not reads:
        return {}
    try:
        return dict(
            submission_rows.open_rows(
                course.db_url, plan.rows, {r.student: r.timestamp for r in reads}
            )
        )
    except Exception:  # noqa: BLE001 - retried alone below, where it is one submission's
        pass
    late: dict[str, float | Exception] = {}
    for r in reads:
        try:
            late.update(
                submission_rows.open_rows(course.db_url, plan.rows, {r.student: r.timestamp})
            )
        except Exception as exc:  # noqa: BLE001 - this submission's error
            late[r.student] = exc
    return late


def _prepare_failed(
    course: Course, plan: _Lesson, student: str, exc: Exception
) -> SubmissionResult:
    result = SubmissionResult(student=student, lesson=plan.name, status="graded", digest="")
    out_dir = course.autograded(student, plan.name)
    return record.failed(course, result, plan.notebook, out_dir, exc)


def grade_lesson(course: Course, lesson: str, **kwargs) -> GradeRun:
    """Grade all (or the named) submissions of ``lesson``; see :func:`grade_lessons`."""
    return grade_lessons(course, [lesson], **kwargs)[lesson]


def grade_lessons(course: Course, lessons: list[str], **kwargs) -> dict[str, GradeRun]:
    """Grade several lessons in one stream of submissions (no pause between lessons)."""
    import warnings

    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings():
        # nbgrader's gradebook triggers harmless autoflush warnings on every submission.
        warnings.simplefilter("ignore", SAWarning)
        return _grade(course, lessons, **kwargs)


@dataclass
class _Lesson:
    """What every submission of one lesson shares while it is graded."""

    name: str
    notebook: str
    snapshot: steps.GradebookSnapshot
    #: The rows each submission's rows mirror.
    rows: submission_rows.LessonRows
    students: list[str]
    #: What the workers need of the lesson (sent once to each).
    work: LessonWork
    run: GradeRun = field(default_factory=GradeRun)


def _plans(course: Course, lessons: list[str], students: Iterable[str] | None) -> list[_Lesson]:
    """What each lesson's submissions share; the judges imported before a result needs them."""
    ensure_indexes(course.db_url)
    chosen = list(students) if students is not None else None
    plans = []
    for lesson in lessons:
        notebook = course.notebook_name(lesson)
        release_path = course.released_notebook(lesson)
        snapshot = steps.GradebookSnapshot(course, lesson, notebook)
        everyone = course.students_with_submissions(lesson)
        plans.append(
            _Lesson(
                name=lesson,
                notebook=notebook,
                snapshot=snapshot,
                rows=submission_rows.lesson_rows(course.db_url, lesson),
                students=chosen if chosen is not None else everyone,
                work=LessonWork(
                    name=lesson,
                    notebook=notebook,
                    course_id=course.course_id,
                    config=_without_gradebook(course.config),
                    release=nbformat.read(release_path, as_version=4)
                    if release_path.is_file()
                    else None,
                    snapshot=snapshot,
                    class_list=everyone,
                    collectors=collector_table(lesson),
                ),
            )
        )
    for lesson in lessons:
        with contextlib.suppress(ImportError):
            importlib.import_module(f"reference.grading.{lesson}")
    return plans


def _without_gradebook(config):
    """nbgrader's configuration for the workers: all of it but the gradebook's URL."""
    import copy

    config = copy.deepcopy(config)
    if "CourseDirectory" in config:
        config.CourseDirectory.pop("db_url", None)
    return config


def _grade(
    course: Course,
    lessons: list[str],
    *,
    workers: int = 2,
    force: bool = False,
    students: Iterable[str] | None = None,
    cell_timeout: float | None = None,
    wall_timeout: float = DEFAULT_WALL_TIMEOUT,
    progress: bool = True,
    pool: Executor | WorkExecutor | None = None,
    figures: bool | FigureLimits = True,
    sandbox: bool = True,
) -> dict[str, GradeRun]:
    # ``figures`` and ``sandbox`` configure the pool made here when none is given:
    # plots drawn as bounded images for formgrade (see ``FigureLimits``), and confinement.
    if cell_timeout is None:
        cell_timeout = float(course.config.Execute.get("timeout", 30) or 30)
    own = pool is None
    if pool is None:
        # First: the zygote warms up (about a second) while the gradebook,
        # the releases and the judges are read below.
        from .execute.executor import open_executor
        from .execute.sandbox import Limits
        from .execute.warm_set import warm_modules

        pool = open_executor(
            workers=workers,
            warm_modules=warm_modules(course.released_notebook(x) for x in lessons),
            figures=figures,
            sandbox=Limits() if sandbox else None,
        )
    # A pool of notebook processes here (the local default) does the workers' part in
    # this process; a work executor (Dask) does it on its workers.
    executor = pool if isinstance(pool, WorkExecutor) else Local(pool)
    try:
        plans = _plans(course, lessons, students)
    except BaseException:
        if own:
            executor.close()
        raise
    prepared: dict[str, tuple[_Lesson, record.Prepared]] = {}

    def items():
        """Read lazily, a chunk at a time, so notebooks run while the next are readied."""
        for plan in plans:
            for chunk in _chunks(plan.students, first=plan is plans[0]):
                reads = []
                for student in chunk:
                    try:
                        read = _read(course, plan.name, student, plan.notebook, force)
                    except Exception as exc:  # noqa: BLE001 - this submission's error alone
                        plan.run.graded.append(_prepare_failed(course, plan, student, exc))
                        continue
                    if read is None:
                        plan.run.skipped.append(load(course.autograded(student, plan.name)))
                    else:
                        reads.append(read)
                late = _open_rows(course, plan, reads)
                for read in reads:
                    try:
                        seconds = late[read.student]
                        if isinstance(seconds, Exception):
                            raise seconds
                        prep, work = _prepare(
                            course,
                            plan.name,
                            read.student,
                            plan.notebook,
                            read,
                            seconds,
                            cell_timeout,
                            wall_timeout,
                            plan.snapshot,
                        )
                    except Exception as exc:  # noqa: BLE001 - this submission's error alone
                        plan.run.graded.append(_prepare_failed(course, plan, read.student, exc))
                        continue
                    if work is None:
                        plan.run.graded.append(record.finish_guarded(course, prep, None))
                    else:
                        prepared[work.key] = (plan, prep)
                        yield work, plan.work

    try:
        results = executor.run_work(items())
        if progress:
            from tqdm import tqdm

            total = sum(len(p.students) for p in plans)
            results = tqdm(results, total=total, desc=f"grading {', '.join(lessons)}", unit="nb")
        batch = record.Batch(course)
        for worked in results:
            plan, prep = prepared.pop(worked.key)
            batch.add(plan, prep, worked)
        batch.flush()
    finally:
        if own:
            executor.close()
    return {plan.name: plan.run for plan in plans}

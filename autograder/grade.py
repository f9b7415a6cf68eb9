"""Grade every submission of a lesson: sanitize, execute, judge, record, in one pass.

Data flows one way per submission: the submitted file is read safely and
sanitized by nbgrader's steps (:mod:`.submission`), executed in a child of the warm zygote
(:mod:`.execute`), and the answers it handed in are judged in this process
(:mod:`.judge`), recorded in the gradebook by nbgrader's steps and summarised
in a result file. A submission whose result file matches its digest is
skipped, so a run killed halfway loses nothing and grades nothing twice.
Whatever goes wrong with one submission is that submission's error: the
batch always completes.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from calcml_tasks import variant_for
from calcml_tasks.identity import GRADER_COURSE, GRADER_STUDENT
from reference.grading.parts import collector_table

from . import nbgrader_steps as steps
from .copies import flag_whose_task, submitted_for
from .course import Course
from .execute.child import FigureLimits
from .execute.executor import Executor
from .execute.pool import Job, Outcome
from .explain import KNOCK_ON, knock_on
from .gradebook_indexes import ensure_indexes
from .judge import judge_notebook
from .results import CellResult, SubmissionResult, load, save
from .safe_files import write_file
from .submission import (
    BOM,
    copy_files,
    copy_files_or_none,
    explain,
    read_submission,
    read_timestamp,
    sanitize,
)

#: The whole notebook may not run longer than this (each cell has its own limit too).
DEFAULT_WALL_TIMEOUT = 300.0


@dataclass
class GradeRun:
    """What one ``grade`` call did."""

    graded: list[SubmissionResult] = field(default_factory=list)
    skipped: list[SubmissionResult] = field(default_factory=list)

    @property
    def all(self) -> list[SubmissionResult]:
        return self.skipped + self.graded


@dataclass
class _Prepared:
    result: SubmissionResult
    resources: dict
    out_dir: Path
    notebook: str
    max_scores: dict[str, float] = field(default_factory=dict)
    #: The student whose task the notebook shows as submitted (None: it does not say).
    solved_for: str | None = None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _prepare(
    course: Course,
    lesson: str,
    student: str,
    notebook: str,
    cell_timeout: float,
    wall_timeout: float,
    force: bool,
    release: nbformat.NotebookNode | None = None,
    snapshot: steps.GradebookSnapshot | None = None,
) -> tuple[_Prepared | None, Job | None, bool]:
    """Returns (prepared, job, skipped); a job is None when there is nothing to run."""
    sub_dir = course.submitted(student, lesson)
    raw, problem = read_submission(sub_dir, notebook)
    digest = _digest(raw or b"")
    out_dir = course.autograded(student, lesson)
    previous = load(out_dir)
    if previous is not None and previous.digest == digest and not force:
        return None, None, True
    timestamp = read_timestamp(sub_dir)
    info = steps.open_submission(course, lesson, student, timestamp)
    result = SubmissionResult(
        student=student,
        lesson=lesson,
        status="graded",
        digest=digest,
        timestamp=timestamp.isoformat() if timestamp else None,
    )
    if info["late_seconds"] > 0:
        result.flags.append("late")
    res = steps.resources(course, lesson, student, notebook, late=info["late_seconds"] > 0)
    prepared = _Prepared(result, res, out_dir, notebook, snapshot.max_scores() if snapshot else {})
    if raw is None:
        copy_files_or_none(course, lesson, student, out_dir)
        _unreadable(result, problem)
        return prepared, None, False
    skipped = copy_files(course, lesson, student, out_dir)
    if skipped:
        result.messages.append(
            "Not copied for grading (only plain files and folders are): " + ", ".join(skipped[:10])
        )

    if raw.startswith(BOM):
        result.messages.append(
            f"{notebook}.ipynb begins with a byte-order mark (BOM), which Jupyter cannot open: "
            "it was graded without it. Save the notebook from Jupyter to remove it."
        )
    try:
        nb = sanitize(course, raw, res, release, snapshot)
    except Exception as exc:  # noqa: BLE001 - the submission's fault, reported
        _unreadable(result, explain(exc))
        return prepared, None, False
    prepared.solved_for = submitted_for(raw)
    job = Job(
        key=student,
        notebook=nb,
        cwd=str(out_dir),
        cell_timeout=cell_timeout,
        wall_timeout=wall_timeout,
        env={GRADER_STUDENT: student, GRADER_COURSE: course.course_id},
        collectors=collector_table(lesson),
    )
    return prepared, job, False


def _unreadable(result: SubmissionResult, message: str) -> None:
    result.status = "unreadable"
    result.flags.append("unreadable")
    result.messages.append(message)


def _mark_unrun(nb: nbformat.NotebookNode, outcome: Outcome) -> None:
    """Cells a dead or stopped process never ran must not count as passing."""
    ename = "CellTimeoutError" if outcome.status == "timeout" else "NotebookCrashed"
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is None:
            cell.outputs = [
                nbformat.v4.new_output(
                    "error",
                    ename=ename,
                    evalue=outcome.detail,
                    traceback=[f"{ename}: {outcome.detail}"],
                )
            ]


def _cell_results(
    nb: nbformat.NotebookNode, scores: dict[str, tuple[float, float]]
) -> list[CellResult]:
    """One result per graded cell of the gradebook, in notebook order.

    A cell the student deleted still counts (its points are lost, not its
    weight), so every submission of a lesson has the same maximum. A cell that
    failed only because an earlier one could not run says so (:mod:`.explain`).
    """
    present = {}
    follows = knock_on(nb.cells)
    because = {}
    for i, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in scores and grade_id not in present:
            present[grade_id] = cell
            if i in follows:
                because[grade_id] = follows[i]
    cells = []
    for grade_id in [*present, *(g for g in scores if g not in present)]:
        points, max_points = scores[grade_id]
        feedback, note, part = "", "", ""
        cell = present.get(grade_id)
        if cell is None:
            feedback, note = "This cell was deleted from the notebook.", "error"
        for out in cell.get("outputs", []) if cell is not None else []:
            verdict = (
                out.get("metadata", {}).get("calcml")
                if out.output_type == "execute_result"
                else None
            )
            if isinstance(verdict, dict):
                feedback = str(verdict.get("feedback", ""))
                note = str(verdict.get("note", ""))
                part = str(verdict.get("part", ""))
            elif out.output_type == "error" and grade_id in because:
                feedback, note = because[grade_id], KNOCK_ON
            elif out.output_type == "error":
                feedback = f"{out.ename}: {out.evalue}".strip().rstrip(":")
                note = note or "error"
        cells.append(
            CellResult(
                grade_id, float(points or 0.0), float(max_points), feedback[:2000], note, part
            )
        )
    return cells


def _scores(
    course: Course, prepared: _Prepared
) -> tuple[dict[str, tuple[float, float]], list[str]]:
    result = prepared.result
    return _grades(course, result.lesson, result.student, prepared.notebook)


def _grades(
    course: Course, lesson: str, student: str, notebook: str
) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """(grade id -> (score, max score), grade ids waiting for a TA) from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        sub = gb.find_submission_notebook(notebook, lesson, student)
        scores = {g.name: (g.score, g.max_score) for g in sub.grades}
        manual = [g.name for g in sub.grades if g.needs_manual_grade]
    return scores, manual


def _finish(course: Course, prepared: _Prepared, outcome: Outcome | None) -> SubmissionResult:
    result = prepared.result
    if outcome is None:  # unreadable: nothing ran
        steps.zero_missing(course, result.lesson, result.student, prepared.notebook)
        scores, _ = _scores(course, prepared)
        result.cells = [CellResult(g, 0.0, m) for g, (_, m) in scores.items()]
        save(result, prepared.out_dir)
        return result
    result.seconds = round(outcome.seconds, 3)
    result.sandbox = list(outcome.sandbox)
    if outcome.tampering:
        result.flags.append("tampered")
        result.messages.extend(outcome.tampering)
    variant = variant_for(course.course_id, result.lesson, result.student)
    judged = judge_notebook(outcome.notebook, variant=variant)
    if variant is not None:
        flag_whose_task(course, result, prepared.solved_for, judged)
    if judged.tampering:
        if "tampered" not in result.flags:
            result.flags.append("tampered")
        result.messages.extend(judged.tampering)
    nb = nbformat.from_dict(outcome.notebook)
    changes = nb.metadata.pop("autograder_changes", [])
    if changes:
        result.flags.append("cells-changed")
        result.messages.extend(str(c) for c in changes)
    if outcome.status != "ok":
        _mark_unrun(nb, outcome)
        result.status = "timed-out" if outcome.status == "timeout" else "crashed"
        result.flags.append(result.status)
        result.messages.append(outcome.detail)
    if (
        any(
            o.get("ename") == "CellTimeoutError"
            for c in nb.cells
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        )
        and "timed-out" not in result.flags
    ):
        result.flags.append("timed-out")
    nb, _ = steps.record(course, nb, prepared.resources)
    # nbgrader validated the cells already; skip nbformat's second, slow validation.
    write_file(
        prepared.out_dir, f"{prepared.notebook}.ipynb", nbformat.v4.nbjson.writes(nb).encode()
    )
    saved = prepared.resources.get("autograder")
    if saved and prepared.max_scores:
        scores = {g: (p, prepared.max_scores.get(g, 0.0)) for g, p in saved["scores"].items()}
        manual = saved["manual"]
    else:
        scores, manual = _scores(course, prepared)
    result.cells = _cell_results(nb, scores)
    if manual:
        result.flags.append("needs-manual-grading")
    save(result, prepared.out_dir)
    return result


def _finish_guarded(
    course: Course, prepared: _Prepared, outcome: Outcome | None
) -> SubmissionResult:
    """:func:`_finish`, whose failure is this submission's error, never the batch's."""
    try:
        return _finish(course, prepared, outcome)
    except Exception as exc:  # noqa: BLE001 - whatever a submission made the grader meet
        return _failed(course, prepared.result, prepared.notebook, prepared.out_dir, exc)


def _prepare_failed(
    course: Course, plan: _Lesson, student: str, exc: Exception
) -> SubmissionResult:
    result = SubmissionResult(student=student, lesson=plan.name, status="graded", digest="")
    out_dir = course.autograded(student, plan.name)
    return _failed(course, result, plan.notebook, out_dir, exc)


def _failed(
    course: Course, result: SubmissionResult, notebook: str, out_dir: Path, exc: Exception
) -> SubmissionResult:
    """Record a submission the grader could not finish: zero points, a clear message, saved."""
    result.status = "error"
    if "error" not in result.flags:
        result.flags.append("error")
    result.messages.append(
        f"The grader could not finish this submission ({type(exc).__name__}: "
        f"{' '.join(str(exc).split())[:200]}); it scores 0 until a TA looks at it."
    )
    with contextlib.suppress(Exception):
        steps.zero_missing(course, result.lesson, result.student, notebook)
    with contextlib.suppress(Exception):
        scores, _ = _grades(course, result.lesson, result.student, notebook)
        result.cells = [CellResult(g, 0.0, m) for g, (_, m) in scores.items()]
    with contextlib.suppress(Exception):
        save(result, out_dir)
    return result


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
    release: nbformat.NotebookNode | None
    snapshot: steps.GradebookSnapshot
    students: list[str]
    run: GradeRun = field(default_factory=GradeRun)


def _plans(course: Course, lessons: list[str], students: Iterable[str] | None) -> list[_Lesson]:
    """What each lesson's submissions share; the judges imported before a result needs them."""
    ensure_indexes(course.db_url)
    chosen = list(students) if students is not None else None
    plans = []
    for lesson in lessons:
        notebook = course.notebook_name(lesson)
        release_path = course.released_notebook(lesson)
        plans.append(
            _Lesson(
                name=lesson,
                notebook=notebook,
                release=nbformat.read(release_path, as_version=4)
                if release_path.is_file()
                else None,
                snapshot=steps.GradebookSnapshot(course, lesson, notebook),
                students=chosen if chosen is not None else course.students_with_submissions(lesson),
            )
        )
    for lesson in lessons:
        with contextlib.suppress(ImportError):
            importlib.import_module(f"reference.grading.{lesson}")
    return plans


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
    pool: Executor | None = None,
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
    try:
        plans = _plans(course, lessons, students)
    except BaseException:
        if own:
            pool.close()
        raise
    prepared: dict[str, tuple[_Lesson, _Prepared]] = {}

    def jobs():
        """Prepared lazily, so children run while the next submissions are readied."""
        for plan in plans:
            for student in plan.students:
                try:
                    prep, job, skipped = _prepare(
                        course,
                        plan.name,
                        student,
                        plan.notebook,
                        cell_timeout,
                        wall_timeout,
                        force,
                        plan.release,
                        plan.snapshot,
                    )
                except Exception as exc:  # noqa: BLE001 - this submission's error, not the batch's
                    plan.run.graded.append(_prepare_failed(course, plan, student, exc))
                    continue
                if skipped:
                    plan.run.skipped.append(load(course.autograded(student, plan.name)))
                elif job is None:
                    plan.run.graded.append(_finish_guarded(course, prep, None))
                else:
                    job.key = f"{plan.name}/{student}"
                    prepared[job.key] = (plan, prep)
                    yield job

    try:
        outcomes = pool.run(jobs())
        if progress:
            from tqdm import tqdm

            total = sum(len(p.students) for p in plans)
            outcomes = tqdm(outcomes, total=total, desc=f"grading {', '.join(lessons)}", unit="nb")
        for outcome in outcomes:
            plan, prep = prepared.pop(outcome.key)
            plan.run.graded.append(_finish_guarded(course, prep, outcome))
    finally:
        if own:
            pool.close()
    return {plan.name: plan.run for plan in plans}

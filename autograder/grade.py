"""Grade every submission of a lesson: sanitize, execute, judge, record, in one pass.

Data flows one way per submission: the submitted file is read and sanitized
by nbgrader's steps here, executed in a child of the warm zygote
(:mod:`.execute`), and the answers it handed in are judged in this process
(:mod:`.judge`), recorded in the gradebook by nbgrader's steps and summarised
in a result file. A submission whose result file matches its digest is
skipped, so a run killed halfway loses nothing and grades nothing twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import nbformat
from nbgrader.utils import parse_utc

from . import nbgrader_steps as steps
from .course import Course
from .execute.pool import Job, Outcome, WarmPool
from .integrity import changed_cells
from .judge import judge_notebook
from .results import CellResult, SubmissionResult, load, save

TIMESTAMP_FILE = "timestamp.txt"
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


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_timestamp(folder: Path) -> datetime | None:
    path = folder / TIMESTAMP_FILE
    if not path.is_file():
        return None
    try:
        return parse_utc(path.read_text().strip())
    except Exception:  # noqa: BLE001 - a garbled timestamp is treated as absent
        return None


def _copy_files(course: Course, lesson: str, student: str, out_dir: Path) -> None:
    """Lay out the autograded folder as nbgrader does: submission, then source files."""
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(
        course.submitted(student, lesson),
        out_dir,
        symlinks=True,  # copied as links, never followed: the sandbox decides what they reach
        ignore=shutil.ignore_patterns("*.ipynb"),
    )
    for path in course.source(lesson).rglob("*"):
        if path.is_file() and path.suffix != ".ipynb":
            target = out_dir / path.relative_to(course.source(lesson))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)


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
    path = sub_dir / f"{notebook}.ipynb"
    raw = path.read_bytes() if path.is_file() else None
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
    _copy_files(course, lesson, student, out_dir)
    if raw is None:
        others = sorted(p.name for p in sub_dir.glob("*.ipynb"))
        hint = f" (it has {', '.join(others)}: renamed?)" if others else ""
        _unreadable(result, f"The submission has no {notebook}.ipynb{hint}.")
        return prepared, None, False

    try:
        nb = _sanitize(course, raw, res, release, snapshot)
    except Exception as exc:  # noqa: BLE001 - the submission's fault, reported
        _unreadable(result, _explain(exc))
        return prepared, None, False
    job = Job(
        key=student,
        notebook=nb,
        cwd=str(out_dir),
        cell_timeout=cell_timeout,
        wall_timeout=wall_timeout,
    )
    return prepared, job, False


def _sanitize(
    course: Course,
    raw: bytes,
    res: dict,
    release: nbformat.NotebookNode | None,
    snapshot: steps.GradebookSnapshot | None,
) -> dict:
    """Parse, compare with the release, restore the instructor's cells (nbgrader's steps).

    Done here, in the trusted process, while children run: the zygote then
    never imports nbgrader, and no student code has run yet on these bytes.
    """
    nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    changes = changed_cells(nb, release) if release is not None else []
    _drop_duplicate_cells(nb)
    nb, _ = steps.sanitize(course, nb, res, snapshot)
    nb.metadata["autograder_changes"] = changes
    return json.loads(json.dumps(nb))


def _drop_duplicate_cells(nb: nbformat.NotebookNode) -> None:
    """Keep the first of several cells sharing a grade id (copies are reported, not run).

    nbgrader blanks a duplicate's metadata and then rejects the whole notebook;
    dropping the copy lets the student's real cells be graded.
    """
    seen: set[str] = set()
    kept = []
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id and grade_id in seen:
            continue
        if grade_id:
            seen.add(grade_id)
        kept.append(cell)
    nb.cells = kept


def _unreadable(result: SubmissionResult, message: str) -> None:
    result.status = "unreadable"
    result.flags.append("unreadable")
    result.messages.append(message)


def _explain(exc: Exception) -> str:
    """Why a submission could not be read, in words a TA can act on."""
    kind, text = type(exc).__name__, str(exc)
    if kind == "UnicodeDecodeError":
        return "The file is not UTF-8 text, so it is not a notebook."
    if kind in ("NotJSONError", "JSONDecodeError"):
        return "The file is not valid notebook JSON (truncated or not a notebook)."
    return f"The notebook could not be graded: {kind}: {text[:300]}"


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
    weight), so every submission of a lesson has the same maximum.
    """
    present = {}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in scores and grade_id not in present:
            present[grade_id] = cell
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
    from nbgrader.api import Gradebook

    res = prepared.resources["nbgrader"]
    with Gradebook(course.db_url, course.course_id) as gb:
        sub = gb.find_submission_notebook(prepared.notebook, res["assignment"], res["student"])
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
    judged = judge_notebook(outcome.notebook)
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
    (prepared.out_dir / f"{prepared.notebook}.ipynb").write_text(
        nbformat.v4.nbjson.writes(nb), encoding="utf-8"
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
    pool: WarmPool | None = None,
    figures: bool = False,
    sandbox: bool = True,
) -> dict[str, GradeRun]:
    if cell_timeout is None:
        cell_timeout = float(course.config.Execute.get("timeout", 30) or 30)
    chosen = list(students) if students is not None else None
    plans = []
    for lesson in lessons:
        notebook = course.notebook_name(lesson)
        release_path = course.release(lesson) / f"{notebook}.ipynb"
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
    prepared: dict[str, tuple[_Lesson, _Prepared]] = {}
    for lesson in lessons:  # the judges, imported before the first result needs them
        with contextlib.suppress(ImportError):
            importlib.import_module(f"reference.grading.{lesson}")

    def jobs():
        """Prepared lazily, so children run while the next submissions are readied."""
        for plan in plans:
            for student in plan.students:
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
                if skipped:
                    plan.run.skipped.append(load(course.autograded(student, plan.name)))
                elif job is None:
                    plan.run.graded.append(_finish(course, prep, None))
                else:
                    job.key = f"{plan.name}/{student}"
                    prepared[job.key] = (plan, prep)
                    yield job

    own = pool is None
    if pool is None:
        from .execute.sandbox import Limits

        pool = WarmPool(workers=workers, figures=figures, sandbox=Limits() if sandbox else None)
    try:
        outcomes = pool.run(jobs())
        if progress:
            from tqdm import tqdm

            total = sum(len(p.students) for p in plans)
            outcomes = tqdm(outcomes, total=total, desc=f"grading {', '.join(lessons)}", unit="nb")
        for outcome in outcomes:
            plan, prep = prepared.pop(outcome.key)
            plan.run.graded.append(_finish(course, prep, outcome))
    finally:
        if own:
            pool.close()
    return {plan.name: plan.run for plan in plans}

"""Record: write what a worker made of each submission, where the grader is.

The grades go into nbgrader's gradebook many submissions per transaction
(:class:`Batch`, :mod:`.autogrades`), then the autograded notebook and the
result file, last: a result file whose digest matches says the submission
is fully recorded, so a run killed halfway regrades only what it had not
finished. Whatever goes wrong with one submission is its error alone.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import autogrades
from . import nbgrader_steps as steps
from .course import Course
from .results import CellResult, SubmissionResult, save
from .safe_files import sync_filesystems, write_file
from .work import Worked, describe

if TYPE_CHECKING:
    from .grade import _Lesson

#: Submissions whose grades are written in one transaction.
CHUNK = 16
#: A graded submission waits at most about this long for others to be written with.
FLUSH_SECONDS = 0.5


@dataclass
class Prepared:
    """What the grader keeps of a submission while a worker has it."""

    result: SubmissionResult
    resources: dict
    out_dir: Path
    notebook: str
    max_scores: dict[str, float] = field(default_factory=dict)
    late: bool = False


def unreadable(result: SubmissionResult, message: str) -> None:
    """Mark a submission that could not be read as a notebook."""
    result.status = "unreadable"
    result.flags.append("unreadable")
    result.messages.append(message)


def cell_results(
    facts: dict[str, tuple[str, str, str]], scores: dict[str, tuple[float, float]]
) -> list[CellResult]:
    """One result per graded cell of the gradebook, in notebook order.

    A cell the student deleted still counts (its points are lost, not its
    weight), so every submission of a lesson has the same maximum.
    """
    cells = []
    for grade_id in [*(g for g in facts if g in scores), *(g for g in scores if g not in facts)]:
        points, max_points = scores[grade_id]
        if grade_id in facts:
            feedback, note, part = facts[grade_id]
        else:
            feedback, note, part = "This cell was deleted from the notebook.", "error", ""
        cells.append(
            CellResult(grade_id, float(points or 0.0), float(max_points), feedback, note, part)
        )
    return cells


def grades_of(
    course: Course, lesson: str, student: str, notebook: str
) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """(grade id -> (score, max score), grade ids waiting for a TA) from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        sub = gb.find_submission_notebook(notebook, lesson, student)
        scores = {g.name: (g.score, g.max_score) for g in sub.grades}
        manual = [g.name for g in sub.grades if g.needs_manual_grade]
    return scores, manual


def finish(
    course: Course,
    prepared: Prepared,
    worked: Worked | None,
    written: tuple[dict[str, float], list[str]] | None = None,
    *,
    deferred: bool = False,
) -> SubmissionResult:
    """Record what a worker made of a submission (None: it could not even be read).

    ``written``: its grades as already written with others' in one transaction.
    ``deferred``: the autograded notebook is written without its own sync and the
    result file is left to the caller, who saves it once one sync has made a
    whole batch of notebooks durable (:class:`Batch`).
    """
    result = prepared.result
    lesson, student, notebook = result.lesson, result.student, prepared.notebook
    if worked is not None and worked.status == "error":
        return failed(course, result, notebook, prepared.out_dir, worked.messages[0])
    if worked is not None:
        result.flags.extend(f for f in worked.flags if f not in result.flags)
        result.messages.extend(worked.messages)
        result.seconds, result.sandbox = worked.seconds, list(worked.sandbox)
        if worked.status != "graded":
            result.status = worked.status
    if worked is None or worked.notebook is None:  # unreadable: nothing ran
        steps.zero_missing(course, lesson, student, notebook)
        scores, _ = grades_of(course, lesson, student, notebook)
        result.cells = [CellResult(g, 0.0, m) for g, (_, m) in scores.items()]
        save(result, prepared.out_dir)
        return result
    points, manual = written or autogrades.write(
        course.db_url, lesson, student, notebook, worked.decisions, on_time=not prepared.late
    )
    if prepared.late:
        steps.late_penalty(course, prepared.resources)
    write_file(prepared.out_dir, f"{notebook}.ipynb", worked.notebook, durable=not deferred)
    if prepared.max_scores:
        scores = {g: (p, prepared.max_scores.get(g, 0.0)) for g, p in points.items()}
    else:
        scores, manual = grades_of(course, lesson, student, notebook)
    result.cells = cell_results(worked.cells, scores)
    if manual:
        result.flags.append("needs-manual-grading")
    if not deferred:
        save(result, prepared.out_dir)
    return result


def finish_guarded(
    course: Course,
    prepared: Prepared,
    worked: Worked | None,
    written=None,
    *,
    deferred: bool = False,
) -> SubmissionResult:
    """:func:`finish`, whose failure is this submission's error, never the batch's."""
    try:
        return finish(course, prepared, worked, written, deferred=deferred)
    except Exception as exc:  # noqa: BLE001 - whatever a submission made the grader meet
        return failed(course, prepared.result, prepared.notebook, prepared.out_dir, exc)


def failed(
    course: Course,
    result: SubmissionResult,
    notebook: str,
    out_dir: Path,
    exc: Exception | str,
) -> SubmissionResult:
    """Record a submission the grader could not finish: zero points, a clear message, saved."""
    result.status = "error"
    if "error" not in result.flags:
        result.flags.append("error")
    result.messages.append(
        f"The grader could not finish this submission ({describe(exc)[:200]}); "
        "it scores 0 until a TA looks at it."
    )
    with contextlib.suppress(Exception):
        steps.zero_missing(course, result.lesson, result.student, notebook)
    with contextlib.suppress(Exception):
        scores, _ = grades_of(course, result.lesson, result.student, notebook)
        result.cells = [CellResult(g, 0.0, m) for g, (_, m) in scores.items()]
    with contextlib.suppress(Exception):
        save(result, out_dir)
    return result


class Batch:
    """Graded submissions whose grades are written together, in one transaction.

    Written when :data:`CHUNK` have gathered, or the oldest has waited
    :data:`FLUSH_SECONDS`, and at the end; then each one's notebook and result
    file. A transaction that fails is done again one submission at a time, so
    a failure is one submission's.
    """

    def __init__(self, course: Course) -> None:
        self.course = course
        self.pending: list[tuple[_Lesson, Prepared, Worked]] = []
        self.since = 0.0

    def add(self, plan: _Lesson, prep: Prepared, worked: Worked) -> None:
        if worked.status == "error" or worked.notebook is None:
            plan.run.graded.append(finish_guarded(self.course, prep, worked))
            return
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append((plan, prep, worked))
        if len(self.pending) >= CHUNK or time.monotonic() - self.since > FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        try:
            with autogrades.engine_for(self.course.db_url).begin() as conn:
                written = [
                    autogrades.write(
                        self.course.db_url,
                        prep.result.lesson,
                        prep.result.student,
                        prep.notebook,
                        worked.decisions,
                        on_time=not prep.late,
                        conn=conn,
                    )
                    for _, prep, worked in self.pending
                ]
        except Exception:  # noqa: BLE001 - each is written alone below, its error its own
            written = [None] * len(self.pending)
        finished = [
            (plan, prep, finish_guarded(self.course, prep, worked, done, deferred=True))
            for (plan, prep, worked), done in zip(self.pending, written, strict=True)
        ]
        self.pending.clear()
        folders = {prep.out_dir for _, prep, _ in finished}
        # The notebooks are durable before the result files that say they are there,
        # and those before the grade reports them: two syncs, not two per submission.
        _sync(folders)
        for plan, prep, result in finished:
            try:
                save(result, prep.out_dir, durable=False)
            except Exception as exc:  # noqa: BLE001 - this submission's error alone
                result = failed(self.course, result, prep.notebook, prep.out_dir, exc)
            plan.run.graded.append(result)
        _sync(folders)


def _sync(folders: set[Path]) -> None:
    """One sync of the folders' filesystems; one that fails leaves the files as written."""
    with contextlib.suppress(OSError):
        sync_filesystems(folders)

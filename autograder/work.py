"""What a worker does with one submission: sanitize, execute, judge, decide the record.

Each step here is a function of plain data (:class:`Work`, and the
:class:`LessonWork` every submission of a lesson shares) that never touches
the gradebook or the course folder. So it runs wherever the notebook runs:
in the grader's own process with the local pool (:class:`Local`), or in a
Dask worker process, which never runs student code itself
(:mod:`.execute.cluster`). What comes back (:class:`Worked`) is all the
grader writes: the autograded notebook's bytes, nbgrader's per-cell
decisions, what each graded cell says, and the result's flags and messages.
The gradebook is written by the grader alone (:mod:`.grade`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import nbformat
from traitlets.config import Config

from calcml_tasks import variant_for

from . import nbgrader_steps as steps
from .autogrades import Decisions, decide
from .copies import flag_whose_task, submitted_for
from .execute.child import Job
from .execute.executor import WorkExecutor, drain
from .execute.pool import Outcome
from .explain import KNOCK_ON, knock_on
from .judge import judge_notebook
from .results import SubmissionResult
from .submission import BOM, explain, sanitize


@dataclass
class LessonWork:
    """What every submission of a lesson shares: sent once to each worker."""

    name: str
    notebook: str
    course_id: str
    #: nbgrader's configuration, for its steps (a traitlets Config: it pickles).
    config: Config
    release: dict | None
    snapshot: steps.GradebookSnapshot
    #: Every student with a submission of the lesson (whose tasks a copy may fit).
    class_list: list[str]
    collectors: dict


@dataclass
class Work:
    """One submission, as the grader read it."""

    key: str
    student: str
    raw: bytes
    #: The submission's folder of files (on a cluster: the worker's own copy).
    cwd: str
    resources: dict
    cell_timeout: float
    wall_timeout: float
    env: dict = field(default_factory=dict)


@dataclass
class Worked:
    """A submission sanitized, executed and judged: what the grader records."""

    key: str
    #: "graded", "unreadable", "timed-out", "crashed", or "error" (the grader's fault).
    status: str = "graded"
    flags: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    seconds: float = 0.0
    sandbox: list[str] = field(default_factory=list)
    #: The autograded notebook, serialized (None: nothing could run).
    notebook: bytes | None = None
    decisions: Decisions | None = None
    #: Grade id -> (feedback, note, part) of every graded cell present, in notebook order.
    cells: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def sanitized(work: Work, lesson: LessonWork) -> Job | Worked:
    """The job to run, or, for a notebook that cannot be read, why not."""
    notes = []
    if work.raw.startswith(BOM):
        notes.append(
            f"{lesson.notebook}.ipynb begins with a byte-order mark (BOM), which Jupyter "
            "cannot open: it was graded without it. Save the notebook from Jupyter to remove it."
        )
    try:
        nb = sanitize(lesson.config, work.raw, work.resources, lesson.release, lesson.snapshot)
    except Exception as exc:  # noqa: BLE001 - the submission's fault, reported
        return Worked(work.key, "unreadable", ["unreadable"], [*notes, explain(exc)])
    nb.setdefault("metadata", {})["autograder_notes"] = notes
    return Job(
        key=work.key,
        notebook=nb,
        cwd=work.cwd,
        cell_timeout=work.cell_timeout,
        wall_timeout=work.wall_timeout,
        env=work.env,
        collectors=lesson.collectors,
    )


def finished(work: Work, lesson: LessonWork, outcome: Outcome) -> Worked:
    """Judge what the notebook handed in and decide its record; any failure is this
    submission's ``error``, never the batch's."""
    try:
        return _finished(work, lesson, outcome)
    except Exception as exc:  # noqa: BLE001 - whatever a submission made the judge meet
        return failed(work.key, exc)


def failed(key: str, exc: BaseException | str) -> Worked:
    """A submission the grading machinery could not finish."""
    return Worked(key, "error", ["error"], [describe(exc)[:300]])


def describe(exc: BaseException | str) -> str:
    """An error in one line, as a TA reads it: its kind and message (a text stays as is)."""
    return exc if isinstance(exc, str) else f"{type(exc).__name__}: {' '.join(str(exc).split())}"


def _finished(work: Work, lesson: LessonWork, outcome: Outcome) -> Worked:
    worked = Worked(work.key, seconds=round(outcome.seconds, 3), sandbox=list(outcome.sandbox))
    flags, messages = worked.flags, worked.messages
    if outcome.tampering:
        flags.append("tampered")
        messages.extend(outcome.tampering)
    variant = variant_for(lesson.course_id, lesson.name, work.student)
    judged = judge_notebook(outcome.notebook, variant=variant)
    if variant is not None:
        scratch = SubmissionResult(work.student, lesson.name, "graded", "")
        flag_whose_task(
            scratch,
            submitted_for(work.raw),
            judged,
            course_id=lesson.course_id,
            class_list=lesson.class_list,
        )
        flags.extend(scratch.flags)
        messages.extend(scratch.messages)
    if judged.tampering:
        if "tampered" not in flags:
            flags.append("tampered")
        messages.extend(judged.tampering)
    nb = nbformat.from_dict(outcome.notebook)
    messages[:0] = nb.metadata.pop("autograder_notes", [])
    changes = nb.metadata.pop("autograder_changes", [])
    if changes:
        flags.append("cells-changed")
        messages.extend(str(c) for c in changes)
    if outcome.status != "ok":
        _mark_unrun(nb, outcome)
        worked.status = "timed-out" if outcome.status == "timeout" else "crashed"
        flags.append(worked.status)
        messages.append(outcome.detail)
    if (
        any(
            o.get("ename") == "CellTimeoutError"
            for c in nb.cells
            for o in c.get("outputs", [])
            if o.get("output_type") == "error"
        )
        and "timed-out" not in flags
    ):
        flags.append("timed-out")
    nb, _ = steps.prepare_record(lesson.config, nb, work.resources)
    worked.decisions = decide(nb)
    worked.cells = cell_facts(nb)
    # nbgrader validated the cells already; skip nbformat's second, slow validation.
    worked.notebook = nbformat.v4.nbjson.writes(nb).encode()
    return worked


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


def cell_facts(nb: nbformat.NotebookNode) -> dict[str, tuple[str, str, str]]:
    """(feedback, note, part) of each graded cell, the first of its grade id, in order.

    A cell that failed only because an earlier one could not run says so
    (:mod:`.explain`).
    """
    follows = knock_on(nb.cells)
    facts: dict[str, tuple[str, str, str]] = {}
    for i, cell in enumerate(nb.cells):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if not grade_id or grade_id in facts:
            continue
        feedback, note, part = "", "", ""
        for out in cell.get("outputs", []):
            verdict = (
                out.get("metadata", {}).get("calcml")
                if out.output_type == "execute_result"
                else None
            )
            if isinstance(verdict, dict):
                feedback = str(verdict.get("feedback", ""))
                note = str(verdict.get("note", ""))
                part = str(verdict.get("part", ""))
            elif out.output_type == "error" and i in follows:
                feedback, note = follows[i], KNOCK_ON
            elif out.output_type == "error":
                feedback = f"{out.ename}: {out.evalue}".strip().rstrip(":")
                note = note or "error"
        facts[grade_id] = (feedback[:2000], note, part)
    return facts


class Local(WorkExecutor):
    """Work done in this process around a pool of notebook processes (the local default).

    Submissions are sanitized lazily, so children run while the next ones
    are readied; a notebook that cannot be read comes back without running.
    """

    def __init__(self, pool) -> None:
        #: Runs jobs (a :class:`~.execute.pool.WarmPool`, or anything with its ``run``).
        self.pool = pool

    def run_work(self, items: Iterable[tuple[Work, LessonWork]]) -> Iterator[Worked]:
        pending: dict[str, tuple[Work, LessonWork]] = {}
        ready: list[Worked] = []

        def jobs() -> Iterator[Job]:
            for work, lesson in items:
                made = sanitized(work, lesson)
                if isinstance(made, Worked):
                    ready.append(made)
                else:
                    pending[work.key] = (work, lesson)
                    yield made

        for outcome in self.pool.run(jobs()):
            yield from drain(ready)
            work, lesson = pending.pop(outcome.key)
            yield finished(work, lesson, outcome)
        yield from drain(ready)

    def close(self) -> None:
        self.pool.close()

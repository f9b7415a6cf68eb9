"""Record: nbgrader's submission rows for many submissions in one transaction.

Before grading a submission, ``nbgrader autograde`` makes its rows: the
student if new, the submitted assignment and, mirroring the assignment, a
submitted notebook with one grade per grade or task cell and one comment per
solution or task cell (``Gradebook.add_submission``); a resubmission only
gets its new timestamp (``update_or_create_submission``). nbgrader does it
object by object through the ORM, with a commit per call. :func:`open_rows`
writes the very same rows into nbgrader's own tables, with those tables' own
column defaults (ids are nbgrader's ``new_uuid``), for a whole chunk of
submissions at once. Another grader writing the same rows at the same moment
makes the transaction fail on nbgrader's unique constraints (or deadlock);
it is then retried, and finds the rows there.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy
from nbgrader import api, utils
from nbgrader.api import MissingEntry

from .autogrades import engine_for

#: Tries of a chunk that another grader's rows made fail.
TRIES = 4

_NOTEBOOKS = sqlalchemy.text("SELECT id FROM notebook WHERE assignment_id = :assignment")
_CELLS = sqlalchemy.text(
    "SELECT c.id, c.type FROM base_cell c WHERE c.notebook_id = :notebook ORDER BY c.id"
)


@dataclass
class LessonRows:
    """The lesson's rows a submission mirrors: read once per lesson."""

    assignment_id: str
    duedate: datetime | None
    #: (notebook id, grade and task cell ids, solution and task cell ids), per notebook.
    notebooks: list[tuple[str, list[str], list[str]]]


def lesson_rows(db_url: str, lesson: str) -> LessonRows:
    """The assignment's id, due date and cells (MissingEntry if it is not in the gradebook)."""
    table = api.Base.metadata.tables["assignment"]
    with engine_for(db_url).connect() as conn:
        found = conn.execute(
            sqlalchemy.select(table.c.id, table.c.duedate).where(table.c.name == lesson)
        ).first()
        if found is None:
            raise MissingEntry(f"No such assignment: {lesson}")
        assignment_id, duedate = found
        notebooks = []
        for (notebook_id,) in conn.execute(_NOTEBOOKS, {"assignment": assignment_id}).all():
            graded, commented = [], []
            for cell_id, kind in conn.execute(_CELLS, {"notebook": notebook_id}):
                if kind in ("GradeCell", "TaskCell"):
                    graded.append(cell_id)
                if kind in ("SolutionCell", "TaskCell"):
                    commented.append(cell_id)
            notebooks.append((notebook_id, graded, commented))
    return LessonRows(assignment_id, duedate, notebooks)


def open_rows(
    db_url: str, lesson: LessonRows, submissions: dict[str, datetime | None]
) -> dict[str, float]:
    """Make or update the rows of each student's submission; seconds late, by student."""
    ordered = dict(sorted(submissions.items()))  # one order for every grader: fewer deadlocks
    for attempt in range(TRIES):
        try:
            with engine_for(db_url).begin() as conn:
                return _open(conn, lesson, ordered)
        except (sqlalchemy.exc.IntegrityError, sqlalchemy.exc.OperationalError):
            # Another grader made some of these rows meanwhile, or held them (a
            # deadlock, a locked SQLite file): the next try finds what it wrote.
            if attempt == TRIES - 1:
                raise
            time.sleep(0.1 * (attempt + 1))
    raise AssertionError("unreachable")


def _open(conn, lesson: LessonRows, submissions: dict[str, datetime | None]) -> dict[str, float]:
    tables = api.Base.metadata.tables
    student, assignment = tables["student"], tables["submitted_assignment"]
    students = list(submissions)
    known = {
        row[0]
        for row in conn.execute(sqlalchemy.select(student.c.id).where(student.c.id.in_(students)))
    }
    if len(known) < len(students):
        conn.execute(student.insert(), [{"id": s} for s in students if s not in known])
    existing = {
        row.student_id: row
        for row in conn.execute(
            sqlalchemy.select(
                assignment.c.id, assignment.c.student_id, assignment.c.extension
            ).where(
                assignment.c.assignment_id == lesson.assignment_id,
                assignment.c.student_id.in_(students),
            )
        )
    }
    stamps = {s: utils.parse_utc(t) if t is not None else None for s, t in submissions.items()}
    updates = [{"row": existing[s].id, "ts": t} for s, t in stamps.items() if s in existing and t]
    if updates:
        conn.execute(
            assignment.update()
            .where(assignment.c.id == sqlalchemy.bindparam("row"))
            .values(timestamp=sqlalchemy.bindparam("ts")),
            updates,
        )
    new = [s for s in students if s not in existing]
    if new:
        _add(conn, lesson, {s: stamps[s] for s in new})
    late = {}
    for s, stamp in stamps.items():
        extension = existing[s].extension if s in existing else None
        if stamp is None and s in existing:
            stamp = conn.execute(
                sqlalchemy.select(assignment.c.timestamp).where(assignment.c.id == existing[s].id)
            ).scalar()
        late[s] = _seconds_late(stamp, lesson.duedate, extension)
    return late


def _add(conn, lesson: LessonRows, stamps: dict[str, datetime | None]) -> None:
    """``Gradebook.add_submission`` for each student, as rows."""
    tables = api.Base.metadata.tables
    assignments, notebooks, grades, comments = [], [], [], []
    for student, stamp in stamps.items():
        sub_id = api.new_uuid()
        assignments.append(
            {"id": sub_id, "assignment_id": lesson.assignment_id, "student_id": student}
            | ({"timestamp": stamp} if stamp is not None else {})
        )
        for notebook_id, graded, commented in lesson.notebooks:
            nb_id = api.new_uuid()
            notebooks.append({"id": nb_id, "assignment_id": sub_id, "notebook_id": notebook_id})
            grades.extend({"notebook_id": nb_id, "cell_id": c} for c in graded)
            comments.extend({"notebook_id": nb_id, "cell_id": c} for c in commented)
    for name, rows in (
        ("submitted_assignment", assignments),
        ("submitted_notebook", notebooks),
        ("grade", grades),
        ("comment", comments),
    ):
        if rows:
            conn.execute(tables[name].insert(), _same_keys(rows))


def _same_keys(rows: list[dict]) -> list[dict]:
    """Rows for one executemany: every row with every key (an absent one is None)."""
    keys = {k for row in rows for k in row}
    return [{k: row.get(k) for k in keys} for row in rows]


def _seconds_late(stamp, duedate, extension) -> float:
    """``SubmittedAssignment.total_seconds_late``, from the rows."""
    if stamp is None or duedate is None:
        return 0.0
    due = duedate + extension if extension is not None else duedate
    return max(0.0, (stamp - due).total_seconds())

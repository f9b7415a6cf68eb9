"""Record: nbgrader's autograde decisions, written as a few SQL statements per notebook.

nbgrader's ``SaveAutoGrades`` loads every grade and comment of a submitted
notebook through the ORM, one lazy query per row, and commits once per cell:
most of the grader's own time per notebook. :func:`decide` makes the very
same decisions with nbgrader's own functions (``determine_grade``,
``compute_checksum``, the "No response." rule), where the notebook was
judged; :func:`write` writes them into nbgrader's own tables (and decides
when a cell needs manual grading), one query reading the rows and two
batched updates writing them, in one transaction or in a caller's. The gradebook stays
exactly what nbgrader writes, so ``nbgrader formgrade`` and ``export`` read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy
from nbgrader import api, utils
from nbgrader.api import MissingEntry

#: In resources: whether the submission is late (None when not known).
LATE = "autograder_late"

_FIND = sqlalchemy.text(
    "SELECT sn.id FROM submitted_notebook sn"
    " JOIN submitted_assignment sa ON sn.assignment_id = sa.id"
    " JOIN assignment a ON sa.assignment_id = a.id"
    " JOIN notebook n ON sn.notebook_id = n.id"
    " WHERE a.name = :lesson AND sa.student_id = :student AND n.name = :notebook"
)
_GRADES = sqlalchemy.text(
    "SELECT g.id, c.name, g.auto_score, g.manual_score, g.extra_credit, g.needs_manual_grade"
    " FROM grade g JOIN base_cell c ON g.cell_id = c.id WHERE g.notebook_id = :notebook"
)
_COMMENTS = sqlalchemy.text(
    "SELECT m.id, c.name FROM comment m JOIN base_cell c ON m.cell_id = c.id"
    " WHERE m.notebook_id = :notebook"
)
_SET_GRADE = sqlalchemy.text(
    "UPDATE grade SET auto_score = :auto, needs_manual_grade = :manual WHERE id = :id"
)
_SET_COMMENT = sqlalchemy.text("UPDATE comment SET auto_comment = :comment WHERE id = :id")
_ON_TIME = sqlalchemy.text(
    "UPDATE submitted_notebook SET late_submission_penalty = NULL WHERE id = :id"
)


def score(auto: float | None, manual: float | None, extra: float | None) -> float:
    """``Grade.score`` as nbgrader's SQL defines it: manual over auto, plus extra credit.

    >>> score(0.5, None, None), score(0.5, 1.0, 0.25), score(None, None, None)
    (0.5, 1.25, 0.0)
    """
    base = manual if manual is not None else auto
    return float(base) + float(extra or 0.0) if base is not None else 0.0


def submitted_notebook_id(conn, lesson: str, student: str, notebook: str) -> str:
    """The id of a student's submitted notebook (MissingEntry, as nbgrader, if none)."""
    row = conn.execute(_FIND, {"lesson": lesson, "student": student, "notebook": notebook}).first()
    if row is None:
        raise MissingEntry()
    return row[0]


@dataclass
class Decisions:
    """What nbgrader's SaveAutoGrades decides from an executed notebook alone (plain data).

    ``grades``: grade id -> the autograder's score (None: a TA must grade it);
    ``comments``: grade id -> the automatic comment ("No response." or None).
    Made where the notebook was judged; written by :func:`write`.
    """

    grades: dict[str, float | None] = field(default_factory=dict)
    comments: dict[str, str | None] = field(default_factory=dict)


def decide(nb, log=None) -> Decisions:
    """nbgrader's per-cell rules (``determine_grade``, "No response."), no gradebook needed."""
    found = Decisions()
    for cell in nb.cells:
        if not utils.is_grade(cell) and not utils.is_solution(cell) and not utils.is_task(cell):
            continue
        name = cell.metadata["nbgrader"]["grade_id"]
        if utils.is_grade(cell):
            found.grades[name], _ = utils.determine_grade(cell, log)
        if utils.is_solution(cell) or utils.is_task(cell):
            unchanged = cell.metadata.nbgrader.get("checksum") == utils.compute_checksum(cell)
            found.comments[name] = "No response." if unchanged and not utils.is_task(cell) else None
    return found


def engine_for(db_url: str):
    """nbgrader's own engine for the gradebook (with its arguments, so it is shared)."""
    return api.create_engine(db_url, echo=False, future=True)


def write(
    db_url: str,
    lesson: str,
    student: str,
    notebook: str,
    decided: Decisions,
    *,
    on_time: bool,
    conn=None,
) -> tuple[dict[str, float], list[str]]:
    """Write ``decided`` as SaveAutoGrades would, in one transaction (or in ``conn``'s,
    which then holds many submissions' writes).

    Returns every grade of the notebook after the update: (score by grade id,
    the grade ids waiting for a TA), so the caller reads nothing back. A
    decision for a cell the gradebook does not know raises MissingEntry, as
    nbgrader's lookup does.
    """
    if conn is None:
        with engine_for(db_url).begin() as own:
            return write(db_url, lesson, student, notebook, decided, on_time=on_time, conn=own)
    sub_id = submitted_notebook_id(conn, lesson, student, notebook)
    grades = {
        name: [gid, auto, manual, extra, bool(needs)]
        for gid, name, auto, manual, extra, needs in conn.execute(_GRADES, {"notebook": sub_id})
    }
    comments = {name: cid for cid, name in conn.execute(_COMMENTS, {"notebook": sub_id})}
    if not set(decided.grades) <= set(grades) or not set(decided.comments) <= set(comments):
        raise MissingEntry()
    rows = []
    for name, auto in decided.grades.items():
        row = grades[name]
        # A manual grade already given, or no autograder score: a TA must look.
        row[1], row[4] = auto, row[2] is not None or auto is None
        rows.append({"id": row[0], "auto": row[1], "manual": row[4]})
    if rows:
        conn.execute(_SET_GRADE, rows)
    if decided.comments:
        conn.execute(
            _SET_COMMENT,
            [{"id": comments[n], "comment": c} for n, c in decided.comments.items()],
        )
    if on_time:  # what AssignLatePenalties does for a submission on time
        conn.execute(_ON_TIME, {"id": sub_id})
    scores = {name: score(g[1], g[2], g[3]) for name, g in grades.items()}
    return scores, [name for name, g in grades.items() if g[4]]

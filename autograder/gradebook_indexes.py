"""The indexes nbgrader's gradebook lacks, added in place (a migration nbgrader ignores).

nbgrader's ``grade`` and ``comment`` tables have no index on ``notebook_id``,
so every lookup of a submission's grades scans the whole table and recording
slows as the class grows. Extra indexes change no table, no row and no query
result: nbgrader's own commands (formgrade, export, autograde) read the
gradebook as before. ``CREATE INDEX IF NOT EXISTS`` works on SQLite and
PostgreSQL alike and is safe to run from several graders at once.
"""

from __future__ import annotations

#: (index name, table, column) added to every gradebook the grader opens.
INDEXES = (
    ("ix_calcml_grade_notebook", "grade", "notebook_id"),
    ("ix_calcml_comment_notebook", "comment", "notebook_id"),
    ("ix_calcml_submitted_notebook_assignment", "submitted_notebook", "assignment_id"),
)

_DONE: set[str] = set()


def ensure_indexes(db_url: str) -> None:
    """Add :data:`INDEXES` to the gradebook at ``db_url`` (once per process and URL)."""
    if db_url in _DONE:
        return
    import sqlalchemy
    from nbgrader.api import Gradebook

    with Gradebook(db_url):  # nbgrader creates its tables first, as it always does
        pass
    engine = sqlalchemy.create_engine(db_url)
    try:
        with engine.begin() as conn:
            for name, table, column in INDEXES:
                sql = f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})"
                conn.execute(sqlalchemy.text(sql))
    finally:
        engine.dispose()
    _DONE.add(db_url)

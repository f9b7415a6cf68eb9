"""The indexes nbgrader's gradebook lacks, added in place (a migration nbgrader ignores).

nbgrader's ``grade`` and ``comment`` tables have no index on ``notebook_id``,
so every lookup of a submission's grades scans the whole table and recording
slows as the class grows. Extra indexes change no table, no row and no query
result: nbgrader's own commands (formgrade, export, autograde) read the
gradebook as before. ``CREATE INDEX IF NOT EXISTS`` works on SQLite and
PostgreSQL alike, but on PostgreSQL two graders starting together can both
miss the index and the loser fails on the catalogue's unique key: there the
builds take an advisory lock, so one grader builds and the others find it
built. A build that meets another grader's writes is tried again, and a
gradebook that has them all is not locked at all.
"""

from __future__ import annotations

import time

#: Tries of an index build that met another grader's writes.
TRIES = 5
#: The advisory lock key that serializes index builds on PostgreSQL ("calcmlix").
LOCK_KEY = 0x63616C636D6C6978
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
        for attempt in range(TRIES):
            try:
                _create_missing(engine)
                break
            except (sqlalchemy.exc.OperationalError, sqlalchemy.exc.IntegrityError):
                # Another grader's writes and this index build waited on each other
                # (PostgreSQL ends one as a deadlock), or another grader built the
                # index first: look again once it is done.
                if attempt == TRIES - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
    finally:
        engine.dispose()
    _DONE.add(db_url)


def _create_missing(engine) -> None:
    import sqlalchemy

    inspector = sqlalchemy.inspect(engine)
    tables = {table for _, table, _ in INDEXES}
    existing = {index["name"] for table in tables for index in inspector.get_indexes(table)}
    missing = [(n, t, c) for n, t, c in INDEXES if n not in existing]
    if not missing:
        return  # nothing to lock: graders already running are not held up
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # Held to the end of this transaction: graders starting together build in turn.
            conn.execute(sqlalchemy.text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})
        for name, table, column in missing:
            sql = f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})"
            conn.execute(sqlalchemy.text(sql))

"""The service's memory: every submission it has seen and how far it got, in SQLite.

A row is written when a submission is first seen (``queued``) and finished in
one transaction when its feedback has been released (``graded`` or
``refused``). After ``kill -9`` the queued rows are simply done again, in
arrival order: filing copies the same files, grading skips a notebook whose
result already matches its digest, and releasing overwrites the same page, so
nothing is lost and nothing is graded or counted twice.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    folder TEXT PRIMARY KEY,      -- the exchange inbound folder's name
    student TEXT NOT NULL,
    lesson TEXT NOT NULL,
    stamp TEXT NOT NULL,          -- nbgrader's submission timestamp, as the student's side wrote it
    seen REAL NOT NULL,           -- when the service first saw it (its own clock)
    state TEXT NOT NULL,          -- queued | graded | refused
    number INTEGER,               -- graded attempts of this student and lesson, this one included
    score REAL,
    max_score REAL,
    recorded REAL,                -- what the gradebook keeps after this attempt
    late INTEGER,
    reason TEXT,                  -- why it was refused, or the grader's status
    flags TEXT,
    done REAL
);
CREATE INDEX IF NOT EXISTS attempts_by_student ON attempts (student, lesson, state);
CREATE INDEX IF NOT EXISTS attempts_by_state ON attempts (state, seen);
"""


@dataclass
class Attempt:
    folder: str
    student: str
    lesson: str
    stamp: str
    seen: float
    state: str = "queued"
    number: int | None = None
    score: float | None = None
    max_score: float | None = None
    recorded: float | None = None
    late: bool = False
    reason: str = ""
    flags: str = ""
    done: float | None = None

    @property
    def latency(self) -> float | None:
        return None if self.done is None else self.done - self.seen


class Ledger:
    """One SQLite file; each thread opens its own connection (``Ledger(path)`` is cheap)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def known(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT folder FROM attempts")}

    def add(self, attempt: Attempt) -> bool:
        """Queue a new submission; False if it was already known."""
        cur = self._db.execute(
            "INSERT OR IGNORE INTO attempts (folder, student, lesson, stamp, seen, state) "
            "VALUES (?, ?, ?, ?, ?, 'queued')",
            (attempt.folder, attempt.student, attempt.lesson, attempt.stamp, attempt.seen),
        )
        return cur.rowcount == 1

    def queued(self) -> list[Attempt]:
        """Waiting submissions, oldest first (arrival order: the service's clock)."""
        return list(self._select("state = 'queued' ORDER BY seen, stamp, folder"))

    def graded(self, student: str, lesson: str) -> list[Attempt]:
        """This student's graded attempts of ``lesson``, oldest first."""
        return list(
            self._select(
                "state = 'graded' AND student = ? AND lesson = ? ORDER BY number",
                (student, lesson),
            )
        )

    def finish(self, attempt: Attempt) -> None:
        """Mark it done (graded or refused) with what it got; the one commit per submission."""
        self._db.execute(
            "UPDATE attempts SET state = ?, number = ?, score = ?, max_score = ?, recorded = ?, "
            "late = ?, reason = ?, flags = ?, done = ? WHERE folder = ?",
            (
                attempt.state,
                attempt.number,
                attempt.score,
                attempt.max_score,
                attempt.recorded,
                int(attempt.late),
                attempt.reason,
                attempt.flags,
                attempt.done if attempt.done is not None else time.time(),
                attempt.folder,
            ),
        )

    def recent(self, limit: int = 50) -> list[Attempt]:
        return list(self._select("state != 'queued' ORDER BY done DESC LIMIT ?", (limit,)))

    def done_since(self, since: float) -> list[Attempt]:
        return list(self._select("state != 'queued' AND done >= ? ORDER BY done", (since,)))

    def counts(self) -> dict[tuple[str, str], int]:
        """(lesson, state) -> number of submissions."""
        rows = self._db.execute("SELECT lesson, state, COUNT(*) FROM attempts GROUP BY 1, 2")
        return {(lesson, state): n for lesson, state, n in rows}

    def _select(self, where: str, args: tuple = ()) -> Iterator[Attempt]:
        cols = (
            "folder, student, lesson, stamp, seen, state, number, score, max_score, recorded, "
            "late, reason, flags, done"
        )
        for row in self._db.execute(f"SELECT {cols} FROM attempts WHERE {where}", args):
            yield Attempt(*row[:10], bool(row[10]), row[11] or "", row[12] or "", row[13])

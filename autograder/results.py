"""What grading one submission produced, as plain data saved beside it.

The file ``autograded/<student>/<lesson>/autograder.json`` is written last and
atomically, after the gradebook commit: its presence (with the digest of the
submitted notebook) is what lets a rerun skip work already done.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .safe_files import read_file, write_file

RESULT_FILE = "autograder.json"

#: Flags a TA sees in exports and reports.
FLAGS = {
    "late": "submitted after the due date",
    "timed-out": "the notebook ran past its time limit",
    "crashed": "the notebook's process died",
    "unreadable": "the file is not a valid notebook",
    "needs-manual-grading": "a written answer waits for a TA",
    "cells-changed": "locked or test cells were edited, deleted or retyped (restored)",
    "tampered": "the notebook's code replaced grading functions or IPython hooks",
    "missing": "no submission",
    "error": "the grader could not finish this submission (it scores 0 until a TA looks)",
}


@dataclass
class CellResult:
    grade_id: str
    points: float
    max_points: float
    #: What the student reads: the check's feedback or the error's one-line summary.
    feedback: str = ""
    note: str = ""
    part: str = ""


@dataclass
class SubmissionResult:
    student: str
    lesson: str
    status: str  # graded | timed-out | crashed | unreadable | error
    digest: str
    timestamp: str | None = None
    seconds: float = 0.0
    cells: list[CellResult] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    #: Sandbox layers that confined the run (empty: not sandboxed).
    sandbox: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(c.points for c in self.cells), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_points for c in self.cells), 6)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SubmissionResult:
        cells = [CellResult(**c) for c in data.get("cells", [])]
        return cls(**{**data, "cells": cells})


def save(result: SubmissionResult, folder: Path, *, durable: bool = True) -> Path:
    """Write atomically: a reader sees the old file or the new one, never half, never a link.

    ``durable=False``: see :func:`~.safe_files.write_file`.
    """
    data = json.dumps(result.to_dict(), indent=1).encode()
    return write_file(folder, RESULT_FILE, data, durable=durable)


def load(folder: Path) -> SubmissionResult | None:
    """The saved result, or None (also for anything but a regular file: never followed)."""
    try:
        raw = read_file(folder.parent, [folder.name, RESULT_FILE])
        return SubmissionResult.from_dict(json.loads(raw))
    except (OSError, ValueError, TypeError, KeyError, RecursionError):
        return None

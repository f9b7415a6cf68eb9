"""What grading one submission produced, as plain data saved beside it.

The file ``autograded/<student>/<lesson>/autograder.json`` is written last and
atomically, after the gradebook commit: its presence (with the digest of the
submitted notebook) is what lets a rerun skip work already done.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

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
    status: str  # graded | timed-out | crashed | unreadable
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


def save(result: SubmissionResult, folder: Path) -> Path:
    """Write atomically: a reader sees the old file or the new one, never half."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".result-", suffix=".json")
    with os.fdopen(fd, "w") as fh:
        json.dump(result.to_dict(), fh, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    target = folder / RESULT_FILE
    os.replace(tmp, target)
    return target


def load(folder: Path) -> SubmissionResult | None:
    path = folder / RESULT_FILE
    if not path.is_file():
        return None
    try:
        return SubmissionResult.from_dict(json.loads(path.read_text()))
    except (ValueError, TypeError, KeyError):
        return None

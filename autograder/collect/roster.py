"""A class roster: who the students are, under the names each system uses.

CSV columns (header required): ``student_id`` and optionally ``canvas_id``,
``name``, ``sis_id``, ``section``. Canvas zip downloads name files by a
``lastfirst`` name and the Canvas user id; the roster maps them to our ids.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path


def squash(name: str) -> str:
    """Canvas's file-name form of a person's name: lower case letters only."""
    return re.sub(r"[^a-z]", "", name.lower())


@dataclass
class Roster:
    rows: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def read(cls, path: str | Path) -> Roster:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "student_id" not in reader.fieldnames:
                raise ValueError(f"{path}: a roster needs a 'student_id' column")
            rows = [
                {k: (v or "").strip() for k, v in row.items() if k}
                for row in reader
                if (row.get("student_id") or "").strip()
            ]
        return cls(rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def ids(self) -> list[str]:
        return [r["student_id"] for r in self.rows]

    def by_canvas(self, canvas_id: str, lastfirst: str) -> str | None:
        for row in self.rows:
            if canvas_id and row.get("canvas_id") == canvas_id:
                return row["student_id"]
        matches = [r for r in self.rows if lastfirst and squash(r.get("name", "")) == lastfirst]
        if len(matches) == 1:
            return matches[0]["student_id"]
        return None

    def row(self, student_id: str) -> dict[str, str]:
        for row in self.rows:
            if row["student_id"] == student_id:
                return row
        return {"student_id": student_id}

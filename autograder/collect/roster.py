"""A class roster: who the students are, under the names each system uses.

CSV columns (header required): ``student_id`` and optionally ``canvas_id``,
``name`` (or ``first_name`` and ``last_name``), ``email``, ``sis_id``,
``section``. Canvas zip downloads name files by a ``lastfirst`` name and the
Canvas user id; the roster maps them to our ids. A roster that cannot be read
is the user's to fix, so every problem is a one-line :class:`RosterError`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..course import STUDENT_ID, CourseError


class RosterError(CourseError, ValueError):
    """The roster file is missing, unreadable or malformed."""


def squash(name: str) -> str:
    """Canvas's file-name form of a person's name: lower case letters only."""
    return re.sub(r"[^a-z]", "", name.lower())


def _rows(path: str | Path) -> list[dict[str, str]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            if not reader.fieldnames or "student_id" not in reader.fieldnames:
                raise RosterError(f"{path}: a roster needs a 'student_id' column")
            return [
                {k.strip(): (v or "").strip() for k, v in row.items() if isinstance(k, str)}
                for row in reader
            ]
    except FileNotFoundError:
        raise RosterError(f"roster {path} does not exist") from None
    except IsADirectoryError:
        raise RosterError(f"roster {path} is a folder, not a CSV file") from None
    except UnicodeDecodeError:
        raise RosterError(f"roster {path} is not UTF-8 text (save it as CSV UTF-8)") from None
    except csv.Error as exc:
        raise RosterError(f"roster {path} is not a readable CSV file ({exc})") from None
    except OSError as exc:
        raise RosterError(f"cannot read roster {path}: {exc.strerror or exc}") from None


@dataclass
class Roster:
    rows: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def read(cls, path: str | Path) -> Roster:
        rows, seen = [], set()
        for line, row in enumerate(_rows(path), start=2):
            sid = row.get("student_id", "")
            if not sid:
                continue
            if not STUDENT_ID.match(sid):
                raise RosterError(f"{path}, line {line}: student id {sid!r} is not usable")
            if sid in seen:
                raise RosterError(f"{path}, line {line}: student id {sid!r} appears twice")
            seen.add(sid)
            rows.append(row)
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

    def find(self, student_id: str) -> dict[str, str] | None:
        """The roster's row for ``student_id``, or None if the roster lacks the student."""
        return next((row for row in self.rows if row["student_id"] == student_id), None)

    def row(self, student_id: str) -> dict[str, str]:
        return self.find(student_id) or {"student_id": student_id}

    def person(self, student_id: str) -> dict[str, str | None]:
        """First name, last name and email for nbgrader's gradebook (None where unknown).

        >>> Roster([{"student_id": "jd", "name": "Jane van Doe"}]).person("jd")
        {'first_name': 'Jane', 'last_name': 'van Doe', 'email': None, 'lms_user_id': None}
        """
        row = self.row(student_id)
        first, last = row.get("first_name") or None, row.get("last_name") or None
        if not (first or last) and row.get("name"):
            name = row["name"]
            if "," in name:  # "Doe, Jane", as Canvas's sortable name
                last, _, first = (p.strip() for p in name.partition(","))
            else:
                first, _, last = name.partition(" ")
            first, last = first or None, last.strip() or None
        return {
            "first_name": first,
            "last_name": last,
            "email": row.get("email") or None,
            "lms_user_id": row.get("canvas_id") or None,
        }

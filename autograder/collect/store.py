"""File incoming submissions into ``submitted/``, keeping every older one.

The latest submission of a student wins the ``submitted/`` slot (that is what
nbgrader grades); every other version goes to ``archive/`` under its
timestamp. Nothing is overwritten and nothing is dropped: what cannot be filed
is listed in the report.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..course import Course
from .roster import Roster
from .sources import Incoming, Rejected, parse_stamp

TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"


@dataclass
class CollectReport:
    lesson: str
    stored: list[dict] = field(default_factory=list)
    archived: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def empty(self) -> bool:
        """Nothing at all for this lesson was found: the wrong folder or download?"""
        return not (self.stored or self.archived or self.unchanged)

    def summary(self) -> str:
        lines = [
            f"{self.lesson}: {len(self.stored)} submission(s) filed, "
            f"{len(self.archived)} older version(s) archived, "
            f"{len(self.unchanged)} already collected, {len(self.rejected)} file(s) not filed"
        ]
        for item in self.rejected:
            lines.append(f"  not filed: {item['origin']}: {item['reason']}")
        return "\n".join(lines)


def enroll(course: Course, roster: Roster) -> int:
    """Put the roster's students, with their names and emails, into nbgrader's gradebook.

    Done on collect, so ``nbgrader db student list`` and formgrade show names,
    and every report counts the whole class, also students who never submit.
    Returns how many students were written.
    """
    import warnings

    from nbgrader.api import Gradebook
    from sqlalchemy.exc import SAWarning

    with warnings.catch_warnings(), Gradebook(course.db_url, course.course_id) as gb:
        warnings.simplefilter("ignore", SAWarning)
        for student in roster.ids():
            known = {k: v for k, v in roster.person(student).items() if v}
            gb.update_or_create_student(student, **known)
    return len(roster.ids())


def _stamp(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def _folder_stamp(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write(folder: Path, files: list[Incoming], ts: datetime) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for item in files:
        (folder / item.filename).write_bytes(item.data)
    (folder / "timestamp.txt").write_text(_stamp(ts))


def _existing(folder: Path, notebook: str) -> tuple[str | None, datetime | None]:
    nb = folder / f"{notebook}.ipynb"
    if not nb.is_file():
        return None, None
    ts = None
    stamp = folder / "timestamp.txt"
    if stamp.is_file():
        try:
            ts = parse_stamp(stamp.read_text())
        except Exception:  # noqa: BLE001
            ts = None
    return _digest(nb.read_bytes()), ts


def _archive_slot(course: Course, student: str, lesson: str, ts: datetime) -> Path:
    base = course.root / "archive" / student / lesson / _folder_stamp(ts)
    slot, n = base, 1
    while slot.exists():
        slot = base.with_name(f"{base.name}-{n}")
        n += 1
    return slot


def _archived_digests(course: Course, student: str, lesson: str, notebook: str) -> set[str]:
    base = course.root / "archive" / student / lesson
    return (
        {_digest(p.read_bytes()) for p in base.glob(f"*/{notebook}.ipynb")}
        if base.is_dir()
        else set()
    )


def store(course: Course, lesson: str, items: Iterable[Incoming | Rejected]) -> CollectReport:
    """File ``items`` for ``lesson``; returns what happened to each of them."""
    notebook = course.notebook_name(lesson)
    report = CollectReport(lesson)
    groups: dict[str, list[Incoming]] = defaultdict(list)
    for item in items:
        if isinstance(item, Rejected):
            report.rejected.append({"origin": item.origin, "reason": item.reason})
        else:
            groups[item.student].append(item)
    for student, files in sorted(groups.items()):
        notebooks = sorted(
            (f for f in files if f.is_notebook), key=lambda f: (f.timestamp, f.origin)
        )
        extras = [f for f in files if not f.is_notebook]
        if not notebooks:
            for f in extras:
                report.rejected.append(
                    {"origin": f.origin, "reason": f"no {lesson} notebook from {student} beside it"}
                )
            continue
        # Extra files go with the filed (latest) notebook; an archived older
        # version keeps those that were there by its own time.
        versions = [(nb, [e for e in extras if e.timestamp <= nb.timestamp]) for nb in notebooks]
        latest, latest_extras = notebooks[-1], extras
        target = course.submitted(student, lesson)
        old_digest, old_ts = _existing(target, notebook)
        archived = _archived_digests(course, student, lesson, notebook)
        entry = {"student": student, "origin": latest.origin, "timestamp": _stamp(latest.timestamp)}
        if old_digest == _digest(latest.data):
            report.unchanged.append(entry)
        elif old_digest is not None and old_ts is not None and old_ts >= latest.timestamp:
            # What is already filed is newer: the incoming one is an older version.
            if _digest(latest.data) not in archived:
                _write(
                    _archive_slot(course, student, lesson, latest.timestamp),
                    [latest, *latest_extras],
                    latest.timestamp,
                )
                report.archived.append(entry)
        else:
            if old_digest is not None:
                slot = _archive_slot(course, student, lesson, old_ts or datetime.now(UTC))
                slot.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(target), slot)
                report.archived.append(
                    {
                        "student": student,
                        "origin": "previous submission",
                        "timestamp": _stamp(old_ts) if old_ts else None,
                    }
                )
            _write(target, [latest, *latest_extras], latest.timestamp)
            report.stored.append(entry)
        for nb, nb_extras in versions[:-1]:
            if _digest(nb.data) in archived or _digest(nb.data) == old_digest:
                continue
            _write(
                _archive_slot(course, student, lesson, nb.timestamp), [nb, *nb_extras], nb.timestamp
            )
            archived.add(_digest(nb.data))
            report.archived.append(
                {"student": student, "origin": nb.origin, "timestamp": _stamp(nb.timestamp)}
            )
    course.reports.mkdir(parents=True, exist_ok=True)
    (course.reports / f"collect-{lesson}.json").write_text(json.dumps(report.to_dict(), indent=1))
    return report

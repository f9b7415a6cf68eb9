"""Find new submissions in nbgrader's exchange and file each attempt into the course.

``nbgrader submit`` (and the Assignment List's Submit button) copies the
notebook into ``<exchange>/<course>/inbound/<student>+<lesson>+<timestamp>+<random>/``
and writes ``timestamp.txt`` and then ``submission_secret.txt``; a folder is
ready once the secret is there (or, for an older nbgrader, once
``timestamp.txt`` is a few seconds old). The inbound folder is never changed:
``nbgrader fetch_feedback`` needs it as it was submitted.

Every attempt is copied to ``attempts/<student>/<lesson>/<folder>/``; the one
the gradebook records is copied to ``submitted/<student>/<lesson>/``. The
folders were written by students, so they are read without following links
(:mod:`..safe_files`) and only the notebook and nbgrader's two small files are
taken.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from ..course import STUDENT_ID, Course
from ..safe_files import UnsafeFile, read_file, write_file

#: nbgrader's small files, kept with each attempt (fetch_feedback hashes with the secret).
SMALL_FILES = ("timestamp.txt", "submission_secret.txt")
#: A folder without a secret counts as complete after this long (nbgrader before 0.9).
SETTLE_SECONDS = 3.0


class NotFiled(Exception):
    """The submission cannot be graded; the message is for the student's page."""


@dataclass(frozen=True)
class Arrival:
    folder: str
    student: str
    lesson: str
    stamp: str


def inbound(exchange: Path, course: Course) -> Path:
    return exchange / course.course_id / "inbound"


def parse_folder(name: str) -> Arrival | None:
    """``student+lesson+timestamp[+random]`` -> an arrival; None for any other name."""
    parts = name.split("+")
    if len(parts) not in (3, 4) or not all(parts[:3]):
        return None
    return Arrival(name, parts[0], parts[1], parts[2])


def scan(folder: Path, known: set[str], *, now: float | None = None) -> list[Arrival]:
    """Complete submission folders not in ``known``, in name order (the caller stamps arrival)."""
    now = time.time() if now is None else now
    found = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except FileNotFoundError:
        return []
    for entry in entries:
        if entry.name in known or not entry.is_dir(follow_symlinks=False):
            continue
        arrival = parse_folder(entry.name)
        if arrival is None or not _complete(Path(entry.path), now):
            continue
        found.append(arrival)
    return found


def _complete(path: Path, now: float) -> bool:
    if (path / "submission_secret.txt").is_file():
        return True
    stamp = path / "timestamp.txt"
    return stamp.is_file() and now - stamp.stat().st_mtime >= SETTLE_SECONDS


def problem(arrival: Arrival, lessons: list[str]) -> str | None:
    """Why this folder cannot be an attempt at all (None: it can)."""
    if not STUDENT_ID.match(arrival.student):
        return f"the student id {arrival.student!r} is not a usable folder name"
    if arrival.lesson not in lessons:
        return f"{arrival.lesson!r} is not a lesson of this course"
    return None


def not_owner(box: Path, arrival: Arrival) -> str | None:
    """Why the folder's owner cannot be the student it names (None: it can be).

    On a JupyterHub with a system user per student, ``nbgrader submit`` runs as
    the student, so the folder is theirs; one named for another student, made
    by someone else, is a forgery (nbgrader's shared exchange lets anyone write
    there). Folders owned by the service's own user (a single-user setup, or a
    TA copying submissions in) are trusted, as ``nbgrader collect`` does.
    """
    try:
        owner = (box / arrival.folder).lstat().st_uid
    except OSError as exc:
        return f"the folder cannot be read ({exc.strerror})"
    if owner == os.geteuid():
        return None
    import pwd

    try:
        name = pwd.getpwuid(owner).pw_name
    except KeyError:
        name = str(owner)
    if name != arrival.student:
        return f"made by user {name!r}, not by {arrival.student!r} whose submission it claims to be"
    return None


def attempt_dir(course: Course, arrival: Arrival) -> Path:
    return course.root / "attempts" / arrival.student / arrival.lesson / arrival.folder


def file_attempt(course: Course, box: Path, arrival: Arrival, notebook: str) -> Path:
    """Copy the attempt's notebook and nbgrader's files into ``attempts/``; idempotent."""
    dest = attempt_dir(course, arrival)
    dest.mkdir(parents=True, exist_ok=True)
    name = f"{notebook}.ipynb"
    try:
        data = read_file(box, [arrival.folder, name])
    except FileNotFoundError:
        raise NotFiled(
            f"The submission has no {name}: submit the lesson's notebook under its own name."
        ) from None
    except (UnsafeFile, OSError) as exc:
        raise NotFiled(f"{name} could not be read as a plain file ({exc}).") from None
    write_file(dest, name, data)
    for small in SMALL_FILES:
        try:
            write_file(dest, small, read_file(box, [arrival.folder, small], max_bytes=4096))
        except (FileNotFoundError, UnsafeFile, OSError):
            continue
    return dest


def install(course: Course, attempt: Path, student: str, lesson: str, notebook: str) -> None:
    """Make ``attempt`` the submission nbgrader grades: ``submitted/<student>/<lesson>/``.

    Built beside the target and swapped in by renames, so a crash leaves the
    old submission, the new one, or (briefly) none, which the retry fills.
    """
    target = course.submitted(student, lesson)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(f".{lesson}.new")
    old = target.with_name(f".{lesson}.old")
    for stale in (fresh, old):
        shutil.rmtree(stale, ignore_errors=True)
    fresh.mkdir()
    for name in (f"{notebook}.ipynb", *SMALL_FILES):
        if (attempt / name).is_file():
            write_file(fresh, name, (attempt / name).read_bytes())
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)

"""Read submissions from where a TA has them: a folder, an LMS zip, the exchange."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from ..course import STUDENT_ID, CourseError
from .roster import Roster

#: Refuse archives that expand beyond these (zip bombs).
MAX_MEMBER_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 100_000

#: Canvas: ``lastfirst[_LATE]_<user id>_<submission id>_<original name>``.
CANVAS_NAME = re.compile(
    r"^(?P<name>[a-z]+)(?P<late>_late)?_(?P<user>\d+)_(?P<sub>\d+)_(?P<file>.+)$", re.I
)


@dataclass
class Incoming:
    """One file on its way into ``submitted/``."""

    student: str
    filename: str  # the name it keeps in the submission folder
    data: bytes
    timestamp: datetime
    origin: str  # where it came from, for the collect report
    is_notebook: bool = True


@dataclass
class Rejected:
    """A file that could not be filed, and why (never silently dropped)."""

    origin: str
    reason: str


def _matches_lesson(filename: str, lesson: str) -> bool:
    stem = Path(filename).stem.lower()
    return lesson.lower() in re.sub(r"[^a-z0-9]", "", stem) or lesson.lower() in stem


def _utc(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)


def parse_stamp(text: str) -> datetime:
    """nbgrader's timestamp text as an aware UTC datetime (nbgrader returns naive UTC)."""
    from nbgrader.utils import parse_utc

    ts = parse_utc(text.strip())
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts


def _valid_student(student: str) -> bool:
    return bool(STUDENT_ID.match(student))


def _classify(
    student: str, name: str, data: bytes, ts: datetime, origin: str, lesson: str, notebook: str
) -> Incoming | Rejected:
    if not _valid_student(student):
        return Rejected(origin, f"student id {student!r} is not a usable folder name")
    if name.lower().endswith(".ipynb"):
        if not _matches_lesson(name, lesson):
            return Rejected(origin, f"notebook name does not mention {lesson}")
        return Incoming(student, f"{notebook}.ipynb", data, ts, origin)
    return Incoming(student, Path(name).name, data, ts, origin, is_notebook=False)


def from_folder(path: Path, lesson: str, notebook: str) -> Iterator[Incoming | Rejected]:
    """``PATH/<student>/...`` (any depth, nbgrader layout too) or ``PATH/<student>.ipynb``."""
    for file in sorted(p for p in path.rglob("*") if p.is_file() or p.is_symlink()):
        rel = file.relative_to(path)
        origin = str(rel)
        if file.is_symlink():
            yield Rejected(origin, "symbolic links are not followed")
            continue
        if any(part.startswith(".") for part in rel.parts) or file.name == "timestamp.txt":
            continue
        if file.stat().st_size > MAX_MEMBER_BYTES:
            yield Rejected(origin, f"larger than {MAX_MEMBER_BYTES // 2**20} MiB")
            continue
        student = rel.parts[0] if len(rel.parts) > 1 else file.stem
        ts = _folder_timestamp(file.parent) or _utc(file.stat().st_mtime)
        yield _classify(student, file.name, file.read_bytes(), ts, origin, lesson, notebook)


def _folder_timestamp(folder: Path) -> datetime | None:
    stamp = folder / "timestamp.txt"
    if stamp.is_file():
        try:
            return parse_stamp(stamp.read_text())
        except Exception:  # noqa: BLE001
            return None
    return None


def from_lms_zip(
    path: Path, lesson: str, notebook: str, roster: Roster | None = None
) -> Iterator[Incoming | Rejected]:
    """A Canvas "Download Submissions" zip; other LMS zips with ``student/file`` names too."""
    roster = roster or Roster()
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield Rejected(str(path), f"not a readable zip file ({exc})")
        return
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            yield Rejected(str(path), f"more than {MAX_MEMBERS} files in the archive")
            return
        total = 0
        for info in members:
            if info.is_dir():
                continue
            origin = info.filename
            pure = PurePosixPath(info.filename.replace("\\", "/"))
            if pure.is_absolute() or ".." in pure.parts:
                yield Rejected(origin, "unsafe path in the archive (absolute or '..')")
                continue
            if info.file_size > MAX_MEMBER_BYTES or (
                info.compress_size
                and info.file_size / max(info.compress_size, 1) > MAX_RATIO
                and info.file_size > 1_000_000
            ):
                yield Rejected(origin, "refused: expands too much (a zip bomb?)")
                continue
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                yield Rejected(origin, "refused: the archive expands beyond 2 GiB")
                return
            data = _read_capped(archive, info)
            if data is None:
                yield Rejected(origin, "refused: expands beyond its declared size")
                continue
            ts = datetime(*info.date_time, tzinfo=UTC)
            yield _from_zip_name(pure, data, ts, origin, lesson, notebook, roster)


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    with archive.open(info) as fh:
        data = fh.read(MAX_MEMBER_BYTES + 1)
    return None if len(data) > MAX_MEMBER_BYTES else data


def _from_zip_name(
    pure: PurePosixPath, data, ts, origin, lesson, notebook, roster: Roster
) -> Incoming | Rejected:
    m = CANVAS_NAME.match(pure.name)
    if m:
        lastfirst = m["name"].lower()
        student = roster.by_canvas(m["user"], lastfirst) if roster else None
        if student is None:
            if roster:
                return Rejected(
                    origin, f"Canvas user {m['user']} ({lastfirst}) is not in the roster"
                )
            student = lastfirst
        # Canvas appends -1, -2 ... to resubmitted files; the timestamp orders them.
        return _classify(student, m["file"], data, ts, origin, lesson, notebook)
    if len(pure.parts) >= 2:
        return _classify(pure.parts[0], pure.name, data, ts, origin, lesson, notebook)
    return Rejected(origin, "cannot tell whose file this is (not a Canvas name, not in a folder)")


def from_exchange(path: Path, lesson: str, notebook: str) -> Iterator[Incoming | Rejected]:
    """nbgrader's exchange ``inbound`` folder: ``<student>+<assignment>+<timestamp>[+<random>]``."""
    for folder in sorted(p for p in path.iterdir() if p.is_dir()):
        parts = folder.name.split("+")
        if len(parts) < 3:
            yield Rejected(folder.name, "not an exchange submission folder name")
            continue
        student, assignment, stamp = parts[0], parts[1], parts[2]
        if assignment != lesson:
            continue  # another lesson's submission: not ours to collect
        try:
            ts = _folder_timestamp(folder) or parse_stamp(stamp)
        except Exception:  # noqa: BLE001
            yield Rejected(folder.name, f"unreadable timestamp {stamp!r}")
            continue
        for file in sorted(p for p in folder.rglob("*") if p.is_file()):
            if file.name == "timestamp.txt":
                continue
            origin = f"{folder.name}/{file.relative_to(folder)}"
            yield _classify(student, file.name, file.read_bytes(), ts, origin, lesson, notebook)


def read(
    path: Path, lesson: str, notebook: str, kind: str = "auto", roster: Roster | None = None
) -> Iterator[Incoming | Rejected]:
    """Everything at ``path`` for ``lesson``, whatever kind of source it is."""
    kind = detect(path) if kind == "auto" else kind
    if kind == "zip":
        return from_lms_zip(path, lesson, notebook, roster)
    if kind == "exchange":
        return from_exchange(path, lesson, notebook)
    return from_folder(path, lesson, notebook)


def check_source(path: Path, kind: str = "auto") -> str:
    """The kind of source ``path`` is, or a :class:`CourseError` saying what is wrong with it.

    Run before collecting, so a wrong ``--from`` is one clear line, not a
    report of zero submissions.
    """
    if not path.exists():
        raise CourseError(f"{path} does not exist")
    if path.is_dir():
        try:
            next(path.iterdir(), None)
        except OSError as exc:
            raise CourseError(f"cannot read {path}: {exc.strerror or exc}") from None
    kind = detect(path) if kind == "auto" else kind
    if kind == "zip":
        if not path.is_file():
            raise CourseError(f"{path} is a folder, not a zip file (drop --kind zip)")
        try:
            with zipfile.ZipFile(path) as archive:
                archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise CourseError(
                f"{path} is not a readable zip file ({exc}); --from takes a folder, a zip "
                "download or the exchange inbound folder"
            ) from None
    elif not path.is_dir():
        raise CourseError(f"{path} is a file, not a folder ({kind} sources are folders)")
    return kind


def detect(path: Path) -> str:
    """Which kind of source ``path`` is: ``zip``, ``exchange`` or ``folder``."""
    if path.is_file():
        return "zip"
    if path.name == "inbound" or any("+" in p.name for p in path.iterdir() if p.is_dir()):
        return "exchange"
    return "folder"

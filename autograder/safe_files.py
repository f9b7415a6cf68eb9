"""File access for the trusted grader that never follows a link a student could have planted.

The grader runs with more rights than any student (often as root). Under
``submitted/`` and in a submission's autograded folder it therefore opens
every path component relative to its parent's descriptor with
``O_NOFOLLOW``, checks with ``fstat`` that it got a regular file or a folder,
and writes only through fresh files created with ``O_EXCL`` and renamed into
place (a rename replaces a planted link, it never writes through it).

>>> import tempfile; folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "secret").write_text("s"); (folder / "nb.ipynb").symlink_to(folder / "secret")
>>> read_file(folder, ["nb.ipynb"])
Traceback (most recent call last):
...
autograder.safe_files.UnsafeFile: nb.ipynb is a symbolic link, which is not graded ...
>>> _ = write_file(folder, "nb.ipynb", b"{}"); (folder / "secret").read_text()
's'
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
NEW_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
#: A notebook larger than this is not read (a grader must not be flooded).
MAX_BYTES = 64 * 1024**2


class UnsafeFile(ValueError):
    """A path that is not a plain file or folder; the message says what it is instead."""


def describe(mode: int) -> str:
    """What a file of this mode is, in words."""
    for test, words in (
        (stat.S_ISLNK, "a symbolic link"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
    ):
        if test(mode):
            return words
    return "a regular file" if stat.S_ISREG(mode) else "not a regular file"


def _refusal(name: str, mode: int, wanted: str) -> UnsafeFile:
    what = describe(mode)
    if stat.S_ISLNK(mode):
        return UnsafeFile(f"{name} is {what}, which is not graded (submit the file itself)")
    return UnsafeFile(f"{name} is {what}, not {wanted}")


@contextlib.contextmanager
def open_folder(base: Path, parts: list[str]) -> Iterator[int]:
    """A descriptor of ``base/parts...``, each part entered without following a link."""
    fd = os.open(base, DIR_FLAGS & ~os.O_NOFOLLOW)  # the course's own folder: trusted
    try:
        for part in parts:
            try:
                inner = os.open(part, DIR_FLAGS, dir_fd=fd)
            except OSError:
                mode = _lmode(fd, part)
                if mode is None:
                    raise FileNotFoundError(part) from None
                raise _refusal(part, mode, "a folder") from None
            os.close(fd)
            fd = inner
        yield fd
    finally:
        os.close(fd)


def _lmode(dir_fd: int, name: str) -> int | None:
    try:
        return os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except OSError:
        return None


def read_file(base: Path, parts: list[str], max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file ``base/parts...``; :class:`UnsafeFile` for anything else.

    Raises ``FileNotFoundError`` when nothing is there.
    """
    *folders, name = parts
    with open_folder(base, folders) as dir_fd:
        mode = _lmode(dir_fd, name)
        if mode is None:
            raise FileNotFoundError(name)
        if not stat.S_ISREG(mode):
            raise _refusal(name, mode, "a notebook file")
        fd = os.open(name, FILE_FLAGS, dir_fd=dir_fd)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped since the lstat
                raise _refusal(name, os.fstat(fd).st_mode, "a notebook file")
            chunks, size = [], 0
            while chunk := os.read(fd, 1 << 20):
                size += len(chunk)
                if size > max_bytes:
                    raise UnsafeFile(f"{name} is larger than {max_bytes // 2**20} MiB")
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            os.close(fd)


def write_file(folder: Path, name: str, data: bytes, *, durable: bool = True) -> Path:
    """Write ``folder/name`` atomically through a fresh file; never through a link.

    Whatever is at ``name`` (a file, a planted link, a folder) is replaced.
    ``durable=False`` leaves out the file's own fsync (milliseconds each), for a
    caller that writes many and makes them durable at once with :func:`sync_filesystems`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with open_folder(folder.parent, [folder.name]) as dir_fd:
        tmp = f".{name}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp, dir_fd=dir_fd)
        fd = os.open(tmp, NEW_FILE_FLAGS, 0o644, dir_fd=dir_fd)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        mode = _lmode(dir_fd, name)
        if mode is not None and stat.S_ISDIR(mode):
            shutil.rmtree(folder / name)  # fd-based: safe against links inside
        os.replace(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    return folder / name


def sync_filesystems(paths: Iterable[Path]) -> None:
    """Make everything written on the filesystems of ``paths`` durable: one ``syncfs`` each.

    One call costs about what a single fsync does, so files written with
    ``durable=False`` and synced together cost a fraction of syncing each.
    """
    done: set[int] = set()
    for path in paths:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except FileNotFoundError:
            continue  # nothing was written there
        try:
            device = os.fstat(fd).st_dev
            if device not in done:
                done.add(device)
                if _syncfs(fd) != 0:
                    os.sync()  # no syncfs (not Linux, or refused): every filesystem
        finally:
            os.close(fd)


def _syncfs(fd: int) -> int:
    try:
        return ctypes.CDLL(None, use_errno=True).syncfs(fd)
    except (OSError, AttributeError):
        return -1


def copy_tree(base: Path, parts: list[str], dest: Path, skip_suffix: str = "") -> list[str]:
    """Copy the regular files and folders of ``base/parts...`` into ``dest`` (a fresh folder).

    Files named ``*skip_suffix`` are left out at every level.
    Links, pipes, sockets and devices are not copied (nor followed); their
    paths are returned, each with what it is, for the TA.
    """
    skipped: list[str] = []
    with open_folder(base, parts) as src:
        _copy(src, dest, "", skip_suffix, skipped)
    return skipped


def _copy(src: int, dest: Path, prefix: str, skip_suffix: str, skipped: list[str]) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    for entry in sorted(os.listdir(src)):
        mode = _lmode(src, entry)
        shown = f"{prefix}{entry}"
        if mode is None:
            continue
        if stat.S_ISDIR(mode):
            fd = os.open(entry, DIR_FLAGS, dir_fd=src)
            try:
                _copy(fd, dest / entry, f"{shown}/", skip_suffix, skipped)
            finally:
                os.close(fd)
        elif not stat.S_ISREG(mode):
            skipped.append(f"{shown} ({describe(mode)})")
        elif not (skip_suffix and entry.endswith(skip_suffix)):
            fd = os.open(entry, FILE_FLAGS, dir_fd=src)
            try:
                with open(dest / entry, "wb") as out:
                    while chunk := os.read(fd, 1 << 20):
                        out.write(chunk)
            finally:
                os.close(fd)

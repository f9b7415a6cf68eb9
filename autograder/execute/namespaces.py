"""Namespaces, a private scratch disk and no capabilities for a submission's process.

Each child gets its own network (empty: not even loopback), UTS (a hostname
of its own), IPC and mount namespaces. In its mount namespace the scratch
folder becomes a size-limited tmpfs holding a copy of the submission's files,
so its writes are bounded (the disk budget) and never reach the grader's disk:
nothing a notebook leaves behind, a planted link included, survives it. As
root the child later becomes another uid; where Python sits under a folder
that uid may not enter (``/root`` of mode 700), the needed folders are
bind-mounted back under a readable tmpfs, in this namespace only.

Without root, the same namespaces come from a user namespace; the process is
then "root" only inside it until :func:`drop_capabilities`.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import stat
from pathlib import Path

_libc = ctypes.CDLL(None, use_errno=True)
_text = ctypes.c_char_p
_libc.mount.argtypes = [_text, _text, _text, ctypes.c_ulong, _text]

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000
MS_NOSUID, MS_NODEV, MS_BIND, MS_REC, MS_PRIVATE = 2, 4, 4096, 16384, 1 << 18
PR_CAPBSET_DROP, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL = 24, 47, 4
PR_SET_SECUREBITS = 28
#: SECBIT_NOROOT, SECBIT_NO_SETUID_FIXUP, SECBIT_KEEP_CAPS_LOCKED, SECBIT_NO_CAP_AMBIENT_RAISE
#: and their locks: uid 0 never regains capabilities, even through execve.
SECUREBITS = 0x01 | 0x02 | 0x04 | 0x08 | 0x20 | 0x80 | 0x40
CAP_LAST = 63
DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
#: The copy of a submission's files may hold at most this many entries.
MAX_FILES = 2000


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str = "") -> bool:
    enc = [None if s is None else os.fsencode(s) for s in (source, target, fstype)]
    return _libc.mount(enc[0], enc[1], enc[2], flags, data.encode() or None) == 0


def unshare(uid: int, gid: int) -> bool:
    """New mount, network, UTS and IPC namespaces (through a user namespace without root)."""
    flags = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUTS | CLONE_NEWIPC
    if os.geteuid() == 0:
        return _libc.unshare(flags) == 0
    if _libc.unshare(flags | CLONE_NEWUSER) != 0:
        return False
    try:  # the same ids inside as outside: not root there, but with capabilities until dropped
        Path("/proc/self/setgroups").write_text("deny")
        Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
        Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    except OSError:
        return False
    return True


def private_mounts() -> bool:
    """Mounts made from now on stay in this namespace (never propagate to the host)."""
    return _mount(None, "/", None, MS_REC | MS_PRIVATE)


def scratch_disk(scratch: Path, size_bytes: int, uid: int, gid: int) -> bool:
    """Mount a ``size_bytes`` tmpfs over ``scratch`` holding a copy of what was there."""
    try:
        old = os.open(scratch, DIR_FLAGS)
    except OSError:
        return False
    try:
        options = f"size={int(size_bytes)},nr_inodes={MAX_FILES * 4},mode=0700,uid={uid},gid={gid}"
        if not _mount("scratch", str(scratch), "tmpfs", MS_NOSUID | MS_NODEV, options):
            return False
        new = os.open(scratch, DIR_FLAGS)
        try:
            _copy_tree(old, new, uid, gid, [MAX_FILES])
        finally:
            os.close(new)
    except OSError:
        return False
    finally:
        os.close(old)
    return True


def _copy_tree(src: int, dst: int, uid: int, gid: int, budget: list[int]) -> None:
    """Copy regular files and folders from one directory fd to another; never follow links."""
    for entry in os.scandir(src):
        budget[0] -= 1
        if budget[0] < 0:
            return
        info = entry.stat(follow_symlinks=False)
        if stat.S_ISDIR(info.st_mode):
            os.mkdir(entry.name, 0o700, dir_fd=dst)
            os.chown(entry.name, uid, gid, dir_fd=dst, follow_symlinks=False)
            inner_src = os.open(entry.name, DIR_FLAGS, dir_fd=src)
            inner_dst = os.open(entry.name, DIR_FLAGS, dir_fd=dst)
            try:
                _copy_tree(inner_src, inner_dst, uid, gid, budget)
            finally:
                os.close(inner_src)
                os.close(inner_dst)
        elif stat.S_ISREG(info.st_mode):
            fin = os.open(entry.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=src)
            try:
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                fout = os.open(entry.name, flags, 0o600, dir_fd=dst)
                try:
                    os.fchown(fout, uid, gid)
                    while chunk := os.read(fin, 1 << 20):
                        os.write(fout, chunk)
                finally:
                    os.close(fout)
            finally:
                os.close(fin)
        # Links, FIFOs, sockets and devices are not copied.


@functools.lru_cache(maxsize=256)
def _closed_ancestors(path: Path, uid: int) -> tuple[Path, ...]:
    """The ancestors of ``path`` that ``uid`` may not enter, outermost first.

    Cached: the interpreter's folders are the same for every child (the
    zygote fills the cache once); a scratch folder's are looked up per child.
    """
    return tuple(p for p in reversed(path.parents) if not _enterable(p, uid))


def _enterable(path: Path, uid: int) -> bool:
    try:
        info = path.stat()
    except OSError:
        return False
    return bool(info.st_mode & (0o100 if info.st_uid == uid else 0o001))


def reachable_by(path: Path, uid: int) -> bool:
    """Whether ``uid`` (not root, in no group of theirs) can enter ``path``."""
    path = Path(path).resolve()
    return not _closed_ancestors(path, uid) and _enterable(path, uid)


def _blocking_ancestor(path: Path, uid: int) -> Path | None:
    """The outermost folder on the way to ``path`` that ``uid`` may not enter (None if none)."""
    closed = _closed_ancestors(path, uid)
    if closed:
        return closed[0]
    return None if _enterable(path, uid) else path


def make_reachable(paths: list[Path], uid: int) -> bool:
    """Let ``uid`` enter ``paths`` in this mount namespace (root only; after ``unshare``).

    Each outermost folder ``uid`` may not enter is covered by a tmpfs of mode
    755 in which only the needed folders reappear, bind-mounted: their own
    modes still apply, and nothing else of, say, ``/root`` is visible at all.
    """
    needed: dict[Path, list[Path]] = {}
    unique = {Path(p).resolve() for p in paths}
    # A folder inside another needed one comes along with it.
    for path in {p for p in unique if not any(q in p.parents for q in unique)}:
        block = _blocking_ancestor(path, uid)
        if block is not None:
            if block == path:
                return False  # the folder itself is closed: a bind mount cannot open it
            needed.setdefault(block, []).append(path)
    for block, inside in needed.items():
        held = {p: os.open(p, os.O_PATH | os.O_DIRECTORY) for p in inside}
        try:
            if not _mount("reach", str(block), "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0755"):
                return False
            for path, fd in held.items():
                os.makedirs(path, 0o755, exist_ok=True)
                if not _mount(f"/proc/self/fd/{fd}", str(path), None, MS_BIND | MS_REC):
                    return False
        finally:
            for fd in held.values():
                os.close(fd)
    if needed:
        _closed_ancestors.cache_clear()  # this namespace now sees other folders
    return all(reachable_by(p, uid) for p in unique)


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


_CAP_V3 = 0x20080522


def capabilities() -> tuple[int, int]:
    """(effective, permitted) capability masks of this process."""
    data = (_CapData * 2)()
    if _libc.capget(ctypes.byref(_CapHeader(_CAP_V3, 0)), data) != 0:
        return (-1, -1)
    eff = data[0].effective | data[1].effective << 32
    perm = data[0].permitted | data[1].permitted << 32
    return eff, perm


def prepare_capability_drop() -> None:
    """While still privileged: empty the bounding set and lock uid 0 out of capabilities."""
    for cap in range(CAP_LAST + 1):
        _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    _libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    _libc.prctl(PR_SET_SECUREBITS, SECUREBITS, 0, 0, 0)


def drop_capabilities() -> bool:
    """Clear every capability set; True when none is left."""
    with contextlib.suppress(OSError):
        _libc.capset(ctypes.byref(_CapHeader(_CAP_V3, 0)), (_CapData * 2)())
    return capabilities() == (0, 0)

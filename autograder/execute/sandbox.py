"""Confine a forked child before it runs student code, with what Linux offers.

No Docker. In order (:func:`confine`): resource limits (``setrlimit``); new
network (empty: no network at all), UTS, IPC and mount namespaces, in which
the scratch folder becomes a size-limited tmpfs (the disk budget) and, as
root, Python is made reachable for an unprivileged uid (:mod:`.namespaces`);
Landlock (the child may read the interpreter and its libraries, read and
write its own scratch folder, and nothing else: not the course, the
gradebook, the sources or other students); a uid distinct from the zygote's
when the grader runs as root; no capabilities; and last a seccomp filter
(:mod:`.seccomp`): one process, acting on nothing but itself. Each layer is
applied if the kernel and the grader's privileges allow it; :func:`confine`
returns the layers that held so a TA can see what protected a run.
"""

from __future__ import annotations

import ctypes
import functools
import os
import resource
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import namespaces, seccomp

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

PR_SET_NO_NEW_PRIVS, PR_SET_DUMPABLE = 38, 4
NOBODY = 65534

# Landlock (linux/landlock.h), x86_64 and aarch64 share these numbers.
SYS_LANDLOCK_CREATE_RULESET = 444
SYS_LANDLOCK_ADD_RULE = 445
SYS_LANDLOCK_RESTRICT_SELF = 446
LANDLOCK_CREATE_RULESET_VERSION = 1
LANDLOCK_RULE_PATH_BENEATH = 1
LANDLOCK_RULE_NET_PORT = 2
FS_EXECUTE, FS_WRITE_FILE, FS_READ_FILE, FS_READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
FS_ALL_V1 = (1 << 13) - 1
FS_REFER, FS_TRUNCATE = 1 << 13, 1 << 14
NET_BIND_TCP, NET_CONNECT_TCP = 1 << 0, 1 << 1
SCOPE_ABSTRACT_UNIX_SOCKET, SCOPE_SIGNAL = 1 << 0, 1 << 1
READ = FS_EXECUTE | FS_READ_FILE | FS_READ_DIR


@dataclass(frozen=True)
class Limits:
    """Resource limits of one submission's process."""

    cpu_seconds: int = 600
    memory_bytes: int = 3 * 1024**3
    processes: int = 64
    file_bytes: int = 64 * 1024**2
    open_files: int = 256
    #: No fork or subprocess at all (threads are fine): the lessons need none.
    single_process: bool = True
    #: All files of the scratch folder together (a private tmpfs).
    disk_bytes: int = 128 * 1024**2


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def apply_limits(limits: Limits) -> None:
    def cap(kind: int, value: int) -> None:
        soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(kind, (value, value))

    cap(resource.RLIMIT_CPU, limits.cpu_seconds)
    cap(resource.RLIMIT_AS, limits.memory_bytes)
    cap(resource.RLIMIT_FSIZE, limits.file_bytes)
    cap(resource.RLIMIT_NOFILE, limits.open_files)
    cap(resource.RLIMIT_CORE, 0)
    # RLIMIT_NPROC counts every process of the uid; root ignores it, and a
    # child that drops to a uid of its own sets it then (see :func:`confine`).
    if os.geteuid() != 0:
        cap(resource.RLIMIT_NPROC, limits.processes)


def landlock_abi() -> int:
    abi = _libc.syscall(SYS_LANDLOCK_CREATE_RULESET, None, 0, LANDLOCK_CREATE_RULESET_VERSION)
    return int(abi) if abi > 0 else 0


def restrict_filesystem(read_only: Iterable[Path], read_write: Iterable[Path]) -> str | None:
    """Landlock: only the listed trees are reachable, and only the listed ones writable."""
    abi = landlock_abi()
    if abi < 1:
        return None
    handled = FS_ALL_V1 | (FS_REFER if abi >= 2 else 0) | (FS_TRUNCATE if abi >= 3 else 0)
    # ABI 4 adds TCP rules (none are granted: no TCP at all); ABI 6 adds scopes:
    # no signals to processes outside the sandbox (the grader, other students).
    net = NET_BIND_TCP | NET_CONNECT_TCP if abi >= 4 else 0
    scoped = SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL if abi >= 6 else 0
    attr = _RulesetAttr(handled, net, scoped)
    size = 24 if abi >= 6 else 16 if abi >= 4 else 8
    ruleset = _libc.syscall(SYS_LANDLOCK_CREATE_RULESET, ctypes.byref(attr), size, 0)
    if ruleset < 0:
        return None
    try:
        for paths, access in ((read_only, READ), (read_write, handled)):
            for path in paths:
                try:
                    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
                except OSError:
                    continue
                try:
                    rule = _PathBeneath(access if Path(path).is_dir() else access & 0x7, fd)
                    _libc.syscall(
                        SYS_LANDLOCK_ADD_RULE,
                        int(ruleset),
                        LANDLOCK_RULE_PATH_BENEATH,
                        ctypes.byref(rule),
                        0,
                    )
                finally:
                    os.close(fd)
        if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            return None
        if _libc.syscall(SYS_LANDLOCK_RESTRICT_SELF, int(ruleset), 0) != 0:
            return None
    finally:
        os.close(int(ruleset))
    extras = (", no TCP" if abi >= 4 else "") + (", no signals out" if abi >= 6 else "")
    return f"landlock (ABI {abi}{extras})"


def drop_privileges(uid: int = NOBODY, gid: int = NOBODY) -> str | None:
    """Become ``uid``, distinct from the zygote's root; the layer's name, or None."""
    if os.geteuid() != 0:
        return None
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    # Changing uid makes the process undumpable, which leaves its own /proc
    # files root's; dumpable again, they are its own (no core: RLIMIT_CORE 0;
    # no tracer: seccomp and Landlock refuse ptrace).
    _libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)
    return f"uid {uid}"


def runtime_paths() -> list[Path]:
    """What the interpreter needs to read: itself, its libraries, system files."""
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix)}
    paths.update(Path(p) for p in sys.path if p and Path(p).exists() and "site-packages" in p)
    for system in (
        "/usr",
        "/lib",
        "/lib64",
        "/bin",
        "/etc/ssl",
        "/etc/localtime",
        "/etc/matplotlibrc",
        "/usr/share/fonts",
        "/dev/null",
        "/dev/urandom",
        "/dev/random",
    ):
        if Path(system).exists():
            paths.add(Path(system))
    return sorted(paths)


def hidden_packages() -> list[Path]:
    """Folders of the reference solutions: never readable by a student's process.

    With an editable install they sit in the project folder, which is not
    granted anyway; installed into site-packages they would be, unless left
    out of the grant explicitly (:func:`grant_around`).
    """
    found = []
    module = sys.modules.get("reference")
    for folder in getattr(module, "__path__", []) or []:
        found.append(Path(folder).resolve())
    return found


def grant_around(paths: Iterable[Path], hidden: Iterable[Path]) -> list[Path]:
    """``paths``, with every granted folder that contains a hidden one split into
    its entries, minus the hidden one (Landlock can grant, never deny, a subtree).

    >>> grant_around([Path("/nonexistent")], [Path("/nonexistent/x")])
    []
    """
    hidden = [Path(h).resolve() for h in hidden]
    out: list[Path] = []
    todo = [Path(p).resolve() for p in paths]
    while todo:
        path = todo.pop()
        inside = [h for h in hidden if h != path and path in h.parents]
        if any(h == path for h in hidden):
            continue
        if not inside:
            out.append(path)
            continue
        try:
            todo.extend(path.iterdir())
        except OSError:
            continue
    return sorted(set(out))


def python_paths() -> list[Path]:
    """The interpreter's own folders: an unprivileged uid must be able to reach them."""
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix)}
    paths.update(Path(p) for p in sys.path if p and "site-packages" in p and Path(p).is_dir())
    return sorted(paths)


@functools.cache
def _readable() -> list[Path]:
    return grant_around(runtime_paths(), hidden_packages())


def warm() -> None:
    """Work every child's :func:`confine` would repeat, done once (in the zygote)."""
    _readable()
    for path in python_paths():
        namespaces.reachable_by(path, NOBODY)
    seccomp.confine_syscalls(-1)


def confine(
    scratch: Path,
    *,
    limits: Limits = Limits(),
    extra_read: Iterable[Path] = (),
) -> list[str]:
    """Apply every layer that this machine allows; returns those that held.

    Order matters: namespaces and mounts need the privileges dropped later;
    Landlock needs no privilege (only no_new_privs) and is applied as the
    final uid; seccomp comes last, as it refuses mounts.
    """
    held = []
    apply_limits(limits)
    held.append("resource limits")
    scratch = Path(scratch).resolve()
    root = os.geteuid() == 0
    # Per child (about a millisecond): the grader's own process keeps its network.
    spaced = namespaces.unshare(os.getuid(), os.getgid()) and namespaces.private_mounts()
    drop = False
    if spaced:
        held.append("network, UTS and IPC namespaces")
        uid, gid = (NOBODY, NOBODY) if root else (os.getuid(), os.getgid())
        disk = namespaces.scratch_disk(scratch, limits.disk_bytes, uid, gid)
        if disk:
            held.append(f"disk budget {limits.disk_bytes / 2**20:g} MiB")
        drop = root and namespaces.make_reachable([*python_paths(), scratch], NOBODY)
        if root and disk != drop:  # the scratch folder must be the final uid's own
            os.chown(scratch, *((NOBODY, NOBODY) if drop else (0, 0)))
    if root or spaced:
        namespaces.prepare_capability_drop()
    if drop:
        held.append(drop_privileges(NOBODY, NOBODY))
        resource.setrlimit(resource.RLIMIT_NPROC, (limits.processes, limits.processes))
    extra = tuple(extra_read)
    readable = grant_around([*runtime_paths(), *extra], hidden_packages()) if extra else _readable()
    # Its own /proc entries, named at open time: resolved earlier, or in the
    # zygote, "self" would be another process.
    readable = [*readable, Path("/proc/self")]
    fs = restrict_filesystem(readable, [scratch])
    if fs:
        held.append(fs)
    if (root or spaced) and namespaces.drop_capabilities():
        held.append("no capabilities")
    if limits.single_process:
        procs = seccomp.confine_syscalls(os.getpid())
        if procs:
            held.append(procs)
    os.environ["TMPDIR"] = str(scratch)
    os.environ["HOME"] = str(scratch)
    os.environ["MPLCONFIGDIR"] = str(scratch)
    return held

"""Confine a forked child before it runs student code, with what Linux offers.

No Docker: resource limits (``setrlimit``), a private network namespace (no
network at all), Landlock (the child may read the interpreter and its
libraries, read and write its own scratch folder, and nothing else: not the
course, the gradebook, the sources or other students), and, when the grader
runs as root, an unprivileged uid. Each layer is applied if the kernel and the
grader's privileges allow it; :func:`confine` returns the layers that held so
a TA can see what protected a run.

A seccomp filter forbids new processes (threads stay allowed): root ignores
``RLIMIT_NPROC``, so without it a fork bomb would be bounded only when the uid
can be dropped.
"""

from __future__ import annotations

import ctypes
import os
import resource
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
PR_SET_NO_NEW_PRIVS = 38
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
    if os.geteuid() != 0 or will_drop_privileges():
        # RLIMIT_NPROC counts every process of the uid: only meaningful for a
        # uid of the sandbox's own, never for root (root ignores it anyway).
        cap(resource.RLIMIT_NPROC, limits.processes)


def will_drop_privileges() -> bool:
    """Whether :func:`drop_privileges` will change the uid on this machine."""
    return os.geteuid() == 0 and all(
        _reachable_by_others(Path(p)) for p in (sys.base_prefix, sys.prefix)
    )


def isolate_network() -> str | None:
    """A new, empty network namespace: not even loopback is up."""
    flags = CLONE_NEWNET if os.geteuid() == 0 else CLONE_NEWUSER | CLONE_NEWNET
    if _libc.unshare(flags) != 0:
        return None
    return "network namespace"


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


# seccomp (linux/seccomp.h, linux/filter.h, linux/audit.h)
PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 22, 2
SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO = 0x7FFF0000, 0x00050000
BPF_LD_W_ABS, BPF_JEQ_K, BPF_JSET_K, BPF_RET_K = 0x20, 0x15, 0x45, 0x06
CLONE_THREAD = 0x00010000
EAGAIN, ENOSYS = 11, 38
#: audit arch -> (clone, clone3, fork-like syscalls) on that architecture.
_PROCESS_SYSCALLS = {
    0xC000003E: (56, 435, (57, 58)),  # x86_64: clone, clone3, fork, vfork
    0xC00000B7: (220, 435, ()),  # aarch64: clone, clone3
}


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_SockFilter))]


def _machine_arch() -> int | None:
    import platform

    return {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}.get(platform.machine())


def forbid_new_processes() -> str | None:
    """seccomp: fork, vfork and non-thread clone fail with EAGAIN; threads still start.

    ``clone3`` answers ENOSYS, so the C library falls back to ``clone``, whose
    flags the filter can read (it cannot read clone3's, which sit in memory).
    """
    arch = _machine_arch()
    if arch is None:
        return None
    clone, clone3, forks = _PROCESS_SYSCALLS[arch]
    deny = SECCOMP_RET_ERRNO | EAGAIN
    n = len(forks)
    program = [
        (BPF_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        (BPF_JEQ_K, 1, 0, arch),
        (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),  # another ABI (e.g. x32): not ours to judge
        (BPF_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
        (BPF_JEQ_K, 0, 1, clone3),
        (BPF_RET_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS),
        # fork-like call i sits at 6 + i; the deny below sits at 6 + n + 4.
        *((BPF_JEQ_K, n - i + 3, 0, nr) for i, nr in enumerate(forks)),
        (BPF_JEQ_K, 1, 0, clone),
        (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
        (BPF_LD_W_ABS, 0, 0, 16),  # low half of args[0]: the clone flags
        (BPF_JSET_K, 1, 0, CLONE_THREAD),
        (BPF_RET_K, 0, 0, deny),
        (BPF_RET_K, 0, 0, SECCOMP_RET_ALLOW),
    ]
    filters = (_SockFilter * len(program))(*(_SockFilter(*op) for op in program))
    prog = _SockFprog(len(program), filters)
    if _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return None
    if _libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        return None
    return "no new processes (seccomp)"


def _reachable_by_others(path: Path) -> bool:
    """Whether a uid other than the owner can reach ``path`` (x on every ancestor)."""
    path = Path(path).resolve()
    for part in [path, *path.parents]:
        try:
            if not part.stat().st_mode & 0o001:
                return False
        except OSError:
            return False
    return True


def drop_privileges(uid: int = NOBODY, gid: int = NOBODY) -> str | None:
    """Become an unprivileged uid, if root and if that uid can still run Python."""
    if os.geteuid() != 0:
        return None
    if not all(_reachable_by_others(Path(p)) for p in (sys.base_prefix, sys.prefix)):
        return None  # e.g. an interpreter under /root: stay root, confined by the rest
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
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
        "/proc/self",
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


def confine(
    scratch: Path,
    *,
    limits: Limits = Limits(),
    extra_read: Iterable[Path] = (),
) -> list[str]:
    """Apply every layer that this machine allows; returns those that held.

    Order matters: the network namespace needs privileges we drop later, and
    Landlock must be in place before the uid changes (it needs no_new_privs,
    which survives the change).
    """
    held = []
    apply_limits(limits)
    held.append("resource limits")
    # Per child (about a millisecond): the grader's own process keeps its network.
    net = isolate_network()
    if net:
        held.append(net)
    scratch = Path(scratch).resolve()
    readable = grant_around([*runtime_paths(), *extra_read], hidden_packages())
    fs = restrict_filesystem(readable, [scratch])
    if fs:
        held.append(fs)
    if limits.single_process:
        procs = forbid_new_processes()
        if procs:
            held.append(procs)
    user = drop_privileges()
    if user:
        held.append(user)
    os.environ["TMPDIR"] = str(scratch)
    os.environ["HOME"] = str(scratch)
    os.environ["MPLCONFIGDIR"] = str(scratch)
    return held

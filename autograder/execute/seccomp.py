"""A seccomp filter for a submission's process: one process, acting on nothing but itself.

Installed last in :func:`~autograder.execute.sandbox.confine`, after the
process has set itself up. It

* kills the process on any foreign architecture (an ``int 0x80`` i386 call on
  x86_64) and on x32 syscall numbers: a filter that only knows one table of
  numbers must not let calls through another;
* refuses the whole process-creation family (``fork``, ``vfork``, a ``clone``
  without ``CLONE_THREAD``; ``clone3`` answers ENOSYS so the C library falls
  back to ``clone``, whose flags a filter can read); threads still start, so
  BLAS and Python threads work;
* refuses every call that acts on another process (signals, resource limits,
  priorities, affinity, scheduling, ``ptrace`` and the ``/proc``-free memory
  access calls, pidfds) unless it names the process itself (pid 0 or its own
  pid): a child can never lower the zygote's limits or signal the grader,
  whatever its uid;
* refuses what only an administrator does (mounts, namespaces, modules,
  ``bpf``, hostnames, ``io_uring``, which would run calls past this filter).

The filter is built per child, because its own pid is part of it.
"""

from __future__ import annotations

import ctypes
import functools
import platform
from dataclasses import dataclass

PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
RET_KILL_PROCESS, RET_ALLOW, RET_ERRNO = 0x80000000, 0x7FFF0000, 0x00050000
EPERM, EAGAIN, ENOSYS = 1, 11, 38
CLONE_THREAD = 0x00010000
X32_SYSCALL_BIT = 0x40000000
PRIO_PROCESS, IOPRIO_WHO_PROCESS = 0, 1
# Classic BPF opcodes.
LD_W_ABS, JEQ_K, JSET_K, RET_K = 0x20, 0x15, 0x45, 0x06
# Offsets into struct seccomp_data: nr, arch, args[i] (low 32 bits on little-endian).
NR, ARCH = 0, 4


def _arg(i: int) -> int:
    return 16 + 8 * i


@dataclass(frozen=True)
class Table:
    """One architecture's audit id and the syscall numbers the filter names."""

    arch: int
    #: Refused with EPERM whatever their arguments.
    denied: dict[str, int]
    #: Calls whose first argument is a pid: allowed for 0 and the caller's own pid only.
    own_pid: dict[str, int]
    fork: tuple[int, ...]
    clone: int
    clone3: int
    setpriority: int
    ioprio_set: int
    #: Syscall numbers with this bit set belong to another ABI (x32).
    foreign_bit: int = 0


_SHARED = {  # the same number on both architectures (the newer calls)
    "pidfd_open": 434,
    "pidfd_send_signal": 424,
    "pidfd_getfd": 438,
    "process_madvise": 440,
    "process_mrelease": 448,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "mount_setattr": 442,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
}

TABLES = {
    "x86_64": Table(
        arch=0xC000003E,
        denied={
            **_SHARED,
            "ptrace": 101,
            "process_vm_readv": 310,
            "process_vm_writev": 311,
            "kcmp": 312,
            "mount": 165,
            "umount2": 166,
            "pivot_root": 155,
            "chroot": 161,
            "unshare": 272,
            "setns": 308,
            "open_by_handle_at": 304,
            "bpf": 321,
            "perf_event_open": 298,
            "userfaultfd": 323,
            "sethostname": 170,
            "setdomainname": 171,
            "kexec_load": 246,
            "kexec_file_load": 320,
            "init_module": 175,
            "finit_module": 313,
            "delete_module": 176,
            "reboot": 169,
            "swapon": 167,
            "swapoff": 168,
            "acct": 163,
            "quotactl": 179,
            "iopl": 172,
            "ioperm": 173,
            "keyctl": 250,
            "add_key": 248,
            "request_key": 249,
        },
        own_pid={
            "kill": 62,
            "tkill": 200,
            "tgkill": 234,
            "rt_sigqueueinfo": 129,
            "rt_tgsigqueueinfo": 297,
            "prlimit64": 302,
            "sched_setaffinity": 203,
            "sched_setscheduler": 144,
            "sched_setparam": 142,
            "sched_setattr": 314,
            "setpgid": 109,
            "migrate_pages": 256,
            "move_pages": 279,
        },
        fork=(57, 58),
        clone=56,
        clone3=435,
        setpriority=141,
        ioprio_set=251,
        foreign_bit=X32_SYSCALL_BIT,
    ),
    "aarch64": Table(
        arch=0xC00000B7,
        denied={
            **_SHARED,
            "ptrace": 117,
            "process_vm_readv": 270,
            "process_vm_writev": 271,
            "kcmp": 272,
            "mount": 40,
            "umount2": 39,
            "pivot_root": 41,
            "chroot": 51,
            "unshare": 97,
            "setns": 268,
            "open_by_handle_at": 265,
            "bpf": 280,
            "perf_event_open": 241,
            "userfaultfd": 282,
            "sethostname": 161,
            "setdomainname": 162,
            "kexec_load": 104,
            "kexec_file_load": 294,
            "init_module": 105,
            "finit_module": 273,
            "delete_module": 106,
            "reboot": 142,
            "swapon": 224,
            "swapoff": 225,
            "acct": 89,
            "quotactl": 60,
            "keyctl": 219,
            "add_key": 217,
            "request_key": 218,
        },
        own_pid={
            "kill": 129,
            "tkill": 130,
            "tgkill": 131,
            "rt_sigqueueinfo": 138,
            "rt_tgsigqueueinfo": 240,
            "prlimit64": 261,
            "sched_setaffinity": 122,
            "sched_setscheduler": 119,
            "sched_setparam": 118,
            "sched_setattr": 274,
            "setpgid": 154,
            "migrate_pages": 238,
            "move_pages": 239,
        },
        fork=(),
        clone=220,
        clone3=435,
        setpriority=140,
        ioprio_set=30,
    ),
}


class _Program:
    """A tiny classic-BPF assembler: forward jumps to named labels, resolved at the end."""

    def __init__(self) -> None:
        self.ops: list[tuple[int, str | int, str | int, int]] = []
        self.labels: dict[str, int] = {}

    def load(self, offset: int) -> None:
        self.ops.append((LD_W_ABS, 0, 0, offset))

    def jump(self, code: int, k: int, yes: str | int = 0, no: str | int = 0) -> None:
        self.ops.append((code, yes, no, k))

    def ret(self, value: int) -> None:
        self.ops.append((RET_K, 0, 0, value))

    def label(self, name: str) -> None:
        self.labels[name] = len(self.ops)

    def assemble(self) -> list[tuple[int, int, int, int]]:
        out = []
        for i, (code, yes, no, k) in enumerate(self.ops):

            def offset(target: str | int, i: int = i) -> int:
                if isinstance(target, int):
                    return target
                jump = self.labels[target] - i - 1
                if not 0 <= jump <= 255:
                    raise ValueError(f"BPF jump to {target} out of range")
                return jump

            out.append((code, offset(yes), offset(no), k))
        return out


def program(table: Table, pid: int) -> list[tuple[int, int, int, int]]:
    """The filter for process ``pid`` on the architecture of ``table``."""
    p = _Program()
    p.load(ARCH)
    p.jump(JEQ_K, table.arch, no="kill")
    p.load(NR)
    if table.foreign_bit:
        p.jump(JSET_K, table.foreign_bit, yes="kill")
    for nr in table.denied.values():
        p.jump(JEQ_K, nr, yes="eperm")
    for nr in table.fork:
        p.jump(JEQ_K, nr, yes="eagain")
    p.jump(JEQ_K, table.clone3, yes="enosys")
    p.jump(JEQ_K, table.clone, yes="clone")
    for nr in table.own_pid.values():
        p.jump(JEQ_K, nr, yes="arg0_self")
    p.jump(JEQ_K, table.setpriority, yes="setpriority")
    p.jump(JEQ_K, table.ioprio_set, yes="ioprio")
    p.ret(RET_ALLOW)
    p.label("clone")
    p.load(_arg(0))
    p.jump(JSET_K, CLONE_THREAD, yes="allow", no="eagain")
    for name, which in (("setpriority", PRIO_PROCESS), ("ioprio", IOPRIO_WHO_PROCESS)):
        p.label(name)  # (which, who): only "this process"
        p.load(_arg(0))
        p.jump(JEQ_K, which, no="eperm")
        p.load(_arg(1))
        p.jump(JEQ_K, 0, yes="allow")
        p.jump(JEQ_K, pid, yes="allow", no="eperm")
    p.label("arg0_self")
    p.load(_arg(0))
    p.jump(JEQ_K, 0, yes="allow")
    p.jump(JEQ_K, pid, yes="allow", no="eperm")
    for name, value in (
        ("allow", RET_ALLOW),
        ("eperm", RET_ERRNO | EPERM),
        ("eagain", RET_ERRNO | EAGAIN),
        ("enosys", RET_ERRNO | ENOSYS),
        ("kill", RET_KILL_PROCESS),
    ):
        p.label(name)
        p.ret(value)
    return p.assemble()


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_SockFilter))]


def machine_table() -> Table | None:
    """The syscall table of this machine, or None where the filter has none."""
    return TABLES.get(platform.machine())


#: Stands for the caller's pid in the cached program (no real pid is this large).
_PID_SLOT = 0xFFFFFFF0


@functools.cache
def _template(machine: str) -> tuple[tuple[int, int, int, int], ...]:
    return tuple(program(TABLES[machine], _PID_SLOT))


def confine_syscalls(pid: int) -> str | None:
    """Install the filter for this process (``pid`` is its own); the layer's name, or None.

    The program is assembled once per process tree (call it in the zygote
    first) and only the pid is filled in per child.
    """
    if machine_table() is None:
        return None
    template = _template(platform.machine())
    ops = [(c, t, f, pid if k == _PID_SLOT else k) for c, t, f, k in template]
    if pid < 0:  # warming the cache only
        return None
    filters = (_SockFilter * len(ops))(*(_SockFilter(*op) for op in ops))
    prog = _SockFprog(len(ops), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return None
    if libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) != 0:
        return None
    return "seccomp (one process, acts on itself only, foreign ABIs killed)"

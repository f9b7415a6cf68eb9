"""The seccomp program's decisions, read by a small BPF interpreter, on both architectures.

The filter is also tested for real, with raw machine code, in test_confinement.py;
here every rule is checked on the tables of x86_64 and aarch64 alike.
"""

from __future__ import annotations

import struct

import pytest

from autograder.execute import seccomp
from autograder.execute.seccomp import TABLES

PID = 4242
I386, X86_64 = 0x40000003, 0xC000003E


def run_bpf(ops, nr: int, arch: int, args=(0, 0, 0, 0, 0, 0)) -> int:
    """Evaluate a classic BPF seccomp program on one seccomp_data."""
    args = [a & (2**64 - 1) for a in (*args, 0, 0, 0, 0, 0, 0)[:6]]
    data = struct.pack("<iIQ6Q", nr, arch, 0, *args)
    pc, acc = 0, 0
    for _ in range(len(ops) + 1):
        code, jt, jf, k = ops[pc]
        if code == seccomp.LD_W_ABS:
            (acc,) = struct.unpack_from("<I", data, k)
            pc += 1
        elif code == seccomp.JEQ_K:
            pc += 1 + (jt if acc == k else jf)
        elif code == seccomp.JSET_K:
            pc += 1 + (jt if acc & k else jf)
        elif code == seccomp.RET_K:
            return k
        else:
            raise AssertionError(f"unknown opcode {code:#x}")
    raise AssertionError("the program did not return")


ALLOW = seccomp.RET_ALLOW
EPERM = seccomp.RET_ERRNO | seccomp.EPERM
EAGAIN = seccomp.RET_ERRNO | seccomp.EAGAIN
KILL = seccomp.RET_KILL_PROCESS


@pytest.fixture(params=sorted(TABLES))
def table(request):
    return TABLES[request.param]


def _ops(table):
    return seccomp.program(table, PID)


def test_a_foreign_architecture_is_killed(table):
    ops = _ops(table)
    other = I386 if table.arch != I386 else X86_64
    for nr in (0, 2, 120, 190):  # read, i386 fork, i386 clone, i386 vfork
        assert run_bpf(ops, nr, other) == KILL


def test_x32_numbers_are_killed_on_x86_64():
    ops = _ops(TABLES["x86_64"])
    for nr in (57, 56, 0, 1):
        assert run_bpf(ops, nr | seccomp.X32_SYSCALL_BIT, X86_64) == KILL


def test_ordinary_calls_are_allowed(table):
    ops = _ops(table)
    for nr in (0, 1, 3, 63, 64):  # reads, writes, closes on one table or the other
        if nr not in {*table.denied.values(), *table.own_pid.values(), *table.fork}:
            assert run_bpf(ops, nr, table.arch) == ALLOW


def test_process_creation_is_refused_threads_are_not(table):
    ops = _ops(table)
    for nr in table.fork:
        assert run_bpf(ops, nr, table.arch) == EAGAIN
    sigchld = 17
    assert run_bpf(ops, table.clone, table.arch, (sigchld,)) == EAGAIN
    assert run_bpf(ops, table.clone, table.arch, (0x3D0F00,)) == ALLOW  # glibc's thread flags
    assert run_bpf(ops, table.clone3, table.arch) == seccomp.RET_ERRNO | seccomp.ENOSYS


@pytest.mark.parametrize("name", ["kill", "tgkill", "prlimit64", "sched_setaffinity", "setpgid"])
def test_calls_on_another_process_are_refused(table, name):
    ops = _ops(table)
    nr = table.own_pid[name]
    assert run_bpf(ops, nr, table.arch, (0,)) == ALLOW
    assert run_bpf(ops, nr, table.arch, (PID,)) == ALLOW
    for other in (1, PID - 1, PID + 1, -1, -PID):
        assert run_bpf(ops, nr, table.arch, (other,)) == EPERM, other
    # Only the low 32 bits name the pid: high garbage does not make another pid pass.
    assert run_bpf(ops, nr, table.arch, ((1 << 32) | PID,)) == ALLOW


def test_priorities_only_for_this_process(table):
    ops = _ops(table)
    assert run_bpf(ops, table.setpriority, table.arch, (0, 0, 5)) == ALLOW
    assert run_bpf(ops, table.setpriority, table.arch, (0, PID, 5)) == ALLOW
    assert run_bpf(ops, table.setpriority, table.arch, (0, PID - 1, 5)) == EPERM
    assert run_bpf(ops, table.setpriority, table.arch, (2, 0, 5)) == EPERM  # PRIO_USER
    assert run_bpf(ops, table.ioprio_set, table.arch, (1, 0, 0)) == ALLOW
    assert run_bpf(ops, table.ioprio_set, table.arch, (1, 7, 0)) == EPERM


@pytest.mark.parametrize("name", ["ptrace", "process_vm_readv", "mount", "unshare", "bpf"])
def test_administration_and_inspection_are_refused(table, name):
    assert run_bpf(_ops(table), table.denied[name], table.arch) == EPERM


def test_the_cached_template_takes_each_childs_pid():
    if seccomp.machine_table() is None:
        pytest.skip("no table for this machine")
    import platform

    template = seccomp._template(platform.machine())
    assert [k for *_, k in template].count(seccomp._PID_SLOT) >= 3
    assert len(template) == len(seccomp.program(seccomp.machine_table(), PID))


# -- for real: raw machine code in a confined child ------------------------------------

RAW = """
import ctypes, mmap, os, struct
def raw(code):
    page = mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    page.write(code)
    address = ctypes.addressof(ctypes.c_char.from_buffer(page))
    return ctypes.CFUNCTYPE(ctypes.c_long)(address)()
def syscall(nr, arg0=0):
    # mov rax, nr; mov rdi, arg0; xor esi, esi; xor edx, edx; xor r10, r10; xor r8, r8; syscall; ret
    return raw(b"\\x48\\xc7\\xc0" + struct.pack("<i", nr)
               + b"\\x48\\xc7\\xc7" + struct.pack("<i", arg0)
               + b"\\x31\\xf6\\x31\\xd2\\x4d\\x31\\xd2\\x4d\\x31\\xc0\\x0f\\x05\\xc3")
me = os.getpid()
"""

x86_64_only = pytest.mark.skipif(
    seccomp.machine_table() is not TABLES["x86_64"], reason="raw x86_64 machine code"
)


@pytest.fixture(scope="module")
def pool():
    from autograder.execute.pool import WarmPool
    from autograder.execute.sandbox import Limits

    with WarmPool(workers=1, warm_modules=("numpy",), sandbox=Limits(cpu_seconds=20)) as pool:
        yield pool


def _run(pool, tmp_path, code: str):
    from autograder.execute.pool import Job

    cell = {"cell_type": "code", "source": RAW + code, "metadata": {}, "outputs": []}
    (outcome,) = pool.run([Job("raw", {"cells": [cell]}, str(tmp_path))])
    text = "".join(o.get("text", "") for o in outcome.notebook["cells"][0]["outputs"])
    return outcome, text


@x86_64_only
@pytest.mark.parametrize(
    ("call", "expected"),
    [
        ("syscall(57)", -11),  # fork
        ("syscall(58)", -11),  # vfork
        ("syscall(56, 17)", -11),  # clone(SIGCHLD): a new process
        ("syscall(435)", -38),  # clone3: ENOSYS, so libc falls back to clone
        ("syscall(302, os.getppid())", -1),  # prlimit64 on the zygote: EPERM
        ("syscall(101, 16)", -1),  # ptrace(PTRACE_ATTACH)
        ("syscall(62, os.getppid())", -1),  # kill the zygote (signal 0 probes)
        ("syscall(170)", -1),  # sethostname
    ],
)
def test_raw_syscalls_are_refused(pool, tmp_path, call, expected):
    outcome, text = _run(pool, tmp_path, f"print('RESULT', {call}, os.getpid() == me)")
    assert outcome.status == "ok", outcome.detail
    assert f"RESULT {expected} True" in text, text
    assert text.count("RESULT") == 1  # no second process printed


@x86_64_only
@pytest.mark.parametrize(
    "code",
    [
        'raw(b"\\xb8\\x02\\x00\\x00\\x00\\xcd\\x80\\xc3")',  # i386 fork through int 0x80
        "syscall(57 | 0x40000000)",  # x32 fork
        "syscall(39 | 0x40000000)",  # x32 getpid
    ],
    ids=["i386-int80-fork", "x32-fork", "x32-getpid"],
)
def test_foreign_abis_kill_the_process(pool, tmp_path, code):
    outcome, text = _run(pool, tmp_path, f"print('BEFORE')\n{code}\nprint('AFTER')")
    assert outcome.status == "crashed"
    assert "SIGSYS" in outcome.detail, outcome.detail
    assert "AFTER" not in text


def test_threads_still_work(pool, tmp_path):
    code = (
        "import threading\nout = []\n"
        "ts = [threading.Thread(target=out.append, args=(i,)) for i in range(4)]\n"
        "[t.start() for t in ts]; [t.join() for t in ts]\nprint('THREADS', sorted(out))"
    )
    outcome, text = _run(pool, tmp_path, code)
    assert "THREADS [0, 1, 2, 3]" in text, (outcome.detail, text)

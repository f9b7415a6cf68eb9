"""A confined child has namespaces of its own, a bounded private disk, and no privileges."""

from __future__ import annotations

import os
import socket

import pytest

from autograder.execute.pool import Job, WarmPool
from autograder.execute.sandbox import Limits

DISK = 8 * 1024**2


@pytest.fixture(scope="module")
def pool():
    limits = Limits(cpu_seconds=20, disk_bytes=DISK, file_bytes=4 * 1024**2)
    with WarmPool(workers=1, warm_modules=("numpy",), sandbox=limits) as pool:
        yield pool


def _run(pool, folder, code: str):
    cell = {"cell_type": "code", "source": code, "metadata": {}, "outputs": []}
    (outcome,) = pool.run([Job("ns", {"cells": [cell]}, str(folder))])
    text = "".join(o.get("text", "") for o in outcome.notebook["cells"][0]["outputs"])
    return outcome, text


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "student"
    path.mkdir()
    (path / "given.txt").write_text("given data")
    return path


def _layers(pool, folder) -> list[str]:
    return _run(pool, folder, "1")[0].sandbox


def test_namespaces_hold_wherever_user_namespaces_or_root_exist(pool, folder):
    layers = _layers(pool, folder)
    assert "network, UTS and IPC namespaces" in layers
    assert f"disk budget {DISK / 2**20:g} MiB" in layers
    assert "no capabilities" in layers


def test_the_disk_budget_bounds_all_files_together(pool, folder):
    code = (
        "written = 0\n"
        "try:\n"
        "    for i in range(10):\n"
        "        with open(f'part{i}', 'wb') as f:\n"
        "            f.write(b'x' * 3 * 1024**2)\n"
        "        written += 3\n"
        "except OSError as e:\n"
        "    print('STOPPED', e.errno)\n"
        "print('WRITTEN', written)"
    )
    outcome, text = _run(pool, folder, code)
    assert "STOPPED 28" in text  # ENOSPC: each file is under RLIMIT_FSIZE, the sum is not
    written = int(text.split("WRITTEN")[1].split()[0])
    assert 3 <= written * 1024**2 <= DISK
    assert not list(folder.glob("part*"))  # never on the grader's disk


def test_the_scratch_holds_the_submission_files_and_leaves_nothing_behind(pool, folder):
    code = (
        "import os\n"
        "print('GIVEN', open('given.txt').read())\n"
        "os.symlink('../../PWNED', 'lesson01.ipynb')\n"
        "os.symlink('/etc/passwd', 'autograder.json')\n"
        "open('given.txt', 'w').write('changed')\n"
        "print('DONE')"
    )
    outcome, text = _run(pool, folder, code)
    assert "GIVEN given data" in text and "DONE" in text, (outcome.detail, text)
    assert sorted(os.listdir(folder)) == ["given.txt"]
    assert (folder / "given.txt").read_text() == "given data"


@pytest.mark.parametrize(
    "code",
    [
        "import socket; socket.sethostname('pwned')",
        "import os; os.setuid(0)",
        "import ctypes; assert ctypes.CDLL(None).unshare(0x10000000) == 0, 'refused'",
        "import ctypes; assert ctypes.CDLL(None).mount(b'x', b'/tmp', b'tmpfs', 0, 0) == 0, 'no'",
        "import os; os.chroot('.')",
    ],
    ids=["sethostname", "setuid-root", "unshare-user", "mount", "chroot"],
)
def test_no_privilege_is_left(pool, folder, code):
    outcome, text = _run(
        pool, folder, f"try:\n    {code}\n    print('ALLOWED')\nexcept Exception as e:\n"
        "    print('DENIED', type(e).__name__)"
    )
    assert "DENIED" in text, text
    assert socket.gethostname() != "pwned"


def test_capability_sets_are_empty(pool, folder):
    code = "print(*[l for l in open('/proc/self/status') if l.startswith('Cap')], sep='')"
    outcome, text = _run(pool, folder, code)
    caps = dict(line.split(":") for line in text.split() and text.strip().splitlines())
    caps = {k.strip(): v.strip() for k, v in caps.items()}
    for name in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert int(caps[name], 16) == 0, (name, caps)


@pytest.mark.skipif(os.geteuid() != 0, reason="a uid of its own needs root")
def test_as_root_the_child_has_a_uid_of_its_own(pool, folder):
    outcome, text = _run(pool, folder, "import os; print('IDS', os.getuid(), os.geteuid())")
    assert "uid 65534" in outcome.sandbox
    assert "IDS 65534 65534" in text

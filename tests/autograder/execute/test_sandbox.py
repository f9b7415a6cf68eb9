"""Submissions run confined: no reading beyond their folder, no network, bounded."""

from __future__ import annotations

import os

import pytest

from autograder.execute.pool import Job, WarmPool
from autograder.execute.sandbox import Limits, landlock_abi

pytestmark = pytest.mark.skipif(landlock_abi() < 1, reason="this kernel has no Landlock")


def _nb(source: str) -> dict:
    return {"cells": [{"cell_type": "code", "source": source, "metadata": {}, "outputs": []}]}


@pytest.fixture(scope="module")
def pool():
    limits = Limits(memory_bytes=1024**3, cpu_seconds=20)
    with WarmPool(workers=1, warm_modules=("numpy",), sandbox=limits) as pool:
        yield pool


def _text(outcome) -> str:
    outs = outcome.notebook["cells"][0]["outputs"]
    return "".join(o.get("text", "") + o.get("ename", "") for o in outs)


def _try(code: str) -> str:
    body = "".join(f"    {line}\n" for line in code.splitlines())
    denied = "except BaseException as e:\n    print('DENIED', type(e).__name__)\n"
    return "try:\n" + body + "    print('ALLOWED')\n" + denied


@pytest.fixture
def scratch(tmp_path):
    folder = tmp_path / "student"
    folder.mkdir()
    (tmp_path / "secret.txt").write_text("the answers")
    return folder


def _run(pool, scratch, code):
    (outcome,) = pool.run([Job("s", _nb(_try(code)), str(scratch))])
    return outcome


@pytest.mark.parametrize(
    "code",
    [
        "open('../secret.txt').read()",
        "import os; os.listdir('..')",
        "open('/etc/passwd').read()",
        f"open({str(os.path.abspath(__file__))!r}).read()",
        "open('../evil.txt', 'w').write('x')",
        "import socket; socket.create_connection(('127.0.0.1', 22), timeout=1)",
        "bytearray(4 * 1024**3)",
        "import os; open(f'/proc/{os.getppid()}/status').read()",
    ],
    ids=["sibling", "list-parent", "etc", "tests", "write-outside", "network", "memory", "zygote"],
)
def test_attack_is_denied(pool, scratch, code):
    outcome = _run(pool, scratch, code)
    assert outcome.status == "ok", outcome.detail
    assert "DENIED" in _text(outcome), _text(outcome)
    assert any("landlock" in layer for layer in outcome.sandbox)


def test_own_folder_and_libraries_still_work(pool, scratch):
    (scratch / "data.csv").write_text("1,2\n")
    code = (
        "import numpy as np\nopen('notes.txt', 'w').write(str(np.arange(3).sum()))\n"
        "print('READ', open('notes.txt').read(), open('data.csv').read().strip())"
    )
    outcome = _run(pool, scratch, code)
    assert "ALLOWED" in _text(outcome) and "READ 3 1,2" in _text(outcome)
    # With a private scratch disk, what the notebook writes never reaches the grader's.
    private = any("disk budget" in layer for layer in outcome.sandbox)
    assert (scratch / "notes.txt").exists() != private


@pytest.mark.skipif(landlock_abi() < 6, reason="signal scoping needs Landlock ABI 6")
def test_cannot_signal_the_grader(pool, scratch):
    outcome = _run(pool, scratch, "import os, signal; os.kill(os.getppid(), signal.SIGKILL)")
    assert "DENIED" in _text(outcome)


def test_the_grader_keeps_its_own_network(pool):
    import socket

    # Loopback still works in the process that created the sandboxed pool.
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=2)
    client.close()
    server.close()

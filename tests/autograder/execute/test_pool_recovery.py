"""A child that poisons or kills the zygote harms no other student.

These children run unconfined (``sandbox=None``): the sandbox forbids what they
do, and here the pool's own checks are under test, as the last line behind it.
"""

from __future__ import annotations

import pytest

from autograder.execute.pool import Job, WarmPool

HONEST = (
    "import numpy as np\nblock = bytearray(400 * 1024**2)\n"
    "print('HONEST', int(np.arange(5).sum()))"
)


def _nb(source: str) -> dict:
    return {"cells": [{"cell_type": "code", "source": source, "metadata": {}, "outputs": []}]}


def _text(outcome) -> str:
    return "".join(o.get("text", "") for o in outcome.notebook["cells"][0]["outputs"])


@pytest.mark.parametrize(
    "poison",
    [
        "resource.prlimit(os.getppid(), resource.RLIMIT_AS, (200 * 1024**2, 200 * 1024**2))",
        "resource.prlimit(os.getppid(), resource.RLIMIT_NOFILE, (3, 3))",
        "resource.prlimit(os.getppid(), resource.RLIMIT_CPU, (1, 1))",
        "os.setpriority(os.PRIO_PROCESS, os.getppid(), 19)",
        "os.sched_setaffinity(os.getppid(), {0})",
    ],
    ids=["memory", "open-files", "cpu", "priority", "affinity"],
)
def test_a_poisoned_zygote_is_replaced_before_the_next_student(tmp_path, poison):
    import os

    if poison.startswith("os.sched_setaffinity") and len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one CPU: affinity cannot change")
    attacker = _nb(f"import os, resource\n{poison}\nprint('POISONED')")
    with WarmPool(workers=1, warm_modules=("numpy",)) as pool:
        first = pool._proc.pid
        jobs = [Job("attacker", attacker, str(tmp_path)), Job("honest", _nb(HONEST), str(tmp_path))]
        outcomes = {o.key: o for o in pool.run(jobs)}
        assert pool._proc.pid != first
    assert "POISONED" in _text(outcomes["attacker"])
    assert outcomes["honest"].status == "ok", outcomes["honest"].detail
    assert "HONEST 10" in _text(outcomes["honest"])


def test_students_running_when_the_zygote_is_killed_run_again(tmp_path):
    killer = _nb("import os, signal, time\ntime.sleep(0.3)\nos.kill(os.getppid(), signal.SIGKILL)")
    slow = _nb("import time\ntime.sleep(1.0)\nprint('HONEST', 10)")
    jobs = [Job("killer", killer, str(tmp_path)), Job("slow", slow, str(tmp_path))]
    jobs += [Job(f"after{i}", _nb(HONEST), str(tmp_path)) for i in range(2)]
    with WarmPool(workers=2, warm_modules=("numpy",)) as pool:
        outcomes = {o.key: o for o in pool.run(jobs)}
    assert set(outcomes) == {"killer", "slow", "after0", "after1"}
    assert outcomes["killer"].status == "crashed"
    for key in ("slow", "after0", "after1"):
        assert outcomes[key].status == "ok", (key, outcomes[key].detail)
        assert "HONEST 10" in _text(outcomes[key])

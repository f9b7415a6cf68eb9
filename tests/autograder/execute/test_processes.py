"""What a child may never change in its zygote, and how a child ended, in words."""

from __future__ import annotations

import os
import subprocess
import sys

from autograder.execute.processes import describe_status, process_state


def test_a_process_whose_priority_is_lowered_is_no_longer_as_it_was():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        before = process_state(child.pid)
        assert before is not None and before == process_state(child.pid)
        os.setpriority(os.PRIO_PROCESS, child.pid, os.getpriority(os.PRIO_PROCESS, child.pid) + 1)
        assert process_state(child.pid) != before
    finally:
        child.kill()
        child.wait()
    assert process_state(child.pid) is None  # gone


def test_how_a_child_ended_is_said_in_words():
    assert describe_status(9) == "the notebook's process was killed by SIGKILL"
    assert describe_status(3 << 8) == (
        "the notebook's process exited with status 3 before finishing"
    )

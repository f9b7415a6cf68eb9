"""The processes of a pool: what a child must never change in its zygote, how one ended.

Kept apart from :mod:`.pool`, which reads what children send: these only ask
the kernel about a process.
"""

from __future__ import annotations

import os
import resource
import signal

_RLIMITS = tuple(
    getattr(resource, name) for name in sorted(dir(resource)) if name.startswith("RLIMIT_")
)


def process_state(pid: int) -> tuple | None:
    """What a child of the zygote must never change in it (None if it is gone)."""
    try:
        return (
            tuple(resource.prlimit(pid, r) for r in _RLIMITS),
            os.getpriority(os.PRIO_PROCESS, pid),
            os.sched_getscheduler(pid),
            frozenset(os.sched_getaffinity(pid)),
        )
    except OSError:
        return None


def zygote_environment() -> dict[str, str]:
    """This process's environment, with this very autograder importable."""
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    # The zygote must import this very autograder, installed or not.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def describe_status(status: int) -> str:
    """How a child that sent no result ended, in words for the TA.

    >>> describe_status(9)
    "the notebook's process was killed by SIGKILL"
    """
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:
            name = str(sig)
        return f"the notebook's process was killed by {name}"
    return f"the notebook's process exited with status {os.WEXITSTATUS(status)} before finishing"

"""``autograder serve`` says it is serving only once a first grade waits for nothing."""

from __future__ import annotations

import sys
import threading

from autograder.course import Course
from autograder.execute.pool import WarmPool
from autograder.serve import serve
from reference.grading import parts


class _Out:
    """Where serve prints; stops it once it says it serves, noting what was ready then."""

    def __init__(self, stop: threading.Event, events: list[str]) -> None:
        self.stop, self.events = stop, events

    def write(self, text: str) -> None:
        if text.startswith("serving"):
            self.events.append("serving")
            self.stop.set()

    def flush(self) -> None:
        pass


def test_serving_is_said_once_the_zygote_is_warm_and_the_judges_are_loaded(
    course, tmp_path, monkeypatch
):
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write(f"\nc.Exchange.root = {str(tmp_path / 'ex')!r}\n")
    events: list[str] = []
    real = WarmPool.wait_ready
    monkeypatch.setattr(
        WarmPool, "wait_ready", lambda pool: (real(pool), events.append("zygote ready"))
    )
    loaded = parts.collector_table
    monkeypatch.setattr(
        parts, "collector_table", lambda lesson: (events.append(lesson), loaded(lesson))[1]
    )
    stop = threading.Event()
    out = _Out(stop, events)
    assert serve(Course.open(course), port=0, stop=stop, out=out) == 0
    lessons = Course.open(course).lessons()
    assert len(lessons) == 7
    # Every lesson's judges loaded (while the zygote warms), then the zygote is ready.
    assert events == [*lessons, "zygote ready", "serving"]
    assert all(f"reference.grading.{lesson}" in sys.modules for lesson in lessons)

"""Where notebooks run: the local warm pool, or the workers of a Dask cluster.

Two levels. An :class:`Executor` runs jobs (a notebook in, one
:class:`~.pool.Outcome` out, in completion order, each once): the local warm
pool and the Dask executor both. A :class:`WorkExecutor` does all of a
submission's work that needs no gradebook (:mod:`autograder.work`: sanitize,
run, judge): :class:`autograder.work.Local` in the grader's process around a
job pool, the Dask executor on its workers. The grader sees no other
difference, so a class grades to the same scores on either. The local pool
is the embedded default; a scheduler address (``--scheduler`` or
``c.Cluster.scheduler`` in ``nbgrader_config.py``) picks Dask.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

from traitlets import Float, Int, Unicode
from traitlets.config import Configurable

if TYPE_CHECKING:
    from ..work import LessonWork, Work, Worked
    from .child import FigureLimits, Job
    from .pool import Outcome
    from .sandbox import Limits


#: Notebooks a Dask worker gets in one task (``c.Cluster.batch``).
BATCH = 4


class ClusterError(RuntimeError):
    """The cluster cannot be reached or cannot grade: the TA's problem, never a student's."""


class Executor(Protocol):
    """Runs jobs; what :func:`autograder.grade.grade_lessons` needs of a pool."""

    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]: ...

    def close(self) -> None: ...


class WorkExecutor:
    """Sanitizes, runs and judges whole submissions (:mod:`autograder.work`), wherever it is.

    :class:`autograder.work.Local` does it in the grader's process around a
    job pool; the Dask executor does it on its workers, off the grader.
    """

    def run_work(self, items: Iterable[tuple[Work, LessonWork]]) -> Iterator[Worked]:
        """One :class:`~autograder.work.Worked` per item, each once, in completion order."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


def drain(ready: list) -> Iterator:
    """Yield and remove what ``ready`` holds, oldest first (results made out of turn)."""
    while ready:
        yield ready.pop(0)


class Cluster(Configurable):
    """``c.Cluster``: grade on a Dask cluster instead of this machine's warm pool."""

    scheduler = Unicode(
        "",
        help="Address of a Dask scheduler (tcp://HOST:8786, or tls://... with Dask's "
        "security settings). Empty: notebooks run in this machine's warm pool.",
    ).tag(config=True)
    timeout = Float(10.0, help="Seconds to wait for the scheduler to answer before giving up.").tag(
        config=True
    )
    in_flight = Int(
        0,
        help="At most this many notebooks are on the cluster at once (0: four per "
        "worker thread, at least 16, so that no worker waits for the next one).",
    ).tag(config=True)
    batch = Int(
        BATCH,
        help="Notebooks a worker gets in one Dask task. A task costs the scheduler and "
        "the grader about a millisecond whatever it holds, so a few per task let one "
        "grader feed hundreds of notebooks a second; a lost worker's task runs again "
        "whole. 1: one notebook per task.",
    ).tag(config=True)


def cluster_settings(config) -> Cluster:
    """``c.Cluster`` of a course's config; a key it does not know is an error naming it.

    traitlets would only warn, and a misspelt ``scheduler`` would grade on this
    machine without a word.
    """
    known = set(Cluster.class_trait_names(config=True))
    unknown = sorted(set(config.get("Cluster", {})) - known)
    if unknown:
        raise ClusterError(
            f"c.Cluster.{unknown[0]} is not a setting (settings: {', '.join(sorted(known))})"
        )
    return Cluster(config=config)


def open_executor(
    *,
    scheduler: str = "",
    workers: int = 2,
    warm_modules: Iterable[str],
    figures: bool | FigureLimits = True,
    sandbox: Limits | None = None,
    in_flight: int = 0,
    batch: int = BATCH,
    timeout: float = 10.0,
) -> Executor | WorkExecutor:
    """The local warm pool, or a Dask executor when a scheduler address is given.

    Either starts warming at once, so the caller's own start-up overlaps it.
    ``warm_modules`` is for the local pool (what the lessons import).
    """
    if not scheduler:
        from .pool import WarmPool

        return WarmPool(
            workers=workers, warm_modules=warm_modules, figures=figures, sandbox=sandbox
        )
    if in_flight < 0:
        raise ClusterError(f"c.Cluster.in_flight must be 0 or more, not {in_flight}")
    if batch < 1:
        raise ClusterError(f"c.Cluster.batch must be 1 or more, not {batch}")
    try:
        from .cluster import DaskExecutor
    except ImportError as exc:
        raise ClusterError(
            "grading on a Dask cluster needs dask.distributed: pip install 'calcml-grader[cluster]'"
        ) from exc
    from .zygote import WARM_MODULES

    # The workers' zygotes stay up between graders (see ZygotePlugin): warmed with the
    # whole stack, they serve every lesson, so no grade waits for a worker's imports.
    return DaskExecutor(
        scheduler,
        warm_modules=WARM_MODULES,
        figures=figures,
        sandbox=sandbox,
        in_flight=in_flight or None,
        batch=batch,
        timeout=timeout,
    )

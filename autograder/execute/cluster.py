"""Run jobs on a Dask cluster: every worker hosts its own warm zygote.

The local :class:`~.pool.WarmPool` needs the grader's disk and passes file
descriptors over Unix sockets, so it cannot leave the machine. Here each job
travels as plain data: the notebook, and the files of its folder inline
(:class:`Packed`), so workers share no filesystem with the grader. A worker
plugin (:class:`ZygotePlugin`) starts one warm pool per worker thread when the
worker joins; a task (a few jobs: ``c.Cluster.batch``) borrows one, lays each
job's files out in a scratch folder and runs it there, confined exactly as it
is locally. The worker process itself never runs student code: it reads the
child's results as defensively as the local pool does, and hands back an
:class:`~.pool.Outcome`, or, for a whole submission
(:meth:`DaskExecutor.run_work`), sanitizes it first and judges it after
(:mod:`autograder.work`) and hands back what the grader records.

A worker lost mid-job is the scheduler's to handle: it runs the task again on
another worker (``distributed.scheduler.allowed-failures`` times). The grader
takes the first outcome of each job and records it once. Deploying workers on
SSH hosts, Kubernetes or SLURM is Dask's own business (``dask-ssh``,
``dask-kubernetes``, ``dask-jobqueue``): this module only needs a scheduler
address.

>>> with DaskExecutor("tcp://127.0.0.1:8786") as executor:  # doctest: +SKIP
...     for outcome in executor.run(jobs): ...
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import queue
import stat
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from concurrent.futures import CancelledError
from dataclasses import asdict, dataclass, replace
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from distributed import WorkerPlugin

from .child import FigureLimits, Job, figure_limits
from .executor import BATCH, ClusterError, WorkExecutor, drain
from .pool import Outcome, WarmPool
from .sandbox import Limits
from .zygote import WARM_MODULES

if TYPE_CHECKING:
    from ..work import LessonWork, Work, Worked

__all__ = ["ClusterError", "DaskExecutor", "Packed", "ZygotePlugin", "pack", "unpack"]

#: A job's folder may not carry more than this many bytes of files to a worker.
MAX_FILES_BYTES = 64 * 1024 * 1024
#: How long to wait for the scheduler to answer.
CONNECT_TIMEOUT = 10.0


@dataclass
class Packed:
    """A job (or a whole submission's work) as it travels to a worker: the files of its
    folder inline, by relative path."""

    job: Job | Work
    files: dict[str, bytes]


def pack(job: Job | Work) -> Packed:
    """The job with the regular files of its folder; links and special files stay behind."""
    root = Path(job.cwd)
    files: dict[str, bytes] = {}
    total = 0
    for folder, dirs, names in os.walk(root, followlinks=False):
        for name in names:
            path = Path(folder, name)
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                continue
            total += info.st_size
            if total > MAX_FILES_BYTES:
                raise ClusterError(f"the files of {job.key} exceed {MAX_FILES_BYTES // 2**20} MiB")
            files[path.relative_to(root).as_posix()] = path.read_bytes()
        dirs[:] = [d for d in dirs if not Path(folder, d).is_symlink()]
    return Packed(job, files)


def unpack(packed: Packed, folder: Path) -> Job | Work:
    """Lay the files out under ``folder`` and return the job set to run there."""
    for name, data in packed.files.items():
        rel = PurePosixPath(name)
        if rel.is_absolute() or ".." in rel.parts:
            raise ClusterError(f"refused a file outside the job's folder: {name!r}")
        target = folder.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return replace(packed.job, cwd=str(folder))


class ZygotePlugin(WorkerPlugin):
    """A Dask worker plugin: one warm pool (one zygote) per worker thread.

    The zygotes start warming when the worker joins, so the first job on a
    worker pays no import. A worker that joins later gets them too.
    """

    #: Registered again by the next grader with the same settings, it is kept, zygotes
    #: warm: a grade on a cluster starts without waiting for imports.
    idempotent = True

    def __init__(self, settings: dict) -> None:
        #: What every zygote warms and how its children are confined (plain data).
        self.settings = settings
        # Made on the worker (a queue does not travel).
        self.pools: queue.Queue[WarmPool] | None = None
        self.scratch = ""

    @property
    def name(self) -> str:
        """One plugin per settings: graders that warm different modules do not clash."""
        digest = hashlib.sha256(json.dumps(self.settings, sort_keys=True).encode())
        return f"calcml-zygote-{digest.hexdigest()[:12]}"

    def setup(self, worker) -> None:
        self.scratch = str(Path(worker.local_directory, "calcml-jobs"))
        Path(self.scratch).mkdir(parents=True, exist_ok=True)
        self.pools = queue.Queue()
        sandbox = self.settings["sandbox"]
        for _ in range(max(1, worker.state.nthreads)):
            self.pools.put(
                WarmPool(
                    workers=1,
                    warm_modules=self.settings["warm_modules"],
                    figures=FigureLimits(**self.settings["figures"])
                    if self.settings["figures"]
                    else False,
                    sandbox=Limits(**sandbox) if sandbox is not None else None,
                )
            )

    @contextlib.contextmanager
    def pool(self) -> Iterator[WarmPool]:
        """One of this worker's warm pools, for one task at a time."""
        pool = self.pools.get()
        try:
            yield pool
        finally:
            self.pools.put(pool)

    @contextlib.contextmanager
    def laid_out(self, batch: list[Packed]) -> Iterator[list]:
        """Each packed job (or work) set to run in a scratch folder of its own, holding
        its files; the folders go when the task is done."""
        with contextlib.ExitStack() as folders:
            yield [
                unpack(
                    packed,
                    Path(folders.enter_context(tempfile.TemporaryDirectory(dir=self.scratch))),
                )
                for packed in batch
            ]

    def teardown(self, worker) -> None:
        while self.pools is not None and not self.pools.empty():
            with contextlib.suppress(Exception):
                self.pools.get_nowait().close()


def run_on_worker(batch: list[Packed], plugin: str) -> list[Outcome]:
    """The task: run packed jobs in this worker's warm pool, each in a scratch folder."""
    from distributed import get_worker

    zygotes: ZygotePlugin = get_worker().plugins[plugin]
    with zygotes.laid_out(batch) as jobs, zygotes.pool() as pool:
        done = {outcome.key: outcome for outcome in pool.run(jobs)}
    missing = [job.key for job in jobs if job.key not in done]
    if missing:
        raise ClusterError(f"the worker's pool returned nothing for {', '.join(missing)}")
    return [done[job.key] for job in jobs]


def work_on_worker(batch: list[tuple[Packed, LessonWork]], plugin: str) -> list[Worked]:
    """The task for whole submissions: sanitize, run in a warm pool and judge each, in
    scratch folders of this worker (which never runs the students' code itself)."""
    from distributed import get_worker

    from ..work import Local

    zygotes: ZygotePlugin = get_worker().plugins[plugin]
    with zygotes.laid_out([packed for packed, _ in batch]) as works, zygotes.pool() as pool:
        items = [(work, lesson) for work, (_, lesson) in zip(works, batch, strict=True)]
        done = {worked.key: worked for worked in Local(pool).run_work(items)}
    return [done[work.key] for work in works]


class DaskExecutor(WorkExecutor):
    """Execute jobs on the workers of a Dask scheduler, results in completion order.

    Jobs travel ``batch`` to a task: whatever it holds, a task costs the
    scheduler, the worker and the grader about a millisecond, as much as the
    grader's own work on a submission, so one per task would cap a grader far
    below what a cluster runs. A lost worker's task runs again whole. At most
    ``in_flight`` jobs are on the cluster at once (default: four per worker
    thread, at least 16: enough that no worker waits for its next task while a
    result travels back), so a class of thousands never sits in the
    scheduler's memory.
    """

    def __init__(
        self,
        scheduler: str,
        *,
        warm_modules: Iterable[str] = WARM_MODULES,
        figures: bool | FigureLimits = True,
        sandbox: Limits | None = None,
        in_flight: int | None = None,
        batch: int = BATCH,
        timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        from distributed import Client

        if in_flight is not None and in_flight < 1:
            raise ValueError("in_flight must be at least 1")
        if batch < 1:
            raise ValueError("batch must be at least 1")
        limits = figure_limits(figures)
        self.settings = {
            "warm_modules": list(warm_modules),
            "figures": asdict(limits) if limits is not None else None,
            "sandbox": asdict(sandbox) if sandbox is not None else None,
        }
        try:
            self.client = Client(scheduler, timeout=timeout)
        except OSError as exc:
            raise ClusterError(f"no Dask scheduler answered at {scheduler}: {exc}") from exc
        self.in_flight = in_flight
        self.batch = batch
        self.plugin = self.start_zygotes()

    def start_zygotes(self) -> str:
        """Have every worker (and any that joins later) warm its zygotes; the plugin's name."""
        plugin = ZygotePlugin(self.settings)
        self.client.register_plugin(plugin, name=plugin.name)
        return plugin.name

    def task(self, batch: list[Packed]) -> tuple:
        """(function, *arguments) a worker runs for packed jobs; a benchmark may stand in."""
        return run_on_worker, batch, self.plugin

    def work_task(self, batch: list[tuple[Packed, LessonWork]]) -> tuple:
        """(function, *arguments) a worker runs for whole submissions."""
        return work_on_worker, batch, self.plugin

    def _limit(self) -> int:
        if self.in_flight is not None:
            return self.in_flight
        return max(16, 4 * sum(self.client.nthreads().values()))

    def run(self, jobs: Iterable[Job]) -> Iterator[Outcome]:
        """Yield an :class:`~.pool.Outcome` per job, each once, in completion order."""

        def lost(job: Job, why: str) -> Outcome:
            return Outcome(job.key, "crashed", job.notebook, 0.0, why)

        return self._stream(jobs, pack, self.task, lambda job: job.key, lost)

    def run_work(self, items: Iterable[tuple[Work, LessonWork]]) -> Iterator[Worked]:
        """Sanitize, run and judge each submission on a worker: the grader only records."""
        from ..work import failed

        # The lesson travels with its tasks (tens of kB, once per task: pickle keeps one
        # copy of an object it meets twice), not scattered once: a copy that lived only
        # on a lost worker would take every task that needs it down too.
        return self._stream(
            items,
            lambda item: (pack(item[0]), item[1]),
            self.work_task,
            lambda item: item[0].key,
            lambda item, why: failed(item[0].key, why),
        )

    def _stream(self, items: Iterable, prepare, task, key, lost) -> Iterator:
        """Send the items in batches of ``task(prepared items)``, at most the in-flight
        limit at once, and yield each item's result once, as its batch completes.

        ``prepare(item)`` is what travels of an item (a ClusterError: that item alone
        is refused); ``lost(item, why)`` stands for a result no worker survived to give.
        """
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        pending = iter(items)
        # On this client's own event loop: left to itself, as_completed takes the
        # process's default client, which is whichever was made last (a second client
        # in the grader's process), and once that one closed no task ever completed.
        waiting = as_completed([], with_results=False, loop=self.client.loop)
        by_future: dict[str, list] = {}
        #: Results of items that could not be sent (too many files): theirs alone.
        refused: list = []
        limit = self._limit()
        size = min(self.batch, max(1, limit // 2))

        def submit() -> None:
            """Send batches while the in-flight limit has room and items are left."""
            while sum(map(len, by_future.values())) + size <= limit:
                batch, prepared = [], []
                for item in pending:
                    try:
                        prepared.append(prepare(item))
                    except ClusterError as exc:
                        refused.append(lost(item, str(exc)))
                        continue
                    batch.append(item)
                    if len(batch) == size:
                        break
                if not batch:
                    return
                function, *arguments = task(prepared)
                # Named after what it holds, so the scheduler's view shows who is where.
                names = "-".join(key(item) for item in batch)
                future = self.client.submit(
                    function,
                    *arguments,
                    key=f"calcml-{names}-{uuid.uuid4().hex[:12]}",
                    pure=False,
                )
                by_future[future.key] = batch
                waiting.add(future)

        submit()
        yield from drain(refused)
        for first in waiting:
            # Whatever else has finished comes in the same fetch: one round trip for all.
            for future, results, exc in self._fetch([first, *waiting.next_batch(block=False)]):
                batch = by_future.pop(future.key)
                if isinstance(exc, KilledWorker):
                    why = f"every worker that ran it was lost ({exc})"
                    results = [lost(item, why) for item in batch]
                elif isinstance(exc, ClusterError):
                    raise exc
                elif isinstance(exc, CancelledError):  # by the scheduler, as when it stops
                    raise ClusterError(f"the cluster cancelled {key(batch[0])}") from exc
                elif exc is not None:
                    raise ClusterError(
                        f"a worker could not run {key(batch[0])}: {type(exc).__name__}: {exc}"
                    ) from exc
                submit()
                yield from results
                yield from drain(refused)
        yield from drain(refused)

    def _fetch(self, futures: list) -> Iterator[tuple[Any, list | None, BaseException | None]]:
        """(future, its results, or the exception it ended in) for finished futures.

        The ones that finished well are fetched together, in one round trip, in
        this thread when asked for; any that cannot come together (lost meanwhile,
        or failed) come one at a time.
        """
        ready = [f for f in futures if f.status == "finished"]
        fetched: dict = {}
        if ready:
            with contextlib.suppress(Exception):
                fetched = dict(zip((f.key for f in ready), self.client.gather(ready), strict=True))
        for future in futures:
            try:
                if future.key in fetched:
                    yield future, fetched[future.key], None
                else:
                    yield future, future.result(), None
            except Exception as exc:  # noqa: BLE001 - the caller names it
                yield future, None, exc
            finally:
                future.release()

    def close(self) -> None:
        """Leave the cluster; its workers keep their zygotes for the next grader."""
        with contextlib.suppress(Exception):
            self.client.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

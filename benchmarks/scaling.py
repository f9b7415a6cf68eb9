"""How far one grader scales: its serial CPU per notebook, and Dask against the local pool.

Builds the demo class (``build_batch``), grades it once for real while
keeping what the workers made of each submission, then measures three things:

1. **The grader's serial CPU per notebook.** The class is graded again with a
   stand-in executor that hands back at once what the workers made of each
   submission (sanitized, run, judged), so what is left is the grader's own
   work: reading the files, opening the gradebook rows, writing the grades,
   the autograded notebook and the result file. ``--profile`` prints where
   it goes.
2. **Notebooks/s one grader sustains with a Dask cluster.** A real localhost
   cluster (a scheduler and ``--dask-workers`` worker processes) runs
   stand-in jobs that return the kept results: the cluster is never the
   bottleneck, so the figure is the grader's ceiling.
3. **Dask against the local pool on the same class**, both for real: ``autograder
   grade all --force`` with ``--workers 2``, and with ``--scheduler`` on 2
   single-thread workers. Scores must agree.

    python benchmarks/scaling.py --students 20
    python benchmarks/scaling.py --students 20 --profile --skip-dask
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from throughput import build_batch, print_differences, run, scores  # noqa: E402

from autograder.course import Course  # noqa: E402
from autograder.execute.cluster import DaskExecutor  # noqa: E402
from autograder.execute.executor import BATCH, WorkExecutor  # noqa: E402
from autograder.execute.pool import WarmPool  # noqa: E402
from autograder.execute.sandbox import Limits  # noqa: E402
from autograder.grade import grade_lessons  # noqa: E402
from autograder.work import Local  # noqa: E402


class Keeping(WorkExecutor):
    """The local executor, keeping a copy of what it made of every submission."""

    def __init__(self, pool: WarmPool) -> None:
        self.local, self.kept = Local(pool), {}

    def run_work(self, items):
        for worked in self.local.run_work(items):
            self.kept[worked.key] = copy.deepcopy(worked)
            yield worked

    def close(self) -> None:
        self.local.close()


class Replay(WorkExecutor):
    """A stand-in executor: each submission's kept result, at once, in this process."""

    def __init__(self, kept: dict) -> None:
        self.kept = kept

    def run_work(self, items):
        for work, _ in items:
            yield copy.deepcopy(self.kept[work.key])

    def close(self) -> None:
        pass


class DaskReplay(DaskExecutor):
    """The real Dask executor, whose workers hand back the kept results instead of working."""

    kept: dict = {}

    def start_zygotes(self) -> str:
        return ""  # stand-in jobs need none

    def work_task(self, batch):
        # The stand-in task: a worker copies the kept results of its batch and hands them
        # back at once (a standard-library function, importable on every worker). The
        # grader still packs each submission's files, as it does for real work.
        return copy.copy, [self.kept[packed.job.key] for packed, _ in batch]


def ungraded(course: Course) -> None:
    """Back to the class as submitted: the gradebook before grading, no autograded folder."""
    shutil.copy(course.root / "gradebook.ungraded", course.root / "gradebook.db")
    shutil.rmtree(course.root / "autograded", ignore_errors=True)


def grader_cpu(course: Course, lessons: list[str], executor, profile: bool) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of this process grading the class anew with ``executor``.

    As the first grading of the class: nbgrader's submission rows are made too.
    """
    ungraded(course)
    profiler = cProfile.Profile() if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    grade_lessons(course, lessons, pool=executor, progress=False)
    if profiler:
        profiler.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if profiler:
        stats = pstats.Stats(profiler).sort_stats("cumulative")
        stats.print_stats(r"autograder|nbgrader|sqlalchemy/orm/session", 45)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--dask-workers", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="profile the grader's own work")
    parser.add_argument("--skip-dask", action="store_true", help="only the grader's CPU")
    parser.add_argument("--batch", type=int, default=BATCH, help="notebooks per Dask task")
    parser.add_argument(
        "--skip-real", action="store_true", help="no real grading on Dask against local"
    )
    parser.add_argument("--rounds", type=int, default=3, help="passes of each stand-in run")
    parser.add_argument("--keep", help="keep the course in this folder")
    args = parser.parse_args()

    base = Path(args.keep or tempfile.mkdtemp(prefix="scaling-"))
    lessons, count = build_batch(base, args.students, args.seed)
    root = base / "autograder"
    course = Course.open(root)
    shutil.copy(root / "gradebook.db", root / "gradebook.ungraded")
    keeping = Keeping(WarmPool(workers=2, sandbox=Limits()))
    try:
        grade_lessons(course, lessons, pool=keeping, progress=False)
    finally:
        keeping.close()
    kept = keeping.kept
    print(f"class: {count} notebooks, {len(lessons)} lessons ({len(kept)} executed)")

    runs = [grader_cpu(course, lessons, Replay(kept), args.profile) for _ in range(args.rounds)]
    cpu, wall = min(runs)
    print(
        f"grader serial CPU  : {1000 * cpu / count:6.1f} ms per notebook, best of "
        f"{', '.join(f'{1000 * c / count:.1f}' for c, _ in runs)} "
        f"({count / wall:.0f} nb/s with instant jobs in this process; goal <= 5 ms)"
    )
    if args.skip_dask:
        return

    from tests.dask_cluster import Cluster

    cluster = Cluster(base / "cluster", workers=args.dask_workers).start()
    try:
        DaskReplay.kept = kept
        with DaskReplay(cluster.address, warm_modules=[], batch=args.batch) as executor:
            # The first pass warms the connections and the workers' imports.
            walls = [grader_cpu(course, lessons, executor, False)[1] for _ in range(args.rounds)]
        print(
            f"grader + Dask      : {count / min(walls[1:] or walls):6.0f} nb/s sustained with "
            f"stand-in jobs on {args.dask_workers} workers, {args.batch} per task "
            f"(goal >= 200); passes: "
            f"{', '.join(f'{count / w:.0f}' for w in walls)} nb/s"
        )
        if args.skip_real:
            return
        before = scores(root, lessons)
        grade_all = [sys.executable, "-m", "autograder", "grade", "all", "--force", "--quiet"]
        local, _, _ = run([*grade_all, "--workers", "2"], root)
        on_dask, _, _ = run([*grade_all, "--scheduler", cluster.address], root)
        after = scores(root, lessons)
        print(f"local pool, 2 workers : {local:6.1f} s  {count / local:5.1f} nb/s")
        print(
            f"Dask, {args.dask_workers} workers       : {on_dask:6.1f} s  "
            f"{count / on_dask:5.1f} nb/s  ({100 * (on_dask / local - 1):+.0f} % against local)"
        )
        print_differences(before, after)
    finally:
        cluster.stop()
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Start-up of a one-lesson grade, and lesson by lesson against ``nbgrader autograde``.

Builds the demo class (about 15 submissions per lesson with the default
``--students``), then grades it one command per lesson, as a TA grading each
lesson on its due date would: ``nbgrader autograde LESSON`` on one copy,
``autograder grade LESSON`` on the other. Scores must agree cell for cell.

Start-up is measured from the outside, with no hook in the grader: every
submission's first code cell prints the wall clock when it runs, and the
earliest such time in a lesson's autograded notebooks, less the moment the
command was started, is how long the command took to run its first student
code.

    python benchmarks/startup.py                 # 7 lessons x ~15 submissions
    python benchmarks/startup.py --students 20
    python benchmarks/startup.py --no-nbgrader --dask-workers 2   # resident zygotes
    python benchmarks/startup.py --serve        # grade handed to a running serve
"""

from __future__ import annotations

import argparse
import json
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from throughput import build_batch, print_differences, run, scores  # noqa: E402

MARK = "AUTOGRADER-BENCH-START"


def _stamp(nb) -> None:
    """Make the first code cell print when it ran (the student's own cell)."""
    cell = next(c for c in nb.cells if c.cell_type == "code")
    cell.source += f"\nimport time as _t\nprint('{MARK}', repr(_t.time()))\n"


def first_run(course: Path, lesson: str) -> float | None:
    """The earliest wall-clock time a student cell of ``lesson`` ran in ``course``."""
    times = []
    for path in course.glob(f"autograded/*/{lesson}/{lesson}.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            for out in cell.get("outputs", []):
                text = "".join(out.get("text", ""))
                if MARK in text:
                    times.append(float(text.split(MARK, 1)[1].split()[0]))
    return min(times) if times else None


def _start_serve(course: Path, exchange: Path) -> subprocess.Popen:
    """``autograder serve`` on ``course``, once it listens."""
    exchange.mkdir(exist_ok=True)
    log = course.parent / "serve.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "autograder", "serve", "--exchange", str(exchange), "--port", "0"],
        cwd=course,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while "serving" not in log.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"serve did not start:\n{log.read_text()}")
        time.sleep(0.1)
    print(f"serve running on the course (pid {proc.pid}): grade commands are handed to it")
    return proc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=18, help="simulated class size")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--keep", help="keep the two courses in this folder")
    parser.add_argument(
        "--no-nbgrader", action="store_true", help="only our start-up and times, no ratio"
    )
    parser.add_argument(
        "--dask-workers",
        type=int,
        default=0,
        help="grade on a localhost Dask cluster of this many workers, whose zygotes stay "
        "warm between commands (one warm-up grade first)",
    )
    parser.add_argument(
        "--serve",
        action="store_true",
        help="with `autograder serve` running on the course, as all term: each grade "
        "command is handed to it (its pool is warm)",
    )
    args = parser.parse_args()

    base = Path(args.keep or tempfile.mkdtemp(prefix="startup-"))
    lessons, count = build_batch(base, args.students, args.seed, edit=_stamp)
    theirs, ours = base / "nbgrader", base / "autograder"
    print(f"batch: {count} notebooks, {len(lessons)} lessons, {args.workers} workers")
    nb_total = ag_total = 0.0
    startups = []
    extra = ["--workers", str(args.workers)]
    cluster = None
    if args.dask_workers:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from tests.dask_cluster import Cluster

        cluster = Cluster(base / "cluster", workers=args.dask_workers).start()
        extra = ["--scheduler", cluster.address]
        warm = base / "warm-up"
        shutil.copytree(ours, warm)
        seconds, _, _ = run(
            [sys.executable, "-m", "autograder", "grade", lessons[0], "--quiet", *extra], warm
        )
        print(f"warm-up grade on the cluster (its zygotes start): {seconds:.1f} s")
    served = _start_serve(ours, base / "exchange") if args.serve else None
    for lesson in lessons:
        n = len(list((ours / "submitted").glob(f"*/{lesson}/{lesson}.ipynb")))
        nb_s = float("nan")
        if not args.no_nbgrader:
            nb_s, _, _ = run([sys.executable, "-m", "nbgrader", "autograde", lesson], theirs)
        started = time.time()
        cmd = [sys.executable, "-m", "autograder", "grade", lesson, "--quiet"]
        ag_s, _, _ = run(cmd + extra, ours)
        first = first_run(ours, lesson)
        startup = first - started if first is not None else float("nan")
        startups.append(startup)
        nb_total += nb_s
        ag_total += ag_s
        print(
            f"  {lesson}: {n:3d} nb  nbgrader {nb_s:6.1f} s  autograder {ag_s:5.1f} s  "
            f"ratio {nb_s / ag_s:5.1f}x  first student cell after {startup:.2f} s",
            flush=True,
        )
    b = scores(ours, lessons)
    a = b if args.no_nbgrader else scores(theirs, lessons)  # without nbgrader: nothing to compare
    print(f"lesson by lesson   : nbgrader {nb_total:.1f} s, autograder {ag_total:.1f} s")
    print(f"ratio              : {nb_total / ag_total:.1f}x")
    print(
        f"start-up           : median {statistics.median(startups):.2f} s, "
        f"max {max(startups):.2f} s (command start to first student cell)"
    )
    print_differences(a, b)
    if served is not None:
        served.send_signal(signal.SIGTERM)
        served.wait(120)
    if cluster is not None:
        cluster.stop()
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

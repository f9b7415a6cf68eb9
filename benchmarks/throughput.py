"""Throughput of ``autograder grade`` against ``nbgrader autograde`` on one batch.

Builds a class of simulated submissions (correct, varied, wrong and blank:
no broken or never-ending ones, which nbgrader cannot grade at all), grades
the very same files once with nbgrader, one ``autograde`` command per lesson,
and once with ``autograder grade all``; checks that every cell's score is the
same in both gradebooks; prints the times, their ratio and peak memory.

    python benchmarks/throughput.py --students 16          # 16 x 7 = 112 notebooks
    python benchmarks/throughput.py --sandbox-cost         # ours only: sandbox on vs off
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from autograder.demo import build_course, release
from autograder.demo.classroom import make_students, simulate

HONEST = {"correct", "variant", "mistake", "two-mistakes", "blank", "earlier"}


def run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (MiB, largest process of the tree) of ``cmd``."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr.read().decode()[-2000:]}")
    return seconds, usage.ru_maxrss // 1024


def scores(course: Path, lessons: list[str]) -> dict[tuple[str, str, str], float]:
    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for lesson in lessons:
            for sub in gb.assignment_submissions(lesson):
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        out[(lesson, sub.student.id, grade.name)] = grade.score
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--figures", action="store_true", help="render plots (slower)")
    parser.add_argument("--keep", help="keep the two courses in this folder")
    parser.add_argument(
        "--sandbox-cost",
        action="store_true",
        help="skip nbgrader; grade the batch with the sandbox on and off, twice each",
    )
    args = parser.parse_args()

    base = Path(args.keep or tempfile.mkdtemp(prefix="throughput-"))
    course = build_course(base / "batch")
    lessons = course.lessons()
    release(course, lessons)
    rng = random.Random(args.seed)
    people = make_students(args.students, rng)
    count = 0
    for lesson in lessons:
        src = nbformat.read(course.source(lesson) / f"{lesson}.ipynb", as_version=4)
        rel = nbformat.read(course.release(lesson) / f"{lesson}.ipynb", as_version=4)
        for sub in simulate(people, lesson, src, rel, rng):
            if sub.profile not in HONEST or sub.profile == "earlier":
                continue
            folder = course.submitted(sub.student.student_id, lesson)
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{lesson}.ipynb").write_bytes(sub.data)
            count += 1
    theirs, ours = base / "nbgrader", base / "autograder"
    for dest in (theirs, ours):
        shutil.copytree(course.root, dest)
    print(f"batch: {count} notebooks, {len(lessons)} lessons, {args.workers} workers")

    if args.sandbox_cost:
        base_cmd = [sys.executable, "-m", "autograder", "grade", "all", "--quiet", "--force"]
        times: dict[str, list[float]] = {"on": [], "off": []}
        for _ in range(2):
            for mode, extra in (("on", []), ("off", ["--no-sandbox"])):
                times[mode].append(run(base_cmd + extra, ours)[0])
        on, off = min(times["on"]), min(times["off"])
        print(f"sandbox on : {on:.1f} s   off: {off:.1f} s   cost: {100 * (on / off - 1):+.0f}%")
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        return

    nb_seconds, nb_rss = 0.0, 0
    for lesson in lessons:
        seconds, rss = run([sys.executable, "-m", "nbgrader", "autograde", lesson], theirs)
        nb_seconds += seconds
        nb_rss = max(nb_rss, rss)
        print(f"  nbgrader autograde {lesson}: {seconds:.1f} s", flush=True)
    cmd = [
        sys.executable,
        "-m",
        "autograder",
        "grade",
        "all",
        "--quiet",
        "--workers",
        str(args.workers),
    ] + (["--figures"] if args.figures else [])
    ag_seconds, ag_rss = run(cmd, ours)

    a, b = scores(theirs, lessons), scores(ours, lessons)
    differ = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    print(
        f"nbgrader autograde : {nb_seconds:7.1f} s  {count / nb_seconds:6.2f} nb/s  "
        f"peak RSS {nb_rss} MiB"
    )
    print(
        f"autograder grade   : {ag_seconds:7.1f} s  {count / ag_seconds:6.2f} nb/s  "
        f"peak RSS {ag_rss} MiB"
    )
    print(f"throughput ratio   : {nb_seconds / ag_seconds:.1f}x")
    print(f"cells compared     : {len(a)}; scores that differ: {len(differ)}")
    for key in differ[:20]:
        print(f"  {key}: nbgrader {a.get(key)} vs autograder {b.get(key)}")
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

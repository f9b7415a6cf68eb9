"""Throughput of ``autograder grade`` against ``nbgrader autograde``, per notebook.

Builds a class of simulated submissions (correct, varied, wrong and blank:
no broken or never-ending ones, which nbgrader cannot grade at all). Ours
grades the whole class (``autograder grade all``); nbgrader, which is
slower by far, grades a sample of it (``--sample`` students, one
``autograde`` command per lesson), and every cell of the common notebooks
must score the same in both gradebooks. Prints the times, notebooks per
second, the ratio per notebook and peak memory.

    python benchmarks/throughput.py --students 100 --sample 8  # ours on ~560, nbgrader ~45
    python benchmarks/throughput.py --sandbox-cost         # ours only: sandbox on vs off
    python benchmarks/throughput.py --figures-cost         # ours only: plots drawn vs not
"""

from __future__ import annotations

import argparse
import json
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


def run(cmd: list[str], cwd: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (MiB, largest process of the tree) and CPU seconds of ``cmd``.

    The CPU time is the whole tree's (the zygote and every child it reaped):
    unlike wall time, it hardly moves when other work shares the machine.
    """
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
    return seconds, usage.ru_maxrss // 1024, usage.ru_utime + usage.ru_stime


def scores(course: Path, lessons: list[str]) -> dict[tuple[str, str, str], float]:
    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for lesson in lessons:
            for sub in gb.assignment_submissions(lesson):
                for nb in sub.notebooks:
                    for grade in nb.grades:
                        out[(lesson, sub.student.id, grade.name)] = grade.score
    return out


def images(course: Path) -> tuple[int, int, int]:
    """(image outputs, their bytes of base64, bytes of all autograded notebooks)."""
    count = size = total = 0
    for path in (course / "autograded").glob("*/*/*.ipynb"):
        text = path.read_text()
        total += len(text.encode())
        for cell in json.loads(text)["cells"]:
            for out in cell.get("outputs", []):
                png = out.get("data", {}).get("image/png")
                if png:
                    count += 1
                    size += len(png)
    return count, size, total


def compare(
    ours: Path, lessons: list[str], workers: int, label: str, flag: str, rounds: int = 2
) -> tuple[Path, float]:
    """Grade the batch with ``flag`` on and off, ``rounds`` times each; print the best times.

    Each mode grades its own copy of the batch, so the scores of the two can be
    compared, and what one mode wrote never meets the other. Returns the "off"
    copy and the extra CPU seconds of "on" (best against best).
    """
    base_cmd = [sys.executable, "-m", "autograder", "grade", "all", "--quiet", "--force"]
    base_cmd += ["--workers", str(workers)]
    copies = {"on": ours, "off": ours.with_name(ours.name + "-off")}
    shutil.copytree(ours, copies["off"])
    times: dict[str, list[float]] = {"on": [], "off": []}
    cpu: dict[str, list[float]] = {"on": [], "off": []}
    for _ in range(rounds):
        for mode, extra in (("on", []), ("off", [flag])):
            seconds, _, cpu_seconds = run(base_cmd + extra, copies[mode])
            times[mode].append(seconds)
            cpu[mode].append(cpu_seconds)
    for what, got in (("wall", times), ("CPU ", cpu)):
        on, off = min(got["on"]), min(got["off"])
        print(
            f"{label} {what} on: {on:6.1f} s   off: {off:6.1f} s   ratio {on / off:.2f} "
            f"({100 * (on / off - 1):+.0f}%)   best of "
            f"on {', '.join(f'{t:.1f}' for t in got['on'])}; "
            f"off {', '.join(f'{t:.1f}' for t in got['off'])}"
        )
    a, b = scores(copies["on"], lessons), scores(copies["off"], lessons)
    differ = sum(1 for k in set(a) | set(b) if a.get(k) != b.get(k))
    print(f"cells compared: {len(a)}; scores that differ between on and off: {differ}")
    return copies["off"], min(cpu["on"]) - min(cpu["off"])


def print_differences(a: dict, b: dict) -> None:
    """How many cells were compared, and the first cells whose scores differ."""
    differ = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    print(f"cells compared     : {len(a)}; scores that differ: {len(differ)}")
    for key in differ[:20]:
        print(f"  {key}: nbgrader {a.get(key)} vs autograder {b.get(key)}")


def build_batch(base: Path, students: int, seed: int, edit=None) -> tuple[list[str], int]:
    """A released demo course with simulated submissions, copied to base/nbgrader and
    base/autograder; (lessons, notebooks). ``edit(nb)`` may change each submission."""
    course = build_course(base / "batch")
    lessons = course.lessons()
    release(course, lessons)
    rng = random.Random(seed)
    people = make_students(students, rng)
    count = 0
    for lesson in lessons:
        src = nbformat.read(course.source(lesson) / f"{lesson}.ipynb", as_version=4)
        rel = nbformat.read(course.release(lesson) / f"{lesson}.ipynb", as_version=4)
        for sub in simulate(people, lesson, src, rel, rng):
            if sub.profile not in HONEST or sub.profile == "earlier":
                continue
            folder = course.submitted(sub.student.student_id, lesson)
            folder.mkdir(parents=True, exist_ok=True)
            data = sub.data
            if edit is not None:
                nb = nbformat.reads(data.decode(), as_version=4)
                edit(nb)
                data = nbformat.writes(nb).encode()
            (folder / f"{lesson}.ipynb").write_bytes(data)
            count += 1
    for dest in (base / "nbgrader", base / "autograder"):
        shutil.copytree(course.root, dest)
    return lessons, count


def keep_sample(course: Path, students: int, seed: int) -> int:
    """Leave only ``students`` students' submissions in ``course``; their notebook count."""
    everyone = sorted(p.name for p in (course / "submitted").iterdir() if p.is_dir())
    chosen = set(random.Random(seed).sample(everyone, min(students, len(everyone))))
    for folder in (course / "submitted").iterdir():
        if folder.name not in chosen:
            shutil.rmtree(folder)
    return sum(1 for _ in (course / "submitted").glob("*/*/*.ipynb"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=16)
    parser.add_argument(
        "--sample",
        type=int,
        help="students whose notebooks nbgrader grades (default: all; ours grades all)",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--no-figures", action="store_true", help="do not draw plots as images (faster)"
    )
    parser.add_argument("--keep", help="keep the two courses in this folder")
    parser.add_argument(
        "--sandbox-cost",
        action="store_true",
        help="skip nbgrader; grade the batch with the sandbox on and off, --rounds times each",
    )
    parser.add_argument(
        "--figures-cost",
        action="store_true",
        help="skip nbgrader; grade the batch with plots drawn as images or not, --rounds times",
    )
    parser.add_argument(
        "--rounds", type=int, default=2, help="runs of each mode for the -cost modes (default 2)"
    )
    args = parser.parse_args()

    base = Path(args.keep or tempfile.mkdtemp(prefix="throughput-"))
    lessons, count = build_batch(base, args.students, args.seed)
    theirs, ours = base / "nbgrader", base / "autograder"
    print(f"batch: {count} notebooks, {len(lessons)} lessons, {args.workers} workers")

    if args.sandbox_cost:
        compare(ours, lessons, args.workers, "sandbox", "--no-sandbox", args.rounds)
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        return
    if args.figures_cost:
        off, extra = compare(ours, lessons, args.workers, "figures", "--no-figures", args.rounds)
        (n, png, on_total), (_, _, off_total) = images(ours), images(off)
        mib = 2**20
        print(
            f"images: {n}, {1000 * extra / max(n, 1):.0f} ms of CPU and "
            f"{png / max(n, 1) / 1024:.0f} KiB (base64) each on average; autograded "
            f"notebooks: {on_total / mib:.1f} MiB with, {off_total / mib:.1f} MiB without"
        )
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
        return

    nb_count = count
    if args.sample is not None:
        nb_count = keep_sample(theirs, args.sample, args.seed)
        print(f"nbgrader sample: {nb_count} notebooks of {args.sample} students")
    nb_seconds, nb_rss = 0.0, 0
    for lesson in lessons:
        seconds, rss, _ = run([sys.executable, "-m", "nbgrader", "autograde", lesson], theirs)
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
    ] + (["--no-figures"] if args.no_figures else [])
    ag_seconds, ag_rss, _ = run(cmd, ours)

    a, b = scores(theirs, lessons), scores(ours, lessons)
    theirs_rate, ours_rate = nb_count / nb_seconds, count / ag_seconds
    print(
        f"nbgrader autograde : {nb_seconds:7.1f} s  {nb_count:5d} nb  {theirs_rate:6.2f} nb/s  "
        f"peak RSS {nb_rss} MiB"
    )
    print(
        f"autograder grade   : {ag_seconds:7.1f} s  {count:5d} nb  {ours_rate:6.2f} nb/s  "
        f"peak RSS {ag_rss} MiB"
    )
    print(f"throughput ratio   : {ours_rate / theirs_rate:.1f}x per notebook (goal >= 60x)")
    print_differences(a, {k: v for k, v in b.items() if k in a})
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

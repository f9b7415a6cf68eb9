"""Latency of ``autograder serve``: from a finished ``nbgrader submit`` to fetchable feedback.

Builds a course and an exchange in a temporary folder, starts the service,
and has N students (default 20) run real ``nbgrader submit`` at once for
lesson01 (solved, blank and wrong notebooks mixed). For each, the clock runs
from the moment its submit command returns to the moment its page is in the
exchange where ``nbgrader fetch_feedback`` looks; one student then fetches
for real, to show the page is the one fetch_feedback finds. Prints p50, p95
and max. The submit commands run on the same cores as the grader, as on a
single-machine JupyterHub; ``--direct`` instead drops the submissions into
the exchange as nbgrader would, to measure the service alone.

    python benchmarks/serve_latency.py                 # 20 students, real nbgrader submit
    python benchmarks/serve_latency.py --direct        # the service alone
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}


def nbgrader(cwd: Path, *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=cwd,
        env=ENV,
        check=True,
        capture_output=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=20)
    parser.add_argument("--direct", action="store_true", help="skip nbgrader submit's own cost")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    import nbformat

    from autograder.serve.release import feedback_name
    from autograder.serve.status import percentile

    tmp = Path(tempfile.mkdtemp(prefix="serve-latency-"))
    exchange, course = tmp / "exchange", tmp / "course"
    exchange.mkdir()
    exchange.chmod(0o777)
    course.mkdir()
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source", course / "source")
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write(f"\nc.Exchange.root = {str(exchange)!r}\nc.ServePolicy.cooldown = 0\n")
    nbgrader(course, "generate_assignment", "lesson01", "--force")
    nbgrader(course, "release_assignment", "lesson01", "--force")
    source = nbformat.read(course / "source" / "lesson01" / "lesson01.ipynb", as_version=4)
    solved = nbformat.writes(source).encode()
    blank = (course / "release" / "lesson01" / "lesson01.ipynb").read_bytes()
    students = [f"s{i:03d}" for i in range(args.students)]
    homes = {}
    for i, student in enumerate(students):
        home = tmp / "home" / student
        (home / "lesson01").mkdir(parents=True)
        (home / "nbgrader_config.py").write_text(
            f"c = get_config()\nc.Exchange.root = {str(exchange)!r}\n"
            f"c.Exchange.cache = {str(home / '.cache')!r}\n"
            f"c.CourseDirectory.course_id = 'calcml'\nc.CourseDirectory.student_id = {student!r}\n"
        )
        (home / "lesson01" / "lesson01.ipynb").write_bytes(solved if i % 3 else blank)
        homes[student] = home

    log = (tmp / "serve.log").open("w")
    serve = subprocess.Popen(
        [sys.executable, "-m", "autograder", "serve", "--course", str(course), "--port", "0"],
        env={**ENV, "AUTOGRADER_SERVE_TOKEN": "bench"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    while "serving calcml" not in (tmp / "serve.log").read_text():
        if serve.poll() is not None:
            print((tmp / "serve.log").read_text(), file=sys.stderr)
            return 1
        time.sleep(0.1)

    inbound = exchange / "calcml" / "inbound"
    submitted: dict[str, float] = {}
    start = time.time()
    if args.direct:
        for student in students:
            stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
            secret = secrets.token_hex(64)
            cache = homes[student] / ".cache" / "calcml" / f"{student}+lesson01+{stamp}"
            folder = inbound / f"{student}+lesson01+{stamp}+{secrets.token_urlsafe(6)}"
            for where in (cache, folder):  # what nbgrader submit writes, in its order
                where.mkdir(parents=True)
                shutil.copy(homes[student] / "lesson01" / "lesson01.ipynb", where)
                (where / "timestamp.txt").write_text(stamp)
                (where / "submission_secret.txt").write_text(secret)
            submitted[student] = time.time()
    else:
        procs = {
            s: subprocess.Popen(
                [sys.executable, "-m", "nbgrader", "submit", "lesson01"],
                cwd=homes[s],
                env=ENV,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for s in students
        }
        while len(submitted) < len(students):
            for s, p in procs.items():
                if s not in submitted and p.poll() is not None:
                    if p.returncode != 0:
                        print(f"nbgrader submit failed for {s}", file=sys.stderr)
                        return 1
                    submitted[s] = time.time()
            time.sleep(0.02)

    ready: dict[str, float] = {}
    deadline = time.time() + 600
    while len(ready) < len(students) and time.time() < deadline:
        for folder in inbound.iterdir():
            student = folder.name.split("+")[0]
            if student in ready or student not in submitted:
                continue
            page = (
                exchange
                / "calcml"
                / "feedback"
                / feedback_name(inbound, folder.name, "calcml", "lesson01")
            )
            if page.is_file():
                ready[student] = time.time()
        time.sleep(0.02)
    serve.terminate()
    serve.wait(60)
    log.close()
    if len(ready) < len(students):
        print(f"only {len(ready)} of {len(students)} pages arrived", file=sys.stderr)
        return 1
    nbgrader(homes[students[1]], "fetch_feedback", "lesson01")
    fetched = list((homes[students[1]] / "lesson01" / "feedback").glob("*/lesson01.html"))
    lat = [ready[s] - submitted[s] for s in students]
    mode = "dropped into the exchange" if args.direct else "real nbgrader submit, all at once"
    print(f"{len(students)} students, {mode}; 2 workers on {os.cpu_count()} cores")
    print(f"submissions in: {max(submitted.values()) - start:.1f} s after the first")
    print(
        f"submit -> feedback available: p50 {percentile(lat, 50):.2f} s, "
        f"p95 {percentile(lat, 95):.2f} s, max {max(lat):.2f} s"
    )
    print(f"all feedback out {max(ready.values()) - start:.1f} s after the first submit began")
    print(f"fetch_feedback found the page: {'yes' if fetched else 'NO'}")
    if args.keep:
        print(f"kept {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if fetched else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""The ``autograder`` command: collect, grade, feedback, export, report, demo.

Run it in a course directory (one with ``nbgrader_config.py``) or pass
``--course DIR``. Every subcommand prints what it did and where its output is.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

from .course import Course, CourseError
from .execute.executor import ClusterError


def _course(args: argparse.Namespace) -> Course:
    return Course.open(args.course)


def _lesson(course: Course, lesson: str) -> str:
    if lesson not in course.lessons():
        known = ", ".join(course.lessons()) or "none"
        raise CourseError(f"unknown lesson {lesson!r} (lessons in source/: {known})")
    return lesson


def cmd_collect(args: argparse.Namespace) -> int:
    from .collect import read, store
    from .collect.roster import Roster
    from .collect.sources import check_source
    from .collect.store import enroll

    course = _course(args)
    lesson = _lesson(course, args.lesson)
    path = Path(args.source)
    roster = Roster.read(args.roster) if args.roster else None
    kind = check_source(path, args.kind)
    items = read(path, lesson, course.notebook_name(lesson), kind, roster)
    report = store(course, lesson, items)
    if roster:
        enroll(course, roster)
    print(report.summary())
    print(f"details: {course.reports / f'collect-{lesson}.json'}")
    if report.empty:
        what = (
            f"{len(report.rejected)} file(s) not filed, listed above"
            if report.rejected
            else f"nothing there is for {lesson}"
        )
        print(
            f"autograder: warning: no {lesson} submission found in {path} ({what}); "
            "is it the right folder or download?",
            file=sys.stderr,
        )
    return 0


def cmd_grade(args: argparse.Namespace) -> int:
    course = _course(args)
    lessons = (
        course.lessons() if args.lesson == ["all"] else [_lesson(course, x) for x in args.lesson]
    )
    from .execute.executor import cluster_settings, open_executor

    cluster = cluster_settings(course.config)
    scheduler = args.scheduler if args.scheduler is not None else cluster.scheduler
    if not scheduler and not args.no_serve:
        handed = _hand_off(course, lessons, args)
        if handed is not None:
            _print_summary(handed)
            return 0
    # The zygote warms up (about 2 s) while this process imports nbgrader and the judges,
    # with only what these lessons' notebooks import.
    from .execute.sandbox import Limits
    from .execute.warm_set import warm_modules

    executor = open_executor(
        scheduler=scheduler,
        workers=args.workers,
        warm_modules=warm_modules(course.released_notebook(x) for x in lessons),
        figures=not args.no_figures,
        sandbox=None if args.no_sandbox else Limits(),
        in_flight=cluster.in_flight,
        batch=cluster.batch,
        timeout=cluster.timeout,
    )
    with contextlib.closing(executor) as pool:
        from .grade import grade_lessons

        runs = grade_lessons(
            course,
            lessons,
            workers=args.workers,
            force=args.force,
            students=args.student or None,
            cell_timeout=args.cell_timeout,
            progress=not args.quiet,
            pool=pool,
        )
    from .grade import summary

    _print_summary(summary(runs))
    return 0


def _print_summary(done: list[dict]) -> None:
    for lesson in done:
        print(
            f"{lesson['lesson']}: graded {lesson['graded']}, already graded "
            f"{lesson['skipped']}, flagged {len(lesson['flagged'])}"
        )
        for student, flags, detail in lesson["flagged"]:
            print(f"  {student}: {', '.join(flags)}{' - ' + detail if detail else ''}")


def _hand_off(course: Course, lessons: list[str], args: argparse.Namespace) -> list[dict] | None:
    """The summary of a running serve's grading of ``lessons``; None: grade here."""
    from .serve.handoff import hand_off
    from .serve.settings import state_dir

    return hand_off(
        course.root,
        state_dir(course),
        lessons=lessons,
        students=args.student or None,
        force=args.force,
        cell_timeout=args.cell_timeout,
        sandbox=not args.no_sandbox,
        figures=not args.no_figures,
        note=lambda line: print(f"autograder: {line}", file=sys.stderr),
    )


def cmd_feedback(args: argparse.Namespace) -> int:
    from .feedback import write_feedback

    course = _course(args)
    pages = write_feedback(course, _lesson(course, args.lesson), show_reference=args.show_reference)
    print(f"wrote {len(pages)} feedback page(s) under {course.root / 'feedback'}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .collect.roster import Roster
    from .export import export_grades

    course = _course(args)
    lessons = [_lesson(course, x) for x in args.lesson] or course.lessons()
    roster = Roster.read(args.roster) if args.roster else None
    out = Path(args.out) if args.out else course.root / "exports"
    done = export_grades(course, lessons, out, roster)
    print(f"wrote {done.detail} and {done.canvas}")
    if done.unmapped:
        print(
            f"autograder: canvas.csv leaves out {len(done.unmapped)} student(s) that "
            f"{args.roster} cannot map to Canvas (no row, or no canvas_id or sis_id); "
            "add them to the roster and export again:",
            file=sys.stderr,
        )
        for student in done.unmapped:
            print(f"  {student}", file=sys.stderr)
        return 1
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from .report import write_report

    course = _course(args)
    print(f"wrote {write_report(course, _lesson(course, args.lesson))}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from .collect.roster import Roster
    from .verify import InstructorError, table, verify

    course = _course(args)
    lessons = course.lessons() if args.lesson == "all" else [_lesson(course, args.lesson)]
    if args.roster:
        students = Roster.read(args.roster).ids()
    else:
        if args.students < 1:
            raise CourseError("--students must be at least 1")
        students = [f"student{i:03d}" for i in range(args.students)]
    try:
        checks = verify(course, lessons, students, workers=args.workers, progress=not args.quiet)
    except InstructorError as exc:
        print(f"autograder: {exc}", file=sys.stderr)
        return 2
    print(f"verified {len(lessons)} lesson(s) for {len(students)} student(s):")
    print(table(checks))
    failures = [f for c in checks for f in c.failures]
    for failure in failures[:50]:
        print(f"  FAIL {failure}")
    if len(failures) > 50:
        print(f"  ... and {len(failures) - 50} more")
    return 1 if failures else 0


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import PolicyError, serve

    course = _course(args)
    try:
        return serve(
            course,
            exchange=args.exchange,
            port=args.port,
            workers=args.workers,
            sandbox=not args.no_sandbox,
        )
    except PolicyError as exc:
        print(f"autograder: nbgrader_config.py: {exc}", file=sys.stderr)
        return 2


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import run_demo

    run_demo(Path(args.dir), students=args.students, workers=args.workers, seed=args.seed)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autograder", description=__doc__.splitlines()[0])
    course_help = "course directory (default: .)"
    parser.add_argument("--course", default=".", help=course_help)
    # Also after the subcommand; SUPPRESS keeps the subcommand from resetting it to ".".
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course", default=argparse.SUPPRESS, help=course_help)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser(
        "collect", parents=[common], help="file a class's submissions into submitted/"
    )
    p.add_argument("lesson")
    p.add_argument(
        "--from",
        dest="source",
        required=True,
        help="a folder, an LMS zip download, or the nbgrader exchange inbound folder",
    )
    p.add_argument("--kind", choices=["auto", "folder", "zip", "exchange"], default="auto")
    p.add_argument("--roster", help="CSV with student_id[,canvas_id,name,sis_id,section]")
    p.set_defaults(func=cmd_collect)

    p = sub.add_parser(
        "grade", parents=[common], help="grade every submission of one or more lessons"
    )
    p.add_argument("lesson", nargs="+", help="lesson(s) to grade, or 'all'")
    p.add_argument("--workers", type=int, default=2, help="notebooks run at once (default 2)")
    p.add_argument("--force", action="store_true", help="regrade submissions already graded")
    p.add_argument("--student", action="append", help="grade only this student (repeatable)")
    p.add_argument(
        "--scheduler",
        help="run the notebooks on this Dask scheduler's workers (tcp://HOST:8786; default: "
        "c.Cluster.scheduler, else this machine's warm pool, --workers wide)",
    )
    p.add_argument("--cell-timeout", type=float, help="seconds per cell (default: nbgrader's)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--no-serve",
        action="store_true",
        help="grade in this process even while the course's `autograder serve` runs (by "
        "default it is handed to that serve, whose warm pool starts the first notebook at "
        "once and whose batches it waits between; --workers is then the serve's)",
    )
    p.add_argument(
        "--no-figures",
        action="store_true",
        help="do not draw plots as images in the autograded notebooks (by default each "
        "figure becomes a small PNG, bounded in size and number, so nbgrader formgrade "
        "shows it; grading inspects the figure objects either way)",
    )
    # The old opt-in, now the default: still accepted, so older scripts run.
    p.add_argument("--figures", action="store_true", help=argparse.SUPPRESS)
    p.add_argument(
        "--no-sandbox",
        action="store_true",
        help="do not confine notebooks (by default each runs with resource limits, no "
        "network, no file access outside its own folder, no new processes, and an "
        "unprivileged uid where the machine allows it); answers are judged outside the "
        "notebook's process either way",
    )
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("feedback", parents=[common], help="one HTML feedback page per student")
    p.add_argument("lesson")
    p.add_argument(
        "--show-reference",
        action="store_true",
        help="draw the expected curve in the pictures too (after the deadline)",
    )
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser(
        "export", parents=[common], help="CSV of grades per part, and a Canvas import CSV"
    )
    p.add_argument("lesson", nargs="*", help="lessons to export (default: all)")
    p.add_argument("--roster", help="roster CSV (adds students without submissions)")
    p.add_argument("--out", help="folder for the CSV files (default: exports/)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("report", parents=[common], help="one HTML page on how the class did")
    p.add_argument("lesson")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser(
        "verify",
        parents=[common],
        help="before release: every student's task sound, the solution full marks, each "
        "typical mistake partial credit, the blank release 0",
    )
    p.add_argument("lesson", help="a lesson, or 'all'")
    who = p.add_mutually_exclusive_group()
    who.add_argument("--students", type=int, default=50, help="this many ids (default 50)")
    who.add_argument("--roster", help="the class roster CSV: verify each student's own task")
    p.add_argument("--workers", type=int, default=2, help="notebooks run at once (default 2)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_verify)

    p = sub.add_parser(
        "serve",
        parents=[common],
        help="grade each submission as it arrives in nbgrader's exchange; feedback in seconds",
    )
    p.add_argument("--exchange", help="nbgrader's exchange root (default: Exchange.root)")
    p.add_argument("--port", type=int, help="status page port (default: Serve.port, 8765)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--no-sandbox", action="store_true", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("demo", help="build, grade and report a simulated class")
    p.add_argument("--dir", default="demo-course", help="where to build it (default demo-course)")
    p.add_argument("--students", type=int, default=60)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (CourseError, ClusterError) as exc:
        print(f"autograder: {exc}", file=sys.stderr)
        return 2
    except LookupError as exc:
        print(f"autograder: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path the user gave that cannot be read or written
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"autograder: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())

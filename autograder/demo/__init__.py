"""``autograder demo``: the whole pipeline on a simulated class.

Builds a course from this project's ``source/``, releases the seven lessons
with nbgrader, simulates about 60 students (correct, varied, wrong, blank,
broken, slow, late), delivers their work as a folder, a Canvas zip and the
nbgrader exchange, then collects, grades, writes feedback, exports and
reports, and prints where to look.
"""

from __future__ import annotations

import random
import shutil
import time
from pathlib import Path

import nbformat

from ..course import CONFIG_FILE, Course, CourseError

MARKER = ".autograder-demo"


def project_root() -> Path:
    """The folder holding ``nbgrader_config.py`` and ``source/`` (this checkout)."""
    for base in (Path.cwd(), *Path(__file__).resolve().parents):
        if (base / CONFIG_FILE).is_file() and (base / "source").is_dir():
            return base
    raise CourseError("cannot find the course sources (nbgrader_config.py and source/)")


def build_course(dest: Path) -> Course:
    """A fresh course directory at ``dest`` (only a previous demo is ever replaced)."""
    dest = dest.resolve()
    if dest.exists():
        if not (dest / MARKER).exists():
            raise CourseError(f"{dest} exists and is not a demo course: refusing to touch it")
        shutil.rmtree(dest)
    root = project_root()
    dest.mkdir(parents=True)
    (dest / MARKER).write_text("made by `autograder demo`; safe to delete\n")
    shutil.copy(root / CONFIG_FILE, dest / CONFIG_FILE)
    shutil.copytree(root / "source", dest / "source")
    return Course.open(dest)


def release(course: Course, lessons: list[str]) -> None:
    """``nbgrader generate_assignment`` for each lesson, in this process."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    api = NbGraderAPI(CourseDirectory(config=course.config), config=course.config)
    for lesson in lessons:
        result = api.generate_assignment(lesson, force=True)
        if not result.get("success"):
            raise CourseError(f"nbgrader could not release {lesson}:\n{result.get('log', '')}")


def set_due_dates(course: Course, lessons: list[str], due) -> None:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url, course.course_id) as gb:
        for lesson in lessons:
            gb.update_or_create_assignment(lesson, duedate=due)


def run_demo(dest: Path, students: int = 60, workers: int = 2, seed: int = 7) -> Course:
    from ..collect import read, store
    from ..collect.roster import Roster
    from ..collect.store import enroll
    from ..execute.pool import WarmPool
    from ..execute.sandbox import Limits
    from ..export import export_grades
    from ..feedback import write_feedback
    from ..flags import shown
    from ..grade import grade_lesson
    from ..report import write_report
    from .classroom import DELIVERY, DUE, deliver, make_students, simulate, write_roster

    started = time.monotonic()
    course = build_course(dest)
    lessons = course.lessons()
    print(f"demo course: {course.root}")
    release(course, lessons)
    set_due_dates(course, lessons, DUE)
    print(f"released {len(lessons)} lessons with nbgrader")
    rng = random.Random(seed)
    people = make_students(students, rng)
    roster_path = write_roster(people, course.root / "roster.csv")
    roster = Roster.read(roster_path)
    enroll(course, roster)  # the whole class is in the gradebook before anyone submits
    inbox = course.root / "inbox"
    pool = WarmPool(workers=workers, figures=True, sandbox=Limits())
    for lesson in lessons:
        notebook = course.notebook_name(lesson)
        source = nbformat.read(course.source(lesson) / f"{notebook}.ipynb", as_version=4)
        released = nbformat.read(course.release(lesson) / f"{notebook}.ipynb", as_version=4)
        subs = simulate(people, lesson, source, released, rng, course.course_id)
        path = deliver(subs, lesson, inbox, course.course_id)
        kind = DELIVERY.get(lesson, "folder")
        report = store(course, lesson, read(path, lesson, notebook, kind, roster))
        run = grade_lesson(
            course, lesson, pool=pool, cell_timeout=10, wall_timeout=60, progress=True
        )
        write_feedback(course, lesson)
        flagged = sum(1 for r in run.graded if shown(r.flags))
        print(
            f"{lesson}: from {kind}: {len(report.stored)} filed, {len(report.rejected)} not "
            f"filed; graded {len(run.graded)}, flagged {flagged}"
        )
    # Reports last, when every lesson is graded: each counts the whole gradebook.
    pages = [write_report(course, lesson) for lesson in lessons]
    print(f"wrote {len(pages)} class reports, each over every student of the gradebook")
    detail, canvas, _ = export_grades(course, lessons, course.root / "exports", roster)
    minutes = (time.monotonic() - started) / 60
    print(f"\ndone in {minutes:.1f} min. Look at:")
    print(f"  class reports:    {course.reports}/lessonNN.html")
    print(f"  student feedback: {course.root / 'feedback'}/<student>/<lesson>/<lesson>.html")
    print(f"  grades:           {detail}")
    print(f"  Canvas import:    {canvas}")
    print(f"  gradebook:        {course.db_url}  (nbgrader formgrade / export work on it)")
    return course

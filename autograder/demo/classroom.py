"""A simulated class: who submits what, as the three kinds of inbox a TA gets.

Every student gets, per lesson, one profile drawn with a seeded RNG: a correct
notebook (the source's solutions, sometimes in another correct form), one or
two typical mistakes, the blank release, nothing at all, a broken file, a
notebook that never finishes, or a late submission. The submissions are then
delivered as a plain folder, a Canvas "Download Submissions" zip (with a
roster to map Canvas ids), or nbgrader's exchange inbound folder.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import nbformat

from .mistakes import Mistake, all_mistakes

FIRST = [
    "ana",
    "ben",
    "chen",
    "dara",
    "eli",
    "fatima",
    "gus",
    "hana",
    "ivan",
    "jun",
    "kofi",
    "lena",
    "mo",
    "nia",
    "omar",
    "pia",
    "quinn",
    "rosa",
    "sam",
    "tara",
]
LAST = [
    "adams",
    "baker",
    "cruz",
    "diaz",
    "evans",
    "fox",
    "garcia",
    "huang",
    "ito",
    "jones",
    "khan",
    "lopez",
]

PROFILES = (  # profile, weight
    ("correct", 40),
    ("variant", 8),
    ("mistake", 25),
    ("two-mistakes", 8),
    ("blank", 6),
    ("missing", 4),
    ("broken", 3),
    ("slow", 2),
    ("late", 4),
)

#: How each lesson reaches the TA in the demo.
DELIVERY = {
    "lesson01": "folder",
    "lesson02": "folder",
    "lesson03": "folder",
    "lesson04": "zip",
    "lesson05": "zip",
    "lesson06": "exchange",
    "lesson07": "exchange",
}
DUE = datetime(2026, 11, 20, 23, 59, tzinfo=UTC)


@dataclass
class Student:
    student_id: str
    first: str
    last: str
    canvas_id: str

    @property
    def lastfirst(self) -> str:
        return f"{self.last}{self.first}"


@dataclass
class Submission:
    student: Student
    lesson: str
    profile: str
    data: bytes
    timestamp: datetime
    mistakes: tuple[str, ...] = ()


def make_students(n: int, rng: random.Random) -> list[Student]:
    people = []
    for i in range(n):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7 + i // len(FIRST)) % len(LAST)]
        people.append(Student(f"s{i + 1:03d}", first, last, str(40_000 + i * 13)))
    rng.shuffle(people)
    return sorted(people, key=lambda s: s.student_id)


def write_roster(students: list[Student], path: Path) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student_id", "canvas_id", "name", "sis_id", "section"])
        for s in students:
            writer.writerow(
                [
                    s.student_id,
                    s.canvas_id,
                    f"{s.first.title()} {s.last.title()}",
                    s.student_id.upper(),
                    "A" if int(s.student_id[1:]) % 2 else "B",
                ]
            )
    return path


SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def _with_solutions(nb: nbformat.NotebookNode, replace: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in replace:
            cell.source = replace[grade_id]
    return nb


#: How students start a written answer; the rest is their own short version of it.
OPENINGS = ("I think ", "Because ", "From the table, ", "My guess: ", "", "")


def _typed(code: str) -> str:
    """Code as a student types it: the instructor's solution markers are not there."""
    return "\n".join(
        line for line in code.split("\n") if line.strip() not in SOLUTION_MARKERS
    ).strip("\n")


def _written(model: str, rng: random.Random) -> str:
    """A short answer in a student's words: the first sentence, plainly put, or nothing."""
    text = " ".join(_typed(model).split())
    first = text.split(". ")[0].rstrip(".")
    if not first or rng.random() < 0.15:
        return ""  # left unanswered
    opening = rng.choice(OPENINGS)
    body = first[0].lower() + first[1:] if opening else first
    return f"{opening}{body}."


def _own_numbers(code: str, variant) -> str:
    """The instructor's ``task.a`` written as a student does: the number of their own task."""
    for name, value in (variant or {}).items():
        code = re.sub(rf"\btask\.{name}\b", repr(value), code)
    return code


def _as_student(
    source: nbformat.NotebookNode,
    release: nbformat.NotebookNode,
    replace: dict[str, str],
    rng: random.Random,
    *,
    student_id: str = "",
    variant=None,
) -> nbformat.NotebookNode:
    """The release notebook with the student's answers typed into its solution cells
    (with the numbers of their own task) and their id in the identity cell."""
    answers = {}
    for cell in _with_solutions(source, replace).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            typed = _own_numbers(_typed(cell.source), variant)
            answers[meta["grade_id"]] = (
                _written(typed, rng) if cell.cell_type == "markdown" else typed
            )
    answers = {k: v for k, v in answers.items() if v}
    nb = _with_solutions(release, answers)
    for cell in nb.cells:
        if cell.metadata.get("calcml", {}).get("identity") and student_id:
            cell.source = re.sub(r'student_id = ".*"', f"student_id = {student_id!r}", cell.source)
    return nb


def simulate(
    students: list[Student],
    lesson: str,
    source: nbformat.NotebookNode,
    release: nbformat.NotebookNode,
    rng: random.Random,
    course_id: str = "calcml",
) -> list[Submission]:
    """One submission (or none) per student for ``lesson``, each on the student's variant."""
    from calcml_tasks import variant_for

    mistakes = [m for m in all_mistakes() if m.lesson == lesson]
    wrong = [m for m in mistakes if m.partial]
    variants = [m for m in mistakes if not m.partial]
    names, weights = zip(*PROFILES, strict=True)
    out = []
    for student in students:
        profile = rng.choices(names, weights)[0]
        ts = DUE - timedelta(hours=rng.uniform(1, 72))
        chosen: list[Mistake] = []
        if profile == "missing":
            continue
        if profile == "variant" and variants:
            chosen = [rng.choice(variants)]
        elif profile == "mistake" and wrong:
            chosen = [rng.choice(wrong)]
        elif profile == "two-mistakes" and len(wrong) >= 2:
            chosen = rng.sample(wrong, 2)
        variant = variant_for(course_id, lesson, student.student_id)
        replace: dict[str, str] = {}
        for m in chosen:
            replace.update(m.cells(variant))
        nb = (
            release
            if profile == "blank"
            else _as_student(
                source, release, replace, rng, student_id=student.student_id, variant=variant
            )
        )
        if profile == "slow":
            first = next(
                c
                for c in nb.cells
                if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"
            )
            first.source += "\nwhile True:  # a student's runaway loop\n    pass\n"
        if profile == "late":
            ts = DUE + timedelta(hours=rng.uniform(1, 30))
        data = nbformat.writes(nb).encode()
        if profile == "broken":
            data = data[: len(data) // 2]  # a truncated upload
        out.append(Submission(student, lesson, profile, data, ts, tuple(m.name for m in chosen)))
        if rng.random() < 0.1:  # an earlier attempt the student overwrote later
            earlier = nbformat.writes(release).encode()
            out.append(Submission(student, lesson, "earlier", earlier, ts - timedelta(hours=5)))
    return _someone_missing(out, students, rng)


def _someone_missing(
    out: list[Submission], students: list[Student], rng: random.Random
) -> list[Submission]:
    """A class of five or more always has a student who skipped the lesson: the TA's view
    of a missing submission is part of what the demo shows, whatever the draws were."""
    handed = {sub.student.student_id for sub in out}
    if len(students) < 5 or len(handed) < len(students):
        return out
    skipper = rng.choice(students).student_id
    return [sub for sub in out if sub.student.student_id != skipper]


def deliver(subs: list[Submission], lesson: str, inbox: Path, course_id: str) -> Path:
    """Lay ``subs`` out as ``DELIVERY[lesson]`` says; returns the path to collect from."""
    kind = DELIVERY.get(lesson, "folder")
    if kind == "zip":
        path = inbox / f"{lesson}_submissions.zip"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            counts: dict[str, int] = {}
            for sub in subs:
                s = sub.student
                n = counts.get(s.student_id, 0)
                counts[s.student_id] = n + 1
                late = "_LATE" if sub.timestamp > DUE else ""
                suffix = f"-{n}" if n else ""
                name = f"{s.lastfirst}{late}_{s.canvas_id}_{700000 + n}_{lesson}{suffix}.ipynb"
                info = zipfile.ZipInfo(name, date_time=sub.timestamp.timetuple()[:6])
                zf.writestr(info, sub.data)
            zf.writestr("index.html", "<html>Canvas download index</html>")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buf.getvalue())
        return path
    if kind == "exchange":
        path = inbox / "exchange" / course_id / "inbound"
        for sub in subs:
            stamp = sub.timestamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC")
            tag = random.Random(stamp).randint(1000, 9999)
            folder = path / f"{sub.student.student_id}+{lesson}+{stamp}+{tag}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{lesson}.ipynb").write_bytes(sub.data)
            (folder / "timestamp.txt").write_text(stamp)
        return path
    path = inbox / lesson
    for sub in subs:
        folder = path / sub.student.student_id
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{lesson}.ipynb" if sub.profile != "earlier" else f"{lesson}-draft.ipynb"
        target = folder / name
        target.write_bytes(sub.data)
        import os

        os.utime(target, (sub.timestamp.timestamp(), sub.timestamp.timestamp()))
    return path

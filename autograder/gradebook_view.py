"""Read scores back from nbgrader's gradebook (manual grades included).

Feedback pages, reports and exports all read a lesson through
:func:`lesson_scores`, so they agree on who is in the class, which points are
autograded, which wait for a TA, and what each part is called.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry

from .course import Course
from .flags import Flag
from .results import load


@dataclass
class LessonScores:
    """Everything exports and reports need about one lesson, as plain data."""

    lesson: str
    #: grade_id -> max points, in notebook order
    parts: dict[str, float] = field(default_factory=dict)
    #: grade ids a TA grades (written answers); the rest are autograded
    manual: set[str] = field(default_factory=set)
    #: grade_id -> the part's title, clean text, the same on every page
    titles: dict[str, str] = field(default_factory=dict)
    #: student -> grade_id -> points (None while a TA has not graded it)
    points: dict[str, dict[str, float | None]] = field(default_factory=dict)
    #: nbgrader's total (what ``nbgrader export`` gives: waiting parts count 0)
    totals: dict[str, float] = field(default_factory=dict)
    flags: dict[str, list[str]] = field(default_factory=dict)
    notes: dict[str, dict[str, str]] = field(default_factory=dict)
    feedback: dict[str, dict[str, str]] = field(default_factory=dict)
    #: student -> how the grader ended (graded, crashed, timed-out, unreadable, error)
    status: dict[str, str] = field(default_factory=dict)

    @property
    def max_total(self) -> float:
        return round(sum(self.parts.values()), 6)

    @property
    def auto_max(self) -> float:
        return round(sum(v for k, v in self.parts.items() if k not in self.manual), 6)

    def title(self, part: str) -> str:
        return self.titles.get(part, part)

    def missing(self) -> list[str]:
        """Students of the gradebook with no submission of this lesson."""
        return sorted(s for s, f in self.flags.items() if Flag.MISSING in f)

    def submitted(self) -> list[str]:
        return sorted(s for s, f in self.flags.items() if Flag.MISSING not in f)

    def autograded(self, student: str) -> float:
        """Points from the autograded parts only."""
        pts = self.points.get(student, {})
        return round(sum(pts.get(p) or 0.0 for p in self.parts if p not in self.manual), 6)

    def waiting(self, student: str) -> float:
        """Points of the parts that wait for a TA."""
        pts = self.points.get(student, {})
        return round(sum(m for p, m in self.parts.items() if p in pts and pts[p] is None), 6)

    def score_line(self, student: str) -> str:
        """The score as a TA and a student should read it: autograded and TA points apart.

        Points that wait for a TA are never shown as zeros in a total.
        """
        auto = f"{self.autograded(student):g} / {self.auto_max:g} autograded"
        if not self.manual:
            return auto
        pts = self.points.get(student, {})
        ta = [p for p in self.manual if pts.get(p) is not None]
        waiting = self.waiting(student)
        text = auto
        if ta:
            got = sum(pts[p] or 0.0 for p in ta)
            text += f", {got:g} / {sum(self.parts[p] for p in ta):g} for written answers"
        if waiting:
            text += f", {waiting:g} point{' waits' if waiting == 1 else 's wait'} for a TA"
        elif ta:
            text = f"{self.totals.get(student, 0.0):g} / {self.max_total:g} ({text})"
        return text


def lesson_scores(course: Course, lesson: str, students: list[str] | None = None) -> LessonScores:
    """Scores of ``lesson`` for every student in the gradebook (or ``students``).

    Everyone in the gradebook is read at call time, so a student added by a
    later lesson or by a roster appears (as missing) in an earlier lesson too.
    """
    from sqlalchemy.exc import SAWarning

    out = LessonScores(lesson)
    notebook = course.notebook_name(lesson)
    with warnings.catch_warnings(), Gradebook(course.db_url, course.course_id) as gb:
        warnings.simplefilter("ignore", SAWarning)
        try:
            nb = gb.find_notebook(notebook, lesson)
        except MissingEntry:
            return out
        for cell in sorted(nb.grade_cells, key=lambda c: c.id):
            out.parts[cell.name] = float(cell.max_score)
        order = {c.name: i for i, c in enumerate(nb.source_cells)}
        out.parts = dict(sorted(out.parts.items(), key=lambda kv: order.get(kv[0], 1_000)))
        out.manual = {c.name for c in nb.solution_cells} & set(out.parts)
        everyone = students if students is not None else [s.id for s in gb.students]
        for student in everyone:
            try:
                sub = gb.find_submission_notebook(notebook, lesson, student)
            except MissingEntry:
                out.flags[student] = [Flag.MISSING.value]
                out.totals[student] = 0.0
                out.points[student] = {name: 0.0 for name in out.parts}
                out.status[student] = Flag.MISSING.value
                continue
            grades = {g.name: g for g in sub.grades}
            out.points[student] = {
                name: (None if grades[name].needs_manual_grade else float(grades[name].score or 0))
                for name in out.parts
                if name in grades
            }
            out.totals[student] = float(sub.score or 0.0)
            flags = []
            if sub.assignment.total_seconds_late and sub.assignment.total_seconds_late > 0:
                flags.append(Flag.LATE.value)
            if any(g.needs_manual_grade for g in sub.grades):
                flags.append(Flag.NEEDS_MANUAL_GRADING.value)
            result = load(course.autograded(student, lesson))
            if result is not None:
                flags.extend(str(f) for f in result.flags if f not in flags)
                out.notes[student] = {c.grade_id: c.note for c in result.cells}
                out.feedback[student] = {c.grade_id: c.feedback for c in result.cells}
                out.status[student] = result.status
            if Flag.NEEDS_MANUAL_GRADING in flags and not any(
                v is None for v in out.points[student].values()
            ):  # a TA has graded it since
                flags.remove(Flag.NEEDS_MANUAL_GRADING.value)
            out.flags[student] = flags
    out.titles = part_titles(course, lesson, list(out.parts))
    return out


# ---------------------------------------------------------------- titles

_POINTS = re.compile(r"\s*\((?:\d+(?:\.\d+)?|one|a|half a)\s+points?\b[^)]*\)", re.I)
_MATH = re.compile(r"\$\$?(.+?)\$\$?")
#: LaTeX commands as the characters they stand for ("name char" pairs).
_SYMBOL_PAIRS = (
    "alpha α,beta β,gamma γ,delta δ,epsilon ε,varepsilon ε,zeta ζ,eta η,theta θ,kappa κ,"
    "lambda λ,mu μ,nu ν,xi ξ,pi π,rho ρ,sigma σ,tau τ,phi φ,varphi φ,chi χ,psi ψ,omega ω,"
    "Gamma Γ,Delta Δ,Theta Θ,Lambda Λ,Sigma Σ,Phi Φ,Omega Ω,nabla ∇,partial ∂,infty ∞,"
    "cdot ·,times ×,pm ±,le ≤,leq ≤,ge ≥,geq ≥,ne ≠,neq ≠,approx ≈,to →,rightarrow →,"
    "top ᵀ,sum Σ,int ∫,sqrt √,dots …,ldots …,cdots ⋯,prime ′,circ ∘,in ∈"
)
_SYMBOLS = dict(pair.split() for pair in _SYMBOL_PAIRS.split(","))
_WORDS = {"log", "ln", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh", "max", "min", "arg"}
_SUPER = dict(zip("0123456789+-=()nTi", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿᵀⁱ", strict=True))
_SUB = dict(zip("0123456789+-=()ijkn", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ᵢⱼₖₙ", strict=True))


def _script(text: str, table: dict[str, str], mark: str) -> str:
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return f"{mark}({text})" if len(text) > 1 else f"{mark}{text}"


def _command(m: re.Match) -> str:
    name = m.group(1)
    if name in _WORDS:
        return name + " "
    symbol = _SYMBOLS.get(name, name)
    # Letters join what follows (\delta x is δx); operators keep their space.
    return symbol + " " if symbol in "·×±≤≥≠≈→∘∈" and m.group(0)[-1].isspace() else symbol


def math_text(tex: str) -> str:
    """A little of LaTeX as plain text, for titles on pages and charts.

    >>> math_text(r"\\delta x"), math_text("x^2 + y^{-3}"), math_text(r"\\log x")
    ('δx', 'x² + y⁻³', 'log x')
    """
    s = re.sub(r"\\(?:mathbf|mathrm|mathit|text|operatorname|boldsymbol)\{([^{}]*)\}", r"\1", tex)
    s = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", r"\1/\2", s)
    s = re.sub(r"\\[,;:! ]", " ", s)
    s = re.sub(r"\\([A-Za-z]+)\s*", _command, s)
    s = re.sub(r"\^\{?ᵀ\}?", "ᵀ", s)
    s = re.sub(r"\^\{([^{}]*)\}|\^(\S)", lambda m: _script(m[1] or m[2], _SUPER, "^"), s)
    s = re.sub(r"_\{([^{}]*)\}|_(\S)", lambda m: _script(m[1] or m[2], _SUB, "_"), s)
    return re.sub(r"\s+", " ", s.replace("{", "").replace("}", "")).strip()


def clean_title(heading: str) -> str:
    """A markdown heading as a title: no ``#``, math as text, no "(2 points)".

    >>> clean_title(r"## Part E — how small should $\\delta x$ be? (3 points)")
    'Part E — how small should δx be?'
    """
    text = _POINTS.sub("", heading.lstrip("#").strip())
    return _MATH.sub(lambda m: math_text(m.group(1)), text).strip()


def part_titles(course: Course, lesson: str, grade_ids: list[str]) -> dict[str, str]:
    """One clean title per graded cell: the heading of the part it belongs to.

    Where one part has several graded cells, each adds a few words of its own
    (from its grade id), so no two rows of a table read the same.
    """
    notebook = course.notebook_name(lesson)
    path = course.release(lesson) / f"{notebook}.ipynb"
    if not path.is_file():
        path = course.source(lesson) / f"{notebook}.ipynb"
    return titles_of(path, grade_ids)


def titles_of(path: Path, grade_ids: list[str]) -> dict[str, str]:
    heading, under = "", {}
    for cell in nbformat.read(path, as_version=4).cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and not meta.get("solution"):
            found = [line for line in cell.source.splitlines() if line.startswith("#")]
            if found:
                heading = clean_title(found[-1])
        grade_id = meta.get("grade_id")
        if grade_id in grade_ids:
            under[grade_id] = heading
    titles = {}
    for grade_id in grade_ids:
        heading = under.get(grade_id, "")
        shared = sum(1 for h in under.values() if h == heading) > 1
        words = re.sub(r"^(test|written)_", "", grade_id).replace("_", " ")
        if not heading:
            titles[grade_id] = words
        else:
            titles[grade_id] = f"{heading} · {words}" if shared else heading
    return titles


def now_text() -> str:
    """The time a page is written, with its timezone (local, with the UTC offset)."""
    return when_text(datetime.now(UTC))


def when_text(when: datetime | str | None) -> str:
    """A time for a page, always with its zone; naive times are nbgrader's, so UTC.

    >>> when_text("2026-11-02T10:00:00")
    '2026-11-02 10:00 UTC'
    """
    if when is None or when == "":
        return ""
    if isinstance(when, str):
        try:
            when = datetime.fromisoformat(when)
        except ValueError:
            return when
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone()
    offset = local.strftime("%z")
    if offset in ("+0000", "-0000"):
        return when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return local.strftime("%Y-%m-%d %H:%M %Z (UTC") + f"{offset[:3]}:{offset[3:]})"

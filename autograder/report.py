"""The instructor's page for one lesson: how the class did, in one HTML file.

Every student of the gradebook is counted, read when the page is written
(those with no submission are listed as missing). Numbers are over the
autograded points; written answers that wait for a TA are shown as waiting,
never as zeros.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict
from pathlib import Path

from .course import Course, CourseError
from .explain import KNOCK_ON
from .flags import Flag, explain, shown
from .gradebook_view import LessonScores, lesson_scores, now_text
from .templates import template
from .variant_report import OUT_OF_LINE, sections

_PAGE = template("report.html.j2")
#: Notes that, repeated over one notebook, are one problem: listed once per submission.
_CASCADE = {"error", KNOCK_ON}
WHOLE = "several parts of one notebook"


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode()


def _plots(scores: LessonScores, parts: list[dict]) -> tuple[str, str]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 3))
    ax = fig.add_subplot()
    autos = [scores.autograded(s) for s in scores.submitted()] or [0.0]
    ax.hist(
        autos,
        bins=min(20, max(5, len(set(autos)))),
        range=(0, scores.auto_max or 1),
        color="#4063a8",
        edgecolor="white",
    )
    ax.set_xlabel(f"autograded points (of {scores.auto_max:g}), students who submitted")
    ax.set_ylabel("students")
    hist = _png(fig)
    fig = Figure(figsize=(7, 0.35 * max(3, len(parts)) + 0.8))
    ax = fig.add_subplot()
    rows = parts[::-1]
    values = [0.0 if p["rate"] is None else p["rate"] * 100 for p in rows]
    ax.barh(range(len(rows)), values, color="#3b8b5a")
    ax.set_yticks(range(len(rows)), [p["title"] for p in rows])
    for y, p in enumerate(rows):
        if p["rate"] is None:
            ax.text(1, y, "waiting for a TA", va="center", color="#555", style="italic")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of students with full marks")
    return hist, _png(fig)


def _parts(scores: LessonScores, submitted: list[str]) -> list[dict]:
    parts = []
    for part, max_points in scores.parts.items():
        got = [scores.points.get(s, {}).get(part, 0.0) for s in submitted]
        graded = [g for g in got if g is not None]
        row = {
            "title": scores.title(part),
            "max": max_points,
            "ta": part in scores.manual,
            "waiting": len(got) - len(graded),
            "graded": len(graded),
            "rate": None,
            "mean": None,
        }
        if graded and not row["waiting"]:
            row["rate"] = sum(1 for g in graded if g >= max_points) / len(graded)
            row["mean"] = sum(graded) / len(graded)
        parts.append(row)
    return parts


def _mistakes(scores: LessonScores, submitted: list[str]) -> list[dict]:
    """Frequent mistakes by part; a notebook whose failures cascade counts once, not per part."""
    from reference.checks.result import NOTES

    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    meaning: dict[tuple[str, str], str] = {}
    for student in submitted:
        notes = {p: n for p, n in scores.notes.get(student, {}).items() if n and n != "correct"}
        cascade = [p for p, n in notes.items() if n in _CASCADE]
        if len(cascade) >= 2:
            status = scores.status.get(student, "")
            if status in (Flag.CRASHED, Flag.TIMED_OUT):
                kind, why = status, Flag(status).reason
            elif any(notes[p] == KNOCK_ON for p in cascade):
                kind, why = KNOCK_ON, NOTES[KNOCK_ON]
            else:
                kind, why = "error", "the test cells raised errors"
            errors = {scores.feedback.get(student, {}).get(p, "").split(":", 1)[0] for p in cascade}
            errors = sorted(e for e in errors if e.isidentifier())
            found[(WHOLE, kind)].append(
                f"{student} ({len(cascade)} parts{': ' + ', '.join(errors[:2]) if errors else ''})"
            )
            meaning[(WHOLE, kind)] = why
            notes = {p: n for p, n in notes.items() if p not in cascade}
        for part, note in notes.items():
            key = (scores.title(part), note)
            found[key].append(student)
            meaning.setdefault(
                key, NOTES.get(note, "the test cell raised an error" if note == "error" else "")
            )
    ranked = sorted(found.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:15]
    return [
        {
            "part": part,
            "note": note,
            "meaning": meaning[(part, note)],
            "count": len(who),
            "who": ", ".join(who[:6]) + (" …" if len(who) > 6 else ""),
        }
        for (part, note), who in ranked
    ]


def write_report(course: Course, lesson: str) -> Path:
    """Write ``reports/<lesson>.html`` and return its path."""
    scores = lesson_scores(course, lesson)
    if not scores.submitted():
        raise CourseError(f"nothing graded for {lesson} yet: run `autograder grade {lesson}` first")
    submitted = scores.submitted()
    missing = scores.missing()
    parts = _parts(scores, submitted)
    autos = sorted(scores.autograded(s) for s in submitted) or [0.0]
    everyone = len(scores.totals) or 1
    flagged = [
        {"student": s, "flags": ", ".join(str(f) for f in shown(flags))}
        for s, flags in sorted(scores.flags.items())
        if shown(flags) and Flag.MISSING not in flags
    ]
    used = sorted({f for s in submitted for f in shown(scores.flags.get(s, []))})
    hist, parts_png = _plots(scores, parts)
    page = _PAGE.render(
        lesson=lesson,
        out_of_line=OUT_OF_LINE,
        n=len(scores.totals),
        submitted=len(submitted),
        missing=missing,
        mean=sum(autos) / len(autos),
        mean_all=sum(autos) / everyone if submitted else 0.0,
        median=autos[len(autos) // 2],
        auto_max=scores.auto_max,
        manual_max=round(scores.max_total - scores.auto_max, 6),
        waiting=sum(p["waiting"] for p in parts if p["ta"]),
        now=now_text(),
        hist=hist,
        parts_png=parts_png,
        parts=parts,
        mistakes=_mistakes(scores, submitted),
        flagged=flagged,
        legend=[explain(f) for f in used],
        **sections(course.course_id, lesson, {s: scores.autograded(s) for s in submitted},
                   scores.auto_max),
    )
    course.reports.mkdir(parents=True, exist_ok=True)
    target = course.reports / f"{lesson}.html"
    target.write_text(page, encoding="utf-8")
    return target

"""The instructor's page for one lesson: how the class did, in one HTML file."""

from __future__ import annotations

import base64
import io
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from .course import Course
from .gradebook_view import LessonScores, lesson_scores
from .results import FLAGS
from .templates import template

_PAGE = template("report.html.j2")


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    return base64.b64encode(buf.getvalue()).decode()


def _plots(scores: LessonScores, rates: dict[str, float]) -> tuple[str, str]:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 3))
    ax = fig.add_subplot()
    totals = list(scores.totals.values())
    ax.hist(
        totals,
        bins=min(20, max(5, len(set(totals)))),
        range=(0, scores.max_total or 1),
        color="#4063a8",
        edgecolor="white",
    )
    ax.set_xlabel("total score")
    ax.set_ylabel("students")
    hist = _png(fig)
    fig = Figure(figsize=(7, 0.35 * max(3, len(rates)) + 0.8))
    ax = fig.add_subplot()
    names = list(rates)[::-1]
    ax.barh(names, [rates[n] * 100 for n in names], color="#3b8b5a")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of students with full marks")
    return hist, _png(fig)


def write_report(course: Course, lesson: str) -> Path:
    """Write ``reports/<lesson>.html`` and return its path."""
    from reference.checks.result import NOTES

    scores = lesson_scores(course, lesson)
    n = len(scores.totals)
    submitted = [s for s, f in scores.flags.items() if "missing" not in f]
    parts, rates = [], {}
    for part, max_points in scores.parts.items():
        got = [p.get(part) for s, p in scores.points.items() if s in submitted]
        graded = [g for g in got if g is not None]
        if not graded:  # a written answer no TA has graded yet
            parts.append({"name": part, "max": max_points, "rate": None, "mean": None})
            continue
        rate = sum(1 for g in graded if g >= max_points) / len(graded)
        mean = sum(graded) / len(graded)
        rates[part] = rate
        parts.append({"name": part, "max": max_points, "rate": rate, "mean": mean})
    counts: Counter[tuple[str, str]] = Counter()
    for notes in scores.notes.values():
        for part, note in notes.items():
            if note and note != "correct":
                counts[(part, note)] += 1
    mistakes = [
        {
            "part": part,
            "note": note,
            "meaning": NOTES.get(note, "the test cell raised an error" if note == "error" else ""),
            "count": count,
        }
        for (part, note), count in counts.most_common(15)
    ]
    flagged = [
        {"student": s, "flags": ", ".join(FLAGS.get(f, f) for f in flags)}
        for s, flags in sorted(scores.flags.items())
        if [f for f in flags if f != "needs-manual-grading"]
    ]
    totals = sorted(scores.totals.values()) or [0.0]
    hist, parts_png = _plots(scores, rates)
    page = _PAGE.render(
        lesson=lesson,
        n=n,
        submitted=len(submitted),
        mean=sum(totals) / len(totals),
        median=totals[len(totals) // 2],
        max_total=scores.max_total,
        now=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        hist=hist,
        parts_png=parts_png,
        parts=parts,
        mistakes=mistakes,
        flagged=flagged,
    )
    course.reports.mkdir(parents=True, exist_ok=True)
    target = course.reports / f"{lesson}.html"
    target.write_text(page, encoding="utf-8")
    return target

"""One HTML page per student: the score of each part and what the checks said.

Built from the grading results, never from the autograded notebook's cells,
so the page cannot show hidden tests' code (nbgrader's own feedback renders
the whole notebook, hidden tests included: nbgrader issue #917).

A part whose check attached a picture (:mod:`reference.checks.pictures`) shows
it under its feedback as inline SVG, drawn here, in the grader. The picture is
read from the verdict the grader wrote into that test cell's output metadata
(``"calcml"``) in the autograded notebook, never from its code, and is
validated again. Whether the expected curve is drawn is a policy,
``show_reference``, off by default (before the deadline): then the SVG holds
only the student's own values and where they disagree, and its axes are scaled
to the student's values alone.
"""

from __future__ import annotations

import json
import math
from html import escape
from pathlib import Path
from typing import Any

from markupsafe import Markup

from reference.checks.pictures import check_picture

from .course import Course, CourseError
from .flags import explain, for_student
from .gradebook_view import lesson_scores, now_text, when_text
from .results import CellResult, load
from .safe_files import read_file
from .templates import template

_PAGE = template("feedback.html.j2")

#: What a part that waits for a TA shows instead of points (never "0").
WAITING = "waiting for a TA"


def _explain(feedback: str, note: str) -> str:
    if feedback:
        return feedback
    if note == "error":
        return "This part's test stopped with an error."
    return ""


def _cls(got: float | None, max_points: float) -> str:
    if got is None:
        return "wait"
    return "full" if got >= max_points else "zero" if got == 0 else "part"


def write_feedback(course: Course, lesson: str, *, show_reference: bool = False) -> list[Path]:
    """Write ``feedback/<student>/<lesson>/<notebook>.html`` for every graded student.

    ``show_reference`` draws the expected curve in the parts' pictures too (a
    policy for after the deadline); by default only the student's own is drawn.
    """
    notebook = course.notebook_name(lesson)
    scores = lesson_scores(course, lesson)
    if not scores.submitted():
        raise CourseError(f"nothing graded for {lesson} yet: run `autograder grade {lesson}` first")
    now = now_text()
    written = []
    for student in sorted(scores.submitted()):
        points = scores.points.get(student, {})
        result = load(course.autograded(student, lesson))
        if result is None:
            continue
        messages = {c.grade_id: _explain(c.feedback, c.note) for c in result.cells}
        pictures = _pictures(course, student, lesson, notebook, result.cells)
        rows = []
        for part, max_points in scores.parts.items():
            got = points.get(part)
            text = messages.get(part, "")
            if got is None:
                text = text or "A TA will read and grade this answer."
            rows.append(
                {
                    "title": scores.title(part),
                    "points": got,
                    "max": max_points,
                    "feedback": text,
                    "cls": _cls(got, max_points),
                    "picture": _svg_or_none(pictures.get(part), show_reference)
                    if got is not None
                    else None,
                }
            )
        page = _PAGE.render(
            lesson=lesson,
            student=student,
            score=scores.score_line(student),
            waiting=WAITING,
            timestamp=when_text(result.timestamp),
            flags=[explain(f) for f in for_student(scores.flags.get(student, result.flags))],
            rows=rows,
            now=now,
        )
        target = course.feedback(student, lesson) / f"{notebook}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page, encoding="utf-8")
        written.append(target)
    return written


# --- pictures --------------------------------------------------------------


def _pictures(
    course: Course, student: str, lesson: str, notebook: str, cells: list[CellResult]
) -> dict[str, dict]:
    """Validated pictures by grade id, from the verdicts in the autograded notebook.

    A verdict counts only if it is the one the result file summarised (same
    part, same note); anything unreadable or malformed is no picture.
    """
    wanted = {c.grade_id: c for c in cells if c.part}
    if not wanted:
        return {}
    folder = course.autograded(student, lesson)
    try:
        nb = json.loads(read_file(folder.parent, [folder.name, f"{notebook}.ipynb"]))
    except (OSError, ValueError, RecursionError):
        return {}
    found: dict[str, dict] = {}
    for cell in nb.get("cells", []) if isinstance(nb, dict) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        meta = cell.get("metadata")
        nbg = meta.get("nbgrader") if isinstance(meta, dict) else None
        grade_id = nbg.get("grade_id") if isinstance(nbg, dict) else None
        if not isinstance(grade_id, str) or grade_id not in wanted or grade_id in found:
            continue
        verdict = _last_verdict(cell.get("outputs"))
        want = wanted[grade_id]
        if (
            verdict is None
            or verdict.get("part") != want.part
            or verdict.get("note") != want.note
            or verdict.get("picture") is None
        ):
            continue
        try:
            found[grade_id] = check_picture(verdict["picture"])
        except (ValueError, TypeError):
            continue
    return found


def _last_verdict(outputs: Any) -> dict | None:
    verdict = None
    for out in outputs if isinstance(outputs, list) else []:
        if isinstance(out, dict) and out.get("output_type") == "execute_result":
            meta = out.get("metadata")
            found = meta.get("calcml") if isinstance(meta, dict) else None
            if isinstance(found, dict):
                verdict = found
    return verdict


def _svg_or_none(spec: dict | None, show_reference: bool) -> Markup | None:
    if spec is None:
        return None
    try:
        return picture_svg(spec, show_reference=show_reference)
    except (ValueError, TypeError, ArithmeticError):  # an illustration never breaks a page
        return None


#: The SVG's size and the plot area's margins, in pixels.
_W, _H = 480, 290
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 14, 28, 60
#: Numbers drawn on a linear axis are clipped to this size (no overflow in the arithmetic).
_BIG = 1e300
_COLOURS = {"student": "#1f5fa8", "marked": "#c0392b", "expected": "#6b6b6b"}


class _Axis:
    """Map data values to pixels along one axis, with tick marks."""

    def __init__(self, values: list[float], log: bool, start: float, end: float) -> None:
        self.log, self.start, self.end = log, start, end
        ts = [self.t(v) for v in values]
        lo, hi = (min(ts), max(ts)) if ts else (0.0, 1.0)
        if hi - lo <= 1e-12 * max(abs(lo), abs(hi), 1e-300):
            pad = 0.5 if log else max(abs(hi) * 0.1, 1e-300) if hi else 1.0
        else:
            pad = (hi - lo) * 0.05
        self.lo, self.hi = lo - pad, hi + pad

    def t(self, v: float) -> float:
        return math.log10(v) if self.log else max(-_BIG, min(_BIG, v))

    def px(self, v: float) -> float:
        frac = (self.t(v) - self.lo) / (self.hi - self.lo)
        return self.start + frac * (self.end - self.start)

    def ticks(self) -> list[tuple[float, str]]:
        """(pixel, label) pairs: decades on a log axis, 1-2-5 steps otherwise."""
        if self.log and math.floor(self.hi) - math.ceil(self.lo) >= 1:
            first, last = math.ceil(self.lo), math.floor(self.hi)
            stride = max(1, math.ceil((last - first + 1) / 7))
            return [(self._at(k), _log_label(k)) for k in range(first, last + 1, stride)]
        span = self.hi - self.lo
        raw = span / 5
        mag = 10.0 ** math.floor(math.log10(raw))
        step = mag * next(m for m in (1, 2, 5, 10) if m * mag >= raw)
        out, k = [], math.ceil(self.lo / step)
        while k * step <= self.hi and len(out) < 12:
            t = k * step
            label = _log_label(t) if self.log else _tick_label(t, step, False)
            out.append((self._at(t), label))
            k += 1
        return out

    def _at(self, t: float) -> float:
        return self.start + (t - self.lo) / (self.hi - self.lo) * (self.end - self.start)


def _log_label(t: float) -> str:
    """The value 10**t as tick text, also where 10**t is beyond a float (t near 308).

    >>> _log_label(2), _log_label(308.5)
    ('100', '3.16e+308')
    """
    if -300 < t < 300:
        return f"{10.0**t:.3g}"
    k = math.floor(t)
    return f"{10.0 ** (t - k):.3g}e{k:+d}"


def _tick_label(v: float, step: float, log: bool) -> str:
    if log:
        return f"{v:.3g}"
    if abs(v) < step * 1e-6:
        return "0"
    if step >= 1e-4 and abs(v) < 1e6:
        return f"{v:.{max(0, -math.floor(math.log10(step) + 1e-9))}f}"
    digits = math.floor(math.log10(abs(v))) - math.floor(math.log10(step)) + 1
    return f"{v:.{max(1, min(15, digits))}g}"


def _runs(xs: list[float], ys: list[float | None]) -> list[list[tuple[float, float]]]:
    """The curve split where it has no value: one list of points per unbroken run."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((x, y))
    return [r for r in runs if r]


def _curve(runs, ax: _Axis, ay: _Axis, cls: str, dash: str = "") -> list[str]:
    colour = _COLOURS[cls]
    out = []
    for run in runs:
        if len(run) == 1:
            ((x, y),) = run
            out.append(
                f'<circle class="{cls}" cx="{ax.px(x):.1f}" cy="{ay.px(y):.1f}" r="2" '
                f'fill="{colour}"/>'
            )
            continue
        pts = " ".join(f"{ax.px(x):.1f},{ay.px(y):.1f}" for x, y in run)
        out.append(
            f'<polyline class="{cls}" points="{pts}" fill="none" stroke="{colour}" '
            f'stroke-width="1.6"{dash}/>'
        )
    return out


def picture_svg(spec: dict, *, show_reference: bool = False) -> Markup:
    """A curve picture (:func:`reference.checks.pictures.curve_picture`) as inline SVG.

    The student's values are a solid line (broken where there is none), the
    marked points red circles (a red cross on the x axis where the student has
    no value). The reference is a dashed line, drawn only with
    ``show_reference``; without it the SVG holds none of its numbers, not even
    through the axes' range.

    >>> from reference.checks.pictures import curve_picture
    >>> spec = curve_picture([0, 1, 2], [0, 1, 5], reference=[0, 1, 4], marked=[2])
    >>> svg = picture_svg(spec)
    >>> svg.startswith("<svg"), 'class="marked"' in svg, 'class="expected"' in svg
    (True, True, False)
    >>> 'class="expected"' in picture_svg(spec, show_reference=True)
    True
    """
    spec = check_picture(spec)
    xs, ys = spec["x"], spec["student"]
    refs = spec["reference"] if show_reference else None
    log = spec["log"]
    right, bottom = _W - _RIGHT, _H - _BOTTOM
    ax = _Axis(xs, "x" in log, _LEFT, right)
    seen = [y for y in ys if y is not None] + [y for y in refs or [] if y is not None]
    ay = _Axis(seen, "y" in log, bottom, _TOP)
    e = escape
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="picture" width="{_W}" height="{_H}" '
        f'viewBox="0 0 {_W} {_H}" role="img" aria-label="{e(spec["title"] or "a plot")}" '
        'font-family="system-ui,sans-serif" font-size="11">',
        f'<text x="{_LEFT}" y="17" font-size="13" font-weight="600">{e(spec["title"])}</text>',
        f'<rect x="{_LEFT}" y="{_TOP}" width="{right - _LEFT}" height="{bottom - _TOP}" '
        'fill="#fff" stroke="#999"/>',
    ]
    for px, label in ax.ticks():
        parts.append(
            f'<line x1="{px:.1f}" y1="{bottom}" x2="{px:.1f}" y2="{bottom + 4}" stroke="#999"/>'
            f'<text x="{px:.1f}" y="{bottom + 15}" text-anchor="middle">{e(label)}</text>'
        )
    for py, label in ay.ticks():
        parts.append(
            f'<line x1="{_LEFT - 4}" y1="{py:.1f}" x2="{right}" y2="{py:.1f}" stroke="#eee"/>'
            f'<text x="{_LEFT - 6}" y="{py + 4:.1f}" text-anchor="end">{e(label)}</text>'
        )
    parts.append(
        f'<text x="{(_LEFT + right) / 2:.1f}" y="{bottom + 31}" text-anchor="middle">'
        f"{e(spec['xlabel'])}</text>"
        f'<text transform="rotate(-90)" x="{-(_TOP + bottom) / 2:.1f}" y="13" '
        f'text-anchor="middle">{e(spec["ylabel"])}</text>'
    )
    if refs is not None:
        parts += _curve(_runs(xs, refs), ax, ay, "expected", ' stroke-dasharray="5 3"')
    parts += _curve(_runs(xs, ys), ax, ay, "student")
    red = _COLOURS["marked"]
    for i in spec["marked"]:
        x, y = xs[i], ys[i]
        tip = f"x = {x:.6g}, yours: " + ("no value" if y is None else f"{y:.6g}")
        if y is None:
            cx, cy = ax.px(x), bottom
            shape = (
                f'<path d="M{cx - 4:.1f},{cy - 4:.1f}l8,8m0,-8l-8,8" stroke="{red}" '
                'stroke-width="2"/>'
            )
        else:
            shape = (
                f'<circle cx="{ax.px(x):.1f}" cy="{ay.px(y):.1f}" r="4" fill="none" '
                f'stroke="{red}" stroke-width="1.6"/>'
            )
        parts.append(f'<g class="marked"><title>{e(tip)}</title>{shape}</g>')
    parts.append(_legend(spec, refs is not None))
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(spec: dict, with_reference: bool) -> str:
    y = _H - 10
    n = len(spec["marked"])
    entries = [
        (f'<line x1="0" y1="-4" x2="18" y2="-4" stroke="{_COLOURS["student"]}" '
         'stroke-width="1.6"/>', spec["student_label"] or "yours"),
        (f'<circle cx="9" cy="-4" r="4" fill="none" stroke="{_COLOURS["marked"]}" '
         'stroke-width="1.6"/>', f"disagrees ({n} point{'' if n == 1 else 's'})"),
    ]  # fmt: skip
    if with_reference:
        entries.append(
            (f'<line x1="0" y1="-4" x2="18" y2="-4" stroke="{_COLOURS["expected"]}" '
             'stroke-width="1.6" stroke-dasharray="5 3"/>', spec["reference_label"] or "expected")
        )  # fmt: skip
    out, x = [], _LEFT
    for mark, label in entries:
        out.append(
            f'<g transform="translate({x},{y})">{mark}<text x="23" y="0">{escape(label)}</text></g>'
        )
        x += 32 + 6.5 * min(len(label), 40)
    return "".join(out)

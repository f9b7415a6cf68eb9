"""Feedback pages draw a part's picture as inline SVG, the expected curve only by policy."""

from __future__ import annotations

import json
import re
import shutil

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograder.course import Course
from autograder.feedback import picture_svg, write_feedback
from calcml_tasks import variant_for
from reference.answers.lesson01 import POINTS
from reference.checks.pictures import curve_picture
from tests.source.course import with_solutions

from .conftest import notebooks, put_folder
from .graded import ok, run

#: df_rule right up to x = 1 and off by one beyond: wrong at some sample points only.
PARTLY = "def df_rule(x):\n    return 3 * task.a * x**2 + 2 * task.b * x + (x > 1) * 1.0\n"
WRONG_AT = int((POINTS > 1).sum())
#: A sign error is right where the student's f'(x) = 3a x^2 + 2b x is 0 (x = 0, x = -2b/3a).
_SIGN = variant_for("calcml", "lesson01", "m-sign")
SIGN_WRONG_AT = int((abs(3 * _SIGN["a"] * POINTS**2 + 2 * _SIGN["b"] * POINTS) > 1e-9).sum())


@pytest.fixture(scope="module")
def graded(released, tmp_path_factory):
    """lesson01 graded by the real CLI for a solver, a sign error and a partly wrong df_rule."""
    dest = tmp_path_factory.mktemp("pictures") / "course"
    shutil.copytree(released, dest)
    subs = notebooks(dest, "lesson01")
    source = nbformat.read(dest / "source" / "lesson01" / "lesson01.ipynb", as_version=4)
    chosen = {
        "solver": subs["solver"],
        "m-sign": subs["m-sign"],
        "partly": nbformat.writes(with_solutions(source, {"sol_rule": PARTLY})).encode(),
    }
    inbox = put_folder(dest, "lesson01", chosen)
    ok(run("--course", str(dest), "collect", "lesson01", "--from", str(inbox)))
    ok(run("grade", "lesson01", "--quiet", "--cell-timeout", "10", "--course", str(dest)))
    return dest


def _page(course, student: str) -> str:
    return (course / "feedback" / student / "lesson01" / "lesson01.html").read_text()


def _rule_row(page: str) -> str:
    (row,) = [r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if "Part B —" in r]
    return row


def _svgs(html: str) -> list[str]:
    return re.findall(r"<svg.*?</svg>", html, re.S)


def _verdict(course, student: str) -> dict:
    nb = json.loads((course / "autograded" / student / "lesson01" / "lesson01.ipynb").read_text())
    (cell,) = [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") ==
               "test_rule"]  # fmt: skip
    return cell["outputs"][-1]["metadata"]["calcml"]


def test_a_wrong_df_rule_shows_its_curve_with_the_disagreements_marked(graded):
    write_feedback(Course.open(graded), "lesson01")
    for student, marked in (("m-sign", SIGN_WRONG_AT), ("partly", WRONG_AT)):
        row = _rule_row(_page(graded, student))
        (svg,) = _svgs(row)
        assert 'class="student"' in svg
        assert svg.count('<g class="marked">') == marked, student
        assert f"disagrees ({marked} points)" in svg
        assert 'class="expected"' not in svg and "expected" not in svg
    assert not _svgs(_page(graded, "solver"))  # nothing wrong, nothing drawn
    assert "reference" not in _page(graded, "m-sign")


def test_without_the_policy_no_reference_number_reaches_the_page(graded):
    write_feedback(Course.open(graded), "lesson01")
    picture = _verdict(graded, "partly")["picture"]
    (svg,) = _svgs(_rule_row(_page(graded, "partly")))
    tokens = set(re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", svg))
    own = {f"{v:.6g}" for v in picture["student"] + picture["x"] if v is not None}
    hidden = {
        f"{picture['reference'][i]:.6g}" for i in picture["marked"]
    } - own  # the expected values where the student's differ
    hidden = {h for h in hidden if len(h.lstrip("-").replace(".", "").strip("0")) >= 3}
    assert len(hidden) >= 5
    assert not hidden & tokens
    # the drawn values are the student's own: their tooltips name them, never the expected
    tips = re.findall(r"<title>(.*?)</title>", svg)
    assert len(tips) == WRONG_AT and all("yours: " in t for t in tips)


def test_with_the_policy_the_expected_curve_is_drawn_too(graded):
    ok(run("feedback", "lesson01", "--show-reference", "--course", str(graded)))
    (svg,) = _svgs(_rule_row(_page(graded, "m-sign")))
    assert re.search(r'<polyline class="expected" points="[^"]+"', svg)
    assert 'class="student"' in svg and "expected" in svg
    ok(run("feedback", "lesson01", "--course", str(graded)))  # the default: off again
    (svg,) = _svgs(_rule_row(_page(graded, "m-sign")))
    assert 'class="expected"' not in svg


def test_a_forged_or_stale_picture_is_left_out_and_the_page_still_written(graded, tmp_path):
    course = shutil.copytree(graded, tmp_path / "course")
    path = course / "autograded" / "partly" / "lesson01" / "lesson01.ipynb"
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            verdict = out.get("metadata", {}).get("calcml")
            if isinstance(verdict, dict) and "picture" in verdict:
                verdict["picture"]["x"] = [float("nan")] * 3  # malformed
    path.write_text(json.dumps(nb))
    write_feedback(Course.open(course), "lesson01")
    page = _page(course, "partly")
    assert not _svgs(page) and "differs from the expected function" in page


def test_svg_scales_its_axes_to_the_students_values_alone():
    spec = curve_picture([0, 1, 2], [0, 1, 2], reference=[0, 1000, 2000], marked=[1, 2])
    hidden, shown = picture_svg(spec), picture_svg(spec, show_reference=True)
    assert ">1000<" not in hidden and ">1000<" in shown  # a tick at 1000 only when drawn
    assert hidden.count("<polyline") == 1 and shown.count("<polyline") == 2


def test_svg_escapes_text_and_draws_log_axes():
    spec = curve_picture(
        [1e-1, 1e-3, 1e-5, 1e-7],
        [1e-2, 1e-6, 1e-9, 1e-7],
        marked=[3],
        log="xy",
        title="<script>alert(1)</script>",
        ylabel="error & step",
    )
    svg = picture_svg(spec)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "error &amp; step" in svg
    assert ">1e-05<" in svg or ">0.001<" in svg  # decades on the log axes


@settings(max_examples=150, deadline=None)
@given(
    data=st.lists(st.tuples(st.floats(), st.floats(), st.floats()), min_size=1, max_size=60),
    marks=st.sets(st.integers(min_value=0, max_value=59)),
    log=st.sampled_from(["", "x", "y", "xy"]),
)
def test_any_picture_renders_to_finite_svg(data, marks, log):
    xs, ys, refs = (list(col) for col in zip(*data, strict=True))
    try:
        spec = curve_picture(xs, ys, reference=refs, log=log,
                             marked=[m for m in marks if m < len(xs)])  # fmt: skip
    except ValueError:  # no drawable x at all
        return
    for show in (False, True):
        svg = picture_svg(spec, show_reference=show)
        assert svg.startswith("<svg") and svg.endswith("</svg>")
        assert not re.search(r"\b(nan|inf)\b", svg)
        assert ('class="expected"' in svg) <= show

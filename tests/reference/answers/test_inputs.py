"""A hostile notebook moves the collectors' inputs: the grader scores nothing and says so.

Every registered part of every lesson is collected from the lesson's own
solutions (its source notebook run in a namespace), once as is and once under
each perturbation a notebook's code could make to its lesson's collectors:
every public module-level input rebound, arrays and functions changed in
place, and the sampler the module imported replaced by one that samples
elsewhere. Whenever what is handed in differs from the unperturbed answer,
the grader's judging must give 0 points, the note ``tampered`` and a message
naming the part; the unperturbed answer must get full points.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import importlib
import io
import types
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest

from autograder.judge import graded_part, judge_notebook
from reference.answers import (
    ANSWER_KEY,
    LESSONS,
    collector,
    declared_inputs,
    hand_in,
    inputs_digest,
)
from reference.grading import REGISTRY, get_part

matplotlib.use("Agg")

SOURCE = Path(__file__).resolve().parents[3] / "source"


def _parts(lesson: str) -> list[str]:
    importlib.import_module(f"reference.grading.{lesson}")
    return sorted(p for p in REGISTRY if p.startswith(lesson + "."))


# -- the lesson's own solutions -----------------------------------------------------------


def _answer_expression(source: str) -> ast.Expression:
    """The answer argument of the one-line ``grade("part", answer)`` a test cell ends with."""
    last = ast.parse(source).body[-1]
    assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
    return ast.Expression(last.value.args[1])


@functools.cache
def solutions(lesson: str) -> dict[str, Any]:
    """Part id -> the answer object the solution notebook hands in for it."""
    import nbformat

    nb = nbformat.read(SOURCE / lesson / f"{lesson}.ipynb", as_version=4)
    namespace: dict[str, Any] = {"__name__": f"solution_{lesson}"}
    answers = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(
            line for line in cell.source.split("\n") if not line.lstrip().startswith(("%", "!"))
        )
        part_id = graded_part(source)
        with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # plt.show() on Agg says it cannot show
            if part_id is None:
                exec(compile(source, f"<{lesson} solution>", "exec"), namespace)  # noqa: S102
            else:
                code = compile(_answer_expression(source), f"<{lesson} test>", "eval")
                answers[part_id] = eval(code, namespace)  # noqa: S307 - our own notebook
    return answers


# -- judging as the grader does -------------------------------------------------------------


def sent(part_id: str, answer: Any) -> dict:
    """What the student's process hands in for ``part_id``: the answer's metadata."""
    return hand_in(part_id, answer)._repr_mimebundle_()[1][ANSWER_KEY]


def judged(part_id: str, handed: dict) -> tuple[dict, list[str]]:
    """The grader's verdict on a test cell that handed ``handed`` in, and its tampering list."""
    cell = {
        "cell_type": "code",
        "source": f'from reference.grading import grade; grade("{part_id}", answer)',
        "metadata": {"nbgrader": {"grade": True, "solution": False, "grade_id": "t"}},
        "execution_count": 1,
        "outputs": [
            {
                "output_type": "execute_result",
                "execution_count": 1,
                "data": {"text/plain": "<answer>"},
                "metadata": {ANSWER_KEY: handed},
            }
        ],
    }
    found = judge_notebook({"cells": [cell]})
    verdict = cell["outputs"][-1]["metadata"]["calcml"]
    earned = float(cell["outputs"][-1]["data"]["text/plain"])
    return {**verdict, "earned": earned}, found.tampering


# -- what a hostile notebook does to a lesson's collectors ------------------------------------


def _collectors(lesson: str) -> set[int]:
    return {id(collector(p)) for p in _parts(lesson)}


def module_inputs(lesson: str) -> dict[str, Any]:
    """The public module-level values a lesson's collectors may read (its constants)."""
    module = importlib.import_module(f"reference.answers.{lesson}")
    found = {}
    for name, value in vars(module).items():
        if name.startswith("_"):
            continue
        if isinstance(value, types.FunctionType):
            if value.__module__ == module.__name__ and id(value) not in _collectors(lesson):
                found[name] = value
        elif isinstance(value, np.ndarray | float | int | tuple | list) and not isinstance(
            value, bool
        ):
            found[name] = value
    return found


def _twice(func: Callable) -> Callable:
    def twice(*args: Any, **kwargs: Any) -> Any:
        return 2.0 * func(*args, **kwargs)

    return twice


def shifted(value: Any) -> Any:
    """Another value of the same kind: numbers moved, functions doubled."""
    if isinstance(value, np.ndarray):
        return (value * 1.5 + 0.25).astype(value.dtype)
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        return value * 1.5 + 0.25
    if isinstance(value, int):
        return value + 1
    if isinstance(value, tuple | list):
        return type(value)(shifted(v) for v in value)
    if isinstance(value, types.FunctionType):
        return _twice(value)
    return value


def _shifted_code(code: types.CodeType) -> types.CodeType:
    consts = tuple(shifted(c) if isinstance(c, int | float) else c for c in code.co_consts)
    return code.replace(co_consts=consts)


Perturbation = Callable[[], contextlib.AbstractContextManager]


@contextlib.contextmanager
def _rebound(module: types.ModuleType, name: str, value: Any) -> Iterator[None]:
    old = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, old)


@contextlib.contextmanager
def _array_changed(array: np.ndarray) -> Iterator[None]:
    old = array.copy()
    array[...] = shifted(array)
    try:
        yield
    finally:
        array[...] = old


@contextlib.contextmanager
def _code_changed(func: types.FunctionType) -> Iterator[None]:
    old = func.__code__
    func.__code__ = _shifted_code(old)
    try:
        yield
    finally:
        func.__code__ = old


@contextlib.contextmanager
def _points_moved(sampled) -> Iterator[None]:
    """A declared collector's own sample points moved, as hostile code could in memory."""
    old = sampled.points
    object.__setattr__(sampled, "points", tuple(shifted(np.array(old))))
    try:
        yield
    finally:
        object.__setattr__(sampled, "points", old)


def constant_perturbations(lesson: str) -> dict[str, Perturbation]:
    """Each way of moving one of the lesson's inputs, by name."""
    from reference.answers.kinds import Sampled

    module = importlib.import_module(f"reference.answers.{lesson}")
    out: dict[str, Perturbation] = {}
    for part_id in _parts(lesson):
        declared = getattr(collector(part_id), "collector", None)
        if isinstance(declared, Sampled):
            out[f"{part_id}'s declared points moved"] = functools.partial(_points_moved, declared)
    for name, value in module_inputs(lesson).items():
        out[f"{name} rebound"] = functools.partial(_rebound, module, name, shifted(value))
        if isinstance(value, np.ndarray):
            out[f"{name} changed in place"] = functools.partial(_array_changed, value)
        if isinstance(value, types.FunctionType):
            out[f"{name} recompiled"] = functools.partial(_code_changed, value)
    return out


def sampler_perturbations(lesson: str) -> dict[str, Perturbation]:
    """The module's ``sample_function`` replaced by one that samples elsewhere (honestly)."""
    module = importlib.import_module(f"reference.answers.{lesson}")
    real = getattr(module, "sample_function", None)
    if real is None:
        return {}

    def moved(fn, points, **kw):
        return real(fn, np.asarray(points, dtype=float) * 1.5 + 0.25, **kw)

    def two(fn, points, **kw):
        return real(fn, np.array([0.0, 4 / 3]), **kw)

    return {
        "sampler moved": functools.partial(_rebound, module, "sample_function", moved),
        "sampler at two points": functools.partial(_rebound, module, "sample_function", two),
    }


# -- the tests ------------------------------------------------------------------------------


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_solution_gets_full_points_in_the_grader_and_in_the_kernel(lesson):
    answers = solutions(lesson)
    assert sorted(answers) == _parts(lesson), "every registered part has a test cell"
    for part_id, answer in answers.items():
        part = get_part(part_id)
        handed = sent(part_id, answer)
        assert ("inputs" in handed) == (declared_inputs(part_id) is not None)
        verdict, tampering = judged(part_id, handed)
        assert not tampering, part_id
        assert verdict["earned"] == part.points and verdict["note"] == "correct", part_id
        in_kernel = part.check(answer)  # plain ``nbgrader autograde``: same score
        assert (in_kernel.score, in_kernel.note) == (verdict["score"], verdict["note"]), part_id


def _walk(lesson: str, perturbations: dict[str, Perturbation]) -> list[tuple[str, str, bool]]:
    """Collect every part under every perturbation; check each changed answer is refused.

    Returns (perturbation, part, data changed) for every answer that differed.
    """
    answers = solutions(lesson)
    clean = {p: sent(p, a) for p, a in answers.items()}
    differed = []
    for what, perturb in perturbations.items():
        with perturb():
            hostile = {p: sent(p, a) for p, a in answers.items()}
        for part_id, handed in hostile.items():
            data_changed = handed["data"] != clean[part_id]["data"]
            if not data_changed and handed.get("inputs") == clean[part_id].get("inputs"):
                continue
            differed.append((what, part_id, data_changed))
            verdict, tampering = judged(part_id, handed)
            where = f"{part_id} with {what}"
            assert verdict["earned"] == 0 and verdict["note"] == "tampered", where
            assert len(tampering) == 1 and part_id in tampering[0], where
    return differed


@pytest.mark.parametrize("lesson", LESSONS)
def test_moved_inputs_score_nothing_and_are_flagged(lesson):
    perturbations = constant_perturbations(lesson)
    differed = _walk(lesson, perturbations)
    for what, part_id, data_changed in differed:
        if data_changed:  # the data depends on this input: the part must say so
            assert declared_inputs(part_id) is not None, f"{part_id} reads {what} undeclared"
    # Every part that declares inputs is shown to be caught when they move.
    declared = {p for p in _parts(lesson) if declared_inputs(p) is not None}
    assert declared <= {p for _, p, _ in differed}


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_sampler_that_samples_elsewhere_is_caught(lesson):
    perturbations = sampler_perturbations(lesson)
    differed = _walk(lesson, perturbations)
    sampled = {
        p
        for p in _parts(lesson)
        if "sample_function" in getattr(getattr(collector(p), "__code__", None), "co_names", ())
        and getattr(collector(p), "__module__", "") == f"reference.answers.{lesson}"
    }
    assert bool(sampled) == bool(perturbations)
    for what in perturbations:
        assert {p for w, p, changed in differed if w == what and changed} == sampled


def test_the_walk_covers_the_known_inputs():
    """The perturbations reach the inputs issue #10 names; a rename must not hide one."""
    names = {lesson: set(module_inputs(lesson)) for lesson in LESSONS}
    assert {"POINTS", "RATE_STEP"} <= names["lesson01"]
    assert {"GAP_STEPS"} <= names["lesson02"]
    assert {"SWEEP_INPUTS", "FIELD_X", "FIELD_Y", "task_function", "new_function"} <= names[
        "lesson03"
    ]
    assert {"FD_CASES", "FD_STEP"} <= names["lesson04"]
    assert {"POINTS", "GRAD_A", "GRAD_W", "GRAD_EPS", "grad_loss"} <= names["lesson05"]


def test_inputs_changed_while_collecting_are_caught():
    """A student's function that moves the inputs while it is sampled is caught too."""
    import reference.answers.lesson01 as answers

    saved = answers.POINTS.copy()

    def sneaky(x):
        answers.POINTS[:2] = 0.0
        return 3 * np.asarray(x) ** 2 - 4 * np.asarray(x)

    try:
        handed = sent("lesson01.rate", lambda x, dx: sneaky(x))
    finally:
        answers.POINTS[...] = saved
    assert handed["inputs"] != inputs_digest("lesson01.rate")
    verdict, tampering = judged("lesson01.rate", handed)
    assert verdict["earned"] == 0 and tampering

"""The inputs digest: the same in every process, different for any other input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import reference.answers as answers
from reference.answers import LESSONS, UNDIGESTIBLE, collects, hand_in, inputs_digest
from reference.answers.digest import FORMAT, digest


def _all_parts() -> list[str]:
    import importlib

    from reference.grading import REGISTRY

    for lesson in LESSONS:
        importlib.import_module(f"reference.grading.{lesson}")
    return sorted(p for p in REGISTRY if p.split(".")[0] in LESSONS)


def test_another_process_computes_the_same_digests():
    """Same interpreter, same files: same digests, however many references a process holds."""
    from reference.grading.parts import collector_table

    code = (
        "import json, sys, reference.answers as a\n"
        "from reference.answers import lesson03, lesson05\n"
        "from reference.answers.kinds import install\n"
        "install(json.loads(sys.argv[2]))  # the grader's table, as a job carries it\n"
        "held = [f.__code__.co_consts for f in (lesson03.task_function, lesson05.grad_loss)]\n"
        "print(json.dumps({p: a.inputs_digest(p) for p in json.loads(sys.argv[1])}))"
    )
    parts = _all_parts()
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            json.dumps(parts),
            json.dumps({k: v for lesson in LESSONS for k, v in collector_table(lesson).items()}),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(out.stdout)
    ours = {p: inputs_digest(p) for p in parts}
    assert theirs == ours
    assert sum(d is not None for d in ours.values()) >= 8


def f(x, y):
    return x**2 + y**2


def g(x, y):
    return x**2 + y**3


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (np.zeros(3), np.zeros(3, dtype=np.float32)),
        (np.zeros(3), np.zeros((3, 1))),
        (np.array([0.0, 1.0]), np.array([0.0, np.nextafter(1.0, 2.0)])),
        (0.0, -0.0),
        (1, 1.0),
        (True, 1),
        ((1.0, 2.0), [1.0, 2.0]),
        (((1.0,), 2.0), ((1.0, 2.0),)),
        ("ab", b"ab"),
        ({"a": 1.0}, {"a": 2.0}),
        (f, g),
        ((f, (1.0, 1.0)), (f, (1.0, 1.5))),
    ],
)
def test_other_inputs_have_other_digests(a, b):
    assert digest(a) == digest(a) and digest(a) != digest(b)
    assert digest(a).startswith(FORMAT)


def test_a_function_changed_in_place_has_another_digest():
    def h(x, scale=2.0):
        return scale * x

    before = digest(h)
    h.__defaults__ = (3.0,)
    assert digest(h) != before
    h.__defaults__ = (2.0,)
    assert digest(h) == before
    h.__code__ = (lambda x, scale=2.0: scale * x + 1).__code__
    assert digest(h) != before

    def closing(c):
        return lambda x: c * x

    assert digest(closing(1.0)) != digest(closing(2.0))


class MyFloat(float):
    pass


class MyArray(np.ndarray):
    pass


@pytest.mark.parametrize(
    "value", [MyFloat(1.0), np.zeros(2).view(MyArray), object(), {1, 2}, print, np]
)
def test_values_of_unknown_types_have_no_digest(value):
    with pytest.raises(TypeError):
        digest(value)


def test_inputs_that_cannot_be_digested_never_match(monkeypatch):
    monkeypatch.setattr(answers, "_COLLECTORS", dict(answers._COLLECTORS))
    monkeypatch.setattr(answers, "_INPUTS", dict(answers._INPUTS))

    @collects("test.digest", inputs=lambda: answers._INPUTS_PROBE)
    def probe(value):
        return value

    monkeypatch.setattr(answers, "_INPUTS_PROBE", (1.0,), raising=False)
    good = inputs_digest("test.digest")
    assert good.startswith(FORMAT)
    monkeypatch.setattr(answers, "_INPUTS_PROBE", MyFloat(1.0))
    assert inputs_digest("test.digest").startswith(UNDIGESTIBLE)
    monkeypatch.delattr(answers, "_INPUTS_PROBE")
    assert inputs_digest("test.digest").startswith(UNDIGESTIBLE)


def test_only_parts_with_inputs_send_a_digest():
    _, sent = hand_in("lesson01.formula", "3*x**2 - 4*x")._repr_mimebundle_()
    assert set(sent[answers.ANSWER_KEY]) == {"part", "data"}
    _, sent = hand_in("lesson01.rule", np.cos)._repr_mimebundle_()
    assert set(sent[answers.ANSWER_KEY]) == {"part", "data", "inputs"}
    assert sent[answers.ANSWER_KEY]["inputs"] == inputs_digest("lesson01.rule")

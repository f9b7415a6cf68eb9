from reference.checks.result import CheckResult
from reference.grading import REGISTRY, Part, get_part, grade
from reference.grading.parts import Points


def test_judging_never_raises():
    part = Part("test.boom", 2, judge=lambda v: 1 / 0)
    result = part.judge_data({"__unsupported__": "Liar"})
    assert result.score == 0 and result.note == "check-error"


def test_a_judge_that_runs_too_long_gives_zero(monkeypatch):
    import reference.grading.parts as parts

    monkeypatch.setattr(parts, "JUDGE_SECONDS", 0.2)
    part = Part("test.slow", 1, judge=lambda v: [0 for _ in iter(int, 1)])
    result = part.judge_data(1.0)
    assert result.score == 0 and "too long" in result.feedback


def test_grade_returns_points_with_the_verdict_attached(capsys):
    part = Part("test.half", 3, judge=lambda v: CheckResult(0.5, "Half.", "wrong"))
    points = part.grade(1.0)
    assert isinstance(points, Points) and float(points) == 1.5
    bundle, meta = points._repr_mimebundle_()
    assert bundle == {"text/plain": "1.5"}
    assert meta["calcml"]["note"] == "wrong" and meta["calcml"]["part"] == "test.half"
    assert capsys.readouterr().out == "Half.\n"


def test_every_lesson_registers_its_parts():
    from reference.answers import LESSONS

    for lesson in LESSONS:
        get_part(next(p for p in _ids(lesson)))
    assert len([k for k in REGISTRY if k.startswith("lesson")]) >= 35


def _ids(lesson):
    import importlib

    importlib.import_module(f"reference.grading.{lesson}")
    return [k for k in REGISTRY if k.startswith(lesson + ".")]


def test_the_one_liner_on_a_real_part(capsys):
    import numpy as np

    assert grade("lesson01.rule", lambda x: 3 * np.asarray(x) ** 2 - 4 * np.asarray(x)) == 2
    assert grade("lesson01.rule", lambda x: -(3 * np.asarray(x) ** 2 - 4 * np.asarray(x))) == 1
    assert "sign" in capsys.readouterr().out.lower()


def test_the_judges_load_neither_scikit_learn_nor_matplotlib():
    """The grader imports every judge at start-up: these two would add ~1 s to each run."""
    import subprocess
    import sys

    code = (
        "import sys, importlib\n"
        "from reference.answers import LESSONS\n"
        "for lesson in LESSONS: importlib.import_module(f'reference.grading.{lesson}')\n"
        "print(sorted(m for m in ('sklearn', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_held_out_labels_are_what_make_circles_draws():
    from sklearn.datasets import make_circles

    from reference.grading import lesson05

    _, labels = make_circles(
        n_samples=lesson05.N_TEST, factor=0.5, noise=0.1, random_state=lesson05.TEST_SEED
    )
    assert list(lesson05._test_labels()) == [float(v) for v in labels]

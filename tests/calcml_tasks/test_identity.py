"""Whose task a notebook shows: grader, folder, JupyterHub, typed id, in that order."""

from __future__ import annotations

from calcml_tasks import VARIANT_KEY, my_task, shown_variant, variant_for
from calcml_tasks.identity import GRADER_COURSE, GRADER_STUDENT, HUB_USER, find_identity


def _who(*args, **kwargs) -> tuple[str, str]:
    found = find_identity(*args, **kwargs)
    return found.student, found.source


def test_the_order_of_trust(monkeypatch, tmp_path):
    folder = tmp_path / "autograded" / "ada" / "lesson01"
    folder.mkdir(parents=True)
    for name in (GRADER_STUDENT, HUB_USER):
        monkeypatch.delenv(name, raising=False)
    assert find_identity("lesson01", "", cwd=tmp_path).source == "none"
    assert _who("lesson01", "typed-id", cwd=tmp_path) == ("typed-id", "typed")
    monkeypatch.setenv(HUB_USER, "hub-user")
    assert _who("lesson01", "typed-id", cwd=tmp_path) == ("hub-user", "hub")
    assert _who("lesson01", "typed-id", cwd=folder) == ("ada", "folder")
    assert find_identity("lesson02", "typed-id", cwd=folder).source == "hub"  # another lesson
    monkeypatch.setenv(GRADER_STUDENT, "owner")
    assert _who("lesson01", "typed-id", cwd=folder) == ("owner", "grader")


def test_the_task_shows_and_records_whose_it_is(monkeypatch):
    for name in (GRADER_STUDENT, HUB_USER, GRADER_COURSE):
        monkeypatch.delenv(name, raising=False)
    task = my_task("lesson01", "ada")
    bundle, meta = task._repr_mimebundle_()
    assert meta[VARIANT_KEY]["student"] == "ada" and meta[VARIANT_KEY]["source"] == "typed"
    v = variant_for("calcml", "lesson01", "ada")
    assert f"a = {v['a']}" in bundle["text/markdown"] and "`ada`" in bundle["text/markdown"]
    assert task.f(2.0) == v["a"] * 8 + v["b"] * 4 + v["c"]
    assert shown_variant("lesson01") == v  # the in-kernel grade() judges this task
    example = my_task("lesson01", "")
    assert "example task, not yours" in example._repr_mimebundle_()[0]["text/markdown"]


def test_the_graders_course_id_wins(monkeypatch):
    monkeypatch.setenv(GRADER_STUDENT, "ada")
    monkeypatch.setenv(GRADER_COURSE, "another-course")
    assert my_task("lesson01").variant == variant_for("another-course", "lesson01", "ada")

"""Every docstring example in the packages runs and shows what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import autograder
import calcml_tasks
import reference

#: Modules whose import has side effects a test process must not have.
SKIP = {"autograder.__main__", "autograder.execute.zygote"}


def _modules() -> list[str]:
    names = []
    for package in (autograder, calcml_tasks, reference):
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
            if info.name not in SKIP:
                names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("name", _modules())
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_the_examples_exist():
    attempted = sum(
        doctest.testmod(importlib.import_module(n), optionflags=doctest.ELLIPSIS).attempted
        for n in _modules()
    )
    assert attempted >= 30

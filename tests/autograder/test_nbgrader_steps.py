"""nbgrader's steps as we run them: our faster versions keep nbgrader's contract."""

from __future__ import annotations

import copy

import jsonschema
import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbgrader.api import Gradebook
from nbgrader.nbgraderformat import MetadataValidator, common
from nbgrader.preprocessors import OverwriteKernelspec

from autograder.course import Course
from autograder.nbgrader_steps import (  # importing it installs the stand-in under test
    GradebookSnapshot,
    SnapshotOverwriteKernelspec,
    resources,
)

SCHEMA = MetadataValidator().schema
KEYS = sorted(SCHEMA["properties"]) + ["unknown_key"]
VALUES = st.one_of(
    st.booleans(),
    st.integers(-3, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=4),
    st.none(),
    st.lists(st.integers(), max_size=2),
)


def _error(validate, instance):
    try:
        validate(instance, copy.deepcopy(SCHEMA))
    except jsonschema.ValidationError as exc:
        return exc.message
    return None


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8))
def test_stand_in_raises_what_jsonschema_raises(metadata):
    assert _error(common.jsonschema.validate, metadata) == _error(jsonschema.validate, metadata)


@pytest.mark.parametrize(
    "metadata",
    [
        {
            "schema_version": 3,
            "grade": True,
            "solution": False,
            "locked": True,
            "grade_id": "a",
            "points": 2,
            "task": False,
        },
        {
            "schema_version": 3,
            "grade": True,
            "solution": False,
            "locked": True,
            "grade_id": "a",
            "points": "2",
        },  # fmt: skip
        {"schema_version": 3, "grade": 1, "grade_id": "a"},  # an int is no boolean
        {"schema_version": 3, "grade_id": "a", "points": -1},
        {},
    ],
)
def test_known_cases_agree_and_metadata_is_left_alone(metadata):
    before = copy.deepcopy(metadata)
    assert _error(common.jsonschema.validate, metadata) == _error(jsonschema.validate, metadata)
    assert metadata == before  # no defaults filled in


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "{}",  # empty: nbgrader leaves the submission's kernelspec alone
        '{"name": "python3", "display_name": "Python 3", "language": "python"}',
    ],
)
def test_snapshot_kernelspec_step_does_what_nbgraders_does(course, stored):
    """The real snapshot of a released lesson, against nbgrader's step on the same gradebook."""
    course = Course.open(course)
    with Gradebook(course.db_url, course.course_id) as gb:
        gb.find_notebook("lesson01", "lesson01").kernelspec = stored
        gb.db.commit()
    ours = SnapshotOverwriteKernelspec()
    ours.snapshot = GradebookSnapshot(course, "lesson01", "lesson01")

    def run(step):
        nb = nbformat.v4.new_notebook(
            metadata={"kernelspec": {"name": "mine", "display_name": "Mine"}}
        )
        return step.preprocess(nb, resources(course, "lesson01", "s1", "lesson01"))[0].metadata

    assert run(ours) == run(OverwriteKernelspec())

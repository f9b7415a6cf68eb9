"""nbgrader's steps as we run them: the faster metadata validation keeps nbgrader's contract."""

from __future__ import annotations

import copy

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nbgrader.nbgraderformat import MetadataValidator, common

import autograder.nbgrader_steps  # noqa: F401 - installs the stand-in under test

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

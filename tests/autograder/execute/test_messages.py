"""A child's stream is untrusted: only well-formed messages get through, the rest is counted."""

from __future__ import annotations

import json

import pytest

from autograder.execute.messages import MAX_DEPTH, read, validate

GOOD_OUTPUTS = [
    {"output_type": "stream", "name": "stdout", "text": "hi\n"},
    {"output_type": "error", "ename": "E", "evalue": "v", "traceback": ["t"]},
    {"output_type": "display_data", "data": {"text/plain": "x"}, "metadata": {"a": [1]}},
    {"output_type": "execute_result", "execution_count": 3, "data": {"text/plain": ["1", "2"]},
     "metadata": {}},
]


def _line(message) -> bytes:
    return json.dumps(message).encode() + b"\n"


def test_good_messages_pass_unchanged_in_order():
    stream = b"".join(
        _line(m)
        for m in (
            {"start": True, "sandbox": ["a", "b"]},
            {"cell": 2, "data": {"outputs": GOOD_OUTPUTS, "execution_count": 3}},
            {"done": True, "tampering": []},
        )
    )
    got = read(stream)
    assert got.rejected == 0
    assert [next(iter(m)) for m in got.items] == ["start", "cell", "done"]
    assert got.items[1]["data"]["outputs"] == GOOD_OUTPUTS


@pytest.mark.parametrize(
    "output",
    [
        {"output_type": "stream", "text": "no name"},
        {"output_type": "stream", "name": "stdin", "text": "x"},
        {"output_type": "error", "ename": "E", "evalue": "no traceback"},
        {"output_type": "error", "ename": 1, "evalue": "v", "traceback": []},
        {"output_type": "execute_result", "execution_count": 1, "data": {}, "metadata": []},
        {"output_type": "execute_result", "execution_count": "1", "data": {}, "metadata": {}},
        {"output_type": "display_data", "data": "not a dict", "metadata": {}},
        {"output_type": "display_data", "data": {"text/plain": 5}, "metadata": {}},
        {"output_type": "unknown"},
        ["not", "a", "dict"],
    ],
)
def test_a_malformed_output_rejects_its_message(output):
    message = {"cell": 0, "data": {"outputs": [output], "execution_count": 1}}
    assert validate(message) is None


@pytest.mark.parametrize(
    "message",
    [
        {"done": "yes", "tampering": []},
        {"done": True, "tampering": 5},
        {"done": True, "tampering": [], "sandbox": 3},
        {"start": 1, "sandbox": []},
        {"start": True, "sandbox": "all"},
        {"cell": "0", "data": {"outputs": []}},
        {"cell": True, "data": {"outputs": []}},
        {"cell": 0, "data": {"outputs": [], "execution_count": 1.5}},
        {"error": 7},
        {"something": "else"},
    ],
)
def test_wrong_kinds_and_types_are_rejected(message):
    assert validate(message) is None
    assert read(_line(message)).rejected == 1


def test_deep_nesting_is_refused_without_recursion():
    deep = b"[" * 1_000_000 + b"]" * 1_000_000 + b"\n"
    got = read(deep + _line({"done": True, "tampering": []}))
    assert got.rejected == 1 and got.items == [{"done": True, "tampering": []}]
    nested: dict = {}
    for _ in range(MAX_DEPTH + 5):
        nested = {"x": nested}
    meta = {"output_type": "display_data", "data": {}, "metadata": nested}
    assert read(_line({"cell": 0, "data": {"outputs": [meta]}})).rejected == 1


def test_brackets_inside_strings_do_not_count_as_depth():
    text = "[" * (MAX_DEPTH * 3)
    line = _line({"error": text})
    assert read(line).items == [{"error": text}]


def test_a_torn_last_line_is_dropped_quietly():
    got = read(_line({"start": True, "sandbox": []}) + b'{"cell": 0, "da')
    assert got.rejected == 0 and len(got.items) == 1

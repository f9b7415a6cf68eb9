"""Read what a child streamed back: untrusted JSON lines, each checked against a schema.

Everything after a child's first message was written by a process that ran
student code, so every line is parsed under a size and a depth limit and
must be one of the message kinds of :mod:`.child`, with outputs shaped as
nbformat v4 says. A line that is not is dropped and counted: the grader then
flags the submission, and nothing malformed ever reaches nbgrader or a judge.

>>> read(b'{"start": true, "sandbox": ["x"]}\\n{"cell": 0, "data": {"outputs": []}}\\n[[[\\n')
Messages(items=[{'start': True, 'sandbox': ['x']}, {'cell': 0, 'data': {'outputs': [], \
'execution_count': None}}], rejected=1)
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

#: Deeper JSON than this is refused (a notebook's real outputs are a few levels deep).
MAX_DEPTH = 40
#: A single line longer than this is refused.
MAX_LINE = 32 * 1024 * 1024
STREAM_NAMES = ("stdout", "stderr")
DONE_KEYS = {"done", "tampering"}


@dataclass
class Messages:
    """The valid messages, in order, and how many lines were refused."""

    items: list[dict] = field(default_factory=list)
    rejected: int = 0


def _depth_ok(line: bytes) -> bool:
    """Whether brackets nest at most MAX_DEPTH deep (strings skipped); linear, no recursion."""
    depth, in_string, escaped = 0, False, False
    for byte in line:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return True


def _text(value: Any) -> bool:
    return isinstance(value, str) or (
        isinstance(value, list) and all(isinstance(x, str) for x in value)
    )


def _output(out: Any) -> dict | None:
    """A copy of ``out`` if it is a valid nbformat v4 output, else None."""
    if not isinstance(out, dict):
        return None
    kind = out.get("output_type")
    if kind == "stream":
        if out.get("name") in STREAM_NAMES and _text(out.get("text")):
            return {"output_type": kind, "name": out["name"], "text": out["text"]}
        return None
    if kind == "error":
        trace = out.get("traceback")
        if (
            isinstance(out.get("ename"), str)
            and isinstance(out.get("evalue"), str)
            and isinstance(trace, list)
            and all(isinstance(x, str) for x in trace)
        ):
            return {
                "output_type": kind,
                "ename": out["ename"],
                "evalue": out["evalue"],
                "traceback": trace,
            }
        return None
    if kind in ("display_data", "execute_result"):
        data, meta = out.get("data"), out.get("metadata", {})
        if not isinstance(data, dict) or not isinstance(meta, dict):
            return None
        if not all(isinstance(k, str) for k in data) or not all(isinstance(k, str) for k in meta):
            return None
        if not all(_text(v) or not k.startswith("text/") for k, v in data.items()):
            return None
        clean = {"output_type": kind, "data": data, "metadata": meta}
        if kind == "execute_result":
            count = out.get("execution_count")
            if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
                return None
            clean["execution_count"] = count
        return clean
    return None


def _cell(message: dict) -> dict | None:
    index, data = message.get("cell"), message.get("data")
    if not isinstance(index, int) or isinstance(index, bool) or not isinstance(data, dict):
        return None
    outputs = data.get("outputs", [])
    count = data.get("execution_count")
    if not isinstance(outputs, list):
        return None
    if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
        return None
    clean = [_output(o) for o in outputs]
    if any(o is None for o in clean):
        return None
    return {"cell": index, "data": {"outputs": clean, "execution_count": count}}


def _strings(value: Any, limit: int) -> list[str] | None:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        return None
    return [x[:200] for x in value[:limit]]


def validate(message: Any) -> dict | None:
    """The message, cleaned, if it is one of the kinds a child sends; else None."""
    if not isinstance(message, dict):
        return None
    if "start" in message:
        sandbox = _strings(message.get("sandbox", []), 10)
        ok = message["start"] is True and sandbox is not None
        return {"start": True, "sandbox": sandbox} if ok else None
    if "cell" in message:
        return _cell(message)
    if "done" in message:
        tampering = _strings(message.get("tampering", []), 20)
        ok = message["done"] is True and tampering is not None and set(message) <= DONE_KEYS
        return {"done": True, "tampering": tampering} if ok else None
    if "error" in message:
        return {"error": message["error"][:2000]} if isinstance(message["error"], str) else None
    return None


def read(data: bytes) -> Messages:
    """Every valid message in a child's stream; a torn last line is simply dropped."""
    found = Messages()
    lines = data.split(b"\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        torn = i == len(lines) - 1  # no newline after it: a child killed mid-write
        if len(line) > MAX_LINE or not _depth_ok(line):
            found.rejected += 1
            continue
        try:
            message = json.loads(line)
        except (ValueError, RecursionError):
            found.rejected += 0 if torn else 1
            continue
        clean = validate(message)
        if clean is None:
            found.rejected += 1
        else:
            found.items.append(clean)
    return found


def apply_cell(nb: dict, message: dict, filled: set[int]) -> None:
    """Take a cell's outputs and count from a message; never its source or metadata.

    A cell runs once, so only its first message counts: a notebook cannot
    overwrite the outputs of a test cell that already ran.
    """
    if "cell" not in message:
        return
    index = message["cell"]  # validated by :func:`read`: an int, outputs well formed
    if not 0 <= index < len(nb["cells"]) or index in filled:
        return
    filled.add(index)
    cell = nb["cells"][index]
    if cell.get("cell_type") != "code":
        return
    cell["outputs"] = message["data"]["outputs"]
    cell["execution_count"] = message["data"]["execution_count"]

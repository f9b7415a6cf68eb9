"""Check: judge the answers a notebook handed in, in the grader's own process.

In the student's process the hidden test one-liner ``grade("lesson01.rule",
df_rule)`` only hands the answer in, as plain data in the metadata of the
cell's result (:mod:`reference.answers`). Here, outside that process, every
graded test cell is looked at with the instructor's own source (restored by
nbgrader before any student code ran) to know which part it grades, the
handed-in data is judged by :mod:`reference.grading`, and the cell's outputs are
rewritten to what the in-kernel one-liner prints and returns: the feedback and
the points, with the verdict in the metadata. nbgrader then reads the points
as partial credit, exactly as it would from a kernel.

Whatever the student's code did, it can change only the data it handed in:
any output it forged in a test cell is replaced, an answer for another part
is refused, and a test cell that ran without error but handed nothing in
scores 0. Nor can it choose the inputs: an answer whose inputs digest differs
from the one this process computes from its own :mod:`reference.answers` (or
that lacks one), or whose data names other inputs, scores 0 with the note
``tampered`` and is reported in :attr:`Judged.tampering`.

Cells are judged in notebook order, and each verdict is kept for the parts
after it that mark errors forward (:mod:`reference.grading.carry`).
"""

from __future__ import annotations

import ast
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reference.answers import ANSWER_KEY, inputs_digest
from reference.checks.functions import computed_elsewhere
from reference.checks.result import TAMPERED
from reference.grading.carry import Handed

if TYPE_CHECKING:
    from calcml_tasks import Variant
    from reference.checks.result import CheckResult
    from reference.grading.parts import Part

#: The note of a verdict the judge could not reach (an error or a time-out).
CHECK_ERROR = "check-error"

#: The name the hidden tests call.
GRADE_CALL = "grade"


@dataclass
class Judged:
    """What judging one notebook found."""

    #: Test cells judged here, by grade id.
    judged: list[str] = field(default_factory=list)
    #: Test cells left as the notebook's process produced them (no one-line grade call).
    unjudged: list[str] = field(default_factory=list)
    #: Signs of tampering with the answer channel, for the TA.
    tampering: list[str] = field(default_factory=list)
    #: The answers judged, by part id (the first for a part), with their verdicts.
    handed: dict[str, Handed] = field(default_factory=dict)


def graded_part(source: str) -> str | None:
    """The part id of a test cell whose last statement is ``grade("part", answer)``.

    >>> graded_part('assert x\\nfrom reference.grading import grade; grade("lesson01.rule", f)')
    'lesson01.rule'
    >>> graded_part("assert x == 1") is None
    True
    """
    try:
        tree = ast.parse(_strip_magics(source))
    except SyntaxError:
        return None
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == GRADE_CALL
    ]
    last = tree.body[-1] if tree.body else None
    if len(calls) != 1 or not isinstance(last, ast.Expr) or last.value is not calls[0]:
        return None
    args = calls[0].args
    if (
        len(args) != 2
        or not isinstance(args[0], ast.Constant)
        or not isinstance(args[0].value, str)
    ):
        return None
    return args[0].value


def _strip_magics(source: str) -> str:
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")
    )


def judge_notebook(nb: dict, *, variant: Variant | None = None) -> Judged:
    """Judge every graded test cell of an executed notebook, rewriting its outputs in place.

    Parts that vary are judged for ``variant``, the owner's task (None: the seed's).
    """
    from reference.grading import get_part

    found = Judged()
    earlier = found.handed
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") != "code" or not meta.get("grade") or meta.get("solution"):
            continue
        grade_id = str(meta.get("grade_id", ""))
        part_id = graded_part(_text(cell.get("source", "")))
        try:
            part = get_part(part_id) if part_id else None
        except KeyError:
            part = None
        if part is None:
            found.unjudged.append(grade_id)
            continue
        found.judged.append(grade_id)
        outputs = cell.get("outputs", [])
        if cell.get("execution_count") is None or any(
            o.get("output_type") == "error" for o in outputs
        ):
            # Never ran, or failed (a sanity check, a missing name): nbgrader gives 0.
            cell["outputs"] = [o for o in outputs if o.get("output_type") in ("stream", "error")]
            continue
        handed = [
            o.get("metadata", {}).get(ANSWER_KEY)
            for o in outputs
            if o.get("output_type") == "execute_result"
        ]
        answer = handed[-1] if handed else None
        streams = [o for o in outputs if o.get("output_type") == "stream"]
        if not isinstance(answer, dict) or answer.get("part") != part_id or "data" not in answer:
            what = "an answer for another part" if isinstance(answer, dict) else "no answer"
            found.tampering.append(f"test cell {grade_id} handed in {what}")
            cell["outputs"] = [*streams, _error("NoAnswer", f"{grade_id} handed no answer in")]
            continue
        from reference.grading.parts import Points

        result = _judge_answer(part, answer, earlier, variant)
        if result.note == TAMPERED:
            found.tampering.append(
                f"test cell {grade_id} handed in an answer to {part_id} computed at other "
                "inputs than the grader chose"
            )
        else:
            earlier.setdefault(part_id, Handed(answer["data"], result))
        points = Points(result.earned(part.points), part, result)
        cell["outputs"] = [
            *_with_stdout(streams, result.feedback + "\n"),
            {
                "output_type": "execute_result",
                "execution_count": cell["execution_count"],
                "data": {"text/plain": repr(points)},
                "metadata": {"calcml": points.verdict},
            },
        ]
    return found


def _judge_answer(
    part: Part, answer: dict, earlier: dict[str, Handed], variant: Variant | None
) -> CheckResult:
    """The verdict on one handed-in answer, if it was collected at the grader's inputs."""
    if answer.get("inputs") != inputs_digest(part.id):
        return computed_elsewhere()
    used = {pid: earlier[pid] for pid in part.carry.uses if pid in earlier} if part.carry else {}
    return _VERDICTS.judge(part, answer["data"], used, variant if part.varies else None)


class _Verdicts:
    """Verdicts already reached in this run, by part and handed-in data.

    Judges are pure functions of the data, and a class hands in the same
    answer many times over (the right formula, the usual mistake, a blank):
    each distinct answer is judged once. Errors and time-outs are not kept,
    so a judge that was merely starved of CPU is tried again.
    """

    def __init__(self, size: int = 4096, max_key: int = 1 << 20) -> None:
        self.size, self.max_key = size, max_key
        self._kept: OrderedDict[tuple[str, str], CheckResult] = OrderedDict()

    def judge(
        self,
        part: Part,
        data: Any,
        earlier: dict[str, Handed] | None = None,
        variant: Variant | None = None,
    ) -> CheckResult:
        earlier = earlier or {}
        task = None if variant is None else variant.key()
        try:
            used = {pid: h.key() for pid, h in sorted(earlier.items())}
            key = (part.id, json.dumps([data, used, task]))
        except (TypeError, ValueError):
            return part.judge_data(data, earlier, variant=variant)
        if key in self._kept:
            self._kept.move_to_end(key)
            return self._kept[key]
        result = part.judge_data(data, earlier, variant=variant)
        if result.note != CHECK_ERROR and len(key[1]) <= self.max_key:
            self._kept[key] = result
            if len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return result


_VERDICTS = _Verdicts()


def judge_again(part: Part, data: Any, variant: Variant | None) -> CheckResult:
    """The verdict on handed-in data for another task (see :mod:`.copies`), cached."""
    return _VERDICTS.judge(part, data, {}, variant if part.varies else None)


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _with_stdout(streams: list[dict], text: str) -> list[dict]:
    """Append ``text`` to standard output, as a print at the end of the cell would."""
    streams = [dict(s) for s in streams]
    if streams and streams[-1].get("name") == "stdout":
        streams[-1]["text"] = _text(streams[-1].get("text", "")) + text
    else:
        streams.append({"output_type": "stream", "name": "stdout", "text": text})
    return streams


def _error(name: str, value: str) -> dict:
    return {
        "output_type": "error",
        "ename": name,
        "evalue": value,
        "traceback": [f"{name}: {value}"],
    }

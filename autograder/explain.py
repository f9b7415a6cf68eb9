"""Explain failures in words a student can act on: paste errors and their knock-on effects.

Text copied from a web page or a PDF brings curly quotes, en dashes and
non-breaking spaces that Python cannot read. The cell then fails with
"invalid character", and every later part that needs a name it defined fails
with a bare ``NameError``. :func:`syntax_feedback` names the line, the
character and what to type instead; :func:`knock_on` finds the later test
cells that failed only because an earlier cell never ran, so their feedback
can say so instead of naming a new mistake.

>>> print(syntax_feedback("y = 3 – x"))
Line 1 has – (U+2013, an en dash), which Python cannot read: replace it with -.
"""

from __future__ import annotations

import ast
import re
import unicodedata
import warnings

from reference.checks.result import register_note

#: Characters that pasted text brings in, with what to type instead and what they are.
PASTED: dict[str, tuple[str, str]] = {
    "\u201c": ('"', "a curly quote"),
    "\u201d": ('"', "a curly quote"),
    "\u201e": ('"', "a curly quote"),
    "\u2033": ('"', "a double prime"),
    "\u2018": ("'", "a curly quote"),
    "\u2019": ("'", "a curly quote"),
    "\u2032": ("'", "a prime"),
    "\u2013": ("-", "an en dash"),
    "\u2014": ("-", "an em dash"),
    "\u2212": ("-", "a minus sign"),
    "\u2010": ("-", "a hyphen"),
    "\u2011": ("-", "a non-breaking hyphen"),
    "\u00d7": ("*", "a multiplication sign"),
    "\u22c5": ("*", "a dot operator"),
    "\u00b7": ("*", "a middle dot"),
    "\u00f7": ("/", "a division sign"),
    "\u2026": ("...", "an ellipsis"),
    "\u00a0": (" ", "a non-breaking space"),
    "\u2009": (" ", "a thin space"),
    "\u202f": (" ", "a narrow non-breaking space"),
    "\u200b": ("nothing", "a zero-width space"),
    "\ufeff": ("nothing", "a byte-order mark"),
    "\u00b2": ("**2", "a superscript two"),
    "\u00b3": ("**3", "a superscript three"),
}

#: The note of a part that failed only because an earlier cell could not run.
KNOCK_ON = register_note(
    "follows-earlier-cell", "The part failed because an earlier cell could not run."
)

_NAME_ERROR = re.compile(r"name '([A-Za-z_][A-Za-z0-9_]*)' is not defined")


def _describe(char: str) -> str:
    name = PASTED[char][1] if char in PASTED else unicodedata.name(char, "a character").lower()
    return f"{char} (U+{ord(char):04X}, {name})"


def syntax_feedback(source: str) -> str | None:
    """What is wrong with a cell that Python cannot parse, or None if it parses.

    Never runs the code: it is only compiled to an AST, in the grader.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(_without_magics(source))
        return None
    except SyntaxError as exc:
        error = exc
    except (ValueError, RecursionError, MemoryError):
        return "This cell could not be read as Python code."
    lines = source.split("\n")
    pasted = [
        (i + 1, ch) for i, line in enumerate(lines) for ch in line if ch in PASTED or _odd(ch)
    ]
    if pasted:
        line, char = next(((n, c) for n, c in pasted if n == error.lineno), pasted[0])
        instead = PASTED.get(char, ("a plain ASCII character", ""))[0]
        more = len({c for _, c in pasted}) - 1
        also = f" The cell has {more} more such character(s)." if more > 0 else ""
        fix = "delete it" if instead == "nothing" else f"replace it with {instead}"
        return (
            f"Line {line} has {_describe(char)}, which Python cannot read: {fix}.{also}"
            + (" Text pasted from a web page or a PDF often brings these." if more > 0 else "")
        )
    where = f"Line {error.lineno}" if error.lineno else "The cell"
    text = (error.text or "").strip()
    shown = f": `{text[:80]}`" if text else ""
    return f"{where} is not valid Python ({error.msg}){shown}."


def _odd(char: str) -> bool:
    """A non-ASCII character outside strings that Python would not take in a name."""
    return ord(char) > 127 and not (char.isidentifier() or char.isspace())


def _without_magics(source: str) -> str:
    return "\n".join(
        "" if line.lstrip().startswith(("%", "!")) else line for line in source.split("\n")
    )


def _text(source) -> str:
    return "".join(source) if isinstance(source, list) else str(source)


def _source(cell: dict) -> str:
    return _text(cell.get("source", ""))


def _defines(source: str, name: str) -> bool:
    """Whether a cell's text (which may not parse) looks like it defines ``name``."""
    pattern = rf"^\s*(def|class)\s+{re.escape(name)}\b|^\s*{re.escape(name)}\s*(:[^=]*)?=[^=]"
    return re.search(pattern, source, re.M) is not None


def knock_on(cells: list[dict]) -> dict[int, str]:
    """Cells that failed only because an earlier cell did not run, by cell index.

    A later cell that raised ``NameError`` for a name an earlier, failed cell
    would have defined gets a sentence saying so, naming that cell and, down
    a chain of such failures, the cell where it began and why.
    """
    failed: list[tuple[int, str, str]] = []  # (index, label, why it began)
    found: dict[int, str] = {}
    for i, cell in enumerate(cells):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        if cell.get("cell_type") != "code" or not errors:
            continue
        error = errors[0]
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        label = f"the cell {grade_id}" if grade_id else f"cell {i + 1}"
        if error.get("ename") in ("SyntaxError", "IndentationError", "TabError"):
            why = syntax_feedback(_source(cell)) or "It is not valid Python."
        else:
            why = f"It raised {error.get('ename', 'an error')}."
        match = _NAME_ERROR.search(str(error.get("evalue", "")))
        cause = None
        if error.get("ename") == "NameError" and match:
            name = match.group(1)
            defining = (f for f in reversed(failed) if _defines(_source(cells[f[0]]), name))
            cause = next(defining, None)
        if cause is not None:
            _, cause_label, cause_why = cause
            found[i] = (
                f"`{name}` is not defined because {cause_label} could not run. {cause_why} "
                "This part follows from that cell and was not judged on its own."
            )
            why = f"{cause_label.capitalize()} could not run. {cause_why}"
        failed.append((i, label, why))
    return found

"""Read one submission safely and make it ready to run: the first step of grading it.

Everything here runs in the trusted grader before any student code: the
submitted notebook is read without following links (:mod:`.safe_files`),
its files are laid out as nbgrader does, and nbgrader's own steps restore
the instructor's cells. A submission that cannot be read gets a message that
says what it is instead (a link, a folder, a pipe, not UTF-8, not a notebook).
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat
from nbgrader.utils import parse_utc

from . import nbgrader_steps as steps
from .course import Course
from .integrity import changed_cells
from .safe_files import UnsafeFile, copy_tree, open_folder, read_file

if TYPE_CHECKING:
    from traitlets.config import Config

TIMESTAMP_FILE = "timestamp.txt"
#: UTF-8's byte-order mark: some editors write it; Jupyter cannot read a notebook with it.
BOM = b"\xef\xbb\xbf"


def read_timestamp(folder: Path) -> datetime | None:
    try:
        text = read_file(folder.parent, [folder.name, TIMESTAMP_FILE], max_bytes=4096)
        return parse_utc(text.decode("utf-8").strip())
    except Exception:  # noqa: BLE001 - a garbled or odd timestamp is treated as absent
        return None


def copy_files(course: Course, lesson: str, student: str, out_dir: Path) -> list[str]:
    """Lay out the autograded folder as nbgrader does: submission, then source files.

    Only regular files and folders of the submission are copied, never
    followed through a link; what was left out is returned for the TA.
    """
    if out_dir.is_symlink() or out_dir.is_file():
        out_dir.unlink()
    elif out_dir.exists():
        shutil.rmtree(out_dir)  # fd-based: does not follow links inside
    sub = course.submitted(student, lesson)
    skipped = copy_tree(sub.parent.parent, [student, lesson], out_dir, skip_suffix=".ipynb")
    for path in course.source(lesson).rglob("*"):
        if path.is_file() and path.suffix != ".ipynb":
            target = out_dir / path.relative_to(course.source(lesson))
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    return skipped


def read_submission(sub_dir: Path, notebook: str) -> tuple[bytes | None, str]:
    """The submitted notebook's bytes, or None and why not, never following a link."""
    name = f"{notebook}.ipynb"
    student, lesson = sub_dir.parent.name, sub_dir.name
    try:
        return read_file(sub_dir.parent.parent, [student, lesson, name]), ""
    except UnsafeFile as exc:
        return None, f"The submission's {exc}."
    except FileNotFoundError:
        pass
    except OSError as exc:
        return None, f"The submission's {name} could not be read ({exc.strerror})."
    try:
        with open_folder(sub_dir.parent.parent, [student, lesson]) as fd:
            others = sorted(n for n in os.listdir(fd) if n.endswith(".ipynb"))
    except (OSError, UnsafeFile):
        others = []
    hint = f" (it has {', '.join(others)}: renamed?)" if others else ""
    return None, f"The submission has no {name}{hint}."


def copy_files_or_none(course: Course, lesson: str, student: str, out_dir: Path) -> None:
    """The autograded folder of a submission that cannot run: made, even if nothing copies."""
    try:
        copy_files(course, lesson, student, out_dir)
    except (OSError, UnsafeFile):
        out_dir.mkdir(parents=True, exist_ok=True)


def sanitize(
    config: Config,
    raw: bytes,
    res: dict,
    release: nbformat.NotebookNode | None,
    snapshot: steps.GradebookSnapshot | None,
) -> dict:
    """Parse, compare with the release, restore the instructor's cells (nbgrader's steps).

    Done in a trusted process (the grader's, or a Dask worker's), before any
    student code ran on these bytes: the zygote never imports nbgrader.
    """
    text = raw.removeprefix(BOM).decode("utf-8")
    nb = nbformat.reads(text, as_version=4)
    check_cells(nb)
    changes = changed_cells(nb, release) if release is not None else []
    drop_duplicate_cells(nb)
    nb, _ = steps.sanitize(config, nb, res, snapshot)
    nb.metadata["autograder_changes"] = changes
    return json.loads(json.dumps(nb))


class MalformedNotebook(ValueError):
    """A notebook that parses as JSON but whose cells are not shaped as nbformat says."""


def check_cells(nb: nbformat.NotebookNode) -> None:
    """Cells nbformat let through but nbgrader and the judges cannot handle, named."""
    if not isinstance(nb.get("cells"), list):
        raise MalformedNotebook("the notebook has no list of cells")
    for i, cell in enumerate(nb.cells, start=1):
        if not isinstance(cell, dict):
            raise MalformedNotebook(f"cell {i} is not a cell")
        source = cell.get("source", "")
        if not (
            isinstance(source, str)
            or (isinstance(source, list) and all(isinstance(x, str) for x in source))
        ):
            kind = type(source).__name__
            raise MalformedNotebook(f"cell {i}'s source is of type {kind}, not text")
        if not isinstance(cell.get("metadata", {}), dict):
            raise MalformedNotebook(f"cell {i}'s metadata is not a mapping")
        if cell.get("cell_type") == "code" and not isinstance(cell.get("outputs", []), list):
            raise MalformedNotebook(f"cell {i}'s outputs are not a list")


def drop_duplicate_cells(nb: nbformat.NotebookNode) -> None:
    """Keep the first of several cells sharing a grade id (copies are reported, not run).

    nbgrader blanks a duplicate's metadata and then rejects the whole notebook;
    dropping the copy lets the student's real cells be graded.
    """
    seen: set[str] = set()
    kept = []
    for cell in nb.cells:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id and grade_id in seen:
            continue
        if grade_id:
            seen.add(grade_id)
        kept.append(cell)
    nb.cells = kept


def explain(exc: Exception) -> str:
    """Why a submission could not be read, in words a TA can act on."""
    kind, text = type(exc).__name__, str(exc)
    if kind == "UnicodeDecodeError":
        return "The file is not UTF-8 text, so it is not a notebook."
    if kind in ("NotJSONError", "JSONDecodeError"):
        return "The file is not valid notebook JSON (truncated or not a notebook)."
    if isinstance(exc, MalformedNotebook):
        return f"The notebook is malformed: {text}."
    if isinstance(exc, RecursionError):
        return "The notebook is nested too deeply to be a notebook."
    return f"The notebook could not be graded: {kind}: {text[:300]}"

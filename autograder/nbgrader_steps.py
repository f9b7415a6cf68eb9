"""nbgrader's own autograde steps, run in-process around our executor.

``nbgrader autograde`` sanitizes a submission (clear outputs, restore locked
and test cells from the gradebook, check metadata), executes it in a kernel,
then saves grades. We call the very same preprocessor classes, with the
course's configuration, and replace only the kernel execution. That is why
scores equal nbgrader's: the code that decides them is nbgrader's.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import nbformat
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
)
from traitlets.config import Config

from .autogrades import LATE
from .course import Course


class OnlyWhenLateAssignLatePenalties(AssignLatePenalties):
    """nbgrader's AssignLatePenalties, skipped for a submission known to be on time.

    For those it only clears the penalty, which :func:`.autogrades.write`
    does in its own transaction; nbgrader opens, queries and commits once more.
    """

    def preprocess(self, nb, resources):
        if resources.get(LATE) is False:
            return nb, resources
        return super().preprocess(nb, resources)


class GradebookSnapshot:
    """The parts of a lesson's gradebook entry that sanitizing reads.

    Taken once per lesson, so that restoring the instructor's cells and
    kernelspec in every submission needs no query: it answers the same
    lookups as ``Gradebook`` with copies of the same rows.
    """

    def __init__(self, course: Course, lesson: str, notebook: str) -> None:
        from types import SimpleNamespace as Row

        def row(cell, **extra):
            return Row(name=cell.name, **extra)

        with Gradebook(course.db_url, course.course_id) as gb:
            try:
                nb = gb.find_notebook(notebook, lesson)
            except MissingEntry:
                raise _not_released(lesson) from None
            self._source = {
                c.name: row(
                    c, cell_type=c.cell_type, source=c.source, checksum=c.checksum, locked=c.locked
                )
                for c in nb.source_cells
            }
            self._graded = {c.name: row(c, max_score=c.max_score) for c in nb.grade_cells}
            self._notebook = Row(
                kernelspec=nb.kernelspec,
                source_cells=list(self._source.values()),
                grade_cells=list(self._graded.values()),
                solution_cells=[row(c) for c in nb.solution_cells],
                task_cells=[row(c, max_score=c.max_score) for c in nb.task_cells],
            )
        self.key = (lesson, notebook)

    def __enter__(self) -> GradebookSnapshot:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def _check(self, notebook: str, lesson: str) -> None:
        if (lesson, notebook) != self.key:
            raise MissingEntry()

    def find_source_cell(self, name: str, notebook: str, lesson: str):
        self._check(notebook, lesson)
        try:
            return self._source[name]
        except KeyError:
            raise MissingEntry() from None

    def find_graded_cell(self, name: str, notebook: str, lesson: str):
        self._check(notebook, lesson)
        try:
            return self._graded[name]
        except KeyError:
            raise MissingEntry() from None

    def find_notebook(self, notebook: str, lesson: str):
        self._check(notebook, lesson)
        return self._notebook

    def max_scores(self) -> dict[str, float]:
        """Points of every graded cell, by grade id."""
        return {name: float(row.max_score) for name, row in self._graded.items()}


class SnapshotOverwriteCells(OverwriteCells):
    """nbgrader's OverwriteCells reading a :class:`GradebookSnapshot`, if one is given."""

    snapshot: GradebookSnapshot | None = None

    def preprocess(self, nb, resources):
        if self.snapshot is None:
            return super().preprocess(nb, resources)
        info = resources["nbgrader"]
        self.notebook_id, self.assignment_id = info["notebook"], info["assignment"]
        self.db_url = info["db_url"]
        self.gradebook = self.snapshot
        nb, resources = super(OverwriteCells, self).preprocess(nb, resources)
        if self.add_missing_cells:
            nb, resources = self.add_missing_grade_cells(nb, resources)
            nb, resources = self.add_missing_task_cells(nb, resources)
        return nb, resources


class SnapshotOverwriteKernelspec(OverwriteKernelspec):
    """nbgrader's OverwriteKernelspec reading a :class:`GradebookSnapshot`, if one is given.

    nbgrader's own opens the gradebook for every submission to read one
    unchanging row.
    """

    snapshot: GradebookSnapshot | None = None

    def preprocess(self, nb, resources):
        if self.snapshot is None:
            return super().preprocess(nb, resources)
        info = resources["nbgrader"]
        stored = self.snapshot.find_notebook(info["notebook"], info["assignment"]).kernelspec
        kernelspec = json.loads(stored) if stored is not None else None
        if kernelspec:  # as nbgrader's: an empty one leaves the submission's alone
            nb.metadata["kernelspec"] = kernelspec
        return nb, resources


SANITIZE = (
    ClearOutput,
    DeduplicateIds,
    SnapshotOverwriteKernelspec,
    SnapshotOverwriteCells,
    CheckCellMetadata,
)
#: nbgrader's record steps (IgnorePattern, ClearMetadata, LimitOutput, SaveAutoGrades,
#: AssignLatePenalties, CheckCellMetadata) that only read and change the notebook:
#: SaveAutoGrades and AssignLatePenalties change neither it nor what CheckCellMetadata
#: checks, and are done where the gradebook is (:mod:`.autogrades`, :func:`late_penalty`).
PREPARE_RECORD = (IgnorePattern, ClearMetadataPreprocessor, LimitOutput, CheckCellMetadata)


def _prepared_schema_validation() -> None:
    """Make nbgrader's cell-metadata validation compile each schema once.

    nbgrader calls ``jsonschema.validate`` for every cell, and that function
    re-checks the schema itself on each call: about half of nbgrader's own
    time per notebook. We point the one module that does it at a stand-in with
    the same contract: a compiled (fastjsonschema) validator says whether the
    cell is valid, and only for an invalid one does jsonschema find the same
    best-matching ``ValidationError`` to raise. Only this process is affected.
    """
    import fastjsonschema
    import jsonschema
    from nbgrader.nbgraderformat import common

    # nbgrader reads the schema from its file anew for every notebook, so the
    # same schema arrives as a new dict: the cache is keyed by content, and
    # the last schema seen is recognised by identity (its cells follow).
    compiled: dict[str, Callable] = {}
    last: list = [None, None]

    def is_valid(instance, schema) -> bool:
        if last[0] is not schema:
            key = json.dumps(schema, sort_keys=True)
            if key not in compiled:
                jsonschema.validators.validator_for(schema).check_schema(schema)
                # use_default=False: never fill defaults into the cell's metadata.
                compiled[key] = fastjsonschema.compile(schema, use_default=False)
            last[:] = [schema, compiled[key]]
        try:
            last[1](instance)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    class _PreparedJsonschema:
        ValidationError = jsonschema.ValidationError

        @staticmethod
        def validate(instance, schema) -> None:
            if is_valid(instance, schema):
                return
            validator = jsonschema.validators.validator_for(schema)(schema)
            error = jsonschema.exceptions.best_match(validator.iter_errors(instance))
            if error is not None:
                raise error

    common.jsonschema = _PreparedJsonschema


_prepared_schema_validation()


def _shared_engines() -> dict:
    """Let every ``Gradebook`` of this process share one engine per database URL.

    nbgrader builds a new SQLAlchemy engine for each ``Gradebook``; SQL
    compilation is cached per engine, so each one recompiled every query.
    ``Gradebook.close`` still disposes the connection pool, so no connection
    outlives its gradebook.
    """
    import sqlalchemy
    from nbgrader import api

    engines: dict = {}

    def create_engine(url, **kwargs):
        key = (str(url), tuple(sorted(kwargs.items())))
        if key not in engines:
            engines[key] = sqlalchemy.create_engine(url, **kwargs)
        return engines[key]

    api.create_engine = create_engine
    return engines


_ENGINES = _shared_engines()


def _create_tables_once() -> None:
    """``Gradebook()`` re-creates (checks) every table on each instantiation.

    Once the tables exist for an engine in this process they stay, so later
    checks are skipped; the first call per engine still does nbgrader's work.
    """
    from nbgrader import api

    done: set[int] = set()
    create_all = api.Base.metadata.create_all

    def create_all_once(bind=None, **kwargs):
        if id(bind) in done:
            return None
        result = create_all(bind=bind, **kwargs)
        done.add(id(bind))
        return result

    api.Base.metadata.create_all = create_all_once


_create_tables_once()


def _inspect_once() -> None:
    """``Gradebook()`` asks the database for its table names on every instantiation,
    only to know whether it is new; once it is not, the answer cannot change."""
    from nbgrader import api

    inspect = api.inspect
    known: set[int] = set()

    class _Known:
        @staticmethod
        def get_table_names():
            return ["grade"]

    def inspect_once(engine):
        if id(engine) in known:
            return _Known
        inspector = inspect(engine)
        if inspector.get_table_names():
            known.add(id(engine))
        return inspector

    api.inspect = inspect_once


_inspect_once()


class _Collect(logging.Handler):
    """Keeps the warnings nbgrader's steps log (e.g. an edited locked cell)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def resources(
    course: Course, lesson: str, student: str, notebook: str, late: bool | None = None
) -> dict[str, Any]:
    """What nbgrader's steps read; ``late`` (when known) lets on-time ones skip a query."""
    return {
        LATE: late,
        "unique_key": notebook,
        "output_files_dir": f"{notebook}_files",
        "nbgrader": {
            "student": student,
            "assignment": lesson,
            "notebook": notebook,
            "db_url": course.db_url,
        },
    }


def _run(steps, nb, res: dict, config: Config) -> tuple[nbformat.NotebookNode, list[str]]:
    """Apply nbgrader preprocessors in order, keeping the warnings they log."""
    handler = _Collect()
    for step in steps:
        pp = step(config=config)
        pp.log.addHandler(handler)
        try:
            nb, res = pp(nb, res)
        finally:
            pp.log.removeHandler(handler)
    return nb, handler.messages


def sanitize(
    config: Config, nb, res: dict, snapshot: GradebookSnapshot | None = None
) -> tuple[nbformat.NotebookNode, list[str]]:
    """Restore what the student may not change; returns warnings about changes."""
    SnapshotOverwriteCells.snapshot = SnapshotOverwriteKernelspec.snapshot = snapshot
    try:
        return _run(SANITIZE, nb, res, config)
    finally:
        SnapshotOverwriteCells.snapshot = SnapshotOverwriteKernelspec.snapshot = None


def prepare_record(config: Config, nb, res: dict) -> tuple[nbformat.NotebookNode, list[str]]:
    """nbgrader's record steps that need no gradebook, on the executed notebook.

    What SaveAutoGrades would write is then :func:`.autogrades.decide`'s, and
    :func:`.autogrades.write` writes it where the gradebook is.
    """
    return _run(PREPARE_RECORD, nb, res, config)


def late_penalty(course: Course, res: dict) -> None:
    """nbgrader's AssignLatePenalties for a submission after its grades are written."""
    _run([OnlyWhenLateAssignLatePenalties], nbformat.v4.new_notebook(), res, course.config)


def _not_released(lesson: str) -> LookupError:
    return LookupError(
        f"{lesson!r} is not in the gradebook: run `nbgrader generate_assignment {lesson}`"
    )


def zero_missing(course: Course, lesson: str, student: str, notebook: str) -> None:
    """Give zero to every grade of a notebook that could not be run at all."""
    with Gradebook(course.db_url, course.course_id) as gb:
        sub = gb.find_submission_notebook(notebook, lesson, student)
        for grade in sub.grades:
            grade.auto_score = 0
            grade.needs_manual_grade = False
        gb.db.commit()

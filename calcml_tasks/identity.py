"""Whose task a notebook shows: the student's identity, found where it can be trusted most.

In order:

1. ``CALCML_STUDENT``, which the grader sets for each submission it runs (the
   owner, from nbgrader's ``submitted/<student>/``);
2. the notebook's own folder under ``submitted/`` or ``autograded/``, where plain
   ``nbgrader autograde`` runs it;
3. ``JUPYTERHUB_USER``, on a JupyterHub;
4. the id the student typed into the notebook's marked cell.

With none of these the notebook shows the seed's own task and says how to
get one's own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Set by the grader in the process that runs a submission: the owner's id.
GRADER_STUDENT = "CALCML_STUDENT"
#: Set by the grader too: the course id of nbgrader's configuration.
GRADER_COURSE = "CALCML_COURSE"
HUB_USER = "JUPYTERHUB_USER"
#: nbgrader's folders in which a notebook's parent folder is named after its student.
_GRADED_FOLDERS = ("submitted", "autograded")


@dataclass(frozen=True)
class Identity:
    """A student id and where it came from: grader, folder, hub, typed or none."""

    student: str
    source: str


def find_identity(lesson: str, typed: str = "", *, cwd: Path | None = None) -> Identity:
    """The identity whose variant of ``lesson`` this process should show and use."""
    owner = os.environ.get(GRADER_STUDENT, "").strip()
    if owner:
        return Identity(owner, "grader")
    here = (cwd or Path.cwd()).resolve()
    if here.name == lesson and here.parent.parent.name in _GRADED_FOLDERS:
        return Identity(here.parent.name, "folder")
    hub = os.environ.get(HUB_USER, "").strip()
    if hub:
        return Identity(hub, "hub")
    typed = str(typed or "").strip()
    if typed:
        return Identity(typed, "typed")
    return Identity("", "none")


def course_id(default: str) -> str:
    """The course id: the grader's (from nbgrader's config) if set, else the notebook's."""
    return os.environ.get(GRADER_COURSE, "").strip() or default

"""The course directory: where nbgrader keeps sources, submissions and grades."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

CONFIG_FILE = "nbgrader_config.py"
#: Student ids become folder names: keep them to a safe alphabet.
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]{0,99}$")


class CourseError(Exception):
    """A problem with the course directory that the user must fix."""


@dataclass
class Course:
    """Paths and settings of one nbgrader course directory.

    >>> course = Course.open("path/to/course")  # doctest: +SKIP
    >>> course.submitted("alice", "lesson01")    # doctest: +SKIP
    PosixPath('path/to/course/submitted/alice/lesson01')
    """

    root: Path
    config: Config

    @classmethod
    def open(cls, root: str | Path = ".") -> Course:
        root = Path(root).resolve()
        if not (root / CONFIG_FILE).is_file():
            raise CourseError(f"{root} is not a course directory: no {CONFIG_FILE} there")
        try:
            config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
        except Exception as exc:  # noqa: BLE001 - the user's config file, reported in one line
            raise CourseError(f"{root / CONFIG_FILE} cannot be loaded: {exc}") from None
        # The course is where the config file is, wherever it was copied from.
        config.CourseDirectory.root = str(root)
        return cls(root=root, config=config)

    def _dir(self, name: str, default: str) -> Path:
        return self.root / str(self.config.CourseDirectory.get(f"{name}_directory", default))

    @property
    def course_id(self) -> str:
        return str(self.config.CourseDirectory.get("course_id", ""))

    @property
    def db_url(self) -> str:
        url = self.config.CourseDirectory.get("db_url")
        return str(url) if url else f"sqlite:///{self.root / 'gradebook.db'}"

    def source(self, lesson: str) -> Path:
        return self._dir("source", "source") / lesson

    def release(self, lesson: str) -> Path:
        return self._dir("release", "release") / lesson

    def submitted(self, student: str, lesson: str) -> Path:
        return self._dir("submitted", "submitted") / student / lesson

    def autograded(self, student: str, lesson: str) -> Path:
        return self._dir("autograded", "autograded") / student / lesson

    def feedback(self, student: str, lesson: str) -> Path:
        return self._dir("feedback", "feedback") / student / lesson

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def lessons(self) -> list[str]:
        base = self._dir("source", "source")
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if p.is_dir() and not p.name.startswith("."))

    def notebook_name(self, lesson: str) -> str:
        """The one notebook of a lesson (our lessons have exactly one)."""
        found = sorted(self.source(lesson).glob("*.ipynb"))
        if not found:
            raise CourseError(f"no source notebook for {lesson!r} in {self.source(lesson)}")
        return found[0].stem

    def released_notebook(self, lesson: str) -> Path:
        """Where nbgrader's generate_assignment put the lesson's student version."""
        return self.release(lesson) / f"{self.notebook_name(lesson)}.ipynb"

    def students_with_submissions(self, lesson: str) -> list[str]:
        base = self._dir("submitted", "submitted")
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if p.is_dir() and (p / lesson).is_dir())

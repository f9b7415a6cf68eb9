"""The service's own settings, in ``nbgrader_config.py`` beside nbgrader's (``c.Serve.port``...).

The exchange is nbgrader's ``Exchange.root`` and the course nbgrader's
``CourseDirectory.course_id``, so the service reads the same folders as
``nbgrader submit`` and ``nbgrader fetch_feedback``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from traitlets import Float, Int, Unicode
from traitlets.config import Configurable

from ..course import Course, CourseError


class Serve(Configurable):
    """``autograder serve``: where it listens, how often it looks, how much it takes at once."""

    ip = Unicode(
        "127.0.0.1", help="Address of the TA status page and health endpoint (localhost only)."
    ).tag(config=True)
    port = Int(8765, help="Port of the status page (0: any free port, printed at start).").tag(
        config=True
    )
    token = Unicode(
        "",
        help="Token the status page asks for ('Authorization: token ...' or ?token=). Empty: "
        "the AUTOGRADER_SERVE_TOKEN environment variable, else one made at start and saved "
        "in serve/token (readable by its owner only).",
    ).tag(config=True)
    poll_interval = Float(0.5, help="Seconds between two looks at the exchange inbound.").tag(
        config=True
    )
    batch = Int(
        20, help="At most this many submissions are graded together (one per student)."
    ).tag(config=True)


def exchange_root(course: Course, override: str | None = None) -> Path:
    """nbgrader's exchange root for this course (``--exchange`` wins over ``Exchange.root``)."""
    root = override or course.config.Exchange.get("root", "/srv/nbgrader/exchange")
    if not course.course_id:
        raise CourseError("nbgrader_config.py sets no CourseDirectory.course_id: serve needs one")
    return Path(root)


def state_dir(course: Course) -> Path:
    """Where the service keeps its ledger and token."""
    return course.root / "serve"


def resolve_token(course: Course, settings: Serve) -> str:
    """The configured token, or the environment's, or a fresh one saved for the TA."""
    if settings.token:
        return settings.token
    if os.environ.get("AUTOGRADER_SERVE_TOKEN"):
        return os.environ["AUTOGRADER_SERVE_TOKEN"]
    token = secrets.token_urlsafe(24)
    write_secret(state_dir(course) / "token", token)
    return token


def write_secret(path: Path, text: str) -> None:
    """``text`` in a new file at ``path`` that only its owner reads (an old one is replaced:
    opening it again would keep whatever mode it had)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(text + "\n")

"""``autograder grade`` handed to the course's running ``autograder serve``.

A serve keeps a warm pool all term; a ``grade`` command that starts its own
spends about two seconds importing and warming before its first notebook
runs. While a serve of the course runs, ``grade`` asks it instead: the
command only sends what to grade and prints the summary it gets back, and
the serve grades between its own batches, with the same pipeline and pool,
so a TA's grading and the students' never write the gradebook at once.

The serve listens on an abstract Unix socket named after the course folder:
sandboxed notebooks, in a network namespace of their own, cannot reach it.
Both ends check the other's uid, and the command proves it is the TA's with
a token the serve writes to ``serve/grade-token`` (readable by its owner
only), which a confined notebook cannot read. A command that finds no serve,
cannot read the token, or asks for settings the serve's pool lacks (no
sandbox, no figures) grades in its own process; so does one whose serve
stops before answering (what it graded is kept, and skipped).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import queue
import secrets
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .settings import write_secret

log = logging.getLogger("autograder.serve")

#: The longest request line a serve reads.
MAX_REQUEST = 64 * 1024
#: Seconds a connection has to send its request.
REQUEST_TIMEOUT = 5.0


def address(course_root: Path) -> bytes:
    """The abstract socket name of the serve of the course at ``course_root``."""
    digest = hashlib.sha256(str(Path(course_root).resolve()).encode()).hexdigest()[:32]
    return b"\0calcml-grader/" + digest.encode()


def token_path(state: Path) -> Path:
    return state / "grade-token"


def fingerprint(course_root: Path) -> str:
    """The course's configuration and the grader's code as they are now.

    A serve answers only commands that see what it loaded: one started before
    ``nbgrader_config.py`` or the grader's code changed must not grade with
    the old.
    """
    from importlib.util import find_spec

    digest = hashlib.sha256()
    try:
        digest.update((Path(course_root) / "nbgrader_config.py").read_bytes())
    except OSError:
        digest.update(b"no configuration")
    roots = [Path(__file__).resolve().parent.parent]  # this package, and the judges' code:
    for name in ("reference", "calcml_tasks"):  # found, not imported (the command stays light)
        spec = find_spec(name)
        roots += [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            stat = path.stat()
            digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _peer_uid(sock: socket.socket) -> int:
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return struct.unpack("3i", creds)[1]


def _trusted(uid: int) -> bool:
    return uid in (os.getuid(), 0)


def _send(conn: socket.socket, message: dict) -> None:
    conn.sendall(json.dumps(message).encode() + b"\n")


@dataclass
class Request:
    """What a ``grade`` command asked for; :meth:`accept` then :meth:`finish` answer it."""

    conn: socket.socket
    lessons: list[str]
    students: list[str] | None
    force: bool
    cell_timeout: float | None

    def accept(self, **about) -> None:
        self._tell({"accepted": os.getpid(), **about})

    def finish(self, summary: list[dict]) -> None:
        self._tell({"summary": summary})
        self.conn.close()

    def refuse(self, reason: str) -> None:
        self._tell({"refused": reason})
        self.conn.close()

    def _tell(self, message: dict) -> None:
        # The command may have gone away (Ctrl-C); what was graded is recorded all the same.
        with contextlib.suppress(OSError):
            _send(self.conn, message)


def parse(
    line: bytes, *, token: str, lessons: list[str], sandbox: bool, figures: bool, seen: str = ""
):
    """The request in ``line`` as keyword arguments of :class:`Request`, or why it is refused.

    ``seen`` is the :func:`fingerprint` of what the serve loaded.

    >>> ok = dict(token="t", lessons=["l1"], sandbox=True, figures=True)
    >>> parse(b'{"token": "t", "lessons": ["l1"], "sandbox": true, "figures": true}', **ok)
    {'lessons': ['l1'], 'students': None, 'force': False, 'cell_timeout': None}
    >>> parse(b'{"token": "x", "lessons": ["l1"]}', **ok)
    'not the TA: wrong token'
    >>> parse(b'{"token": "t", "lessons": ["l9"], "sandbox": true, "figures": true}', **ok)
    "unknown lesson 'l9'"
    """
    try:
        request = json.loads(line)
    except ValueError:
        return "not a grade request"
    if not isinstance(request, dict):
        return "not a grade request"
    given = request.get("token")
    if not isinstance(given, str) or not hmac.compare_digest(given.encode(), token.encode()):
        return "not the TA: wrong token"
    wanted, students = request.get("lessons"), request.get("students")
    cell_timeout, force = request.get("cell_timeout"), request.get("force", False)
    if not isinstance(wanted, list) or not wanted or not all(isinstance(x, str) for x in wanted):
        return "no lessons named"
    unknown = [x for x in wanted if x not in lessons]
    if unknown:
        return f"unknown lesson {unknown[0]!r}"
    if students is not None and not (
        isinstance(students, list) and all(isinstance(s, str) for s in students)
    ):
        return "students must be a list of ids"
    if cell_timeout is not None and (
        isinstance(cell_timeout, bool) or not isinstance(cell_timeout, int | float)
    ):
        return "cell_timeout must be a number"
    if not isinstance(force, bool):
        return "force must be true or false"
    if request.get("seen", "") != seen:
        return (
            "nbgrader_config.py or the grader's code changed since the serve started "
            "(restart it to grade with the change)"
        )
    if request.get("sandbox") is not sandbox or request.get("figures") is not figures:
        return "settings differ: this serve grades with " + (
            f"sandbox {'on' if sandbox else 'off'}, figures {'on' if figures else 'off'}"
        )
    return {"lessons": wanted, "students": students, "force": force, "cell_timeout": cell_timeout}


class Listener:
    """The serve's end: takes ``grade`` requests for the service loop to answer in turn."""

    def __init__(
        self, course_root: Path, state: Path, *, lessons: list[str], sandbox: bool, figures: bool
    ) -> None:
        self.address = address(course_root)
        self.state, self.lessons = state, lessons
        self.sandbox, self.figures = sandbox, figures
        self.token = secrets.token_urlsafe(24)
        self.seen = fingerprint(course_root)
        self.requests: queue.Queue[Request] = queue.Queue()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()

    def start(self) -> bool:
        """Listen; False when another serve of this course already does (then none is taken)."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(self.address)
        except OSError:
            sock.close()
            log.warning("another serve of this course takes grade commands; this one does not")
            return False
        write_secret(token_path(self.state), self.token)
        sock.listen(8)
        self._sock = sock
        self._thread = threading.Thread(target=self._accept, name="grade-handoff", daemon=True)
        self._thread.start()
        return True

    def take(self, timeout: float) -> Request | None:
        """The next request, waiting up to ``timeout`` seconds; None if there is none."""
        try:
            return self.requests.get(timeout=timeout) if timeout > 0 else self.requests.get_nowait()
        except queue.Empty:
            return None

    def stop(self) -> None:
        """Stop listening; requests not yet answered are told to grade on their own."""
        self._closing.set()
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
            # The address is free only once accept() has returned: until then the
            # kernel's socket outlives the closed descriptor.
            self._thread.join(timeout=5)
            self._sock.close()
            token_path(self.state).unlink(missing_ok=True)
        while (request := self.take(0)) is not None:
            request.refuse("serve is stopping")

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return  # closed by stop()
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        try:
            if not _trusted(_peer_uid(conn)):
                conn.close()
                return
            conn.settimeout(REQUEST_TIMEOUT)
            line = b""
            while not line.endswith(b"\n") and len(line) <= MAX_REQUEST:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                line += chunk
            conn.settimeout(None)
        except OSError:
            conn.close()
            return
        parsed = parse(
            line,
            token=self.token,
            lessons=self.lessons,
            sandbox=self.sandbox,
            figures=self.figures,
            seen=self.seen,
        )
        if isinstance(parsed, str):
            log.warning("a grade command was refused: %s", parsed)
            Request(conn, [], None, False, None).refuse(parsed)
        elif self._closing.is_set():
            Request(conn, **parsed).refuse("serve is stopping")
        else:
            self.requests.put(Request(conn, **parsed))


def hand_off(
    course_root: Path,
    state: Path,
    *,
    lessons: list[str],
    students: list[str] | None,
    force: bool,
    cell_timeout: float | None,
    sandbox: bool,
    figures: bool,
    note: Callable[[str], None],
) -> list[dict] | None:
    """The command's end: the summary of the grading the serve did, or None to grade here.

    ``note`` is told, in one line each, where the grading happens and why.
    """
    try:
        token = token_path(state).read_text().strip()
    except OSError:
        return None  # no serve ever ran here, or not this user's
    request = {
        "token": token,
        "lessons": lessons,
        "students": students,
        "force": force,
        "cell_timeout": cell_timeout,
        "sandbox": sandbox,
        "figures": figures,
        "seen": fingerprint(course_root),
    }
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    accepted = False
    try:
        sock.settimeout(REQUEST_TIMEOUT)
        sock.connect(address(course_root))
        if not _trusted(_peer_uid(sock)):
            note("the socket of this course's serve is another user's: grading here")
            return None
        _send(sock, request)
        answers = sock.makefile("rb")
        first = json.loads(answers.readline() or b"{}")
        if "accepted" not in first:
            reason = first.get("refused", "it did not answer")
            note(f"the running serve did not take this grade ({reason}): grading here")
            return None
        accepted = True
        note(f"grading in the running serve (pid {first['accepted']}, {first.get('pool', '')})")
        sock.settimeout(None)  # a class takes as long as it takes
        last = json.loads(answers.readline() or b"{}")
    except (OSError, ValueError):
        last = {}
        if not accepted:
            return None  # no serve listening
    finally:
        sock.close()
    if "refused" in last:
        note(f"the serve could not grade it ({last['refused']}): grading here")
        return None
    if "summary" not in last:
        note("the serve stopped before it finished: grading the rest here (what it graded is kept)")
        return None
    return last["summary"]

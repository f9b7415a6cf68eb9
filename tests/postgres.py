"""A real PostgreSQL server for a test session, on loopback, in a temporary folder.

Debian's package (``apt-get install postgresql``, which ``.ci/run`` does)
provides the binaries; the server runs as the ``postgres`` user when the tests
run as root (initdb refuses root) and stops at the end of the session.
"""

from __future__ import annotations

import glob
import os
import socket
import subprocess
from pathlib import Path

import pytest


def _bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    if not found:
        pytest.fail("PostgreSQL is missing: run `apt-get install postgresql` (CI's .ci/run does)")
    return Path(found[-1]).parent


def _postgres_ids() -> tuple[int, int]:
    import pwd

    entry = pwd.getpwnam("postgres")
    return entry.pw_uid, entry.pw_gid


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, root: Path) -> None:
        self.bin, self.root, self.port = _bin(), root, _free_port()
        self.data = root / "data"
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *cmd: str) -> None:
        subprocess.run([*self._as, *cmd], check=True, capture_output=True, timeout=120)

    def start(self) -> Server:
        self.root.mkdir(parents=True, exist_ok=True)
        if self._as:
            os.chown(self.root, *_postgres_ids())
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "grader")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )
        return self

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def database(self, name: str) -> str:
        """A fresh database; its SQLAlchemy URL."""
        import psycopg

        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user=grader dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://grader@127.0.0.1:{self.port}/{name}"

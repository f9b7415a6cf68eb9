"""A real Dask cluster on localhost: a scheduler and worker processes, as a TA starts them.

Each is its own ``dask`` command (no in-process cluster), so a test can kill a
worker with SIGKILL exactly as a machine is lost.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

DASK = str(Path(sys.executable).with_name("dask"))


class Cluster:
    def __init__(
        self, root: Path, workers: int = 2, threads: int = 1, env: dict | None = None
    ) -> None:
        #: Dask settings for every process, as ``DASK_...`` variables.
        self.root, self.threads, self.env = root, threads, env or {}
        self.file = root / "scheduler.json"
        self.scheduler: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []
        self.wanted = workers

    def _spawn(self, name: str, *args: str) -> subprocess.Popen:
        log = (self.root / f"{name}.log").open("w")
        return subprocess.Popen(
            [DASK, *args],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, **self.env},
        )

    def start(self) -> Cluster:
        self.root.mkdir(parents=True, exist_ok=True)
        self.scheduler = self._spawn(
            "scheduler",
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(self.file),
        )
        self._wait(lambda: self.file.is_file() and self.file.stat().st_size > 0, "scheduler")
        for _ in range(self.wanted):
            self.add_worker()
        self._wait(lambda: len(self.info()) >= self.wanted, "workers")
        return self

    def add_worker(self) -> subprocess.Popen:
        worker = self._spawn(
            f"worker{len(self.workers)}",
            "worker",
            "--scheduler-file",
            str(self.file),
            "--nthreads",
            str(self.threads),
            "--no-nanny",
            "--no-dashboard",
            "--local-directory",
            str(self.root / "scratch"),
        )
        self.workers.append(worker)
        return worker

    @property
    def address(self) -> str:
        return json.loads(self.file.read_text())["address"]

    def client(self):
        from distributed import Client

        return Client(self.address, timeout=30)

    def info(self) -> dict:
        """The scheduler's workers, by address."""
        with self.client() as client:
            return client.scheduler_info(n_workers=-1)["workers"]

    def kill(self, pid: int) -> None:
        """Lose a worker as a machine is lost: SIGKILL, no goodbye."""
        assert pid in {w.pid for w in self.workers}, "not one of this cluster's workers"
        os.kill(pid, signal.SIGKILL)

    def _wait(self, ready, what: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                logs = "\n".join(p.read_text()[-2000:] for p in self.root.glob("*.log"))
                raise AssertionError(f"the Dask {what} did not start:\n{logs}")
            time.sleep(0.2)

    def stop(self) -> None:
        """Workers first (they say goodbye to the scheduler), then the scheduler."""
        for group in (self.workers, [self.scheduler]):
            live = [p for p in group if p is not None and p.poll() is None]
            for proc in live:
                os.killpg(proc.pid, signal.SIGTERM)
            for proc in live:
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()


def kill_when_processing(cluster: Cluster, marker: str, after: float = 0.5, timeout=120.0):
    """Kill the worker running the task whose key contains ``marker``, once it has for a while.

    Returns the killed worker's pid (None if the task never showed up).
    """
    with cluster.client() as client:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for address, keys in client.processing().items():
                if any(marker in str(k) for k in keys):
                    time.sleep(after)
                    pid = client.run(os.getpid, workers=[address])[address]
                    cluster.kill(pid)
                    return pid
            time.sleep(0.02)
    return None

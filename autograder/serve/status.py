"""The TA's status page (``/``) and a JSON health endpoint (``/health``), on tornado.

Both read the ledger (a connection per request: the grading loop has its own)
and ask for the service's token, as ``Authorization: token <t>`` or
``?token=<t>``. Bound to localhost by default; a TA reaches it through an SSH
tunnel or JupyterHub's service proxy.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import threading
import time
from collections import Counter
from pathlib import Path

import tornado.httpserver
import tornado.netutil
import tornado.web

from ..templates import template
from .ledger import Ledger
from .limits import clock

_PAGE = template("status.html.j2")


def percentile(values: list[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) by linear interpolation; None for no values.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    """
    if not values:
        return None
    xs = sorted(values)
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def health(ledger_path: Path, started: float, busy: bool, window: float = 3600.0) -> dict:
    """What the service is doing, as plain data (the JSON endpoint and the page)."""
    ledger = Ledger(ledger_path)
    try:
        queued = ledger.queued()
        done = ledger.done_since(time.time() - window)
        recent = ledger.recent(30)
        counts = ledger.counts()
    finally:
        ledger.close()
    latencies = [a.latency for a in done if a.latency is not None]
    lessons: dict[str, dict[str, int]] = {}
    for (lesson, state), n in counts.items():
        lessons.setdefault(lesson, {})[state] = n
    flags = Counter(f for a in recent for f in a.flags.split(",") if f)
    return {
        "status": "ok",
        "uptime_s": round(time.time() - started, 1),
        "busy": busy,
        "queued": len(queued),
        "oldest_queued_s": round(time.time() - queued[0].seen, 1) if queued else 0.0,
        "latency_s": {
            "window_s": window,
            "n": len(latencies),
            "p50": _round(percentile(latencies, 50)),
            "p95": _round(percentile(latencies, 95)),
            "max": _round(max(latencies) if latencies else None),
        },
        "lessons": lessons,
        "flags": dict(flags),
        "recent": [
            {
                "student": a.student,
                "lesson": a.lesson,
                "state": a.state,
                "attempt": a.number,
                "score": a.score,
                "max": a.max_score,
                "recorded": a.recorded,
                "reason": a.reason,
                "flags": [f for f in a.flags.split(",") if f],
                "done": clock(a.done) if a.done else None,
                "latency_s": _round(a.latency),
            }
            for a in recent
        ],
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


class _Base(tornado.web.RequestHandler):
    def initialize(self, token: str, state: dict) -> None:
        self.token, self.state = token, state

    def prepare(self) -> None:
        given = self.get_argument("token", "")
        header = self.request.headers.get("Authorization", "")
        if header.lower().startswith("token "):
            given = header[6:].strip()
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            self.set_status(403)
            self.finish({"error": "a valid token is needed (Authorization: token ...)"})

    def _health(self) -> dict:
        s = self.state
        return health(s["ledger"], s["started"], s["busy"].is_set())


class HealthHandler(_Base):
    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(self._health()))


class PageHandler(_Base):
    def get(self) -> None:
        data = self._health()
        self.finish(_PAGE.render(h=data, course=self.state["course"], now=clock(time.time())))


class StatusServer:
    """The tornado app on its own thread and event loop; :meth:`stop` ends both."""

    def __init__(self, *, ip: str, port: int, token: str, state: dict) -> None:
        self.app = tornado.web.Application(
            [
                (r"/", PageHandler, {"token": token, "state": state}),
                (r"/health", HealthHandler, {"token": token, "state": state}),
            ]
        )
        self.ip, self.port = ip, port
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._serve, name="status", daemon=True)

    def start(self) -> int:
        """Start listening; the port bound (useful with port 0)."""
        self._thread.start()
        self._ready.wait(10)
        return self.port

    def _serve(self) -> None:
        self._loop = asyncio.new_event_loop()
        asyncio.set_event_loop(self._loop)
        sockets = tornado.netutil.bind_sockets(self.port, address=self.ip)
        self.port = sockets[0].getsockname()[1]
        server = tornado.httpserver.HTTPServer(self.app)
        server.add_sockets(sockets)
        self._ready.set()
        self._loop.run_forever()
        server.stop()

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

"""The TA's status page and health endpoint: token required, figures from the ledger."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from autograder.serve.ledger import Attempt, Ledger
from autograder.serve.status import StatusServer, percentile


def test_percentile_interpolates():
    assert percentile([], 50) is None
    assert percentile([3.0], 95) == 3.0
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 95) == pytest.approx(4.8)


@pytest.fixture
def server(tmp_path):
    ledger = Ledger(tmp_path / "l.sqlite")
    now = time.time()
    for i, student in enumerate(("ada", "bob", "cy")):
        a = Attempt(f"{student}+lesson01+t", student, "lesson01", "t", seen=now - 10)
        ledger.add(a)
        a.state, a.number, a.score, a.max_score = "graded", 1, 1.0, 2.0
        a.flags, a.done = ("late" if student == "bob" else ""), now - 10 + (i + 1)
        ledger.finish(a)
    ledger.add(Attempt("dee+lesson02+t", "dee", "lesson02", "t", seen=now - 5))
    state = {"ledger": ledger.path, "started": now, "busy": threading.Event(), "course": "c"}
    srv = StatusServer(ip="127.0.0.1", port=0, token="sekret", state=state)
    port = srv.start()
    yield f"http://127.0.0.1:{port}"
    srv.stop()


def _get(url, token=None):
    req = urllib.request.Request(url)
    if token:
        req.add_header("Authorization", f"token {token}")
    with urllib.request.urlopen(req, timeout=10) as resp:
        return resp.status, resp.read().decode()


@pytest.mark.parametrize("path", ["/", "/health"])
def test_no_or_wrong_token_is_refused(server, path):
    for token in (None, "wrong"):
        with pytest.raises(urllib.error.HTTPError) as err:
            _get(server + path, token)
        assert err.value.code == 403


def test_health_reports_queue_latency_lessons_and_flags(server):
    status, body = _get(server + "/health", "sekret")
    data = json.loads(body)
    assert status == 200 and data["queued"] == 1
    assert data["latency_s"]["n"] == 3 and data["latency_s"]["p50"] == pytest.approx(2.0, abs=0.01)
    assert data["lessons"] == {"lesson01": {"graded": 3}, "lesson02": {"queued": 1}}
    assert data["flags"] == {"late": 1}
    assert {r["student"] for r in data["recent"]} == {"ada", "bob", "cy"}


def test_the_page_shows_the_same_and_takes_the_token_as_a_query(server):
    status, page = _get(server + "/?token=sekret")
    assert status == 200 and "Queue: <strong>1</strong>" in page
    assert "p50 2.0" in page and "lesson02" in page and "late: 1" in page

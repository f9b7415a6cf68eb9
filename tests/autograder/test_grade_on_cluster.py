"""``autograder grade --scheduler``: a real Dask cluster grades a class as the local pool does.

The scheduler and workers are ``dask`` processes on localhost; one worker is
killed (SIGKILL) while it runs a submission. Every submission is still graded
once, with the scores, feedback notes and flags of local grading, in nbgrader's
gradebook and in the autograder's result files.
"""

from __future__ import annotations

import json
import shutil
import threading

import pytest

from autograder.results import load
from tests.dask_cluster import Cluster, kill_when_processing
from tests.source.course import cell_scores

from .conftest import notebooks
from .test_cli_e2e import cli


def _submit(course, subs):
    for student, data in subs.items():
        folder = course / "submitted" / student / "lesson01"
        folder.mkdir(parents=True)
        (folder / "lesson01.ipynb").write_bytes(data)


def _slow(solver: bytes) -> bytes:
    """The solution, with a first answer cell that takes a few seconds."""
    nb = json.loads(solver)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and cell["metadata"].get("nbgrader", {}).get("solution"):
            source = "".join(cell["source"])
            cell["source"] = "import time\ntime.sleep(4)\n" + source
            break
    return json.dumps(nb).encode()


def _graded(course, students):
    out = {}
    for student in students:
        result = load(course / "autograded" / student / "lesson01")
        assert result is not None, student
        out[student] = (
            result.status,
            sorted(result.flags),
            [(c.grade_id, c.points, c.max_points, c.note) for c in result.cells],
            cell_scores(course, "lesson01", student),
        )
    return out


@pytest.fixture
def cluster(tmp_path):
    cluster = Cluster(tmp_path / "cluster", workers=2).start()
    yield cluster
    cluster.stop()


def test_a_cluster_with_a_worker_lost_grades_as_the_local_pool(course, tmp_path, cluster):
    subs = notebooks(course, "lesson01")
    subs["slow"] = _slow(subs["solver"])
    other = tmp_path / "on-cluster"
    shutil.copytree(course, other)
    _submit(course, subs)
    _submit(other, subs)
    cli(course, "grade", "lesson01", "--quiet")
    local = _graded(course, subs)
    assert local["slow"][2] == local["solver"][2] and local["solver"][0] == "graded"

    killed = {}
    killer = threading.Thread(
        target=lambda: killed.setdefault("pid", kill_when_processing(cluster, "-lesson01/slow-"))
    )
    killer.start()
    proc = cli(other, "grade", "lesson01", "--quiet", "--scheduler", cluster.address)
    killer.join()
    assert killed["pid"] is not None, "the slow submission never ran on a worker"
    assert f"graded {len(subs)}," in proc.stdout
    assert _graded(other, subs) == local
    # A second run finds everything graded: nothing was left half-done by the lost worker.
    again = cli(other, "grade", "lesson01", "--quiet", "--scheduler", cluster.address)
    assert f"graded 0, already graded {len(subs)}" in again.stdout


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        # Port 9 (discard) has no scheduler: the command says so and grades nothing.
        ("c.Cluster.scheduler", "no Dask scheduler answered at tcp://127.0.0.1:9"),
        # traitlets alone would warn and grade on this machine, as if no scheduler were set.
        (
            "c.Cluster.schedular",
            "c.Cluster.schedular is not a setting (settings: batch, in_flight, scheduler, timeout)",
        ),
    ],
)
def test_a_cluster_setting_that_cannot_work_is_a_clear_error(course, setting, message):
    with open(course / "nbgrader_config.py", "a") as fh:
        fh.write(f"\n{setting} = 'tcp://127.0.0.1:9'\n")
    proc = cli(course, "grade", "lesson01", "--quiet", check=False)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert not (course / "autograded").exists()

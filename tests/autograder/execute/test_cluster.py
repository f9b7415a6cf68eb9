"""The Dask executor on a real localhost cluster: files travel, each result comes once."""

from __future__ import annotations

import operator
import os
import signal
import threading
import time

import pytest

from autograder.execute.cluster import DaskExecutor, Packed, pack, unpack
from autograder.execute.executor import ClusterError, open_executor
from autograder.execute.pool import Job
from tests.autograder.execute.test_pool import _nb
from tests.dask_cluster import Cluster, kill_when_processing


@pytest.fixture
def cluster(tmp_path):
    cluster = Cluster(tmp_path / "cluster", workers=2).start()
    yield cluster
    cluster.stop()


def test_a_job_carries_the_regular_files_of_its_folder(tmp_path):
    folder = tmp_path / "job"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "points.csv").write_bytes(b"1,2\n")
    (folder / "notes.txt").write_text("hi")
    (folder / "link").symlink_to("/etc/passwd")
    (folder / "dirlink").symlink_to(tmp_path)
    packed = pack(Job("k", _nb("1"), str(folder)))
    assert packed.files == {"data/points.csv": b"1,2\n", "notes.txt": b"hi"}
    there = tmp_path / "there"
    there.mkdir()
    job = unpack(packed, there)
    assert job.cwd == str(there) and (there / "data" / "points.csv").read_bytes() == b"1,2\n"


@pytest.mark.parametrize("name", ["../up.txt", "/abs.txt", "a/../../b"])
def test_unpacking_never_writes_outside_the_scratch_folder(tmp_path, name):
    with pytest.raises(ClusterError, match="outside"):
        unpack(Packed(Job("k", _nb("1"), "/nowhere"), {name: b"x"}), tmp_path)


def test_no_scheduler_is_a_clear_error():
    with pytest.raises(ClusterError, match="no Dask scheduler answered at tcp://127.0.0.1:9"):
        DaskExecutor("tcp://127.0.0.1:9", timeout=2)


def test_jobs_run_on_the_workers_with_their_files(cluster, tmp_path):
    folder = tmp_path / "job"
    folder.mkdir()
    (folder / "x.txt").write_text("41")
    jobs = [
        Job(f"s{i}", _nb("print(int(open('x.txt').read()) + 1)", f"{i} * 2"), str(folder))
        for i in range(6)
    ]
    with open_executor(scheduler=cluster.address, warm_modules=["numpy"]) as executor:
        outcomes = {o.key: o for o in executor.run(jobs)}
    assert sorted(outcomes) == [f"s{i}" for i in range(6)]
    for i in range(6):
        first, second = (c["outputs"] for c in outcomes[f"s{i}"].notebook["cells"])
        assert first == [{"output_type": "stream", "name": "stdout", "text": "42\n"}]
        assert second[0]["data"]["text/plain"] == str(i * 2)
    # The worker ran them in its confined children, not in itself.
    assert all(o.status == "ok" for o in outcomes.values())


def test_a_worker_lost_mid_batch_loses_and_doubles_nothing(cluster, tmp_path):
    jobs = [
        Job(f"s{i}", _nb("import time; time.sleep(1.0)", f"'done {i}'"), str(tmp_path))
        for i in range(8)
    ]
    killed = {}
    killer = threading.Thread(
        target=lambda: killed.setdefault("pid", kill_when_processing(cluster, "-s3-"))
    )
    with DaskExecutor(cluster.address, warm_modules=[], in_flight=3) as executor:
        killer.start()
        keys = []
        for outcome in executor.run(jobs):
            keys.append(outcome.key)
            assert outcome.status == "ok", outcome.detail
            last = outcome.notebook["cells"][1]["outputs"][0]["data"]["text/plain"]
            assert last == f"'done {outcome.key[1:]}'"
        killer.join()
    assert killed["pid"] is not None, "the batch ended before a worker could be lost"
    (lost,) = [w for w in cluster.workers if w.pid == killed["pid"]]
    assert lost.wait(timeout=10) == -signal.SIGKILL
    assert sorted(keys) == sorted(j.key for j in jobs)  # every job once, none twice


def test_another_client_of_the_process_leaves_the_executor_unaffected(cluster, tmp_path):
    # A client made in the same process (as the lost-worker tests' killer makes one)
    # becomes the process's default while it lives; what took its event loop for the
    # executor's futures would wait forever once it closes.
    jobs = [Job(f"s{i}", _nb(f"{i} * 3"), str(tmp_path)) for i in range(8)]
    with DaskExecutor(cluster.address, warm_modules=[], batch=1, in_flight=2) as executor:
        other = cluster.client()
        outcomes = executor.run(jobs)
        keys = [next(outcomes).key]  # the grade started while the other client lived
        other.close()
        runner = threading.Thread(target=lambda: keys.extend(o.key for o in outcomes), daemon=True)
        runner.start()
        runner.join(timeout=120)
        assert not runner.is_alive(), "the grade hung once another client had closed"
    assert sorted(keys) == sorted(j.key for j in jobs)


def test_a_job_too_big_to_send_is_its_own_failure(cluster, tmp_path, monkeypatch):
    import autograder.execute.cluster as dask_cluster

    monkeypatch.setattr(dask_cluster, "MAX_FILES_BYTES", 1000)
    big, small = tmp_path / "big", tmp_path / "small"
    big.mkdir()
    small.mkdir()
    (big / "data.bin").write_bytes(b"x" * 5000)
    jobs = [Job("big", _nb("'big'"), str(big))] + [
        Job(f"s{i}", _nb(f"{i}"), str(small)) for i in range(3)
    ]
    with DaskExecutor(cluster.address, warm_modules=[]) as executor:
        outcomes = {o.key: o for o in executor.run(jobs)}
    assert sorted(outcomes) == ["big", "s0", "s1", "s2"]
    assert outcomes["big"].status == "crashed" and "exceed" in outcomes["big"].detail
    assert all(outcomes[f"s{i}"].status == "ok" for i in range(3))


class Counting(DaskExecutor):
    """The real executor, noting how many jobs each task carried."""

    def start_zygotes(self) -> str:
        self.sizes: list[int] = []
        return super().start_zygotes()

    def task(self, batch):
        self.sizes.append(len(batch))
        return super().task(batch)


def test_jobs_travel_in_batches_and_each_comes_back_once(cluster, tmp_path):
    jobs = [Job(f"s{i}", _nb(f"{i} + 100"), str(tmp_path)) for i in range(7)]
    with Counting(cluster.address, warm_modules=[], batch=3) as executor:
        outcomes = {o.key: o for o in executor.run(jobs)}
    assert sorted(outcomes) == sorted(j.key for j in jobs)
    for i in range(7):
        assert outcomes[f"s{i}"].notebook["cells"][0]["outputs"][0]["data"]["text/plain"] == str(
            i + 100
        )
    assert sum(executor.sizes) == 7 and max(executor.sizes) == 3


class Failing(DaskExecutor):
    """Tasks for the job ``bad`` fail on the worker: raise there, or take the worker down."""

    how: tuple = ()

    def task(self, batch):
        if any(packed.job.key == "bad" for packed in batch):
            return self.how
        return super().task(batch)


def test_a_task_that_raises_on_a_worker_is_an_error_naming_the_job(cluster, tmp_path):
    class Raising(Failing):
        how = (operator.truediv, 1, 0)

    executor = Raising(cluster.address, warm_modules=[], batch=1)
    with executor, pytest.raises(ClusterError, match="could not run bad: ZeroDivisionError"):
        list(executor.run([Job("bad", _nb("1"), str(tmp_path))]))


def test_a_task_every_worker_dies_on_is_lost_alone(tmp_path):
    # No retries: the first worker lost running it condemns the task.
    cluster = Cluster(
        tmp_path / "cluster", workers=2, env={"DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    ).start()

    class Dying(Failing):
        how = (os._exit, 1)

    try:
        jobs = [Job("bad", _nb("1"), str(tmp_path))] + [
            Job(f"s{i}", _nb(f"{i}"), str(tmp_path)) for i in range(3)
        ]
        # One task on the cluster at a time: with no retries, a task queued on the dying
        # worker beside it would be condemned too.
        with Dying(cluster.address, warm_modules=[], batch=1, in_flight=1) as executor:
            outcomes = {o.key: o for o in executor.run(jobs)}
    finally:
        cluster.stop()
    assert sorted(outcomes) == ["bad", "s0", "s1", "s2"]
    assert outcomes["bad"].status == "crashed"
    assert "every worker that ran it was lost" in outcomes["bad"].detail
    assert all(outcomes[f"s{i}"].status == "ok" for i in range(3))


def test_a_task_the_cluster_cancels_is_an_error_naming_the_job(cluster, tmp_path):
    from distributed import Future

    def cancel_when_processing():
        with cluster.client() as other:
            for _ in range(3000):
                keys = [k for ks in other.processing().values() for k in ks if "-s1-" in str(k)]
                if keys:  # as a TA's second client, or the scheduler stopping, would
                    other.cancel([Future(keys[0], client=other)], force=True)
                    return
                time.sleep(0.02)

    jobs = [Job(f"s{i}", _nb("import time; time.sleep(2)"), str(tmp_path)) for i in range(3)]
    canceller = threading.Thread(target=cancel_when_processing)
    executor = DaskExecutor(cluster.address, warm_modules=[], batch=1)
    with executor, pytest.raises(ClusterError, match="the cluster cancelled s1"):
        canceller.start()
        list(executor.run(jobs))
    canceller.join()


class Fetching(DaskExecutor):
    """The real executor, noting how many finished tasks each fetch brought back."""

    def _fetch(self, futures):
        self.fetches = [*getattr(self, "fetches", []), len(futures)]
        return super()._fetch(futures)


def test_tasks_that_finished_together_are_fetched_together(cluster, tmp_path):
    # Two jobs finish while the grader is busy with the first: they come in one fetch.
    jobs = [Job(f"s{i}", _nb(f"{i}"), str(tmp_path)) for i in range(12)]
    with Fetching(cluster.address, warm_modules=[], batch=1) as executor:
        keys = []
        for outcome in executor.run(jobs):
            keys.append(outcome.key)
            time.sleep(0.3)
    assert sorted(keys) == sorted(j.key for j in jobs)
    assert sum(executor.fetches) == 12 and max(executor.fetches) > 1


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ({"in_flight": -1}, "c.Cluster.in_flight must be 0 or more"),
        ({"batch": 0}, "batch must be 1"),
    ],
)
def test_settings_out_of_range_are_refused_before_any_connection(setting, message):
    with pytest.raises(ClusterError, match=message):
        open_executor(scheduler="tcp://127.0.0.1:9", warm_modules=[], timeout=1, **setting)

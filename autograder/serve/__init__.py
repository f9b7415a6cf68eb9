"""``autograder serve``: feedback while students work, through nbgrader's exchange.

:func:`serve` wires the pieces: the course's settings (:mod:`.settings`) and
policies (:mod:`.policy`), one warm pool for the service's lifetime, the
grading loop (:mod:`.service`) on the main thread, the TA's status page
(:mod:`.status`) on another, and the socket TAs' ``grade`` commands are
handed over on (:mod:`.handoff`). SIGTERM and SIGINT let the running batch finish,
then stop.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from traitlets import TraitError

from ..course import Course
from .policy import PolicyError, ServePolicy
from .settings import Serve, exchange_root, resolve_token, state_dir

__all__ = ["PolicyError", "Serve", "ServePolicy", "serve"]


def serve(
    course: Course,
    *,
    exchange: str | None = None,
    port: int | None = None,
    workers: int = 2,
    sandbox: bool = True,
    stop: threading.Event | None = None,
    out=sys.stdout,
) -> int:
    """Run until SIGTERM/SIGINT (or ``stop``); returns the exit status."""
    from reference.grading.parts import collector_table

    from ..execute.pool import WarmPool
    from ..execute.sandbox import Limits
    from .handoff import Listener
    from .service import Service
    from .status import StatusServer

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("autograder.serve").setLevel(logging.INFO)
    # nbgrader's per-cell warnings are the submission's, and already in its result.
    logging.getLogger("traitlets").setLevel(logging.ERROR)
    settings = Serve(config=course.config)
    try:
        policy = ServePolicy(config=course.config)
    except TraitError as exc:
        raise PolicyError(str(exc)) from None
    root = exchange_root(course, exchange)
    policy.check(course.lessons())  # before the pool starts: a mistake stops nothing running
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
    with WarmPool(workers=workers, sandbox=Limits() if sandbox else None) as pool:
        # Ready before anything listens: the judges load (lesson 7's brings SciPy's
        # optimizers, about a second) while the zygote warms, so no first grade waits
        # for either, and a zygote that cannot start leaves nothing half started.
        for lesson in course.lessons():
            collector_table(lesson)
        pool.wait_ready()
        handoff = Listener(
            course.root,
            state_dir(course),
            lessons=course.lessons(),
            sandbox=pool.sandbox is not None,
            figures=pool.figures is not None,
        )
        service = Service(
            course,
            exchange=root,
            policy=policy,
            pool=pool,
            batch=settings.batch,
            poll=settings.poll_interval,
            handoff=handoff if handoff.start() else None,
        )
        token = resolve_token(course, settings)
        status = StatusServer(
            ip=settings.ip,
            port=settings.port if port is None else port,
            token=token,
            state={
                "ledger": service.ledger.path,
                "started": service.started,
                "busy": service.busy,
                "course": course.course_id,
            },
        )
        bound = status.start()
        where = (
            ""
            if settings.token or "AUTOGRADER_SERVE_TOKEN" in os.environ
            else f" (token in {state_dir(course) / 'token'})"
        )
        print(
            f"serving {course.course_id}: watching {service.box}; "
            f"status http://{settings.ip}:{bound}/{where}"
            + ("; `autograder grade` runs here" if service.handoff else ""),
            file=out,
            flush=True,
        )
        try:
            service.run(stop)
        finally:
            handoff.stop()
            status.stop()
            service.ledger.close()
    print("stopped", file=out, flush=True)
    return 0

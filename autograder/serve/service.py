"""``autograder serve``: grade each submission as it arrives in nbgrader's exchange.

One loop, one way: look at the inbound folder (:mod:`.inbox`), queue what is
new in the ledger (:mod:`.ledger`), decide per attempt (:mod:`.limits`), file
and grade a batch with the warm pool the service keeps for its lifetime (the
pipeline of ``autograder grade``, so the gradebook stays nbgrader's), settle
the recorded grade, release each page (:mod:`.release`) and only then mark the
attempt done. A batch takes at most one attempt per student, oldest first, so
a burst is graded in arrival order and no student waits behind another's
resubmissions. Whatever goes wrong with one submission is that submission's
page; the loop goes on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..course import Course
from ..grade import grade_lessons, summary
from ..results import SubmissionResult
from ..work import describe
from . import inbox, limits
from .handoff import Listener, Request
from .inbox import Arrival, NotFiled
from .ledger import Attempt, Ledger
from .policy import LessonPolicy, Recorded, ServePolicy, Shown
from .release import feedback_name, graded_page, publish, refused_page, stamp_time
from .settings import state_dir

log = logging.getLogger("autograder.serve")

#: Submissions of a TA's grade command graded between two looks at the students' inbound.
HANDED_CHUNK = 40


@dataclass
class _Item:
    attempt: Attempt
    number: int
    late: bool
    folder: Path
    result: SubmissionResult | None = None
    #: The earlier attempt that beats this one (None: none does).
    best: Attempt | None = None
    #: What the gradebook keeps after this attempt, and how the page words it.
    recorded: tuple[float, str] = (0.0, "")
    page: str = ""


class Service:
    """The service's state and one step of its loop; :meth:`run` repeats it until told to stop."""

    def __init__(
        self,
        course: Course,
        *,
        exchange: Path,
        policy: ServePolicy,
        pool,
        batch: int = 20,
        poll: float = 0.5,
        handoff: Listener | None = None,
    ) -> None:
        self.course = course
        self.exchange_course = exchange / course.course_id
        self.box = self.exchange_course / "inbound"
        self.lessons = course.lessons()
        policy.check(self.lessons)
        self.policies = {lesson: policy.for_lesson(lesson) for lesson in self.lessons}
        self.pool = pool
        self.batch = max(1, batch)
        self.poll = poll
        self.ledger = Ledger(state_dir(course) / "ledger.sqlite")
        self.started = time.time()
        self.busy = threading.Event()
        #: Where TAs' ``grade`` commands arrive (None: they grade on their own).
        self.handoff = handoff

    # --- the loop ----------------------------------------------------------

    def run(self, stop: threading.Event) -> None:
        """Grade until ``stop`` is set; the batch in progress always finishes first."""
        while not stop.is_set():
            worked = self.step()
            if self.handoff is None:
                if not worked:
                    stop.wait(self.poll)
                continue
            request = self.handoff.take(0 if worked else self.poll)
            if request is not None:
                self.answer(request, stop)

    def answer(self, request: Request, stop: threading.Event | None = None) -> None:
        """Grade what a TA's ``grade`` command handed over, a chunk at a time, looking at
        the students' inbound between chunks: their feedback never waits for a whole class.

        Once ``stop`` is set the rest goes back to the command, which grades it itself.
        """
        request.accept(pool=f"{self.pool.workers} workers")
        done: dict[str, dict] = {}
        try:
            for lesson in request.lessons:
                students = (
                    self.course.students_with_submissions(lesson)
                    if request.students is None
                    else request.students
                )
                for start in range(0, max(len(students), 1), HANDED_CHUNK):
                    if stop is not None and stop.is_set():
                        request.refuse("serve is stopping")
                        return
                    self.busy.set()
                    try:
                        runs = grade_lessons(
                            self.course,
                            [lesson],
                            students=students[start : start + HANDED_CHUNK],
                            force=request.force,
                            cell_timeout=request.cell_timeout,
                            pool=self.pool,
                            progress=False,
                        )
                    finally:
                        self.busy.clear()
                    for part in summary(runs):
                        _merge(done, part)
                    self.step()
        except Exception as exc:  # noqa: BLE001 - the command's error, not the service's
            log.exception("a grade command for %s failed", ", ".join(request.lessons))
            request.refuse(describe(exc))
            return
        request.finish(list(done.values()))
        log.info(
            "graded %s for a grade command: %d graded",
            ", ".join(request.lessons),
            sum(x["graded"] for x in done.values()),
        )

    def scan(self) -> int:
        """Queue the submissions that appeared since the last look."""
        added = 0
        for arrival in inbox.scan(self.box, self.ledger.known()):
            now = time.time()
            added += self.ledger.add(
                Attempt(arrival.folder, arrival.student, arrival.lesson, arrival.stamp, seen=now)
            )
        return added

    def step(self) -> int:
        """Queue what is new, then take one batch through; the number of attempts it finished."""
        self.scan()
        batch = pick(self.ledger.queued(), self.batch)
        if not batch:
            return 0
        self.busy.set()
        try:
            groups: dict[str, list[_Item]] = defaultdict(list)
            due = self._due_dates({a.lesson for a in batch} & set(self.lessons))
            for attempt in batch:
                try:
                    item = self._triage(attempt, due)
                except Exception as exc:  # noqa: BLE001 - this submission's error only
                    log.exception("could not take %s", attempt.folder)
                    self._refuse(attempt, "error", [_sorry(exc)])
                    continue
                if item is not None:
                    groups[attempt.lesson].append(item)
            for lesson, items in groups.items():
                try:
                    self._grade(lesson, items)
                except Exception as exc:  # noqa: BLE001
                    log.exception("grading %s failed", lesson)
                    for item in items:
                        self._refuse(item.attempt, "error", [_sorry(exc)])
        finally:
            self.busy.clear()
        return len(batch)

    # --- one attempt -------------------------------------------------------

    def _triage(self, attempt: Attempt, due: dict) -> _Item | None:
        arrival = Arrival(attempt.folder, attempt.student, attempt.lesson, attempt.stamp)
        why = inbox.problem(arrival, self.lessons)
        if why:
            self._finish(attempt, "refused", "not-a-submission", release=None)
            log.warning("%s: %s", attempt.folder, why)
            return None
        forged = inbox.not_owner(self.box, arrival)
        if forged:  # no page either: it would be released to the student it names
            self._finish(attempt, "refused", "forged", release=None)
            log.warning("%s: %s", attempt.folder, forged)
            return None
        policy = self.policies[attempt.lesson]
        late = _late(attempt, due.get(attempt.lesson))
        history = self.ledger.graded(attempt.student, attempt.lesson)
        notebook = self.course.notebook_name(attempt.lesson)
        try:
            folder = inbox.file_attempt(self.course, self.box, arrival, notebook)
        except NotFiled as exc:
            self._refuse(attempt, "not-filed", [str(exc), "It does not count as an attempt."])
            return None
        decision = limits.decide(attempt, history, policy, late=late)
        if not decision.grade:
            self._refuse(attempt, decision.reason, decision.notice)
            return None
        return _Item(attempt, decision.number, late, folder)

    def _grade(self, lesson: str, items: list[_Item]) -> None:
        policy = self.policies[lesson]
        notebook = self.course.notebook_name(lesson)
        for item in items:
            inbox.install(self.course, item.folder, item.attempt.student, lesson, notebook)
        results = self._run(lesson, [i.attempt.student for i in items], policy)
        restore: list[tuple[_Item, Attempt]] = []
        for item in items:
            item.result = results[item.attempt.student]
            item.best = self._best(item)
            item.recorded = self._recorded(item, policy)
            if policy.recorded is Recorded.BEST and item.best is not None:
                restore.append((item, item.best))
        for item in items:  # pages first: the autograded notebook is still this attempt's
            item.page = self._page(item, policy)
        if restore:
            for _, best in restore:
                best_folder = inbox.attempt_dir(
                    self.course, Arrival(best.folder, best.student, best.lesson, "")
                )
                inbox.install(self.course, best_folder, best.student, lesson, notebook)
            self._run(lesson, [item.attempt.student for item, _ in restore], policy, force=True)
        for item in items:
            if policy.recorded is Recorded.DECLINING:
                self._decline(item, policy)
            self._finish(
                item.attempt,
                "graded",
                item.result.status if item.result.status != "graded" else "",
                release=item.page,
                item=item,
            )

    def _run(
        self, lesson: str, students: list[str], policy: LessonPolicy, *, force: bool = False
    ) -> dict[str, SubmissionResult]:
        runs = grade_lessons(
            self.course,
            [lesson],
            students=students,
            pool=self.pool,
            progress=False,
            force=force or policy.recorded is Recorded.DECLINING,
        )
        return {r.student: r for r in runs[lesson].all}

    def _best(self, item: _Item) -> Attempt | None:
        """The earlier attempt that beats this one, if any (None: this one is recorded)."""
        history = limits.counted(self.ledger.graded(item.attempt.student, item.attempt.lesson))
        if not history:
            return None
        best = max(history, key=lambda a: (a.score or 0.0, a.number or 0))
        return best if (best.score or 0.0) > item.result.score else None

    def _recorded(self, item: _Item, policy: LessonPolicy) -> tuple[float, str]:
        """What the gradebook keeps after this attempt, and how the page words it."""
        score = item.result.score
        if policy.recorded is Recorded.BEST:
            best = item.best
            if best is not None:
                return best.score or 0.0, f"your best attempt (attempt {best.number})"
            return score, "your best attempt (this one)"
        if policy.recorded is Recorded.DECLINING:
            kept = score * max(0.0, 1.0 - policy.decline * (item.number - 1))
            lost = f"{policy.decline * 100:g} % less per earlier attempt"
            return round(kept, 6), f"this attempt's score, {lost}"
        return score, "your last attempt"

    def _decline(self, item: _Item, policy: LessonPolicy) -> None:
        """Record the decline as nbgrader's submission penalty, so nbgrader export shows it."""
        from nbgrader.api import Gradebook

        kept, _ = item.recorded
        loss = round(item.result.score - kept, 6)
        if loss <= 0:
            return
        a = item.attempt
        with Gradebook(self.course.db_url) as gb:
            nb = gb.find_submission_notebook(
                self.course.notebook_name(a.lesson), a.lesson, a.student
            )
            nb.late_submission_penalty = (nb.late_submission_penalty or 0.0) + loss
            gb.db.commit()

    def _page(self, item: _Item, policy: LessonPolicy) -> str:
        result, a = item.result, item.attempt
        shown = policy.shown(item.late)
        counts = result.status not in limits.NOT_COUNTED
        notice = [limits.attempts_line(policy, item.number, a.seen, counts=counts)]
        if item.late:
            notice.append("This attempt came after the deadline; nbgrader's late penalty applies.")
        if shown is Shown.NONE:
            notice.append("It was graded. What it scored is shown after the deadline.")
        if result.status != "graded" and result.messages:
            notice.append(result.messages[0])
        return graded_page(
            self.course,
            result,
            shown=shown,
            notice=notice,
            stamp=a.stamp,
            number=item.number,
            recorded=item.recorded,
        )

    def _refuse(self, attempt: Attempt, reason: str, notice: list[str]) -> None:
        page = refused_page(attempt.lesson, attempt.student, notice, attempt.stamp)
        self._finish(attempt, "refused", reason, release=page)

    def _finish(
        self,
        attempt: Attempt,
        state: str,
        reason: str,
        *,
        release: str | None,
        item: _Item | None = None,
    ) -> None:
        if release is not None:
            try:
                name = feedback_name(
                    self.box,
                    attempt.folder,
                    self.course.course_id,
                    self.course.notebook_name(attempt.lesson),
                )
                publish(self.exchange_course, name, release)
            except (OSError, ValueError) as exc:  # no notebook to hash: nothing to fetch
                log.warning("no feedback released for %s: %s", attempt.folder, exc)
        attempt.state, attempt.reason, attempt.done = state, reason, time.time()
        if item is not None and item.result is not None:
            attempt.number = item.number
            attempt.score, attempt.max_score = item.result.score, item.result.max_score
            attempt.recorded = item.recorded[0]
            attempt.late = item.late
            attempt.flags = ",".join(item.result.flags)
        self.ledger.finish(attempt)
        log.info("%s: %s %s", attempt.folder, state, reason or attempt.score)

    def _due_dates(self, lessons: set[str]) -> dict:
        """Each lesson's nbgrader due date (the gradebook's; naive UTC), read once per batch."""
        from nbgrader.api import Gradebook, MissingEntry

        due = {}
        with Gradebook(self.course.db_url) as gb:
            for lesson in lessons:
                try:
                    due[lesson] = gb.find_assignment(lesson).duedate
                except MissingEntry:
                    due[lesson] = None
        return due


def _merge(done: dict[str, dict], part: dict) -> None:
    """Add one chunk's :func:`~autograder.grade.summary` of a lesson to the lesson's."""
    whole = done.setdefault(part["lesson"], {**part, "graded": 0, "skipped": 0, "flagged": []})
    whole["graded"] += part["graded"]
    whole["skipped"] += part["skipped"]
    whole["flagged"] += part["flagged"]


def _late(attempt: Attempt, due) -> bool:
    """After the lesson's due date, by nbgrader's timestamp (nbgrader's own rule)?"""
    when = stamp_time(attempt.stamp)
    return due is not None and when is not None and when.replace(tzinfo=None) > due


def pick(queued: list[Attempt], size: int) -> list[Attempt]:
    """The next batch: oldest first, at most one attempt per student, at most ``size``.

    A student's resubmissions wait behind everyone else's first ones, so a
    burst is served in arrival order and no one is starved by another.

    >>> q = [Attempt(f"{s}+l+{i}", s, "l", "", seen=i) for i, s in enumerate("aaab")]
    >>> [a.folder for a in pick(q, 20)]
    ['a+l+0', 'b+l+3']
    """
    batch, students = [], set()
    for attempt in queued:
        if attempt.student not in students:
            students.add(attempt.student)
            batch.append(attempt)
            if len(batch) >= size:
                break
    return batch


def _sorry(exc: Exception) -> str:
    return (
        "The grader could not grade this attempt (an error on our side, not in your notebook: "
        f"{type(exc).__name__}). It does not count as an attempt; your TA has been told."
    )

"""A student's term in JupyterLab: nbgrader's Assignment List against a running ``autograder serve``.

Real JupyterLab in the student's home (their own ``nbgrader_config.py``, as
on JupyterHub), real Chromium, a real service on the course's exchange. The
student fetches lesson01, answers Part A in the notebook and submits with the
Assignment List's button, fetches feedback and reads a verdict per part, then
submits once more than the policy allows and reads why it was not graded.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from playwright.sync_api import FrameLocator, Locator, Page, expect

from tests.autograder.serve.exchange import Served, home, served_course

from .lab import LAB_LOAD_MS, Lab, chromium, explained_failure, running_lab

LESSON = "lesson01"
ATTEMPTS = 1
SETTINGS = f"c.ServePolicy.attempts = {ATTEMPTS}\nc.ServePolicy.cooldown = 0"
#: Part A by the rules, in the student's own numbers (the notebook's ``task``).
PART_A = "derivative_formula = 3 * task.a * x**2 + 2 * task.b * x"
STUB = "raise NotImplementedError()"
#: The Assignment List lists each submission of a lesson by its timestamp.
SUBMITTED_AT = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ UTC")
#: Fetch, submit and one grading under load (-n 2); serve's own p95 is about 3 s.
ACTION_MS = 60_000
FEEDBACK_S = 180


def test_student_submits_reads_verdicts_then_the_limit(tmp_path):
    course, exchange = served_course(tmp_path, (LESSON,), SETTINGS)
    ada = home(tmp_path, exchange, "ada")
    serve_log = tmp_path / "serve.log"
    served = Served(course, serve_log).start()
    try:
        with running_lab(ada, tmp_path) as lab, chromium() as browser:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
            with explained_failure(page, lab, tmp_path, serve_log):
                _student_session(page, lab, ada, tmp_path)
    finally:
        assert served.stop() == 0


def _student_session(page: Page, lab: Lab, ada: Path, shots: Path) -> None:
    panel = _assignment_list(page, lab)
    released = panel.locator("#released_assignments_list")
    _button(released, "Fetch").click()
    fetched = panel.locator("#fetched_assignments_list")
    expect(fetched).to_contain_text(LESSON, timeout=ACTION_MS)
    notebook = ada / LESSON / f"{LESSON}.ipynb"
    assert notebook.is_file(), "Fetch put no notebook in the student's home"

    _answer_part_a(page, lab, notebook)
    page.screenshot(path=shots / "answered.png")

    panel = _assignment_list(page, lab)
    fetched = panel.locator("#fetched_assignments_list")
    _button(fetched, "Submit").click()
    submitted = panel.locator("#submitted_assignments_list")
    expect(submitted.get_by_text(SUBMITTED_AT)).to_have_count(1, timeout=ACTION_MS)

    first = _fetch_feedback(page, submitted, 1)
    page.screenshot(path=shots / "assignment_list.png")
    verdicts = _read_feedback(page, first, shots / "feedback_1.png")
    # Part A is right; B-E are still stubs; F is written, so a TA grades it.
    assert verdicts[0] == ("Part A", "Correct"), verdicts
    assert {v for _, v in verdicts[1:-1]} == {"Not yet right"}, verdicts
    assert verdicts[-1][1] == "Waiting for a TA", verdicts
    frame = _feedback_frame(page)
    expect(frame.locator("#verdict")).to_contain_text(f"Attempt 1 of {ATTEMPTS} was graded")
    expect(frame.locator("body")).not_to_contain_text("BEGIN HIDDEN")

    # One attempt more than the policy allows: archived, and the page says why.
    panel = _assignment_list(page, lab)
    _button(panel.locator("#fetched_assignments_list"), "Submit").click()
    submitted = panel.locator("#submitted_assignments_list")
    expect(submitted.get_by_text(SUBMITTED_AT)).to_have_count(2, timeout=ACTION_MS)
    second = _fetch_feedback(page, submitted, 2)
    assert _read_feedback(page, second, shots / "feedback_2.png") == []  # no part was graded
    notice = _feedback_frame(page).locator("#verdict")
    expect(notice).to_contain_text("This attempt was not graded")
    expect(notice).to_contain_text(f"used all {ATTEMPTS} graded attempt")


def _assignment_list(page: Page, lab: Lab) -> Locator:
    """Open the lab as a student does and pick Nbgrader > Assignment List."""
    page.goto(lab.url("lab"))
    menu = page.locator(".lm-MenuBar-item", has_text="Nbgrader")
    expect(menu, "nbgrader's menu is not in the lab").to_be_visible(timeout=LAB_LOAD_MS)
    menu.click()
    page.locator(".lm-Menu-item", has_text="Assignment List").click()
    panel = page.locator("#nbgrader-assignment-list")
    expect(panel).to_be_visible(timeout=ACTION_MS)
    expect(panel.locator("#released_assignments_list_loading")).to_be_hidden(timeout=ACTION_MS)
    return panel


def _button(section: Locator, name: str) -> Locator:
    button = section.locator(".list_item", has_text=LESSON).get_by_role("button", name=name)
    expect(button).to_be_enabled(timeout=ACTION_MS)
    return button


def _answer_part_a(page: Page, lab: Lab, notebook: Path) -> None:
    """Replace Part A's stub by an answer in the editor, then save with Ctrl+S."""
    page.goto(lab.url(f"lab/tree/{LESSON}/{LESSON}.ipynb"))
    stub = page.locator(".jp-CodeCell").filter(has_text=STUB).first
    expect(stub).to_be_visible(timeout=LAB_LOAD_MS)
    # Pin the cell by its place: once answered it no longer matches the stub.
    index = stub.get_attribute("data-windowed-list-index")
    cell = page.locator(f'.jp-CodeCell[data-windowed-list-index="{index}"]')
    expect(cell).to_contain_text("YOUR CODE HERE")
    expect(page.locator(".jp-Cell", has_text="Part A").last).to_be_visible()
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(PART_A)
    expect(cell).to_contain_text(PART_A)
    page.keyboard.press("Control+s")
    deadline = time.monotonic() + ACTION_MS / 1000
    while PART_A not in notebook.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert PART_A in notebook.read_text(), "Ctrl+S did not save the answer"


def _fetch_feedback(page: Page, submitted: Locator, count: int) -> Locator:
    """Press Fetch Feedback until ``count`` submissions have a feedback link; the newest."""
    links = submitted.get_by_text("(view feedback)")
    deadline = time.monotonic() + FEEDBACK_S
    while links.count() < count and time.monotonic() < deadline:
        button = submitted.get_by_role("button", name="Fetch Feedback").first
        expect(button).to_be_enabled(timeout=ACTION_MS)
        button.click()
        expect(button).to_be_enabled(timeout=ACTION_MS)  # not "Fetching Feedback..."
        if links.count() < count:
            time.sleep(2)
    assert links.count() == count, "the service's feedback never reached the Assignment List"
    # Rows are in submission order, each with its timestamp; the newest is last.
    return links.nth(count - 1)


def _read_feedback(page: Page, link: Locator, shot: Path) -> list[tuple[str, str]]:
    """Follow the link to the feedback folder, open the page; (part, verdict) per graded row."""
    link.click()
    listing = page.locator(".jp-DirListing-item", has_text=f"{LESSON}.html")
    expect(listing).to_be_visible(timeout=ACTION_MS)
    listing.dblclick()
    frame = _feedback_frame(page)
    expect(frame.locator("#verdict")).to_be_visible(timeout=ACTION_MS)
    rows = frame.locator("#parts .part-row")
    page.screenshot(path=shot)
    verdicts = []
    for row in rows.all():
        title = row.locator("td").first.inner_text().strip()
        part = re.match(r"Part [A-Z]", title)
        verdicts.append((part.group(0) if part else title, row.locator("td strong").inner_text()))
    return verdicts


def _feedback_frame(page: Page) -> FrameLocator:
    """The HTML viewer of the current tab (JupyterLab shows .html in a sandboxed frame)."""
    return page.locator(".jp-MainAreaWidget:visible iframe").last.content_frame

"""nbgrader's Validate button as a student presses it: real JupyterLab, real Chromium.

The CLI test (test_course_nbgrader.py) checks the validator; this one checks
what a student actually reads, through the lab extension, its save-then-post
flow and the server extension running in the course directory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import nbformat
import pytest
from playwright.sync_api import Page, expect

from .course import make_course, nbgrader, notebook_path
from .lab import LAB_LOAD_MS, Lab, chromium, explained_failure, running_lab

LESSON = "lesson01"
# Validation runs the whole notebook in a fresh kernel; be patient under load (-n 2).
VALIDATE_MS = 300_000
SUCCESS = "Success! Your notebook passes all the tests."


@pytest.fixture(scope="module")
def lab(tmp_path_factory) -> Iterator[Lab]:
    """JupyterLab in a released course (the validate handler reads its nbgrader_config.py)."""
    base = tmp_path_factory.mktemp("lab")
    course = make_course(base / "course")
    nbgrader(course, "generate_assignment", LESSON, "--force")
    with running_lab(course, base) as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


def press_validate(
    page: Page, lab: Lab, folder: str, shows: str, shots: Path
) -> tuple[str, str, str]:
    """Open ``folder``'s notebook, check it ``shows`` a text, press Validate.

    Returns the dialog's title, its CSS classes and the text of its message.
    """
    page.goto(lab.url(f"lab/tree/{folder}/{LESSON}/{LESSON}.ipynb"))
    panel = page.locator(".jp-NotebookPanel")
    button = panel.locator(".jp-NotebookPanel-toolbar .validate-button")
    expect(button, "nbgrader's Validate button is not in the toolbar").to_be_visible(
        timeout=LAB_LOAD_MS
    )
    expect(panel).to_have_count(1)
    expect(panel).to_contain_text(shows, timeout=LAB_LOAD_MS)
    button.click()
    dialog = page.locator(".jp-Dialog")
    expect(dialog).to_be_visible(timeout=VALIDATE_MS)
    title = dialog.locator(".jp-Dialog-header").inner_text().strip()
    message = dialog.locator("#validation-message")
    text = message.inner_text() if message.count() else dialog.inner_text()
    classes = dialog.get_attribute("class") or ""
    page.screenshot(path=shots / "dialog.png")
    dialog.get_by_role("button", name="Ok").click()
    expect(dialog).to_have_count(0)
    expect(button).to_have_text("Validate")  # not stuck at "Validating..."
    return title, classes, text


def _squash(text: str) -> str:
    return " ".join(text.split())


def test_unanswered_release_lists_stubs_and_failing_checks(lab, page, tmp_path):
    """A student who validates an unanswered notebook must not read "Success"."""
    release = notebook_path(lab.root, "release", LESSON)
    with explained_failure(page, lab, tmp_path):
        stub = "raise NotImplementedError()"
        title, classes, text = press_validate(page, lab, "release", stub, tmp_path)
        assert title == "Validation Results", (title, text)
        assert "nbgrader-ErrorDialog" in classes and "Success" not in text, text

        nb = nbformat.read(release, as_version=4)
        meta = [cell.metadata.get("nbgrader", {}) for cell in nb.cells]
        cells = list(zip(nb.cells, meta, strict=True))
        answers = [c for c, m in cells if c.cell_type == "code" and m.get("solution")]
        checks = [c for c, m in cells if str(m.get("grade_id", "")).startswith("check")]
        assert answers and checks
        # One NotImplementedError traceback per answer cell, each still the stub.
        tracebacks = re.findall(r"NotImplementedError +Traceback \(most recent call last\)", text)
        assert len(tracebacks) == len(answers), text
        assert text.count(stub) >= len(answers), text
        # Every visible check is listed with the answer it misses (Part B's df_rule here).
        for check in checks:
            assert _squash(check.source) in _squash(text), (check.metadata.nbgrader, text)
        assert "NameError: name 'df_rule' is not defined" in text, text
        assert "YOUR ANSWER HERE You did not provide a response." in _squash(text), text
        # The dialog lists exactly the cells `nbgrader validate` counts.
        cli = nbgrader(lab.root, "validate", str(release)).stdout
        failed = re.search(r"VALIDATION FAILED ON (\d+) CELL", cli)
        assert failed, cli
        assert text.count("The following cell failed:") == int(failed.group(1)), (cli, text)


def test_solved_source_validates_with_success(lab, page, tmp_path):
    """The same flow on the instructor's solved notebook: the dialog can say Success."""
    with explained_failure(page, lab, tmp_path):
        title, classes, text = press_validate(page, lab, "source", "### BEGIN SOLUTION", tmp_path)
        assert title == "Validation Results", (title, text)
        assert "nbgrader-SuccessDialog" in classes, (classes, text)
        assert text.strip() == SUCCESS, text

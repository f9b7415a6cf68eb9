"""The pages serve releases: what their titles say."""

from __future__ import annotations

import re

from autograder.serve.release import refused_page


def _title(page: str) -> str:
    return re.search(r"<title>(.*)</title>", page).group(1)


def test_a_refused_attempt_is_titled_as_not_graded():
    page = refused_page("lesson01", "ada", ["Attempts used up."], "2026-12-07 10:00:00.000000 UTC")
    assert _title(page) == "lesson01: attempt not graded for ada"
    assert "Attempts used up." in page

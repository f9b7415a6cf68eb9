"""Answer checks: ``(student, expected, **options) -> CheckResult``.

Every check returns a score in [0, 1], feedback for the student and a stable
note for reports; none raises on student input or writes to stderr. Feedback
never states the expected answer unless ``reveal=True`` is passed.
"""

from .plots import check_figure, figure_data
from .result import NOTES, CheckResult
from .tolerance import Tolerance

__all__ = ["NOTES", "CheckResult", "Tolerance", "check_figure", "figure_data"]

"""Answer checks: ``(student, expected, **options) -> CheckResult``.

Every check returns a score in [0, 1], feedback for the student and a stable
note for reports; none raises on student input or writes to stderr. Feedback
never states the expected answer unless ``reveal=True`` is passed.
"""

from .backprop import check_backward
from .calculus import check_antiderivative, check_derivative
from .differences import check_difference
from .extrema import check_critical_points, check_extrema
from .functions import check_function, sample_function
from .matrices import check_jacobian, check_matrix
from .numeric import check_array, check_number
from .parsing import ParseError, parse_expression
from .plots import check_figure, figure_data
from .result import NOTES, CheckResult
from .steps import check_step_size, optimal_step
from .symbolic import check_expression
from .tolerance import Tolerance

__all__ = [
    "NOTES",
    "CheckResult",
    "Tolerance",
    "check_figure",
    "figure_data",
    "check_array",
    "check_function",
    "check_jacobian",
    "check_matrix",
    "check_number",
    "check_step_size",
    "optimal_step",
    "sample_function",
    "ParseError",
    "parse_expression",
    "check_expression",
    "check_derivative",
    "check_antiderivative",
    "check_backward",
    "check_critical_points",
    "check_difference",
    "check_extrema",
]

"""The graded parts of the seven lessons; hidden tests call :func:`grade`."""

from .parts import REGISTRY, Part, get_part, grade, register

__all__ = ["REGISTRY", "Part", "get_part", "grade", "register"]

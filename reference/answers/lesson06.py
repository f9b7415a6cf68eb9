"""Lesson 6 answers: the figure is read; every other answer travels as itself."""

from __future__ import annotations

from reference.checks.plots import figure_data

from . import collects

collects("lesson06.plot")(figure_data)

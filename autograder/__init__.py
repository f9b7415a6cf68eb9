"""Collect and grade a class's submissions (see the issues for the plan)."""

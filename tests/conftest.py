"""Test-wide settings."""

import os

from hypothesis import settings

# No per-example deadline: the suite runs two workers on two cores, and a slow
# example under load is not a bug. In CI the examples are derandomized, so a
# run is repeatable; locally they vary and keep exploring.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

"""Correct implementations of the seven lessons' tasks.

One module per lesson; each exposes ``summary()`` with its key answers as
plain data, which ``python -m reference`` prints.
"""

from reference.answers import lesson_modules

#: The lessons' modules, discovered (``l1_derivatives``, ...), in lesson order.
LESSONS = lesson_modules(__path__, r"l(\d+)_\w+")

"""Correct implementations of the seven lessons' tasks.

One module per lesson; each exposes ``summary()`` with its key answers as
plain data, which ``python -m reference`` prints.
"""

LESSONS = (
    "l1_derivatives",
    "l2_integration",
    "l3_gradients",
    "l4_jacobian",
    "l5_backprop",
    "l6_optimization",
    "l7_svm",
)

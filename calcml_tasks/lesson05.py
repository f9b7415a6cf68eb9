"""Lesson 5's variants: the student's draw of the two circles and the sizes of the hidden layers.

The seed's task trains a [2, 4, 3, 1] network (ReLU, ReLU, sigmoid) on
``make_circles(1000, ..., random_state=0)``, grades it on the 200 held-out
points of ``random_state=1`` and checks gradients on a batch drawn from
``np.random.default_rng(0)``. A variant draws an even data seed ``d``
(training set ``d``, held-out points ``d + 1``, check batch ``default_rng(d)``:
no student's held-out points are another's training set) and the hidden sizes
``h1`` and ``h2``.

Whether a draw trains like the seed's task can only be known by training it,
which is too slow (and needs scikit-learn) when a student's task is drawn. So
every draw of the grid below was measured once by
``reference.lessons.l5_backprop.Circles.broken`` and the constraint reads the
table of those that passed, :data:`SOUND`. Tests re-measure drawn variants.
Each one, like the seed's task:

* trains with the notebook's recipe (init seed 2, 1000 epochs, rate 0.5) to at
  least 0.95 held-out accuracy, held over its last 100 epochs (full credit
  needs 0.9);
* after 300 epochs of that recipe is between 0.6 and 0.85 (the seed: 0.805),
  so too short a training earns partial credit, never 0 or full;
* is as hard to train with a recipe of one's own: with 1000 epochs at rate
  0.5, 3 to 6 of the init seeds 0..9 reach 0.9 (the seed: 5);
* gives the same accuracies when the initial weights change by a relative
  1e-9 (a machine that rounds differently grades the same);
* has a Part C gradient check that means something: ReLU inputs at least 1e-4
  from the kink, a gradient of ``W[1]`` that is not ~0, a relative error below
  1e-8 for the fixed derivative and within 1e-5 of 1/3 for the given one.

Fixed for everyone, and why: ``dsigmoid`` (the sigmoid has one derivative);
``numerical_gradient`` (graded on the grader's own loss, not on the network);
the architecture (two ReLU layers, one sigmoid output unit: the given
derivative then doubles every gradient, which ``bug_effect`` asks and makes
``rel_error_given`` 1/3 in every variant); the Jacobian questions; the sizes of
the data sets (1000 training, 200 held-out, 20 check points).
"""

from __future__ import annotations

from .space import Choice, Constraint, IntRange, Space

#: The even data seeds: training set d, held-out points d + 1.
DATA_SEEDS = tuple(range(0, 40, 2))

#: The draws measured sound (see the module's docstring), as "h1 h2" -> data seeds.
_SOUND_TEXT = {
    "3 3": "0 2 4 8 10 12 14 16 18 20 22 24 26 28 30 32 34 36 38",
    "3 4": "0 2 4 6 10 12 14 16 18 20 22 24 26 28 32 34 38",
    "3 6": "32 34",
    "4 2": "0 2 4 6 8 10 12 16 18 20 22 24 26 28 30 32 34 36 38",
    "4 3": "0 2 4 6 10 12 14 16 18 20 22 24 26 28 30 32 34 36 38",
    "4 4": "2 4 6 8 10 12 14 16 18 20 22 24 26 28 30 32 34 38",
    "4 5": "2 8 12 14 16 22 24",
    "4 6": "28",
    "5 2": "10 28 34 38",
    "5 3": "2 10 28 32 34 38",
    "6 2": "2 10 32",
}
#: ``(data_seed, h1, h2)`` of every sound draw.
SOUND = frozenset(
    (int(d), *map(int, sizes.split()))
    for sizes, seeds in _SOUND_TEXT.items()
    for d in seeds.split()
)


def _key(v) -> tuple[int, int, int]:
    return (v["data_seed"], v["h1"], v["h2"])


SPACE = Space(
    "lesson05",
    Choice("data_seed", DATA_SEEDS),
    IntRange("h1", 3, 6),
    IntRange("h2", 2, 6),
    constraints=[
        Constraint(
            "measured like the seed's task (SOUND): the notebook's recipe reaches >= 0.95, 300 "
            "epochs of it 0.6 to 0.85, 3 to 6 of the init seeds 0..9 reach 0.9, all the same "
            "under a 1e-9 change of the initial weights, and Part C's check is clear of ReLU "
            "kinks, ~0 for the fixed derivative and 1/3 for the given one",
            lambda v: _key(v) in SOUND,
        ),
    ],
    base={"data_seed": 0, "h1": 4, "h2": 3},
)


def layersizes(v) -> tuple[int, int, int, int]:
    """The network's layer sizes, ``(2, 4, 3, 1)`` for the seed's task."""
    return (2, v["h1"], v["h2"], 1)


def describe(v) -> str:
    """The task as the student reads it (Markdown with math)."""
    d, h1, h2 = _key(v)
    return (
        f"**Your network:** layers of $2 \\to {h1} \\to {h2} \\to 1$ units, that is "
        f"$h_1 = {h1}$ and $h_2 = {h2}$ ReLU units in the hidden layers and one sigmoid output "
        f"unit; `make_network` builds it (`task.layersizes` is `{layersizes(v)}`).\n\n"
        f"**Your data:** the training set `X, y` is `make_circles(..., random_state={d})`, the "
        f"held-out points `X_test` are `random_state={d + 1}`, and the check batch "
        f"`X_check, y_check` comes from `np.random.default_rng({d})`."
    )


def names(v) -> dict:
    """What the setup cell's ``task`` carries: the layer sizes and the seeds of the data."""
    d = v["data_seed"]
    return {
        "layersizes": layersizes(v),
        "h1": v["h1"],
        "h2": v["h2"],
        "data_seed": d,
        "test_seed": d + 1,
        "check_seed": d,
    }

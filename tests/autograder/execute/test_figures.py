"""Figures become bounded ``image/png`` outputs in the child, or a short note: never more."""

from __future__ import annotations

import base64
import struct

import pytest

from autograder.execute.child import FigureLimits
from autograder.execute.pool import Job, WarmPool
from autograder.execute.shell import MAX_IMAGE_CHARS

from .test_pool import _nb

LIMITS = FigureLimits()
PLOT = (
    "import matplotlib.pyplot as plt\n"
    "fig, ax = plt.subplots(figsize=(6, 4))\n"
    "_ = ax.plot([0, 1, 2], [1, 0, 1])\n"
)


@pytest.fixture(scope="module")
def pool():
    """The default: figures drawn."""
    with WarmPool(workers=2, warm_modules=("numpy", "matplotlib.pyplot")) as pool:
        yield pool


@pytest.fixture(scope="module")
def no_figures():
    with WarmPool(workers=1, warm_modules=("numpy", "matplotlib.pyplot"), figures=False) as p:
        yield p


def _run(pool, tmp_path, *sources: str):
    (out,) = pool.run([Job("nb", _nb(*sources), str(tmp_path))])
    assert out.status == "ok", out.detail
    assert out.tampering == []  # nothing malformed or refused on the way back
    return [c["outputs"] for c in out.notebook["cells"]]


def _size(png_b64: str) -> tuple[int, int]:
    head = base64.b64decode(png_b64[:64])
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


def _images(outputs) -> list[str]:
    return [o["data"]["image/png"] for o in outputs if "image/png" in o.get("data", {})]


def _plain(output) -> str:
    return output["data"]["text/plain"]


def test_a_shown_figure_is_a_png_at_the_modest_dpi(pool, tmp_path):
    shown, last = _run(pool, tmp_path, PLOT + "plt.show()", "fig")
    assert [o["output_type"] for o in shown] == ["display_data"]
    assert _size(shown[0]["data"]["image/png"]) == (6 * LIMITS.dpi, 4 * LIMITS.dpi)
    assert _plain(shown[0]) == "<Figure size 600x400 with 1 Axes>"
    assert last[0]["output_type"] == "execute_result" and _images(last)


def test_a_figure_left_open_is_drawn_when_the_cell_ends(pool, tmp_path):
    (outputs,) = _run(pool, tmp_path, PLOT)
    assert len(_images(outputs)) == 1


def test_the_opt_out_draws_nothing(no_figures, tmp_path):
    shown, last = _run(no_figures, tmp_path, PLOT + "plt.show()", "fig")
    assert _images(shown) == _images(last) == []
    assert _plain(shown[0]) == "<Figure size 600x400 with 1 Axes>"


def test_a_figure_of_a_students_own_dpi_is_drawn_at_ours(pool, tmp_path):
    (outputs,) = _run(pool, tmp_path, PLOT.replace("(6, 4)", "(6, 4), dpi=600"))
    assert _size(_images(outputs)[0]) == (6 * LIMITS.dpi, 4 * LIMITS.dpi)


def test_a_big_figure_is_drawn_smaller_to_fit(pool, tmp_path):
    (outputs,) = _run(pool, tmp_path, PLOT.replace("(6, 4)", "(50, 25)"))
    assert _size(_images(outputs)[0]) == (LIMITS.max_side, LIMITS.max_side // 2)


def test_a_huge_figure_gets_a_note_not_a_giant_png(pool, tmp_path):
    # 30000 x 30000 px at its own 100 dpi: 3.6 GB of canvas, were it ever drawn.
    outputs, last = _run(pool, tmp_path, PLOT.replace("(6, 4)", "(300, 300)"), "fig")
    assert _images(outputs) == _images(last) == []
    for output in (outputs[0], last[0]):
        assert "figure not rendered" in _plain(output) and "too large" in _plain(output)


def test_a_png_over_the_byte_cap_gets_a_note(pool, tmp_path):
    noise = (
        "import numpy as np, matplotlib.pyplot as plt\n"
        "fig = plt.figure(figsize=(10, 10))\n"
        "ax = fig.add_axes([0, 0, 1, 1])\n"
        "_ = ax.imshow(np.random.rand(720, 720, 3), interpolation='nearest')\n"
    )
    (outputs,) = _run(pool, tmp_path, noise)
    assert _images(outputs) == []
    assert f"more than {LIMITS.max_png_bytes // 1024} KiB" in _plain(outputs[0])


def test_figures_past_the_cap_get_a_note_counted_over_the_notebook(pool, tmp_path):
    make = (
        "import matplotlib.pyplot as plt\n"
        "for i in range({n}):\n"
        "    fig, ax = plt.subplots(figsize=(1, 1))\n"
        "    ax.plot([0, i])\n"
        "    plt.show()\n"
    )
    first = LIMITS.max_images - 3
    one, two = _run(pool, tmp_path, make.format(n=first), make.format(n=5))
    assert len(_images(one)) == first
    assert len(_images(two)) == 3
    note = f"(figure not rendered: more than {LIMITS.max_images} figures in this notebook)"
    assert [_plain(o) for o in two[3:]] == [f"<Figure size 100x100 with 1 Axes>\n{note}"] * 2


def test_a_notebook_cannot_switch_the_bounds_off(pool, tmp_path):
    big = PLOT.replace("(6, 4)", "(300, 300)")
    outputs = _run(
        pool,
        tmp_path,
        "%matplotlib inline\n%config InlineBackend.figure_formats = {'svg', 'png', 'retina'}",
        "from matplotlib_inline.backend_inline import set_matplotlib_formats\n"
        "set_matplotlib_formats('pdf', 'jpeg')\n" + big,
        PLOT,
    )
    kinds = {k for cell in outputs for o in cell for k in o.get("data", {})}
    assert kinds == {"text/plain", "image/png"}
    assert "too large" in _plain(outputs[1][0])
    assert _size(_images(outputs[2])[0]) == (6 * LIMITS.dpi, 4 * LIMITS.dpi)


def test_a_figure_that_cannot_be_drawn_gets_a_note_not_an_error(pool, tmp_path):
    (outputs,) = _run(pool, tmp_path, PLOT + "ax.set_title(r'$\\frac{$')\nplt.show()")
    assert [o["output_type"] for o in outputs] == ["display_data"]
    assert "drawing it failed (ValueError)" in _plain(outputs[0])


def test_other_images_are_held_to_a_budget_never_refused_as_tampering(pool, tmp_path):
    # 40 MB in one cell: a message that size would be refused, and flagged.
    size, count = 1_000_000, 40
    (outputs,) = _run(
        pool,
        tmp_path,
        "from IPython.display import display\n"
        f"for i in range({count}):\n"
        f"    display({{'image/png': 'A' * {size}, 'text/plain': 'img'}}, raw=True)\n"
        "display({'image/png': b'raw bytes'}, raw=True)\n",
    )
    kept = MAX_IMAGE_CHARS // size
    assert len(_images(outputs)) == kept
    assert all("image not kept" in _plain(o) for o in outputs[kept:])


def test_raw_image_bytes_are_sent_as_base64(pool, tmp_path):
    shown = "from IPython.display import display\ndisplay({'image/png': b'xyz'}, raw=True)"
    (outputs,) = _run(pool, tmp_path, shown)
    assert _images(outputs) == [base64.b64encode(b"xyz").decode()]

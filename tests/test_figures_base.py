"""The figure framework's shared math-text layouts (zprime.app.figures.base.shared_mathtext)."""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg", force=False)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.mathtext import MathTextParser  # noqa: E402

from zprime.app.figures._style import paper_style  # noqa: E402
from zprime.app.figures.base import shared_mathtext  # noqa: E402


def _png(label: str) -> np.ndarray:
    """A small log-log figure with a math label and math tick labels, as RGBA pixels."""
    from PIL import Image

    with paper_style():
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.plot([1.0, 1e3], [1e-5, 1e-2])
        ax.set_xlabel(label)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
        fig.savefig(io.BytesIO(), format="pdf", bbox_inches="tight")
        plt.close(fig)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())))


def test_same_pixels_with_shared_layouts() -> None:
    label = r"$m_{Z^\prime}\ \mathrm{[MeV]},\ \varepsilon^2$"
    plain = _png(label)
    with shared_mathtext():
        first = _png(label)
        again = _png(label)  # every layout from the shared cache now
    assert plain.shape == first.shape == again.shape
    assert np.array_equal(plain, first) and np.array_equal(plain, again)


def test_one_layout_for_all_parsers_and_restored_after() -> None:
    original = MathTextParser.__dict__["_parse_cached"]
    with shared_mathtext():
        with shared_mathtext():  # nested: a no-op
            pass
        a = MathTextParser("path").parse(r"$10^{-7}$", 72)
        b = MathTextParser("path").parse(r"$10^{-7}$", 72)
        assert a is b  # two parsers (two renderers), one layout
        assert MathTextParser("agg").parse(r"$10^{-7}$", 72) is not a  # raster, not vector
    assert MathTextParser.__dict__["_parse_cached"] is original
    c = MathTextParser("path").parse(r"$10^{-7}$", 72)
    d = MathTextParser("path").parse(r"$10^{-7}$", 72)
    assert c is not d  # matplotlib's own per-parser cache again


def test_tight_box_is_matplotlibs_tight_crop() -> None:
    from PIL import Image

    from zprime.app.figures.base import tight_box

    with paper_style():
        fig, ax = plt.subplots(figsize=(3, 2))
        ax.set_xscale("log")
        ax.plot([1.0, 1e3], [0.0, 1.0])
        ax.set_title("a title\non two lines")
        fig.legend(["a line"], loc="lower center")
        a, b = io.BytesIO(), io.BytesIO()
        fig.savefig(a, format="png", dpi=90, bbox_inches="tight")
        fig.savefig(b, format="png", dpi=90, bbox_inches=tight_box(fig, 90))
        plt.close(fig)
    pa, pb = (np.asarray(Image.open(io.BytesIO(x.getvalue()))) for x in (a, b))
    assert pa.shape == pb.shape and np.array_equal(pa, pb)


def test_tight_box_and_kept_layout_with_a_layout_engine() -> None:
    """A constrained-layout figure: the box and the PNG as matplotlib's "tight" save makes them, with the
    layout of the box's draw kept for the PNG (no second layout), and the engine back after."""
    from PIL import Image

    from zprime.app.figures.base import _layout_kept, tight_box

    def drawn() -> Any:
        fig, axes = plt.subplots(1, 2, figsize=(4, 2), sharey=True, constrained_layout=True)
        for ax in axes:
            ax.set_yscale("log")
            ax.plot([1.0, 2.0], [1e-3, 1.0])
            ax.set_title("a title")
        fig.suptitle("a figure title")
        return fig

    with paper_style():
        fig = drawn()
        a = io.BytesIO()
        fig.savefig(a, format="png", dpi=90, bbox_inches="tight")
        plt.close(fig)
        fig = drawn()
        engine = fig.get_layout_engine()
        b = io.BytesIO()
        box = tight_box(fig, 90)
        with _layout_kept(fig):
            assert fig.get_layout_engine() is None
            fig.savefig(b, format="png", dpi=90, bbox_inches=box)
        assert fig.get_layout_engine() is engine
        plt.close(fig)
    pa, pb = (np.asarray(Image.open(io.BytesIO(x.getvalue()))) for x in (a, b))
    assert pa.shape == pb.shape and np.array_equal(pa, pb)


def test_fixed_ticks_same_files_and_recomputes_on_change() -> None:
    """Within fixed_ticks: the same PNG and PDF bytes as without (log axes with minor ticks, shared axes,
    a function formatter); ticks follow a changed view interval; matplotlib's own method is back after."""
    from matplotlib.axis import Axis
    from matplotlib.ticker import FuncFormatter

    from zprime.app.figures.base import fixed_ticks

    plain = Axis.__dict__["_update_ticks"]

    def saved() -> tuple[bytes, bytes]:
        fig, axes = plt.subplots(1, 2, figsize=(4, 2), sharey=True)
        for ax in axes:
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.plot([1e-3, 1e4], [1e-7, 1e-2])
            ax.set_title("a title")
            ax.tick_params(which="both", direction="in", top=True, right=True)
        axes[1].xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))
        fig.tight_layout()
        a, b = io.BytesIO(), io.BytesIO()
        fig.savefig(a, format="png", dpi=90, metadata={"Software": None})
        fig.savefig(b, format="pdf", metadata={"CreationDate": None})
        plt.close(fig)
        return a.getvalue(), b.getvalue()

    with paper_style():
        before = saved()
        with fixed_ticks():
            assert Axis.__dict__["_update_ticks"] is not plain
            within = saved()
            fig, ax = plt.subplots()
            ax.set_xlim(0.0, 1.0)
            wide = [t.get_loc() for t in ax.xaxis._update_ticks()]
            ax.set_xlim(0.0, 0.01)
            narrow = [t.get_loc() for t in ax.xaxis._update_ticks()]
            ax.tick_params(reset=True, labelsize=5)  # new tick objects
            assert set(ax.xaxis._update_ticks()) <= set(ax.xaxis.majorTicks + ax.xaxis.minorTicks)
            plt.close(fig)
        assert Axis.__dict__["_update_ticks"] is plain
    assert within == before
    assert max(narrow) <= 0.01 < max(wide)


def _layouts_kept() -> int:
    from zprime.app.figures.base import _mathtext_layout

    return _mathtext_layout.cache_info().currsize


def test_forked_child_makes_its_own_math_layouts() -> None:
    """The layouts hold font objects with open font files; a forked child must not load glyphs through the
    parent's (shared read position): it starts without them."""
    import multiprocessing
    import os
    from concurrent.futures import ProcessPoolExecutor

    if not hasattr(os, "register_at_fork"):
        return
    with shared_mathtext():
        MathTextParser("path").parse(r"$10^{-3}$", 72)
    assert _layouts_kept() > 0
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert pool.submit(_layouts_kept).result() == 0
    assert _layouts_kept() > 0

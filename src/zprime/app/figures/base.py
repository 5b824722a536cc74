"""Figure framework: every figure = a function that computes its numbers + a function that draws them.

A figure module in ``zprime.app.figures`` defines ``provide() -> list[FigureSpec]``. ``data(**options)``
returns an :class:`xarray.Dataset` (coordinates with units in ``attrs``; the figure's regions as
variables), ``plot(dataset)`` returns a matplotlib Figure. :func:`save` writes PNG, PDF and netCDF.
Options understood by all figures: ``edition`` (any of :func:`zprime.core.measurements.editions`),
``ae`` ('cs'/'rb'), ``resolution`` (grid points per axis; lower for smoke tests).
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from zprime.core.lazy import lazy_module
from zprime.core.outputs import atomic_write, prepare_output_dir
from zprime.core.registry import Registry

xr = lazy_module("xarray")  # loaded at its first use: listing the figures does not need it

#: Resolution of the PNG files (dots per inch)
PNG_DPI = 150


@dataclass(frozen=True)
class FigureSpec:
    name: str  # e.g. "bodas2021-fig2a"
    title: str  # one line
    paper: str  # citation of the reproduced figure
    data: Callable[..., xr.Dataset]
    plot: Callable[[xr.Dataset], Any]
    default_resolution: int = 200


_FIGURES: Registry[FigureSpec] = Registry("zprime.app.figures", "figure", skip=("base", "style"))


def names() -> list[str]:
    return _FIGURES.names()


def get(name: str) -> FigureSpec:
    return _FIGURES.get(name)


def save(name: str, out: str | Path, **options: Any) -> dict[str, Path]:
    """Compute and draw figure ``name``; write ``<out>/<name>.png``, ``.pdf`` and ``.nc``.

    Each file is written atomically (:func:`zprime.core.outputs.atomic_write`): a kill leaves no truncated
    file under its final name.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    spec = get(name)
    out = prepare_output_dir(out)
    ds = spec.data(**options)
    ds.attrs.setdefault("figure", spec.name)
    ds.attrs.setdefault("paper", spec.paper)
    paths = {ext: out / f"{spec.name}.{ext}" for ext in ("png", "pdf", "nc")}
    with shared_mathtext():
        fig = spec.plot(ds)
        try:
            with fixed_ticks():  # from here on no tick parameter changes
                box = tight_box(fig, PNG_DPI)
                # the PNG keeps the layout the box was found with; the PDF is laid out again (at its own
                # dpi) by an engine that lays out, not by one that keeps the layout (fig.tight_layout's)
                with _layout_kept(fig):
                    atomic_write(
                        paths["png"], lambda p: fig.savefig(p, dpi=PNG_DPI, bbox_inches=box, format="png")
                    )
                with contextlib.nullcontext() if _lays_out(fig) else _layout_kept(fig):
                    atomic_write(paths["pdf"], lambda p: fig.savefig(p, bbox_inches=box, format="pdf"))
        finally:
            plt.close(fig)
    atomic_write(paths["nc"], lambda p: _to_netcdf(ds, p))
    return paths


def tight_box(fig: Any, dpi: float) -> Any:
    """The box (inches) that ``fig.savefig(..., dpi=dpi, bbox_inches="tight")`` crops a PNG to, found as
    matplotlib finds it (the tight box, the ``savefig.pad_inches`` margin), for the PNG and the PDF both:
    "tight" would lay the figure out twice more for the PDF (a seventh of the drawing time), for a box that
    differs from the PNG's by the hinting of the text metrics only (below 2 pt, inside the 7 pt margin).
    matplotlib draws the figure (without output) before it takes the box; here only the first step of
    that draw is made, the layout, where an engine lays the figure out: the rest changes nothing in the
    box (the axes find their title positions and tick labels for it themselves) and cost a full draw.
    ``"tight"`` where the canvas is not matplotlib's Agg canvas."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if type(fig.canvas) is not FigureCanvasAgg:
        return "tight"
    old_dpi = fig.dpi
    fig.dpi = dpi
    try:
        if _lays_out(fig):
            fig.get_layout_engine().execute(fig)  # as the draw does first
        box = fig.get_tightbbox(fig.canvas.get_renderer())
    finally:
        fig.dpi = old_dpi
    pad = matplotlib.rcParams["savefig.pad_inches"]
    return box.padded(pad, pad)


def _lays_out(fig: Any) -> bool:
    """Whether ``fig`` has a layout engine that places the axes when the figure is drawn (not None nor the
    placeholder that ``fig.tight_layout()`` leaves, which keeps the layout as it is)."""
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    return engine is not None and not isinstance(engine, PlaceHolderLayoutEngine)


@contextlib.contextmanager
def _layout_kept(fig: Any) -> Iterator[None]:
    """Within: ``fig`` has no layout engine, so ``savefig`` draws the figure once, not twice (with any
    engine, the placeholder included, it draws first without output for the engine): at the dpi of
    :func:`tight_box` it keeps the layout that box was found with (the same positions, as the same engine
    computes them at the same dpi from the same texts). The engine is back after."""
    import matplotlib

    engine = fig.get_layout_engine()
    rc = matplotlib.rcParams
    if engine is None or rc["figure.autolayout"] or rc["figure.constrained_layout.use"]:
        yield  # None would not mean "no engine" here
        return
    fig.set_layout_engine(None)
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


def _pure_tickers() -> tuple[type, ...]:
    """matplotlib's locators and formatters whose ticks and labels follow from their axis' view interval,
    its room for ticks (``get_tick_space``), its scale and data (fixed while a figure is saved) and the
    rcParams; a :class:`~matplotlib.ticker.FuncFormatter` holds a function of the value and position."""
    from matplotlib import ticker as t

    return (
        t.NullLocator,
        t.FixedLocator,
        t.MultipleLocator,
        t.MaxNLocator,
        t.AutoLocator,
        t.AutoMinorLocator,
        t.LogLocator,
        t.SymmetricalLogLocator,
        t.NullFormatter,
        t.FixedFormatter,
        t.FuncFormatter,
        t.FormatStrFormatter,
        t.StrMethodFormatter,
        t.ScalarFormatter,
        t.LogFormatter,
        t.LogFormatterExponent,
        t.LogFormatterMathtext,
        t.LogFormatterSciNotation,
    )


def _ticks_key(axis: Any, pure: tuple[type, ...], plain: tuple[type, ...]) -> tuple[Any, ...] | None:
    """What the ticks of a plain x or y axis follow from (None: not known): its tickers, and for each the
    view interval and room for ticks of the axis it serves (shared axes share their tickers); ``pure``:
    :func:`_pure_tickers`, ``plain``: the classes of plain x and y axes."""
    if type(axis) not in plain:
        return None
    key: list[Any] = []
    for ticker in (axis.major.locator, axis.major.formatter, axis.minor.locator, axis.minor.formatter):
        served = ticker.axis if ticker.axis is not None else axis
        if type(ticker) not in pure or type(served) not in plain:
            return None
        key += (ticker, tuple(served.get_view_interval()), served.get_tick_space())
    return (*key, tuple(axis.get_view_interval()))


def _tick_lists(axis: Any) -> tuple[Any, Any]:
    """The axis' lists of major and minor ticks as they are (None where not made yet); matplotlib makes
    new lists where it resets the ticks."""
    return axis.__dict__.get("majorTicks"), axis.__dict__.get("minorTicks")


@contextlib.contextmanager
def fixed_ticks() -> Iterator[None]:
    """Within: an axis computes its ticks once while what they follow from stays the same.

    matplotlib finds the ticks of an axis (locator, formatter, tick positions and labels) anew each time
    it measures or draws the axis, its spines, its title and its siblings' labels: for the figures of
    `zprime reproduce` about twenty times as often as within (log axes with many minor ticks). Within, the
    ticks of the last computation are reused while the tickers, their axes' view intervals and room for
    ticks (:func:`_ticks_key`) are the same: the same ticks matplotlib computes again, so the files are
    byte for byte the same. Use it only where no code in between changes tick parameters (a layout, a
    save). Where this matplotlib version lacks the (private) hook, or for tickers not known to depend on
    these alone, matplotlib computes the ticks as before."""
    from matplotlib.axis import Axis, XAxis, YAxis

    update = Axis.__dict__.get("_update_ticks")
    if update is None or getattr(update, "_zprime_fixed", False):
        yield  # unknown matplotlib internals, or already fixed (nested, or another thread)
        return
    pure = _pure_tickers()
    # id(axis) -> (axis, its tick lists, key, ticks); new tick lists (reset ticks) are computed anew
    done: dict[int, tuple[Any, tuple[Any, Any], tuple[Any, ...], list[Any]]] = {}

    def fixed(self: Any) -> list[Any]:
        key = _ticks_key(self, pure, (XAxis, YAxis))
        if key is None:
            return update(self)
        last = done.get(id(self))
        if (
            last is not None
            and last[0] is self
            and all(a is b for a, b in zip(last[1], _tick_lists(self), strict=True))
            and last[2] == key
        ):
            return list(last[3])
        ticks = update(self)
        done[id(self)] = (self, _tick_lists(self), key, list(ticks))
        return ticks

    fixed._zprime_fixed = True  # type: ignore[attr-defined]
    with _replaced(Axis, "_update_ticks", fixed):
        yield


@functools.lru_cache(maxsize=4096)
def _mathtext_layout(parse: Callable[..., Any], output: str, args: tuple[Any, ...]) -> Any:
    """One layout of a math string by matplotlib's parser (``args``: string, dpi, font, antialiasing,
    hinting)."""
    from matplotlib.mathtext import MathTextParser

    parser = _MATHTEXT_PARSERS.get(output)
    if parser is None:
        parser = _MATHTEXT_PARSERS[output] = MathTextParser(output)
    return parse(parser, *args)


_MATHTEXT_PARSERS: dict[str, Any] = {}


def _forget_inherited_layouts() -> None:
    """In a forked child: drop the math layouts (and parsers) the parent made. They hold the parent's font
    objects, which matplotlib does not use across a fork (it empties its own font cache there): each keeps
    its font file open, and the processes share that file's read position, so two workers loading glyphs
    at once read each other's bytes (a FreeType error such as "too many hints", or a wrong glyph)."""
    _mathtext_layout.cache_clear()
    _MATHTEXT_PARSERS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_inherited_layouts)


@contextlib.contextmanager
def shared_mathtext() -> Iterator[None]:
    """Within: matplotlib lays out each math string ($...$ labels, log tick labels) once per process.

    matplotlib keeps the layouts per renderer (its last 50 strings), and each ``savefig`` makes new
    renderers, so every label was parsed again for each file and layout pass (three parses in four, a
    fifth of the drawing time). The layouts are the objects matplotlib computes (read only: its own cache
    shares them too), so the files are byte for byte the same; outside this context matplotlib is as it
    was. Where this matplotlib version lacks the (private) hook it does nothing."""
    from matplotlib.mathtext import MathTextParser

    parse = MathTextParser.__dict__.get("_parse_cached")
    if parse is None or getattr(parse, "_zprime_shared", False) or not hasattr(parse, "__wrapped__"):
        yield  # unknown matplotlib internals, or already shared (nested, or another thread)
        return
    plain = parse.__wrapped__  # without matplotlib's per-parser cache
    output = {"vector": "path", "raster": "agg"}

    def shared(self: Any, *args: Any) -> Any:
        kind = output.get(getattr(self, "_output_type", None))  # type: ignore[arg-type]
        return parse(self, *args) if kind is None else _mathtext_layout(plain, kind, args)

    shared._zprime_shared = True  # type: ignore[attr-defined]
    with _replaced(MathTextParser, "_parse_cached", shared):
        yield


@contextlib.contextmanager
def _replaced(owner: type, name: str, value: Any) -> Iterator[None]:
    """Within: ``owner.name`` is ``value`` (the hooks of :func:`fixed_ticks` and :func:`shared_mathtext`);
    the attribute the class had is put back on leaving."""
    old = owner.__dict__[name]
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, old)


def _to_netcdf(ds: xr.Dataset, path: Path) -> None:
    clean = ds.copy()
    for k, v in list(clean.attrs.items()):
        if isinstance(v, bool):
            clean.attrs[k] = int(v)
        elif not isinstance(v, (str, int, float)):
            clean.attrs[k] = str(v)
    for var in clean.variables.values():
        for k, v in list(var.attrs.items()):
            if isinstance(v, bool):
                var.attrs[k] = int(v)
            elif not isinstance(v, (str, int, float)):
                var.attrs[k] = str(v)
    clean.to_netcdf(path, engine="h5netcdf")

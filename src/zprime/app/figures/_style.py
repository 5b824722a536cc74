"""Shared plotting helpers for the figure reproductions: region colours and labels, opaque filled regions
drawn from boolean masks (edges drawn on top of every fill), log/symmetric axes, plain titles and the
"allowed" marker.

Colours come from the one colour-blind-safe palette of the package (Paul Tol's "muted" and "light" schemes,
:data:`zprime.analyses.limits_plot.PALETTE`), chosen close to the seed's captions (Bodas Figs. 2-4: Δa_e blue,
Møller yellow, BaBar orange, KLOE green, NA64 pink, BBN purple, a_μ purple band, CCFR pink). One experiment
keeps one colour in every figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from zprime.analyses.limits_plot import PALETTE
from zprime.core.lazy import lazy_module

xr = lazy_module("xarray")  # loaded at its first use: listing the figures does not need it

if TYPE_CHECKING:  # matplotlib is imported by the functions that draw (listing the figures needs none)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

#: Named entries of :data:`PALETTE` (Tol muted, then light).
TOL: dict[str, str] = dict(
    zip(
        (
            "rose",
            "indigo",
            "sand",
            "green",
            "cyan",
            "wine",
            "teal",
            "olive",
            "purple",
            "light_blue",
            "orange",
            "light_yellow",
            "pink",
            "pale_cyan",
            "mint",
            "pear",
            "light_olive",
            "pale_grey",
        ),
        PALETTE,
        strict=True,
    )
)


@dataclass(frozen=True)
class RegionStyle:
    """How one region is drawn: legend label, face colour (opaque; ``alpha=0`` draws the hatch alone),
    optional hatch."""

    label: str
    color: str
    hatch: str | None = None
    alpha: float = 1.0


#: Exact names first, then prefixes (checked in order) for constraint families.
_EXACT: dict[str, RegionStyle] = {
    "delta_ae_unreachable": RegionStyle(r"$\Delta a_e$ not reachable", TOL["light_blue"]),
    "delta_amu_too_small": RegionStyle(r"$|C_{V\mu}|$ too small for $\Delta a_\mu$", TOL["light_blue"]),
    "a_e_band": RegionStyle(r"$a_e$ within $1\sigma$", TOL["light_blue"]),
    "a_mu_band": RegionStyle(r"$a_\mu$ within $1\sigma$", TOL["purple"]),
    "band_overlap": RegionStyle(r"$a_e$ and $a_\mu$ within $1\sigma$", "#000000", hatch="xxx", alpha=0.0),
    "babar_2014": RegionStyle("BaBar 2014", TOL["orange"]),
    "babar_2014_envelope": RegionStyle("BaBar 2014 (smoothed)", TOL["orange"]),
    "kloe_2012": RegionStyle(r"KLOE 2012 ($\phi\to\eta Z'$)", TOL["green"]),
    "kloe_2015": RegionStyle(r"KLOE 2015 ($e^+e^-\to\gamma Z'$)", TOL["pear"]),
    "na64_2018": RegionStyle("NA64 2018", TOL["pink"]),
    "na64_2019": RegionStyle("NA64 2019", TOL["rose"]),
    "moller_e158": RegionStyle("Møller (E158)", TOL["sand"]),
    "moller_e158_seed": RegionStyle(r"Møller (E158), $|C_{Ve}C_{Ae}|\leq10^{-8}$", TOL["sand"]),
    "bbn_planck": RegionStyle("BBN + Planck", TOL["purple"]),
    "texono": RegionStyle("TEXONO", TOL["teal"]),
    "texono_seed": RegionStyle("TEXONO", TOL["teal"]),
    "borexino": RegionStyle("Borexino", TOL["indigo"]),
    "borexino_seed": RegionStyle("Borexino", TOL["indigo"]),
    "charm2": RegionStyle(r"CHARM-II ($\nu_\mu e$)", TOL["cyan"]),
    "white_dwarf": RegionStyle("White dwarfs", TOL["pale_grey"]),
    "ccfr_trident": RegionStyle("CCFR (trident)", TOL["pink"]),
    "charm2_trident": RegionStyle("CHARM-II (trident)", TOL["cyan"]),
}
_FALLBACK_COLOURS = (TOL["wine"], TOL["mint"], TOL["light_olive"], TOL["olive"], TOL["pale_cyan"])


def region_style(name: str) -> RegionStyle:
    """Style of region ``name`` (a constraint name or a g−2 region); unknown names get a stable colour."""
    if name in _EXACT:
        return _EXACT[name]
    colour = _FALLBACK_COLOURS[sum(map(ord, name)) % len(_FALLBACK_COLOURS)]
    return RegionStyle(name, colour)


def _darker(color: str, f: float = 0.65) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (r * f, g * f, b * f)


def region_attrs(name: str, refs: dict[str, str] | None = None, kind: str = "constraint") -> dict[str, str]:
    """Variable attributes of a region: label, colour, kind and (for constraints) the citation."""
    st = region_style(name)
    out = {"label": st.label, "color": st.color, "kind": kind}
    if kind == "constraint":
        out.update({"constraint": name, "reference": (refs or {}).get(name, "")})
    return out


def smooth_field(mask: np.ndarray, sigma: float = 1.0) -> np.ndarray:
    """A field positive exactly inside ``mask`` (to within a grid cell) whose zero line is smooth: the signed
    distance to the mask's edge in grid cells (the grids are log-spaced, so this interpolates in log space),
    lightly Gaussian-smoothed. Used for regions known only as masks (no χ² margin), where the contour of the
    mask itself would follow the grid's staircase."""
    from scipy.ndimage import distance_transform_edt, gaussian_filter

    m = np.asarray(mask, bool)
    if m.all() or not m.any():
        return np.where(m, 1.0, -1.0)
    d = distance_transform_edt(m) - distance_transform_edt(~m)
    d = np.where(d > 0, d - 0.5, d + 0.5)
    return gaussian_filter(d, sigma, mode="nearest") if sigma > 0 else d


def fill_region(
    ax: Axes,
    x: np.ndarray,
    y: np.ndarray,
    mask: np.ndarray,
    style: RegionStyle,
    zorder: float = 1.0,
    edge: bool = True,
    margin: np.ndarray | None = None,
    edge_zorder: float | None = None,
) -> Patch | None:
    """Fill where ``mask`` (shape (len(y), len(x))) is true (opaque, or hatched); return a legend handle, or
    None if empty. The edge is drawn at ``edge_zorder`` (default just above the fill): pass a value above
    every fill so that a region covered by another stays outlined.

    With ``margin`` (a field positive exactly where ``mask`` holds) the boundary is its zero contour, which
    interpolates between grid points instead of following the grid's staircase; without it, the boundary of
    :func:`smooth_field`.
    """
    mask = np.asarray(mask, bool)
    if not mask.any():
        return None
    if margin is not None and np.array_equal(np.asarray(margin) > 0, mask):
        z = np.clip(np.asarray(margin, float), -10.0, 10.0)
    else:
        z = np.clip(smooth_field(mask), -10.0, 10.0)
    levels = [0.0, 11.0]
    if style.alpha > 0:
        ax.contourf(x, y, z, levels=levels, colors=[style.color], zorder=zorder, antialiased=True)
    if style.hatch:
        cs = ax.contourf(x, y, z, levels=levels, colors="none", hatches=[style.hatch], zorder=zorder + 0.1)
        cs.set_edgecolor(_darker(style.color, 1.0))
        cs.set_linewidth(0.0)
    if edge:
        ax.contour(
            x,
            y,
            z,
            levels=[0.0],
            colors=[_darker(style.color)],
            linewidths=0.9,
            zorder=zorder + 0.2 if edge_zorder is None else edge_zorder,
        )
    from matplotlib.patches import Patch

    return Patch(
        facecolor=style.color if style.alpha > 0 else "none",
        edgecolor=_darker(style.color),
        hatch=style.hatch,
        label=style.label,
    )


def margin_of(ds: xr.Dataset, name: str, sel: Any = None) -> np.ndarray | None:
    """The ``<name>_margin`` variable of ``ds`` (rows ``sel``), or None."""
    key = f"{name}_margin"
    if key not in ds:
        return None
    v = ds[key].values
    return v if sel is None else v[sel]


def draw_regions(
    ax: Axes, ds: xr.Dataset, names: Iterable[str] | None = None, y: np.ndarray | None = None, sel: Any = None
) -> list[Patch]:
    """Fill every region variable of ``ds``; return legend handles in ``ds.attrs['regions']`` order."""
    return list(draw_region_map(ax, ds, names, y, sel).values())


def draw_region_map(
    ax: Axes, ds: xr.Dataset, names: Iterable[str] | None = None, y: np.ndarray | None = None, sel: Any = None
) -> dict[str, Patch]:
    """Fill every region variable of ``ds`` (rows ``sel``); return {name: legend handle} of the non-empty ones
    in ``ds.attrs['regions']`` order.

    Fills are opaque, so the largest regions are drawn first and the smaller ones on top; every edge is drawn
    above all fills, so a region hidden under another is still outlined."""
    yname = ds.attrs["y"]
    x = ds["mass_mev"].values
    yv = ds[yname].values if y is None else y
    order = list(names if names is not None else ds.attrs["regions"])
    masks = {n: (ds[n].values if sel is None else ds[n].values[sel]) for n in order}
    by_area = sorted(order, key=lambda n: -float(np.mean(masks[n])))
    handles: dict[str, Patch] = {}
    for k, name in enumerate(by_area):
        h = fill_region(
            ax,
            x,
            yv,
            masks[name],
            region_style(name),
            zorder=1.0 + 0.5 * k,
            margin=margin_of(ds, name, sel),
            edge_zorder=12.0 + 0.1 * k,
        )
        if h is not None:
            handles[name] = h
    return {n: handles[n] for n in order if n in handles}


def paper_style() -> Any:
    """Context for drawing: STIX math (ν distinct from v), inward ticks, no offset tick labels."""
    import matplotlib

    return matplotlib.rc_context(
        {
            "mathtext.fontset": "stix",
            "font.family": "STIXGeneral",
            "xtick.direction": "in",
            "ytick.direction": "in",
            "axes.titlesize": 10,
            "axes.formatter.useoffset": False,
            "hatch.linewidth": 0.6,
        }
    )


def styled(fn: Any) -> Any:
    """Decorator: run a plot function inside :func:`paper_style`."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with paper_style():
            return fn(*args, **kwargs)

    return wrapper


def sci_tex(v: float, digits: int = 1) -> str:
    """1e-05 -> '10^{-5}', 2.5e-4 -> '2.5\\times10^{-4}' (math mode, without $)."""
    if v == 0 or not np.isfinite(v):
        return f"{v:g}"
    e = int(np.floor(np.log10(abs(v))))
    mant = v / 10.0**e
    if abs(mant - 1.0) < 1e-9:
        return f"10^{{{e}}}"
    return f"{mant:.{digits}f}\\times10^{{{e}}}"


def setup_axes(ax: Axes, ds: xr.Dataset, y_scale: str | None = None, y_label: str | None = None) -> None:
    """Axis scales and labels from the coordinates' attributes (x: m_Z' [MeV], log)."""
    yname = ds.attrs["y"]
    ax.set_xscale(ds["mass_mev"].attrs.get("scale", "log"))
    ax.set_yscale(y_scale or ds[yname].attrs.get("scale", "linear"))
    ax.set_xlabel(ds["mass_mev"].attrs.get("label", "m [MeV]"))
    ax.set_ylabel(y_label or ds[yname].attrs.get("label", yname))
    x = ds["mass_mev"].values
    ax.set_xlim(float(x.min()), float(x.max()))
    ax.tick_params(which="both", direction="in", top=True, right=True)


#: Plain words for the rule sets of :mod:`zprime.physics.constraints.rulesets`.
RULE_WORDS: dict[str, str] = {"seed": "the paper's bounds", "current": "updated bounds"}


def title(ds: xr.Dataset, heading: str) -> str:
    """Two lines: the plain ``heading``, then 'Bodas et al. Fig. N · edition E, a_e(Cs), rules = R (...)'
    from the Dataset's attributes."""
    ae = str(ds.attrs.get("ae", "cs"))
    rules = str(ds.attrs.get("rules", "?"))
    return (
        f"{heading}\nBodas et al. Fig. {ds.attrs.get('panel', '?')} · edition {ds.attrs.get('edition', '?')}, "
        f"$a_e$({'Cs' if ae == 'cs' else 'Rb'}), rules = {rules} ({RULE_WORDS.get(rules, rules)})"
    )


def legend(
    fig: Figure,
    ax: Axes,
    handles: Sequence[Any],
    ncol: int = 1,
    outside: bool = True,
    loc: str = "upper left",
) -> None:
    """Legend of the region handles, outside the axes on the right by default."""
    if not handles:
        return
    if outside:
        ax.legend(
            handles=list(handles),
            loc="upper left",
            bbox_to_anchor=(1.02, 1.0),
            fontsize=8,
            frameon=False,
            ncol=ncol,
            borderaxespad=0.0,
        )
    else:
        ax.legend(handles=list(handles), loc=loc, fontsize=8, framealpha=0.9, ncol=ncol)


def arrow_to(
    ax: Axes,
    xy: tuple[float, float],
    text_axes: tuple[float, float],
    text: str = "allowed",
    color: str = "red",
) -> None:
    """Label at ``text_axes`` (axes fraction) with a red arrow to the data point ``xy``."""
    ax.annotate(
        text,
        xy=xy,
        xycoords="data",
        xytext=text_axes,
        textcoords="axes fraction",
        color=color,
        fontsize=10,
        fontweight="bold",
        ha="center",
        va="center",
        zorder=20,
        arrowprops={"arrowstyle": "-|>", "color": color, "lw": 1.6, "shrinkA": 2, "shrinkB": 1},
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": color, "lw": 0.8, "alpha": 0.9},
    )


def note(ax: Axes, text: str, loc: tuple[float, float] = (0.02, 0.02), fontsize: float = 7.0) -> None:
    """Small grey note in axes coordinates (e.g. the fixed couplings of the slice)."""
    ax.text(
        loc[0],
        loc[1],
        text,
        transform=ax.transAxes,
        fontsize=fontsize,
        color="0.2",
        ha="left",
        va="bottom",
        zorder=25,
        bbox={"boxstyle": "round,pad=0.25", "fc": "white", "ec": "0.7", "alpha": 0.85},
    )


def new_figure(width: float = 7.4, height: float = 4.8, **kw: Any) -> tuple[Figure, Any]:
    """A figure with one axes (or ``nrows``/``ncols`` via kw) sized for a legend on the right."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), **kw)
    return fig, ax


def region_axes(ds: xr.Dataset, ylim: tuple[float, float]) -> tuple[Figure, Axes, list[Patch]]:
    """A one-axes figure with every region of ``ds`` drawn, axes set up from the coordinates, y limits
    ``ylim``; returns (figure, axes, legend handles)."""
    fig, ax = new_figure()
    handles = draw_regions(ax, ds)
    setup_axes(ax, ds)
    ax.set_ylim(*ylim)
    return fig, ax, handles


def finish(
    fig: Figure,
    ax: Axes,
    handles: Sequence[Any],
    ds: xr.Dataset,
    heading: str,
    text: str,
    fontsize: float = 7.0,
) -> Figure:
    """Complete a :func:`region_axes` figure: title ``heading`` (with the source and rules), the note ``text``
    in the lower left, the legend of ``handles`` on the right, tight layout."""
    ax.set_title(title(ds, heading), fontsize=10)
    note(ax, text, loc=(0.02, 0.02), fontsize=fontsize)
    legend(fig, ax, handles)
    tight_layout(fig)
    return fig


def tight_layout(fig: Figure, **kw: Any) -> None:
    """``fig.tight_layout(**kw)``, with each axis' ticks computed once for the layout
    (:func:`zprime.app.figures.base.fixed_ticks`; the same layout)."""
    from zprime.app.figures.base import fixed_ticks

    with fixed_ticks():
        fig.tight_layout(**kw)


def neutrino_panel(
    ds: xr.Dataset, half_range: float, text: str, arrow_near_mev: float | None = None
) -> Figure:
    """Draw a neutrino-coupling slice (Figs. 2c/2d, 3c/3d; :func:`~zprime.app.figures._recipes.neutrino_slice`):
    regions over (m_Z', C_ν) in ±``half_range``, an 'allowed' arrow at C_ν = 0 to the middle allowed mass
    column (or the one nearest ``arrow_near_mev``), the note ``text``."""
    from matplotlib.ticker import FuncFormatter

    fig, ax, handles = region_axes(ds, (-half_range, half_range))
    # tick labels in units of 10^k written into the axis label (no offset text above the axis)
    k = int(np.floor(np.log10(half_range)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v / 10.0**k:g}"))
    ax.set_ylabel(f"{ax.get_ylabel()}  [$10^{{{k}}}$]")
    allowed = ds["allowed"].values
    if allowed.any():
        m = ds["mass_mev"].values
        cols = np.flatnonzero(allowed.any(axis=0))
        if arrow_near_mev is None:
            mid = cols[len(cols) // 2]
        else:
            mid = cols[np.argmin(np.abs(np.log(m[cols] / arrow_near_mev)))]
        arrow_to(ax, (m[mid], 0.0), (0.22, 0.85), "allowed")
    t = ds.attrs["target_delta_a_e"]
    coupling = "C_{Ae}" if ds.attrs["solved_coupling"] == "axial" else "C_{Ve}"
    other = "C_{Ve}" if ds.attrs["solved_coupling"] == "axial" else "C_{Ae}"
    side = "below" if t < ds.attrs["delta_a_e"] else "above"
    nu = ds[ds.attrs["y"]].attrs.get("label", "")
    heading = (
        f"Neutrino coupling {nu}: ${other}=0$, ${coupling}>0$ gives "
        f"$\\Delta a_e = {t * 1e13:.1f}\\times10^{{-13}}$ ($1\\sigma$ {side})"
    )
    return finish(fig, ax, handles, ds, heading, text)


__all__ = [
    "RegionStyle",
    "region_style",
    "region_attrs",
    "fill_region",
    "margin_of",
    "draw_regions",
    "draw_region_map",
    "PALETTE",
    "TOL",
    "RULE_WORDS",
    "smooth_field",
    "paper_style",
    "styled",
    "sci_tex",
    "setup_axes",
    "title",
    "legend",
    "arrow_to",
    "note",
    "new_figure",
    "region_axes",
    "finish",
    "tight_layout",
    "neutrino_panel",
]

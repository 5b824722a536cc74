"""The exclusion plot of a :class:`~zprime.analyses.limits.LimitSet`: every excluded region filled and named on
the plot, the g−2 preferred bands hatched, log–log axes with units.

Curves of one experiment share a colour and one label ("KLOE 2012–2018"); colours come from Paul Tol's
colour-blind-safe "muted" and "light" schemes (https://personal.sron.nl/~pault/). :func:`plot_data` returns
the numbers drawn.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# The objects drawn are zprime.analyses.limits.LimitSet / LimitCurve (duck-typed here: that module imports
# this one for LimitSet.plot, and the layers stay free of import circles).
LimitSet = Any
LimitCurve = Any

#: Paul Tol's "muted" then "light" qualitative schemes (colour-blind safe).
PALETTE: tuple[str, ...] = (
    "#CC6677",
    "#332288",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#77AADD",
    "#EE8866",
    "#EEDD88",
    "#FFAABB",
    "#99DDFF",
    "#44BB99",
    "#BBCC33",
    "#AAAA00",
    "#DDDDDD",
)
#: g−2 band styles: (edge colour, hatch) per lepton.
G2_STYLE: Mapping[str, tuple[str, str]] = {"mu": ("#000000", "////"), "e": ("#0044AA", "\\\\\\\\")}
COUPLING_LABELS: Mapping[str, str] = {
    "g_prime": r"$g'$",
    "eps": r"$\varepsilon$",
    "epsilon": r"$\varepsilon$",
    "delta": r"$\delta$",
    "g_tilde": r"$\tilde g$",
}
MODEL_LABELS: Mapping[str, str] = {
    "b_minus_l": r"$B-L$",
    "lmu_ltau": r"$L_\mu-L_\tau$",
    "le_lmu": r"$L_e-L_\mu$",
    "dark_photon": "Dark photon",
    "dark_z": "Dark $Z$",
}


@dataclass(frozen=True)
class Region:
    """One experiment's excluded region as drawn: the label, colour and the curves it unites."""

    label: str
    color: str
    names: tuple[str, ...]
    label_xy: tuple[float, float]
    hatched: bool = False


def _group(curves: tuple[LimitCurve, ...]) -> dict[str, list[LimitCurve]]:
    groups: dict[str, list[LimitCurve]] = {}
    kinds = {(c.experiment, c.kind) for c in curves}
    for c in curves:
        both = (c.experiment, "visible") in kinds and (c.experiment, "invisible") in kinds
        key = f"{c.experiment} ({c.kind})" if both else c.experiment
        groups.setdefault(key, []).append(c)
    return groups


_YEAR = re.compile(r"(?:19|20)\d\d")


def _years(curves: list[LimitCurve]) -> str:
    ys = sorted({int(y) for c in curves for y in _YEAR.findall(c.label)})
    if not ys:
        return ""
    return f" {ys[0]}" if len(ys) == 1 else f" {ys[0]}–{ys[-1]}"


def plot_data(ls: LimitSet, y_range: tuple[float, float] | None = None) -> dict[str, Any]:
    """The numbers behind the plot: axis ranges, one region per experiment (label, colour, curve names,
    label position) and the g−2 bands drawn (2σ of each measurement)."""
    lows = [np.nanmin(c.lower) for c in ls.curves if np.any(np.isfinite(c.lower))]
    if y_range is None:
        lo = max(1e-9, 0.3 * min(lows)) if lows else 1e-9
        y_range = (10 ** np.floor(np.log10(lo)), 1.0)
    masses = [c.mass_mev for c in ls.curves] + [b.mass_mev for b in ls.g2_bands]
    x_range = (
        (min(float(m.min()) for m in masses), max(float(m.max()) for m in masses)) if masses else (1, 1e4)
    )
    # weakest first: where regions overlap, the strongest bound at that mass is drawn on top
    groups = sorted(_group(ls.curves).items(), key=lambda kv: -_typical_edge(kv[1]))
    regions = []
    placed: list[tuple[float, float, float, float]] = []
    for i, (exp, cs) in enumerate(groups):
        label = cs[0].label if len(cs) == 1 else (exp if _YEAR.search(exp) else exp + _years(cs))
        regions.append(
            Region(
                label,
                PALETTE[i % len(PALETTE)],
                tuple(c.name for c in cs),
                _label_position(label, cs, x_range, y_range, placed),
                hatched=_reaches_floor(cs, y_range[0]),
            )
        )
    bands = [b for b in ls.g2_bands if b.sigma == 2 and np.any(np.isfinite(b.high))]
    return {"x_range": x_range, "y_range": y_range, "regions": regions, "g2_bands": bands}


def _reaches_floor(curves: list[LimitCurve], floor: float) -> bool:
    """Whether a group is drawn hatched: it reaches the bottom of the plot, or it is a cosmological or
    astrophysical bound (kind 'other') within a decade of it (these exclude everything above a tiny coupling
    and would hide the beam dumps under them)."""
    lows = [float(np.nanmin(c.lower)) for c in curves if np.any(np.isfinite(c.lower))]
    if not lows:
        return False
    if min(lows) <= floor * 1.5:
        return True
    return all(c.kind == "other" for c in curves) and min(lows) <= floor * 10.0


def _typical_edge(curves: list[LimitCurve]) -> float:
    """Median log10 of a group's lower edges (its typical strength)."""
    vals = np.concatenate([np.log10(c.lower[np.isfinite(c.lower)]) for c in curves])
    return float(np.median(vals)) if vals.size else 0.0


def _label_position(
    label: str,
    curves: list[LimitCurve],
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    placed: list[tuple[float, float, float, float]],
) -> tuple[float, float]:
    """A spot just above the lowest edge of the group that overlaps no label placed before (greedy, in
    decades of the log axes; sizes assume the default 7.5 pt labels on the default figure)."""
    lx0, lx1 = np.log10(x_range)
    ly0, ly1 = np.log10(y_range)
    w = 0.011 * len(label) * (lx1 - lx0)
    h = 0.045 * (ly1 - ly0)
    # candidates: points along the group's lower edges, lowest first, then nudged up in steps
    cand = []
    for c in curves:
        ok = np.isfinite(c.lower)
        for m, lo in zip(c.mass_mev[ok], c.lower[ok], strict=True):
            cand.append((float(np.log10(lo)), float(np.log10(m))))
    cand.sort()
    x = y = 0.0
    for dy in (0.25, 0.25 + h, 0.25 + 2 * h, 0.25 + 3 * h):
        for ly, lx in cand[:: max(1, len(cand) // 60)]:
            x = float(np.clip(lx, lx0 + w / 2, lx1 - w / 2))
            y = float(np.clip(ly + dy, ly0 + 0.1, ly1 - h))
            if all(abs(x - px) > (w + pw) / 2 or abs(y - py) > (h + ph) / 2 for px, py, pw, ph in placed):
                placed.append((x, y, w, h))
                return 10**x, 10**y
    # second pass: anywhere over the group's mass range, up to ten label heights above its lowest edge
    ly, lx = cand[0]
    xs = [lx for _, lx in cand]
    for k in range(1, 11):
        for xx in np.linspace(min(xs), max(xs), 9):
            x = float(np.clip(xx, lx0 + w / 2, lx1 - w / 2))
            y = float(np.clip(ly + 0.25 + k * h, ly0 + 0.1, ly1 - h))
            if all(abs(x - px) > (w + pw) / 2 or abs(y - py) > (h + ph) / 2 for px, py, pw, ph in placed):
                placed.append((x, y, w, h))
                return 10**x, 10**y
    x, y = float(np.clip(lx, lx0 + w / 2, lx1 - w / 2)), float(np.clip(ly + 0.25, ly0 + 0.1, ly1 - h))
    placed.append((x, y, w, h))
    return 10**x, 10**y


def plot(
    ls: LimitSet, ax: Axes | None = None, *, y_range: tuple[float, float] | None = None, labels: bool = True
) -> Axes:
    """Draw the exclusion plot of ``ls`` into ``ax`` (a new figure when None) and return the axes."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 5.5), layout="constrained")
    d = plot_data(ls, y_range)
    y0, y1 = d["y_range"]
    handles = []
    by_name = {c.name: c for c in ls.curves}
    for reg in d["regions"]:
        for name in reg.names:
            c = by_name[name]
            lo = c.lower
            hi = np.where(np.isinf(c.upper), y1 * 10, c.upper)
            ok = np.isfinite(lo) & np.isfinite(hi)
            # bounds that reach the bottom of the plot (cosmology, astrophysics) are hatched, not filled,
            # so that the laboratory regions underneath stay visible
            floor = reg.hatched
            ax.fill_between(
                c.mass_mev,
                np.where(ok, lo, np.nan),
                np.where(ok, hi, np.nan),
                where=ok,
                facecolor="none" if floor else reg.color,
                edgecolor=_darker(reg.color) if floor else "none",
                hatch="..." if floor else None,
                lw=0.0,
                alpha=1.0 if floor else 0.85,
                zorder=2.5 if floor else 1,
                interpolate=False,
            )
            for edge in (lo, np.where(np.isinf(c.upper), np.nan, c.upper)):
                ax.plot(c.mass_mev, edge, color=_darker(reg.color), lw=0.8, zorder=2)
        if labels:
            ax.annotate(
                reg.label,
                reg.label_xy,
                fontsize=7.5,
                ha="center",
                va="bottom",
                zorder=6,
                color="black",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75},
            )
    for b in d["g2_bands"]:
        edge, hatch = G2_STYLE[b.lepton]
        ok = np.isfinite(b.high)
        closed = ok & np.isfinite(b.low)
        name = r"\Delta a_\mu" if b.lepton == "mu" else rf"\Delta a_e\,(\alpha_{{\rm {b.ae.capitalize()}}})"
        if closed.any():
            ax.fill_between(
                b.mass_mev,
                np.where(closed, b.low, np.nan),
                np.where(closed, b.high, np.nan),
                where=closed,
                facecolor="none",
                edgecolor=edge,
                hatch=hatch,
                lw=0.0,
                zorder=3,
            )
            ax.plot(b.mass_mev, np.where(closed, b.low, np.nan), color=edge, lw=1.0, zorder=3)
            handles.append(
                Patch(
                    facecolor="none",
                    edgecolor=edge,
                    hatch=hatch,
                    label=rf"${name}$ within $2\sigma$ ({ls.edition})",
                )
            )
        open_ = ok & ~closed
        ax.plot(
            b.mass_mev,
            np.where(ok, b.high, np.nan),
            color=edge,
            lw=1.2,
            zorder=3,
            ls="-" if closed.any() else "--",
        )
        if open_.any():
            handles.append(
                Line2D(
                    [],
                    [],
                    color=edge,
                    ls="--",
                    lw=1.2,
                    label=rf"${name}$: $2\sigma$ upper edge ({ls.edition})",
                )
            )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(*d["x_range"])
    ax.set_ylim(y0, y1)
    ax.set_xlabel(r"$m_{Z'}$ [MeV]")
    ax.set_ylabel(COUPLING_LABELS.get(ls.coupling, ls.coupling))
    fixed = ls.fixed_text(COUPLING_LABELS)
    title = MODEL_LABELS.get(ls.model, ls.model.replace("_", " "))
    ax.set_title(
        f"{title}{' (' + fixed + ')' if fixed else ''}: excluded regions, inputs {ls.edition}", fontsize=10
    )
    if handles:
        ax.legend(handles=handles, fontsize=7.5, loc="lower right", framealpha=0.9)
    ax.grid(True, which="major", lw=0.3, alpha=0.5)
    return ax


def _darker(color: str, f: float = 0.6) -> tuple[float, float, float]:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(color)
    return (r * f, g * f, b * f)


__all__ = ["plot", "plot_data", "PALETTE", "Region"]

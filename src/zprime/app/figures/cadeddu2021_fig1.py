"""Cadeddu et al., PRD 104 (2021) L011701, Fig. 1: the ²⁰⁸Pb–¹³³Cs point-neutron-skin correlation.

The linear fit of the paper (text before C(18)): ΔR_np(Cs) = a·ΔR_np(Pb) + b with a = 0.707(23),
b = 0.016(5) fm (data entry ``darkz_skin_correlation_pb_cs``), its 1σ and 3σ bands, the PREX-1 + PREX-2
point ΔR_np(²⁰⁸Pb) = 0.283(71) fm (``prex_skin_pb208``) and the Cs skin derived from it, 0.22(5) fm, C(18)
(:func:`zprime.physics.observables.apv_nuclear.neutron_skin_chain`).

The bands propagate the slope and intercept uncertainties as independent, σ(x) = √((x σ_a)² + σ_b²): the paper
does not publish their correlation, so the band is wider near the centre of the models than the paper's. The
individual nuclear-model points of the paper's figure (its Refs. [69–84]) are not drawn: their paired
(Pb, Cs) skins are not given in the paper's text, and are not in the data.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zprime.app.figures import _style as S
from zprime.app.figures.base import FigureSpec
from zprime.core.errors import InputError
from zprime.core.lazy import lazy_module

xr = lazy_module("xarray")  # loaded at its first use: listing the figures does not need it

PAPER = "M. Cadeddu et al., Phys. Rev. D 104 (2021) L011701 (arXiv:2104.03280), Fig. 1"
#: Plotted range of ΔR_np(²⁰⁸Pb) in fm (that of the paper's figure, about).
PB_RANGE_FM: tuple[float, float] = (0.05, 0.40)


def data(edition: str = "2021", ae: str = "rb", resolution: int = 200, **_: Any) -> xr.Dataset:
    """Fit line, 1σ/3σ bands over ΔR_np(Pb), the PREX point and the derived Cs skin (all in fm)."""
    from zprime.core.measurements import get
    from zprime.physics.observables.apv_nuclear import neutron_skin_chain

    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution < 2:
        raise InputError("resolution", f"must be an integer >= 2, got {resolution!r}")
    corr = get("darkz_skin_correlation_pb_cs", edition)
    prex = get("prex_skin_pb208", edition)
    a, sa = float(corr.value), float(corr.uncertainty)
    b, sb = float(corr.parameters["intercept_fm"]), float(corr.parameters["intercept_uncertainty_fm"])
    x = np.linspace(*PB_RANGE_FM, int(resolution))
    y = a * x + b
    s = np.hypot(x * sa, sb)
    chain = neutron_skin_chain()
    fm = {"units": "fm"}
    ds = xr.Dataset(
        {
            "skin_cs_fit": ("skin_pb_fm", y, {**fm, "label": "linear fit"}),
            "skin_cs_1sigma_lo": ("skin_pb_fm", y - s, {**fm, "label": "fit - 1 sigma"}),
            "skin_cs_1sigma_hi": ("skin_pb_fm", y + s, {**fm, "label": "fit + 1 sigma"}),
            "skin_cs_3sigma_lo": ("skin_pb_fm", y - 3 * s, {**fm, "label": "fit - 3 sigma"}),
            "skin_cs_3sigma_hi": ("skin_pb_fm", y + 3 * s, {**fm, "label": "fit + 3 sigma"}),
            "prex_skin_pb": ((), float(prex.value), {**fm, "label": "PREX-1 + PREX-2, 208Pb"}),
            "prex_skin_pb_err": ((), float(prex.uncertainty), fm),
            "derived_skin_cs": ((), float(chain.skin_cs_fm), {**fm, "label": "derived 133Cs skin, C(18)"}),
            "derived_skin_cs_err": ((), float(chain.skin_cs_err_fm), fm),
        },
        coords={
            "skin_pb_fm": (
                "skin_pb_fm",
                x,
                {"units": "fm", "label": r"$\Delta R_{np}^{\rm point}(^{208}{\rm Pb})$ [fm]"},
            )
        },
        attrs={
            "edition": edition,
            "slope": a,
            "slope_err": sa,
            "intercept_fm": b,
            "intercept_err_fm": sb,
            "band": "sigma(x) = sqrt((x sigma_slope)^2 + sigma_intercept^2), slope and intercept independent",
            "model_points": "not drawn: the paired (Pb, Cs) skins of the models of the paper's Refs. [69-84] "
            "are not published in its text",
            "references": f"{corr.cite()}; {prex.cite()}",
        },
    )
    return ds


@S.styled
def plot(ds: xr.Dataset) -> Any:
    """The fit line, its 1σ (dark grey, dotted edge) and 3σ (light grey, dashed edge) bands, the PREX point
    (green) and the derived Cs skin (purple), as in the paper's Fig. 1."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    x = ds["skin_pb_fm"].values
    fig, ax = plt.subplots(figsize=(6.0, 4.8))
    lo3, hi3 = ds["skin_cs_3sigma_lo"].values, ds["skin_cs_3sigma_hi"].values
    lo1, hi1 = ds["skin_cs_1sigma_lo"].values, ds["skin_cs_1sigma_hi"].values
    ax.fill_between(x, lo3, hi3, facecolor="0.88", edgecolor="none", zorder=1)
    ax.fill_between(x, lo1, hi1, facecolor="0.62", edgecolor="none", zorder=2)
    for lo, hi, ls in ((lo3, hi3, "--"), (lo1, hi1, ":")):
        for edge in (lo, hi):
            ax.plot(x, edge, color="0.25", ls=ls, lw=0.9, zorder=3)
    ax.plot(x, ds["skin_cs_fit"].values, color="k", lw=1.6, zorder=4)
    pb, pb_err = float(ds["prex_skin_pb"]), float(ds["prex_skin_pb_err"])
    cs, cs_err = float(ds["derived_skin_cs"]), float(ds["derived_skin_cs_err"])
    slope, icpt = float(ds.attrs["slope"]), float(ds.attrs["intercept_fm"])
    ax.errorbar(
        pb, slope * pb + icpt, xerr=pb_err, fmt="o", color=S.TOL["green"], ms=7, capsize=3, lw=1.6, zorder=6
    )
    ax.errorbar(
        pb - 0.004, cs, yerr=cs_err, fmt="s", color=S.TOL["purple"], ms=6, capsize=3, lw=1.6, zorder=6
    )
    handles = [
        plt.Line2D(
            [], [], color="k", lw=1.6, label=f"linear fit: slope {slope:.3f}, intercept {icpt:.3f} fm"
        ),
        Patch(facecolor="0.62", edgecolor="0.25", ls=":", label=r"fit $1\sigma$"),
        Patch(facecolor="0.88", edgecolor="0.25", ls="--", label=r"fit $3\sigma$"),
        plt.Line2D(
            [],
            [],
            color=S.TOL["green"],
            marker="o",
            label=f"PREX-1 + PREX-2: {pb:.3f}({1000 * pb_err:.0f}) fm",
        ),
        plt.Line2D(
            [],
            [],
            color=S.TOL["purple"],
            marker="s",
            label=rf"$^{{133}}$Cs skin derived: {cs:.2f}({100 * cs_err:.0f}) fm",
        ),
    ]
    ax.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.95)
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(0.0, float(hi3[-1]) * 1.05)
    ax.set_xlabel(ds["skin_pb_fm"].attrs["label"])
    ax.set_ylabel(r"$\Delta R_{np}^{\rm point}(^{133}{\rm Cs})$ [fm]")
    ax.tick_params(which="both", direction="in", top=True, right=True)
    ax.grid(alpha=0.3, lw=0.4)
    ax.set_title(
        "Neutron skins of lead and caesium: model correlation and the PREX measurement\n"
        f"Cadeddu et al. Fig. 1 · edition {ds.attrs['edition']} (nuclear-model points not drawn)",
        fontsize=10,
    )
    S.tight_layout(fig)
    return fig


def provide() -> list[FigureSpec]:
    return [
        FigureSpec(
            "cadeddu2021-fig1",
            "Neutron skins of 208Pb and 133Cs: model correlation, PREX point and the derived Cs skin",
            PAPER,
            data,
            plot,
            default_resolution=200,
        )
    ]


__all__ = ["PAPER", "PB_RANGE_FM", "data", "plot", "provide"]

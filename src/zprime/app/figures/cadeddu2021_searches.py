"""Beyond Cadeddu et al.: the dark Z_d fit's (m, ε) plane with the dark-photon searches overlaid.

Left: a Z_d that decays visibly (every current visible search, recast to the Z_d couplings);
right: a Z_d that decays invisibly (BaBar 2017, NA64, NA62 missing-energy searches). The fit's 1σ and 2σ
regions (profiled over δ, Δχ² = 2.30, 6.18) and its best fit are drawn on top. ``data()`` returns the
numbers (the profile χ² and one mask per search), ``plot()`` draws them.
"""

from __future__ import annotations

import numpy as np

from zprime.app.figures import _style as S
from zprime.app.figures.base import FigureSpec
from zprime.core.lazy import lazy_module

xr = lazy_module("xarray")  # loaded at its first use: listing the figures does not need it

_LEVELS_2D = (2.30, 6.18)


def _search_attrs(name: str) -> dict[str, str]:
    """Legend label and experiment of a search (from its limit file or constraint), for the plot."""
    from zprime.analyses.limits import curve_metadata
    from zprime.physics.constraints import get

    meta = curve_metadata(get(name))
    return {"label": str(meta["label"]), "experiment": str(meta["experiment"]), "constraint": name}


def data(edition: str = "2021", ae: str = "rb", resolution: int = 160, **_: object) -> xr.Dataset:
    """Profile χ² of the fit on an (m, ε) grid and, per decay scenario, the union of excluded masks."""
    from zprime.analyses.fit_darkz import fit_darkz
    from zprime.analyses.searches_darkz import SCENARIOS, confront_fit, search_grid

    fit = fit_darkz(
        edition=edition, ae=ae, resolution=resolution, mass_range_mev=(1.0, 1.0e3), epsilon_range=(1e-5, 1e-1)
    )
    ds = xr.Dataset(
        coords={
            "mass_mev": ("mass_mev", np.asarray(fit.mass_grid_mev), {"units": "MeV", "label": "m_Zd"}),
            "epsilon": ("epsilon", np.asarray(fit.epsilon_grid), {"label": "epsilon"}),
        },
    )
    ds["delta_chi2"] = (("mass_mev", "epsilon"), np.asarray(fit.chi2_profile_2d) - fit.chi2_min)
    for scen in SCENARIOS:
        masks = search_grid(fit, scen)
        for name, m in masks.items():
            if np.any(m):
                ds[f"{scen}__{name}"] = (
                    ("mass_mev", "epsilon"),
                    np.asarray(m, dtype=np.int8),
                    _search_attrs(name),
                )
    conf = confront_fit(fit)
    ds.attrs.update(
        {
            "edition": edition,
            "ae": ae,
            "best_fit_mass_mev": fit.best_fit["mass_mev"],
            "best_fit_epsilon": fit.best_fit["epsilon"],
            "best_fit_delta": fit.best_fit["delta"],
            "chi2_min": fit.chi2_min,
            **{
                f"{s}_region_1sigma_fraction_excluded": conf[s]["region_1sigma_fraction_excluded"]
                for s in SCENARIOS
            },
            "note": "regions profiled over delta; the 1 sigma region is open towards high mass",
        }
    )
    return ds


@S.styled
def plot(ds: xr.Dataset):  # noqa: ANN201 - matplotlib Figure
    """Two panels (visible, invisible decays): every search's excluded region filled opaque (largest first,
    edges on top, boundaries smoothed in log space), the fit's 1σ/2σ lines and best fit on top."""
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    m = ds["mass_mev"].values
    eps = ds["epsilon"].values
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.4), sharey=True, constrained_layout=True)
    names = sorted(v for v in ds.data_vars if "__" in str(v))
    colours = {v: S.PALETTE[i % len(S.PALETTE)] for i, v in enumerate(names)}
    for ax, scen in zip(axes, ("visible", "invisible"), strict=True):
        mine = [v for v in names if v.startswith(f"{scen}__")]
        by_area = sorted(mine, key=lambda v: -float(ds[v].values.mean()))
        handles = {}
        for k, v in enumerate(by_area):
            label = str(ds[v].attrs.get("label", v.split("__", 1)[1]))
            style = S.RegionStyle(label, colours[v])
            h = S.fill_region(
                ax, m, eps, ds[v].values.T > 0, style, zorder=1 + 0.1 * k, edge_zorder=5 + 0.01 * k
            )
            if h is not None:
                handles[v] = h
        legend = [handles[v] for v in mine if v in handles]
        cs = ax.contour(
            m,
            eps,
            ds["delta_chi2"].values.T,
            levels=list(_LEVELS_2D),
            colors=["k", "k"],
            linestyles=["-", "--"],
            linewidths=1.6,
            zorder=10,
        )
        ax.clabel(cs, fmt={_LEVELS_2D[0]: r"1$\sigma$", _LEVELS_2D[1]: r"2$\sigma$"}, fontsize=8)
        ax.plot(ds.attrs["best_fit_mass_mev"], ds.attrs["best_fit_epsilon"], "ko", ms=6, zorder=11)
        legend.append(Line2D([], [], color="k", ls="-", label=r"fit 1$\sigma$ ($\Delta\chi^2=2.30$)"))
        legend.append(Line2D([], [], color="k", ls="--", label=r"fit 2$\sigma$ ($\Delta\chi^2=6.18$)"))
        legend.append(Line2D([], [], color="k", marker="o", ls="", label="best fit"))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(m[0], m[-1])
        ax.set_ylim(eps[0], eps[-1])
        ax.set_xlabel(r"$m_{Z_d}$ [MeV]")
        ax.tick_params(which="both", direction="in", top=True, right=True)
        frac = 100 * ds.attrs[f"{scen}_region_1sigma_fraction_excluded"]
        ax.set_title(
            f"{'Visible' if scen == 'visible' else 'Invisible'} decays: searches exclude {frac:.0f}% "
            "of the fit's 1$\\sigma$ region",
            fontsize=10,
        )
        ax.legend(handles=legend, fontsize=7, loc="lower right", ncol=2, framealpha=0.95).set_zorder(20)
    axes[0].set_ylabel(r"$\varepsilon$")
    ae = "Rb" if ds.attrs["ae"] == "rb" else "Cs"
    fig.suptitle(
        "Dark $Z_d$ fit of Cadeddu et al. against dark-photon searches "
        f"(edition {ds.attrs['edition']}, $a_e$({ae}); the fit's regions stay open towards high mass)",
        fontsize=11,
    )
    return fig


def provide() -> list[FigureSpec]:
    return [
        FigureSpec(
            "cadeddu2021-searches",
            "Dark Z_d fit vs visible and invisible dark-photon searches",
            "beyond Cadeddu et al., PRD 104 (2021) L011701",
            data,
            plot,
            default_resolution=160,
        )
    ]

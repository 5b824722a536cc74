"""Beyond Cadeddu et al.: the dark Z_d fit's (m, ε) plane with the dark-photon searches overlaid.

Left: a Z_d that decays visibly (every current visible search, recast to the Z_d couplings);
right: a Z_d that decays invisibly (BaBar 2017, NA64, NA62 missing-energy searches). The fit's 1σ and 2σ
regions (profiled over δ, Δχ² = 2.30, 6.18) and its best fit are drawn on top. ``data()`` returns the
numbers (the profile χ² and one mask per search), ``plot()`` draws them.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from zprime.app.figures.base import FigureSpec

_LEVELS_2D = (2.30, 6.18)


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
                ds[f"{scen}__{name}"] = (("mass_mev", "epsilon"), np.asarray(m, dtype=np.int8))
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


def plot(ds: xr.Dataset):  # noqa: ANN201 - matplotlib Figure
    import matplotlib.pyplot as plt

    m = ds["mass_mev"].values
    eps = ds["epsilon"].values
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.2), sharey=True, constrained_layout=True)
    cmap = plt.get_cmap("tab20")
    for ax, scen in zip(axes, ("visible", "invisible"), strict=True):
        names = [v for v in ds.data_vars if v.startswith(f"{scen}__")]
        handles = []
        for i, v in enumerate(sorted(names)):
            z = ds[v].values.T.astype(float)
            col = cmap(i % 20)
            ax.contourf(m, eps, z, levels=[0.5, 1.5], colors=[col], alpha=0.45)
            ax.contour(m, eps, z, levels=[0.5], colors=[col], linewidths=0.8)
            handles.append(plt.Rectangle((0, 0), 1, 1, fc=col, alpha=0.45, label=v.split("__", 1)[1]))
        cs = ax.contour(
            m,
            eps,
            ds["delta_chi2"].values.T,
            levels=list(_LEVELS_2D),
            colors=["k", "k"],
            linestyles=["-", "--"],
            linewidths=1.6,
        )
        ax.clabel(cs, fmt={_LEVELS_2D[0]: r"1$\sigma$", _LEVELS_2D[1]: r"2$\sigma$"}, fontsize=8)
        ax.plot(ds.attrs["best_fit_mass_mev"], ds.attrs["best_fit_epsilon"], "ko", ms=6)
        handles.append(plt.Line2D([], [], color="k", ls="-", label=r"fit 1$\sigma$ ($\Delta\chi^2=2.30$)"))
        handles.append(plt.Line2D([], [], color="k", ls="--", label=r"fit 2$\sigma$ ($\Delta\chi^2=6.18$)"))
        handles.append(plt.Line2D([], [], color="k", marker="o", ls="", label="best fit"))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(r"$m_{Z_d}$ [MeV]")
        frac = 100 * ds.attrs[f"{scen}_region_1sigma_fraction_excluded"]
        ax.set_title(f"$Z_d$ decaying {scen}: {frac:.0f}% of the 1$\\sigma$ region excluded", fontsize=10)
        ax.legend(handles=handles, fontsize=7, loc="lower right", ncol=2, framealpha=0.9)
    axes[0].set_ylabel(r"$\varepsilon$")
    fig.suptitle(
        f"Cadeddu et al. dark $Z_d$ fit (edition {ds.attrs['edition']}, $a_e$({ds.attrs['ae']})) "
        "vs dark-photon searches (regions open towards high $m$)",
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

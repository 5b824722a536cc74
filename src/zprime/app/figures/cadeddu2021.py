"""Figures 2–5 of Cadeddu et al., PRD 104 (2021) L011701 (dark Z_d): numbers (xarray) and drawings.

- cadeddu2021-fig2: 90% CL limits in (m_Zd, ε) for several δ: Qweak (dashed), APV (dotted), their combination
  (solid); 90% CL a_μ (green) and a_e (light blue) favoured bands. 90% CL for two parameters at fixed δ:
  χ² > 4.61 (χ² of the SM point is ~0 for each single observable, so χ² and Δχ² coincide).
- cadeddu2021-fig3: 1σ/2σ/3σ regions of the combined fit profiled over δ (Δχ² = 2.30, 6.18, 11.83), best fit.
  The regions are open towards high mass; the figure says so and draws no closing line at the plot edge.
- cadeddu2021-fig4: running sin²θ_W(Q): SM (MSbar), data points, the best fit and ±1σ envelope with a Z_d.
- cadeddu2021-fig5: 90% CL with the MOLLER and P2 projections (SM central values) and a_μ with half the
  uncertainty, for several δ.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from zprime.app.figures import _style as S
from zprime.app.figures.base import FigureSpec
from zprime.core.constants import M_Z
from zprime.core.lazy import lazy_module
from zprime.core.measurements import get as _get

xr = lazy_module("xarray")  # loaded at its first use: listing the figures does not need it

PAPER = "M. Cadeddu et al., Phys. Rev. D 104 (2021) L011701 (arXiv:2104.03280)"
DELTAS: tuple[float, ...] = (1e-3, 2e-3, 5e-3, 1e-2)
MASS_RANGE_MEV = (1.0, 3000.0)
EPS_RANGE = (1e-4, 1e-1)


def _cl90_2dof() -> float:
    from zprime.physics.constraints.base import chi2_threshold

    return chi2_threshold(0.90, 2)


def _grid(resolution: int) -> tuple[np.ndarray, np.ndarray]:
    return (np.geomspace(*MASS_RANGE_MEV, resolution), np.geomspace(*EPS_RANGE, resolution))


def _coords(m: np.ndarray, e: np.ndarray) -> dict[str, Any]:
    return {
        "delta": ("delta", np.array(DELTAS)),
        "mass_mev": ("mass_mev", m, {"units": "MeV", "long_name": "m_Zd"}),
        "epsilon": ("epsilon", e, {"long_name": "kinetic mixing ε"}),
    }


def _terms_grid(
    edition: str, ae: str, resolution: int, amu_sigma_scale: float = 1.0
) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray], Any]:
    from zprime.analyses.fit_darkz import Chi2, FitInputs

    inputs = FitInputs.from_data(edition, ae, amu_sigma_scale=amu_sigma_scale)
    chi = Chi2(inputs)
    m, e = _grid(resolution)
    mm = m[None, :, None]
    pieces = chi.mass_pieces(mm)
    t = chi.terms(mm, e[None, None, :], np.array(DELTAS)[:, None, None], pieces)
    return m, e, t, chi


# ------------------------------------------------------------------------------------------------- fig 2
def fig2_data(edition: str = "2021", ae: str = "rb", resolution: int = 200) -> xr.Dataset:
    """χ² of each observable on the (δ, m, ε) grid; 90% CL regions: χ² > 4.61 excluded, < 4.61 favoured."""
    m, e, t, chi = _terms_grid(edition, ae, resolution)
    dims = ("delta", "mass_mev", "epsilon")
    shape = (len(DELTAS), m.size, e.size)
    ds = xr.Dataset(
        {
            "chi2_qweak": (dims, np.broadcast_to(t["qweak"], shape)),
            "chi2_apv": (dims, np.broadcast_to(t["apv"], shape)),
            "chi2_weak_combined": (dims, np.broadcast_to(t["qweak"] + t["apv"], shape)),
            "chi2_a_mu": (dims, np.broadcast_to(t["a_mu"], shape)),
            "chi2_a_e": (dims, np.broadcast_to(t["a_e"], shape)),
        },
        coords=_coords(m, e),
        attrs={
            "threshold_90cl": _cl90_2dof(),
            "edition": edition,
            "ae": ae,
            "rule": "90% CL: limits exclude chi2 > 4.61, g-2 bands favour chi2 < 4.61 (2 dof, fixed delta)",
            "inputs": str(chi.inputs.sources),
        },
    )
    return ds


def _limit_axes(
    ds: xr.Dataset, layers: list[tuple[str, str, str, str]], bands: list[tuple[str, str, str]], title: str
) -> Any:
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    thr = float(ds.attrs["threshold_90cl"])
    n = ds.sizes["delta"]
    fig, axes = plt.subplots(2, (n + 1) // 2, figsize=(10, 8.5), sharex=True, sharey=True)
    m = ds["mass_mev"].values
    e = ds["epsilon"].values
    for ax, d in zip(np.ravel(axes), ds["delta"].values, strict=False):
        for i, (var, color, _label) in enumerate(bands[::-1]):
            # the widest band (last) is filled, the others hatched over it; every band outlined
            z = ds[var].sel(delta=d).values.T
            if i == 0:
                ax.contourf(m, e, z, levels=[-1.0, thr], colors=[color], zorder=1)
            else:
                cs = ax.contourf(m, e, z, levels=[-1.0, thr], colors="none", hatches=["////"], zorder=2)
                cs.set_edgecolor(color)
                cs.set_linewidth(0.0)
            if np.nanmin(z) < thr < np.nanmax(z):
                ax.contour(m, e, z, levels=[thr], colors=[color], linewidths=1.0, zorder=3)
        for var, style, color, _label in layers:
            z = ds[var].sel(delta=d).values.T
            if np.nanmin(z) < thr < np.nanmax(z):
                ax.contour(
                    m, e, z, levels=[thr], colors=[color], linestyles=[style], linewidths=1.8, zorder=4
                )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_title(rf"$\delta = {d:g}$")
        ax.grid(alpha=0.25, which="both", lw=0.4)
    for ax in np.ravel(axes)[n:]:
        ax.set_visible(False)
    for ax in np.ravel(axes):
        ax.set_xlabel(r"$m_{Z_d}$ [MeV]")
        ax.set_ylabel(r"$\varepsilon$")
    handles = [Line2D([], [], color=c, ls=s, lw=1.8, label=lab) for _v, s, c, lab in layers]
    handles += [
        Patch(facecolor="none", edgecolor=c, hatch="////", label=lab)
        if i < len(bands) - 1
        else Patch(facecolor=c, edgecolor=c, label=lab)
        for i, (_v, c, lab) in enumerate(bands)
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=9, frameon=False)
    fig.suptitle(title, fontsize=11)
    S.tight_layout(fig, rect=(0, 0.07, 1, 0.96))
    return fig


@S.styled
def fig2_plot(ds: xr.Dataset) -> Any:
    layers = [
        ("chi2_qweak", "--", "k", "Qweak (proton weak charge), 90% CL"),
        ("chi2_apv", ":", "k", "Atomic parity violation (Cs), 90% CL"),
        ("chi2_weak_combined", "-", "k", "Qweak + Cs combined, 90% CL (excluded above)"),
    ]
    bands = [
        ("chi2_a_mu", S.TOL["green"], r"$a_\mu$ favoured (90% CL)"),
        (
            "chi2_a_e",
            S.TOL["cyan"],
            r"$a_e$ (Rb) favoured (90% CL)"
            if ds.attrs.get("ae") == "rb"
            else r"$a_e$ (Cs) favoured (90% CL)",
        ),
    ]
    return _limit_axes(
        ds,
        layers,
        bands,
        r"Dark $Z_d$: 90% CL limits from parity violation and the $g-2$ bands at fixed $\delta$"
        f"\nCadeddu et al. Fig. 2 · edition {ds.attrs.get('edition')}",
    )


# ------------------------------------------------------------------------------------------------- fig 3
def fig3_data(edition: str = "2021", ae: str = "rb", resolution: int = 200) -> xr.Dataset:
    """Δχ²(m, ε) profiled over δ from :func:`zprime.analyses.fit_darkz.fit_darkz`, with best fit and intervals."""
    from zprime.analyses.fit_darkz import chi2_levels, fit_darkz

    fit = fit_darkz(
        edition, ae, resolution=resolution, mass_range_mev=(5.0, 1.0e4), epsilon_range=(1e-4, 1.0)
    )
    dchi = fit.chi2_profile_2d - fit.chi2_min
    ds = xr.Dataset(
        {
            "delta_chi2": (("mass_mev", "epsilon"), dchi),
            "delta_best": (("mass_mev", "epsilon"), fit.delta_profile_2d),
        },
        coords={
            "mass_mev": ("mass_mev", fit.mass_grid_mev, {"units": "MeV"}),
            "epsilon": ("epsilon", fit.epsilon_grid),
        },
        attrs={
            "edition": edition,
            "ae": ae,
            "chi2_min": fit.chi2_min,
            "best_mass_mev": fit.best_fit["mass_mev"],
            "best_epsilon": fit.best_fit["epsilon"],
            "best_delta": fit.best_fit["delta"],
            "levels": list(chi2_levels()),
            "interval_mass_mev": fit.intervals_1sigma["mass_mev"],
            "interval_epsilon": fit.intervals_1sigma["epsilon"],
            "interval_delta": fit.intervals_1sigma["delta"],
            "chi2_high_mass_plateau": fit.chi2_high_mass_plateau,
            "open_towards_high_mass": fit.open_towards_high_mass,
            "notes": " | ".join(fit.notes),
        },
    )
    return ds


@S.styled
def fig3_plot(ds: xr.Dataset) -> Any:
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    levels = [float(x) for x in np.atleast_1d(ds.attrs["levels"])]
    m = ds["mass_mev"].values
    e = ds["epsilon"].values
    z = ds["delta_chi2"].values.T
    fig, ax = plt.subplots(figsize=(7, 5.5))
    colors = [S.TOL["indigo"], S.TOL["light_blue"], S.TOL["pale_cyan"]]
    names = ["1σ", "2σ", "3σ"]
    for lev, col in zip(levels[::-1], colors[::-1], strict=True):
        ax.contourf(m, e, z, levels=[-1.0, lev], colors=[col])
    # contour lines only (a filled region reaching the plot edge is not closed there)
    ax.contour(m, e, z, levels=levels, colors="k", linewidths=0.6)
    ax.plot([ds.attrs["best_mass_mev"]], [ds.attrs["best_epsilon"]], "ko", ms=6)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$m_{Z_d}$ [MeV]")
    ax.set_ylabel(r"$\varepsilon$")
    ax.set_xlim(m[0], m[-1])
    ax.set_ylim(e[0], e[-1])
    handles = [
        Patch(facecolor=c, edgecolor="k", lw=0.6, label=f"{n} (Δχ² < {lev:.2f}, profiled over δ)")
        for n, c, lev in zip(names, colors, levels, strict=True)
    ]
    handles.append(
        Line2D(
            [],
            [],
            color="k",
            marker="o",
            ls="",
            label=rf"best fit, $\chi^2_{{min}}$ = {float(ds.attrs['chi2_min']):.3f}",
        )
    )
    ax.legend(handles=handles, loc="upper left", fontsize=8)
    if int(ds.attrs.get("open_towards_high_mass", 0)):
        ax.annotate(
            f"regions open towards high mass →\n(profile χ² levels off at "
            f"{float(ds.attrs['chi2_high_mass_plateau']):.2f})",
            xy=(0.98, 0.04),
            xycoords="axes fraction",
            ha="right",
            va="bottom",
            fontsize=8,
        )
    ax.set_title(
        "Dark $Z_d$ fit to Qweak, Cs parity violation, $a_\\mu$ and $a_e$\n"
        f"Cadeddu et al. Fig. 3 · edition {ds.attrs.get('edition')}, "
        f"$a_e$({'Rb' if ds.attrs.get('ae') == 'rb' else 'Cs'})",
        fontsize=10,
    )
    ax.grid(alpha=0.25, which="both", lw=0.4)
    S.tight_layout(fig)
    return fig


# ------------------------------------------------------------------------------------------------- fig 4
def fig4_data(edition: str = "2021", ae: str = "rb", resolution: int = 200) -> xr.Dataset:
    """SM ŝ²(Q), the Z_d best fit and its ±1σ envelope, and the data points (Q in GeV)."""
    from zprime.analyses.fit_darkz import fit_darkz
    from zprime.physics.observables.running_sin2w import sin2w_darkz, sin2w_msbar
    from zprime.physics.observables.weak_charges import apv_q_mev, qweak_q2_mev2, sin2w_from_qw

    q_mev = np.geomspace(0.1, 1.5e5, max(resolution, 50))  # above m_W the simplified running is indicative
    fit = fit_darkz(edition, ae, resolution=max(40, min(resolution, 120)))
    b = fit.best_fit
    sm = sin2w_msbar(q_mev)
    best = sin2w_darkz(q_mev, b["mass_mev"], b["epsilon"], b["delta"])
    # ±1σ: envelope over the (m, ε) grid points with Δχ² ≤ 1 (with their profiled δ)
    sel = fit.chi2_profile_2d - fit.chi2_min <= 1.0
    ii, jj = np.nonzero(sel)
    mm = fit.mass_grid_mev[ii]
    ee = fit.epsilon_grid[jj]
    dd = fit.delta_profile_2d[ii, jj]
    curves = sin2w_darkz(q_mev[None, :], mm[:, None], ee[:, None], dd[:, None])
    lo, hi = curves.min(axis=0), curves.max(axis=0)
    # data points
    qp = math.sqrt(qweak_q2_mev2())
    qa = apv_q_mev()
    qw_apv = _get("qw_cs_apv", edition)
    qw_pdg = _get("qw_cs_pdg", edition)
    cs_sm = _get("qw_cs_sm", edition)
    p_sm = _get("qw_proton_sm", edition)
    qwp = _get("qw_proton_qweak", edition)
    e158 = _get("sin2w_e158", edition)
    zp = _get("sin2w_zpole", edition)
    z = cs_sm.parameters["Z"]
    s2a = float(sin2w_msbar(qa))
    s2p = float(sin2w_msbar(qp))
    names = ["APV Cs (this work)", "APV Cs (PDG)", "Qweak", "E158", "Z pole"]
    q_pts = np.array([qa, qa * 1.25, qp, 1e3 * math.sqrt(e158.parameters["q2_gev2"]), M_Z])
    val = np.array(
        [
            sin2w_from_qw(qw_apv.value, cs_sm.value, z, s2a),
            sin2w_from_qw(qw_pdg.value, cs_sm.value, z, s2a),
            sin2w_from_qw(qwp.value, p_sm.value, 1.0, s2p),
            e158.value,
            zp.value,
        ],
        float,
    )
    from zprime.physics.observables.weak_charges import QED_FACTOR

    err = np.array(
        [
            qw_apv.uncertainty / (4 * z * QED_FACTOR),
            qw_pdg.uncertainty / (4 * z * QED_FACTOR),
            qwp.uncertainty / (4 * QED_FACTOR),
            e158.uncertainty,
            zp.uncertainty,
        ]
    )
    mol = _get("sin2w_moller_projection", edition)
    p2 = _get("sin2w_p2_projection", edition)
    q_proj = np.array([1e3 * math.sqrt(mol.parameters["q2_gev2"]), 1e3 * math.sqrt(p2.parameters["q2_gev2"])])
    ds = xr.Dataset(
        {
            "sin2w_sm": ("q_gev", sm),
            "sin2w_best_fit": ("q_gev", best),
            "sin2w_1sigma_lo": ("q_gev", lo),
            "sin2w_1sigma_hi": ("q_gev", hi),
            "point_q_gev": ("point", q_pts / 1e3),
            "point_sin2w": ("point", val),
            "point_err": ("point", err),
            "proj_q_gev": ("projection", q_proj / 1e3),
            "proj_sin2w": ("projection", sin2w_msbar(q_proj)),
            "proj_err": ("projection", np.array([mol.uncertainty, p2.uncertainty])),
        },
        coords={
            "q_gev": ("q_gev", q_mev / 1e3, {"units": "GeV"}),
            "point": ("point", names),
            "projection": ("projection", ["MOLLER (projected)", "P2 (projected)"]),
        },
        attrs={
            "edition": edition,
            "ae": ae,
            "best_mass_mev": b["mass_mev"],
            "best_epsilon": b["epsilon"],
            "best_delta": b["delta"],
            "note": "E158 is plotted as published (effective angle); APV and Qweak converted with "
            "s2 = s2_SM(Q) + (Q_W^SM - Q_W)/(4 Z (1 - alpha/2pi)); the PDG APV point is shifted "
            "to 1.25 Q for visibility; projections at the SM value (arbitrary position).",
            "references": "; ".join(
                [qw_apv.cite(), qw_pdg.cite(), qwp.cite(), e158.cite(), zp.cite(), mol.cite(), p2.cite()]
            ),
        },
    )
    return ds


@S.styled
def fig4_plot(ds: xr.Dataset) -> Any:
    import matplotlib.pyplot as plt

    q = ds["q_gev"].values
    fig, ax = plt.subplots(figsize=(7.5, 5.2))
    ax.plot(q, ds["sin2w_sm"], color=S.TOL["indigo"], lw=1.8, label=r"SM ($\overline{\rm MS}$)")
    ax.plot(
        q,
        ds["sin2w_best_fit"],
        "--",
        color=S.TOL["rose"],
        lw=1.5,
        label=rf"$Z_d$ best fit ($m$ = {float(ds.attrs['best_mass_mev']):.0f} MeV, "
        rf"$\varepsilon$ = {float(ds.attrs['best_epsilon']):.2g}, "
        rf"$\delta$ = {float(ds.attrs['best_delta']):.1g})",
    )
    ax.plot(q, ds["sin2w_1sigma_lo"], color=S.TOL["green"], lw=1.0, label=r"$Z_d$ $\pm 1\sigma$")
    ax.plot(q, ds["sin2w_1sigma_hi"], color=S.TOL["green"], lw=1.0)
    pts = ds["point"].values
    for i, name in enumerate(pts):
        col = S.TOL["rose"] if "this work" in str(name) else "k"
        ax.errorbar(
            float(ds["point_q_gev"][i]),
            float(ds["point_sin2w"][i]),
            yerr=float(ds["point_err"][i]),
            fmt="o",
            color=col,
            ms=4,
            capsize=2,
            label=str(name),
        )
    for i, name in enumerate(ds["projection"].values):
        ax.errorbar(
            float(ds["proj_q_gev"][i]),
            float(ds["proj_sin2w"][i]),
            yerr=float(ds["proj_err"][i]),
            fmt="s",
            color=S.TOL["purple"],
            mfc="none",
            ms=4,
            capsize=2,
            label=str(name),
        )
    ax.set_xscale("log")
    ax.set_xlabel(r"$Q$ [GeV]")
    ax.set_ylabel(r"$\sin^2\theta_W(Q)$")
    ax.set_ylim(0.229, 0.2425)
    ax.legend(fontsize=7, loc="lower left", ncol=2)
    ax.grid(alpha=0.25, which="both", lw=0.4)
    ax.set_title(
        "Running of the weak mixing angle, with and without a dark $Z_d$\n"
        f"Cadeddu et al. Fig. 4 · edition {ds.attrs.get('edition')}",
        fontsize=10,
    )
    S.tight_layout(fig)
    return fig


# ------------------------------------------------------------------------------------------------- fig 5
def fig5_data(edition: str = "2021", ae: str = "rb", resolution: int = 200) -> xr.Dataset:
    """90% CL: current Qweak+APV, MOLLER and P2 projections (SM central values), a_μ with half its σ, a_e."""
    from zprime.physics.observables.running_sin2w import sin2w_msbar
    from zprime.physics.observables.weak_charges import QED_FACTOR, qw_proton_sm

    m, e, t, chi = _terms_grid(edition, ae, resolution, amu_sigma_scale=0.5)
    dims = ("delta", "mass_mev", "epsilon")
    shape = (len(DELTAS), m.size, e.size)
    mm = m[None, :, None]
    ee = e[None, None, :]
    dd = np.array(DELTAS)[:, None, None]
    out: dict[str, Any] = {}
    for key, name in (("moller", "sin2w_moller_projection"), ("p2", "sin2w_p2_projection")):
        meas = _get(name, edition)
        q2 = meas.parameters["q2_gev2"] * 1e6
        s2 = float(sin2w_msbar(math.sqrt(q2)))
        tt = math.sqrt(s2 / (1 - s2))
        f = mm**2 / (mm**2 + q2)
        r = mm / M_Z
        dp = dd + r * ee * tt
        rho = 1 + dp**2 * f
        kap = 1 - ee * dp / (r * tt) * f
        if key == "moller":  # Q_W^e = −ρ(1 − 4κ s²): apparent s² = (1 + Q_W^e)/4
            ds2 = (1 - rho * (1 - 4 * kap * s2)) / 4 - s2
        else:  # proton: Q_W^p shift converted to s²
            qsm = qw_proton_sm()
            qzd = rho * (qsm - 4 * s2 * (kap - 1) * QED_FACTOR)
            ds2 = (qsm - qzd) / (4 * QED_FACTOR)
        out[f"chi2_{key}"] = (dims, np.broadcast_to((ds2 / meas.uncertainty) ** 2, shape))
    ds = xr.Dataset(
        {
            "chi2_weak_combined": (dims, np.broadcast_to(t["qweak"] + t["apv"], shape)),
            **out,
            "chi2_a_mu_half_sigma": (dims, np.broadcast_to(t["a_mu"], shape)),
            "chi2_a_e": (dims, np.broadcast_to(t["a_e"], shape)),
        },
        coords=_coords(m, e),
        attrs={
            "threshold_90cl": _cl90_2dof(),
            "edition": edition,
            "ae": ae,
            "rule": "90% CL, chi2 >/< 4.61 (2 dof at fixed delta); projections centred on the SM",
            "a_mu_sigma": float(chi.inputs.sigmas["a_mu"]),
            "references": "; ".join(
                _get(n, edition).cite() for n in ("sin2w_moller_projection", "sin2w_p2_projection")
            ),
        },
    )
    return ds


@S.styled
def fig5_plot(ds: xr.Dataset) -> Any:
    layers = [
        ("chi2_weak_combined", "-", "k", "Qweak + Cs parity violation (today), 90% CL"),
        ("chi2_moller", "--", S.TOL["purple"], "MOLLER (projected), 90% CL"),
        ("chi2_p2", "-.", S.TOL["rose"], "P2 (projected), 90% CL"),
    ]
    bands = [
        ("chi2_a_mu_half_sigma", S.TOL["green"], r"$a_\mu$ favoured, half uncertainty (90% CL)"),
        ("chi2_a_e", S.TOL["cyan"], r"$a_e$ favoured (90% CL)"),
    ]
    return _limit_axes(
        ds,
        layers,
        bands,
        r"Dark $Z_d$: reach of the MOLLER and P2 experiments at fixed $\delta$"
        f"\nCadeddu et al. Fig. 5 · edition {ds.attrs.get('edition')}",
    )


def provide() -> list[FigureSpec]:
    return [
        FigureSpec(
            "cadeddu2021-fig2",
            "Dark Z_d: 90% CL limits from Qweak, APV and g-2 bands at fixed delta",
            PAPER + ", Fig. 2",
            fig2_data,
            fig2_plot,
        ),
        FigureSpec(
            "cadeddu2021-fig3",
            "Dark Z_d: combined fit, 1-3 sigma regions profiled over delta",
            PAPER + ", Fig. 3",
            fig3_data,
            fig3_plot,
        ),
        FigureSpec(
            "cadeddu2021-fig4",
            "Running sin^2 theta_W(Q) in the SM and with the best-fit Z_d",
            PAPER + ", Fig. 4",
            fig4_data,
            fig4_plot,
        ),
        FigureSpec(
            "cadeddu2021-fig5",
            "Dark Z_d: MOLLER and P2 projections, a_mu with half uncertainty",
            PAPER + ", Fig. 5",
            fig5_data,
            fig5_plot,
        ),
    ]

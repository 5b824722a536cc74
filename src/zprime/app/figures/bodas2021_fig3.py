"""Bodas, Coy, King, EPJC 81 (2021) 1065, Fig. 3 (Sec. 3.2.3): the muon sector.

- Fig. 3a: C_Vμ (both signs, log |C_Vμ|; two panels) against m_Z' with C_νμ = 1e-5 (the seed's choice) and
  C_Aμ ≥ 0 solved from the exact Bodas Eq. (7) so that Δa_μ equals the edition's central value. Where
  C_Vμ² K_V < Δa_μ no real C_Aμ does that; there C_Aμ = 0 (still within 1σ) unless C_Vμ² K_V < Δa_μ − 1σ,
  the "|C_Vμ| too small" region. Regions: BBN + Planck (8.3 MeV for |C_νμ| above threshold), CCFR trident
  (Gaussian 95% CL, as the seed) and CHARM-II trident (Bodas Eq. (16), valid below m_μ).
- Fig. 3b: contours of |C_Aμ| over (m_Z', |C_Vμ|) for C_Vμ > 0 (|C_Aμ| depends only on |C_Vμ|), the
  too-small region masked, the Fig. 3a exclusions outlined.
- Fig. 3c/3d: C_νμ against m_Z' with C_Ve = 0, C_Ae > 0 at the lower (3c) / upper (3d) 1σ end of Δa_e
  (exact Eq. (7); Δa_e > 0, e.g. Rb, uses C_Ve instead, as in Fig. 2c/2d), C_νe = C_ντ = 0 and muon couplings
  zero. Regions: Borexino, CHARM-II (ν_μ e), white dwarfs, TEXONO, BBN + Planck.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from zprime.app.figures import _recipes as R
from zprime.app.figures import _style as S
from zprime.app.figures.base import FigureSpec
from zprime.core.couplings import Couplings
from zprime.core.lazy import lazy_module

xr = lazy_module("xarray")  # loaded at its first use: listing the figures does not need it

PAPER = "P. Bodas, R. Coy, S. F. King, Eur. Phys. J. C 81 (2021) 1065 (arXiv:2102.07781), Fig. 3"
MASS_RANGE_MEV: tuple[float, float] = (1.0, 100.0)
CVMU_RANGE: tuple[float, float] = (1.0e-4, 1.0)
CNUMU_HALF_RANGE: float = 5.0e-5
#: The seed's fixed neutrino coupling of Fig. 3a (a choice of the figure, Bodas Sec. 3.2.3).
CNUMU_FIG3A: float = 1.0e-5
DEFAULT_RESOLUTION = 300
#: Contour levels of |C_Aμ| in Fig. 3b (log-spaced).
CAMU_LEVELS: tuple[float, ...] = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 1e-1)
#: The mass window (MeV) of the figures' summary numbers (``..._16_38`` attributes).
WINDOW_MEV: tuple[float, float] = (16.0, 38.0)

BASES_A: tuple[str, ...] = ("ccfr_trident", "charm2_trident", "bbn_planck")
BASES_CD: tuple[str, ...] = ("borexino", "charm2", "white_dwarf", "texono", "bbn_planck")


# ------------------------------------------------------------------------------------------ Fig. 3a/b
def camu_for(mass_mev: np.ndarray, cvmu: np.ndarray, edition: str) -> tuple[np.ndarray, np.ndarray]:
    """(|C_Aμ|, too_small): |C_Aμ| meeting the central Δa_μ exactly (0 where only C_Aμ = 0 comes within 1σ;
    NaN where even C_Aμ = 0 stays below Δa_μ − 1σ, flagged ``too_small``)."""
    an = R.anomaly("mu", edition)
    ca2 = R.solve_ca_sq(mass_mev, cvmu, an.value, "mu")
    kv, _ = R.g2_kernels(mass_mev, "mu")
    too_small = np.asarray(cvmu, float) ** 2 * kv < an.low
    camu = np.where(np.isfinite(ca2), np.sqrt(np.where(np.isfinite(ca2), ca2, 0.0)), 0.0)
    return np.where(too_small, np.nan, camu), too_small


def data_a(
    edition: str = "2021",
    ae: str = "cs",
    resolution: int = DEFAULT_RESOLUTION,
    rules: str = "seed",
    positive_only: bool = False,
) -> xr.Dataset:
    """Fig. 3a over (C_Vμ, m_Z'): both signs of C_Vμ, ``resolution`` rows each (``positive_only``: 3b)."""
    R.check_options(edition, ae, resolution, rules)
    an = R.anomaly("mu", edition)
    m = R.log_axis(*MASS_RANGE_MEV, resolution)
    y = (
        R.log_axis(*CVMU_RANGE, resolution)
        if positive_only
        else R.symmetric_log_axis(*CVMU_RANGE, 2 * resolution)
    )
    mm, yy = np.meshgrid(m, y)
    camu, too_small = camu_for(mm, yy, edition)
    c = Couplings(mass_mev=mm, c_vmu=yy, c_amu=np.nan_to_num(camu), c_numu=CNUMU_FIG3A)
    names = R.constraint_names(BASES_A, rules)
    ev = R.evaluate_masks(c, names, edition, ae, valid=~too_small)
    masks, missing = ev.masks, ev.missing
    regions: dict[str, tuple[np.ndarray, dict[str, Any]]] = {
        "delta_amu_too_small": (
            too_small,
            {
                **S.region_attrs("delta_amu_too_small", kind="g2"),
                "description": "C_Vmu^2 K_V < Delta a_mu - 1 sigma (C_Amu = 0)",
            },
        ),
    }
    regions.update(R.constraint_regions(ev))
    kv, _ = R.g2_kernels(mm, "mu")
    with np.errstate(divide="ignore"):
        small_margin = np.log10(an.low / (yy**2 * kv)) if an.low > 0 else np.full(mm.shape, R.MARGIN_FLOOR)
    margins = {"delta_amu_too_small": small_margin, **ev.margins}
    allowed = ~too_small & ~R.any_excluded(masks, mm.shape)
    window = (mm >= WINDOW_MEV[0]) & (mm <= WINDOW_MEV[1])
    pos = allowed & (yy > 0) & window
    neg = allowed & (yy < 0) & window
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = camu / np.abs(yy)
    attrs = {
        "panel": "3b" if positive_only else "3a",
        "edition": edition,
        "ae": ae,
        "rules": rules,
        "delta_a_mu": an.value,
        "delta_a_mu_sigma": an.sigma,
        "delta_a_mu_reference": an.reference,
        "c_numu": CNUMU_FIG3A,
        "missing_constraints": missing,
        "paper": PAPER,
        "slice": f"C_numu = {CNUMU_FIG3A:g}, |C_Amu| from exact Eq. (7) at the central Delta a_mu, electron "
        "couplings 0",
        "allowed_cvmu_max_16_38": float(yy[pos].max()) if pos.any() else float("nan"),
        "allowed_cvmu_min_16_38": float(yy[pos].min()) if pos.any() else float("nan"),
        "allowed_neg_abs_cvmu_max_16_38": float(np.abs(yy[neg]).max()) if neg.any() else float("nan"),
        "camu_max_16_38": float(np.nanmax(np.where(pos, camu, np.nan))) if pos.any() else float("nan"),
        "camu_over_cvmu_max_16_38": float(np.nanmax(np.where(pos, ratio, np.nan)))
        if pos.any()
        else float("nan"),
    }
    extra = {
        "c_amu": (
            ("c_vmu", "mass_mev"),
            camu,
            {"label": r"$|C_{A\mu}|$", "description": "|C_Amu| meeting Delta a_mu (NaN: too small)"},
        ),
        "c_amu_over_c_vmu": (("c_vmu", "mass_mev"), ratio, {"label": r"$|C_{A\mu}/C_{V\mu}|$"}),
        "allowed": (("c_vmu", "mass_mev"), allowed, {"label": "allowed", "kind": "allowed"}),
    }
    ylab = r"$|C_{V\mu}|$" if positive_only else r"$C_{V\mu}$"
    return R.build_dataset(
        m,
        "c_vmu",
        y,
        R.coord_attrs("c_vmu", "", "log" if positive_only else "symlog", ylab),
        regions,
        extra,
        attrs,
        margins=margins,
    )


def data_b(
    edition: str = "2021", ae: str = "cs", resolution: int = DEFAULT_RESOLUTION, rules: str = "seed"
) -> xr.Dataset:
    """Fig. 3b: |C_Aμ| over (|C_Vμ|, m_Z') for C_Vμ > 0, with the Fig. 3a regions."""
    return data_a(edition, ae, resolution, rules, positive_only=True)


def _arrays(ds: xr.Dataset, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.abs(ds["c_vmu"].values[rows])
    order = np.argsort(y)
    return rows[order], y[order]


@S.styled
def plot_a(ds: xr.Dataset) -> Any:
    """Fig. 3a in two panels: C_Vμ > 0 (top) and C_Vμ < 0 (bottom, |C_Vμ| growing downwards)."""
    import matplotlib.pyplot as plt

    fig, (top, bot) = plt.subplots(2, 1, figsize=(7.4, 6.4), sharex=True, gridspec_kw={"hspace": 0.05})
    yv = ds["c_vmu"].values
    handles: dict[str, Any] = {}
    for ax, rows_all in ((top, np.flatnonzero(yv > 0)), (bot, np.flatnonzero(yv < 0))):
        rows, y = _arrays(ds, rows_all)
        for name, h in S.draw_region_map(ax, ds, y=y, sel=rows).items():
            handles.setdefault(name, h)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(*CVMU_RANGE)
        ax.tick_params(which="both", direction="in", top=True, right=True)
    bot.invert_yaxis()
    top.set_ylabel(r"$C_{V\mu} > 0$")
    bot.set_ylabel(r"$-C_{V\mu}$  ($C_{V\mu} < 0$)")
    bot.set_xlabel(ds["mass_mev"].attrs["label"])
    bot.set_xlim(*MASS_RANGE_MEV)
    top.text(0.55, 0.55, "allowed", transform=top.transAxes, fontsize=12, color="red", fontweight="bold")
    bot.text(0.55, 0.45, "allowed", transform=bot.transAxes, fontsize=12, color="red", fontweight="bold")
    S.note(
        top,
        f"$C_{{\\nu\\mu}} = {S.sci_tex(ds.attrs['c_numu'])}$, $|C_{{A\\mu}}|$ fixed by "
        f"$\\Delta a_\\mu = {ds.attrs['delta_a_mu'] * 1e11:.0f}\\times10^{{-11}}$",
        loc=(0.40, 0.86),
        fontsize=8,
    )
    top.set_title(
        S.title(ds, r"Muon vector coupling, $|C_{A\mu}|$ fixed by $\Delta a_\mu$, $C_{\nu\mu}=10^{-5}$"),
        fontsize=10,
    )
    S.legend(fig, top, [handles[n] for n in ds.attrs["regions"] if n in handles])
    fig.subplots_adjust(right=0.68)
    return fig


@S.styled
def plot_b(ds: xr.Dataset) -> Any:
    """Fig. 3b: filled log contours of |C_Aμ| with labelled lines; too-small region and Fig. 3a limits."""
    from matplotlib.colors import LogNorm
    from matplotlib.patches import Patch

    fig, ax = S.new_figure(7.6, 5.0)
    m = ds["mass_mev"].values
    y = ds["c_vmu"].values
    camu = ds["c_amu"].values
    pos = np.where(camu > 0, camu, np.nan)
    levels = [v for v in CAMU_LEVELS if np.nanmin(pos) <= v * 10 and v <= np.nanmax(pos) * 10]
    edges = np.geomspace(levels[0] / 10**0.25, levels[-1] * 10**0.25, 4 * len(levels) + 1)
    cf = ax.contourf(
        m, y, pos, levels=edges, norm=LogNorm(edges[0], edges[-1]), cmap="viridis", zorder=0, extend="both"
    )
    cs = ax.contour(m, y, pos, levels=levels, colors="white", linewidths=0.9, zorder=10)
    ax.clabel(cs, fmt=lambda v: f"{v:.0e}", fontsize=7, inline=True)
    cb = fig.colorbar(cf, ax=ax, pad=0.02)
    cb.set_label(r"$|C_{A\mu}|$ meeting $\Delta a_\mu$")
    cb.set_ticks(levels)
    handles = []
    zero = (camu == 0) & ~ds["delta_amu_too_small"].values
    if zero.any():
        h = S.fill_region(
            ax, m, y, zero, S.RegionStyle(r"$C_{A\mu}=0$ (within $1\sigma$)", S.TOL["pale_grey"]), zorder=1
        )
        if h is not None:
            handles.append(h)
    for k, name in enumerate(ds.attrs["regions"]):
        st = S.region_style(name)
        mask = ds[name].values
        if not mask.any():
            continue
        if name == "delta_amu_too_small":
            h = S.fill_region(ax, m, y, mask, st, zorder=3, margin=S.margin_of(ds, name))
        else:  # hatched, not veiled: the |C_Aμ| colours stay readable underneath
            mg = S.margin_of(ds, name)
            hatched = S.RegionStyle(st.label + " (excluded)", st.color, hatch="////", alpha=0.0)
            h = S.fill_region(ax, m, y, mask, hatched, zorder=3 + k, edge=False, margin=mg)
            z = mg if mg is not None else S.smooth_field(mask)
            ax.contour(m, y, z, levels=[0.0], colors=[st.color], linewidths=2.0, zorder=4 + k)
            h = Patch(facecolor="none", edgecolor=st.color, hatch="////", lw=2.0, label=hatched.label)
        if h is not None:
            handles.append(h)
    S.setup_axes(ax, ds, "log", r"$C_{V\mu}$ ($>0$)")
    ax.set_ylim(*CVMU_RANGE)
    ax.set_title(
        S.title(
            ds,
            r"Muon axial coupling $|C_{A\mu}|$ that gives $\Delta a_\mu$ exactly, "
            f"$C_{{\\nu\\mu}}={S.sci_tex(ds.attrs['c_numu'])}$",
        ),
        fontsize=10,
    )
    if np.isfinite(ds.attrs["camu_over_cvmu_max_16_38"]):
        S.note(
            ax,
            f"16–38 MeV, allowed: $|C_{{A\\mu}}| \\leq {S.sci_tex(ds.attrs['camu_max_16_38'])}$, "
            f"$|C_{{A\\mu}}/C_{{V\\mu}}| \\leq {ds.attrs['camu_over_cvmu_max_16_38']:.2f}$",
            loc=(0.02, 0.02),
        )
    ax.legend(
        handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=8, frameon=False
    )
    S.tight_layout(fig)
    return fig


# ------------------------------------------------------------------------------------------ Fig. 3c/d
def data_cd(
    panel: str,
    edition: str = "2021",
    ae: str = "cs",
    resolution: int = DEFAULT_RESOLUTION,
    rules: str = "seed",
) -> xr.Dataset:
    """Fig. 3c ('c', Δa_e at −1σ) or 3d ('d', +1σ) over (C_νμ, m_Z')."""
    return R.neutrino_slice(
        "3",
        panel,
        panel == "c",
        "c_numu",
        r"$C_{\nu\mu}$",
        CNUMU_HALF_RANGE,
        BASES_CD,
        MASS_RANGE_MEV,
        PAPER,
        edition,
        ae,
        resolution,
        rules,
        window_mev=WINDOW_MEV,
    )


@S.styled
def plot_cd(ds: xr.Dataset) -> Any:
    """Fig. 3c/3d: shaded regions over (m_Z', C_νμ)."""
    v = ds.attrs["allowed_abs_c_numu_max_16_38"]
    return S.neutrino_panel(
        ds,
        CNUMU_HALF_RANGE,
        f"16–38 MeV: allowed $|C_{{\\nu\\mu}}| \\lesssim {S.sci_tex(v)}$"
        if np.isfinite(v)
        else "16–38 MeV: nothing allowed",
        arrow_near_mev=25.0,
    )


def provide() -> list[FigureSpec]:
    return [
        FigureSpec(
            "bodas2021-fig3a",
            "C_Vmu vs m_Z' with C_numu = 1e-5 and C_Amu fixed by Delta a_mu",
            PAPER + "a",
            data_a,
            plot_a,
            DEFAULT_RESOLUTION,
        ),
        FigureSpec(
            "bodas2021-fig3b",
            "Contours of |C_Amu| meeting Delta a_mu over (m_Z', C_Vmu)",
            PAPER + "b",
            data_b,
            plot_b,
            DEFAULT_RESOLUTION,
        ),
        FigureSpec(
            "bodas2021-fig3c",
            "C_numu vs m_Z' with C_Ve = 0, C_Ae from Delta a_e at its lower 1-sigma end",
            PAPER + "c",
            partial(data_cd, "c"),
            plot_cd,
            DEFAULT_RESOLUTION,
        ),
        FigureSpec(
            "bodas2021-fig3d",
            "C_numu vs m_Z' with C_Ve = 0, C_Ae from Delta a_e at its upper 1-sigma end",
            PAPER + "d",
            partial(data_cd, "d"),
            plot_cd,
            DEFAULT_RESOLUTION,
        ),
    ]


__all__ = [
    "PAPER",
    "MASS_RANGE_MEV",
    "CVMU_RANGE",
    "CNUMU_HALF_RANGE",
    "CNUMU_FIG3A",
    "CAMU_LEVELS",
    "WINDOW_MEV",
    "BASES_A",
    "BASES_CD",
    "camu_for",
    "data_a",
    "data_b",
    "plot_a",
    "plot_b",
    "data_cd",
    "plot_cd",
    "provide",
]

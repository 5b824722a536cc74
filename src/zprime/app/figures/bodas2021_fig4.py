"""Bodas, Coy, King, EPJC 81 (2021) 1065, Fig. 4 (Sec. 5): the Rb value of Δa_e with the Froggatt–Nielsen
relation Bodas Eq. (33), C_Ve − C_Ae − C_νe = C_Vμ − C_Aμ − C_νμ.

Slice: C_Ve > 0 on the y axis, C_Ae = −P/C_Ve saturating the Møller bound (``rules="seed"``: P = 1e-8, the
value of the data entry ``moller_seed_product_bound`` behind ``moller_e158_seed``; ``rules="current"``: P(m) =
the magnitude of the negative-product edge of the bound derived from E158, ``moller_e158``),
C_Vμ = C_Ve − C_Ae = C_Ve + P/C_Ve (Eq. (33) with C_Aμ = C_νe = C_νμ = 0), everything else zero.
Shown: the 1σ bands of Δa_e (Rb by default) and Δa_μ, and NA64, KLOE and BaBar.

The overlap of the two bands is thin, so besides the grid it is computed exactly per mass on a fine mass grid:
Δa_e(C_Ve) = K_V^e C_Ve² − K_A^e P²/C_Ve² increases with C_Ve, so its band is one interval
C_Ve² = (t + √(t² + 4 K_V K_A P²))/(2 K_V) between t = Δa_e ∓ σ; Δa_μ = K_V^μ (C_Ve + P/C_Ve)² gives up to two
intervals C_Ve = (v ± √(v² − 4P))/2. Their intersections are sampled (``OVERLAP_SAMPLES`` points each) and
passed through every constraint: ``overlap_allowed`` says whether any point survives.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from zprime.app.figures import _recipes as R
from zprime.app.figures import _style as S
from zprime.app.figures.base import FigureSpec
from zprime.core.couplings import Couplings
from zprime.core.lazy import lazy_module
from zprime.physics.observables.g2 import delta_a_lepton

xr = lazy_module("xarray")  # loaded at its first use: listing the figures does not need it

PAPER = "P. Bodas, R. Coy, S. F. King, Eur. Phys. J. C 81 (2021) 1065 (arXiv:2102.07781), Fig. 4"
MASS_RANGE_MEV: tuple[float, float] = (1.0, 100.0)
CVE_RANGE: tuple[float, float] = (1.0e-5, 1.0e-2)
DEFAULT_RESOLUTION = 300
OVERLAP_SAMPLES = 16
BASES: tuple[str, ...] = ("kloe_2012", "kloe_2015", "na64_2018", "na64_2019", "babar_2014")


def moller_saturation(mass_mev: np.ndarray, rules: str, edition: str) -> np.ndarray:
    """P ≥ 0 with C_Ve C_Ae = −P on the slice: the seed's |C_Ve C_Ae| bound (data entry, constant) or the
    negative edge of the derived E158 bound at each mass."""
    from zprime.core.measurements import get
    from zprime.physics.constraints.moller import moller_product_bounds

    m = np.asarray(mass_mev, float)
    if rules == "seed":
        return np.full(m.shape, float(get("moller_seed_product_bound", edition).value))
    lo, _ = moller_product_bounds(m, "moller_e158", edition=edition)
    return -np.asarray(lo, float)


def slice_couplings(mass_mev: np.ndarray, cve: np.ndarray, p: np.ndarray) -> Couplings:
    """The Fig. 4 point: C_Ae = −P/C_Ve, C_Vμ = C_Ve − C_Ae (Eq. (33), C_Aμ = C_νe = C_νμ = 0)."""
    cae = -p / cve
    return Couplings(mass_mev=mass_mev, c_ve=cve, c_ae=cae, c_vmu=cve - cae)


def band_intervals(
    mass_mev: np.ndarray, p: np.ndarray, edition: str, ae: str
) -> tuple[tuple[np.ndarray, np.ndarray], list[tuple[np.ndarray, np.ndarray]]]:
    """Exact C_Ve intervals of the Δa_e band and the Δa_μ band (up to two) on the slice; NaN where empty."""
    ae_an = R.anomaly("e", edition, ae)
    mu_an = R.anomaly("mu", edition)
    kve, kae = R.g2_kernels(mass_mev, "e")
    kvm, _ = R.g2_kernels(mass_mev, "mu")

    def y_of(t: float) -> np.ndarray:
        y2 = (t + np.sqrt(t**2 + 4.0 * kve * kae * p**2)) / (2.0 * kve)
        return np.sqrt(np.maximum(y2, 0.0))

    e_lo, e_hi = y_of(ae_an.low), y_of(ae_an.high)
    e_ok = e_hi > e_lo
    e_band = (np.where(e_ok, e_lo, np.nan), np.where(e_ok, e_hi, np.nan))
    v1 = np.sqrt(max(mu_an.low, 0.0) / kvm)
    v2 = np.sqrt(max(mu_an.high, 0.0) / kvm)
    vmin = 2.0 * np.sqrt(p)
    v1c = np.maximum(v1, vmin)
    s1 = np.sqrt(np.maximum(v1c**2 - 4.0 * p, 0.0))
    s2 = np.sqrt(np.maximum(v2**2 - 4.0 * p, 0.0))
    upper = ((v1c + s1) / 2.0, (v2 + s2) / 2.0)
    lower = ((v2 - s2) / 2.0, (v1c - s1) / 2.0)
    out = []
    for lo, hi in (upper, lower):
        ok = (v2 > vmin) & (hi > lo) & (lo > 0)
        out.append((np.where(ok, lo, np.nan), np.where(ok, hi, np.nan)))
    return e_band, out


def _overlap_scan(names: list[str], rules: str, edition: str, ae: str, n_mass: int) -> dict[str, Any]:
    """Exact band overlap per mass, sampled and checked against every constraint."""
    ms = R.log_axis(*MASS_RANGE_MEV, n_mass)
    p = moller_saturation(ms, rules, edition)
    (e_lo, e_hi), mu = band_intervals(ms, p, edition, ae)
    f = (np.arange(OVERLAP_SAMPLES) + 0.5) / OVERLAP_SAMPLES
    samples, exists_rows = [], []
    for a, b in mu:
        lo = np.fmax(e_lo, a)
        hi = np.fmin(e_hi, b)
        ok = np.isfinite(lo) & np.isfinite(hi) & (hi > lo)
        lo1, hi1 = np.where(ok, lo, 1e-3), np.where(ok, hi, 1e-3)
        samples.append(np.exp(np.log(lo1)[None, :] + f[:, None] * np.log(hi1 / lo1)[None, :]))
        exists_rows.append(np.broadcast_to(ok, (OVERLAP_SAMPLES, ms.size)))
    y = np.concatenate(samples)
    valid = np.concatenate(exists_rows)
    c = slice_couplings(np.broadcast_to(ms, y.shape), y, np.broadcast_to(p, y.shape))
    masks = R.evaluate_masks(c, names, edition, ae, valid=valid).masks
    good = valid & ~R.any_excluded(masks, y.shape)
    return {
        "mass": ms,
        "exists": valid.any(axis=0),
        "allowed": good.any(axis=0),
        "cve_allowed": np.where(good, y, np.nan),
        "p": p,
    }


def data(
    edition: str = "2021", ae: str = "rb", resolution: int = DEFAULT_RESOLUTION, rules: str = "seed"
) -> xr.Dataset:
    """Fig. 4 over (C_Ve, m_Z'): a_e, a_μ 1σ bands, their overlap, NA64/KLOE/BaBar regions."""
    R.check_options(edition, ae, resolution, rules)
    m = R.log_axis(*MASS_RANGE_MEV, resolution)
    y = R.log_axis(*CVE_RANGE, resolution)
    mm, yy = np.meshgrid(m, y)
    p = moller_saturation(m, rules, edition)[None, :]
    c = slice_couplings(mm, yy, np.broadcast_to(p, mm.shape))
    e_an = R.anomaly("e", edition, ae)
    mu_an = R.anomaly("mu", edition)
    from zprime.core.constants import LEPTON_MASS_MEV

    dae = delta_a_lepton(mm, c.c_ve, c.c_ae, LEPTON_MASS_MEV["e"])
    damu = delta_a_lepton(mm, c.c_vmu, 0.0, LEPTON_MASS_MEV["mu"])
    a_e_band = np.abs(dae - e_an.value) <= e_an.sigma
    a_mu_band = np.abs(damu - mu_an.value) <= mu_an.sigma
    overlap = a_e_band & a_mu_band
    names = R.constraint_names(BASES, rules)
    ev = R.evaluate_masks(c, names, edition, ae)
    masks, missing = ev.masks, ev.missing
    excluded = R.any_excluded(masks, mm.shape)
    regions: dict[str, tuple[np.ndarray, dict[str, Any]]] = dict(R.constraint_regions(ev))
    e_margin = 1.0 - np.abs(dae - e_an.value) / e_an.sigma
    mu_margin = 1.0 - np.abs(damu - mu_an.value) / mu_an.sigma
    margins = {
        **ev.margins,
        "a_e_band": e_margin,
        "a_mu_band": mu_margin,
        "band_overlap": np.minimum(e_margin, mu_margin),
    }
    for n, mk, desc in (
        ("a_e_band", a_e_band, f"|Delta a_e - {e_an.value:.3g}| <= {e_an.sigma:.3g}"),
        ("a_mu_band", a_mu_band, f"|Delta a_mu - {mu_an.value:.3g}| <= {mu_an.sigma:.3g}"),
        ("band_overlap", overlap, "both bands"),
    ):
        regions[n] = (mk, {**S.region_attrs(n, kind="g2"), "description": desc})
    scan = _overlap_scan(list(masks), rules, edition, ae, max(4 * resolution, 400))
    sm = scan["mass"]
    ov_lo, ov_hi = R.mass_span(sm, scan["exists"])
    al_lo, al_hi = R.mass_span(sm, scan["allowed"])
    cve_ok = scan["cve_allowed"]
    attrs = {
        "panel": "4",
        "edition": edition,
        "ae": ae,
        "rules": rules,
        "paper": PAPER,
        "delta_a_e": e_an.value,
        "delta_a_e_sigma": e_an.sigma,
        "delta_a_mu": mu_an.value,
        "delta_a_mu_sigma": mu_an.sigma,
        "missing_constraints": missing,
        "moller_saturation": "seed |C_Ve C_Ae| = 1e-8 (moller_seed_product_bound)"
        if rules == "seed"
        else "negative edge of the derived E158 bound (moller_e158)",
        "moller_p_at_min_mass": float(scan["p"][0]),
        "slice": "C_Ae = -P/C_Ve, C_Vmu = C_Ve - C_Ae (Eq. 33), C_Amu = C_nue = C_numu = 0",
        "overlap_mass_min_mev": ov_lo,
        "overlap_mass_max_mev": ov_hi,
        "overlap_allowed_mass_min_mev": al_lo,
        "overlap_allowed_mass_max_mev": al_hi,
        "overlap_excluded": int(bool(scan["exists"].any()) and not bool(scan["allowed"].any())),
        "overlap_allowed_cve_min": float(np.nanmin(cve_ok)) if np.isfinite(cve_ok).any() else float("nan"),
        "overlap_allowed_cve_max": float(np.nanmax(cve_ok)) if np.isfinite(cve_ok).any() else float("nan"),
        "grid_overlap_points": int(overlap.sum()),
        "grid_overlap_allowed_points": int((overlap & ~excluded).sum()),
    }
    fm_attrs = R.coord_attrs("mass_mev", "MeV", "log", label=r"$m_{Z'}$ [MeV] (overlap scan)")
    extra = {
        "delta_a_e_value": (("c_ve", "mass_mev"), dae, {"label": r"$\Delta a_e$"}),
        "delta_a_mu_value": (("c_ve", "mass_mev"), damu, {"label": r"$\Delta a_\mu$"}),
        "allowed": (
            ("c_ve", "mass_mev"),
            overlap & ~excluded,
            {"label": "both bands and not excluded", "kind": "allowed"},
        ),
        "overlap_exists": (("fine_mass_mev",), scan["exists"], {"label": "the two bands overlap (exact)"}),
        "overlap_allowed": (
            ("fine_mass_mev",),
            scan["allowed"],
            {"label": "some overlap point passes every constraint"},
        ),
    }
    return R.build_dataset(
        m,
        "c_ve",
        y,
        R.coord_attrs("c_ve", "", "log", r"$C_{Ve}$"),
        regions,
        extra,
        attrs,
        margins=margins,
        extra_coords={"fine_mass_mev": (sm, fm_attrs)},
    )


@S.styled
def plot(ds: xr.Dataset) -> Any:
    """Fig. 4: bands and search regions; the band overlap hatched and its fate annotated."""
    fig, ax, handles = S.region_axes(ds, CVE_RANGE)
    if ds.attrs["overlap_excluded"]:
        msg = (
            f"bands overlap at {ds.attrs['overlap_mass_min_mev']:.1f}–"
            f"{ds.attrs['overlap_mass_max_mev']:.1f} MeV: all excluded"
        )
    elif np.isfinite(ds.attrs["overlap_allowed_mass_min_mev"]):
        xy = (
            math.sqrt(ds.attrs["overlap_allowed_mass_min_mev"] * ds.attrs["overlap_allowed_mass_max_mev"]),
            math.sqrt(ds.attrs["overlap_allowed_cve_min"] * ds.attrs["overlap_allowed_cve_max"]),
        )
        S.arrow_to(ax, xy, (0.30, 0.85), "allowed")
        msg = (
            f"overlap allowed at {ds.attrs['overlap_allowed_mass_min_mev']:.1f}–"
            f"{ds.attrs['overlap_allowed_mass_max_mev']:.1f} MeV"
        )
    else:
        msg = "the bands do not overlap"
    heading = (
        r"Both anomalies with $a_e$(Rb): $C_{Ae}=-P/C_{Ve}$ (Møller bound saturated), "
        r"$C_{V\mu}=C_{Ve}-C_{Ae}$"
    )
    return S.finish(fig, ax, handles, ds, heading, msg, fontsize=8)


def provide() -> list[FigureSpec]:
    return [
        FigureSpec(
            "bodas2021-fig4",
            "Rb: C_Ve vs m_Z' on the Eq. (33) slice saturating the Moller bound; "
            "a_e and a_mu bands, NA64, KLOE, BaBar",
            PAPER,
            data,
            plot,
            DEFAULT_RESOLUTION,
        )
    ]


__all__ = [
    "PAPER",
    "MASS_RANGE_MEV",
    "CVE_RANGE",
    "OVERLAP_SAMPLES",
    "BASES",
    "moller_saturation",
    "slice_couplings",
    "band_intervals",
    "data",
    "plot",
    "provide",
]

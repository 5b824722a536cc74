"""Bodas, Coy, King, EPJC 81 (2021) 1065, Fig. 2 (Sec. 3.1.4): the electron sector.

- Fig. 2a/2b: |C_Ae| against m_Z' with C_νe = 0 (muon and tau couplings zero) and |C_Ve| solved from the exact
  Bodas Eq. (7) so that Δa_e equals the lower (2a) or upper (2b) 1σ end of the edition's Δa_e (Cs by default:
  −12.3e-13 and −5.1e-13 for 2021). Where no real C_Ve exists (the Z' cannot reach the target) the point
  belongs to the "Δa_e not reachable" region. The allowed strip between that region and the Møller bound is
  far thinner than a grid cell (a fraction ~3e-3 of |C_Ae| with the seed's 1e-8; ~1e-4 with the derived E158
  bound), so it is computed separately, per mass, between its exact edges: the lower edge
  C_Ae² = −Δa_e/K_A (C_Ve = 0) and the Møller edge C_Ve C_Ae = P (solving K_A x² + Δa_e x − K_V P² = 0 for
  x = C_Ae²), sampled at ``STRIP_SAMPLES`` points and passed through every constraint. Signs: C_Ve, C_Ae ≥ 0
  (``cve_sign=-1`` flips C_Ve); only the derived E158 bound (``rules="current"``) cares.
- Fig. 2c/2d: C_νe against m_Z' with C_Ve = 0 and C_Ae > 0 from the exact Eq. (7) at the two 1σ ends (Bodas
  Eq. (15) is its heavy-Z' limit). If the edition's Δa_e is positive (Rb), an axial coupling cannot give it:
  the slice then uses C_Ae = 0 and C_Ve > 0 (Bodas Sec. 5: "the relevant bounds are similar under
  C_Ae → C_Ve"), and says so in the attributes.

Rules: ``rules="seed"`` swaps in the seed's BaBar envelope, Møller |C_Ve C_Ae| ≤ 1e-8 and Eqs. (13)/(14) for
TEXONO/Borexino; ``rules="current"`` uses the published BaBar curve, the E158 bound derived from the data and
the first-principles ν–e scattering constraints (Bodas Secs. 3–4; each correction is documented in
:mod:`zprime.physics.constraints`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from zprime.app.figures import _recipes as R
from zprime.app.figures import _style as S
from zprime.app.figures.base import FigureSpec
from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.core.lazy import lazy_module

xr = lazy_module("xarray")  # loaded at its first use: listing the figures does not need it

PAPER = "P. Bodas, R. Coy, S. F. King, Eur. Phys. J. C 81 (2021) 1065 (arXiv:2102.07781), Fig. 2"
#: Plot ranges (axes as in the seed's figure).
MASS_RANGE_MEV: tuple[float, float] = (1.0, 100.0)
CAE_RANGE: tuple[float, float] = (1.0e-6, 1.0e-2)
CNUE_HALF_RANGE: float = 3.0e-5
#: Samples across the allowed strip of Figs. 2a/2b at each mass.
STRIP_SAMPLES = 24
DEFAULT_RESOLUTION = 300

#: Constraints of Figs. 2a/2b and 2c/2d (current names; the rule set swaps variants in).
BASES_AB: tuple[str, ...] = (
    "moller_e158",
    "kloe_2012",
    "kloe_2015",
    "babar_2014",
    "na64_2018",
    "na64_2019",
    "bbn_planck",
)
BASES_CD: tuple[str, ...] = ("texono", "borexino", "white_dwarf", *BASES_AB)


#: Panels at the lower 1σ end of Δa_e (the others take the upper end).
_LOW_PANELS: tuple[str, ...] = ("a", "c")


def _target(panel: str, edition: str, ae: str) -> tuple[float, R.Anomaly]:
    return R.electron_end(edition, ae, panel in _LOW_PANELS)


# --------------------------------------------------------------------------------------- Fig. 2a/2b
def strip_edges(
    mass_mev: np.ndarray, target: float, moller_name: str, edition: str, cve_sign: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """C_Ae edges of the strip where Δa_e = ``target`` is reachable and the Møller bound holds (exact).

    Lower: C_Ae² = max(−target/K_A, 0) (C_Ve = 0). Upper: |C_Ve C_Ae| = P, the Møller edge of the chosen sign,
    i.e. K_A x² + target·x − K_V P² = 0 for x = C_Ae². Where the lower edge lies above the upper one the
    strip is empty (NaN).
    """
    from zprime.physics.constraints.moller import moller_product_bounds

    kv, ka = R.g2_kernels(mass_mev, "e")
    lo, hi = moller_product_bounds(mass_mev, moller_name, edition=edition)
    p = np.asarray(hi if cve_sign > 0 else -lo, float)
    x0 = np.maximum(-target / ka, 0.0)
    x1 = (-target + np.sqrt(target**2 + 4.0 * ka * kv * p**2)) / (2.0 * ka)
    ok = x1 > x0
    return np.where(ok, np.sqrt(x0), np.nan), np.where(ok, np.sqrt(x1), np.nan)


def _strip(
    target: float,
    names: list[str],
    moller_name: str,
    edition: str,
    ae: str,
    n_mass: int,
    cve_sign: int,
    y_min: float,
) -> dict[str, Any]:
    """Allowed strip of Fig. 2a/2b on a fine mass grid: edges, allowed flag and allowed coupling ranges."""
    ms = R.log_axis(*MASS_RANGE_MEV, n_mass)
    lower, upper = strip_edges(ms, target, moller_name, edition, cve_sign)
    lower = np.where(np.isfinite(lower), np.maximum(lower, y_min), np.nan)
    exists = np.isfinite(lower) & np.isfinite(upper) & (upper > lower)
    lo = np.where(exists, lower, 1.0)
    hi = np.where(exists, upper, 1.0)
    f = (np.arange(STRIP_SAMPLES) + 0.5) / STRIP_SAMPLES
    cae = np.exp(np.log(lo)[None, :] + f[:, None] * (np.log(hi) - np.log(lo))[None, :])
    cv2 = R.solve_cv_sq(ms[None, :], cae, target, "e")
    ok = np.isfinite(cv2) & exists[None, :]
    cve = cve_sign * np.sqrt(np.where(ok, cv2, 0.0))
    c = Couplings(mass_mev=np.broadcast_to(ms, cae.shape), c_ve=cve, c_ae=cae)
    masks = R.evaluate_masks(c, names, edition, ae, valid=ok).masks
    good = ok & ~R.any_excluded(masks, cae.shape)
    allowed = good.any(axis=0)
    cae_sel = np.where(good, cae, np.nan)
    with np.errstate(all="ignore"):
        cae_min = np.nanmin(np.where(good, cae, np.inf), axis=0)
        cae_max = np.nanmax(np.where(good, cae, -np.inf), axis=0)
        cve_max = np.max(np.where(good, np.abs(cve), -np.inf), axis=0)
    blockers = {n: (m & ok).all(axis=0) & exists for n, m in masks.items()}
    return {
        "mass": ms,
        "lower": np.where(exists, lower, np.nan),
        "upper": np.where(exists, upper, np.nan),
        "allowed": allowed,
        "cae_min": np.where(allowed, cae_min, np.nan),
        "cae_max": np.where(allowed, cae_max, np.nan),
        "cve_max": np.where(allowed, cve_max, np.nan),
        "any_sample": np.isfinite(cae_sel).any(axis=0),
        "closed_by": blockers,
    }


def data_ab(
    panel: str,
    edition: str = "2021",
    ae: str = "cs",
    resolution: int = DEFAULT_RESOLUTION,
    rules: str = "seed",
    cve_sign: int = 1,
) -> xr.Dataset:
    """Fig. 2a (panel 'a', Δa_e at −1σ) or 2b ('b', +1σ): regions over (|C_Ae|, m_Z'), allowed strip."""
    R.check_options(edition, ae, resolution, rules)
    if cve_sign not in (1, -1):
        raise InputError("cve_sign", f"must be +1 or -1, got {cve_sign!r}")
    target, an = _target(panel, edition, ae)
    m = R.log_axis(*MASS_RANGE_MEV, resolution)
    y = R.log_axis(*CAE_RANGE, resolution)
    mm, yy = np.meshgrid(m, y)
    cv2 = R.solve_cv_sq(mm, yy, target, "e")
    reachable = np.isfinite(cv2)
    cve = cve_sign * np.sqrt(np.where(reachable, cv2, 0.0))
    c = Couplings(mass_mev=mm, c_ve=cve, c_ae=yy)
    names = R.constraint_names(BASES_AB, rules)
    moller_name = R.constraint_names(["moller_e158"], rules)[0]
    ev = R.evaluate_masks(c, names, edition, ae, valid=reachable)
    masks, missing = ev.masks, ev.missing
    _, ka = R.g2_kernels(mm, "e")
    with np.errstate(divide="ignore"):
        unreach_margin = np.log10(-target / (yy**2 * ka)) if target < 0 else np.full(mm.shape, R.MARGIN_FLOOR)
    regions: dict[str, tuple[np.ndarray, dict[str, Any]]] = {
        "delta_ae_unreachable": (
            ~reachable,
            {
                **S.region_attrs("delta_ae_unreachable", kind="g2"),
                "description": f"no real C_Ve gives Delta a_e = {target:.3g}",
            },
        ),
    }
    margins = {"delta_ae_unreachable": unreach_margin, **ev.margins}
    regions.update(R.constraint_regions(ev))
    allowed = reachable & ~R.any_excluded(masks, mm.shape)
    strip = _strip(
        target,
        [n for n in names if n in masks],
        moller_name,
        edition,
        ae,
        max(4 * resolution, 400),
        cve_sign,
        CAE_RANGE[0],
    )
    ms = strip["mass"]
    lo_m, hi_m = R.mass_span(ms, strip["allowed"])
    sel = strip["allowed"]
    attrs = R.electron_attrs(f"2{panel}", edition, ae, rules, target, an, missing, PAPER + panel)
    attrs.update(
        {
            "slice": "C_nue = 0, muon/tau couplings 0, |C_Ve| from exact Eq. (7); sign(C_Ve C_Ae) = "
            f"{'+' if cve_sign > 0 else '-'}",
            "cve_sign": cve_sign,
            "moller_rule": moller_name,
            "allowed_mass_min_mev": lo_m,
            "allowed_mass_max_mev": hi_m,
            "allowed_cae_min": float(np.nanmin(strip["cae_min"][sel])) if sel.any() else float("nan"),
            "allowed_cae_max": float(np.nanmax(strip["cae_max"][sel])) if sel.any() else float("nan"),
            "allowed_cve_max": float(np.nanmax(strip["cve_max"][sel])) if sel.any() else float("nan"),
            "strip_samples": STRIP_SAMPLES,
        }
    )
    sm_attrs = R.coord_attrs("mass_mev", "MeV", "log", label=r"$m_{Z'}$ [MeV] (strip grid)")
    extra: dict[str, tuple[tuple[str, ...], np.ndarray, dict[str, Any]]] = {
        "c_ve": (
            (("c_ae", "mass_mev")),
            np.where(reachable, np.abs(cve), np.nan),
            {"label": r"$|C_{Ve}|$", "description": "|C_Ve| solving Delta a_e = target (NaN: none)"},
        ),
        "allowed": (("c_ae", "mass_mev"), allowed, {"label": "allowed (grid)", "kind": "allowed"}),
        "strip_cae_lower": (
            ("strip_mass_mev",),
            strip["lower"],
            {"label": "strip lower edge |C_Ae| (C_Ve = 0)"},
        ),
        "strip_cae_upper": (
            ("strip_mass_mev",),
            strip["upper"],
            {"label": "strip upper edge |C_Ae| (Moller)"},
        ),
        "strip_allowed": (
            ("strip_mass_mev",),
            strip["allowed"],
            {"label": "some point of the strip passes every constraint"},
        ),
        "strip_cae_min": (("strip_mass_mev",), strip["cae_min"], {"label": "smallest allowed |C_Ae|"}),
        "strip_cae_max": (("strip_mass_mev",), strip["cae_max"], {"label": "largest allowed |C_Ae|"}),
        "strip_cve_max": (("strip_mass_mev",), strip["cve_max"], {"label": "largest allowed |C_Ve|"}),
    }
    for n, flag in strip["closed_by"].items():
        extra[f"strip_closed_by_{n}"] = (
            ("strip_mass_mev",),
            flag,
            {"label": f"{n} excludes the whole strip at this mass"},
        )
    return R.build_dataset(
        m,
        "c_ae",
        y,
        R.coord_attrs("c_ae", "", "log", r"$|C_{Ae}|$"),
        regions,
        extra,
        attrs,
        margins=margins,
        extra_coords={"strip_mass_mev": (ms, sm_attrs)},
    )


@S.styled
def plot_ab(ds: xr.Dataset) -> Any:
    """Draw Fig. 2a/2b: shaded regions, the allowed strip (white, outlined) and a red 'allowed' arrow."""
    import matplotlib.patheffects as pe
    from matplotlib.lines import Line2D

    fig, ax, handles = S.region_axes(ds, CAE_RANGE)
    ms = ds["strip_mass_mev"].values
    ok = ds["strip_allowed"].values
    if ok.any():
        line: dict[str, Any] = {
            "color": "white",
            "lw": 2.4,
            "path_effects": [pe.Stroke(linewidth=4.0, foreground="black"), pe.Normal()],
        }
        ycurve = np.sqrt(ds["strip_cae_lower"].values * ds["strip_cae_upper"].values)
        ax.plot(ms, np.where(ok, ycurve, np.nan), zorder=15, **line)
        idx = np.flatnonzero(ok)
        mid = idx[len(idx) // 2]
        S.arrow_to(ax, (ms[mid], ycurve[mid]), (0.30, 0.80), "allowed")
        handles.append(Line2D([], [], label="allowed strip", **line))
    t = ds.attrs["target_delta_a_e"]
    side = "below" if t < ds.attrs["delta_a_e"] else "above"
    heading = (
        f"Electron couplings: $|C_{{Ve}}|$ gives $\\Delta a_e = {t * 1e13:.1f}\\times10^{{-13}}$ "
        f"($1\\sigma$ {side}), $C_{{\\nu e}}=0$"
    )
    lo, hi = ds.attrs["allowed_mass_min_mev"], ds.attrs["allowed_mass_max_mev"]
    txt = (
        f"allowed: {lo:.1f}–{hi:.1f} MeV, $|C_{{Ae}}|$ = ${S.sci_tex(ds.attrs['allowed_cae_min'], 2)}$–"
        f"${S.sci_tex(ds.attrs['allowed_cae_max'], 2)}$, "
        f"$|C_{{Ve}}| \\leq {S.sci_tex(ds.attrs['allowed_cve_max'], 2)}$"
        if np.isfinite(lo)
        else "no allowed point"
    )
    return S.finish(fig, ax, handles, ds, heading, txt)


# --------------------------------------------------------------------------------------- Fig. 2c/2d
def data_cd(
    panel: str,
    edition: str = "2021",
    ae: str = "cs",
    resolution: int = DEFAULT_RESOLUTION,
    rules: str = "seed",
) -> xr.Dataset:
    """Fig. 2c ('c', Δa_e at −1σ) or 2d ('d', +1σ): regions over (C_νe, m_Z'), C_Ve = 0, C_Ae from Eq. (7)."""
    return R.neutrino_slice(
        "2",
        panel,
        panel in _LOW_PANELS,
        "c_nue",
        r"$C_{\nu e}$",
        CNUE_HALF_RANGE,
        BASES_CD,
        MASS_RANGE_MEV,
        PAPER,
        edition,
        ae,
        resolution,
        rules,
        vector_note="Delta a_e > 0: ",
        mass_span_attrs=True,
    )


@S.styled
def plot_cd(ds: xr.Dataset) -> Any:
    """Draw Fig. 2c/2d: shaded regions over (m_Z', C_νe), the allowed island marked."""
    lo, hi = ds.attrs["allowed_mass_min_mev"], ds.attrs["allowed_mass_max_mev"]
    return S.neutrino_panel(
        ds,
        CNUE_HALF_RANGE,
        f"allowed: {lo:.1f}–{hi:.1f} MeV, $|C_{{\\nu e}}| \\lesssim {S.sci_tex(ds.attrs['allowed_abs_c_nue_max'])}$"
        if np.isfinite(lo)
        else "no allowed point",
    )


def provide() -> list[FigureSpec]:
    specs = []
    for p, what in (("a", "lower"), ("b", "upper")):
        specs.append(
            FigureSpec(
                f"bodas2021-fig2{p}",
                f"|C_Ae| vs m_Z' with |C_Ve| from Delta a_e at its {what} 1-sigma end, C_nue = 0",
                PAPER + p,
                partial(data_ab, p),
                plot_ab,
                DEFAULT_RESOLUTION,
            )
        )
    for p, what in (("c", "lower"), ("d", "upper")):
        specs.append(
            FigureSpec(
                f"bodas2021-fig2{p}",
                f"C_nue vs m_Z' with C_Ve = 0, C_Ae from Delta a_e at its {what} 1-sigma end",
                PAPER + p,
                partial(data_cd, p),
                plot_cd,
                DEFAULT_RESOLUTION,
            )
        )
    return specs


__all__ = [
    "PAPER",
    "MASS_RANGE_MEV",
    "CAE_RANGE",
    "CNUE_HALF_RANGE",
    "STRIP_SAMPLES",
    "BASES_AB",
    "BASES_CD",
    "strip_edges",
    "data_ab",
    "plot_ab",
    "data_cd",
    "plot_cd",
    "provide",
]

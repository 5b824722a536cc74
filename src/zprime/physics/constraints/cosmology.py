"""Cosmological and astrophysical constraints (Bodas et al. Sec. 3.1.1 and 3.2.1).

- ``bbn_planck``: m_Z' ≥ 9.8 MeV for an electrophilic Z' (√(C_Ve²+C_Ae²) above threshold) and
  m_Z' ≥ 8.3 MeV for |C_νμ| above threshold (Sabti et al. 2020).
- ``neff_muon``: m_Z' ≳ 2 MeV for a muon-coupled Z'.
- ``white_dwarf``: Bodas Eq. (9), √((C_Ve²+C_Ae²)(C_νe²+C_νμ²+C_ντ²))/m_Z'² ≤ G_F (Dreiner et al. 2013).
  The C_Ae² term over-constrains a purely axial Z' (plasmon decay uses the vector current); kept as printed.
- ``supernova``: SN1987A excludes the band 1e-12 ≲ |C_να| ≲ 1e-7 for MeV-scale Z'.
"""

from __future__ import annotations

import math

import numpy as np

from zprime.core.constants import G_F
from zprime.core.couplings import Couplings
from zprime.core.measurements import Measurement, get
from zprime.physics.arrays import broadcast, broadcast_all, full
from zprime.physics.constraints.base import (
    Constraint,
    EvalOptions,
    Result,
    band_result,
    chi2_threshold,
    mask_not_applicable,
    not_applicable_one,
    per_edition,
    pointwise,
    set_where,
    status_one,
    upper_bound_result,
)


def _mass_bound(
    name: str, ref: str, m: np.ndarray, bound: float | np.ndarray, active: np.ndarray, cl: float
) -> Result:
    """Excluded where ``active`` and m < bound. value = m, limit = bound; pseudo-χ² t·(bound/m)^4."""
    m, active, bound = broadcast_all(np.asarray(m), np.asarray(active), np.asarray(bound))
    t = chi2_threshold(cl)
    if m.size == 1:  # one point: the same IEEE operations on Python floats (fewer temporaries)
        shape = m.shape
        if not active.item():
            return not_applicable_one(name, shape, ref, "mass_bound")
        m1, b1 = m.item(), bound.item()
        q = b1 / m1  # m > 0 (Couplings.mass_mev)
        q = q * q
        status = status_one(shape, m1 < b1)
        chi2 = full(shape, q * q * t)
        return Result(
            name, np.array(m, dtype=float), np.array(bound, dtype=float), status, chi2, ref, "mass_bound"
        )
    status = (active & (m < bound)).view(np.int8)  # Status.EXCLUDED = 1, ALLOWED = 0
    with np.errstate(invalid="ignore"):
        chi2 = np.divide(bound, m, out=np.empty(m.shape))
    np.square(chi2, out=chi2)
    np.square(chi2, out=chi2)
    chi2 *= t
    res = Result(
        name, np.array(m, dtype=float), np.array(bound, dtype=float), status, chi2, ref, "mass_bound"
    )
    return mask_not_applicable(res, ~active) if not active.all() else res  # also sets χ² = 0 there


def _norm_above(a: np.ndarray, b: np.ndarray, threshold: float) -> np.ndarray:
    """√(a² + b²) > threshold, compared as squares (no square root; the same up to rounding at the edge)."""
    s = np.square(a)
    s = s + np.square(b)
    return s > threshold * threshold


@per_edition
def _bbn_entries(edition: str) -> tuple[str, float, float, float, float, float | None]:
    """(reference, electrophilic bound and coupling threshold, neutrinophilic bound and threshold, CL)."""
    e = get("bbn_planck_electrophilic", edition)
    n = get("bbn_planck_neutrinophilic", edition)
    ref = f"{e.cite()} (BBN+Planck)"
    return ref, e.value, e.parameters["coupling_threshold"], n.value, n.parameters["coupling_threshold"], e.cl


@pointwise
def _bbn(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    ref, bound_e, thr_e, bound_n, thr_n, cl_e = _bbn_entries(opts.edition)
    m = broadcast(c.mass_mev, c.shape)
    if m.size == 1:  # one point: the same comparisons on Python floats
        ve, ae = c.c_ve.item(), c.c_ae.item()
        on_e = ve * ve + ae * ae > thr_e * thr_e  # as _norm_above
        on_n = abs(c.c_numu.item()) > thr_n
        bound1 = bound_e if on_e else bound_n if on_n else np.nan
        return _mass_bound("bbn_planck", ref, m, bound1, np.bool_(on_e or on_n), cl_e or cl)
    act_e = broadcast(_norm_above(c.c_ve, c.c_ae, thr_e), c.shape)
    act_n = broadcast(np.abs(c.c_numu) > thr_n, c.shape)
    bound = np.full(c.shape, np.nan)
    set_where(act_n, (bound, bound_n))
    set_where(act_e, (bound, bound_e))  # the electrophilic bound wins where both apply
    return _mass_bound("bbn_planck", ref, m, bound, act_e | act_n, cl_e or cl)


@per_edition
def _neff_entry(edition: str) -> tuple[str, float, float, float | None]:
    """(reference, mass bound, coupling threshold, CL)."""
    x = get("neff_muonphilic", edition)
    return x.cite(), x.value, x.parameters["coupling_threshold"], x.cl


@pointwise
def _neff_muon(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    ref, bound, thr, cl_x = _neff_entry(opts.edition)
    m = broadcast(c.mass_mev, c.shape)
    if m.size == 1:  # one point: the same comparison on Python floats
        vmu, amu = c.c_vmu.item(), c.c_amu.item()
        return _mass_bound(
            "neff_muon", ref, m, bound, np.bool_(vmu * vmu + amu * amu > thr * thr), cl_x or cl
        )
    act = broadcast(_norm_above(c.c_vmu, c.c_amu, thr), c.shape)
    return _mass_bound("neff_muon", ref, m, bound, act, cl_x or cl)


def white_dwarf_value(c: Couplings) -> np.ndarray:
    """√((C_Ve²+C_Ae²)(C_νe²+C_νμ²+C_ντ²))/m_Z'² in units of G_F (Bodas Eq. (9))."""
    ce2 = c.c_ve**2 + c.c_ae**2
    cn2 = c.c_nue**2 + c.c_numu**2 + c.c_nutau**2
    return np.sqrt(ce2 * cn2) / c.mass_mev**2 / G_F


@per_edition
def _white_dwarf_entry(edition: str) -> tuple[str, float]:
    x: Measurement = get("white_dwarf_cooling", edition)
    return x.cite(), x.value


@pointwise
def _white_dwarf(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    ref, bound = _white_dwarf_entry(opts.edition)
    if c.size == 1:  # one point: white_dwarf_value's operations on Python floats
        ve, ae, nue, numu, nutau, m = (
            getattr(c, f).item() for f in ("c_ve", "c_ae", "c_nue", "c_numu", "c_nutau", "mass_mev")
        )
        ce2 = ve * ve + ae * ae
        cn2 = nue * nue + numu * numu + nutau * nutau
        v = full(c.shape, math.sqrt(ce2 * cn2) / (m * m) / G_F)  # sqrt is correctly rounded, as np.sqrt
    else:
        v = broadcast(white_dwarf_value(c), c.shape)
    return upper_bound_result("white_dwarf", ref, v, full(c.shape, bound), cl)


@pointwise
def _supernova(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    """SN1987A band on |C_ν| (free streaming). It assumes the Z' escapes the core: a Z' whose charged-lepton
    couplings exceed the band's upper edge is trapped (as for dark photons above the SN band), so the band
    is not applicable there."""
    ref, lo, hi = _supernova_entry(opts.edition)
    if c.size == 1:  # one point: the same maxima on Python floats (finite couplings)
        nue, numu, nutau = (abs(c.cnu(f).item()) for f in ("e", "mu", "tau"))
        ve, ae, vmu, amu = (abs(getattr(c, f).item()) for f in ("c_ve", "c_ae", "c_vmu", "c_amu"))
        cnu1 = max(max(nue, numu), nutau)
        escapes1 = max(max(ve, ae), max(vmu, amu)) <= hi
        return band_result("supernova", ref, full(c.shape, cnu1), lo, hi, cl, applicable=np.bool_(escapes1))
    cnu = np.maximum(np.maximum(np.abs(c.c_nue), np.abs(c.c_numu)), np.abs(c.c_nutau))
    charged = np.maximum(
        np.maximum(np.abs(c.c_ve), np.abs(c.c_ae)), np.maximum(np.abs(c.c_vmu), np.abs(c.c_amu))
    )
    v = broadcast(cnu, c.shape)
    escapes = broadcast(charged <= hi, c.shape)
    return band_result("supernova", ref, v, lo, hi, cl, applicable=escapes)


@per_edition
def _supernova_entry(edition: str) -> tuple[str, float, float]:
    """(reference, lower and upper edge of the band)."""
    x = get("supernova_nu_band", edition)
    return x.cite(), x.parameters["band_lower"], x.parameters["band_upper"]


def provide() -> list[Constraint]:
    wd = get("white_dwarf_cooling")
    sn = get("supernova_nu_band")
    return [
        Constraint(
            "bbn_planck",
            "BBN + Planck (electrophilic 9.8 MeV, nu_mu-philic 8.3 MeV)",
            get("bbn_planck_electrophilic").cite(),
            "mass_bound",
            _bbn,
            cl=0.954,
            couplings_used=("c_ve", "c_ae", "c_numu"),
            description="Sabti et al. 2020 as used by Bodas et al. Sec. 3.1.1/3.2.1",
            experiment="BBN + Planck",
            label="BBN + Planck",
            measurements=("bbn_planck_electrophilic", "bbn_planck_neutrinophilic"),
        ),
        Constraint(
            "neff_muon",
            "N_eff: muon-coupled Z' heavier than ~2 MeV",
            get("neff_muonphilic").cite(),
            "mass_bound",
            _neff_muon,
            cl=0.954,
            couplings_used=("c_vmu", "c_amu"),
            experiment="Planck",
            label="ΔN_eff (Planck)",
            measurements=("neff_muonphilic",),
        ),
        Constraint(
            "white_dwarf",
            "White-dwarf cooling (Bodas Eq. 9)",
            wd.cite(),
            "upper_bound",
            _white_dwarf,
            mass_range_mev=(wd.parameters["min_mass_mev"], np.inf),
            cl=0.90,
            couplings_used=("c_ve", "c_ae", "c_nue", "c_numu", "c_nutau"),
            description="sqrt((C_Ve^2+C_Ae^2) sum C_nu^2)/m^2 <= G_F",
            experiment="White dwarfs",
            label="White dwarfs",
            measurements=("white_dwarf_cooling",),
        ),
        Constraint(
            "supernova",
            "SN1987A cooling band on neutrino couplings",
            sn.cite(),
            "band",
            _supernova,
            mass_range_mev=(sn.parameters["min_mass_mev"], sn.parameters["max_mass_mev"]),
            cl=0.90,
            couplings_used=("c_nue", "c_numu", "c_nutau"),
            experiment="SN1987A",
            label="SN1987A",
            measurements=("supernova_nu_band",),
        ),
    ]

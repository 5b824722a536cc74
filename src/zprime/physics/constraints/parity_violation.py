"""Parity violation in electron–quark interactions: the proton (Qweak) and 133Cs (APV) weak charges.

A Z′ with the couplings of Bodas et al. Eq. (6), L ⊃ −Z′_μ Σ_f f̄γ^μ(C_Vf + C_Af γ5)f, exchanged at low momentum
transfer Q² (Q² ≪ m_Z²) adds to the PV electron–quark contact interaction of the PDG electroweak review,
L = (G_F/√2) Σ_q C_1q (ēγ^μγ5e)(q̄γ_μq) + …, the shift (derived below)

    ΔC_1q = −√2 C_Ae C_Vq P / G_F,        P = 1/(m_Z′² + Q²)          (Qweak, Q² = 0.0248 GeV²)
                                          P = K(m_Z′)/m_Z′²            (Cs APV, Bouchiat–Fayet K)

and, with Q_W = −2[(2Z + N) C_1u + (Z + 2N) C_1d] (PDG),

    ΔQ_W = 2√2 C_Ae [(2Z + N) C_Vu + (Z + 2N) C_Vd] P / G_F.

Derivation: integrating out a vector with L ⊃ −V_μ J^μ, J^μ = Σ_f f̄γ^μ(a_f + b_f γ5)f, gives
L_eff = −J²/(2 M²), whose e–q cross term holds −(b_e a_q/M²)(ēγ^μγ5e)(q̄γ_μq). For the Z (a_f = g g_V^f/(2c_W),
b_f = −g g_A^f/(2c_W), g_A^e = −½) this is (G_F/√2)(−g_V^q): C_1u = −½ + (4/3)s², C_1d = ½ − (2/3)s², the
PDG values (and Q_W^p = 1 − 4s²). The Z′ (a = C_V, b = C_A, M² → m² + Q²) adds −C_Ae C_Vq/(m² + Q²), hence
ΔC_1q above. The Møller shift of :mod:`zprime.physics.observables.moller` is the e–e analogue.

Check against the dark Z_d of Cadeddu et al. (PRD 104 (2021) L011701, Eqs. (24), (26)) with the couplings of
:func:`zprime.physics.models.dark_z.darkz_couplings`: ΔQ_W = 𝒩 [(ρ_d − 1) Q_W^tree − 4 Z s² (κ_d − 1)] exactly,
with 𝒩 = e²/(4 s² c² m_Z² √2 G_F) (= 1 at tree level; 0.92 with α(0), the low-Q s² and the measured G_F). The
dark-Z module instead normalises the Z_d by G_F (𝒩 = 1), multiplies the radiatively corrected Q_W^SM by ρ_d and
applies (1 − α/2π) to the κ_d term; ``tests/test_parity_violation.py`` checks each piece against
:mod:`zprime.physics.observables.weak_charges` (ρ_d piece to 1e-9, κ_d piece to 1e-6 relative) after these
documented conversions.

Constraints (rule ``chi2``, default 90% CL as the single-observable regions of Cadeddu et al. Fig. 2; the
CL option of an evaluation overrides it):

- ``qweak_proton``: Q_W^p = Q_W^SM + ΔQ_W against Qweak 0.0719(45) (Androić et al., Nature 557 (2018) 207);
  σ = σ_exp ⊕ σ_SM (0.0711(2)), as the dark-Z fit does. All masses.
- ``apv_cs``: Q_W^Cs = Q_W^SM + ΔQ_W against the PDG value −72.82(42) (Wood et al. 1997 with the atomic
  theory and the hadronic-probe neutron skin, Dzuba et al. 2012); σ = σ_exp ⊕ σ_SM (−73.23(1)). Mass range: from
  the lower edge of the tabulated K(m) (:data:`~zprime.physics.observables.apv_nuclear.K_TABLE_RANGE_MEV`)
  upwards (K → 1 − c/m² above the table is the exact Yukawa expansion).

value = the predicted weak charge, limit = the measured one. Both are ``not_applicable`` where C_Ae = 0 or
C_Vu = C_Vd = 0 (no PV electron–quark vector coupling: pure vector models such as B−L or the dark photon);
where the couplings are non-zero but the shift cancels the point is judged (allowed at zero shift). A
non-finite prediction is never allowed (not applicable, with the reason). Both carry the tag
:data:`QUARK_COUPLING_TAG`: the lepton-class verdicts of :mod:`zprime.analyses.viability` (quark charges free)
leave them out, as they do the quark-produced searches.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from zprime.core.constants import G_F
from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.core.measurements import EditionLike, Measurement, get
from zprime.physics.arrays import broadcast, full, positive_finite
from zprime.physics.constraints.base import (
    Constraint,
    EvalOptions,
    Result,
    gaussian_result,
    not_applicable_one,
    per_edition,
    pointwise,
)

#: Tag of constraints that need the Z′ quark couplings (not leptonic ones alone): lepton-class verdicts
#: (:mod:`zprime.analyses.viability`), whose quark charges are free, leave them out.
QUARK_COUPLING_TAG = "quark_couplings"

#: Default CL of the weak-charge χ² rules (single-observable 90% CL regions of Cadeddu et al. Fig. 2).
PV_DEFAULT_CL = 0.90


def _mass(mass_mev: np.ndarray | float) -> np.ndarray:
    m = np.asarray(mass_mev, float)
    if not positive_finite(m):
        raise InputError("mass_mev", "must be positive and finite (allowed 0 < mass_mev < inf MeV)")
    return m


def qweak_q2_mev2(edition: EditionLike = None) -> float:
    """Qweak momentum transfer Q² [MeV²] (data entry ``qw_proton_qweak``, parameter ``q2_gev2``)."""
    return float(get("qw_proton_qweak", edition).parameters["q2_gev2"]) * 1.0e6


def qweak_propagator(mass_mev: np.ndarray | float, edition: EditionLike = None) -> np.ndarray:
    """P = 1/(m_Z′² + Q²) [MeV⁻²] at the Qweak Q²."""
    m = _mass(mass_mev)
    return 1.0 / (m * m + qweak_q2_mev2(edition))


def apv_propagator(mass_mev: np.ndarray | float) -> np.ndarray:
    """P = K(m_Z′)/m_Z′² [MeV⁻²] for 133Cs (Bouchiat & Fayet, PLB 608 (2005) 87; Cadeddu Eq. (26))."""
    from zprime.physics.observables.apv_nuclear import k_factor

    m = _mass(mass_mev)
    return k_factor(m) / (m * m)


def delta_c1q(
    c_ae: np.ndarray | float, c_vq: np.ndarray | float, propagator: np.ndarray | float
) -> np.ndarray:
    """ΔC_1q = −√2 C_Ae C_Vq P/G_F (module docstring); P in MeV⁻²."""
    return -math.sqrt(2.0) * np.asarray(c_ae, float) * np.asarray(c_vq, float) * np.asarray(propagator) / G_F


def delta_qw(
    z: float,
    n: float,
    c_ae: np.ndarray | float,
    c_vu: np.ndarray | float,
    c_vd: np.ndarray | float,
    propagator: np.ndarray | float,
) -> np.ndarray:
    """ΔQ_W = −2[(2Z + N) ΔC_1u + (Z + 2N) ΔC_1d] = 2√2 C_Ae[(2Z+N) C_Vu + (Z+2N) C_Vd] P/G_F."""
    cv = (2.0 * z + n) * np.asarray(c_vu, float) + (z + 2.0 * n) * np.asarray(c_vd, float)
    return 2.0 * math.sqrt(2.0) * np.asarray(c_ae, float) * cv * np.asarray(propagator) / G_F


def _zn(m: Measurement) -> tuple[float, float]:
    return float(m.parameters["Z"]), float(m.parameters["N"])


def delta_qw_proton(c: Couplings, edition: EditionLike = None) -> np.ndarray:
    """ΔQ_W^p of the Z′ at the Qweak Q² (broadcast shape of ``c``)."""
    z, n = _zn(get("qw_proton_sm", edition))
    p = qweak_propagator(c.mass_mev, edition)
    return broadcast(delta_qw(z, n, c.c_ae, c.c_vu, c.c_vd, p), c.shape)


def delta_qw_cs(c: Couplings, edition: EditionLike = None) -> np.ndarray:
    """ΔQ_W of 133Cs from the Z′ with the Bouchiat–Fayet factor (broadcast shape of ``c``)."""
    z, n = _zn(get("qw_cs_sm", edition))
    p = apv_propagator(c.mass_mev)
    return broadcast(delta_qw(z, n, c.c_ae, c.c_vu, c.c_vd, p), c.shape)


@lru_cache(maxsize=1)
def apv_mass_range_mev() -> tuple[float, float]:
    """Mass range of ``apv_cs``: the lower edge of the K(m) table, no upper edge."""
    from zprime.physics.observables.apv_nuclear import K_TABLE_RANGE_MEV

    return (float(K_TABLE_RANGE_MEV[0]), math.inf)


def _has_pv_couplings(c: Couplings) -> np.ndarray:
    """C_Ae ≠ 0 and (C_Vu, C_Vd) ≠ 0, broadcast to the shape of ``c``."""
    if c.size == 1:  # one point: the same tests on Python floats
        on = c.c_ae.item() != 0.0 and (c.c_vu.item() != 0.0 or c.c_vd.item() != 0.0)
        return full(c.shape, on, bool)
    cae, cvu, cvd = (np.asarray(getattr(c, f), float) for f in ("c_ae", "c_vu", "c_vd"))
    return broadcast((cae != 0.0) & ((cvu != 0.0) | (cvd != 0.0)), c.shape)


def _all_na(name: str, shape: tuple[int, ...], reference: str) -> Result:
    return not_applicable_one(name, shape, reference, "chi2")


def _weak_charge(name: str, exp_key: str, sm_key: str, apv: bool):
    @per_edition
    def entries(edition: str) -> tuple[Measurement, Measurement, str]:
        exp, sm = get(exp_key, edition), get(sm_key, edition)
        return exp, sm, f"{exp.cite()}; SM: {sm.cite()}"

    @pointwise
    def compute(c: Couplings, opts: EvalOptions, cl: float) -> Result:
        exp, sm, ref = entries(opts.edition)
        applicable = _has_pv_couplings(c)
        if applicable.size == 1 and not applicable.item():  # one point without the couplings: as below
            return _all_na(name, c.shape, ref)
        if apv:
            lo, hi = apv_mass_range_mev()
            m = broadcast(np.asarray(c.mass_mev, float), c.shape)
            applicable = applicable & (m >= lo) & (m <= hi)
        if not applicable.any():  # e.g. a pure vector model: nothing to compute
            return _all_na(name, c.shape, ref)
        z, n = _zn(sm)
        if apv:  # K(m) only inside its range (outside: not applicable, masked below)
            lo = apv_mass_range_mev()[0]
            prop = apv_propagator(np.maximum(_mass(c.mass_mev), lo))
        else:
            prop = qweak_propagator(c.mass_mev, opts.edition)
        with np.errstate(over="ignore", invalid="ignore"):
            pred = sm.value + delta_qw(z, n, c.c_ae, c.c_vu, c.c_vd, prop)
        pred = broadcast(pred, c.shape)
        sigma = math.hypot(exp.uncertainty, sm.uncertainty)
        return gaussian_result(name, ref, pred, exp.value, sigma, cl, applicable=applicable)

    return compute


def provide() -> list[Constraint]:
    qp, qp_sm = get("qw_proton_qweak"), get("qw_proton_sm")
    cs, cs_sm = get("qw_cs_pdg"), get("qw_cs_sm")
    used = ("c_ae", "c_vu", "c_vd")
    return [
        Constraint(
            "qweak_proton",
            "Proton weak charge, Qweak",
            f"{qp.cite()}; SM: {qp_sm.cite()}",
            "chi2",
            _weak_charge("qweak_proton", "qw_proton_qweak", "qw_proton_sm", apv=False),
            category="current",
            cl=PV_DEFAULT_CL,
            couplings_used=used,
            description="Q_W^p = Q_W^SM + 2 sqrt2 C_Ae (2 C_Vu + C_Vd)/(G_F (m^2 + Q^2)), Q^2 = 0.0248 GeV^2, "
            "Gaussian chi^2 against Qweak (sigma_exp + sigma_SM in quadrature)",
            experiment="Qweak",
            label="Qweak 2018",
            measurements=("qw_proton_qweak", "qw_proton_sm"),
            tags=(QUARK_COUPLING_TAG,),
            range_in_compute=True,
        ),
        Constraint(
            "apv_cs",
            "Atomic parity violation, 133Cs weak charge",
            f"{cs.cite()}; SM: {cs_sm.cite()}",
            "chi2",
            _weak_charge("apv_cs", "qw_cs_pdg", "qw_cs_sm", apv=True),
            mass_range_mev=apv_mass_range_mev(),
            category="current",
            cl=PV_DEFAULT_CL,
            couplings_used=used,
            description="Q_W^Cs = Q_W^SM + 2 sqrt2 C_Ae ((2Z+N) C_Vu + (Z+2N) C_Vd) K(m)/(G_F m^2), "
            "Bouchiat-Fayet K(m), Gaussian chi^2 against the PDG value (sigma_exp + sigma_SM in quadrature)",
            experiment="Cs APV",
            label="Cs APV (Wood 1997)",
            measurements=("qw_cs_pdg", "qw_cs_sm"),
            tags=(QUARK_COUPLING_TAG,),
            range_in_compute=True,
        ),
    ]


__all__ = [
    "PV_DEFAULT_CL",
    "QUARK_COUPLING_TAG",
    "qweak_q2_mev2",
    "qweak_propagator",
    "apv_propagator",
    "apv_mass_range_mev",
    "delta_c1q",
    "delta_qw",
    "delta_qw_proton",
    "delta_qw_cs",
    "provide",
]

"""Proton and 133Cs weak charges in the SM and with a dark Z_d (Cadeddu et al. 2021, SPEC §6).

Low-Q substitutions of Davoudiasl, Lee, Marciano (PRD 92 (2015) 055005), Cadeddu Eqs. (4), (6), (7):

    δ' = δ + (m/m_Z) ε tanθ_W
    ρ_d = 1 + δ'² f
    κ_d = 1 − ε δ' (m_Z/m) cotθ_W f

with f = m²/(m² + Q²) for polarised electron scattering (C(25)) and f = K(m) (Bouchiat–Fayet) for APV.

Weak charges. The tree forms of C(13), C(14) with s² = 0.23857 give Q_W^p = 0.0457 and Q_W^Cs = −75.41, not
the
quoted (radiatively corrected) SM values 0.0711(2) and −73.23(1) (SPEC §6, Checked). zprime therefore keeps
the
quoted SM values and applies the Z_d as the shift of the s² dependence of C(24), C(26):

    Q_W^{Zd} = ρ_d [Q_W^SM − 4 Z s² (κ_d − 1)(1 − α/2π)]       (Z = 1 for the proton, 55 for Cs)

which follows from g_AV^ep(κ s²) − g_AV^ep(s²) = 2 s² (κ − 1). s² is the SM MSbar value at the experiment's
scale (Qweak: Q = √0.0248 GeV; APV: Q = 2.4 MeV), from :mod:`zprime.physics.observables.running_sin2w`.
"""

from __future__ import annotations

import math

import numpy as np

from zprime.core.constants import ALPHA, M_Z
from zprime.core.errors import InputError
from zprime.core.measurements import get as _get

#: (1 − α/2π), the QED factor of C(13), C(14)
QED_FACTOR: float = 1.0 - ALPHA / (2.0 * math.pi)


def _arr(name: str, x: np.ndarray | float) -> np.ndarray:
    a = np.asarray(x, float)
    if np.any(~np.isfinite(a)):
        raise InputError(name, "must be finite")
    return a


def _mass(mass_mev: np.ndarray | float) -> np.ndarray:
    m = _arr("mass_mev", mass_mev)
    if np.any(m <= 0):
        raise InputError("mass_mev", "must be positive (allowed 0 < mass_mev < inf MeV)")
    return m


def delta_prime(
    mass_mev: np.ndarray | float,
    epsilon: np.ndarray | float,
    delta: np.ndarray | float,
    sin2w: np.ndarray | float,
) -> np.ndarray:
    """δ' = δ + (m_Zd/m_Z) ε tanθ_W, Cadeddu Eq. (4)."""
    s2 = np.asarray(sin2w, float)
    return _arr("delta", delta) + _mass(mass_mev) / M_Z * _arr("epsilon", epsilon) * np.sqrt(s2 / (1.0 - s2))


def propagator_factor(mass_mev: np.ndarray | float, q2_mev2: np.ndarray | float) -> np.ndarray:
    """f = m²/(m² + Q²), Cadeddu Eq. (25) [m in MeV, Q² in MeV²]."""
    m2 = _mass(mass_mev) ** 2
    q2 = _arr("q2_mev2", q2_mev2)
    if np.any(q2 < 0):
        raise InputError("q2_mev2", "must be >= 0")
    return m2 / (m2 + q2)


def rho_d(
    mass_mev: np.ndarray | float,
    epsilon: np.ndarray | float,
    delta: np.ndarray | float,
    f: np.ndarray | float,
    sin2w: np.ndarray | float,
) -> np.ndarray:
    """ρ_d = 1 + (δ + (m/m_Z) ε tanθ_W)² f, Cadeddu Eq. (6)."""
    return 1.0 + delta_prime(mass_mev, epsilon, delta, sin2w) ** 2 * np.asarray(f, float)


def kappa_d(
    mass_mev: np.ndarray | float,
    epsilon: np.ndarray | float,
    delta: np.ndarray | float,
    f: np.ndarray | float,
    sin2w: np.ndarray | float,
) -> np.ndarray:
    """κ_d = 1 − ε (δ + (m/m_Z) ε tanθ_W)(m_Z/m) cotθ_W f, Cadeddu Eq. (7)."""
    s2 = np.asarray(sin2w, float)
    m = _mass(mass_mev)
    eps = _arr("epsilon", epsilon)
    cot = np.sqrt((1.0 - s2) / s2)
    return 1.0 - eps * delta_prime(m, eps, delta, s2) * (M_Z / m) * cot * np.asarray(f, float)


def qw_with_darkz(
    qw_sm: np.ndarray | float,
    z: float,
    rho: np.ndarray | float,
    kappa: np.ndarray | float,
    sin2w: np.ndarray | float,
) -> np.ndarray:
    """Q_W^{Zd} = ρ_d [Q_W^SM − 4 Z s² (κ_d − 1)(1 − α/2π)] (C(24), C(26) as a shift of the quoted SM
    value)."""
    return np.asarray(rho) * (
        np.asarray(qw_sm) - 4.0 * z * np.asarray(sin2w) * (np.asarray(kappa) - 1.0) * QED_FACTOR
    )


# --------------------------------------------------------------------------------------------- SM values
def qw_proton_sm() -> float:
    """Quoted SM proton weak charge 0.0711(2), Cadeddu Eq. (13) (PDG 2020)."""
    return _get("qw_proton_sm").value


def qw_cs_sm() -> float:
    """Quoted SM 133Cs weak charge −73.23(1), Cadeddu Eq. (14) (PDG 2020)."""
    return _get("qw_cs_sm").value


def g_av_ep_tree(sin2w: np.ndarray | float) -> np.ndarray:
    """Tree-level g_AV^ep = −1/2 + 2 s² (C footnote 2)."""
    return -0.5 + 2.0 * np.asarray(sin2w, float)


def qw_tree(z: int, n: int, sin2w: np.ndarray | float) -> np.ndarray:
    """Tree-level Q_W = Z(1 − 4 s²) − N (C footnote 1); shown for comparison only."""
    return z * (1.0 - 4.0 * np.asarray(sin2w, float)) - n


# --------------------------------------------------------------------------------------------- experiments
def qweak_q2_mev2() -> float:
    """Qweak momentum transfer Q² = 0.0248 GeV² in MeV²."""
    return _get("qw_proton_qweak").parameters["q2_gev2"] * 1e6


def apv_q_mev() -> float:
    """Typical APV momentum scale in Cs, Q ≈ 2.4 MeV (Cadeddu, text after Eq. (26))."""
    return _get("qw_cs_apv").parameters["q_mev"]


def sin2w_at(q_mev: float) -> float:
    """SM MSbar ŝ²(Q) used inside the weak charges (scale of the experiment)."""
    from zprime.physics.observables.running_sin2w import sin2w_msbar

    return float(sin2w_msbar(q_mev))


def qw_proton_darkz(
    mass_mev: np.ndarray | float,
    epsilon: np.ndarray | float,
    delta: np.ndarray | float,
    q2_mev2: float | None = None,
) -> np.ndarray:
    """Q_W^p with a Z_d, Cadeddu Eq. (24) with f = m²/(m² + Q²) (C(25)), as a shift of the SM 0.0711."""
    q2 = qweak_q2_mev2() if q2_mev2 is None else float(q2_mev2)
    s2 = sin2w_at(math.sqrt(q2))
    f = propagator_factor(mass_mev, q2)
    return qw_with_darkz(
        qw_proton_sm(),
        1.0,
        rho_d(mass_mev, epsilon, delta, f, s2),
        kappa_d(mass_mev, epsilon, delta, f, s2),
        s2,
    )


def qw_cs_darkz(
    mass_mev: np.ndarray | float,
    epsilon: np.ndarray | float,
    delta: np.ndarray | float,
    k: np.ndarray | float | None = None,
) -> np.ndarray:
    """Q_W^Cs with a Z_d, Cadeddu Eq. (26) with f = K(m_Zd) (Bouchiat–Fayet), as a shift of the SM −73.23."""
    from zprime.physics.observables.apv_nuclear import k_factor

    z = _get("qw_cs_sm").parameters["Z"]
    s2 = sin2w_at(apv_q_mev())
    f = k_factor(mass_mev) if k is None else np.asarray(k, float)
    return qw_with_darkz(
        qw_cs_sm(), z, rho_d(mass_mev, epsilon, delta, f, s2), kappa_d(mass_mev, epsilon, delta, f, s2), s2
    )


def sin2w_from_qw(qw: np.ndarray | float, qw_sm: float, z: float, sin2w_sm: float) -> np.ndarray:
    """Invert the s² dependence: s² = s²_SM + (Q_W^SM − Q_W)/(4 Z (1 − α/2π)) (for the Fig. 4 data points)."""
    return sin2w_sm + (qw_sm - np.asarray(qw, float)) / (4.0 * z * QED_FACTOR)


__all__ = [
    "QED_FACTOR",
    "delta_prime",
    "propagator_factor",
    "rho_d",
    "kappa_d",
    "qw_with_darkz",
    "qw_proton_sm",
    "qw_cs_sm",
    "g_av_ep_tree",
    "qw_tree",
    "qweak_q2_mev2",
    "apv_q_mev",
    "sin2w_at",
    "qw_proton_darkz",
    "qw_cs_darkz",
    "sin2w_from_qw",
]

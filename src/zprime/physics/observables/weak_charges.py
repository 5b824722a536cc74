"""Proton and 133Cs weak charges in the SM and with a dark Z_d (Cadeddu et al. Eqs. (12)-(14), (24)-(26)).

Cadeddu et al., PRD 104 (2021) L011701, arXiv:2104.03280 ("C(n)" = its Eq. n).

The low-Q substitutions δ', ρ_d, κ_d of Cadeddu Eqs. (4), (6), (7) live in
:mod:`zprime.physics.observables.darkz_mixing` (re-exported here), with f = m²/(m² + Q²) for polarised
electron scattering (C(25)) and f = K(m) (Bouchiat–Fayet) for APV.

Weak charges. The tree forms of C(13), C(14) with s² = 0.23857 give Q_W^p = 0.0457 and Q_W^Cs = −75.41, not the
quoted (radiatively corrected) SM values 0.0711(2) and −73.23(1), which need the radiatively corrected PDG
couplings g_AV^ep ≈ −0.0356, g_AV^en ≈ 0.4951 (PDG 2020, electroweak review). zprime therefore keeps the
quoted SM values and applies the Z_d as the shift of the s² dependence of C(24), C(26):

    Q_W^{Zd} = ρ_d [Q_W^SM − 4 Z s² (κ_d − 1)(1 − α/2π)]       (Z = 1 for the proton, 55 for Cs)

which follows from g_AV^ep(κ s²) − g_AV^ep(s²) = 2 s² (κ − 1). s² is the SM MSbar value at the experiment's
scale (Qweak: Q = √0.0248 GeV; APV: Q = 2.4 MeV), from :mod:`zprime.physics.observables.running_sin2w`.
"""

from __future__ import annotations

import math

import numpy as np

from zprime.core.constants import ALPHA
from zprime.core.measurements import get as _get
from zprime.physics.observables.darkz_mixing import delta_prime, kappa_d, propagator_factor, rho_d
from zprime.physics.observables.running_sin2w import sin2w_msbar

#: (1 − α/2π), the QED factor of C(13), C(14)
QED_FACTOR: float = 1.0 - ALPHA / (2.0 * math.pi)


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

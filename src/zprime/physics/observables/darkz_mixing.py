"""Low-Q effects of a dark Z_d mixed with the photon and the Z (Cadeddu et al., PRD 104 (2021) L011701).

The substitutions of Davoudiasl, Lee, Marciano (PRD 92 (2015) 055005), Cadeddu Eqs. (4), (6), (7):

    δ' = δ + (m/m_Z) ε tanθ_W
    ρ_d = 1 + δ'² f
    κ_d = 1 − ε δ' (m_Z/m) cotθ_W f

with f = m²/(m² + Q²) for polarised electron scattering (C(25)) and f = K(m) (Bouchiat–Fayet) for APV.
Shared by :mod:`zprime.physics.observables.weak_charges` and :mod:`zprime.physics.observables.running_sin2w`
(both import from here; this module imports neither).
"""

from __future__ import annotations

import numpy as np

from zprime.core.constants import M_Z
from zprime.core.errors import InputError


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


__all__ = ["delta_prime", "propagator_factor", "rho_d", "kappa_d"]

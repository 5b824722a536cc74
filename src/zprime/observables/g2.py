"""Lepton anomalous magnetic moments from a Z' loop (Bodas et al. Eqs. (7)-(8); Cadeddu et al. Eqs. (8)-(11)).

INTERIM implementation (fixed Gauss-Legendre quadrature); to be replaced by closed forms accurate to 1e-10.

Public API (stable):
- ``f_v(x)``, ``f_a(x)``: Cadeddu Eqs. (9), (11), x = m_Z'/m_l.
- ``delta_a_lepton(mass_mev, cv, ca, lepton_mass_mev)``: Bodas Eq. (7).
- ``delta_a(couplings, flavour)``: Δa_α for α in e, mu, tau.
"""

from __future__ import annotations

import numpy as np

from zprime.constants import LEPTON_MASS_MEV
from zprime.couplings import Couplings

_X, _W = np.polynomial.legendre.leggauss(200)
_Z = 0.5 * (_X + 1.0)
_WZ = 0.5 * _W


def f_v(x: np.ndarray | float) -> np.ndarray:
    """F_V(x) = ∫₀¹ 2z(1−z)²/((1−z)² + x² z) dz (Cadeddu Eq. (9)), x = m_Z'/m_l."""
    a = np.asarray(x, float)[..., None] ** 2
    z = _Z
    return np.sum(_WZ * 2 * z * (1 - z) ** 2 / ((1 - z) ** 2 + a * z), axis=-1)


def f_a(x: np.ndarray | float) -> np.ndarray:
    """F_A(x) = ∫₀¹ [2(1−z)³ + x² z(1−z)(z+3)]/((1−z)² + x² z) dz (Cadeddu Eq. (11))."""
    a = np.asarray(x, float)[..., None] ** 2
    z = _Z
    return np.sum(_WZ * (2 * (1 - z) ** 3 + a * z * (1 - z) * (z + 3)) / ((1 - z) ** 2 + a * z), axis=-1)


def delta_a_lepton(mass_mev, cv, ca, lepton_mass_mev: float) -> np.ndarray:
    """Bodas Eq. (7): Δa = C_V² F_V(x)/(8π²) − C_A² m_l² F_A(x)/(4π² m_Z'²), x = m_Z'/m_l."""
    m = np.asarray(mass_mev, float)
    x = m / lepton_mass_mev
    return (np.asarray(cv) ** 2 * f_v(x) / (8 * np.pi**2)
            - np.asarray(ca) ** 2 * (lepton_mass_mev / m) ** 2 * f_a(x) / (4 * np.pi**2))


def delta_a(c: Couplings, flavour: str) -> np.ndarray:
    """Δa_α of the Z' described by ``c`` for α = 'e', 'mu' or 'tau'."""
    return np.broadcast_to(delta_a_lepton(c.mass_mev, c.cv(flavour), c.ca(flavour),
                                          LEPTON_MASS_MEV[flavour]), c.shape)

"""Parity-violating Møller scattering (E158) with a light Z'.

Bodas et al. Eq. (12), Sec. 3.1.2; E158: Anthony et al., PRL 95 (2005) 081601.

Integrating out the Z' of Bodas Eq. (6) next to the Z at momentum transfer Q² gives a shift of the effective
weak mixing angle measured in e⁻e⁻ → e⁻e⁻ (derived below; it reproduces the dark-Z formula of
Davoudiasl, Lee, Marciano, PRD 92 (2015) 055005, in sign and size)::

    Δsin²θ_eff = C_Ve C_Ae / (√2 G_F (Q² + m_Z'²)).

Derivation sketch: a vector V with L ⊃ −V_μ ē γ^μ(a + b γ5) e exchanged at spacelike Q² gives
L_eff ⊃ −a b/(M_V² + Q²) (ēγ^μe)(ēγ_μγ5e). For the Z (a = g g_V/(2c_W), b = −g g_A/(2c_W), g_A = −1/2,
g_V = −1/2 + 2s², Q² ≪ M_Z²) the coefficient is +√2 G_F (1 − 4s²)/4; the Z' adds −C_Ve C_Ae/(Q² + m_Z'²).
The sum is √2 G_F/4 · [1 − 4(s² + C_Ve C_Ae/(√2 G_F (Q² + m_Z'²)))], hence the shift above.
C_Ve C_Ae > 0 raises sin²θ_eff (and lowers |A_PV| ∝ 1 − 4 sin²θ_eff).

Q² = 0.026 GeV² (E158, data entry ``moller_e158_sin2w_eff``, parameter ``q2_gev2``); SM value at that Q²
``moller_sin2w_eff_sm`` (0.2381 ± 0.0006).
"""

from __future__ import annotations

import math

import numpy as np

from zprime.core.constants import G_F
from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.core.measurements import EditionLike, get
from zprime.physics.arrays import broadcast, positive_finite

_MEV2_PER_GEV2 = 1.0e6


def moller_q2_mev2(edition: EditionLike = None) -> float:
    """E158 momentum transfer Q² [MeV²] (data entry ``moller_e158_sin2w_eff``)."""
    return float(get("moller_e158_sin2w_eff", edition).parameters["q2_gev2"]) * _MEV2_PER_GEV2


def _check_mass(mass_mev) -> np.ndarray:
    m = np.asarray(mass_mev, dtype=float)
    if not positive_finite(m):
        raise InputError("mass_mev", "must be positive and finite (allowed range: 0 < mass_mev < inf MeV)")
    return m


def _check_q2(q2_mev2: float | None, edition: EditionLike) -> float:
    q2 = moller_q2_mev2(edition) if q2_mev2 is None else float(q2_mev2)
    if not (math.isfinite(q2) and q2 > 0):
        raise InputError(
            "q2_mev2", f"must be positive and finite (allowed range: 0 < Q^2 < inf MeV^2), got {q2}"
        )
    return q2


def propagator_rescaling(mass_mev, q2_mev2: float | None = None, edition: EditionLike = None) -> np.ndarray:
    """(Q² + m_Z'²)/Q²: by this factor a bound on C_Ve C_Ae at m_Z' ≪ Q weakens at mass m_Z'."""
    m = _check_mass(mass_mev)
    q2 = _check_q2(q2_mev2, edition)
    return (q2 + m**2) / q2


def delta_sin2w_eff(
    mass_mev, c_ve, c_ae, q2_mev2: float | None = None, edition: EditionLike = None
) -> np.ndarray:
    """Δsin²θ_eff = C_Ve C_Ae/(√2 G_F (Q² + m_Z'²)) (module docstring); broadcasting.

    ``q2_mev2`` defaults to the E158 Q² = 0.026 GeV². G_F in MeV⁻², masses in MeV.
    """
    m = _check_mass(mass_mev)
    q2 = _check_q2(q2_mev2, edition)
    cve, cae = np.asarray(c_ve, dtype=float), np.asarray(c_ae, dtype=float)
    if m.ndim == cve.ndim == cae.ndim == 0:  # one point: the same operations on Python floats
        m1 = m.item()
        return np.float64(cve.item() * cae.item() / (math.sqrt(2.0) * G_F * (q2 + m1 * m1)))
    prod = cve * cae
    return prod / (math.sqrt(2.0) * G_F * (q2 + m**2))


def sin2w_eff_moller(couplings: Couplings, edition: EditionLike = None) -> np.ndarray:
    """Predicted sin²θ_eff at the E158 Q²: SM value (``moller_sin2w_eff_sm``) + Δsin²θ_eff of the Z'."""
    sm = get("moller_sin2w_eff_sm", edition).value
    d = delta_sin2w_eff(couplings.mass_mev, couplings.c_ve, couplings.c_ae, edition=edition)
    return broadcast(sm + d, couplings.shape)


__all__ = ["moller_q2_mev2", "propagator_rescaling", "delta_sin2w_eff", "sin2w_eff_moller"]

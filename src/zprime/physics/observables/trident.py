"""Neutrino trident production ν_μ N → ν_μ μ⁺μ⁻ N with a light Z' (Bodas et al. Eq. (16), Sec. 3.2.2).

    σ/σ_SM ≈ 1 + a₁ C_Vμ C_νμ + a₂ C_Vμ² C_νμ² log(m_μ²/m_Z'²),

a₁ = 5.6e5, a₂ = 1.3e11 (data entry ``trident_zprime_coefficients``; Altmannshofer, Gori, Pospelov, Yavin,
PRL 113 (2014) 091801, arXiv:1406.2332). Convention of Bodas Eq. (6): C_Vμ C_νμ > 0 interferes constructively
with the SM (W+Z) amplitude (the sign of the linear term of Bodas Eq. (16)). C_Aμ is neglected, as in the seed.

Validity: the logarithm is the leading term for m_Z' ≪ m_μ, where the muon mass cuts off the Z' propagator
integral. At m_Z' = m_μ the log vanishes and above it the "quadratic" term turns negative, so that the ratio
can even become negative (near 80 MeV for couplings of interest): the formula is not a cross-section there.
:data:`TRIDENT_MAX_MASS_MEV` = m_μ is the upper edge of its validity; the constraints in
``zprime.physics.constraints.trident`` answer "not applicable" above it. This function itself evaluates the formula
for any positive mass (for plotting and tests).
"""

from __future__ import annotations

import numpy as np

from zprime.core.constants import M_MU
from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.core.measurements import EditionLike, get

#: Upper edge of the validity of Bodas Eq. (16) [MeV]: the log form needs m_Z' ≪ m_μ.
TRIDENT_MAX_MASS_MEV: float = M_MU


def trident_coefficients(edition: EditionLike = None) -> tuple[float, float]:
    """(a₁, a₂) of Bodas Eq. (16), read from the data entry ``trident_zprime_coefficients``."""
    p = get("trident_zprime_coefficients", edition).parameters
    return float(p["linear"]), float(p["quadratic"])


def trident_ratio(
    mass_mev, c_vmu, c_numu, *, coefficients: tuple[float, float] | None = None, edition: EditionLike = None
) -> np.ndarray:
    """σ_trident/σ_SM of Bodas Eq. (16) for arrays of m_Z' [MeV], C_Vμ, C_νμ (broadcasting).

    ``coefficients`` = (a₁, a₂) overrides the data entry (default: :func:`trident_coefficients`).
    Raises :class:`~zprime.core.errors.InputError` for a non-positive or non-finite mass.
    """
    m = np.asarray(mass_mev, dtype=float)
    if not np.all(np.isfinite(m)) or np.any(m <= 0):
        raise InputError("mass_mev", "must be positive and finite (allowed range: 0 < mass_mev < inf MeV)")
    a1, a2 = coefficients if coefficients is not None else trident_coefficients(edition)
    x = np.asarray(c_vmu, dtype=float) * np.asarray(c_numu, dtype=float)
    return 1.0 + a1 * x + a2 * x**2 * 2.0 * np.log(M_MU / m)


def trident_ratio_of(couplings: Couplings, edition: EditionLike = None) -> np.ndarray:
    """Bodas Eq. (16) on a :class:`~zprime.core.couplings.Couplings` array (shape ``couplings.shape``)."""
    r = trident_ratio(couplings.mass_mev, couplings.c_vmu, couplings.c_numu, edition=edition)
    return np.broadcast_to(r, couplings.shape)


__all__ = ["TRIDENT_MAX_MASS_MEV", "trident_coefficients", "trident_ratio", "trident_ratio_of"]

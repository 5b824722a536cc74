"""Parity-violating Møller scattering constraints, E158 (Bodas et al. Eq. (12); Anthony et al., PRL 95 (2005) 081601).

- ``moller_e158`` (current): Gaussian χ² of the predicted sin²θ_eff = sin²θ_SM + Δsin²θ_eff against the E158
  measurement, Δsin²θ_eff = C_Ve C_Ae/(√2 G_F (Q² + m_Z'²)), Q² = 0.026 GeV²;
  σ = E158 (stat ⊕ syst) ⊕ SM theory.
  Two-sided and asymmetric (E158 lies 1.1σ above the SM): at 90% CL −3.1e-10 ≤ C_Ve C_Ae ≤ +1.68e-9 for
  m_Z' ≪ 160 MeV, both edges growing as (Q² + m²)/Q² above.
  value = predicted sin²θ_eff, limit = measured value.
- ``moller_e158_seed`` (variant, replaces ``moller_e158``): the seed's symmetric |C_Ve C_Ae| ≤ 1e-8 (Bodas
  Eq. (12)), rescaled by (m_Z'² + Q²)/Q² at every mass (≈ 1 below ~100 MeV). value = C_Ve C_Ae, limit = the
  rescaled bound. Used to reproduce the seed's figures and window.

:func:`moller_product_bounds` gives the allowed (lower, upper) interval of C_Ve C_Ae of either rule, for plots
and for the construction of the allowed window.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np

from zprime.core.constants import G_F
from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.core.measurements import EditionLike, Measurement, get
from zprime.physics.arrays import broadcast
from zprime.physics.constraints.base import (
    Constraint,
    EvalOptions,
    Result,
    chi2_threshold,
    gaussian_result,
    per_edition,
    pointwise,
    upper_bound_result,
)
from zprime.physics.observables.moller import moller_q2_mev2, propagator_rescaling, sin2w_eff_moller

#: Default CL of the derived E158 χ² rule.
MOLLER_DEFAULT_CL = 0.90

Variant = Literal["derived", "seed", "moller_e158", "moller_e158_seed"]


def _sigma_total(exp: Measurement, sm: Measurement) -> float:
    """E158 uncertainty (stat ⊕ syst) and the SM theory uncertainty in quadrature."""
    return math.hypot(exp.uncertainty, sm.uncertainty)


@per_edition
def _e158_entries(edition: str) -> tuple[str, float, float]:
    """(reference, measured sin²θ_eff, total σ)."""
    exp = get("moller_e158_sin2w_eff", edition)
    sm = get("moller_sin2w_eff_sm", edition)
    return f"{exp.cite()}; SM: {sm.cite()}", exp.value, _sigma_total(exp, sm)


@pointwise
def _e158(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    ref, measured, sigma = _e158_entries(opts.edition)
    pred = sin2w_eff_moller(c, edition=opts.edition)
    return gaussian_result("moller_e158", ref, pred, measured, sigma, cl)


def _seed_limit(mass_mev, edition: EditionLike) -> np.ndarray:
    seed = get("moller_seed_product_bound", edition)
    q2 = seed.parameters["q2_gev2"] * 1.0e6
    return seed.value * propagator_rescaling(mass_mev, q2_mev2=q2)


@pointwise
def _e158_seed(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    seed = get("moller_seed_product_bound", opts.edition)
    value = broadcast(c.c_ve * c.c_ae, c.shape)
    limit = broadcast(_seed_limit(c.mass_mev, opts.edition), c.shape)
    return upper_bound_result("moller_e158_seed", seed.cite(), value, limit, seed.cl or cl)


def moller_product_bounds(
    mass_mev, variant: Variant = "derived", cl: float | None = None, edition: EditionLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """Allowed interval (lower, upper) of C_Ve·C_Ae at m_Z' = ``mass_mev`` [MeV] (broadcasting).

    ``variant="derived"`` (``moller_e158``): the χ² rule at ``cl`` (default 0.90),
    lower/upper = (x_E158 − x_SM ∓ z σ) · √2 G_F (Q² + m²), z = √χ²₁(cl).
    ``variant="seed"`` (``moller_e158_seed``): ±1e-8 (Q² + m²)/Q²; ``cl`` is ignored (the seed's bound has its
    own CL).
    """
    if variant in ("seed", "moller_e158_seed"):
        lim = _seed_limit(mass_mev, edition)
        return -lim, lim
    if variant not in ("derived", "moller_e158"):
        raise InputError(
            "variant", f"must be 'derived' (moller_e158) or 'seed' (moller_e158_seed), got {variant!r}"
        )
    exp = get("moller_e158_sin2w_eff", edition)
    sm = get("moller_sin2w_eff_sm", edition)
    z = math.sqrt(chi2_threshold(MOLLER_DEFAULT_CL if cl is None else cl))
    sigma = _sigma_total(exp, sm)
    q2 = moller_q2_mev2(edition)
    scale = math.sqrt(2.0) * G_F * q2 * propagator_rescaling(mass_mev, q2_mev2=q2)
    shift = exp.value - sm.value
    return (shift - z * sigma) * scale, (shift + z * sigma) * scale


def provide() -> list[Constraint]:
    exp = get("moller_e158_sin2w_eff")
    seed = get("moller_seed_product_bound")
    return [
        Constraint(
            "moller_e158",
            "Parity-violating Moller scattering, E158 (derived)",
            f"{exp.cite()}; SM: {get('moller_sin2w_eff_sm').cite()}",
            "chi2",
            _e158,
            category="current",
            cl=MOLLER_DEFAULT_CL,
            couplings_used=("c_ve", "c_ae"),
            description="sin2_eff = sin2_SM + C_Ve C_Ae/(sqrt2 G_F (Q^2+m^2)), Q^2 = 0.026 GeV^2, "
            "Gaussian chi^2 against E158 (two-sided)",
            experiment="E158",
            label="E158 Møller 2005",
            measurements=("moller_e158_sin2w_eff", "moller_sin2w_eff_sm"),
        ),
        Constraint(
            "moller_e158_seed",
            "Parity-violating Moller scattering, seed rule |C_Ve C_Ae| <= 1e-8",
            seed.cite(),
            "upper_bound",
            _e158_seed,
            category="variant",
            cl=seed.cl or MOLLER_DEFAULT_CL,
            couplings_used=("c_ve", "c_ae"),
            description="Bodas Eq. (12), rescaled by (m^2+Q^2)/Q^2",
            tags=("replaces:moller_e158",),
            experiment="E158",
            label="E158 Møller (Bodas Eq. 12)",
            measurements=("moller_seed_product_bound",),
        ),
    ]


__all__ = ["MOLLER_DEFAULT_CL", "moller_product_bounds", "provide"]

"""Neutrino trident constraints (Bodas et al. Sec. 3.2.2, Eq. (16); Altmannshofer et al., arXiv:1406.2332).

- ``ccfr_trident``: predicted σ/σ_SM against CCFR 0.82 ± 0.28 (Mishra et al. PRL 66 (1991) 3117),
  Gaussian χ², default CL 0.95: the seed's |C_Vμ| ≲ 0.05 at C_νμ = 1e-5 is CCFR at 0.82 ± 1.96·0.28.
- ``charm2_trident``: the same against CHARM-II 1.58 ± 0.57 (Geiregat et al. PLB 245 (1990) 271); weaker.

The rule is two-sided: excluded where ((R − x)/σ)² > χ²₁(CL). value = predicted σ/σ_SM, limit = the measured
ratio. The prediction depends on the edition:

- an edition with the experiment's beam entry (``trident_ccfr_beam``, ``trident_charm2_beam``: edition 2025)
  uses the trident cross section with the Z' propagator kept
  (:func:`~zprime.physics.observables.trident.trident_ratio_propagator`: equivalent-photon Q² spectrum of the
  experiment folded with 1/(Q² + m_Z'²)), valid at every m_Z' > 0; ``not_applicable`` if the shipped table
  was computed for another beam (rerun ``tools/trident_spectrum.py``);
- otherwise (editions 2021, 2023: the seed) Bodas Eq. (16), valid for 0 < m_Z' ≤ m_max and ``not_applicable``
  above; m_max is ``max_mass_mev`` of the edition's ``trident_zprime_coefficients`` entry, m_μ where the entry
  has none (above m_μ the log of Eq. (16) changes sign and the ratio can turn negative near 80 MeV). Applied up
  to m_μ, Eq. (16) excludes the central (g−2)_μ coupling of Lμ−Lτ above about 60 MeV, where Altmannshofer et
  al. find CCFR excluding it only above about 400 MeV (docs/constraints.md).
"""

from __future__ import annotations

import numpy as np

from zprime.core.couplings import Couplings
from zprime.core.measurements import EditionLike, Measurement, get, load_edition
from zprime.physics.arrays import broadcast
from zprime.physics.constraints.base import (
    Constraint,
    EvalOptions,
    Result,
    gaussian_result,
    per_edition,
    pointwise,
)
from zprime.physics.observables.trident import (
    TRIDENT_MAX_MASS_MEV,
    load_q2_spectra,
    trident_coefficients,
    trident_ratio,
    trident_ratio_propagator,
)
from zprime.physics.observables.trident_epa import nuclei_of

#: Default CL of the trident constraints (the seed's |C_Vμ| ≲ 0.05 is CCFR at Gaussian 95% CL).
TRIDENT_DEFAULT_CL = 0.95


def max_mass_mev(edition: EditionLike = None) -> float:
    """Upper validity edge of Bodas Eq. (16) in ``edition`` [MeV]: the coefficient entry's ``max_mass_mev``,
    else m_μ (module docstring)."""
    p = get("trident_zprime_coefficients", edition).parameters
    return float(p.get("max_mass_mev", TRIDENT_MAX_MASS_MEV))


def beam_entry(experiment: str, edition: EditionLike = None) -> Measurement | None:
    """The edition's beam entry of ``experiment`` (``"ccfr"``, ``"charm2"``), selecting the propagator
    calculation, or None (Eq. (16))."""
    return load_edition(edition).measurements.get(f"trident_{experiment}_beam")  # no exception to build


def _table_matches(experiment: str, beam: Measurement) -> bool:
    """True when ``data/trident/q2_spectra.yaml`` was computed for ``beam`` (energy and nuclei)."""
    spec = load_q2_spectra().get(experiment)
    return (
        spec is not None
        and spec.energy_mev == beam.value
        and [list(n) for n in spec.nuclei] == [list(n) for n in nuclei_of(beam.parameters)]
    )


def _trident(name: str, quantity: str, experiment: str):
    @per_edition
    def entries(edition: str) -> tuple[Measurement, bool, bool, str, float, tuple[float, float]]:
        """(measurement, propagator form?, its table matches?, reference, m_max and (a₁, a₂) of Eq. (16))."""
        x = get(quantity, edition)
        beam = beam_entry(experiment, edition)
        if beam is not None:
            ref = f"{x.cite()}; Z' propagator, equivalent photons ({beam.cite()})"
            return x, True, _table_matches(experiment, beam), ref, np.inf, (np.nan, np.nan)
        coef = get("trident_zprime_coefficients", edition)
        ref = f"{x.cite()}; Eq. (16) of {coef.cite()}"
        return x, False, False, ref, max_mass_mev(edition), trident_coefficients(edition)

    @pointwise  # elementwise in the couplings; the propagator moments are per mass (rows of one sum each)
    def compute(c: Couplings, opts: EvalOptions, cl: float) -> Result:
        x, propagator, matches, ref, m_max, coefs = entries(opts.edition)
        if propagator:
            m = broadcast(c.mass_mev, c.shape)
            if not matches:  # e.g. a user edition with another beam: no table
                nan = np.full(c.shape, np.nan)
                return gaussian_result(name, ref, nan, x.value, x.uncertainty, cl, applicable=nan == 0)
            ratio = trident_ratio_propagator(m, c.c_vmu, c.c_numu, experiment=experiment)
            return gaussian_result(name, ref, broadcast(ratio, c.shape), x.value, x.uncertainty, cl)
        one_inside = c.size == 1 and c.mass_mev.item() <= m_max  # one point inside: no mask needed
        inside = None if one_inside else broadcast(c.mass_mev, c.shape) <= m_max
        if inside is None or inside.all():
            ratio = broadcast(trident_ratio(c.mass_mev, c.c_vmu, c.c_numu, coefficients=coefs), c.shape)
            return gaussian_result(name, ref, ratio, x.value, x.uncertainty, cl)  # as trident_ratio_of
        # only the points where Eq. (16) is valid are computed; the others are not applicable
        k = np.flatnonzero(inside)
        ratio = np.full(c.shape, np.nan)
        flat = {f: broadcast(getattr(c, f), c.shape).ravel().take(k) for f in ("mass_mev", "c_vmu", "c_numu")}
        ratio.reshape(-1)[k] = trident_ratio(
            flat["mass_mev"], flat["c_vmu"], flat["c_numu"], coefficients=coefs
        )
        return gaussian_result(name, ref, ratio, x.value, x.uncertainty, cl, applicable=inside)

    return compute


def provide() -> list[Constraint]:
    ccfr = get("trident_ccfr_ratio")
    charm = get("trident_charm2_ratio")
    coef = get("trident_zprime_coefficients")
    mass_range = (
        0.0,
        np.inf,
    )  # the edition decides (compute): Eq. (16) up to m_max, the propagator form beyond
    desc = (
        "sigma/sigma_SM = 1 + a1 C_Vmu C_numu + a2 C_Vmu^2 C_numu^2 log(m_mu^2/m_Z'^2) (Bodas Eq. 16, "
        f"a1 = {coef.parameters['linear']:.3g}, a2 = {coef.parameters['quadratic']:.3g}); "
        "valid for m_Z' << m_mu, not applicable above m_mu (editions 2021, 2023); edition 2025: Z' propagator "
        "kept (equivalent-photon Q^2 spectrum, 1406.2332), any m_Z'"
    )
    return [
        Constraint(
            "ccfr_trident",
            "CCFR neutrino trident (Bodas Eq. 16)",
            f"{ccfr.cite()}; {coef.cite()}",
            "chi2",
            _trident("ccfr_trident", "trident_ccfr_ratio", "ccfr"),
            mass_range_mev=mass_range,
            category="current",
            cl=TRIDENT_DEFAULT_CL,
            couplings_used=("c_vmu", "c_numu"),
            description=desc + f"; measured {ccfr.value} +- {ccfr.uncertainty}",
            range_in_compute=True,
            experiment="CCFR",
            label="CCFR trident 1991",
            measurements=("trident_ccfr_ratio", "trident_zprime_coefficients"),
        ),
        Constraint(
            "charm2_trident",
            "CHARM-II neutrino trident (Bodas Eq. 16)",
            f"{charm.cite()}; {coef.cite()}",
            "chi2",
            _trident("charm2_trident", "trident_charm2_ratio", "charm2"),
            mass_range_mev=mass_range,
            category="current",
            cl=TRIDENT_DEFAULT_CL,
            couplings_used=("c_vmu", "c_numu"),
            description=desc + f"; measured {charm.value} +- {charm.uncertainty}",
            range_in_compute=True,
            experiment="CHARM-II",
            label="CHARM-II trident 1990",
            measurements=("trident_charm2_ratio", "trident_zprime_coefficients"),
        ),
    ]


__all__ = ["TRIDENT_DEFAULT_CL", "beam_entry", "max_mass_mev", "provide"]

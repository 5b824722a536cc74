"""The lepton anomalies: the Z' contributions Δa_ℓ (ℓ = e, μ, τ) and their pulls against the measured
Δa_e (α from Cs or Rb) and Δa_μ of an edition, pull = (Δa^Z' − Δa^exp)/σ.

Kept apart from :mod:`zprime.analyses.likelihood` (which re-exports every name) so that ``zprime g2`` need
not import the constraint evaluation machinery.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from zprime.core.couplings import Couplings
from zprime.core.errors import MissingMeasurementError
from zprime.core.measurements import AE_PREFIX, Edition, EditionLike, Measurement, edition_key, load_edition
from zprime.physics.constraints.base import EvalOptions
from zprime.physics.observables.g2 import delta_a, delta_a_e_mu


class AnomalyMeasurements(dict[str, Measurement]):
    """The anomaly entries {"e": Δa_e, "mu": Δa_μ} of an edition; a flavour whose quantity the edition lacks
    is absent, and :attr:`reasons` says why (e.g. {"e": "no delta_a_e_rb in edition my-2026"})."""

    reasons: dict[str, str]


def anomaly_measurements(
    edition: EditionLike = None, ae: Literal["cs", "rb"] = "cs", *, require: bool = False
) -> AnomalyMeasurements:
    """The Δa_e (α from ``ae``, e.g. Cs or Rb) and Δa_μ entries of ``edition`` (None: the default).

    A quantity the edition lacks is left out (see :class:`AnomalyMeasurements`); with ``require`` it raises
    MissingMeasurementError instead (for analyses that need both anomalies)."""
    hit = _cached_measurements(edition, ae)
    if hit is not None and not (require and hit[1]):
        out = AnomalyMeasurements(hit[0])
        out.reasons = dict(hit[1])
        return out
    opts = EvalOptions(edition=edition, ae=ae)  # validates edition and ae
    ed = load_edition(opts.edition)
    out = AnomalyMeasurements()
    out.reasons = {}
    for f, quantity in (("e", f"{AE_PREFIX}{ae}"), ("mu", "delta_a_mu")):
        try:
            out[f] = ed[quantity]
        except MissingMeasurementError as exc:
            if require:
                raise
            out.reasons[f] = exc.reason
    if len(_MEASUREMENTS) >= _MEASUREMENTS_SIZE:
        _MEASUREMENTS.clear()
    _MEASUREMENTS[(opts.edition, ae)] = (ed, dict(out), dict(out.reasons))
    return out


#: {(edition key, ae): (the Edition, its anomaly entries, the reasons of those it lacks)}, checked against
#: the Edition that :func:`~zprime.core.measurements.load_edition` returns (a user file that changed on disk
#: is a new Edition), so a hit validates edition and ae as building EvalOptions does
_MEASUREMENTS: dict[tuple[str, str], tuple[Edition, dict[str, Measurement], dict[str, str]]] = {}
_MEASUREMENTS_SIZE = 64


def _cached_measurements(
    edition: EditionLike, ae: object
) -> tuple[dict[str, Measurement], dict[str, str]] | None:
    """The entries and reasons :func:`anomaly_measurements` found for ``edition`` and ``ae`` before, while the
    edition is unchanged; None when there are none (or the edition is invalid: the slow path says why)."""
    if not isinstance(ae, str):
        return None
    try:
        key = edition_key(edition)
        hit = _MEASUREMENTS.get((key, ae))
        if hit is None or hit[0] is not load_edition(key):
            return None
    except Exception:  # an invalid edition: the slow path raises the error of EvalOptions
        return None
    return hit[1], hit[2]


@dataclass(frozen=True)
class Anomalies:
    """Z' contributions Δa_ℓ, their pulls (Δa^Z' − Δa^exp)/σ and χ² of the anomalies.

    The pull of an anomaly whose measurement the edition lacks is NaN; :attr:`reasons` says why."""

    delta_a: Mapping[str, np.ndarray]
    pull: dict[str, np.ndarray]
    measurements: dict[str, Measurement]

    @property
    def reasons(self) -> dict[str, str]:
        """{"e"|"mu": why that pull is NaN}, for the anomalies the edition has no measurement of."""
        return dict(getattr(self.measurements, "reasons", {}))

    @property
    def chi2(self) -> np.ndarray:
        return self.pull["e"] ** 2 + self.pull["mu"] ** 2

    def within(self, n_sigma: float = 1.0) -> np.ndarray:
        """Both anomalies explained to within ``n_sigma``."""
        return (np.abs(self.pull["e"]) <= n_sigma) & (np.abs(self.pull["mu"]) <= n_sigma)


class _DeltaA(Mapping[str, np.ndarray]):
    """Δa_ℓ for ℓ = e, μ, τ, each computed on first access (τ is not needed for the pulls)."""

    def __init__(self, c: Couplings, known: dict[str, np.ndarray] | None = None):
        self._c = c
        self._values: dict[str, np.ndarray] = dict(known or {})

    def __getitem__(self, flavour: str) -> np.ndarray:
        if flavour not in self._values:
            if flavour not in ("e", "mu", "tau"):
                raise KeyError(flavour)
            self._values[flavour] = delta_a(self._c, flavour)
        return self._values[flavour]

    def __iter__(self) -> Iterator[str]:
        return iter(("e", "mu", "tau"))

    def __len__(self) -> int:
        return 3

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: {self[k]!r}" for k in self) + "}"


def anomalies(c: Couplings, edition: EditionLike = None, ae: Literal["cs", "rb"] = "cs") -> Anomalies:
    """Δa_e, Δa_μ, Δa_τ of the Z' and the pulls (Δa^Z' − Δa^exp)/σ against the edition's anomalies
    (NaN where the edition has no measurement; see :attr:`Anomalies.reasons`)."""
    meas = anomaly_measurements(edition, ae)
    known = dict(zip(("e", "mu"), delta_a_e_mu(c), strict=True))
    pull = {
        f: (d - meas[f].value) / meas[f].uncertainty if f in meas else np.full(c.shape, np.nan)
        for f, d in known.items()
    }
    return Anomalies(_DeltaA(c, known), pull, meas)


__all__ = ["AnomalyMeasurements", "Anomalies", "anomalies", "anomaly_measurements"]

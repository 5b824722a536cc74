"""One likelihood over the lepton anomalies and all constraints: χ², pulls, allowed/excluded.

χ²_total = χ²_anomalies + Σ_constraints χ²_i, where

- χ²_anomalies = Σ_{ℓ=e,μ} ((Δa_ℓ^Z' − Δa_ℓ^exp)/σ_ℓ)² with Δa_e from the chosen α (Cs or Rb) and
  Δa_μ from the chosen edition;
- χ²_i is a Gaussian χ² for measurements and a pseudo-χ² t·(value/limit)² for published limits, with t the
  Δχ² of the limit's CL, so that χ²_i > t exactly where the constraint excludes the point (see
  :mod:`zprime.constraints.base`).

A point is ``allowed`` when no selected constraint excludes it; "explains the anomalies" when both pulls
are within ``n_sigma``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from zprime.constraints import Constraint, EvalOptions, Result, Status, select
from zprime.couplings import Couplings
from zprime.data.measurements import Measurement, load_edition
from zprime.observables.g2 import delta_a


def anomaly_measurements(edition: str = "2021", ae: Literal["cs", "rb"] = "cs") -> dict[str, Measurement]:
    """The Δa_e (Cs or Rb α) and Δa_μ entries of ``edition``."""
    EvalOptions(edition=edition, ae=ae)  # validates ae
    ed = load_edition(edition)
    return {"e": ed[f"delta_a_e_{ae}"], "mu": ed["delta_a_mu"]}


@dataclass(frozen=True)
class Anomalies:
    """Z' contributions Δa_ℓ, their pulls (Δa^Z' − Δa^exp)/σ and χ² of the anomalies."""

    delta_a: dict[str, np.ndarray]
    pull: dict[str, np.ndarray]
    measurements: dict[str, Measurement]

    @property
    def chi2(self) -> np.ndarray:
        return self.pull["e"] ** 2 + self.pull["mu"] ** 2

    def within(self, n_sigma: float = 1.0) -> np.ndarray:
        """Both anomalies explained to within ``n_sigma``."""
        return (np.abs(self.pull["e"]) <= n_sigma) & (np.abs(self.pull["mu"]) <= n_sigma)


def anomalies(c: Couplings, edition: str = "2021", ae: Literal["cs", "rb"] = "cs") -> Anomalies:
    """Δa_e, Δa_μ, Δa_τ of the Z' and the pulls against the edition's anomalies."""
    meas = anomaly_measurements(edition, ae)
    da = {f: delta_a(c, f) for f in ("e", "mu", "tau")}
    pull = {f: (da[f] - meas[f].value) / meas[f].uncertainty for f in ("e", "mu")}
    return Anomalies(da, pull, meas)


@dataclass(frozen=True)
class Evaluation:
    """All constraint results at a set of points, plus the anomalies."""

    results: dict[str, Result]
    anomalies: Anomalies
    options: EvalOptions
    constraints: tuple[Constraint, ...] = field(default=())

    @property
    def excluded_by_any(self) -> np.ndarray:
        shape = self.anomalies.pull["e"].shape
        out = np.zeros(shape, dtype=bool)
        for r in self.results.values():
            out |= r.status == Status.EXCLUDED
        return out

    @property
    def allowed(self) -> np.ndarray:
        return ~self.excluded_by_any

    @property
    def chi2_constraints(self) -> np.ndarray:
        shape = self.anomalies.pull["e"].shape
        out = np.zeros(shape)
        for r in self.results.values():
            out = out + r.chi2
        return out

    @property
    def chi2_total(self) -> np.ndarray:
        return self.anomalies.chi2 + self.chi2_constraints

    def blocking(self, index: tuple[int, ...] | int = ()) -> list[str]:
        """Names of the constraints that exclude the point at ``index``."""
        return sorted(n for n, r in self.results.items() if r.status[index] == Status.EXCLUDED)

    def explains(self, n_sigma: float = 1.0) -> np.ndarray:
        """Allowed by every constraint and both anomalies within ``n_sigma``."""
        return self.allowed & self.anomalies.within(n_sigma)


def evaluate(
    c: Couplings,
    constraints: Sequence[Constraint] | Iterable[str] | None = None,
    *,
    edition: str = "2021",
    ae: Literal["cs", "rb"] = "cs",
    cl: float | None = None,
) -> Evaluation:
    """Evaluate the anomalies and every selected constraint (default: all "current" ones)."""
    opts = EvalOptions(edition=edition, ae=ae, cl=cl)
    if constraints is None:
        chosen: list[Constraint] = select()
    else:
        chosen = [select(only=[x])[0] if isinstance(x, str) else x for x in constraints]
    results = {k.name: k.evaluate(c, opts) for k in chosen}
    return Evaluation(results, anomalies(c, edition, ae), opts, tuple(chosen))


__all__ = ["Anomalies", "Evaluation", "anomalies", "anomaly_measurements", "evaluate"]

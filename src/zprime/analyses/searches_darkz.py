"""Confront the dark Z_d fit (Cadeddu et al.) with dark-photon searches (beyond the paper).

Two decay scenarios for the Z_d:

- ``visible``: the Z_d decays only to SM particles (widths from its couplings): every current visible search
  (its constraint, recast through :mod:`zprime.physics.recast`) applies.
- ``invisible``: the Z_d decays to a light dark sector, BR(Z_d → invisible) = 1 (the recast engine's
  ``invisible_fraction=1``): visible searches see nothing; the invisible searches (BaBar 2017, NA64, NA62)
  bound √(g_prod²·BR_inv) ≤ e·ε_lim·√BR_ref.

Each grid point of the fit's (m, ε) plane is evaluated at the δ that minimises χ² there.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.physics import recast
from zprime.physics.constraints import Status, get, select
from zprime.physics.models.dark_z import darkz_couplings

SCENARIOS = ("visible", "invisible")

#: BR(Z_d → dark sector) of each scenario (the recast engine's ``invisible_fraction``)
INVISIBLE_FRACTION = {"visible": 0.0, "invisible": 1.0}


def _visible_names() -> list[str]:
    current = {k.name for k in select()}
    return [n for n in recast.names(category="current", decay="visible") if n in current]


def _invisible_names() -> list[str]:
    return recast.names(category="current", decay="invisible")


def excluded_by_searches(c: Couplings, scenario: str) -> dict[str, np.ndarray]:
    """Per search, a boolean mask of points it excludes, for the given decay scenario."""
    if scenario == "visible":
        return {n: get(n).evaluate(c).status == Status.EXCLUDED for n in _visible_names()}
    if scenario == "invisible":
        f = INVISIBLE_FRACTION[scenario]
        return {n: recast.excluded(n, c, invisible_fraction=f) for n in _invisible_names()}
    raise InputError("scenario", f"must be one of {', '.join(SCENARIOS)}, got {scenario!r}")


def search_grid(fit: Any, scenario: str) -> dict[str, np.ndarray]:
    """Excluded masks on the fit's (m, ε) grid (δ profiled), one per search."""
    m = np.asarray(fit.mass_grid_mev)[:, None]
    eps = np.asarray(fit.epsilon_grid)[None, :]
    c = darkz_couplings(m, eps, np.asarray(fit.delta_profile_2d))
    return excluded_by_searches(c, scenario)


def confront_fit(fit: Any, delta_chi2_1sigma_2d: float = 2.30) -> dict[str, dict[str, Any]]:
    """Does the best fit, and the 2-D 1σ region (Δχ² ≤ 2.30), survive the searches in each scenario?"""
    out: dict[str, dict[str, Any]] = {}
    b = fit.best_fit
    cbest = darkz_couplings(b["mass_mev"], b["epsilon"], b["delta"])
    region = np.asarray(fit.chi2_profile_2d) - fit.chi2_min <= delta_chi2_1sigma_2d
    n_region = int(region.sum())
    for scenario in SCENARIOS:
        best = excluded_by_searches(cbest, scenario)
        grid = search_grid(fit, scenario)
        any_excl = np.zeros(region.shape, dtype=bool)
        for e in grid.values():
            any_excl |= e
        frac = float((any_excl & region).sum()) / max(n_region, 1)
        excluding = sorted(n for n, e in grid.items() if np.any(e & region))
        best_excl = sorted(n for n, e in best.items() if bool(np.any(e)))
        out[scenario] = {
            "best_fit": "excluded" if best_excl else "allowed",
            "best_fit_excluded_by": best_excl,
            "region_1sigma": ("excluded" if frac >= 0.999 else "partly excluded" if frac > 0 else "allowed"),
            "region_1sigma_fraction_excluded": frac,
            "excluding": excluding,
        }
    return out


__all__ = ["SCENARIOS", "INVISIBLE_FRACTION", "excluded_by_searches", "search_grid", "confront_fit"]

"""A point's numbers do not depend on the other points of the call: every constraint gives, at each point of
a random batch, the value, limit, status and χ² of that point evaluated alone, bit for bit (the scans,
the limits and one-point calls agree to the last digit)."""

from __future__ import annotations

import numpy as np
import pytest

from zprime.core.couplings import ALL_FIELDS, Couplings, random_couplings
from zprime.physics.constraints import EvalOptions, select


def _point(c: Couplings, i: int) -> Couplings:
    return Couplings(
        **{
            f: np.asarray(getattr(c, f)).ravel()[i] if np.ndim(getattr(c, f)) else getattr(c, f)
            for f in ALL_FIELDS
        }
    )


@pytest.mark.parametrize("edition", ["2021", "2025"])
def test_each_point_as_if_alone(edition: str) -> None:
    c = random_couplings(300, 4)
    opts = EvalOptions(edition=edition)
    picks = range(0, 300, 23)
    alone = {i: _point(c, i) for i in picks}
    for k in select(include_projections=True, include_variants=True):
        batch = k.evaluate(c, opts)
        for i in picks:
            one = k.evaluate(alone[i], opts)
            for f in ("value", "limit", "status", "chi2"):
                a, b = np.asarray(getattr(one, f)).reshape(-1)[0], getattr(batch, f).reshape(-1)[i]
                assert a == b or (np.isnan(a) and np.isnan(b)), (k.name, f, i)


def test_g2_each_point_as_if_alone() -> None:
    from zprime.physics.observables.g2 import delta_a

    c = random_couplings(300, 5, log10_mass_mev=(-1.0, 5.0))
    for flavour in ("e", "mu", "tau"):
        batch = delta_a(c, flavour)
        for i in range(0, 300, 13):
            assert float(delta_a(_point(c, i), flavour)) == batch[i], (flavour, i)

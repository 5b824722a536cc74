"""Validity of the CCFR trident bound (Bodas Eq. (16)) against Altmannshofer, Gori, Pospelov, Yavin,
PRL 113 (2014) 091801 (arXiv:1406.2332): CCFR disfavours the (g−2)_μ explanation by an Lμ−Lτ Z' only for
m_Z' ≳ 400 MeV (abstract and Fig. 2). Eq. (16) applied up to m_μ (editions 2021/2023, the seed's range)
excludes it from about 60 MeV; edition 2025 applies Eq. (16) only up to m_μ/3 (entry trident_zprime_coefficients_2025).
"""

import numpy as np
import pytest

from zprime.core.constants import M_MU
from zprime.core.measurements import get
from zprime.physics.constraints import get as get_constraint
from zprime.physics.constraints.base import Status
from zprime.physics.constraints.trident import max_mass_mev
from zprime.physics.models.resolve import resolve
from zprime.physics.observables.g2 import delta_a

MASSES = np.geomspace(1.0, 105.0, 40)


def _central_g2_couplings(edition: str):
    """Lμ−Lτ (eps = 0) couplings whose Δa_μ equals the central value of ``edition``, at MASSES."""
    mdl = resolve("lmu_ltau")
    unit = delta_a(mdl.couplings(mass_mev=MASSES, g_prime=1.0, eps=0.0), "mu")
    g = np.sqrt(get("delta_a_mu", edition).value / unit)
    return mdl.couplings(mass_mev=MASSES, g_prime=g, eps=0.0)


@pytest.mark.parametrize("edition", ["2021", "2023"])
def test_seed_range_kept(edition):
    assert max_mass_mev(edition) == M_MU
    res = get_constraint("ccfr_trident").evaluate(_central_g2_couplings("2021"), edition=edition)
    excluded = MASSES[res.status == Status.EXCLUDED]
    # the seed's Eq. (16) up to m_mu: the central coupling is excluded from about 60 MeV on (not in 1406.2332)
    assert excluded.size and 55.0 < excluded.min() < 70.0 and excluded.max() == MASSES[-1]


def test_2025_applies_eq16_only_where_valid():
    assert max_mass_mev("2025") == pytest.approx(M_MU / 3, rel=2e-3)
    res = get_constraint("ccfr_trident").evaluate(_central_g2_couplings("2021"), edition="2025")
    inside = MASSES <= max_mass_mev("2025")
    assert np.all(res.status[~inside] == Status.NOT_APPLICABLE)
    # below m_mu/3 the (g-2)_mu coupling is allowed by CCFR, as in 1406.2332 (excluded only above ~400 MeV)
    assert np.all(res.status[inside] == Status.ALLOWED)
    # and the bound itself is unchanged there
    old = get_constraint("ccfr_trident").evaluate(_central_g2_couplings("2021"), edition="2021")
    np.testing.assert_array_equal(res.value[inside], old.value[inside])

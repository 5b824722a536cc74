"""Validity of the CCFR trident bound (Bodas Eq. (16)) against Altmannshofer, Gori, Pospelov, Yavin,
PRL 113 (2014) 091801 (arXiv:1406.2332): CCFR disfavours the (g−2)_μ explanation by an Lμ−Lτ Z' only for
m_Z' ≳ 400 MeV (abstract and Fig. 2). Eq. (16) applied up to m_μ (editions 2021/2023, the seed's range)
excludes it from about 60 MeV. Edition 2025 uses the cross section with the Z' propagator (entries
trident_ccfr_beam / trident_charm2_beam, zprime.physics.observables.trident.trident_ratio_propagator).
"""

import numpy as np
import pytest

from zprime.core.constants import M_MU
from zprime.core.measurements import get
from zprime.physics.constraints import get as get_constraint
from zprime.physics.constraints.base import Status
from zprime.physics.constraints.trident import beam_entry, max_mass_mev
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
    assert beam_entry("ccfr", edition) is None and beam_entry("charm2", edition) is None
    res = get_constraint("ccfr_trident").evaluate(_central_g2_couplings("2021"), edition=edition)
    excluded = MASSES[res.status == Status.EXCLUDED]
    # the seed's Eq. (16) up to m_mu: the central coupling is excluded from about 60 MeV on (not in 1406.2332)
    assert excluded.size and 55.0 < excluded.min() < 70.0 and excluded.max() == MASSES[-1]


def _couplings_at(masses, delta_a_mu: float):
    mdl = resolve("lmu_ltau")
    unit = delta_a(mdl.couplings(mass_mev=masses, g_prime=1.0, eps=0.0), "mu")
    return mdl.couplings(mass_mev=masses, g_prime=np.sqrt(delta_a_mu / unit), eps=0.0)


def test_2025_uses_the_propagator_calculation():
    """With the Z' propagator, CCFR (95% CL) excludes the central (g−2)_μ coupling of Lμ−Lτ from about 220 MeV
    and the lower 2σ edge of the band from about 470 MeV: the band crosses the bound around 400 MeV, as in
    1406.2332 (abstract, Fig. 2)."""
    masses = np.geomspace(10.0, 3000.0, 120)
    g2 = get("delta_a_mu", "2021")
    ccfr = get_constraint("ccfr_trident")
    first = {}
    for label, da in (("central", g2.value), ("minus_2sigma", g2.value - 2 * g2.uncertainty)):
        res = ccfr.evaluate(_couplings_at(masses, da), edition="2025")
        assert np.all(res.status != Status.NOT_APPLICABLE)
        excluded = masses[res.status == Status.EXCLUDED]
        # one crossing: allowed below, excluded above
        assert excluded.size and np.all(masses[masses >= excluded.min()] == excluded)
        first[label] = excluded.min()
    assert 180.0 < first["central"] < 280.0
    assert 380.0 < first["minus_2sigma"] < 600.0
    # the 2021 edition (Eq. (16) up to m_mu) is unchanged by the new entries
    res21 = ccfr.evaluate(_couplings_at(MASSES, g2.value), edition="2021")
    assert 55.0 < MASSES[res21.status == Status.EXCLUDED].min() < 70.0


def test_2025_charm2_weaker_than_ccfr():
    masses = np.geomspace(10.0, 3000.0, 60)
    c = _couplings_at(masses, get("delta_a_mu", "2021").value)
    ccfr = get_constraint("ccfr_trident").evaluate(c, edition="2025")
    charm = get_constraint("charm2_trident").evaluate(c, edition="2025")
    assert np.all(charm.status != Status.NOT_APPLICABLE)
    assert np.all(ccfr.status[charm.status == Status.EXCLUDED] == Status.EXCLUDED)


def test_user_edition_with_other_beam_is_not_applicable(tmp_path):
    """A beam entry the shipped Q^2 table was not computed for gives not_applicable (no silent mismatch)."""
    f = tmp_path / "ed.yaml"
    f.write_text(
        "edition: other-beam\nextends: '2025'\ndescription: test\nmeasurements:\n"
        "  - id: trident_ccfr_beam_mine\n    name: trident_ccfr_beam\n    kind: input\n    value: 100000.0\n"
        "    uncertainty: 0.0\n    reference: 'mine, Phys. Rev. D 1 (2026) 1'\n"
        "    parameters: {count_1: 1.0, z_1: 26.0, rms_radius_fm_1: 3.7377}\n"
    )
    res = get_constraint("ccfr_trident").evaluate(_central_g2_couplings("2021"), edition=str(f))
    assert np.all(res.status == Status.NOT_APPLICABLE)
    ok = get_constraint("charm2_trident").evaluate(_central_g2_couplings("2021"), edition=str(f))
    assert np.all(ok.status != Status.NOT_APPLICABLE)

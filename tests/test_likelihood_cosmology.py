import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zprime import Couplings
from zprime.analyses.likelihood import anomalies, evaluate
from zprime.core.constants import G_F
from zprime.physics.constraints import EvalOptions, Status, chi2_threshold, get, select


def test_chi2_threshold():
    assert chi2_threshold(0.90) == pytest.approx(2.7055, rel=1e-4)
    assert chi2_threshold(0.95) == pytest.approx(1.96**2, rel=1e-3)
    with pytest.raises(ValueError, match="cl"):
        chi2_threshold(1.5)


def test_anomaly_pulls_and_chi2():
    c = Couplings(mass_mev=20.0, c_ae=2e-4, c_vmu=5e-4)
    an = anomalies(c, "2021", "cs")
    assert an.pull["mu"] == pytest.approx((an.delta_a["mu"] - 251e-11) / 59e-11)
    assert an.chi2 == pytest.approx(an.pull["e"] ** 2 + an.pull["mu"] ** 2)
    with pytest.raises(ValueError, match="ae"):
        anomalies(c, "2021", "xx")  # type: ignore[arg-type]


def test_bbn_mass_bound():
    k = get("bbn_planck")
    c = Couplings(
        mass_mev=np.array([5.0, 9.0, 10.0, 5.0, 5.0]),
        c_ae=np.array([1e-4, 1e-4, 1e-4, 1e-12, 0.0]),
        c_numu=np.array([0, 0, 0, 0, 1e-5]),
    )
    r = k.evaluate(c)
    assert r.status.tolist() == [
        Status.EXCLUDED,
        Status.EXCLUDED,
        Status.ALLOWED,
        Status.NOT_APPLICABLE,
        Status.EXCLUDED,
    ]
    assert r.limit[-1] == pytest.approx(8.3)


def test_white_dwarf_eq9_and_edges():
    k = get("white_dwarf")
    m = 20.0
    # exactly at the bound sqrt(C_e^2 C_nu^2)/m^2 = G_F
    cnu = G_F * m**2 / 1e-4
    c = Couplings(mass_mev=m, c_ae=1e-4, c_nue=np.array([0.99 * cnu, 1.01 * cnu]))
    r = k.evaluate(c)
    assert r.status.tolist() == [Status.ALLOWED, Status.EXCLUDED]
    assert r.value[0] == pytest.approx(0.99)
    # validity: contact interaction needs m >> T_WD
    r = k.evaluate(Couplings(mass_mev=0.01, c_ae=1.0, c_nue=1.0))
    assert r.status == Status.NOT_APPLICABLE


@given(m=st.floats(0.1, 1e3), ce=st.floats(-1e-3, 1e-3), cn=st.floats(-1e-3, 1e-3))
def test_white_dwarf_sign_symmetry(m, ce, cn):
    k = get("white_dwarf")
    a = k.evaluate(Couplings(mass_mev=m, c_ve=ce, c_nue=cn))
    b = k.evaluate(Couplings(mass_mev=m, c_ve=-ce, c_nue=-cn))
    assert a.status == b.status
    np.testing.assert_allclose(a.chi2, b.chi2)


def test_supernova_band():
    k = get("supernova")
    c = Couplings(mass_mev=10.0, c_nue=np.array([1e-13, 1e-10, 1e-6]))
    assert k.evaluate(c).status.tolist() == [0, 1, 0]
    assert k.evaluate(Couplings(mass_mev=500.0, c_nue=1e-10)).status == Status.NOT_APPLICABLE


def test_evaluate_combines_and_broadcasts():
    m = np.geomspace(1, 100, 4)[:, None]
    cnue = np.array([0.0, 1e-3])[None, :]
    ev = evaluate(Couplings(mass_mev=m, c_ae=2e-4, c_nue=cnue), [get("white_dwarf"), get("bbn_planck")])
    assert ev.allowed.shape == (4, 2)
    assert not ev.allowed[0, 0]  # BBN at 1 MeV
    assert not ev.allowed[:, 1].any()  # white dwarf with C_nue = 1e-3
    assert ev.blocking((0, 1)) == ["bbn_planck", "white_dwarf"]
    assert np.all(ev.chi2_total >= ev.anomalies.chi2)


def test_select_variants_and_projections():
    names = [k.name for k in select()]
    assert all(get(n).category == "current" for n in names)
    with pytest.raises(ValueError, match="ae"):
        EvalOptions(ae="xx")  # type: ignore[arg-type]


def test_supernova_not_applicable_when_trapped():
    """A Z' with charged-lepton couplings above the band escapes no more: the nu band does not apply."""
    k = get("supernova")
    c = Couplings(mass_mev=30.0, c_nue=1e-10, c_ve=np.array([0.0, 1e-8, 5e-4]))
    assert k.evaluate(c).status.tolist() == [Status.EXCLUDED, Status.EXCLUDED, Status.NOT_APPLICABLE]

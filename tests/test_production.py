"""Production mechanisms of the recast engine (zprime.physics.production; DarkCast, arXiv:1801.04847 Sec. 2.1)."""

import numpy as np
import pytest

from zprime.core import limit_curves as lc
from zprime.core.constants import E_CHARGE
from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.core.limits import MECHANISMS as SCHEMA_MECHANISMS
from zprime.physics import production as pr
from zprime.physics import recast as rc

MASSES = np.array([0.5, 10.0, 100.0, 130.0, 300.0, 500.0, 770.0, 783.0, 1019.0, 1500.0, 5000.0])


def _quarks(**kw: float) -> dict[str, float]:
    return {f"c_v{q}": kw.get(q, 0.0) for q in "udscbt"}


def test_schema_and_engine_share_the_vocabulary():
    groups = pr.FERMION_MECHANISMS + ("p_brem",) + pr.MIXING_MECHANISMS + pr.DECAY_MECHANISMS
    assert sorted(groups) == sorted(SCHEMA_MECHANISMS) == sorted(pr.MECHANISMS)


@pytest.mark.parametrize("mechanism", pr.MECHANISMS)
def test_dark_photon_normalisation_is_one(mechanism):
    eps = 3e-4
    g2 = pr.coupling_sq(rc.dark_photon(MASSES, eps), mechanism)
    assert np.allclose(g2 / (E_CHARGE * eps) ** 2, 1.0, rtol=1e-12, atol=0)


@pytest.mark.parametrize("mechanism", pr.MECHANISMS)
def test_zero_couplings_produce_nothing(mechanism):
    assert np.all(pr.coupling_sq(Couplings(mass_mev=MASSES), mechanism) == 0.0)


def test_fermion_lines_read_their_own_fermion():
    c = Couplings(mass_mev=MASSES, c_vmu=0.3, c_amu=0.4, c_ve=1e-3, c_vb=0.2, c_ab=0.1)
    assert np.allclose(pr.coupling_sq(c, "mu_brem"), 0.25)
    assert np.allclose(pr.coupling_sq(c, "mu_mu"), 0.25)
    assert np.allclose(pr.coupling_sq(c, "e_brem"), 1e-6)
    assert np.allclose(pr.coupling_sq(c, "b_b"), 0.05 * 9)  # (C_Vb² + C_Ab²)/Q_b²
    assert np.all(pr.coupling_sq(c, "u_u") == 0)


def test_isospin_and_flavour_structure_of_the_mixings():
    iso = Couplings(mass_mev=MASSES, **_quarks(u=0.1, d=0.1, s=0.1))  # isoscalar (B-L-like)
    assert np.all(pr.coupling_sq(iso, "rho0") == 0)
    assert np.all(pr.coupling_sq(iso, "omega_pi0") == 0)  # ω → π⁰X goes through the ρ only
    vec = Couplings(mass_mev=MASSES, **_quarks(u=0.1, d=-0.1))  # isovector
    assert np.all(pr.coupling_sq(vec, "omega") == 0)
    assert np.all(pr.coupling_sq(vec, "phi") == 0) and np.all(pr.coupling_sq(vec, "phi_eta") == 0)
    strange = Couplings(mass_mev=MASSES, **_quarks(s=0.05))
    assert np.allclose(pr.coupling_sq(strange, "phi_eta"), 9 * 0.05**2)
    assert np.allclose(pr.coupling_sq(strange, "phi"), 9 * 0.05**2)  # (C_Vs/Q_s)²
    assert np.all(pr.coupling_sq(strange, "rho0") == 0) and np.all(pr.coupling_sq(strange, "D*0_D0") == 0)
    up = Couplings(mass_mev=np.array([0.5]), **_quarks(u=0.1))  # D*0 -> D0 X: (C_Vu/Q_u)² at m << m_rho
    assert np.isclose(pr.coupling_sq(up, "D*0_D0")[0], (0.1 / (2 / 3)) ** 2, rtol=1e-5)


def test_meson_decays_in_the_low_mass_limit():
    """Eqs. (2.7)-(2.10) with every Breit-Wigner = 1: π⁰ → γX ∝ (2C_Vu + C_Vd)², φ → ηX ∝ C_Vs²; the
    generic A → B X formula reproduces both."""
    c = Couplings(mass_mev=np.array([1e-3]), **_quarks(u=0.2, d=-0.05, s=0.07))
    num = pr._decay_amplitude(c, "pi0_gamma", c.mass_mev)
    den = pr._decay_amplitude(None, "pi0_gamma", c.mass_mev)
    assert np.allclose(E_CHARGE**2 * np.abs(num / den) ** 2, pr.coupling_sq(c, "pi0_gamma"), rtol=1e-9)
    for m in MASSES:
        cm = c.replace(mass_mev=m)
        num = pr._decay_amplitude(cm, "phi_eta", m)
        den = pr._decay_amplitude(None, "phi_eta", m)
        assert np.isclose(E_CHARGE**2 * np.abs(num / den) ** 2, pr.coupling_sq(cm, "phi_eta"), rtol=1e-12)


def test_b_minus_l_eta_gamma_is_a_quarter_at_low_mass():
    """B−L (C_Vq = g/3): amplitude (1/9√6)·g against 2/(9√6)·e for the dark photon, so g_prod² = g²/4."""
    c = Couplings(mass_mev=np.array([1e-3]), **_quarks(u=1 / 3, d=1 / 3, s=1 / 3))
    assert np.isclose(pr.coupling_sq(c, "eta_gamma")[0], 0.25, rtol=1e-6)


def test_breit_wigner():
    for v in ("rho0", "omega", "phi"):
        assert np.isclose(pr.breit_wigner(v, 1e-6), 1.0)
        mv = pr.meson_data().mesons[v].mass_mev
        meson = pr.meson_data().mesons[v]
        k = sum(br for br, _, _ in meson.channels)  # k(m_V) = Σ BR of the listed channels
        peak = pr.breit_wigner(v, mv)
        assert np.isclose(abs(peak), mv / (meson.width_mev * k), rtol=1e-9)  # |BW(m_V)| = m_V/(Γ_V k)
    # below the first threshold the width vanishes: BW is real
    assert pr.breit_wigner("rho0", 200.0).imag == 0.0


def test_proton_bremsstrahlung_axial_term():
    m = np.array([1e-3, 500.0, 2000.0])
    c = Couplings(mass_mev=m, c_au=0.1, c_ad=0.1)
    g2 = pr.coupling_sq(c, "p_brem")
    d = pr.meson_data()
    assert np.isclose(g2[0], d.pbrem_axial * 0.3**2)
    assert g2[2] < g2[1] < g2[0]  # the axial form factor falls with the mass


def test_mixtures():
    c = Couplings(mass_mev=np.array([50.0, 100.0, 300.0]), c_ve=0.1, **_quarks(u=0.2, d=0.1))
    mix = pr.mixture({"e_e": 0.25, "pi0_gamma": 0.75})
    want = 0.25 * pr.coupling_sq(c, "e_e") + 0.75 * pr.coupling_sq(c, "pi0_gamma")
    assert np.allclose(mix.coupling_sq(c), want)
    tab = pr.mixture(["e_e", "pi0_gamma"], [[1.0, 0.0], [0.0, 1.0]], [75.0, 125.0])
    got = tab.coupling_sq(c)
    assert np.isclose(got[0], pr.coupling_sq(c, "e_e")[0])  # nearest row below the table
    assert np.isclose(got[1], 0.5 * pr.coupling_sq(c, "e_e")[1] + 0.5 * pr.coupling_sq(c, "pi0_gamma")[1])
    assert np.isclose(got[2], pr.coupling_sq(c, "pi0_gamma")[2])
    assert set(tab.couplings_used()) == {"c_ve", "c_ae", "c_vu", "c_vd"}
    with pytest.raises(InputError):
        pr.mixture({"e_gamma": 1.0})
    with pytest.raises(InputError):
        pr.coupling_sq(c, "pi_brem")


def test_shipped_mixtures_and_g_prime_file():
    charm = rc.search("charm_1985")
    assert isinstance(charm.production, pr.Mixture) and charm.production.fractions == (1.0, 0.0)
    faser = rc.search("faser_2023_preliminary")
    assert isinstance(faser.production, pr.Mixture) and faser.production.fractions is None
    c = Couplings(mass_mev=np.array([50.0, 150.0]), **_quarks(u=0.2, d=0.1, s=0.1))
    g2 = faser.production.coupling_sq(c)
    assert np.isclose(g2[0], pr.coupling_sq(c, "pi0_gamma")[0])  # π⁰ below m_π0 − 2m_e, η above
    assert np.isclose(g2[1], pr.coupling_sq(c, "eta_gamma")[1])
    # BaBar 2016 ships BaBar's g' (numbers_unit g): the curve is g'/e
    meta = lc.entry("babar_2016_mumu")
    raw = lc.read_curve(meta.numbers_path)
    assert np.array_equal(lc.curve("babar_2016_mumu").eps_lower, raw.eps_lower / E_CHARGE)
    assert rc.search("babar_2016_mumu").production == "mu_brem"


def test_couplings_used():
    assert pr.couplings_used("phi_eta") == ("c_vs",)
    assert pr.couplings_used("mu_brem") == ("c_vmu", "c_amu")
    assert set(pr.couplings_used("p_brem")) == {"c_vu", "c_vd", "c_au", "c_ad"}


def test_tabulated_proper_time_cuts():
    """LHCb: t1 = (0.004 GeV/(m − 2m_μ) + 0.1) ps; CMS: no cut below 45 GeV, 5 ps to 130 GeV (DarkCast)."""
    lhcb = rc.search("lhcb_2020_prompt")
    assert lhcb.windowed and isinstance(lhcb.production, pr.Mixture)
    m_gev = lhcb.t1_table[0][10] / 1e3
    assert np.isclose(lhcb.t1_s(np.array([m_gev * 1e3]))[0], (0.004 / (m_gev - 2 * 0.10566) + 0.1) * 1e-12)
    cms = rc.search("cms_2019")
    t1 = cms.t1_s(np.array([20e3, 44.9e3, 45.1e3, 129.9e3, 150e3]))
    assert t1[0] >= 1e3 and t1[1] >= 1e3 and np.allclose(t1[2:4], 5e-12)
    assert np.isclose(t1[4], -3.66e-11 + 3.12e-13 * 150)
    # a dark photon is its own reference: the recast returns the published curve
    m = cms.curve.mass_mev[5:8]
    b = rc.excluded_band("cms_2019", m, rc.dark_photon(m, 1.0), scale="direction")
    assert np.allclose(b.lower, cms.curve.eps_lower[5:8], rtol=1e-9)

"""CEvNS with a Z′ (zprime.physics.observables.cevns) and the COHERENT CsI 2017 constraint (coherent_csi)."""

import math

import mpmath
import numpy as np
import pytest

from zprime import Couplings
from zprime.core.constants import G_F, M_MU, M_Z, SIN2W_LOW_Q
from zprime.core.measurements import get
from zprime.physics.constraints import get as get_constraint
from zprime.physics.constraints.base import Status
from zprime.physics.constraints.parity_violation import QUARK_COUPLING_TAG
from zprime.physics.models import registry
from zprime.physics.observables import cevns as cv


def _bl(mass, g):
    return registry.get("b_minus_l").couplings(mass_mev=mass, g_prime=g, eps=0.0)


# ------------------------------------------------------------------------------------------ cross section
def test_sm_charge_is_minus_half_the_weak_charge():
    for name in cv.CSI_NUCLEI:
        nuc = cv.nucleus(name)
        q_w = nuc.n - (1.0 - 4.0 * SIN2W_LOW_Q) * nuc.z
        assert cv.sm_charge(nuc) == pytest.approx(-0.5 * q_w, rel=1e-14)


def test_zprime_copying_the_z_doubles_the_charge():
    """C_ν = g/(2c_W), C_Vq = g g_V^q/(2c_W), m = m_Z (g²/(4c_W² m_Z²) = √2 G_F): Q_eff(T → 0) = 2 Q_SM."""
    c0 = math.sqrt(math.sqrt(2.0) * G_F) * M_Z
    gu, gd = 0.5 - 4.0 / 3.0 * SIN2W_LOW_Q, -0.5 + 2.0 / 3.0 * SIN2W_LOW_Q
    c = Couplings(mass_mev=M_Z, c_numu=c0, c_nue=c0, c_vu=c0 * gu, c_vd=c0 * gd)
    for name in cv.CSI_NUCLEI:
        nuc = cv.nucleus(name)
        for fl in ("e", "mu"):
            q = cv.effective_charge(c, fl, nuc, 1e-12)
            assert q == pytest.approx(2.0 * cv.sm_charge(nuc), rel=1e-9)


def test_sign_and_normalisation_against_the_universal_formula():
    """Universal Z′ (C_ν = C_Vq = g) in the convention of Billard, Johnston, Kavanagh (arXiv:1805.01798,
    bradkav/CEvNS): Q_W → Q_W [1 − √2 (3A g²/Q_W)/(G_F (q² + m²))], Q_W = N − (1 − 4s²)Z = −2 Q_SM."""
    g, m, t = 3e-5, 15.0, 0.02
    c = Couplings(mass_mev=m, c_numu=g, c_vu=g, c_vd=g)
    nuc = cv.nucleus("cs")
    a = nuc.z + nuc.n
    q_w = nuc.n - (1.0 - 4.0 * SIN2W_LOW_Q) * nuc.z
    gv = 1.0 - math.sqrt(2.0) / G_F * (3.0 * a * g * g / q_w) / (2.0 * nuc.mass_mev * t + m * m)
    assert cv.effective_charge(c, "mu", nuc, t) == pytest.approx(-0.5 * q_w * gv, rel=1e-12)


def test_b_minus_l_raises_the_rate_universal_lowers_it():
    """B−L (C_ν = −g′, C_Vq = g′/3): the Z′ term has the sign of Q_SM (Cadeddu et al. 2008.05022)."""
    assert cv.rate_ratio(_bl(10.0, 1e-5)) > 1.0
    g = 1e-5
    assert cv.rate_ratio(Couplings(mass_mev=10.0, c_nue=g, c_numu=g, c_vu=g, c_vd=g)) < 1.0


def test_dsigma_dt_sm_limit_and_kinematics():
    nuc = cv.nucleus("i")
    e, t = 30.0, np.array([1e-3, 5e-3, 1e-2, 2e-2])
    sm = cv.dsigma_dt(None, "mu", e, t, nuc)
    heavy = cv.dsigma_dt(Couplings(mass_mev=1e6, c_numu=1e-3, c_vu=1e-3), "mu", e, t, nuc)
    tiny = cv.dsigma_dt(Couplings(mass_mev=1.0, c_numu=1e-15, c_vu=1e-15), "mu", e, t, nuc)
    np.testing.assert_allclose(heavy, sm, rtol=1e-6)
    np.testing.assert_allclose(tiny, sm, rtol=1e-12)
    assert np.all(sm[t <= cv.t_max(e, nuc.mass_mev)] > 0)
    assert cv.dsigma_dt(None, "mu", e, 1.01 * cv.t_max(e, nuc.mass_mev), nuc) == 0.0
    assert float(cv.e_min(cv.t_max(e, nuc.mass_mev), nuc.mass_mev)) == pytest.approx(e, rel=1e-12)
    assert float(cv.helm_form_factor(0.0, nuc)) == 1.0


def test_source_spectra_and_prompt_line():
    mpi = get("cevns_pion_dar_source").parameters["m_pi_plus_mev"]
    assert cv.prompt_energy_mev() == pytest.approx((mpi**2 - M_MU**2) / (2 * mpi), rel=1e-15)
    assert cv.prompt_energy_mev() == pytest.approx(29.79, abs=0.01)
    for kind in ("numubar", "nue"):
        norm = mpmath.quad(lambda e, k=kind: float(cv.michel_spectrum(k, float(e))), [0, M_MU / 2])
        assert float(norm) == pytest.approx(1.0, rel=1e-12)
    assert float(cv.michel_spectrum("nue", M_MU)) == 0.0


# ------------------------------------------------------------------------------------------ rate ratio
def test_rate_ratio_sm_limits():
    assert cv.rate_ratio(Couplings(mass_mev=10.0)) == 1.0
    assert cv.rate_ratio(Couplings(mass_mev=10.0, c_vu=1e-3, c_vd=1e-3)) == 1.0  # no ν coupling
    assert cv.rate_ratio(Couplings(mass_mev=10.0, c_numu=1e-3, c_nutau=1e-3)) == 1.0  # no quark coupling
    g = 1e-3  # B−L charges at m_Z′ = 1e6 MeV (beyond the model's mass range)
    heavy = Couplings(mass_mev=np.array([5e5, 1e6]), c_nue=-g, c_numu=-g, c_vu=g / 3, c_vd=g / 3)
    shift = cv.rate_ratio(heavy) - 1.0
    assert 0 < shift[0] < 2e-6
    assert shift[1] / shift[0] == pytest.approx(0.25, rel=1e-6)  # decouples as 1/m_Z′²
    assert abs(cv.rate_ratio(_bl(1.0, 1e-12)) - 1.0) < 1e-12


def test_rate_ratio_quadrature_converged():
    c = Couplings(
        mass_mev=np.array([1e-3, 0.3, 10.0, 60.0, 400.0, 5e3]),
        c_nue=-1e-4,
        c_numu=3e-5,
        c_vu=2e-5,
        c_vd=-5e-5,
    )
    r24, r96 = cv.rate_ratio(c), cv.rate_ratio(c, n_nodes=96)
    np.testing.assert_allclose(r24 - 1.0, r96 - 1.0, rtol=1e-10)


def test_rate_ratio_broadcasts():
    m = np.array([[1.0], [30.0], [300.0]])
    g = np.array([1e-5, 3e-5, 1e-4, 3e-4])
    r = cv.rate_ratio(_bl(m, g))
    assert r.shape == (3, 4)
    for i in range(3):
        for j in range(4):
            assert r[i, j] == pytest.approx(float(cv.rate_ratio(_bl(float(m[i, 0]), float(g[j])))), rel=1e-13)


def _mp_rate(c_nu: dict[str, float], cu: float, cd: float, mass: float) -> tuple[float, float]:
    """(N_SM, N_SM+Z′) by mpmath: an independent transcription of the rate (module docstring of cevns)."""
    mpmath.mp.dps = 20
    p = get("cevns_csi_targets").parameters
    w = get("cevns_csi_window").parameters
    mpi = mpmath.mpf(get("cevns_pion_dar_source").parameters["m_pi_plus_mev"])
    mmu = mpmath.mpf(M_MU)
    e_p = (mpi**2 - mmu**2) / (2 * mpi)
    lo, hi = w["pe_min"] / w["pe_per_kevnr"] / 1000, w["pe_max"] / w["pe_per_kevnr"] / 1000
    hbarc = mpmath.mpf("197.3269804")
    s2 = mpmath.mpf(SIN2W_LOW_Q)
    gf = mpmath.mpf(G_F)
    tot_sm, tot = mpmath.mpf(0), mpmath.mpf(0)
    for nuc in ("cs", "i"):
        z, n = mpmath.mpf(p[f"{nuc}_z"]), mpmath.mpf(p[f"{nuc}_n"])
        mn = mpmath.mpf(p[f"{nuc}_mass_u"]) * mpmath.mpf(p["atomic_mass_unit_mev"])
        cc = mpmath.mpf(p["helm_c1_fm"]) * (z + n) ** (mpmath.mpf(1) / 3) - mpmath.mpf(p["helm_c0_fm"])
        a, s = mpmath.mpf(p["helm_a_fm"]), mpmath.mpf(p["helm_s_fm"])
        rn = mpmath.sqrt(cc**2 + mpmath.mpf(7) / 3 * mpmath.pi**2 * a**2 - 5 * s**2)
        qsm = z * (mpmath.mpf(1) / 2 - 2 * s2) - n / 2
        x = z * (2 * cu + cd) + n * (cu + 2 * cd)

        def ff2(t, mn=mn, rn=rn, s=s):
            q = mpmath.sqrt(2 * mn * t) / hbarc
            y = q * rn
            return (3 * (mpmath.sin(y) - y * mpmath.cos(y)) / y**3 * mpmath.exp(-((q * s) ** 2) / 2)) ** 2

        def kin(e, t, mn=mn):
            return 1 - t / e - mn * t / (2 * e**2)

        def michel(kind, e):
            u = e / mmu
            return (
                64 * u**2 * (mpmath.mpf(3) / 4 - u) if kind == "numubar" else 192 * u**2 * (0.5 - u)
            ) / mmu

        t_top = min(mpmath.mpf(hi), 2 * (mmu / 2) ** 2 / (mn + mmu))
        t_p = 2 * e_p**2 / (mn + 2 * e_p)
        for fl, parts in (("mu", ("prompt", "numubar")), ("e", ("nue",))):
            a_fl = mpmath.mpf(c_nu[fl]) * x / (mpmath.sqrt(2) * gf)

            def src(t, parts=parts, mn=mn, t_p=t_p):
                val = mpmath.mpf(0)
                for part in parts:
                    if part == "prompt":
                        val += kin(e_p, t) if t <= t_p else 0
                    else:
                        emin = (t + mpmath.sqrt(t**2 + 2 * mn * t)) / 2
                        if emin < mmu / 2:
                            val += mpmath.quad(lambda e, k=part: michel(k, e) * kin(e, t), [emin, mmu / 2])
                return val

            def integrand(t, zprime, qsm=qsm, a_fl=a_fl, mn=mn, src=src, ff2=ff2):
                q = qsm + (a_fl / (2 * mn * t + mpmath.mpf(mass) ** 2) if zprime else 0)
                return gf**2 * mn / mpmath.pi * q**2 * ff2(t) * src(t)

            pts = [mpmath.mpf(lo), t_p, t_top] if lo < t_p < t_top else [mpmath.mpf(lo), t_top]
            tot_sm += mpmath.quad(lambda t, f=integrand: f(t, False), pts)
            tot += mpmath.quad(lambda t, f=integrand: f(t, True), pts)
    return float(tot_sm), float(tot)


def test_rate_ratio_against_independent_mpmath_integral():
    c_nu = {"e": -2e-5, "mu": 4e-5}
    cu, cd, mass = 3e-5, 1e-5, 20.0
    n_sm, n_z = _mp_rate(c_nu, cu, cd, mass)
    c = Couplings(mass_mev=mass, c_nue=c_nu["e"], c_numu=c_nu["mu"], c_vu=cu, c_vd=cd)
    r = float(cv.rate_ratio(c))
    assert r - 1.0 == pytest.approx(n_z / n_sm - 1.0, rel=1e-8)
    assert cv.sm_rate() == pytest.approx(n_sm, rel=1e-9)


# ------------------------------------------------------------------------------------------ constraint
def test_constraint_editions_and_reason():
    k = get_constraint("coherent_csi")
    c = _bl(10.0, 3e-5)
    r21 = k.evaluate(c, edition="2021")
    assert r21.status == Status.NOT_APPLICABLE and "coherent_csi_events" in r21.reason
    for ed in ("2023", "2025"):
        r = k.evaluate(c, edition=ed)
        assert r.applicable and r.value == pytest.approx(float(cv.rate_ratio(c)), rel=1e-15)
    assert QUARK_COUPLING_TAG in k.tags
    assert k.rule == "chi2" and k.experiment == "COHERENT"


def test_measured_ratio_from_the_data():
    from zprime.physics.constraints.coherent import measured_ratio

    obs, sm = get("coherent_csi_events", "2025"), get("coherent_csi_events_sm", "2025")
    assert (obs.value, obs.uncertainty, sm.value, sm.uncertainty) == (134.0, 22.0, 173.0, 48.0)
    x, sx = measured_ratio("2025")
    assert x == pytest.approx(134 / 173)
    assert sx == pytest.approx(x * math.hypot(22 / 134, 48 / 173))


def test_not_applicable_without_quark_or_neutrino_couplings():
    k = get_constraint("coherent_csi")
    for c in (
        Couplings(mass_mev=10.0, c_numu=1e-3),
        Couplings(mass_mev=10.0, c_vu=1e-3, c_vd=1e-3, c_nutau=1e-3),
        registry.get("lmu_ltau").couplings(mass_mev=10.0, g_prime=1e-3, eps=0.0),
    ):
        assert k.evaluate(c, edition="2025").status == Status.NOT_APPLICABLE


def test_nonfinite_ratio_is_not_applicable(monkeypatch):
    from zprime.physics.constraints import coherent

    monkeypatch.setattr(coherent.cevns, "rate_ratio", lambda c, ed=None: np.full(c.shape, np.inf))
    r = get_constraint("coherent_csi").evaluate(_bl(np.array([1.0, 2.0]), 1e-5), edition="2025")
    assert np.all(r.status == Status.NOT_APPLICABLE)
    assert "not finite" in r.reason


@pytest.mark.parametrize(("mass", "g90"), [(1.0, 3.65e-5), (100.0, 7.46e-5), (1000.0, 6.44e-4)])
def test_b_minus_l_exclusion(mass, g90):
    """90% CL B−L coupling (documented in docs/constraints.md): excluded just above, allowed just below."""
    k = get_constraint("coherent_csi")
    r = k.evaluate(_bl(mass, np.array([0.99 * g90, 1.01 * g90])), edition="2025")
    assert list(r.status) == [Status.ALLOWED, Status.EXCLUDED]


def test_rate_ratio_of_a_point_does_not_depend_on_the_batch():
    """Each point's recoil sums are its own row reductions: alone, in a random batch or in a grid of
    couplings per mass (which shares the sums of equal masses), the same number bit for bit."""
    rng = np.random.default_rng(3)
    masses = 10 ** rng.uniform(0, 3, 40)
    g = 10 ** rng.uniform(-6, -3, 25)
    mass = np.repeat(masses, g.size)
    coupling = np.tile(g, masses.size)

    def at(i: slice | np.ndarray | int) -> Couplings:
        g = coupling[i]
        return Couplings(mass_mev=mass[i], c_vu=g, c_vd=-0.5 * g, c_numu=g, c_nue=0.3 * g)

    r_grid = cv.rate_ratio(at(slice(None)), "2025")
    order = rng.permutation(mass.size)  # no two equal masses in a row: every point's own sums
    assert cv.rate_ratio(at(order), "2025").tobytes() == r_grid[order].tobytes()
    for i in rng.choice(mass.size, 5, replace=False):
        assert float(cv.rate_ratio(at(int(i)), "2025")) == r_grid[i]
    assert np.all(r_grid != 1.0)  # the Z' shifts every point

"""Weak-charge constraints of a general Z′ (Qweak, Cs APV): zprime.physics.constraints.parity_violation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from zprime.core.constants import E_CHARGE, G_F, M_Z
from zprime.core.couplings import Couplings
from zprime.core.measurements import get as measurement
from zprime.physics.constraints import EvalOptions, Status, get
from zprime.physics.constraints import parity_violation as pv
from zprime.physics.constraints.base import chi2_threshold
from zprime.physics.models.dark_z import darkz_couplings
from zprime.physics.models.registry import get as model
from zprime.physics.observables import weak_charges as wc
from zprime.physics.observables.apv_nuclear import k_factor
from zprime.physics.observables.darkz_mixing import rho_d

POINTS = [(20.0, 1e-3, 1e-3), (200.0, -3e-3, 2e-4), (5.0, 1e-4, -5e-3), (1500.0, 2e-3, 3e-3)]


def _norm(s2: float) -> float:
    """𝒩 = e²/(4 s² c² m_Z² √2 G_F): the Z_d normalisation of the couplings relative to the G_F one."""
    return E_CHARGE**2 / (4.0 * s2 * (1.0 - s2) * M_Z**2 * math.sqrt(2.0) * G_F)


def _cases():
    """(Z, N, s², f(m), general ΔQ_W function, dark-Z Q_W function, quoted SM Q_W) for Qweak and APV."""
    q2 = wc.qweak_q2_mev2()
    s2p, s2a = wc.sin2w_at(math.sqrt(q2)), wc.sin2w_at(wc.apv_q_mev())
    cs = measurement("qw_cs_sm").parameters
    return [
        (
            1,
            0,
            s2p,
            lambda m: m * m / (m * m + q2),
            pv.delta_qw_proton,
            wc.qw_proton_darkz,
            wc.qw_proton_sm(),
        ),
        (cs["Z"], cs["N"], s2a, k_factor, pv.delta_qw_cs, wc.qw_cs_darkz, wc.qw_cs_sm()),
    ]


@pytest.mark.parametrize("case", [0, 1], ids=["qweak", "apv"])
@pytest.mark.parametrize("m, eps, delta", POINTS)
def test_reproduces_dark_z_weak_charges(case: int, m: float, eps: float, delta: float) -> None:
    """The general ΔQ_W with the dark-Z couplings equals the dark-Z module's shift, piece by piece.

    Dark-Z module (Cadeddu Eqs. (24), (26)): Q_W = ρ_d [Q_W^SM − 4Zs²(κ_d − 1)(1 − α/2π)], normalised by G_F.
    General formula with darkz_couplings: ΔQ_W = 𝒩 [(ρ_d − 1) Q_W^tree − 4Zs²(κ_d − 1)].
    """
    z, n, s2, f_of, general, darkz, qw_sm = _cases()[case]
    f = float(f_of(m))
    c = darkz_couplings(m, eps, delta, sin2w=s2)
    g = float(general(c)) / _norm(s2)
    qw_tree = float(wc.qw_tree(z, n, s2))
    # (1) ε = 0: only ρ_d − 1 = δ² f, multiplying Q_W^tree here and the quoted Q_W^SM in the module
    g0 = float(general(darkz_couplings(m, 0.0, delta, sin2w=s2))) / _norm(s2)
    d0 = float(darkz(m, 0.0, delta)) - qw_sm
    assert g0 / qw_tree == pytest.approx(d0 / qw_sm, rel=1e-9)
    # (2) the κ_d piece at ε ≠ 0: module shift without the ρ_d part, divided by ρ_d (1 − α/2π)
    rho = float(rho_d(m, eps, delta, f, s2))
    d_kappa = (float(darkz(m, eps, delta)) - rho * qw_sm) / (rho * wc.QED_FACTOR)
    g_kappa = g - (rho - 1.0) * qw_tree
    assert g_kappa == pytest.approx(d_kappa, rel=1e-6)
    # (3) the same sign overall, and the total agrees to the size of the documented conversions
    d = float(darkz(m, eps, delta)) - qw_sm
    assert np.sign(g) == np.sign(d) or abs(g) < 1e-12


def test_normalisation_is_tree_level_one() -> None:
    """𝒩 = 1 at tree level; with α(0) and the low-Q s² it is ≈ 0.92 (documented in the module)."""
    assert 0.85 < _norm(wc.sin2w_at(wc.apv_q_mev())) < 1.0


def test_hand_computation_qweak() -> None:
    """ΔQ_W^p = 2√2 C_Ae (2 C_Vu + C_Vd)/(G_F (m² + Q²)) at one point, and ΔC_1q."""
    m, cae, cvu, cvd = 30.0, 2e-5, 3e-5, -1e-5
    q2 = 0.0248e6
    hand = 2.0 * math.sqrt(2.0) * cae * (2 * cvu + cvd) / (G_F * (m * m + q2))
    c = Couplings(mass_mev=m, c_ae=cae, c_vu=cvu, c_vd=cvd)
    assert float(pv.delta_qw_proton(c)) == pytest.approx(hand, rel=1e-12)
    p = 1.0 / (m * m + q2)
    c1u, c1d = pv.delta_c1q(cae, cvu, p), pv.delta_c1q(cae, cvd, p)
    assert float(-2.0 * (2 * c1u + c1d)) == pytest.approx(hand, rel=1e-12)
    r = get("qweak_proton").evaluate(c)
    assert float(r.value) == pytest.approx(0.0711 + hand, rel=1e-12)
    assert float(r.limit) == pytest.approx(0.0719)
    sigma = math.hypot(0.0045, 0.0002)
    assert float(r.chi2) == pytest.approx(((0.0711 + hand - 0.0719) / sigma) ** 2, rel=1e-9)


def test_hand_computation_apv() -> None:
    """ΔQ_W^Cs = 2√2 C_Ae (188 C_Vu + 211 C_Vd) K(m)/(G_F m²) (Z = 55, N = 78)."""
    m, cae, cvu, cvd = 50.0, 1e-6, 2e-6, 1e-6
    hand = 2.0 * math.sqrt(2.0) * cae * (188 * cvu + 211 * cvd) * float(k_factor(m)) / (G_F * m * m)
    c = Couplings(mass_mev=m, c_ae=cae, c_vu=cvu, c_vd=cvd)
    assert float(pv.delta_qw_cs(c)) == pytest.approx(hand, rel=1e-12)
    r = get("apv_cs").evaluate(c)
    assert float(r.value) == pytest.approx(-73.23 + hand, rel=1e-12)
    assert float(r.limit) == pytest.approx(-72.82)


@pytest.mark.parametrize("name", ["b_minus_l", "dark_photon"])
@pytest.mark.parametrize("constraint", ["qweak_proton", "apv_cs"])
def test_pure_vector_models_not_applicable(name: str, constraint: str) -> None:
    """C_A = 0: no shift, and the weak charges give no bound (not applicable)."""
    mdl = model(name)
    params = {p.name: 1e-3 for p in mdl.parameters if p.name != "mass_mev"}
    c = mdl.couplings(mass_mev=np.geomspace(1.0, 1e4, 7), **params)
    assert np.all(pv.delta_qw_proton(c) == 0.0)
    assert np.all(pv.delta_qw_cs(c) == 0.0)
    r = get(constraint).evaluate(c)
    assert np.all(r.status == Status.NOT_APPLICABLE)
    assert np.all(r.chi2 == 0.0)


@pytest.mark.parametrize("constraint", ["qweak_proton", "apv_cs"])
def test_no_quark_or_no_axial_coupling_not_applicable(constraint: str) -> None:
    c = Couplings(mass_mev=[10.0, 10.0, 10.0], c_ae=[1e-3, 0.0, 1e-3], c_vu=[0.0, 1e-3, 1e-3])
    r = get(constraint).evaluate(c)
    assert list(r.status) == [Status.NOT_APPLICABLE, Status.NOT_APPLICABLE, Status.EXCLUDED]


@pytest.mark.parametrize("constraint", ["qweak_proton", "apv_cs"])
def test_large_excluded_small_allowed(constraint: str) -> None:
    m = np.array([1.0, 30.0, 300.0, 3000.0])
    big = Couplings(mass_mev=m, c_ae=1e-2, c_vu=1e-2, c_vd=1e-2)
    small = Couplings(mass_mev=m, c_ae=1e-9, c_vu=1e-9, c_vd=1e-9)
    k = get(constraint)
    assert np.all(k.evaluate(big).status == Status.EXCLUDED)
    assert np.all(k.evaluate(small).status == Status.ALLOWED)
    # a cancelling combination (2Z+N) C_Vu + (Z+2N) C_Vd = 0 has zero shift and is judged (allowed)
    z, n = (1, 0) if constraint == "qweak_proton" else (55, 78)
    cancel = Couplings(mass_mev=m, c_ae=1e-2, c_vu=(z + 2 * n) * 1e-2, c_vd=-(2 * z + n) * 1e-2)
    assert np.all(k.evaluate(cancel).status == Status.ALLOWED)


def test_cl_threshold_and_option() -> None:
    """Excluded iff χ² > χ²₁(CL); the CL option of an evaluation overrides the default 90%."""
    k = get("qweak_proton")
    assert k.cl == pv.PV_DEFAULT_CL
    sigma = math.hypot(0.0045, 0.0002)
    m = 100.0
    unit = float(pv.delta_qw_proton(Couplings(mass_mev=m, c_ae=1.0, c_vu=1.0)))
    for cl in (0.90, 0.95):
        z = math.sqrt(chi2_threshold(cl))
        edge = (0.0719 - 0.0711 + z * sigma) / unit  # upper edge of C_Ae C_Vu
        inside = Couplings(mass_mev=m, c_ae=1.0, c_vu=edge * (1 - 1e-6))
        outside = Couplings(mass_mev=m, c_ae=1.0, c_vu=edge * (1 + 1e-6))
        opts = EvalOptions(cl=cl)
        assert k.evaluate(inside, opts).status[()] == Status.ALLOWED
        assert k.evaluate(outside, opts).status[()] == Status.EXCLUDED


def test_nonfinite_never_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """A non-finite prediction (here forced through the propagator) is not applicable, with a reason."""
    monkeypatch.setattr(pv, "qweak_propagator", lambda m, edition=None: np.full(np.shape(m), np.inf))
    c = Couplings(mass_mev=[10.0, 20.0], c_ae=1e-3, c_vu=1e-3)
    r = get("qweak_proton").evaluate(c)
    assert np.all(r.status == Status.NOT_APPLICABLE)
    assert r.reason


def test_finite_everywhere_in_range() -> None:
    """With couplings up to 4π the predictions stay finite at all masses (P ≤ 1/Q², K/m² at m ≥ 0.05 MeV)."""
    m = np.geomspace(1e-6, 1e6, 50)
    c = Couplings(mass_mev=m, c_ae=12.0, c_vu=12.0, c_vd=12.0)
    for name in ("qweak_proton", "apv_cs"):
        r = get(name).evaluate(c)
        assert np.all(np.isfinite(r.value[r.applicable]))
        assert not np.any(r.allowed & ~np.isfinite(r.value))


def test_apv_mass_range() -> None:
    lo, hi = pv.apv_mass_range_mev()
    k = get("apv_cs")
    assert k.mass_range_mev == (lo, hi) and hi == math.inf
    c = Couplings(mass_mev=[lo / 2, lo * 2, 1e5], c_ae=1.0, c_vu=1.0)
    assert list(k.evaluate(c).status) == [Status.NOT_APPLICABLE, Status.EXCLUDED, Status.EXCLUDED]


def test_metadata() -> None:
    q, a = get("qweak_proton"), get("apv_cs")
    assert (q.experiment, q.label, q.category) == ("Qweak", "Qweak 2018", "current")
    assert (a.experiment, a.label, a.category) == ("Cs APV", "Cs APV (Wood 1997)", "current")
    assert q.measurements == ("qw_proton_qweak", "qw_proton_sm")
    assert a.measurements == ("qw_cs_pdg", "qw_cs_sm")
    # lepton-class viability verdicts (quark charges free) leave the weak charges out by this tag
    assert pv.QUARK_COUPLING_TAG in q.tags and pv.QUARK_COUPLING_TAG in a.tags
    assert pv.qweak_q2_mev2() == pytest.approx(0.0248e6)


def test_dark_z_is_constrained() -> None:
    """The dark Z_d (C_Ae and C_Vq both non-zero) is judged, and large mixing is excluded."""
    c = model("dark_z").couplings(mass_mev=30.0, epsilon=1e-2, delta=1e-2)
    for name in ("qweak_proton", "apv_cs"):
        assert get(name).evaluate(c).status[()] == Status.EXCLUDED

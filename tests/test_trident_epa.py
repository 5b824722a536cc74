"""Trident cross section with the Z' propagator (equivalent-photon approximation, Altmannshofer et al.
arXiv:1406.2332, 1902.06765): the νγ → νμμ amplitude and phase space, the tabulated Q² spectra and the ratio
σ/σ_SM built from them (limits: heavy Z' → the four-fermion ratio of 1406.2332; light Z' → the form of
Bodas Eq. (16))."""

import math

import mpmath
import numpy as np
import pytest

from zprime.core.constants import ALPHA, G_F, M_MU
from zprime.core.errors import InputError
from zprime.core.measurements import get
from zprime.physics.observables import trident_epa as epa
from zprime.physics.observables.trident import (
    G_A_SM,
    G_V_SM,
    TRIDENT_EXPERIMENTS,
    load_q2_spectra,
    trident_ratio_heavy,
    trident_ratio_propagator,
)


def test_spinor_completeness():
    p = np.array([[5.0, 1.0, 2.0, -3.0]])
    m = math.sqrt(25.0 - 14.0)
    u, v = epa.spinors_u(p, m), epa.spinors_v(p, m)
    np.testing.assert_allclose(u[0] @ epa.bar(u)[0], epa.slash(p[0]) + m * np.eye(4), atol=1e-12)
    np.testing.assert_allclose(v[0] @ epa.bar(v)[0], epa.slash(p[0]) - m * np.eye(4), atol=1e-12)


def _one_event(s_hat: float, seed: int = 5):
    captured = {}
    real = epa.squared_amplitudes

    def spy(p, q, pn, p1, p2):
        captured.update(p=p, q=q, pn=pn, p1=p1, p2=p2)
        return real(p, q, pn, p1, p2)

    epa.squared_amplitudes = spy
    try:
        epa.nu_gamma_events(np.full(4, s_hat), np.random.default_rng(seed), 1e-6)
    finally:
        epa.squared_amplitudes = real
    return captured


def test_kinematics_and_gauge_invariance():
    k = _one_event(50.0 * M_MU**2)
    np.testing.assert_allclose(k["p"] + k["q"] - k["pn"] - k["p1"] - k["p2"], 0.0, atol=1e-6)
    np.testing.assert_allclose(epa.mdot(k["p1"], k["p1"]), M_MU**2, rtol=1e-9)
    np.testing.assert_allclose(epa.mdot(k["p2"], k["p2"]), M_MU**2, rtol=1e-9)
    # the muon line with the photon polarisation replaced by its momentum vanishes (Ward identity)
    s1 = epa.slash(k["p1"] - k["q"]) + M_MU * np.eye(4)
    s1 /= (epa.mdot(k["p1"] - k["q"], k["p1"] - k["q"]) - M_MU**2)[:, None, None]
    s2 = epa.slash(k["q"] - k["p2"]) + M_MU * np.eye(4)
    s2 /= (epa.mdot(k["q"] - k["p2"], k["q"] - k["p2"]) - M_MU**2)[:, None, None]
    ub, v = epa.bar(epa.spinors_u(k["p1"], M_MU)), epa.spinors_v(k["p2"], M_MU)
    for vertex in (epa.GAMMA_LOW[1], epa.GAMMA_LOW[0] @ epa.GAMMA5):
        for eps, tol in ((epa.slash(k["q"]), 1e-9), (epa.slash(np.array([0.0, 1.0, 0.0, 0.0])), None)):
            amp = np.abs(ub @ (eps @ s1 @ vertex + vertex @ s2 @ eps) @ v).max()
            if tol is None:
                assert amp > 1e-3
            else:
                assert amp < tol


def test_phase_space_volume():
    """Σ dΦ₃ of the sampler = ŝ/(256π³) for massless final states (m_μ² ≪ ŝ here)."""
    real = epa.squared_amplitudes
    epa.squared_amplitudes = lambda p, *a: (np.ones(len(p)),) * 3
    try:
        s = 1e6 * M_MU**2
        ev = epa.nu_gamma_events(np.full(40000, s), np.random.default_rng(1), 1e-8)
    finally:
        epa.squared_amplitudes = real
    norm = 0.5 * G_F**2 * 4.0 * math.pi * ALPHA / (2.0 * s)
    assert ev.w_vv.mean() / norm == pytest.approx(s / (256.0 * math.pi**3), rel=0.02)


def test_nu_gamma_leading_log():
    """σ(νγ → νμμ) grows like (g_V² + g_A²) G_F² α ŝ/(9π²) · log(ŝ/m_μ²) at ŝ ≫ m_μ²: the photon splitting
    into μ⁺μ⁻ (α/2π)(x² + (1 − x)²) log(ŝ/m_μ²) times σ(ν_μ μ^∓ → ν_μ μ^∓), summed over μ⁻ and μ⁺."""
    rng = np.random.default_rng(7)
    sig = []
    for r in (1e4, 1e6):
        s = r * M_MU**2
        ev = epa.nu_gamma_events(np.full(40000, s), rng, 1e-8)
        sig.append(ev.w_vv.mean() / (G_F**2 * ALPHA * s / math.pi**2))
        # V and A agree at ŝ ≫ m_μ² (chirality), their interference vanishes (C symmetry)
        assert ev.w_aa.mean() == pytest.approx(ev.w_vv.mean(), rel=0.02)
        assert abs(ev.w_va.mean()) < 0.05 * ev.w_vv.mean()
    slope = (sig[1] - sig[0]) / math.log(100.0)
    assert slope == pytest.approx(1.0 / 9.0, rel=0.05)


def test_photon_flux_matches_quadrature():
    """∫_{q²min}^∞ dq²/q² exp(−q²⟨r²⟩/3) = E₁(q²min⟨r²⟩/3), checked with mpmath."""
    s, e, r = 2.0e6, 1.6e5, 3.7377
    rr = r / 197.3269804
    q2min = (s / (2 * e)) ** 2
    ref = mpmath.quad(lambda q2: mpmath.exp(-q2 * rr**2 / 3) / q2, [q2min, 10 * q2min, mpmath.inf])
    assert epa.photon_log_flux(s, e, r) == pytest.approx(float(ref), rel=1e-8)


@pytest.mark.parametrize("key", sorted(TRIDENT_EXPERIMENTS))
def test_table_made_from_current_entries(key):
    """data/trident/q2_spectra.yaml was computed from the beam entries (else rerun tools/trident_spectrum.py)."""
    spec = load_q2_spectra()[key]
    entry = get(TRIDENT_EXPERIMENTS[key], "2025")
    assert spec.energy_mev == entry.value
    assert [list(n) for n in spec.nuclei] == [list(n) for n in epa.nuclei_of(entry.parameters)]


@pytest.mark.parametrize("key", sorted(TRIDENT_EXPERIMENTS))
def test_heavy_limit_is_four_fermion_ratio(key):
    """m_Z' → ∞: the ratio of 1406.2332, [(g_V + K/m²)² + g_A²]/(g_V² + g_A²), up to σ_V ≠ σ_A from m_μ."""
    spec = load_q2_spectra()[key]
    m, c = 1.0e6, np.array([3e-3, 3e-2, 0.3])
    full, heavy = trident_ratio_propagator(m, c, c, key), trident_ratio_heavy(m, c, c)
    # with σ_V = σ_A the two agree exactly; the muon mass makes σ_V/σ_A < 1 (0.8 - 0.95)
    assert 0.75 < spec.sigma_vector / spec.sigma_axial < 1.0
    w = G_V_SM**2 + G_A_SM**2
    wv = (G_V_SM**2 * spec.sigma_vector + G_A_SM**2 * spec.sigma_axial) / spec.sigma_vector
    np.testing.assert_allclose((full - 1.0) * wv, (heavy - 1.0) * w, rtol=2e-3)


def test_light_limit_has_the_form_of_eq16():
    """m_Z' ≪ m_μ: 1 + a₁ C_V C_ν + a₂ (C_V C_ν)² log(1/m²) + const: the linear term is mass independent and the
    quadratic one logarithmic (Bodas Eq. (16))."""
    x = 1e-5
    m = np.array([1e-2, 1e-1, 1.0])
    lin = (trident_ratio_propagator(m, x, 1.0) - trident_ratio_propagator(m, -x, 1.0)) / 2.0
    quad = (trident_ratio_propagator(m, x, 1.0) + trident_ratio_propagator(m, -x, 1.0)) / 2.0 - 1.0
    np.testing.assert_allclose(lin[:2], lin[0], rtol=1e-4)
    steps = np.diff(quad) / np.diff(-2.0 * np.log(m))
    np.testing.assert_allclose(steps[0], steps[1], rtol=0.02)


def test_broadcasting_and_bad_input():
    m = np.geomspace(1.0, 1e4, 7)[:, None]
    c = np.array([1e-4, 1e-3])[None, :]
    r = trident_ratio_propagator(m, c, c)
    assert r.shape == (7, 2)
    np.testing.assert_allclose(r[3, 1], trident_ratio_propagator(m[3, 0], c[0, 1], c[0, 1]))
    with pytest.raises(InputError):
        trident_ratio_propagator(0.0, 1e-3, 1e-3)
    with pytest.raises(InputError):
        trident_ratio_propagator(10.0, 1e-3, 1e-3, experiment="nutev")


def test_documented_numbers():
    """Numbers quoted in docs/constraints.md and docs/physics/trident.md (CCFR, 95% CL: 0.82 + 1.96·0.28)."""
    from scipy.optimize import brentq

    lim = 0.82 + 1.96 * 0.28
    g = brentq(lambda g: trident_ratio_propagator(1e5, g, g) - lim, 1e-3, 10.0)
    assert 1e5 / g / 1e3 == pytest.approx(538.0, rel=0.01)
    g = brentq(lambda g: trident_ratio_heavy(1e5, g, g) - lim, 1e-3, 10.0)
    assert 1e5 / g / 1e3 == pytest.approx(543.0, rel=0.01)
    # light-Z' coefficients of the form of Bodas Eq. (16)
    for key, a1_doc, a2_doc in (("ccfr", 1.8e5, 5.1e10), ("charm2", 5.0e5, 2.1e11)):
        x = 1e-6
        a1 = (trident_ratio_propagator(1e-2, x, 1.0, key) - trident_ratio_propagator(1e-2, -x, 1.0, key)) / (
            2 * x
        )
        q = [trident_ratio_propagator(m, x, 1.0, key) - 1.0 - a1 * x for m in (1e-2, 1e-1)]
        a2 = (q[0] - q[1]) / x**2 / math.log(100.0)
        assert a1 == pytest.approx(a1_doc, rel=0.03)
        assert a2 == pytest.approx(a2_doc, rel=0.05)

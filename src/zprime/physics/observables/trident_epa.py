"""Neutrino trident production ν_μ N → ν_μ μ⁺μ⁻ N in the equivalent-photon approximation (EPA).

Follows Altmannshofer, Gori, Pospelov, Yavin, PRL 113 (2014) 091801 (arXiv:1406.2332) and Altmannshofer,
Gori, Martín-Albo, Sousa, Wallbank, PRD 100 (2019) 115029 (arXiv:1902.06765, Sec. II): the coherent cross
section is the νγ → νμ⁺μ⁻ cross section folded with the photon flux of the nucleus,

    σ(νN → νNμμ) = (Z²α/π) ∫ dŝ/ŝ σ_νγ(ŝ) ∫_{(ŝ/2E_ν)²} dq²/q² F²(q²),

with F the nuclear charge form factor (here Gaussian, F² = exp(−q²⟨r²⟩/3)). σ_νγ is computed here from the
tree amplitude of the four-fermion interaction (G_F/√2)[ν̄γ^α(1−γ₅)ν][μ̄γ_α(g_V − g_Aγ₅)μ] with the photon
attached to either muon line, summed over spins with explicit Dirac spinors, on a Monte-Carlo sample of the
three-body phase space. The sample is binned in Q² = −(p_ν − p_ν')², the virtuality of the line joining the
neutrino and muon currents: a Z' adds C_νμ C_Vμ / (√2 G_F (Q² + m_Z'²)) to g_V at that Q² (propagator kept).

Status (work in progress, used by no constraint yet): the amplitude is gauge invariant, the spinors and the
phase space are tested (``tests/test_trident_epa.py``); the sampling of σ_νγ is not yet converged for
ŝ ≳ 10³ m_μ² (heavy-tailed weights from the collinear muon-propagator regions at large Q²), so no Q² spectrum
is tabulated yet. The plan: tabulate the V and A parts of dσ/dQ² per experiment (beam energy, target nuclei
from data entries) and fold them with g_V → g_V + C_νμ C_Vμ / (√2 G_F (Q² + m_Z'²)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import exp1

from zprime.core.constants import ALPHA, G_F, HBAR_C_MEV_FM, M_MU

_I2 = np.eye(2, dtype=complex)
_Z2 = np.zeros((2, 2), dtype=complex)
_SIG = (
    np.array([[0, 1], [1, 0]], dtype=complex),
    np.array([[0, -1j], [1j, 0]], dtype=complex),
    np.array([[1, 0], [0, -1]], dtype=complex),
)
#: γ^μ in the Dirac representation, γ₅ and γ_μ (lower index, metric +−−−).
GAMMA = np.array(
    [np.block([[_I2, _Z2], [_Z2, -_I2]])] + [np.block([[_Z2, s], [-s, _Z2]]) for s in _SIG], dtype=complex
)
GAMMA5 = np.block([[_Z2, _I2], [_I2, _Z2]])
_METRIC = np.array([1.0, -1.0, -1.0, -1.0])
GAMMA_LOW = GAMMA * _METRIC[:, None, None]


def slash(p: np.ndarray) -> np.ndarray:
    """p̸ = p^μ γ_μ for 4-vectors ``p`` of shape (..., 4): shape (..., 4, 4)."""
    return np.einsum("...m,mij->...ij", p.astype(complex), GAMMA_LOW)


def mdot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Minkowski product a·b (metric +−−−) over the last axis."""
    return a[..., 0] * b[..., 0] - np.sum(a[..., 1:] * b[..., 1:], axis=-1)


def spinors_u(p: np.ndarray, m: float) -> np.ndarray:
    """u(p, s) for both spin states, shape (N, 4, 2): (p̸ + m) u₀_s / √(E + m), Dirac representation."""
    u0 = np.zeros((4, 2), dtype=complex)
    u0[0, 0] = u0[1, 1] = 1.0
    return (slash(p) + m * np.eye(4)) @ u0 / np.sqrt(p[:, 0] + m)[:, None, None]


def spinors_v(p: np.ndarray, m: float) -> np.ndarray:
    """v(p, s) for both spin states, shape (N, 4, 2): (−p̸ + m) v₀_s / √(E + m)."""
    v0 = np.zeros((4, 2), dtype=complex)
    v0[2, 0] = v0[3, 1] = 1.0
    return (-slash(p) + m * np.eye(4)) @ v0 / np.sqrt(p[:, 0] + m)[:, None, None]


def bar(u: np.ndarray) -> np.ndarray:
    """Dirac adjoint ū = u†γ⁰ of spinors (N, 4, 2): shape (N, 2, 4)."""
    return np.conj(np.swapaxes(u, -1, -2)) @ GAMMA[0]


def squared_amplitudes(p: np.ndarray, q: np.ndarray, pn: np.ndarray, p1: np.ndarray, p2: np.ndarray):
    """Spin-summed, photon-averaged |M|² of ν(p) γ(q) → ν(pn) μ⁻(p1) μ⁺(p2) per unit (G_F/√2)² e².

    The photon moves along −z (transverse polarisations x, y). Returns (T_VV, T_AA, T_VA) with
    ½Σ|g_V M_V + g_A M_A|² = g_V² T_VV + g_A² T_AA + g_V g_A T_VA.
    """
    n = p.shape[0]
    eps = np.array([slash(np.array([0.0, 1.0, 0.0, 0.0])), slash(np.array([0.0, 0.0, 1.0, 0.0]))])
    s1 = slash(p1 - q) + M_MU * np.eye(4)
    s1 /= (mdot(p1 - q, p1 - q) - M_MU**2)[:, None, None]
    s2 = slash(q - p2) + M_MU * np.eye(4)
    s2 /= (mdot(q - p2, q - p2) - M_MU**2)[:, None, None]
    # neutrino current J^α = ū(pn) γ^α (1 − γ5) u(p), all spin labels (the projector keeps ν_L)
    proj = GAMMA @ (np.eye(4) - GAMMA5)
    j = np.einsum("nbi,xij,nja->nxab", bar(spinors_u(pn, 0.0)), proj, spinors_u(p, 0.0))
    ub1 = bar(spinors_u(p1, M_MU))
    v2 = spinors_v(p2, M_MU)
    out = []
    for vertex in (GAMMA_LOW, -GAMMA_LOW @ GAMMA5):
        # ū(p1) [ε̸ S(p1 − q) Γ_α + Γ_α S(q − p2) ε̸] v(p2): photon on the μ⁻ or on the μ⁺ line
        k = np.einsum("lij,njk,xkm->nxlim", eps, s1, vertex) + np.einsum(
            "xij,njk,lkm->nxlim", vertex, s2, eps
        )
        r = np.einsum("nsi,nxlij,njt->nxlst", ub1, k, v2)
        out.append(np.einsum("nxab,nxlst->nablst", j, r).reshape(n, -1))
    mv, ma = out
    t_vv = 0.5 * np.sum(np.abs(mv) ** 2, axis=1)
    t_aa = 0.5 * np.sum(np.abs(ma) ** 2, axis=1)
    t_va = 0.5 * np.sum(2.0 * np.real(mv * np.conj(ma)), axis=1)
    return t_vv, t_aa, t_va


def _boost(k: np.ndarray, pair: np.ndarray) -> np.ndarray:
    """Boost 4-vectors ``k`` from the rest frame of ``pair`` to the frame where it has momentum ``pair``."""
    mass = np.sqrt(np.maximum(mdot(pair, pair), 0.0))
    gam = pair[:, 0] / mass
    b = pair[:, 1:] / pair[:, :1]
    bk = np.sum(b * k[:, 1:], axis=1)
    coef = gam**2 / (gam + 1.0) * bk + gam * k[:, 0]
    return np.concatenate([(gam * (k[:, 0] + bk))[:, None], k[:, 1:] + coef[:, None] * b], axis=1)


def _mixture(rng: np.random.Generator, lo, hi) -> tuple[np.ndarray, np.ndarray]:
    """Draw x in [lo, hi] from ½ (log-uniform) + ½ (uniform); return x and its density."""
    lo = np.broadcast_to(np.asarray(lo, dtype=float), np.shape(hi))
    span = np.log(hi / lo)
    x = np.where(
        rng.random(lo.shape) < 0.5,
        lo * np.exp(span * rng.random(lo.shape)),
        lo + (hi - lo) * rng.random(lo.shape),
    )
    return x, 0.5 / (x * span) + 0.5 / (hi - lo)


@dataclass(frozen=True)
class Events:
    """A weighted sample of νγ → νμμ: Q² [MeV²] and the cross-section weights [MeV⁻²] of (V, A, VA).

    σ_νγ = Σ_i (g_V² w_VV + g_A² w_AA + g_V g_A w_VA)_i (the weights already carry 1/N).
    """

    q2: np.ndarray
    w_vv: np.ndarray
    w_aa: np.ndarray
    w_va: np.ndarray


def nu_gamma_events(s_hat: np.ndarray, rng: np.random.Generator, q2_min: float) -> Events:
    """Sample νγ → νμ⁺μ⁻ at centre-of-mass energies² ``s_hat`` (one event per entry, MeV²).

    Q² is drawn log-uniformly between ``q2_min`` and its maximum ŝ − M², M² (pair mass²) log-uniformly
    between 4m_μ² and ŝ; the weights are (1/2ŝ)·|M|²·dΦ₃ per event (divide by the number of events drawn at
    each ŝ to get σ_νγ(ŝ)), including (G_F/√2)² e².
    """
    s = np.asarray(s_hat, dtype=float)
    n = s.size
    rs = np.sqrt(s)
    m2_lo = 4.0 * M_MU**2
    pair2, dens_m = _mixture(rng, m2_lo, s)
    e_in = 0.5 * rs
    e_out = (s - pair2) / (2.0 * rs)
    q2_hi = s - pair2
    q2, dens_q = _mixture(rng, np.full(n, q2_min), np.maximum(q2_hi, 2.0 * q2_min))
    u = q2 / (2.0 * e_in * e_out)  # 1 − cos θ of the outgoing neutrino
    cos_t = 1.0 - u
    sin_t = np.sqrt(np.clip(u * (2.0 - u), 0.0, None))
    phi = 2.0 * np.pi * rng.random(n)
    p = np.stack([e_in, 0 * s, 0 * s, e_in], axis=1)
    q = np.stack([e_in, 0 * s, 0 * s, -e_in], axis=1)
    pn = e_out[:, None] * np.stack([np.ones(n), sin_t * np.cos(phi), sin_t * np.sin(phi), cos_t], axis=1)
    pair = p + q - pn
    mpair = np.sqrt(pair2)
    kstar = np.sqrt(np.clip(pair2 / 4.0 - M_MU**2, 0.0, None))
    # μ⁻ direction in the pair rest frame, relative to the photon direction there (axis e3): the muon
    # propagators peak where either muon is collinear with the photon, so cos θ* is drawn from
    # ½[g(c) + g(−c)], g ∝ 1/(1 − βc) (β the muon velocity), and weighted by 1/density
    qs = _boost(q, pair * np.array([1.0, -1.0, -1.0, -1.0]))  # the photon in the pair rest frame
    e3 = qs[:, 1:] / np.linalg.norm(qs[:, 1:], axis=1)[:, None]
    trial = np.where(np.abs(e3[:, :1]) < 0.9, np.array([[1.0, 0.0, 0.0]]), np.array([[0.0, 1.0, 0.0]]))
    e1 = np.cross(e3, trial)
    e1 /= np.linalg.norm(e1, axis=1)[:, None]
    e2 = np.cross(e3, e1)
    beta = 2.0 * kstar / mpair
    one_m_beta = (4.0 * M_MU**2 / pair2) / (1.0 + beta)
    ratio = one_m_beta / (1.0 + beta)
    span = np.log(1.0 / ratio) / beta
    c = (1.0 - (1.0 + beta) * ratio ** rng.random(n)) / beta
    cs = np.where(rng.random(n) < 0.5, c, -c)
    dens = 0.5 * (1.0 / (1.0 - beta * cs) + 1.0 / (1.0 + beta * cs)) / span
    ss = np.sqrt(np.clip(1.0 - cs**2, 0.0, None))
    ps = 2.0 * np.pi * rng.random(n)
    kdir = ss[:, None] * (np.cos(ps)[:, None] * e1 + np.sin(ps)[:, None] * e2) + cs[:, None] * e3
    k1 = np.concatenate([0.5 * mpair[:, None], kstar[:, None] * kdir], axis=1)
    p1 = _boost(k1, pair)
    p2 = pair - p1
    t_vv, t_aa, t_va = squared_amplitudes(p, q, pn, p1, p2)
    # dΦ3 = dΦ2(ŝ; ν', P) dM²/2π dΦ2(M²; μ⁻, μ⁺), dΦ2 = |k|/(16π² √s) dcosθ dφ
    jac = (
        e_out / ((4.0 * np.pi) ** 2 * rs) / (dens_q * 2.0 * e_in * e_out) * 2.0 * np.pi
        / (dens_m * 2.0 * np.pi)
        * kstar / ((4.0 * np.pi) ** 2 * mpair) * 2.0 * np.pi / dens
    )  # fmt: skip
    norm = 0.5 * G_F**2 * 4.0 * np.pi * ALPHA / (2.0 * s) * jac
    ok = q2_hi > q2_min
    w = np.where(ok, norm, 0.0)
    return Events(q2, w * t_vv, w * t_aa, w * t_va)


def photon_log_flux(s_hat, energy_mev: float, rms_radius_fm: float) -> np.ndarray:
    """∫_{(ŝ/2E)²}^∞ dq²/q² F²(q²) for the Gaussian form factor F² = exp(−q²⟨r²⟩/3): E₁(q²_min ⟨r²⟩/3)."""
    r = rms_radius_fm / HBAR_C_MEV_FM
    q2min = (np.asarray(s_hat, dtype=float) / (2.0 * energy_mev)) ** 2
    return exp1(q2min * r**2 / 3.0)


def nuclei_of(parameters: dict[str, float]) -> list[tuple[float, float, float]]:
    """(count, Z, rms radius [fm]) per nucleus from an entry's ``count_k``, ``z_k``, ``rms_radius_fm_k``."""
    out = []
    k = 1
    while f"z_{k}" in parameters:
        out.append((parameters[f"count_{k}"], parameters[f"z_{k}"], parameters[f"rms_radius_fm_{k}"]))
        k += 1
    return out


def q2_spectrum(
    energy_mev: float,
    nuclei: list[tuple[float, float, float]],
    q2_edges: np.ndarray,
    n_events: int,
    seed: int,
    chunk: int = 20000,
) -> dict[str, np.ndarray]:
    """Binned dσ/dQ² pieces of ν_μ N → ν_μ μμ N at neutrino energy ``energy_mev`` (MeV).

    ``nuclei``: (count, Z, rms charge radius [fm]) per nucleus of the target (coherent, Z² each).
    Returns the sums of the (V, A, VA) weights [MeV⁻², per target unit] in each Q² bin, Q² below the first
    edge in bin 0 is not sampled (its contribution ∝ Q² is negligible for the SM). ŝ is drawn log-uniformly
    from 4m_μ² to where the photon flux has fallen by e⁻³⁰.
    """
    rng = np.random.default_rng(seed)
    r_min = min(r for _, _, r in nuclei) / HBAR_C_MEV_FM
    s_lo = 4.0 * M_MU**2
    s_hi = 2.0 * energy_mev * np.sqrt(90.0) / r_min
    ls = np.log(s_hi / s_lo)
    nb = len(q2_edges) - 1
    acc = {k: np.zeros(nb) for k in ("vv", "aa", "va")}
    done = 0
    while done < n_events:
        m = min(chunk, n_events - done)
        s = s_lo * np.exp(ls * rng.random(m))
        ev = nu_gamma_events(s, rng, q2_edges[0])
        flux = sum(c * z**2 * photon_log_flux(s, energy_mev, r) for c, z, r in nuclei)
        # dŝ/ŝ (log-uniform ŝ: ŝ·ls/ŝ = ls) × (α/π) × flux, averaged over n_events
        w = ALPHA / np.pi * flux * ls / n_events
        idx = np.clip(np.searchsorted(q2_edges, ev.q2, side="right") - 1, 0, nb - 1)
        for key, arr in (("vv", ev.w_vv), ("aa", ev.w_aa), ("va", ev.w_va)):
            acc[key] += np.bincount(idx, weights=w * arr, minlength=nb)
        done += m
    return acc


__all__ = [
    "Events",
    "nu_gamma_events",
    "nuclei_of",
    "photon_log_flux",
    "q2_spectrum",
    "squared_amplitudes",
]

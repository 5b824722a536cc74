"""Coherent elastic neutrino–nucleus scattering (CEvNS) with a light Z′, at a pion decay-at-rest source.

Cross section (spin-0 nucleus, vector neutral current; Freedman 1974; e.g. Abdullah et al., arXiv:1803.10661,
Eq. (2); Cadeddu et al., arXiv:2008.05022, Eqs. (1)–(3))::

    dσ/dT = (G_F² M/π) [1 − T/E − M T/(2E²)] Q_eff² F²(q),      q² = 2 M T,   T ≤ T_max = 2E²/(M + 2E)
    Q_eff = Q_SM + C_να [Z(2C_Vu + C_Vd) + N(C_Vu + 2C_Vd)] / (√2 G_F (2 M T + m_Z′²))
    Q_SM  = Z g_V^p + N g_V^n,   g_V^p = ½ − 2 s_W²,  g_V^n = −½

(Q_SM = −Q_W/2 with the usual Q_W = N − (1 − 4s²)Z, so that (G_F² M/π) Q² = (G_F² M/4π) Q_W².)

Derivation of the Z′ term and its sign: the SM neutral current at low energy is
L = −(G_F/√2)[ν̄γ^μ(1 − γ5)ν] Σ_q g_V^q q̄γ_μ q + (axial) = −√2 G_F [ν̄γ^μ P_L ν] Σ_q g_V^q q̄γ_μ q, with
g_V^u = ½ − (4/3)s², g_V^d = −½ + (2/3)s² (proton 2g_V^u + g_V^d = ½ − 2s², neutron g_V^u + 2g_V^d = −½).
The Z′ of Bodas et al. Eq. (6), L ⊃ −Z′_μ[C_να ν̄γ^μ P_L ν + Σ_q C_Vq q̄γ^μ q], exchanged at space-like
momentum q² = −2MT gives L_eff = −C_ν C_Vq/(2MT + m²) [ν̄γ^μ P_L ν][q̄γ_μ q] (the cross term of −J²/(2M²),
as in :mod:`zprime.physics.constraints.parity_violation`), i.e. g_V^q → g_V^q + C_ν C_Vq/(√2 G_F (2MT + m²)),
the Q_eff above. This is the sign of Cadeddu et al. 2008.05022 Eq. (5) (for B−L, C_ν = −g′, C_Vq = g′/3: the
Z′ term, −g′²(Z + N)/(√2 G_F(q² + m²)), has the sign of Q_SM ≈ −N/2 and raises the rate). Checks (tests): a
Z′ that copies the SM Z (C_ν = g/(2c_W), C_Vq = g g_V^q/(2c_W), m = m_Z, tree-level s²) doubles Q_SM at T → 0;
m_Z′ → ∞ or C → 0 give the SM. The antineutrino ν̄_μ has the same Q_eff (both currents flip together).

Form factor: Helm (R. H. Helm, Phys. Rev. 104 (1956) 1466) with the parameters of Lewin & Smith, Astropart.
Phys. 6 (1996) 87, Eq. (4.11), the same for protons and neutrons (data entry ``cevns_csi_targets``).

Source (one of each per π⁺ decay at rest; e.g. Akimov et al., Science 357 (2017) 1123, and 1803.10661 Eq. (4)):
prompt ν_μ line at E_π = (m_π² − m_μ²)/(2m_π) = 29.79 MeV; delayed Michel spectra, E ≤ m_μ/2,
φ_ν̄μ(E) = (64/m_μ)(E/m_μ)²(3/4 − E/m_μ), φ_νe(E) = (192/m_μ)(E/m_μ)²(1/2 − E/m_μ) (each normalised to 1).

Rate and ratio: N = Σ_nuclei Σ_α ∫dE φ_α(E) ∫_{window} dT ε(T) dσ/dT with a step efficiency, ε = 1 in the
recoil window of ``cevns_csi_window`` and 0 outside. The paper's efficiency (Akimov et al. Fig. S9) ramps from
0 at 4.9 PE to its plateau at ~18 PE; the step sits where it reaches half its plateau (10.8 PE, 9.2 keVnr).
Checked once against the rate weighted with the digitised efficiency: the bound on the coupling is weaker
(conservative) by ≤ 9% for m_Z′ ≲ 10 MeV, 1% at 100 MeV, < 0.2% above 300 MeV (entry notes). Only the ratio
R = N(SM + Z′)/N(SM) is used, so the flux normalisation, exposure and the overall efficiency cancel.
With Q_eff = Q + a_α P(T), P = 1/(2MT + m²), a_α = C_να X/(√2 G_F), X = Z(2C_Vu + C_Vd) + N(C_Vu + 2C_Vd),
the rate is exactly N = Σ (Q² S₀ + 2 Q a_α S₁ + a_α² S₂), S_j = Σ_k W_k P_k^j: the weights W_k (the
source-integrated kernel times the Gauss–Legendre weights in ln T, split at the prompt line's T_max) are
computed once; only P_k depends on m_Z′. The E integral of the Michel spectra times the kinematic factor is
a cubic polynomial in E, integrated exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from zprime.core.constants import G_F, HBAR_C_MEV_FM, M_MU, SIN2W_LOW_Q
from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.core.measurements import EditionLike, EditionRef, edition_ref, get
from zprime.physics.arrays import broadcast

#: 1/(√2 G_F) [MeV²]: converts C_ν C_Vq/(2MT + m²) into a shift of g_V^q (module docstring)
KAPPA_MEV2: float = 1.0 / (math.sqrt(2.0) * G_F)
#: Gauss–Legendre nodes in ln T per segment of the recoil window (reproduce 96 nodes to < 1e-10 of R − 1, tests)
N_T_NODES = 24
#: Gauss–Legendre nodes in E for the Michel spectra (the integrand is a cubic polynomial: exact)
_N_E_NODES = 4
_CHUNK = 1 << 14
_FLAVOURS = ("e", "mu")
#: Nuclei of the CsI target (one of each per molecule)
CSI_NUCLEI = ("cs", "i")


@dataclass(frozen=True)
class Nucleus:
    """A target nucleus: Z, N, mass M [MeV] and the Helm parameters r_n, s [fm]."""

    name: str
    z: float
    n: float
    mass_mev: float
    helm_rn_fm: float
    helm_s_fm: float


@lru_cache(maxsize=8)
def _nucleus(name: str, edition: str, _ref: EditionRef) -> Nucleus:
    p = get("cevns_csi_targets", edition).parameters
    z, n = float(p[f"{name}_z"]), float(p[f"{name}_n"])
    a = z + n
    c = p["helm_c1_fm"] * a ** (1.0 / 3.0) - p["helm_c0_fm"]
    s, d = p["helm_s_fm"], p["helm_a_fm"]
    rn = math.sqrt(c * c + (7.0 / 3.0) * (math.pi * d) ** 2 - 5.0 * s * s)
    return Nucleus(name, z, n, p[f"{name}_mass_u"] * p["atomic_mass_unit_mev"], rn, s)


def nucleus(name: str, edition: EditionLike = None) -> Nucleus:
    """The nucleus ``name`` ("cs" or "i") of the data entry ``cevns_csi_targets``."""
    if name not in CSI_NUCLEI:
        raise InputError("nucleus", f"must be one of {CSI_NUCLEI}, got {name!r}")
    return _nucleus(name, *edition_ref(edition))


def helm_form_factor(q_mev: np.ndarray | float, nuc: Nucleus) -> np.ndarray:
    """Helm F(q) = 3 j₁(q r_n)/(q r_n) · exp(−q² s²/2) (Lewin & Smith Eq. (4.11)); F(0) = 1."""
    q = np.asarray(q_mev, float) / HBAR_C_MEV_FM  # fm⁻¹
    x = q * nuc.helm_rn_fm
    small = np.abs(x) < 1e-3
    xs = np.where(small, 1.0, x)
    j1_over_x = np.where(small, 1.0 / 3.0 - x * x / 30.0, (np.sin(xs) / xs**2 - np.cos(xs) / xs) / xs)
    return 3.0 * j1_over_x * np.exp(-0.5 * (q * nuc.helm_s_fm) ** 2)


def sm_charge(nuc: Nucleus) -> float:
    """Q_SM = Z(½ − 2 s_W²) − N/2 (tree level at the low-energy s_W² of the constants; Q_W = −2 Q_SM)."""
    return nuc.z * (0.5 - 2.0 * SIN2W_LOW_Q) - 0.5 * nuc.n


def zprime_quark_charge(c: Couplings, nuc: Nucleus) -> np.ndarray:
    """X = Z(2C_Vu + C_Vd) + N(C_Vu + 2C_Vd), the Z′ vector charge of the nucleus."""
    cu, cd = np.asarray(c.c_vu, float), np.asarray(c.c_vd, float)
    return nuc.z * (2.0 * cu + cd) + nuc.n * (cu + 2.0 * cd)


def _check_flavour(flavour: str) -> str:
    if flavour not in _FLAVOURS:
        raise InputError(
            "flavour", f"must be one of {_FLAVOURS} (nu_tau is absent at the source), got {flavour!r}"
        )
    return flavour


def effective_charge(
    c: Couplings | None, flavour: str, nuc: Nucleus, t_mev: np.ndarray | float
) -> np.ndarray:
    """Q_eff(T) = Q_SM + C_να X/(√2 G_F (2MT + m_Z′²)); Q_SM if ``c`` is None."""
    t = np.asarray(t_mev, float)
    q = sm_charge(nuc)
    if c is None:
        return np.full(t.shape, q)
    a = KAPPA_MEV2 * c.cnu(_check_flavour(flavour)) * zprime_quark_charge(c, nuc)
    return q + a / (2.0 * nuc.mass_mev * t + np.asarray(c.mass_mev, float) ** 2)


def t_max(e_nu_mev: np.ndarray | float, mass_mev: float) -> np.ndarray:
    """Largest recoil T_max = 2E²/(M + 2E) [MeV]."""
    e = np.asarray(e_nu_mev, float)
    return 2.0 * e * e / (mass_mev + 2.0 * e)


def e_min(t_mev: np.ndarray | float, mass_mev: float) -> np.ndarray:
    """Smallest E that gives recoil T: (T + √(T² + 2MT))/2 [MeV]."""
    t = np.asarray(t_mev, float)
    return 0.5 * (t + np.sqrt(t * t + 2.0 * mass_mev * t))


def dsigma_dt(
    c: Couplings | None,
    flavour: str,
    e_nu_mev: np.ndarray | float,
    t_mev: np.ndarray | float,
    nuc: Nucleus,
) -> np.ndarray:
    """dσ/dT [MeV⁻³] = (G_F² M/π)[1 − T/E − MT/(2E²)] Q_eff² F²(√(2MT)); zero above T_max(E); SM if c is None."""
    e, t = np.asarray(e_nu_mev, float), np.asarray(t_mev, float)
    m = nuc.mass_mev
    kin = 1.0 - t / e - m * t / (2.0 * e * e)
    ff = helm_form_factor(np.sqrt(2.0 * m * t), nuc)
    qe = effective_charge(c, flavour, nuc, t)
    out = G_F**2 * m / math.pi * kin * qe * qe * ff * ff
    return np.where(t <= t_max(e, m), out, 0.0)


# ----------------------------------------------------------------------------------------------- source
def prompt_energy_mev(edition: EditionLike = None) -> float:
    """E of the prompt ν_μ line, (m_π² − m_μ²)/(2 m_π) [MeV]."""
    mpi = get("cevns_pion_dar_source", edition).parameters["m_pi_plus_mev"]
    return (mpi * mpi - M_MU * M_MU) / (2.0 * mpi)


def michel_spectrum(kind: str, e_nu_mev: np.ndarray | float) -> np.ndarray:
    """Normalised delayed spectra [MeV⁻¹]: ``numubar`` (64/m_μ)x²(3/4 − x), ``nue`` (192/m_μ)x²(1/2 − x), x = E/m_μ."""
    x = np.asarray(e_nu_mev, float) / M_MU
    if kind == "numubar":
        f = 64.0 * x * x * (0.75 - x)
    elif kind == "nue":
        f = 192.0 * x * x * (0.5 - x)
    else:
        raise InputError("kind", f"must be 'numubar' or 'nue', got {kind!r}")
    return np.where((x >= 0.0) & (x <= 0.5), f / M_MU, 0.0)


def _michel_kernel(kind: str, t: np.ndarray, m: float) -> np.ndarray:
    """∫ dE φ(E)[1 − T/E − MT/(2E²)] over E_min(T) ≤ E ≤ m_μ/2 (exact Gauss–Legendre, cubic integrand)."""
    x, w = np.polynomial.legendre.leggauss(_N_E_NODES)
    lo = e_min(t, m)
    hi = np.full_like(lo, 0.5 * M_MU)
    lo = np.minimum(lo, hi)
    half = 0.5 * (hi - lo)[:, None]
    e = 0.5 * (hi + lo)[:, None] + half * x[None, :]
    f = michel_spectrum(kind, e) * (1.0 - t[:, None] / e - m * t[:, None] / (2.0 * e * e))
    return (f * w[None, :] * half).sum(axis=1)


@dataclass(frozen=True)
class _Kernel:
    """Precomputed recoil nodes T_k and weights W_k (per flavour) of one nucleus."""

    nuc: Nucleus
    q_sm: float
    t: np.ndarray
    w: dict[str, np.ndarray]
    s0: dict[str, float]


def recoil_window_mev(edition: EditionLike = None) -> tuple[float, float]:
    """Flat-efficiency recoil window [MeV] of COHERENT CsI 2017 from ``cevns_csi_window`` (PE / (PE/keVnr))."""
    p = get("cevns_csi_window", edition).parameters
    return p["pe_min"] / p["pe_per_kevnr"] * 1e-3, p["pe_max"] / p["pe_per_kevnr"] * 1e-3


def _segments(lo: float, hi: float, breaks: list[float]) -> list[tuple[float, float]]:
    edges = [lo] + sorted(b for b in breaks if lo < b < hi) + [hi]
    return [(a, b) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


def _kernel(nuc: Nucleus, window: tuple[float, float], e_prompt: float, n_nodes: int) -> _Kernel:
    m = nuc.mass_mev
    t_prompt = float(t_max(e_prompt, m))
    t_top = min(window[1], float(t_max(0.5 * M_MU, m)))
    x, wx = np.polynomial.legendre.leggauss(n_nodes)
    ts, ws = [], []
    for a, b in _segments(window[0], t_top, [t_prompt]):
        la, lb = math.log(a), math.log(b)
        t = np.exp(0.5 * (la + lb) + 0.5 * (lb - la) * x)
        ts.append(t)
        ws.append(0.5 * (lb - la) * wx * t)  # dT = T d(ln T)
    t = np.concatenate(ts) if ts else np.zeros(0)
    wgl = np.concatenate(ws) if ws else np.zeros(0)
    common = wgl * G_F**2 * m / math.pi * helm_form_factor(np.sqrt(2.0 * m * t), nuc) ** 2
    prompt = np.where(t <= t_prompt, 1.0 - t / e_prompt - m * t / (2.0 * e_prompt**2), 0.0)
    w = {
        "mu": common * (prompt + _michel_kernel("numubar", t, m)),
        "e": common * _michel_kernel("nue", t, m),
    }
    return _Kernel(nuc, sm_charge(nuc), t, w, {f: float(v.sum()) for f, v in w.items()})


@lru_cache(maxsize=8)
def _kernels(edition: str, ref: EditionRef, n_nodes: int = N_T_NODES) -> tuple[_Kernel, ...]:
    """The recoil kernels of every CsI nucleus, per resolved edition (a changed user edition file: anew)."""
    window = recoil_window_mev(edition)
    ep = prompt_energy_mev(edition)
    return tuple(_kernel(_nucleus(n, edition, ref), window, ep, n_nodes) for n in CSI_NUCLEI)


def sm_rate(edition: EditionLike = None, n_nodes: int = N_T_NODES) -> float:
    """Σ_nuclei Σ_α ∫dE φ_α ∫dT dσ/dT in the window [MeV⁻²] (per CsI molecule and per π⁺ decay, flux 1)."""
    return sum(k.q_sm**2 * sum(k.s0.values()) for k in _kernels(*edition_ref(edition), n_nodes))


def rate_ratio(c: Couplings, edition: EditionLike = None, n_nodes: int = N_T_NODES) -> np.ndarray:
    """R = N(SM + Z′)/N(SM) for COHERENT CsI (module docstring); the broadcast shape of ``c``.

    The recoil sums S_n(m) = Σ_T w(T)/(2 M T + m²)ⁿ depend on the mass only: points with the same mass in a
    row (a grid of couplings per mass) share them. Each sum is a plain row reduction (``np.einsum``), so a
    point's number does not depend on the other points of the call."""
    kernels = _kernels(*edition_ref(edition), n_nodes)
    n_sm = sum(k.q_sm**2 * sum(k.s0.values()) for k in kernels)
    m2 = np.ravel(broadcast(np.asarray(c.mass_mev, float) ** 2, c.shape))
    new = np.ones(m2.size, dtype=bool)
    np.not_equal(m2[1:], m2[:-1], out=new[1:])
    run_start = np.flatnonzero(new)
    shared = 2 * run_start.size <= m2.size
    run_of = np.cumsum(new) - 1 if shared else None  # the run of each point
    m2_sums = m2.take(run_start) if shared else m2
    shift = np.zeros(m2.shape)
    for k in kernels:
        x = np.ravel(broadcast(zprime_quark_charge(c, k.nuc), c.shape))
        for fl in _FLAVOURS:
            a = KAPPA_MEV2 * np.ravel(broadcast(c.cnu(fl), c.shape)) * x
            live = np.flatnonzero(a != 0.0)
            if live.size == 0:
                continue
            if run_of is None:
                s1, s2 = _recoil_sums(k, fl, m2_sums, live)
                ai = a.take(live)
            else:
                runs = run_of.take(live)
                s1, s2 = _recoil_sums(k, fl, m2_sums, np.arange(m2_sums.size))
                s1, s2, ai = s1.take(runs), s2.take(runs), a.take(live)
            shift[live] += ai * (2.0 * k.q_sm * s1 + ai * s2)
    return (1.0 + shift / n_sm).reshape(c.shape)


def _recoil_sums(k: _Kernel, flavour: str, m2: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(S_1, S_2) = (Σ_T w p, Σ_T w p²), p = 1/(2 M T + m²), of nucleus kernel ``k`` and neutrino ``flavour``
    at the squared masses ``m2[idx]``; in chunks of points (bounded temporaries)."""
    s1 = np.empty(idx.size)
    s2 = np.empty(idx.size)
    w = k.w[flavour]
    two_m_t = 2.0 * k.nuc.mass_mev * k.t[None, :]
    for i0 in range(0, idx.size, _CHUNK):
        sl = slice(i0, i0 + _CHUNK)
        p = 1.0 / (two_m_t + m2.take(idx[sl])[:, None])
        s1[sl] = np.einsum("ij,j->i", p, w)
        p *= p
        s2[sl] = np.einsum("ij,j->i", p, w)
    return s1, s2


__all__ = [
    "CSI_NUCLEI",
    "KAPPA_MEV2",
    "N_T_NODES",
    "Nucleus",
    "dsigma_dt",
    "e_min",
    "effective_charge",
    "helm_form_factor",
    "michel_spectrum",
    "nucleus",
    "prompt_energy_mev",
    "rate_ratio",
    "recoil_window_mev",
    "sm_charge",
    "sm_rate",
    "t_max",
    "zprime_quark_charge",
]

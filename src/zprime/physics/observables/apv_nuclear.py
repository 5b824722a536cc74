"""Nuclear-structure inputs of atomic parity violation in 133Cs.

Cadeddu et al., PRD 104 (2021) L011701, arXiv:2104.03280 ("C(n)" = its Eq. n).

1. The electron γ5 density between the s½ and p½ states inside and around the nucleus,
   ρ5(r) ∝ g_s(r) f_p(r) − f_s(r) g_p(r), from the Dirac radial equations at threshold (E = m_e) in the
   Coulomb field of a uniformly charged nucleus with the measured rms charge radius. Beyond
   r ≈ Zα/(2m_e) ≈ 80 fm the electron-mass term turns the functions from the power law r^(γ−1) into the
   zero-energy Coulomb (Bessel-type) solution; the ODE keeps both regimes. Normalised to ρ5(0) = 1 it is the
   f(r) of C(22).
2. The Bouchiat–Fayet factor K(m) of C(26) (Bouchiat & Fayet, PLB 608 (2005) 87):
       K(m) = ∫ r² ρ5(r) (ρ_W ∗ Y_m)(r) dr / ∫ r² ρ5(r) ρ_W(r) dr,   Y_m(r) = m² e^(−mr)/(4πr),
   ρ_W the weak-charge density (N ρ_n − Z(1−4s²) ρ_p, Fermi shapes). K → 1 for m → ∞ (contact) and K → 0 as
   m → 0. This gives 0.50, 0.84, 0.98 at 2.4, 20, 100 MeV (Cadeddu et al., text after Eq. (26): 0.5, 0.83,
   1; tested). K is tabulated once per process on a log-m grid (cached) and interpolated in log m.
3. The Cs neutron-skin chain C(16)–(23): ΔR_np(Pb) → ΔR_np(Cs) → R_n → q_n/q_p → Q_W^Cs,exp with linear error
   propagation (numerical derivatives).

Units: fm for lengths, MeV for masses (converted with ħc).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.integrate import solve_ivp
from scipy.interpolate import CubicSpline
from scipy.optimize import brentq

from zprime.core.constants import ALPHA, HBAR_C_MEV_FM, M_E, SIN2W_LOW_Q
from zprime.core.errors import InputError
from zprime.core.measurements import get as _get
from zprime.physics.arrays import positive_finite

#: Mass range [MeV] of the tabulated K(m); outside it K is computed directly (below) or K → 1 − c/m² (above).
K_TABLE_RANGE_MEV: tuple[float, float] = (0.05, 3000.0)

_GL_X, _GL_W = np.polynomial.legendre.leggauss(64)
_LG_X, _LG_W = np.polynomial.laguerre.laggauss(60)


def _cs_numbers() -> tuple[int, int]:
    p = _get("qw_cs_sm").parameters
    return int(p["Z"]), int(p["N"])


# ------------------------------------------------------------------------------------------ Dirac functions
@dataclass(frozen=True)
class Gamma5Density:
    """ρ5(r) = g_s f_p − f_s g_p (s½, p½ at threshold), normalised to ρ5(0) = 1; callable on arrays [fm]."""

    r_fm: np.ndarray
    rho5: np.ndarray
    z: int
    nuclear_radius_fm: float
    spline: CubicSpline

    def __call__(self, r_fm: np.ndarray | float) -> np.ndarray:
        r = np.asarray(r_fm, float)
        return self.spline(np.log(np.clip(r, self.r_fm[0], self.r_fm[-1])))


def _dirac_threshold(
    kappa: int, z: int, radius_uniform_fm: float, r_grid: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Regular solution (g, f) of the Dirac radial equations at E = m_e for a uniformly charged sphere.

    With G = r g, F = r f (Johnson's convention):  G' = −κG/r + (E − V + m)F,  F' = κF/r − (E − V − m)G,
    V(r) = −(Zα/2R)(3 − r²/R²) for r < R and −Zα/r outside. Integrated in t = ln r; normalised so that
    g_s(0) = 1 (κ = −1) and f_p(0) = 1 (κ = +1).
    """
    m = M_E / HBAR_C_MEV_FM  # fm^-1
    za = z * ALPHA
    big_r = radius_uniform_fm
    v0 = -1.5 * za / big_r

    def pot(r: float) -> float:
        return -0.5 * za / big_r * (3.0 - (r / big_r) ** 2) if r < big_r else -za / r

    def rhs(t: float, y: np.ndarray) -> list[float]:
        r = math.exp(t)
        v = pot(r)
        gg, ff = y
        return [r * (-kappa * gg / r + (2.0 * m - v) * ff), r * (kappa * ff / r + v * gg)]

    r0 = r_grid[0]
    if kappa == -1:
        y0 = [r0, v0 * r0**2 / 3.0]
    else:
        y0 = [(2.0 * m - v0) * r0**2 / 3.0, r0]
    t_grid = np.log(r_grid)
    inside = r_grid <= big_r
    out = np.empty((2, r_grid.size))
    kw = dict(method="DOP853", rtol=1e-9, atol=1e-300)
    s1 = solve_ivp(rhs, (t_grid[0], math.log(big_r)), y0, t_eval=t_grid[inside], **kw)
    out[:, inside] = s1.y
    yr = (
        s1.y[:, -1]
        if t_grid[inside][-1] == math.log(big_r)
        else solve_ivp(rhs, (t_grid[0], math.log(big_r)), y0, **kw).y[:, -1]
    )
    s2 = solve_ivp(rhs, (math.log(big_r), t_grid[-1]), yr, t_eval=t_grid[~inside], **kw)
    out[:, ~inside] = s2.y
    return out[0] / r_grid, out[1] / r_grid


@lru_cache(maxsize=8)
def gamma5_density(
    charge_radius_fm: float | None = None, z: int | None = None, r_max_fm: float = 1.0e6, n: int = 3000
) -> Gamma5Density:
    """Electron γ5 density ρ5(r) = g_s f_p − f_s g_p between s½ and p½ at threshold, ρ5(0) = 1.

    The nucleus is a uniform sphere of radius R = √(5/3) R_ch (R_ch: rms charge radius, default 133Cs,
    Angeli & Marinova 2013). Sign: with g_s(0) = f_p(0) = 1 this combination decreases inside the nucleus as
    1 − ½(Zα)²(r/R)² + …, the known expansion (Pollock, Fortson, Wilets, PRC 46 (1992) 2587).
    """
    if charge_radius_fm is None:
        charge_radius_fm = _get("darkz_cs133_charge_radius").value
    if z is None:
        z = _cs_numbers()[0]
    if not (0.5 < charge_radius_fm < 20.0):
        raise InputError("charge_radius_fm", "allowed range 0.5 < R_ch < 20 fm")
    if not (1 <= z <= 137):
        raise InputError("z", "allowed range 1 <= Z <= 137")
    big_r = math.sqrt(5.0 / 3.0) * charge_radius_fm
    r = np.unique(np.concatenate([np.geomspace(1e-4, r_max_fm, n), np.linspace(0.02, 3 * big_r, 600)]))
    gs, fs = _dirac_threshold(-1, z, big_r, r)
    gp, fp = _dirac_threshold(+1, z, big_r, r)
    rho5 = gs * fp - fs * gp
    rho5 = rho5 / rho5[0]
    return Gamma5Density(r, rho5, z, big_r, CubicSpline(np.log(r), rho5))


def axial_matrix_element(r_fm: np.ndarray | float) -> np.ndarray:
    """f(r) of C(22): the electron axial s½–p½ matrix element in 133Cs, normalised to f(0) = 1."""
    return gamma5_density()(r_fm)


# ------------------------------------------------------------------------------------------ nuclear densities
def fermi_c_for_rms(rms_fm: float, a_fm: float) -> float:
    """Half-density radius c of a 2pF density 1/(1+e^((r−c)/a)) with rms radius ``rms_fm`` (exact,
    numeric)."""
    if not (rms_fm > 2.0 * a_fm):
        raise InputError("rms_fm", f"must exceed 2a = {2 * a_fm:g} fm for a Fermi shape")
    r = np.linspace(0.0, rms_fm * 4.0 + 30 * a_fm, 6001)

    def rms(c: float) -> float:
        w = r**2 / (1.0 + np.exp(np.clip((r - c) / a_fm, -700, 700)))
        return math.sqrt(np.trapezoid(w * r**2, r) / np.trapezoid(w, r))

    return brentq(lambda c: rms(c) - rms_fm, 0.01, 2.0 * rms_fm)


def fermi_density(r_fm: np.ndarray, rms_fm: float, a_fm: float | None = None) -> np.ndarray:
    """Normalised (∫ d³r ρ = 1) two-parameter Fermi density with the given rms radius [fm^-3]."""
    if a_fm is None:
        a_fm = _get("darkz_fermi_surface_thickness").value / (4.0 * math.log(3.0))
    c = fermi_c_for_rms(rms_fm, a_fm)
    rr = np.linspace(0.0, c + 40 * a_fm, 8001)
    norm = 4.0 * math.pi * np.trapezoid(rr**2 / (1.0 + np.exp((rr - c) / a_fm)), rr)
    r = np.asarray(r_fm, float)
    return 1.0 / (1.0 + np.exp(np.clip((r - c) / a_fm, -700, 700))) / norm


def q_ratio(rn_fm: float, rp_fm: float, a_fm: float | None = None) -> float:
    """q_n/q_p of C(22): q = 4π ∫ ρ(r) f(r) r² dr with normalised Fermi ρ_n, ρ_p and f from the Dirac
    solution."""
    f = gamma5_density()
    r = np.linspace(0.0, 25.0, 5001)
    fr = f(r)
    qn = np.trapezoid(fermi_density(r, rn_fm, a_fm) * fr * r**2, r)
    qp = np.trapezoid(fermi_density(r, rp_fm, a_fm) * fr * r**2, r)
    return float(qn / qp)


# ------------------------------------------------------------------------------------------ K(m)
def _smeared_rho5(m_fm: np.ndarray, rp: np.ndarray, dens: Gamma5Density) -> np.ndarray:
    """(ρ5 ∗ Y_m)(r') on arrays m (…,1) × r' (n): Yukawa-smeared γ5 density.

    (F∗Y)(r') = (m/r')[e^(−mr') ∫₀^r' rF sinh(mr) dr + sinh(mr') ∫_r'^∞ rF e^(−mr) dr]; the outer piece by
    Gauss–Laguerre in t = m(r − r'), the inner one by Gauss–Legendre in s = r' − r over [0, min(r', 60/m)].
    """
    m = np.asarray(m_fm, float)[..., None, None]
    r1 = rp[None, :, None]
    # outer: sinh(mr') e^{-mr'} (1/m) ∫ (r'+t/m) F(r'+t/m) e^{-t} dt
    t = _LG_X
    r_out = r1 + t / m
    outer = 0.5 * (-np.expm1(-2.0 * m * r1)) / m * np.sum(_LG_W * r_out * dens(r_out), axis=-1, keepdims=True)
    # inner: e^{-mr'} ∫_0^{r'} rF sinh(mr) dr = ∫_0^{r'} rF [e^{-m(r'-r)} - e^{-m(r'+r)}]/2 dr, s = r' - r
    L = np.minimum(r1, 60.0 / m)
    s = 0.5 * L * (_GL_X + 1.0)
    rr = r1 - s
    kern = 0.5 * (np.exp(-m * s) - np.exp(-m * (2.0 * r1 - s)))
    inner = 0.5 * L * np.sum(_GL_W * rr * dens(rr) * kern, axis=-1, keepdims=True)
    return (m / r1 * (inner + outer))[..., 0]


def weak_charge_density(
    r_fm: np.ndarray, rn_fm: float | None = None, rp_fm: float | None = None
) -> np.ndarray:
    """Normalised weak-charge density ρ_W ∝ N ρ_n − Z(1 − 4s²) ρ_p of 133Cs (tree-level weights)."""
    z, n = _cs_numbers()
    rp = _get("darkz_cs133_proton_radius").value if rp_fm is None else rp_fm
    rn = neutron_skin_chain().rn_fm if rn_fm is None else rn_fm
    wp = -z * (1.0 - 4.0 * SIN2W_LOW_Q)
    return (n * fermi_density(r_fm, rn) + wp * fermi_density(r_fm, rp)) / (n + wp)


def k_factor_direct(
    mass_mev: np.ndarray | float, rn_fm: float | None = None, rp_fm: float | None = None
) -> np.ndarray:
    """Bouchiat–Fayet factor K(m) for 133Cs computed from the physics (no table); see the module docstring."""
    m_mev = np.asarray(mass_mev, float)
    if np.any(~np.isfinite(m_mev)) or np.any(m_mev <= 0):
        raise InputError("mass_mev", "must be positive and finite")
    dens = gamma5_density()
    r = np.linspace(1e-3, 14.0, 561)
    w = r**2 * weak_charge_density(r, rn_fm, rp_fm)
    den = np.trapezoid(w * dens(r), r)
    mf = (m_mev / HBAR_C_MEV_FM).ravel()
    out = np.empty_like(mf)
    for i0 in range(0, mf.size, 16):  # chunks bound the memory of the (m, r', node) arrays
        sm = _smeared_rho5(mf[i0 : i0 + 16], r, dens)
        out[i0 : i0 + 16] = np.trapezoid(w * sm, r, axis=-1) / den
    return out.reshape(m_mev.shape)


@lru_cache(maxsize=1)
def _k_table() -> tuple[np.ndarray, np.ndarray, CubicSpline]:
    lo, hi = K_TABLE_RANGE_MEV
    m = np.geomspace(lo, hi, 41)
    lm, k = np.log(m), k_factor_direct(m)
    return lm, k, CubicSpline(lm, k)


def k_factor(mass_mev: np.ndarray | float) -> np.ndarray:
    """K(m_Zd) for APV in 133Cs, C(26): tabulated at 41 masses (cached at first use) and
    interpolated with a cubic spline in log m (error < 1e-5 against the direct computation).

    Above the table K = 1 − (1 − K_max)(m_max/m)² (the Yukawa expansion ρ∗Y = ρ + ∇²ρ/m² + …); below it
    the direct computation is used.
    """
    m = np.asarray(mass_mev, float)
    if not positive_finite(m):
        raise InputError("mass_mev", "must be positive and finite (allowed 0 < m < inf MeV)")
    lm, kt, spline = _k_table()
    out = spline(np.log(np.clip(m, K_TABLE_RANGE_MEV[0], K_TABLE_RANGE_MEV[1])))
    hi = m > K_TABLE_RANGE_MEV[1]
    if np.any(hi):
        out = np.where(hi, 1.0 - (1.0 - kt[-1]) * (K_TABLE_RANGE_MEV[1] / m) ** 2, out)
    lo = m < K_TABLE_RANGE_MEV[0]
    if np.any(lo):
        out = np.array(out, float)
        out[lo] = k_factor_direct(m[lo])
    return out


# ------------------------------------------------------------------------------------------ skin chain
@dataclass(frozen=True)
class SkinChain:
    """Result of the neutron-skin chain C(17)–(19) (point skin, physical R_n) with 1σ uncertainties."""

    skin_pb_fm: float
    skin_cs_fm: float
    skin_cs_err_fm: float
    rp_fm: float
    rp_point_fm: float
    rn_point_fm: float
    rn_fm: float
    rn_err_fm: float


def neutron_skin_chain(
    skin_pb_fm: float | None = None,
    skin_pb_err_fm: float | None = None,
    rp_fm: float | None = None,
    rp_err_fm: float | None = None,
) -> SkinChain:
    """ΔR_np(Cs) = 0.707(23)·ΔR_np(Pb) + 0.016(5) fm, R_n^point = R_p^point + ΔR_np, R = √(R_point² + ⟨r_N²⟩).

    Defaults: PREX-2 ΔR_np(²⁰⁸Pb) = 0.283(71) fm and R_p(¹³³Cs) = 4.821(5) fm (physical). Gives 0.22(5) fm and
    R_n = 5.03(5) fm (C(18), C(19)). Uncertainties: linear propagation (independent inputs).
    """
    prex = _get("prex_skin_pb208")
    corr = _get("darkz_skin_correlation_pb_cs")
    rpm = _get("darkz_cs133_proton_radius")
    rn2 = _get("darkz_nucleon_rms_radius").value ** 2
    d_pb = prex.value if skin_pb_fm is None else float(skin_pb_fm)
    s_pb = prex.uncertainty if skin_pb_err_fm is None else float(skin_pb_err_fm)
    rp = rpm.value if rp_fm is None else float(rp_fm)
    s_rp = rpm.uncertainty if rp_err_fm is None else float(rp_err_fm)
    if not (-1.0 < d_pb < 2.0):
        raise InputError("skin_pb_fm", "allowed range -1 < Delta R_np(Pb) < 2 fm")
    if not (1.0 < rp < 10.0):
        raise InputError("rp_fm", "allowed range 1 < R_p < 10 fm")
    a, sa = corr.value, corr.uncertainty
    b, sb = corr.parameters["intercept_fm"], corr.parameters["intercept_uncertainty_fm"]
    d_cs = a * d_pb + b
    s_cs = math.sqrt((a * s_pb) ** 2 + (d_pb * sa) ** 2 + sb**2)
    rp_pt = math.sqrt(rp**2 - rn2)
    rn_pt = rp_pt + d_cs
    rn = math.sqrt(rn_pt**2 + rn2)
    drn_dskin = rn_pt / rn
    drn_drp = rn_pt / rn * rp / rp_pt
    s_rn = math.sqrt((drn_dskin * s_cs) ** 2 + (drn_drp * s_rp) ** 2)
    return SkinChain(d_pb, d_cs, s_cs, rp, rp_pt, rn_pt, rn, s_rn)


@dataclass(frozen=True)
class ApvExtraction:
    """Q_W^Cs,exp of C(20)–(23) and its pieces."""

    qw: float
    qw_err: float
    rn_fm: float
    q_ratio: float
    skin_correction: float  # δE_PNC/E_PNC^wns of C(21)
    error_budget: dict[str, float]


def cs_weak_charge_exp(
    rn_fm: float | None = None, rn_err_fm: float | None = None, rp_fm: float | None = None
) -> ApvExtraction:
    """Q_W^Cs,exp = N (ImE/β)_exp β / [ε_th (1 + δE/E)], C(20)–(22), with ε_th (Im E_PNC)_th^wns in units
    Q_W/N.

    δE/E = (N/Q_W^SM)(1 − q_n/q_p) (C(21)), q_n/q_p from Fermi densities with the physical rms radii
    weighted by
    f(r) (C(22)). Default R_n from :func:`neutron_skin_chain` (PREX-2); pass ``rn_fm`` (e.g. from
    CREX-based or
    other skins) to use another. Uncertainty: linear propagation of (ImE/β)_exp, β, (ImE)_th and R_n.
    Result (default): −72.94(43), C(23).
    """
    z, n = _cs_numbers()
    chain = neutron_skin_chain(rp_fm=rp_fm)
    rn = chain.rn_fm if rn_fm is None else float(rn_fm)
    s_rn = chain.rn_err_fm if rn_err_fm is None else float(rn_err_fm)
    rp = chain.rp_fm
    if not (1.0 < rn < 10.0):
        raise InputError("rn_fm", "allowed range 1 < R_n < 10 fm")
    ratio_meas = _get("darkz_cs_epnc_over_beta_exp")
    beta = _get("darkz_cs_beta")
    eth = _get("darkz_cs_epnc_th_wns")
    qw_sm = _get("qw_cs_sm").value

    def qw_of(x: float, b: float, e: float, r_n: float) -> tuple[float, float, float]:
        qr = q_ratio(r_n, rp)
        corr = n / qw_sm * (1.0 - qr)
        return n * x * b / (e * (1.0 + corr)), qr, corr

    qw, qr, corr = qw_of(ratio_meas.value, beta.value, eth.value, rn)
    budget = {
        "epnc_over_beta_exp": abs(qw * ratio_meas.uncertainty / ratio_meas.value),
        "beta": abs(qw * beta.uncertainty / beta.value),
        "epnc_th": abs(qw * eth.uncertainty / eth.value),
    }
    h = 0.01
    d_rn = (
        qw_of(ratio_meas.value, beta.value, eth.value, rn + h)[0]
        - qw_of(ratio_meas.value, beta.value, eth.value, rn - h)[0]
    ) / (2 * h)
    budget["neutron_radius"] = abs(d_rn * s_rn)
    err = math.sqrt(sum(v**2 for v in budget.values()))
    return ApvExtraction(qw, err, rn, qr, corr, budget)


__all__ = [
    "Gamma5Density",
    "gamma5_density",
    "axial_matrix_element",
    "fermi_density",
    "fermi_c_for_rms",
    "q_ratio",
    "weak_charge_density",
    "k_factor_direct",
    "k_factor",
    "K_TABLE_RANGE_MEV",
    "SkinChain",
    "neutron_skin_chain",
    "ApvExtraction",
    "cs_weak_charge_exp",
]

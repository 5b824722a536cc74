"""MSbar running of the weak mixing angle at low Q, in the SM and with a dark Z_d (Cadeddu et al. Fig. 4).

SM curve: a simplified version of the threshold running of Erler & Ramsey-Musolf, PRD 72 (2005) 073003 and
Erler & Ferro-Hernández, JHEP 03 (2018) 196. At one loop, between particle thresholds,

    d ŝ²/d ln μ² = (d ln α̂/d ln μ²)(ŝ² − λ),   d(1/α̂)/d ln μ² = −S/(3π),
    S = Σ_i K_i γ_i Q_i²,   λ = Σ_i K_i γ_i Q_i T_i / (2 S)

(K colour factor, γ = 1 for a Dirac fermion; T = T3 of its left-handed component). The exact solution is
ŝ²(μ) = λ + (ŝ²(μ0) − λ) α̂(μ)/α̂(μ0) (ERM Eq. (15) without the higher-order λ2, λ3 terms). Above m_W the W
adds γ_W = −21/4 to S and the non-abelian term (α̂/4π)(22/3) to the slope (from ŝ² = α̂/α̂₂ with b₂ = −22/3).
Each particle is active above μ = its mass (sharp decoupling). α̂(μ → 0) = α(0).

Anchors: ŝ²(m_Z) = 0.23129 (PDG MSbar) is imposed; the hadronic (non-perturbative) running is represented by
one common effective threshold for u, d, s, solved for so that ŝ²(0) = 0.23857 (the low-Q value used by
Cadeddu et al., PDG 2018). Charm, bottom and top thresholds are the PDG masses (data file). This reproduces
both anchors exactly; between 0.1 and 2 GeV the sharp thresholds make the curve kinked where the dispersive
treatment is smooth (differences of a few 1e-4).

With a Z_d (C(7), low-Q substitution): sin²_eff(Q) = κ_d(Q) ŝ²(Q), f = m²/(m² + Q²).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.optimize import brentq

from zprime.core.constants import ALPHA, M_E, M_MU, M_TAU, M_W, M_Z, SIN2W_LOW_Q, SIN2W_MSBAR_MZ
from zprime.core.errors import InputError
from zprime.core.measurements import get as _get
from zprime.physics.observables.darkz_mixing import kappa_d, propagator_factor

# (name, colour factor × γ, charge Q, T3 of the left-handed component); masses attached in _thresholds().
_FERMIONS: tuple[tuple[str, float, float, float], ...] = (
    ("e", 1.0, -1.0, -0.5),
    ("mu", 1.0, -1.0, -0.5),
    ("tau", 1.0, -1.0, -0.5),
    ("u", 3.0, 2 / 3, 0.5),
    ("d", 3.0, -1 / 3, -0.5),
    ("s", 3.0, -1 / 3, -0.5),
    ("c", 3.0, 2 / 3, 0.5),
    ("b", 3.0, -1 / 3, -0.5),
    ("t", 3.0, 2 / 3, 0.5),
)


@dataclass(frozen=True)
class _Running:
    mu: np.ndarray  # threshold scales [MeV], ascending, starting at 0
    s_coef: np.ndarray  # S in each segment [mu_i, mu_{i+1})
    p_coef: np.ndarray  # λ·S (the ½ΣKγQT piece plus the W non-abelian term) in each segment
    inv_alpha: np.ndarray  # 1/α̂ at mu_i
    s2: np.ndarray  # ŝ² at mu_i
    light_threshold_mev: float


def _segments(m_light: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    thr = _get("darkz_quark_thresholds").parameters
    masses = {
        "e": M_E,
        "mu": M_MU,
        "tau": M_TAU,
        "u": m_light,
        "d": m_light,
        "s": m_light,
        "c": 1e3 * thr["m_c_gev"],
        "b": 1e3 * thr["m_b_gev"],
        "t": 1e3 * thr["m_t_gev"],
    }
    entries = [(masses[n], kg * q * q, 0.5 * kg * q * t3) for n, kg, q, t3 in _FERMIONS]
    # the W: γ = −21/4 in S; non-abelian part of the slope (α/4π)(22/3) = (α/3π)·(11/2) → P −= 11/2
    entries.append((M_W, -21.0 / 4.0, -11.0 / 2.0))
    entries.sort(key=lambda e: e[0])
    mu = np.array([0.0] + [e[0] for e in entries])
    s = np.cumsum([0.0] + [e[1] for e in entries])
    p = np.cumsum([0.0] + [e[2] for e in entries])
    return mu, s, p


def _build(m_light: float) -> _Running:
    mu, s, p = _segments(m_light)
    n = mu.size
    inv_a = np.empty(n)
    inv_a[0] = inv_a[1] = 1.0 / ALPHA  # nothing runs below the electron mass
    for i in range(1, n - 1):
        inv_a[i + 1] = inv_a[i] - s[i] / (3 * math.pi) * math.log(mu[i + 1] ** 2 / mu[i] ** 2)
    # ŝ²: anchored at m_Z, evolved down and up with the closed form in each segment
    s2 = np.empty(n)
    k = int(np.searchsorted(mu, M_Z, side="right") - 1)
    inv_a_mz = inv_a[k] - s[k] / (3 * math.pi) * math.log(M_Z**2 / mu[k] ** 2)
    s2[k] = _evolve(SIN2W_MSBAR_MZ, 1.0 / inv_a_mz, 1.0 / inv_a[k], s[k], p[k])
    for i in range(k, 0, -1):  # down: value at mu[i] known, segment i−1 covers [mu[i−1], mu[i])
        s2[i - 1] = _evolve(s2[i], 1.0 / inv_a[i], 1.0 / inv_a[i - 1], s[i - 1], p[i - 1])
    for i in range(k, n - 1):
        s2[i + 1] = _evolve(s2[i], 1.0 / inv_a[i], 1.0 / inv_a[i + 1], s[i], p[i])
    return _Running(mu, s, p, inv_a, s2, m_light)


def _evolve(
    s2_0: float | np.ndarray,
    a0: float | np.ndarray,
    a1: float | np.ndarray,
    s: float | np.ndarray,
    p: float | np.ndarray,
) -> np.ndarray:
    """ŝ²(μ1) = λ + (ŝ²(μ0) − λ) α̂(μ1)/α̂(μ0) with λ = P/S (no running where S = 0 and P = 0)."""
    s = np.asarray(s, float)
    p = np.asarray(p, float)
    a0 = np.asarray(a0, float)
    a1 = np.asarray(a1, float)
    safe = np.where(s == 0.0, 1.0, s)
    lam = p / safe
    return np.where(s == 0.0, s2_0 + 0.0 * a1, lam + (s2_0 - lam) * a1 / a0)


@lru_cache(maxsize=1)
def _running() -> _Running:
    def resid(log_m: float) -> float:
        return float(_build(math.exp(log_m)).s2[0]) - SIN2W_LOW_Q

    lm = brentq(resid, math.log(20.0), math.log(3000.0), xtol=1e-12)
    return _build(math.exp(lm))


def light_quark_threshold_mev() -> float:
    """The effective common u, d, s threshold [MeV] fixed by ŝ²(0) = 0.23857 (see module docstring)."""
    return _running().light_threshold_mev


def alpha_msbar(q_mev: np.ndarray | float) -> np.ndarray:
    """α̂(μ = Q) in the decoupling scheme of this module (one loop, sharp thresholds)."""
    run = _running()
    q = _check_q(q_mev)
    i = np.clip(np.searchsorted(run.mu, q, side="right") - 1, 0, run.mu.size - 1)
    base = np.where(i == 0, 1.0, run.mu[i])
    qq = np.where(i == 0, 1.0, q)
    inv = np.where(
        i == 0, run.inv_alpha[0], run.inv_alpha[i] - run.s_coef[i] / (3 * math.pi) * np.log(qq**2 / base**2)
    )
    return 1.0 / inv


def sin2w_msbar(q_mev: np.ndarray | float) -> np.ndarray:
    """SM MSbar ŝ²(Q) [Q in MeV]; 0.23857 for Q below m_e, 0.23129 at m_Z (Erler–Ramsey-Musolf style)."""
    run = _running()
    q = _check_q(q_mev)
    i = np.clip(np.searchsorted(run.mu, q, side="right") - 1, 0, run.mu.size - 1)
    a_here = alpha_msbar(q)
    a_i = 1.0 / run.inv_alpha[i]
    return _evolve(run.s2[i], a_i, a_here, run.s_coef[i], run.p_coef[i])


def sin2w_darkz(
    q_mev: np.ndarray | float,
    mass_mev: np.ndarray | float,
    epsilon: np.ndarray | float,
    delta: np.ndarray | float,
) -> np.ndarray:
    """sin²_eff(Q) = κ_d(Q) ŝ²(Q) with the Z_d (Cadeddu Eq. (7), f = m²/(m² + Q²), Davoudiasl et al. 2015)."""
    q = _check_q(q_mev)
    s2 = sin2w_msbar(q)
    f = propagator_factor(mass_mev, q**2)
    return kappa_d(mass_mev, epsilon, delta, f, s2) * s2


def _check_q(q_mev: np.ndarray | float) -> np.ndarray:
    q = np.asarray(q_mev, float)
    if np.any(~np.isfinite(q)) or np.any(q < 0):
        raise InputError("q_mev", "must be finite and >= 0 MeV")
    return q


__all__ = ["sin2w_msbar", "sin2w_darkz", "alpha_msbar", "light_quark_threshold_mev"]

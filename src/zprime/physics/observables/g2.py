"""Lepton anomalous magnetic moments from a Z' loop (Bodas et al. Eqs. (7)-(8); Cadeddu et al. Eqs. (8)-(11)).

Exact, vectorised evaluation (closed forms plus convergent series, no quadrature): relative error below
1e-12 (measured maximum 7e-13, at x ≈ 3) against 40-digit mpmath integration for x = m_Z'/m_l in
[1e-4, 1e5], including x = 2 (r = 1/4) and both limits of Bodas Eq. (8) (tests/test_g2.py).

Loop functions (x = m_Z'/m_l, a = x², r = 1/x² = m_l²/m_Z'²)::

    F_V(x) = ∫₀¹ 2z(1−z)² / P(z) dz                          Cadeddu Eq. (9)
    F_A(x) = ∫₀¹ [2(1−z)³ + a z(1−z)(z+3)] / P(z) dz          Cadeddu Eq. (11)
    P(z)   = (1−z)² + a z = z² + (a−2) z + 1

Identity with Bodas Eq. (7) (substitute z = 1 − t and divide numerator and denominator by a)::

    I_V(r) = ∫₀¹ t²(1−t)/(1−t+r t²) dt = F_V(x)/(2r),
    I_A(r) = ∫₀¹ [t(1−t)(4−t) + 2r t³]/(1−t+r t²) dt = F_A(x),

so that Bodas Eq. (7), Δa = r/(4π²) [C_V² I_V − C_A² I_A], reads

    Δa = C_V² F_V(x)/(8π²) − C_A² r F_A(x)/(4π²).

With C_V = e ε the vector part is Cadeddu Eq. (8), (α/2π) ε² F_V, because e² = 4πα.

Closed forms (polynomial division of the integrands by P(z); derived with sympy)::

    F_V = 1 − 2a + a(a−2) ln a − a(a² − 4a + 2) J
    F_A = (a−2)(2a−1)/2 − a(a² − 4a + 2) ln(a)/2 + a²(a−4)(a−2) J/2
    J   = ∫₀¹ dz/P(z) = arcsin(√u)/(x√u)  (u > 0),   arcsinh(√−u)/(x√−u)  (u < 0),   u = 1 − x²/4

(u = 0, x = 2, is r = 1/4, where the two roots of P coincide; there J = 1/2.) For x > 2 the roots of P are
−ρ and −1/ρ with ρ = 2/(a − 2 + x√(a − 4)) = 2r/(1 − 2r + √(1 − 4r)), J = −ρ ln ρ/(1 − ρ²), and the closed
forms regroup exactly into

    F_V = T_V(ρ) + 2ρ²(1+ρ)/(1−ρ) ln ρ,        F_A = T_A(ρ) + ρ(1+ρ)² ln ρ,

where T_V, T_A (rational functions of ρ times ln(1+ρ)) are analytic for |ρ| < 1; their Taylor coefficients
are rational and computed exactly at import (``_series_coefficients``): T_V = 2ρ/3 + 17ρ²/6 + ...,
T_A = 5/3 + 19ρ/12 − ρ²/30 + ....

Branches. Each point is assigned to one branch by a boolean mask; the mask is turned into indices once
(``np.flatnonzero``), the branch is evaluated with whole-array numpy operations on those points only
(``take``), and the results are scattered back. Long inputs are processed in cache-sized blocks of
``BLOCK`` points (a loop over blocks, never over points). Measured errors are against 40-digit mpmath.

1. x ≤ 3 (r ≥ 1/9): the closed forms. They do not cancel as x → 0 (F_V = 1 − πx − x²(1 + 4 ln x) + ...,
   F_A = 1 + O(x² ln x)); their rounding error grows like a³ ln a, so they stop at x = 3 (error ≤ 7e-13 there,
   ≤ 4e-14 for x ≤ 2). J is evaluated without cancellation in three sub-branches, δ = ``X_NEAR_2`` = 1e-3:

   a. x < 2 − δ: J = arcsin(t)/(x t), t² = u = (2−x)(2+x)/4. x is clipped at 1e-100 (where F_V = F_A = 1 to
      double precision) so that J cannot overflow.
   b. 2 + δ < x ≤ 3: J = −ρ ln ρ/((1−ρ)(1+ρ)), ρ = 2/(a − 2 + x√((x−2)(x+2))).
   c. |x − 2| ≤ δ (r → 1/4, the roots of P coincide): J = Σ_k (2k)!/(4^k k!² (2k+1)) u^k / x, 6 terms
      (truncation < 1e-17); J(2) = 1/2.

2. 3 < x ≤ 30 (0.0011 < ρ ≤ 0.146): F = T(ρ) + (T_2 ln ρ term) with 17 Taylor terms of T (truncation
   < 1e-16 relative). Large x is where the closed form cancels catastrophically (F_V → 2/(3x²) comes out
   of terms of size x⁶ ln x); the series has no cancellation.
3. x > 30 (ρ < 0.0011): the same with 6 terms (truncation < 1e-17 relative). ρ is formed from r, so
   x = ∞ (r = 0) gives the limits F_V = 0, I_V = 1/3, F_A = 5/3.

Public API (stable): ``f_v``, ``f_a``, ``bodas_vector_integral``, ``bodas_axial_integral``,
``delta_a_lepton``, ``delta_a``, ``delta_a_heavy_limit``, ``delta_a_light_limit``, and the loop coefficients
``loop_coefficients`` (K_V, K_A of Δa = C_V² K_V − C_A² K_A), ``darkz_vector_prefactor`` and
``darkz_axial_prefactor`` (the same loop in the ε, δ' normalisation of Cadeddu Eqs. (8), (10)). Every other
module takes its g−2 coefficients from here.

>>> round(float(f_v(1.0)), 12), round(float(f_a(1.0)), 12)
(0.209199576156, 1.313799364234)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

from zprime.core.constants import ALPHA, G_F, LEPTON_MASS_MEV
from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.physics.arrays import broadcast

__all__ = [
    "f_v",
    "f_a",
    "bodas_vector_integral",
    "bodas_axial_integral",
    "delta_a_lepton",
    "delta_a",
    "delta_a_e_mu",
    "delta_a_heavy_limit",
    "delta_a_light_limit",
    "loop_coefficients",
    "darkz_vector_prefactor",
    "darkz_axial_prefactor",
]

#: Branch switch points (see the module docstring).
X_CLOSED_MAX = 3.0
X_SERIES_FAR = 30.0
#: |x − 2| below which J uses its power series in u = 1 − x²/4 (|u| ≲ 1e-3).
X_NEAR_2 = 1e-3
_N_MID = 17
_N_FAR = 6
_X_MIN = 1e-100
#: Points per block in ``_kernel`` (cache blocking).
BLOCK = 1 << 16
#: Δa = C_V² F_V(x) _C_V − C_A² (m_l/m_Z')² F_A(x) _C_A (Bodas Eq. (7), module docstring).
_C_V = 1.0 / (8.0 * np.pi**2)
_C_A = 1.0 / (4.0 * np.pi**2)


# --------------------------------------------------------------------------------------------- series
def _log1p_coeff(k: int) -> Fraction:
    """Taylor coefficient of ρ^k in ln(1+ρ) (zero for k ≤ 0)."""
    return Fraction((-1) ** (k + 1), k) if k >= 1 else Fraction(0)


def _laurent_times_log(poly: list[int], shift: int, n_terms: int) -> list[Fraction]:
    """Coefficients of ρ^0..ρ^(n−1) of [Σ_j poly[j] ρ^j] ρ^(−shift) ln(1+ρ) (non-negative powers only)."""
    return [
        sum((p * _log1p_coeff(n + shift - j) for j, p in enumerate(poly)), Fraction(0))
        for n in range(n_terms)
    ]


def _series_coefficients(n_terms: int) -> tuple[list[Fraction], list[Fraction]]:
    """Exact Taylor coefficients of T_V(ρ), T_A(ρ) (module docstring), with a = (1+ρ)²/ρ.

    T_V = 1 − 2a + 2 a(a−2) ln(1+ρ),  a(a−2) = (1+ρ)²(1+ρ²)/ρ²;
    T_A = (a−2)(2a−1)/2 − a(a²−4a+2) ln(1+ρ),  (a−2)(2a−1)/2 = (1+ρ²)(2ρ²+3ρ+2)/(2ρ²),
    a(a²−4a+2) = (1+ρ)²(1+ρ⁴)/ρ³. The negative powers of ρ cancel exactly (checked here).
    """
    n_terms = max(n_terms, 3)
    # T_V: the log part, plus the polynomial part 1 − 2a = −3 − 2ρ − 2/ρ.
    tv = [2 * c for c in _laurent_times_log([1, 2, 2, 2, 1], 2, n_terms)]
    lv = _laurent_times_log([1, 2, 2, 2, 1], 2 - 1, 1)  # coefficient of ρ^(−1) of the log part
    if 2 * lv[0] - 2 != 0:
        raise AssertionError("T_V: the 1/ρ pole does not cancel")
    tv[0] -= 3
    tv[1] -= 2
    # T_A: (1+ρ²)(2ρ²+3ρ+2)/(2ρ²) = (2 + 3ρ + 4ρ² + 3ρ³ + 2ρ⁴)/(2ρ²); log part (1+ρ)²(1+ρ⁴)/ρ³.
    rat = [Fraction(c, 2) for c in (2, 3, 4, 3, 2)]  # powers −2..2
    ta = [-c for c in _laurent_times_log([1, 2, 1, 0, 1, 2, 1], 3, n_terms)]
    for neg in (1, 2):  # the ρ^(−1), ρ^(−2) coefficients must cancel
        pole = rat[2 - neg] - _laurent_times_log([1, 2, 1, 0, 1, 2, 1], 3 - neg, 1)[0]
        if pole != 0:
            raise AssertionError("T_A: a pole does not cancel")
    for k in range(3):
        ta[k] += rat[2 + k]
    return tv[:n_terms], ta[:n_terms]


_TV_EXACT, _TA_EXACT = _series_coefficients(_N_MID + 1)
#: Horner coefficients (highest power first) of T_V(ρ)/ρ (T_V(0) = 0) and T_A(ρ), n terms each.
_CV = {n: np.array([float(c) for c in _TV_EXACT[1 : n + 1]][::-1]) for n in (_N_MID, _N_FAR)}
_CA = {n: np.array([float(c) for c in _TA_EXACT[:n]][::-1]) for n in (_N_MID, _N_FAR)}

#: arcsin(t)/t = Σ_k (2k)!/(4^k k!² (2k+1)) t^(2k), highest power first.
_ASIN_SERIES = np.array([1.0, 1 / 6, 3 / 40, 5 / 112, 35 / 1152, 63 / 2816][::-1])


def _horner(coeffs: Any, t: Any) -> Any:
    """Σ_k coeffs[k] t^(n−1−k) (highest power first) by Horner's rule, in place on one new array (or on one
    Python float, with the coefficients as a list of floats: the same operations)."""
    s = t * coeffs[0]
    s += coeffs[1]
    for c in coeffs[2:]:
        s *= t
        s += c
    return s


# --------------------------------------------------------------------------------------------- kernel
def _closed_form(x: np.ndarray, a: np.ndarray, j: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """F_V, F_A from the closed forms with a = x² and J given (branch 1, x ≤ 3); j is overwritten."""
    return _closed_form_terms(np.log(x), a, j)


def _closed_form_terms(ln_a: Any, a: Any, j: Any) -> tuple[Any, Any]:
    """:func:`_closed_form` from ln x (given as ``ln_a``, overwritten by ln a = 2 ln x), on arrays (in place
    on ``ln_a`` and ``j``) or on Python floats (the same operations in the same order)."""
    ln_a *= 2.0
    am2 = a - 2.0
    w = a - 4.0
    w *= a  # a(a − 4)
    q = w + 2.0
    q *= a  # a(a² − 4a + 2)
    # F_V = 1 − 2a + a(a−2) ln a − q J
    fv = a * am2
    fv *= ln_a
    fv += 1.0
    fv -= a
    fv -= a
    ln_a *= q
    q *= j
    fv -= q
    # F_A = [(a−2)(2a−1) − q ln a + a²(a−4)(a−2) J]/2
    fa = a * 2.0
    fa -= 1.0
    fa *= am2
    fa -= ln_a
    w *= a
    w *= am2
    w *= j
    fa += w
    fa *= 0.5
    return fv, fa


def _closed_below_2(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Branch 1a, x < 2 − δ: J = arcsin(t)/(x t), t² = u = (2−x)(2+x)/4; x is a private copy."""
    np.maximum(x, _X_MIN, out=x)
    t = 2.0 - x
    t *= 2.0 + x
    t *= 0.25
    np.sqrt(t, out=t)
    j = np.arcsin(t)
    t *= x
    j /= t
    return _closed_form(x, x * x, j)


def _closed_above_2(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Branch 1b, 2 + δ < x ≤ 3: J = −ρ ln ρ/((1−ρ)(1+ρ)), ρ = 2/(a − 2 + x√((x−2)(x+2)))."""
    a = x * x
    rho = x - 2.0
    rho *= x + 2.0
    np.sqrt(rho, out=rho)
    rho *= x
    rho += a
    rho -= 2.0
    np.divide(2.0, rho, out=rho)
    j = np.log(rho)
    j *= rho
    rho *= rho
    rho -= 1.0
    j /= rho  # −ρ ln ρ/(1 − ρ²)
    return _closed_form(x, a, j)


def _closed_near_2(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Branch 1c, |x − 2| ≤ δ (r ≈ 1/4, the roots of P coincide): J = Σ_k c_k u^k / x."""
    return _near_2(x, _ASIN_SERIES, _closed_form)


def _near_2(x: Any, series: Any, closed_form: Callable[..., tuple[Any, Any]]) -> tuple[Any, Any]:
    """:func:`_closed_near_2` on an array, or on one Python float (``series`` the coefficients as floats and
    ``closed_form`` :func:`_closed_form_one`): the same operations."""
    u = 2.0 - x
    u *= 2.0 + x
    u *= 0.25
    j = _horner(series, u)
    j /= x
    return closed_form(x, x * x, j)


def _series(r: np.ndarray, n: int, vector_over_2r: bool) -> tuple[np.ndarray, np.ndarray]:
    """F_V (or F_V/(2r) = I_V) and F_A from the ρ series (branches 2 and 3, x > 3)."""
    g = r * -4.0
    g += 1.0
    np.sqrt(g, out=g)
    g += 1.0
    g -= r
    g -= r
    np.divide(2.0, g, out=g)  # g = ρ/r = 2/(1 − 2r + √(1 − 4r))
    rho = g * r
    rho_ln = np.maximum(rho, np.finfo(float).tiny)
    np.log(rho_ln, out=rho_ln)
    rho_ln *= rho  # ρ ln ρ
    hv = _horner(_CV[n], rho)  # T_V/ρ
    t = rho + 1.0
    t /= 1.0 - rho
    t *= 2.0
    t *= rho_ln
    hv += t  # F_V/ρ = T_V/ρ + 2ρ(1+ρ)/(1−ρ) ln ρ
    fa = _horner(_CA[n], rho)
    t = rho + 1.0
    t *= t
    t *= rho_ln
    fa += t  # F_A = T_A + ρ(1+ρ)² ln ρ
    if vector_over_2r:
        g *= 0.5
        hv *= g
    else:
        hv *= rho
    return hv, fa


def _kernel_block(
    x: np.ndarray, r: np.ndarray | None, vector_over_2r: bool, fv: np.ndarray, fa: np.ndarray
) -> None:
    """Fill fv (F_V, or I_V = F_V/(2r) if vector_over_2r) and fa (F_A) for one block of points."""
    if x.size == 1:  # one point: its branch from the same comparisons, without the masks
        branches = [(_ONE, *_branch_of(x[0]))]
        return _fill(x, r, vector_over_2r, fv, fa, branches)
    le3 = x <= X_CLOSED_MAX
    far = x > X_SERIES_FAR
    below = x < 2.0 - X_NEAR_2
    above = le3 & (x > 2.0 + X_NEAR_2)
    mid = ~(le3 | far)
    branches = [
        (np.flatnonzero(below), _closed_below_2, 0),
        (np.flatnonzero(above), _closed_above_2, 0),
        (np.flatnonzero(mid), _series, _N_MID),
        (np.flatnonzero(far), _series, _N_FAR),
    ]
    if sum(b[0].size for b in branches) < x.size:
        # every other point (|x − 2| ≤ δ, up to rounding at the edges): no point is left without a branch
        branches.append((np.flatnonzero(~(below | above | mid | far)), _closed_near_2, 0))
    _fill(x, r, vector_over_2r, fv, fa, branches)


_ONE = np.zeros(1, dtype=np.intp)
_ONE.flags.writeable = False


def _branch_of(x: float) -> tuple[Callable[..., tuple[np.ndarray, np.ndarray]], int]:
    """(function, series terms) of the branch of one x: the masks of :func:`_kernel_block` at one point."""
    le3 = x <= X_CLOSED_MAX
    if x < 2.0 - X_NEAR_2:
        return _closed_below_2, 0
    if le3 and x > 2.0 + X_NEAR_2:
        return _closed_above_2, 0
    far = x > X_SERIES_FAR
    if not (le3 or far):
        return _series, _N_MID
    if far:
        return _series, _N_FAR
    return _closed_near_2, 0  # |x − 2| ≤ δ (a NaN falls in the middle series, as with the masks)


def _fill(
    x: np.ndarray,
    r: np.ndarray | None,
    vector_over_2r: bool,
    fv: np.ndarray,
    fa: np.ndarray,
    branches: list[tuple[np.ndarray, Callable[..., tuple[np.ndarray, np.ndarray]], int]],
) -> None:
    """Evaluate each branch on its points (indices) and scatter the results into fv, fa."""
    for idx, func, n in branches:
        if idx.size == 0:
            continue
        if n:  # series branches work with r
            if r is not None:
                rr = r.take(idx)
            else:
                rr = 1.0 / x.take(idx)
                rr *= rr
            v, a = _series(rr, n, vector_over_2r)
        else:
            v, a = func(x.take(idx))
            if vector_over_2r:
                v /= 2.0 * r.take(idx)  # type: ignore[union-attr]
        fv[idx] = v
        fa[idx] = a


def _kernel(
    x: np.ndarray, r: np.ndarray | None = None, vector_over_2r: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """(F_V or I_V = F_V/(2r), F_A) on flat float arrays; x may be +inf where r (= 1/x²) is given and 0.

    Each branch's points are found once (``np.flatnonzero`` of its boolean mask), gathered with ``take``,
    evaluated with whole-array operations, and scattered back. Long inputs are processed in blocks of
    ``BLOCK`` points so that the temporaries stay in the CPU cache (about 2× faster for 1e6 points); the
    loop runs over blocks, never over points.
    """
    fv = np.empty_like(x)
    fa = np.empty_like(x)
    for s in range(0, x.size, BLOCK):
        sl = slice(s, s + BLOCK)
        _kernel_block(x[sl], None if r is None else r[sl], vector_over_2r, fv[sl], fa[sl])
    return fv, fa


# ------------------------------------------------------------------------------------------- one point
# The branches above on one x given as a Python float: the same IEEE operations in the same order (Python
# floats are IEEE doubles, as numpy's float64), with the logarithm and arcsine taken from numpy (the same
# ufunc loops as the array path), so the results equal the array path's bit for bit (tests/test_g2.py).
_CV_ONE = {n: [float(c) for c in v] for n, v in _CV.items()}
_CA_ONE = {n: [float(c) for c in v] for n, v in _CA.items()}
_ASIN_ONE = [float(c) for c in _ASIN_SERIES]
_TINY = float(np.finfo(float).tiny)


def _closed_form_one(x: float, a: float, j: float) -> tuple[float, float]:
    """:func:`_closed_form` of one number."""
    return _closed_form_terms(float(np.log(x)), a, j)  # type: ignore[no-any-return]


def _closed_below_2_one(x: float) -> tuple[float, float]:
    """:func:`_closed_below_2` of one number (x > 0)."""
    x = max(x, _X_MIN)
    t = 2.0 - x
    t *= 2.0 + x
    t *= 0.25
    t = math.sqrt(t)  # correctly rounded, as np.sqrt
    j = float(np.arcsin(t))
    t *= x
    j /= t
    return _closed_form_one(x, x * x, j)


def _closed_above_2_one(x: float) -> tuple[float, float]:
    """:func:`_closed_above_2` of one number."""
    a = x * x
    rho = x - 2.0
    rho *= x + 2.0
    rho = math.sqrt(rho)
    rho *= x
    rho += a
    rho -= 2.0
    rho = 2.0 / rho
    j = float(np.log(rho))
    j *= rho
    rho *= rho
    rho -= 1.0
    j /= rho
    return _closed_form_one(x, a, j)


def _closed_near_2_one(x: float) -> tuple[float, float]:
    """:func:`_closed_near_2` of one number."""
    return _near_2(x, _ASIN_ONE, _closed_form_one)  # type: ignore[no-any-return]


def _series_one(r: float, n: int) -> tuple[float, float]:
    """:func:`_series` (F_V, F_A) of one number."""
    g = r * -4.0
    g += 1.0
    g = math.sqrt(g)
    g += 1.0
    g -= r
    g -= r
    g = 2.0 / g
    rho = g * r
    rho_ln = float(np.log(max(rho, _TINY)))
    rho_ln *= rho
    hv = _horner(_CV_ONE[n], rho)
    t = rho + 1.0
    t /= 1.0 - rho
    t *= 2.0
    t *= rho_ln
    hv += t
    fa = _horner(_CA_ONE[n], rho)
    t = rho + 1.0
    t *= t
    t *= rho_ln
    fa += t
    hv *= rho
    return hv, fa


def _kernel_one(x: float) -> tuple[float, float]:
    """(F_V, F_A) of one finite x > 0: :func:`_kernel` of one point."""
    func, n = _branch_of(x)
    if n:
        rr = 1.0 / x
        rr *= rr
        return _series_one(rr, n)
    if func is _closed_below_2:
        return _closed_below_2_one(x)
    if func is _closed_above_2:
        return _closed_above_2_one(x)
    return _closed_near_2_one(x)


# --------------------------------------------------------------------------------------------- input
def _array(name: str, value: Any) -> np.ndarray:
    if isinstance(value, (str, bytes)):
        raise InputError(name, f"must be a number or array of numbers, got {value!r}")
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(name, f"must be a number or array of numbers, got {value!r}") from exc


def _positive(name: str, value: Any, unit: str = "") -> np.ndarray:
    """Float array of ``value``; InputError unless every element is positive and finite (NaN fails)."""
    arr = _array(name, value)
    if arr.size == 1:  # one number: the same test without the reductions
        v = arr.item()
        if not (v > 0 and v < math.inf):
            raise InputError(name, f"must be positive and finite (allowed range: 0 < {name} < inf{unit})")
    elif arr.size and not (arr.min() > 0 and arr.max() < np.inf):
        raise InputError(name, f"must be positive and finite (allowed range: 0 < {name} < inf{unit})")
    return arr


def _finite(name: str, value: Any) -> np.ndarray:
    """Float array of ``value``; InputError unless every element is finite (min/max propagate NaN)."""
    arr = _array(name, value)
    if arr.size == 1:
        if not math.isfinite(arr.item()):
            raise InputError(name, "must be finite")
    elif arr.size and not (np.isfinite(arr.min()) and np.isfinite(arr.max())):
        raise InputError(name, "must be finite")
    return arr


def _scalar_or_array(out: np.ndarray) -> np.ndarray:
    return out[()] if out.ndim == 0 else out


# --------------------------------------------------------------------------------------------- public
def f_v(x: Any) -> np.ndarray:
    """F_V(x) = ∫₀¹ 2z(1−z)²/((1−z)² + x² z) dz (Cadeddu Eq. (9)), x = m_Z'/m_l > 0.

    Limits: F_V → 1 − πx for x → 0, F_V → 2/(3x²) for x → ∞. Exact (see module docstring for branches).
    """
    xa = _positive("x", x)
    fv, _ = _kernel(xa.ravel())
    return _scalar_or_array(fv.reshape(xa.shape))


def f_a(x: Any) -> np.ndarray:
    """F_A(x) = ∫₀¹ [2(1−z)³ + x² z(1−z)(z+3)]/((1−z)² + x² z) dz (Cadeddu Eq. (11)), x = m_Z'/m_l > 0.

    Limits: F_A → 1 for x → 0, F_A → 5/3 for x → ∞.
    """
    xa = _positive("x", x)
    _, fa = _kernel(xa.ravel())
    return _scalar_or_array(fa.reshape(xa.shape))


def _bodas(r: Any) -> tuple[np.ndarray, np.ndarray, tuple[int, ...]]:
    ra = _finite("r", r)
    if np.any(ra < 0):
        raise InputError("r", "must be non-negative and finite (allowed range: 0 <= r < inf)")
    flat = ra.ravel()
    x = np.full_like(flat, np.inf)
    pos = flat > 0
    x[pos] = 1.0 / np.sqrt(flat[pos])
    iv, ia = _kernel(x, flat, vector_over_2r=True)
    return iv, ia, ra.shape


def bodas_vector_integral(r: Any) -> np.ndarray:
    """I_V(r) = ∫₀¹ x²(1−x)/(1 − x + x² r) dx (Bodas Eq. (7), C_V² term), r = m_l²/m_Z'² ≥ 0.

    I_V(r) = F_V(1/√r)/(2r); I_V(0) = 1/3, I_V → 1/(2r) for r → ∞.
    """
    iv, _, shape = _bodas(r)
    return _scalar_or_array(iv.reshape(shape))


def bodas_axial_integral(r: Any) -> np.ndarray:
    """I_A(r) = ∫₀¹ [x(1−x)(4−x) + 2x³ r]/(1 − x + x² r) dx (Bodas Eq. (7), C_A² term), r ≥ 0.

    I_A(r) = F_A(1/√r); I_A(0) = 5/3, I_A → 1 for r → ∞.
    """
    _, ia, shape = _bodas(r)
    return _scalar_or_array(ia.reshape(shape))


def delta_a_lepton(mass_mev: Any, cv: Any, ca: Any, lepton_mass_mev: float) -> np.ndarray:
    """Bodas Eq. (7): Δa = C_V² F_V(x)/(8π²) − C_A² (m_l/m_Z')² F_A(x)/(4π²), x = m_Z'/m_l.

    Equal to m_l²/(4π² m_Z'²) [C_V² I_V(r) − C_A² I_A(r)] (Bodas Eq. (7) as printed) by the identity in the
    module docstring. Broadcasts over mass_mev, cv, ca (and lepton_mass_mev); when the masses are fewer than
    the broadcast points the loop functions are evaluated once per mass. Errors name the parameter:
    mass_mev and lepton_mass_mev must be positive and finite, cv and ca finite.
    """
    m = _positive("mass_mev", mass_mev, " MeV")
    ml = _positive("lepton_mass_mev", lepton_mass_mev, " MeV")
    cva = _finite("cv", cv)
    caa = _finite("ca", ca)
    try:
        same = ml.ndim == 0 and m.shape == cva.shape == caa.shape  # (Couplings fields of one shape)
        shape = m.shape if same else np.broadcast_shapes(m.shape, ml.shape, cva.shape, caa.shape)
    except ValueError as exc:
        raise InputError("mass_mev", f"mass_mev, cv, ca, lepton_mass_mev do not broadcast: {exc}") from exc
    if same and m.size == 1:  # one point: the fused path below, on Python floats
        mv, mlv, cv1, ca1 = m.item(), ml.item(), cva.item(), caa.item()
        if cv1 == 0.0 and ca1 == 0.0 and 1e-12 <= mv / mlv <= 1e15:  # no coupling: as below
            return _scalar_or_array(np.zeros(shape))
        fv1, fa1 = _kernel_one(mv / mlv)
        v = cv1 * cv1
        v *= fv1
        v *= _C_V
        q = mlv / mv
        q *= ca1
        q *= q
        q *= fa1
        q *= _C_A
        v -= q
        return _scalar_or_array(np.array([v]).reshape(shape))
    if not (cva.any() or caa.any()) and m.size and ml.size:
        # No coupling to this lepton: Δa = 0 exactly (F_V, F_A are finite and positive for 1e-12 ≤ x ≤ 1e15,
        # so the general path gives +0.0 too); skips the loop functions.
        x_lo, x_hi = float(np.min(m)) / float(np.max(ml)), float(np.max(m)) / float(np.min(ml))
        if 1e-12 <= x_lo and x_hi <= 1e15:
            return _scalar_or_array(np.zeros(shape))
    if m.shape != shape or ml.ndim:
        x = m / ml
        fv, fa = _kernel(np.ravel(x))
        with np.errstate(over="ignore"):
            ar = caa * (ml / m)
            # the same operation order as the fused path below (identical results, bit for bit)
            out = (cva * cva) * fv.reshape(x.shape) * _C_V - (ar * ar) * fa.reshape(x.shape) * _C_A
        return _scalar_or_array(np.asarray(out))
    # Common case (one mass per point): fused, cache-blocked evaluation of Δa.
    mf = np.ascontiguousarray(m).reshape(-1)
    cvf = np.ascontiguousarray(cva if same else np.broadcast_to(cva, shape)).reshape(-1)
    caf = np.ascontiguousarray(caa if same else np.broadcast_to(caa, shape)).reshape(-1)
    out = np.empty(mf.shape)
    mlv = float(ml)
    with np.errstate(over="ignore"):
        for s in range(0, mf.size, BLOCK):
            sl = slice(s, s + BLOCK)
            mb = mf[sl]
            x = mb / mlv
            fv = np.empty_like(x)
            fa = np.empty_like(x)
            _kernel_block(x, None, False, fv, fa)
            v = cvf[sl] * cvf[sl]
            v *= fv
            v *= _C_V
            np.divide(mlv, mb, out=x)  # m_l/m_Z'
            x *= caf[sl]
            x *= x
            x *= fa
            x *= _C_A
            v -= x
            out[sl] = v
    return _scalar_or_array(out.reshape(shape))


def loop_coefficients(mass_mev: Any, lepton_mass_mev: Any) -> tuple[np.ndarray, np.ndarray]:
    """(K_V, K_A) with Δa = C_V² K_V − C_A² K_A (Bodas Eq. (7)): K_V = F_V(x)/(8π²),
    K_A = (m_l/m_Z')² F_A(x)/(4π²), x = m_Z'/m_l; both positive. Broadcasts over the two masses.

    The same floating-point operations as :func:`delta_a_lepton`, so K_V = delta_a_lepton(m, 1, 0, m_l) and
    K_A = −delta_a_lepton(m, 0, 1, m_l) bit for bit.
    """
    m = _positive("mass_mev", mass_mev, " MeV")
    ml = _positive("lepton_mass_mev", lepton_mass_mev, " MeV")
    try:
        shape = np.broadcast_shapes(m.shape, ml.shape)
    except ValueError as exc:
        raise InputError("mass_mev", f"mass_mev and lepton_mass_mev do not broadcast: {exc}") from exc
    mb = np.broadcast_to(m, shape)
    x = mb / ml
    fv, fa = _kernel(np.ravel(x))
    with np.errstate(over="ignore"):
        r = ml / mb
        k_v = fv.reshape(shape) * _C_V
        k_a = (r * r) * fa.reshape(shape) * _C_A
    return _scalar_or_array(np.asarray(k_v)), _scalar_or_array(np.asarray(k_a))


def darkz_vector_prefactor() -> float:
    """α/(2π) of a_ℓ,vector = (α/2π) g_V² F_V (Cadeddu Eq. (8)); equals e²/(8π²) = _C_V·e² of Bodas Eq. (7)."""
    return ALPHA / (2 * np.pi)


def darkz_axial_prefactor(lepton_mass_mev: float) -> float:
    """G_F m_ℓ²/(8√2π²) of a_ℓ,axial = −G_F m_ℓ²/(8√2π²) δ'² F_A (Cadeddu Eq. (10)) [m_ℓ in MeV]."""
    ml = float(lepton_mass_mev)
    return G_F * ml * ml / (8 * math.sqrt(2) * math.pi**2)


def delta_a_heavy_limit(mass_mev: Any, cv: Any, ca: Any, lepton_mass_mev: float) -> np.ndarray:
    """Bodas Eq. (8), m_l ≪ m_Z': Δa ≈ m_l² (C_V² − 5 C_A²)/(12π² m_Z'²)."""
    m = _positive("mass_mev", mass_mev, " MeV")
    ml = _positive("lepton_mass_mev", lepton_mass_mev, " MeV")
    cva = _finite("cv", cv)
    caa = _finite("ca", ca)
    return _scalar_or_array(np.asarray((ml / m) ** 2 * (cva**2 - 5.0 * caa**2) / (12.0 * np.pi**2)))


def delta_a_light_limit(mass_mev: Any, cv: Any, ca: Any, lepton_mass_mev: float) -> np.ndarray:
    """Bodas Eq. (8), m_l ≫ m_Z': Δa ≈ (m_Z'² C_V² − 2 m_l² C_A²)/(8π² m_Z'²)."""
    m = _positive("mass_mev", mass_mev, " MeV")
    ml = _positive("lepton_mass_mev", lepton_mass_mev, " MeV")
    cva = _finite("cv", cv)
    caa = _finite("ca", ca)
    return _scalar_or_array(np.asarray((cva**2 - 2.0 * (ml / m) ** 2 * caa**2) / (8.0 * np.pi**2)))


def delta_a_e_mu(c: Couplings) -> tuple[np.ndarray, np.ndarray]:
    """(``delta_a(c, "e")``, ``delta_a(c, "mu")``) with the loop functions of both leptons evaluated in one
    pass over the x = m_Z'/m_l of both (one set of branch masks and array operations instead of two): the
    same operations on every element as :func:`delta_a_lepton`, so the same numbers bit for bit."""
    n = c.size
    if n <= 1 or n > BLOCK // 2:
        return delta_a(c, "e"), delta_a(c, "mu")
    shape = c.shape
    m = broadcast(c.mass_mev, shape).reshape(-1)  # Couplings fields: validated (positive, finite)
    todo: list[tuple[int, float, np.ndarray, np.ndarray]] = []
    out: list[np.ndarray] = []
    for i, flavour in enumerate(("e", "mu")):
        ml = LEPTON_MASS_MEV[flavour]
        cv, ca = c.cv(flavour), c.ca(flavour)
        x_lo, x_hi = float(np.min(m)) / ml, float(np.max(m)) / ml
        if not (cv.any() or ca.any()) and 1e-12 <= x_lo and x_hi <= 1e15:  # as delta_a_lepton
            out.append(np.zeros(n))
        else:
            todo.append((i, ml, broadcast(cv, shape).reshape(-1), broadcast(ca, shape).reshape(-1)))
            out.append(np.empty(n))
    if todo:
        x = np.concatenate([m / ml for _, ml, _, _ in todo])
        fv, fa = _kernel(x)
        with np.errstate(over="ignore"):
            for j, (i, ml, cv, ca) in enumerate(todo):  # the fused path of delta_a_lepton
                sl = slice(j * n, (j + 1) * n)
                v = cv * cv
                v *= fv[sl]
                v *= _C_V
                q = np.divide(ml, m)
                q *= ca
                q *= q
                q *= fa[sl]
                q *= _C_A
                v -= q
                out[i] = v
    e, mu = (broadcast(a.reshape(shape), shape) for a in out)
    return e, mu


def delta_a(c: Couplings, flavour: str) -> np.ndarray:
    """Δa_α (Bodas Eq. (7)) of the Z' described by ``c`` for α = 'e', 'mu' or 'tau'; shape ``c.shape``."""
    if flavour not in LEPTON_MASS_MEV:
        raise InputError("flavour", f"must be one of {', '.join(LEPTON_MASS_MEV)}, got {flavour!r}")
    return broadcast(
        delta_a_lepton(c.mass_mev, c.cv(flavour), c.ca(flavour), LEPTON_MASS_MEV[flavour]), c.shape
    )

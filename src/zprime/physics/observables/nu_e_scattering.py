"""Neutrino–electron elastic scattering with a Z' (Bodas Sec. 3.1.3, 3.2.2, Eqs. (13), (14)).

Formulae as in Lindner, Queiroz, Rodejohann, Xu, JHEP 05 (2018) 098 (arXiv:1803.00060).

Cross section (ν_α e → ν_α e; see also Bilmis et al., PRD 92 (2015) 033009)::

    dσ/dT = (2 G_F² m_e/π) [ g̃_L² + g̃_R² (1 − T/E)² − g̃_L g̃_R m_e T/E² ]      (ν̄: swap g̃_L ↔ g̃_R)
    g̃_{L,R} = g_{L,R} + C_να (C_Ve ∓ C_Ae) / (2√2 G_F (2 m_e T + m_Z'²))       (upper sign for g̃_L)

SM side, convention ``L_eff = −2√2 G_F [ν̄γ^μ P_L ν][ē γ_μ (g_L P_L + g_R P_R) e]``: g_L = (g_V + g_A)/2,
g_R = (g_V − g_A)/2 with the PDG low-energy couplings g_V^{νe}, g_A^{νe} (data file
measurements/neutrino_scattering.yaml); ν_e adds +1 to g_L (W exchange, Fierz-rearranged). The Z' of Bodas
Eq. (6) (C_V + C_A γ5 = (C_V − C_A) P_L + (C_V + C_A) P_R) adds the second term above; the signs agree
with every C_A-odd coefficient of Bodas Eqs. (13), (14) and are tested (a Z' that copies the SM Z doubles
the neutral current).

Experiment settings (sources, windows, flavour mix: neutrino_scattering.yaml):

- TEXONO: reactor ν̄_e, Huber–Mueller spectrum, recoil window 3–8 MeV;
- Borexino: ⁷Be line 862 keV, 50% ν_e + 25% ν_μ + 25% ν_τ, recoil window 0.27–0.665 MeV;
- CHARM-II: ν_μ and ν̄_μ beams approximated by lines at their mean energies 23.7 and 19.1 GeV, recoil 3–24 GeV.

Speed and exactness: the rate is quadratic in the Z' amplitude b·P(T), P = 1/(2 m_e T + m_Z'²). With h₁ = g̃_L
(ν) or g̃_R (ν̄), h_i = g_i + b_i P, the Z' part of the rate is
Σ_channels f [b₁(2g₁ M_A − g₂ M_C) + b₂(2g₂ M_B − g₁ M_C) + b₁² N_A + b₂² N_B − b₁ b₂ N_C], where
M_j = Σ_k K_jk P_k and N_j = Σ_k K_jk P_k² are sums over a fixed Gauss–Legendre grid in ln T and K_jk are the
source-integrated kernels of dσ/dT (precomputed once per setting). Only the P_k depend on m_Z'; nothing is
expanded, so the result holds for every m_Z' > 0 to the quadrature accuracy (< 1e-10 of the shift, tested).
Bodas Eqs. (13), (14) (the seed's heavy-Z' fits) are :func:`texono_ratio_seed`, :func:`borexino_ratio_seed`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from zprime.core.constants import G_F, HBAR_C_MEV_FM, M_E
from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.core.measurements import EditionLike, EditionRef, Measurement, edition_ref, get
from zprime.physics.arrays import broadcast

#: 1/(2√2 G_F) [MeV²]: converts C_ν C_e/(q² + m²) into a shift of g_L, g_R (module docstring)
KAPPA_MEV2: float = 1.0 / (2.0 * math.sqrt(2.0) * G_F)
#: 1 MeV⁻² in cm², (ħc)² with ħc in MeV·cm
MEV2_TO_CM2: float = (HBAR_C_MEV_FM * 1e-13) ** 2
#: Prefactor 2 G_F² m_e/π of dσ/dT [MeV⁻³]
SIGMA0_MEV3: float = 2.0 * G_F**2 * M_E / math.pi

_FLAVOURS = ("e", "mu", "tau")
#: Gauss–Legendre nodes in ln T per setting (each reproduces 64 nodes to < 1e-10 of the Z' shift for
#: 1e-4 < m_Z' < 1e6 MeV; see tests), and in E for the reactor spectrum
N_NODES: dict[str, int] = {"texono": 12, "borexino": 8, "charm2": 10}
N_E_NODES = 96
#: Rows per chunk in the moment evaluation (bounds temporary memory to a few MB)
_CHUNK = 1 << 14

try:  # np.einsum without ``optimize`` is this call; its Python wrapper costs about a microsecond
    from numpy._core.multiarray import c_einsum as _c_einsum
except ImportError:  # pragma: no cover - another numpy layout
    _c_einsum = np.einsum


# ----------------------------------------------------------------------------------------------- kinematics
def t_max_kin(e_nu_mev: np.ndarray | float) -> np.ndarray:
    """Largest electron recoil energy T_max = 2E²/(m_e + 2E) [MeV]."""
    e = np.asarray(e_nu_mev, float)
    return 2.0 * e**2 / (M_E + 2.0 * e)


def e_min_kin(t_mev: np.ndarray | float) -> np.ndarray:
    """Smallest neutrino energy that can give recoil T: E_min = (T + √(T² + 2 m_e T))/2 [MeV]."""
    t = np.asarray(t_mev, float)
    return 0.5 * (t + np.sqrt(t * t + 2.0 * M_E * t))


# ----------------------------------------------------------------------------------------------- couplings
def _check_flavour(flavour: str) -> str:
    if flavour not in _FLAVOURS:
        raise InputError("flavour", f"must be one of {_FLAVOURS}, got {flavour!r}")
    return flavour


def sm_couplings(flavour: str, edition: EditionLike = None) -> tuple[float, float]:
    """SM (g_L, g_R) for ν_α e: g_L = (g_V + g_A)/2 (+1 for ν_e), g_R = (g_V − g_A)/2 (PDG low-energy g's)."""
    _check_flavour(flavour)
    return _sm_couplings(flavour, *edition_ref(edition))


@lru_cache(maxsize=8)
def _sm_couplings(flavour: str, edition: str, _ref: EditionRef) -> tuple[float, float]:
    gv = get("nu_e_gv_sm", edition).value
    ga = get("nu_e_ga_sm", edition).value
    g_l = 0.5 * (gv + ga) + (1.0 if flavour == "e" else 0.0)
    return g_l, 0.5 * (gv - ga)


def zprime_amplitudes(c: Couplings, flavour: str) -> tuple[np.ndarray, np.ndarray]:
    """(a_L, a_R) = C_να (C_Ve ∓ C_Ae)/(2√2 G_F) [MeV²]: g̃_{L,R} = g_{L,R} + a_{L,R}/(2 m_e T + m_Z'²)."""
    cnu = c.cnu(_check_flavour(flavour))
    return KAPPA_MEV2 * cnu * (c.c_ve - c.c_ae), KAPPA_MEV2 * cnu * (c.c_ve + c.c_ae)


def effective_couplings(
    c: Couplings | None, flavour: str, t_mev: np.ndarray | float, edition: EditionLike = None
) -> tuple[np.ndarray, np.ndarray]:
    """g̃_{L,R}(T) = g_{L,R} + C_να (C_Ve ∓ C_Ae)/(2√2 G_F (2 m_e T + m_Z'²)); SM if c is None."""
    g_l, g_r = sm_couplings(flavour, edition)
    t = np.asarray(t_mev, float)
    if c is None:
        return np.full(t.shape, g_l), np.full(t.shape, g_r)
    a_l, a_r = zprime_amplitudes(c, flavour)
    p = 1.0 / (2.0 * M_E * t + c.mass_mev**2)
    return g_l + a_l * p, g_r + a_r * p


def dsigma_dt(
    c: Couplings | None,
    flavour: str,
    e_nu_mev: np.ndarray | float,
    t_mev: np.ndarray | float,
    antineutrino: bool = False,
    edition: EditionLike = None,
) -> np.ndarray:
    """dσ/dT [MeV⁻³] for ν_α e (or ν̄_α e) at neutrino energy E and recoil T (Bodas Sec. 3.1.3).

    dσ/dT = (2G_F² m_e/π)[g̃_L² + g̃_R²(1 − T/E)² − g̃_L g̃_R m_e T/E²], g̃_L ↔ g̃_R for ν̄; zero above T_max(E).
    ``c`` None gives the SM. Broadcasts over the couplings, E and T (multiply by MEV2_TO_CM2 for cm²/MeV).
    """
    e = np.asarray(e_nu_mev, float)
    t = np.asarray(t_mev, float)
    if np.any(e <= 0):
        raise InputError("e_nu_mev", "must be positive (allowed range: 0 < E < inf MeV)")
    if np.any(t < 0):
        raise InputError("t_mev", "must be non-negative (allowed range: 0 <= T <= T_max(E))")
    g_l, g_r = effective_couplings(c, flavour, t, edition)
    h1, h2 = (g_r, g_l) if antineutrino else (g_l, g_r)
    y = t / e
    val = SIGMA0_MEV3 * (h1**2 + h2**2 * (1.0 - y) ** 2 - h1 * h2 * M_E * t / e**2)
    return np.where(t <= t_max_kin(e), val, 0.0)


def sigma_window(
    c: Couplings | None,
    flavour: str,
    e_nu_mev: float,
    t_min_mev: float = 0.0,
    t_max_mev: float | None = None,
    antineutrino: bool = False,
    n_nodes: int = 48,
    edition: EditionLike = None,
) -> np.ndarray:
    """σ = ∫ dσ/dT dT [MeV⁻²] over t_min ≤ T ≤ min(t_max, T_max(E)) for one neutrino energy.

    Gauss–Legendre in u = ln(2 m_e T + m_Z'²) (mass-dependent nodes; exact for the SM polynomial and smooth
    for the propagator at any m_Z'); broadcasts over the couplings. Not the hot path (see RateSetting).
    """
    e = float(e_nu_mev)
    if not e > 0:
        raise InputError("e_nu_mev", "must be positive (allowed range: 0 < E < inf MeV)")
    t_hi = float(t_max_kin(e)) if t_max_mev is None else min(float(t_max_mev), float(t_max_kin(e)))
    if not 0.0 <= t_min_mev < t_hi:
        raise InputError("t_min_mev", f"must satisfy 0 <= t_min_mev < min(t_max, T_max(E)) = {t_hi:.6g} MeV")
    x, w = np.polynomial.legendre.leggauss(n_nodes)
    if c is None:  # polynomial in T: Gauss–Legendre in T is exact
        t = 0.5 * (t_hi - t_min_mev) * x + 0.5 * (t_hi + t_min_mev)
        return np.sum(0.5 * (t_hi - t_min_mev) * w * dsigma_dt(None, flavour, e, t, antineutrino, edition))
    # u − u_lo = ln((2 m_e T + m²)/(2 m_e t_min + m²)) in [0, L]; expm1/log1p keep T exact for heavy Z'
    m2 = (np.asarray(c.mass_mev, float) ** 2)[..., None]
    q2_lo = 2.0 * M_E * t_min_mev + m2
    span = np.log1p(2.0 * M_E * (t_hi - t_min_mev) / q2_lo)
    du = 0.5 * span * (x + 1.0)
    t = np.clip(t_min_mev + q2_lo * np.expm1(du) / (2.0 * M_E), t_min_mev, t_hi)
    jac = 0.5 * span * w * (2.0 * M_E * t + m2) / (2.0 * M_E)
    cc = c.replace(
        **{
            k: np.asarray(getattr(c, k))[..., None]
            for k in ("mass_mev", "c_ve", "c_ae", "c_nue", "c_numu", "c_nutau")
        }
    )
    return np.sum(jac * dsigma_dt(cc, flavour, e, t, antineutrino, edition), axis=-1)


# ----------------------------------------------------------------------------------------------- sources
def reactor_spectrum(
    e_nu_mev: np.ndarray | float, fractions: dict[str, float] | None = None, edition: EditionLike = None
) -> np.ndarray:
    """Reactor ν̄_e spectrum per fission Σ_i f_i exp(Σ_k a_ik E^k) [1/MeV] (Huber 2011 for ²³⁵U, ²³⁹Pu, ²⁴¹Pu;
    Mueller et al. 2011 for ²³⁸U). Default fission fractions: the TEXONO entry of neutrino_scattering.yaml.
    """
    spec = get("reactor_spectrum_huber_mueller", edition).parameters
    if fractions is None:
        p = get("texono_nuebar_e", edition).parameters
        fractions = {iso: p[f"f_{iso}"] for iso in ("u235", "pu239", "u238", "pu241")}
    e = np.asarray(e_nu_mev, float)
    out = np.zeros(e.shape)
    for iso, f in fractions.items():
        coeffs = [spec[f"{iso}_a{k}"] for k in range(6)]
        out = out + f * np.exp(np.polynomial.polynomial.polyval(e, coeffs))
    return out * get("reactor_spectrum_huber_mueller", edition).value


@dataclass(frozen=True)
class Channel:
    """One (anti)neutrino flavour of a setting and the fraction of the source flux it carries."""

    flavour: str
    antineutrino: bool
    fraction: float = 1.0


@dataclass(frozen=True)
class _Group:
    """Channels with the same SM couplings (g₁, g₂) and helicity; they share the first-order rows."""

    antineutrino: bool
    members: tuple[tuple[str, float], ...]  # (flavour, flux fraction)


@dataclass(frozen=True)
class RateSetting:
    """An experiment: Gauss–Legendre nodes in ln T over the recoil window, source-integrated kernels.

    Kernels at node T_k (source spectrum φ folded in, times the node weight, divided by the SM rate):
    A_k = ∫dE φ, B_k = ∫dE φ (1 − T_k/E)², C_k = ∫dE φ m_e T_k/E² (coefficients of h₁², h₂², −h₁h₂ in dσ/dT,
    h₁ = g̃_L for ν and g̃_R for ν̄). All channels of a setting share the kernels (same source shape).
    ``ratio(c)`` = σ/σ_SM integrated over the setting, for any m_Z' > 0.

    Hot path: with d = C_Ve − C_Ae, s = C_Ve + C_Ae and (b₁, b₂) = (d, s) for ν, (s, d) for ν̄,
    shift = Σ_groups S₁ (b₁ X₁ + b₂ X₂) + Σ_helicity S₂ (b₁² Y_A + b₂² Y_B + b₁ b₂ Y_C), with
    S₁ = Σ f C_να, S₂ = Σ f C_να², X_i = Σ_k R_ik P_k (R₁ = κ(2g₁A − g₂C), R₂ = κ(2g₂B − g₁C)) and
    Y_j = κ² Σ_k (A, B, −C)_k P_k²: only the P_k (one division per node and point) depend on m_Z'.
    """

    name: str
    t_nodes: np.ndarray
    q2_nodes: np.ndarray  # 2 m_e T_k [MeV²]
    kernels: np.ndarray  # (3, N): A, B, C per node, divided by sm_rate
    channels: tuple[Channel, ...]
    g: tuple[tuple[float, float], ...]  # SM (g₁, g₂) per channel
    sm_rate: float  # Σ_k Σ_ch f [g₁²A + g₂²B − g₁g₂C], in units of 2G_F²m_e/π
    groups: tuple[_Group, ...]
    rows1: np.ndarray  # (2 n_groups, N): κ(2g₁A − g₂C), κ(2g₂B − g₁C) per group
    rows2: np.ndarray  # (3, N): κ²(A, B, −C)

    @cached_property
    def _flavours(self) -> list[str]:
        """The neutrino flavours of the channels, sorted."""
        return sorted({ch.flavour for ch in self.channels})

    @cached_property
    def _coupling_fields(self) -> tuple[tuple[str, str], ...]:
        """(flavour, Couplings field) of each flavour of :attr:`_flavours`."""
        return tuple((f, f"c_nu{f}") for f in self._flavours)

    @classmethod
    def build(
        cls,
        name: str,
        t_nodes: np.ndarray,
        t_weights: np.ndarray,
        kern_a: np.ndarray,
        kern_b: np.ndarray,
        kern_c: np.ndarray,
        channels: list[Channel],
        edition: EditionLike = None,
    ) -> RateSetting:
        """Weight the kernels by the ln-T quadrature, normalise to the SM rate, fold in the SM couplings."""
        k = np.vstack([kern_a, kern_b, kern_c]) * t_weights
        gs = []
        sm = 0.0
        by_g: dict[tuple[bool, float, float], list[tuple[str, float]]] = {}
        for ch in channels:
            g_l, g_r = sm_couplings(ch.flavour, edition)
            g1, g2 = (g_r, g_l) if ch.antineutrino else (g_l, g_r)
            gs.append((g1, g2))
            by_g.setdefault((ch.antineutrino, g1, g2), []).append((ch.flavour, ch.fraction))
            sm += ch.fraction * float(np.sum(g1 * g1 * k[0] + g2 * g2 * k[1] - g1 * g2 * k[2]))
        if not sm > 0:
            raise InputError(name, "SM rate in the recoil window is zero; check the window and the source")
        k = k / sm
        groups = tuple(_Group(anti, tuple(mem)) for (anti, _, _), mem in by_g.items())
        rows1 = KAPPA_MEV2 * np.vstack(
            [r for (_, g1, g2) in by_g for r in (2.0 * g1 * k[0] - g2 * k[2], 2.0 * g2 * k[1] - g1 * k[2])]
        )
        rows2 = KAPPA_MEV2**2 * np.vstack([k[0], k[1], -k[2]])
        t = np.asarray(t_nodes)
        return cls(name, t, 2.0 * M_E * t, k, tuple(channels), tuple(gs), sm, groups, rows1, rows2)

    def moments(self, mass_mev: np.ndarray | float) -> tuple[np.ndarray, np.ndarray]:
        """(M, N) with M_j = Σ_k K_jk P_k, N_j = Σ_k K_jk P_k², P_k = 1/(2 m_e T_k + m²), j = A, B, C.

        Shapes (3,) + m.shape each (diagnostics; the hot path uses the coupling-folded rows).
        """
        m2 = np.asarray(mass_mev, float) ** 2
        p = 1.0 / (self.q2_nodes[None, :] + m2.reshape(-1, 1))
        mom1 = np.einsum("jk,nk->jn", self.kernels, p)
        p *= p
        mom2 = np.einsum("jk,nk->jn", self.kernels, p)
        return mom1.reshape((3,) + m2.shape), mom2.reshape((3,) + m2.shape)

    def _shift_block(
        self,
        m: np.ndarray | float,
        cve: np.ndarray | float,
        cae: np.ndarray | float,
        cnu: dict[str, np.ndarray | float],
        work: np.ndarray | None = None,
    ) -> np.ndarray | float:
        """Rate shift for a block of points (1-D arrays or scalars); formula in the class docstring.

        ``work`` is an optional (≥ block, nodes) buffer for the propagators P_k, reused across blocks (a
        fresh array of that size would be page-faulted in on every block). The einsum contraction avoids
        BLAS (threaded BLAS on tiny matrices is slow on a shared machine); each point's sums run over its
        own contiguous row of P, so a point's number does not depend on the other points of the block.
        """
        m2 = np.asarray(m, float) ** 2
        n_pts = m2.size
        if work is None or work.shape[0] < n_pts:
            work = np.empty((n_pts, self.q2_nodes.size))
        p = work[:n_pts]
        np.add(self.q2_nodes[None, :], m2.reshape(-1, 1), out=p)
        np.divide(1.0, p, out=p)
        x = np.einsum("jk,nk->jn", self.rows1, p)
        p *= p
        y = np.einsum("jk,nk->jn", self.rows2, p)
        if m2.ndim == 0:
            x, y = x[:, 0], y[:, 0]
        return self._combine(x, y, cve, cae, cnu)

    def _combine(self, x: Any, y: Any, cve: Any, cae: Any, cnu: Mapping[str, Any]) -> Any:
        """The rate shift from the propagator sums x (the A, B, C rows of each group, first power) and y
        (squared), on arrays or on Python floats (the same operations in the same order)."""
        d = cve - cae
        s = cve + cae
        total: Any = 0.0
        s2: dict[bool, Any] = {}
        for i, grp in enumerate(self.groups):
            s1: Any = 0.0
            for fl, f in grp.members:
                s1 = s1 + f * cnu[fl]
                s2[grp.antineutrino] = s2.get(grp.antineutrino, 0.0) + f * cnu[fl] ** 2
            b1, b2 = (s, d) if grp.antineutrino else (d, s)
            total = total + s1 * (b1 * x[2 * i] + b2 * x[2 * i + 1])
        for anti, s2v in s2.items():
            b1, b2 = (s, d) if anti else (d, s)
            total = total + s2v * (b1 * (b1 * y[0] + b2 * y[2]) + b2 * b2 * y[1])
        return total

    def _shift_one(self, m: float, cve: float, cae: float, cnu: dict[str, float]) -> float:
        """:meth:`_shift_block` of one point given as Python floats: the same contractions (``c_einsum``,
        which ``np.einsum`` calls without ``optimize``) on the same (1, nodes) row, and the same operations
        in the same order on the sums, done on Python floats (IEEE doubles, as numpy's float64 scalars)."""
        m2 = m * m  # np.asarray(m) ** 2 is np.square, one product
        p = np.add(self.q2_nodes, m2).reshape(1, -1)
        np.divide(1.0, p, out=p)
        x = _c_einsum("jk,nk->jn", self.rows1, p)[:, 0].tolist()
        p *= p
        y = _c_einsum("jk,nk->jn", self.rows2, p)[:, 0].tolist()
        return self._combine(x, y, cve, cae, cnu)  # type: ignore[no-any-return]

    def shift(self, c: Couplings) -> np.ndarray:
        """σ/σ_SM − 1 for every point of ``c`` (exact in m_Z'; shape c.shape).

        Points are processed in blocks of _CHUNK so that every temporary stays small (large temporaries
        page-fault and dominate the time); fields that are scalars stay scalars.
        """
        shape = c.shape
        n = math.prod(shape)
        flavours = self._flavours
        if n == 1:  # one point
            cnu = {f: getattr(c, name).item() for f, name in self._coupling_fields}
            total = self._shift_one(c.mass_mev.item(), c.c_ve.item(), c.c_ae.item(), cnu)
            return np.array(total) if shape == () else np.full(shape, total)
        fields = {"m": c.mass_mev, "cve": c.c_ve, "cae": c.c_ae, **{f: c.cnu(f) for f in flavours}}
        flat = {k: (v.item() if v.size == 1 else broadcast(v, shape).reshape(-1)) for k, v in fields.items()}
        if all(isinstance(v, float) for v in flat.values()):
            return np.full(shape, self._shift_block(flat["m"], flat["cve"], flat["cae"], flat))
        out = np.empty(n)
        work = np.empty((min(n, _CHUNK), self.q2_nodes.size))
        for i in range(0, n, _CHUNK):
            blk = {k: (v if isinstance(v, float) else v[i : i + _CHUNK]) for k, v in flat.items()}
            out[i : i + _CHUNK] = self._shift_block(blk["m"], blk["cve"], blk["cae"], blk, work)
        return out.reshape(shape)

    def ratio(self, c: Couplings) -> np.ndarray:
        """σ/σ_SM integrated over the setting (exact in m_Z'; shape c.shape)."""
        return 1.0 + self.shift(c)

    def heavy_limit_coefficients(self) -> dict[str, dict[str, float]]:
        """m_Z' → ∞ form of Bodas Eqs. (13), (14): σ/σ_SM = 1 + Σ_α C_να (ℓ_V C_Ve + ℓ_A C_Ae)/m²
        + Σ_α C_να² (q_VV C_Ve² + q_VA C_Ve C_Ae + q_AA C_Ae²)/m⁴ (m in MeV).

        Returns {flavour: {lin_v, lin_a, quad_vv, quad_va, quad_aa}} [MeV², MeV⁴], exactly (P → 1/m², no fit).
        """
        ka, kb, kc = self.kernels.sum(axis=1)
        out: dict[str, dict[str, float]] = {}
        k1, k2 = KAPPA_MEV2, KAPPA_MEV2**2
        keys = ("lin_v", "lin_a", "quad_vv", "quad_va", "quad_aa")
        for ch, (g1, g2) in zip(self.channels, self.g, strict=True):
            s = -1.0 if ch.antineutrino else 1.0  # b₁ = κC_ν(C_V − sC_A), b₂ = κC_ν(C_V + sC_A)
            u1, u2 = ch.fraction * (2 * g1 * ka - g2 * kc), ch.fraction * (2 * g2 * kb - g1 * kc)
            v11, v22, v12 = ch.fraction * ka, ch.fraction * kb, -ch.fraction * kc
            d = out.setdefault(ch.flavour, dict.fromkeys(keys, 0.0))
            d["lin_v"] += k1 * (u1 + u2)
            d["lin_a"] += k1 * s * (u2 - u1)
            d["quad_vv"] += k2 * (v11 + v22 + v12)
            d["quad_va"] += k2 * 2.0 * s * (v22 - v11)
            d["quad_aa"] += k2 * (v11 + v22 - v12)
        return out


def _log_t_grid(t_lo: float, t_hi: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss–Legendre nodes and weights for ∫_{t_lo}^{t_hi} f(T) dT in u = ln T (weights include T)."""
    x, w = np.polynomial.legendre.leggauss(n)
    a, b = math.log(t_lo), math.log(t_hi)
    t = np.exp(0.5 * (b - a) * x + 0.5 * (b + a))
    return t, 0.5 * (b - a) * w * t


def _line_kernels(e_nu: float, t: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Kernels (A, B, C) of a monochromatic source of energy e_nu at recoil nodes t."""
    return np.ones(t.shape), (1.0 - t / e_nu) ** 2, M_E * t / e_nu**2


def _window(name: str, t_lo: float, t_hi: float) -> tuple[float, float]:
    if not 0.0 < t_lo < t_hi:
        raise InputError(name, f"recoil window must satisfy 0 < t_min < t_max, got [{t_lo}, {t_hi}] MeV")
    return t_lo, t_hi


def texono_setting(edition: EditionLike = None, n_nodes: int = N_NODES["texono"]) -> RateSetting:
    """TEXONO: reactor ν̄_e (Huber–Mueller, E ≤ e_max_mev), recoil window t_min–t_max (Deniz et al. 2010);
    built once per resolved edition (a user edition file changed on disk is read again)."""
    return _texono_setting(*edition_ref(edition), n_nodes)


@lru_cache(maxsize=4)
def _texono_setting(edition: str, _ref: EditionRef, n_nodes: int) -> RateSetting:
    p = get("texono_nuebar_e", edition).parameters
    t_lo, t_hi = _window("texono", p["t_min_mev"], min(p["t_max_mev"], float(t_max_kin(p["e_max_mev"]))))
    t, wt = _log_t_grid(t_lo, t_hi, n_nodes)
    x, w = np.polynomial.legendre.leggauss(N_E_NODES)
    e_lo = e_min_kin(t)[:, None]
    e_hi = p["e_max_mev"]
    e = 0.5 * (e_hi - e_lo) * x + 0.5 * (e_hi + e_lo)
    we = 0.5 * (e_hi - e_lo) * w * reactor_spectrum(e, edition=edition)
    tt = t[:, None]
    ka, kb, kc = (
        np.sum(we, axis=1),
        np.sum(we * (1.0 - tt / e) ** 2, axis=1),
        np.sum(we * M_E * tt / e**2, axis=1),
    )
    return RateSetting.build("texono", t, wt, ka, kb, kc, [Channel("e", True)], edition)


def borexino_setting(edition: EditionLike = None, n_nodes: int = N_NODES["borexino"]) -> RateSetting:
    """Borexino ⁷Be (862 keV line): 50% ν_e, 25% ν_μ, 25% ν_τ; recoil window t_min–min(t_max, T_max); built
    once per resolved edition."""
    return _borexino_setting(*edition_ref(edition), n_nodes)


@lru_cache(maxsize=4)
def _borexino_setting(edition: str, _ref: EditionRef, n_nodes: int) -> RateSetting:
    p = get("borexino_be7", edition).parameters
    e = p["e_nu_mev"]
    t_lo, t_hi = _window("borexino", p["t_min_mev"], min(p["t_max_mev"], float(t_max_kin(e))))
    t, wt = _log_t_grid(t_lo, t_hi, n_nodes)
    chans = [Channel(fl, False, p[f"f_nu{fl}"]) for fl in _FLAVOURS]
    return RateSetting.build("borexino", t, wt, *_line_kernels(e, t), chans, edition)


def charm2_setting(
    antineutrino: bool, edition: EditionLike = None, n_nodes: int = N_NODES["charm2"]
) -> RateSetting:
    """CHARM-II ν_μ (⟨E⟩ = 23.7 GeV) or ν̄_μ (19.1 GeV) beam as a line at its mean energy; recoil 3–24 GeV;
    built once per resolved edition."""
    return _charm2_setting(bool(antineutrino), *edition_ref(edition), n_nodes)


@lru_cache(maxsize=8)
def _charm2_setting(antineutrino: bool, edition: str, _ref: EditionRef, n_nodes: int) -> RateSetting:
    p = get("charm2_numu_e", edition).parameters
    e = p["e_nubar_mev"] if antineutrino else p["e_nu_mev"]
    t_lo, t_hi = _window("charm2", p["t_min_mev"], min(p["t_max_mev"], float(t_max_kin(e))))
    t, wt = _log_t_grid(t_lo, t_hi, n_nodes)
    name = "charm2_nubar" if antineutrino else "charm2_nu"
    return RateSetting.build(name, t, wt, *_line_kernels(e, t), [Channel("mu", antineutrino)], edition)


# ----------------------------------------------------------------------------------------------- ratios
def texono_ratio(c: Couplings, edition: EditionLike = None) -> np.ndarray:
    """σ(ν̄_e e)/σ_SM in the TEXONO setting, full Z' propagator; any m_Z' > 0."""
    return texono_setting(edition).ratio(c)


def borexino_ratio(c: Couplings, edition: EditionLike = None) -> np.ndarray:
    """Flavour-weighted ⁷Be ν e rate / SM in the Borexino setting, full Z' propagator."""
    return borexino_setting(edition).ratio(c)


def charm2_ratios(c: Couplings, edition: EditionLike = None) -> tuple[np.ndarray, np.ndarray]:
    """(σ/σ_SM for ν_μ e, σ/σ_SM for ν̄_μ e) in the CHARM-II setting (mean-energy lines; Bodas Sec. 3.2.2)."""
    return charm2_setting(False, edition).ratio(c), charm2_setting(True, edition).ratio(c)


def texono_ratio_seed(c: Couplings, edition: EditionLike = None) -> np.ndarray:
    """Bodas Eq. (13): 1 + (2.07 C_Ve + 1.39 C_Ae) x + (1.37 C_Ve² + 2.62 C_Ve C_Ae + 1.64 C_Ae²) x²,
    x = 1e11 C_νe (MeV/m_Z')². Heavy-Z' form: valid for m_Z'² ≫ 2 m_e T."""
    p = get("texono_nuebar_e", edition).parameters
    x = p["b13_scale"] * c.c_nue / c.mass_mev**2
    cv, ca = c.c_ve, c.c_ae
    r = (
        1.0
        + (p["b13_lin_v"] * cv + p["b13_lin_a"] * ca) * x
        + (p["b13_quad_vv"] * cv**2 + p["b13_quad_va"] * cv * ca + p["b13_quad_aa"] * ca**2) * x**2
    )
    return broadcast(r, c.shape).copy()


def borexino_ratio_seed(c: Couplings, edition: EditionLike = None) -> np.ndarray:
    """Bodas Eq. (14): 1 + 1e10 (MeV/m)² [C_Ve(6.86 C_νe − 1.16 C_νμ − 1.16 C_ντ)
    + C_Ae(−8.27 C_νe + 2.22 C_νμ + 2.22 C_ντ)]
    + 1e21 (MeV/m)⁴ (1.38 C_Ae² + 0.81 C_Ve² − 1.38 C_Ve C_Ae)(2 C_νe² + C_νμ² + C_ντ²)."""
    p = get("borexino_be7", edition).parameters
    inv2 = 1.0 / c.mass_mev**2
    cmt = c.c_numu + c.c_nutau
    lin = c.c_ve * (p["b14_lin_ve"] * c.c_nue + p["b14_lin_vmu"] * cmt) + c.c_ae * (
        p["b14_lin_ae"] * c.c_nue + p["b14_lin_amu"] * cmt
    )
    quad = (
        p["b14_quad_aa"] * c.c_ae**2 + p["b14_quad_vv"] * c.c_ve**2 + p["b14_quad_va"] * c.c_ve * c.c_ae
    ) * (2.0 * c.c_nue**2 + c.c_numu**2 + c.c_nutau**2)
    r = 1.0 + p["b14_lin_scale"] * inv2 * lin + p["b14_quad_scale"] * inv2**2 * quad
    return broadcast(r, c.shape).copy()


def seed_min_mass_mev(measurement: Measurement) -> float:
    """Lower validity edge of a heavy-Z' seed form: f·√(2 m_e T_max), f = the entry's seed_validity_factor."""
    p = measurement.parameters
    return p["seed_validity_factor"] * math.sqrt(2.0 * M_E * p["t_max_mev"])


__all__ = [
    "KAPPA_MEV2",
    "MEV2_TO_CM2",
    "SIGMA0_MEV3",
    "N_NODES",
    "t_max_kin",
    "e_min_kin",
    "sm_couplings",
    "zprime_amplitudes",
    "effective_couplings",
    "dsigma_dt",
    "sigma_window",
    "reactor_spectrum",
    "Channel",
    "RateSetting",
    "texono_setting",
    "borexino_setting",
    "charm2_setting",
    "texono_ratio",
    "borexino_ratio",
    "charm2_ratios",
    "texono_ratio_seed",
    "borexino_ratio_seed",
    "seed_min_mass_mev",
]

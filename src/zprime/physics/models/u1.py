"""Shared gauge-mixing algebra for U(1)′ extensions of the SM (Bodas et al. Eqs. (18)–(29), (31)–(32)).

Derivation (tree level, exact in g′ and g̃)
----------------------------------------------------
After removing the kinetic mixing of Eq. (18) with the rotation of Eq. (19), the covariant derivative is
Eq. (20), D_μ = ∂_μ + i g₁ Y B_μ + i g₂ T³ W³_μ + i (g̃ Y + g′ z) X_μ, with g̃ = −g₁ ε/√(1−ε²) exactly
(≃ −g₁ε, as printed) and g′ the U(1)′ coupling that multiplies X after the rescaling. The photon
A = c_w B + s_w W³ stays massless and decouples exactly. With Z₀ = c_w W³ − s_w B and g_Z = e/(s_w c_w),
Higgs doublets H_j (U(1)′ charge z_j, vev fraction w_j = v_j²/v², Σ w_j = 1) and a singlet S give the
(Z₀, X) mass matrix

    M² = [[ A, B ], [ B, D ]],  A = g_Z² v²/4 ≡ m_Z₀²,  B = −(v²/4) g_Z u,  u ≡ Σ_j w_j (g̃ + 2 g′ z_j),
    D = (v²/4) Σ_j w_j (g̃ + 2 g′ z_j)² + g′² z_S² v_S²,

which is Eq. (22) (one doublet: u = g′ z′_H) and Eqs. (25)–(26) (two doublets;
"z²_H2" = c_β² z′₁² + s_β² z′₂²).
We take the physical m_Z′ as the input and eliminate z_S v_S: the light eigenvector gives, with the sign
convention of Eq. (21) (Z′ = −s_φ Z₀ + c_φ X),

    tan φ = B / (A − m_Z′²) = −(u / g_Z) · m_Z₀² / (m_Z₀² − m_Z′²).

A chiral fermion (T³, Q, Y, z) then couples as L ⊃ −g_f f̄ γ^μ f Z′_μ with

    g_f = −g_Z s_φ (T³ − Q s_w²) + c_φ (g̃ Y + g′ z),

so C_V = (g_R + g_L)/2, C_A = (g_R − g_L)/2 for charged leptons and quarks, C_ν = g_νL (Bodas Eq. (6)).
Expanding to leading order in g′, g̃ and m_Z′²/m_Z² reproduces Eqs. (23), (24), (27), (28), (32), and
Eq. (29) with z_H as in Eq. (26) (not the plain Higgs charge). Exact consequences used in the tests:

* e_L and ν_L share Y and z, so C_Vα − C_Aα − C_να = g_L(e) − g(ν) = c_w² g_Z s_φ for every flavour
  (≃ −c_w²(g̃ + 2g′z̄), z̄ = Σ w_j z_j): Eq. (33), and Eq. (30) for universal C_A.
* With a gauge-invariant Yukawa through a single doublet, C_A = (u/4) c_φ m_Z′²/(m_Z₀² − m_Z′²): zero at
  leading order (Eq. (24)), suppressed by m_Z′²/m_Z² beyond.
* Shifting every U(1)′ charge along hypercharge, z → z + κY, together with g̃ → g̃ − κg′, leaves all
  couplings unchanged (it is a field redefinition). The class models use it to fix one Higgs charge to zero.

Input conventions: m_Z₀ = M_Z (PDG) and s_w² = SIN2W_LOW_Q (MSbar at Q → 0, the scale of the processes
the Z′ enters). The O(g′² v²/m_Z²) shift of the heavy eigenvalue away from M_Z is neglected; none of the
relations above depends on these choices. D − (v²/4)Σ w_j(g̃+2g′z_j)² = g′²z_S²v_S² must be ≥ 0 for the
point to exist (always true for one doublet): :func:`singlet_mass_term` returns it.

Public API (a stable extension point: plugin and user models build on it, see ``docs/extending.md``)
---------------------------------------------------------------------------------------------------
Reference: S. Bodas, M. Coy, S. F. King, "Solving the electron and muon g−2 anomalies in Z′ models",
Eur. Phys. J. C 81 (2021) 1065, arXiv:2102.07781, Sec. 2 (equation numbers above and below are theirs).

* :func:`g_tilde_from_eps` – kinetic mixing, Eqs. (18)–(19);
* :func:`higgs_u`, :func:`mixing` – Z–Z′ mass mixing, Eqs. (21)–(22), (25)–(26);
* :func:`chiral_coupling`, :func:`tree_couplings` – couplings of each chiral field, Eqs. (6), (20), (23)–(24);
* :func:`singlet_mass_term` – existence of the point (singlet vev);
* :func:`vector_u1_couplings`, :class:`VectorU1Model` – vector-like U(1)′ with photon kinetic mixing;
* :func:`loop_kinetic_mixing` – the photon–Z′ mixing induced by charged-lepton loops (``eps="loop"``);
* :func:`mass_parameter`, :func:`coupling_parameter` – the parameter declarations the shipped models use.

All functions take numpy arrays and broadcast. Example (L_μ − L_τ, one doublet of charge 0)::

    >>> from zprime.physics.models.u1 import g_tilde_from_eps, tree_couplings
    >>> g = 1e-3
    >>> c = tree_couplings(20.0, g_tilde_from_eps(0.0), gz_higgs=(0.0,), vev_fractions=(1.0,),
    ...                    gz_l=(0.0, g, -g), gz_r=(0.0, g, -g))
    >>> round(float(c.c_vmu), 12), round(float(c.c_amu), 12)
    (0.001, 0.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from zprime.core.constants import E_CHARGE, ELECTRIC_CHARGE, LEPTON_MASS_MEV, M_Z, SIN2W_LOW_Q
from zprime.core.couplings import QUARK_FLAVOURS, Couplings
from zprime.core.errors import InputError
from zprime.physics.models.base import Model, Parameter

#: Weak mixing angle used for the Z–Z′ mixing (see module docstring)
SW2: float = SIN2W_LOW_Q
CW2: float = 1.0 - SW2
#: g_Z = e/(s_w c_w) and the hypercharge coupling g₁ = e/c_w
G_Z: float = E_CHARGE / math.sqrt(SW2 * CW2)
G_1: float = E_CHARGE / math.sqrt(CW2)
#: m_Z₀ (the Z mass before Z–Z′ mixing) [MeV]
M_Z0: float = M_Z
#: v²/4 = m_Z₀²/g_Z²  [MeV²]
V2_OVER_4: float = M_Z0**2 / G_Z**2

#: (T³, Q, Y) of the chiral SM fields
QUANTUM_NUMBERS: dict[str, tuple[float, float, float]] = {
    "eL": (-0.5, -1.0, -0.5),
    "eR": (0.0, -1.0, -1.0),
    "nuL": (0.5, 0.0, -0.5),
    "uL": (0.5, 2 / 3, 1 / 6),
    "uR": (0.0, 2 / 3, 2 / 3),
    "dL": (-0.5, -1 / 3, 1 / 6),
    "dR": (0.0, -1 / 3, -1 / 3),
    "nuR": (0.0, 0.0, 0.0),
}
FLAVOURS: tuple[str, str, str] = ("e", "mu", "tau")
#: Quark generations as (up-type, down-type) flavours: (u, d), (c, s), (t, b)
GENERATIONS: tuple[tuple[str, str], ...] = (("u", "d"), ("c", "s"), ("t", "b"))
UP_TYPE: tuple[str, ...] = ("u", "c", "t")


def g_tilde_from_eps(eps: ArrayLike) -> np.ndarray:
    """Kinetic mixing: g̃ = −g₁ ε/√(1−ε²), with g₁ = e/c_w (:data:`G_1`).

    ε is the kinetic-mixing parameter of Bodas Eq. (18), L ⊃ −(ε/2) B_μν X^μν; removing it with the
    rotation of Eq. (19) puts g̃ Y X_μ into the covariant derivative, Eq. (20). Exact form (Eq. (19)
    prints the leading order g̃ ≃ −g₁ε). Requires |ε| < 1.
    """
    e = np.asarray(eps, float)
    return -G_1 * e / np.sqrt(1.0 - e**2)


def higgs_u(
    g_tilde: ArrayLike, gz_higgs: Sequence[ArrayLike], vev_fractions: Sequence[ArrayLike]
) -> np.ndarray:
    """Off-diagonal mass-mixing combination u = Σ_j w_j (g̃ + 2 g′z_j).

    ``gz_higgs`` holds g′z_j for every Higgs doublet and ``vev_fractions`` w_j = v_j²/v² (Σ_j w_j = 1).
    The (Z₀, X) mass matrix has off-diagonal element B = −(v²/4) g_Z u: u = g′z′_H of Bodas Eq. (22)
    for one doublet and g′z_H of Eq. (26) for two (type-I 2HDM, w = c_β², s_β²).
    """
    g_tilde = np.asarray(g_tilde, float)
    return sum(
        (
            np.asarray(w, float) * (g_tilde + 2.0 * np.asarray(gz, float))
            for gz, w in zip(gz_higgs, vev_fractions, strict=True)
        ),
        start=np.zeros(()),
    )


def mixing(mass_mev: ArrayLike, u: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Z–Z′ mass mixing: (sin φ, cos φ) for a light eigenstate of mass m_Z′ = ``mass_mev`` [MeV].

    tan φ = B/(A − m_Z′²) = −(u/g_Z) m_Z₀²/(m_Z₀² − m_Z′²), exact for the 2×2 (Z₀, X) mass matrix with
    A = m_Z₀², B = −(v²/4) g_Z u (``u`` from :func:`higgs_u`); sign convention of Bodas Eq. (21),
    Z′ = −s_φ Z₀ + c_φ X. Reduces to Eq. (22) (and Eq. (25) for two doublets) at leading order.
    """
    m2 = np.asarray(mass_mev, float) ** 2
    t = -(np.asarray(u, float) / G_Z) * M_Z0**2 / (M_Z0**2 - m2)
    c = 1.0 / np.sqrt(1.0 + t * t)
    return t * c, c


def chiral_coupling(
    s_phi: ArrayLike, c_phi: ArrayLike, field: str, g_tilde: ArrayLike, gz: ArrayLike
) -> np.ndarray:
    """Z′ coupling of one chiral SM field: g_f = −g_Z s_φ (T³ − Q s_w²) + c_φ (g̃ Y + g′z).

    L ⊃ −g_f f̄γ^μ f Z′_μ; ``field`` is a key of :data:`QUANTUM_NUMBERS` (eL, eR, nuL, uL, uR, dL, dR)
    giving (T³, Q, Y), ``gz`` = g′z_f. From the covariant derivative of Bodas Eq. (20) rotated with
    Eq. (21); Eqs. (23)–(24) are its leading order.
    """
    t3, q, y = QUANTUM_NUMBERS[field]
    return -G_Z * s_phi * (t3 - q * SW2) + c_phi * (np.asarray(g_tilde, float) * y + np.asarray(gz, float))


def tree_couplings(
    mass_mev: ArrayLike,
    g_tilde: ArrayLike,
    *,
    gz_higgs: Sequence[ArrayLike],
    vev_fractions: Sequence[ArrayLike],
    gz_l: Sequence[ArrayLike],
    gz_r: Sequence[ArrayLike],
    gz_q: ArrayLike = 0.0,
    gz_u: ArrayLike = 0.0,
    gz_d: ArrayLike = 0.0,
    gz_generations: Sequence[tuple[ArrayLike, ArrayLike, ArrayLike]] | None = None,
    gz_nu_r: Sequence[ArrayLike] | None = None,
) -> Couplings:
    """Tree-level Z′ couplings (Bodas Eq. (6)) of an SM+U(1)′ with any number of Higgs doublets.

    ``gz_*`` are the products g′z of the U(1)′ coupling and the charges: ``gz_higgs`` per doublet (with
    vev fractions w_j, Σ w_j = 1), ``gz_l``/``gz_r`` per lepton flavour (e, μ, τ) for the doublet l_L and
    singlet e_R. Quarks: ``gz_q``, ``gz_u``, ``gz_d`` (doublet Q, singlets u_R, d_R) hold for all three
    generations (c, t as u; s, b as d), unless ``gz_generations`` gives one (g′z_Q, g′z_u, g′z_d) per
    generation ((u, d), (c, s), (t, b)). ``gz_nu_r``: charges of light right-handed neutrinos ν_Rα (SM
    singlets), giving C_νRα = c_φ g′z_νRα; None for none (C_νR = 0). All arguments broadcast.

    With g_L, g_R from :func:`chiral_coupling` and φ from :func:`mixing`: C_V = (g_R + g_L)/2,
    C_A = (g_R − g_L)/2 for charged leptons and quarks, C_ν = g_νL. Leading order: Eqs. (23)–(24) (one
    doublet), (27)–(29) (two doublets), (32) (Froggatt–Nielsen charges, Eq. (31)).
    """
    u = higgs_u(g_tilde, gz_higgs, vev_fractions)
    s, c = mixing(mass_mev, u)
    gz_l, gz_r = tuple(gz_l), tuple(gz_r)
    _ = tuple(zip(FLAVOURS, gz_l, gz_r, strict=True))  # one charge per flavour, checked first as before
    gens = [(gz_q, gz_u, gz_d)] * 3 if gz_generations is None else list(gz_generations)
    if len(gens) != 3:
        raise InputError("gz_generations", f"needs three quark generations, got {len(gens)}")
    return _ChiralFields(s, c, g_tilde, gz_l, gz_r, gens, gz_nu_r).couplings(mass_mev)


class _ChiralFields:
    """The arithmetic of :func:`chiral_coupling` for every field of :func:`tree_couplings`, with the parts that
    several fields share computed once: −g_Z s_φ (T³ − Q s_w²) per (T³, Q), g̃Y per hypercharge and
    c_φ(g̃Y + g′z) per (Y, charge) (e_L and ν_L of a flavour share it); each field is then the same sum of the
    same numbers as :func:`chiral_coupling` gives (bit for bit). When every field has one broadcast shape (a
    batch of points) the couplings are written as the rows of one block, which
    :meth:`~zprime.core.couplings.Couplings._from_block` checks and keeps at once."""

    def __init__(
        self,
        s: np.ndarray,
        c: np.ndarray,
        g_tilde: ArrayLike,
        gz_l: Sequence[ArrayLike],
        gz_r: Sequence[ArrayLike],
        gens: list,
        gz_nu_r: Sequence[ArrayLike] | None,
    ):
        self.c, self.g_tilde = c, np.asarray(g_tilde, float)
        self.gs = -G_Z * s  # the first product of chiral_coupling, −g_Z s_φ
        self.gz_l, self.gz_r, self.gens = tuple(gz_l), tuple(gz_r), gens
        self.gz_nu_r = None if gz_nu_r is None else tuple(gz_nu_r)
        self._left: dict[tuple[float, float], np.ndarray] = {}
        self._gy: dict[float, np.ndarray] = {}
        self._right: dict[tuple[float, int], tuple[np.ndarray, Any]] = {}

    def _shape(self) -> tuple[int, ...] | None:
        """The one shape of every field: that of −g_Z s_φ and g̃, where every charge is a real number or a
        real array of that shape (None otherwise, and for 0-d fields)."""
        gs, gt = np.shape(self.gs), self.g_tilde.shape
        shape = gs if gs == gt else np.broadcast_shapes(gs, gt)
        if not shape:
            return None
        charges = [*self.gz_l, *self.gz_r, *(z for g in self.gens for z in g), *(self.gz_nu_r or ())]
        for z in charges:
            if isinstance(z, np.ndarray):
                if z.dtype.kind not in "fiu" or (z.shape and z.shape != shape):
                    return None
            elif not isinstance(z, (float, int, np.floating, np.integer)) or isinstance(z, bool):
                return None
        return shape

    def field(self, name: str, gz: ArrayLike, out: np.ndarray | None = None) -> np.ndarray:
        """:func:`chiral_coupling` (s_φ, c_φ, ``name``, g̃, ``gz``), into ``out`` if given."""
        t3, q, y = QUANTUM_NUMBERS[name]
        left = self._left.get((t3, q))
        if left is None:
            left = self._left[(t3, q)] = self.gs * (t3 - q * SW2)
        hit = self._right.get((y, id(gz)))
        if hit is None:
            gy = self._gy.get(y)
            if gy is None:
                gy = self._gy[y] = self.g_tilde * y
            # (gz kept with it: its id stays unique while the entry lives)
            hit = self._right[(y, id(gz))] = (self.c * (gy + np.asarray(gz, float)), gz)
        return np.add(left, hit[0], out=out)

    def couplings(self, mass_mev: ArrayLike) -> Couplings:
        """The :class:`~zprime.core.couplings.Couplings` of :func:`tree_couplings`."""
        names = [f"c_{k}{fl}" for fl in FLAVOURS for k in ("v", "a", "nu")]
        # generation-universal quark charges: computed once (key: kind and the charges' ids)
        quark: dict[tuple[str, int, int], tuple[int, Any, Any]] = {}
        same: list[tuple[str, int]] = []
        for (up, down), (zq, zu, zd) in zip(GENERATIONS, self.gens, strict=True):
            for qk, kind, zr in ((up, "u", zu), (down, "d", zd)):
                key = (kind, id(zq), id(zr))
                if key not in quark:
                    quark[key] = (len(names), zq, zr)
                    names += [f"c_v{qk}", f"c_a{qk}"]
                else:
                    same.append((qk, quark[key][0]))
        if self.gz_nu_r is not None:
            names += [f"c_nur{fl}" for fl in FLAVOURS]
        shape = self._shape()
        block = None if shape is None else np.empty((len(names), *shape))
        out: dict[str, np.ndarray] = {}

        def put(i: int, gl: np.ndarray, gr: np.ndarray) -> None:
            """C_V = (g_R + g_L)/2 and C_A = (g_R − g_L)/2 into fields i, i + 1."""
            if block is None:
                out[names[i]], out[names[i + 1]] = 0.5 * (gr + gl), 0.5 * (gr - gl)
                return
            v, a = np.add(gr, gl, out=block[i]), np.subtract(gr, gl, out=block[i + 1])
            out[names[i]], out[names[i + 1]] = np.multiply(0.5, v, out=v), np.multiply(0.5, a, out=a)

        def row(i: int) -> np.ndarray | None:
            return None if block is None else block[i]

        for i, (_, zl, zr) in enumerate(zip(FLAVOURS, self.gz_l, self.gz_r, strict=True)):
            put(3 * i, self.field("eL", zl), self.field("eR", zr))
            out[names[3 * i + 2]] = self.field("nuL", zl, row(3 * i + 2))
        for (kind, _, _), (i, zq, zr) in quark.items():
            put(i, self.field(f"{kind}L", zq), self.field(f"{kind}R", zr))
        for qk, i in same:
            out[f"c_v{qk}"], out[f"c_a{qk}"] = out[names[i]], out[names[i + 1]]
        if self.gz_nu_r is not None:
            j = len(names) - 3
            for i, (_, z) in enumerate(zip(FLAVOURS, self.gz_nu_r, strict=True)):
                out[names[j + i]] = self.field("nuR", z, row(j + i))
        if block is None:
            return Couplings._from_results(mass_mev, **out)  # fresh arrays: kept, not copied
        rows = {n: i for i, n in enumerate(names)}
        for qk, i in same:
            rows[f"c_v{qk}"], rows[f"c_a{qk}"] = i, i + 1
        return Couplings._from_block(mass_mev, block, rows)


def singlet_mass_term(
    mass_mev: ArrayLike, g_tilde: ArrayLike, gz_higgs: Sequence[ArrayLike], vev_fractions: Sequence[ArrayLike]
) -> np.ndarray:
    """g′² z_S² v_S² [MeV²] needed for the light eigenvalue to be m_Z′; the point exists only if ≥ 0.

    = m_Z′² + (v²/4)[u² m_Z₀²/(m_Z₀² − m_Z′²) − Σ_j w_j (g̃ + 2g′z_j)²]. With several doublets of
    different charge the Higgs vevs alone give the Z′ a mass ≈ v g′|z₁−z₂| s_β c_β, which must not
    exceed m_Z′.
    """
    m2 = np.asarray(mass_mev, float) ** 2
    g_tilde = np.asarray(g_tilde, float)
    u = higgs_u(g_tilde, gz_higgs, vev_fractions)
    sq = sum(
        (
            np.asarray(w, float) * (g_tilde + 2.0 * np.asarray(gz, float)) ** 2
            for gz, w in zip(gz_higgs, vev_fractions, strict=True)
        ),
        start=np.zeros(()),
    )
    return m2 + V2_OVER_4 * (u * u * M_Z0**2 / (M_Z0**2 - m2) - sq)


# ------------------------------------------------------------------------------------- parameters
#: Allowed Z′ mass range of the models [MeV] (below m_Z, where the mixing algebra holds) and searched range
MASS_RANGE_MEV: tuple[float, float] = (1e-3, 1e4)
#: Allowed mass range of the vector-like models without Z–Z′ mass mixing (dark photon, gauged lepton and baryon
#: numbers, DarkCast's benchmarks) [MeV]: their couplings do not depend on m_Z′, so they reach as high as the
#: published limits (CMS 2019 to 200 GeV, arXiv:1912.04776)
VECTOR_MASS_RANGE_MEV: tuple[float, float] = (1e-3, 2e5)
MASS_SEARCH_MEV: tuple[float, float] = (1.0, 1000.0)
#: Coupling products: allowed |x| ≤ 1; the global search explores ±[1e-9, 0.1] in log
COUPLING_MAX: float = 1.0
COUPLING_SEARCH: tuple[float, float] = (1e-9, 0.1)


def mass_parameter(allowed: tuple[float, float] = MASS_RANGE_MEV) -> Parameter:
    """The Z′ mass parameter ``mass_mev`` [MeV], log scale: allowed ``allowed`` (default
    :data:`MASS_RANGE_MEV`; :data:`VECTOR_MASS_RANGE_MEV` for models without Z–Z′ mixing), searched
    :data:`MASS_SEARCH_MEV`."""
    return Parameter(
        "mass_mev",
        allowed[0],
        allowed[1],
        "log",
        r"$m_{Z'}$",
        "MeV",
        search_range=MASS_SEARCH_MEV,
    )


def coupling_parameter(
    name: str, label: str, *, hi: float = COUPLING_MAX, search: tuple[float, float] = COUPLING_SEARCH
) -> Parameter:
    """A signed coupling ``name`` (symlog scale): allowed [−hi, hi], searched ±search in log."""
    return Parameter(name, search[0], hi, "symlog", label, "", search_range=search)


# ---------------------------------------------------------------- vector-like gauged U(1)s at low energy
#: Electric charges of the fields entering Couplings (:data:`zprime.core.constants.ELECTRIC_CHARGE`)
CHARGE_Q: Mapping[str, float] = ELECTRIC_CHARGE


def quark_charge_map(quark_charges: Sequence[float]) -> dict[str, float]:
    """Per-flavour quark charges from two (z_u, z_d: generation universal, c and t take z_u, s and b take
    z_d) or six (u, d, s, c, b, t, the order of :data:`~zprime.core.couplings.QUARK_FLAVOURS`) numbers."""
    z = tuple(quark_charges)
    if len(z) == 2:
        return {q: z[0] if q in UP_TYPE else z[1] for q in QUARK_FLAVOURS}
    if len(z) == 6:
        return dict(zip(QUARK_FLAVOURS, z, strict=True))
    raise InputError("quark_charges", f"needs 2 (u, d) or 6 (u, d, s, c, b, t) charges, got {len(z)}")


def vector_u1_couplings(
    mass_mev: ArrayLike,
    g_prime: ArrayLike,
    eps: ArrayLike,
    lepton_charges: Sequence[float],
    quark_charges: Sequence[float] = (0.0, 0.0),
    nu_r_charges: Sequence[float] | None = None,
) -> Couplings:
    """Vector-like U(1)′ (charge z_α for l_Lα and e_Rα alike, z_q for q_L and q_R) plus photon kinetic mixing ε.

    C_Vf = g′z_f + ε e Q_f for every charged lepton and quark (u, d, s, c, b, t), C_Af = 0, C_να = g′z_α
    (ν̄γ^μν = ν̄γ^μP_Lν for left-handed ν). ``quark_charges``: (z_u, z_d) for all three generations, or
    six charges (u, d, s, c, b, t), see :func:`quark_charge_map`. ``nu_r_charges``: charges of light
    right-handed neutrinos (C_νRα = g′z_νRα), None for none. Valid for m_Z′ ≪ m_Z, where mixing with
    hypercharge reduces to mixing with the photon (ε = −c_w ε_Y): the low-energy limit of Bodas
    Eqs. (20)–(24) for charges without a Higgs charge (L_μ − L_τ, B − L, ...).
    """
    g = np.asarray(g_prime, float)
    ee = E_CHARGE * np.asarray(eps, float)
    out: dict[str, np.ndarray] = {}
    for fl, z in zip(FLAVOURS, lepton_charges, strict=True):
        out[f"c_v{fl}"] = g * z + ee * CHARGE_Q[fl]
        out[f"c_nu{fl}"] = g * z
    for q, z in quark_charge_map(quark_charges).items():
        out[f"c_v{q}"] = g * z + ee * CHARGE_Q[q]
    if nu_r_charges is not None:
        for fl, z in zip(FLAVOURS, nu_r_charges, strict=True):
            out[f"c_nur{fl}"] = g * z
    return Couplings(mass_mev=mass_mev, **out)


# ------------------------------------------------------------------- loop-induced kinetic mixing
#: The word a model's ``eps`` parameter accepts for the loop-induced mixing of :func:`loop_kinetic_mixing`
LOOP: str = "loop"
#: Below z = m_Z′²/m_ℓ² = this, the loop function is summed from its Taylor series (no cancellation)
_SERIES_BELOW: float = 0.05
_SERIES_TERMS: int = 10


def _vacuum_polarisation(z: np.ndarray) -> np.ndarray:
    """F(z) = ∫₀¹ dx x(1−x) ln[1 − x(1−x)(z + i0)] for real z ≥ 0 (complex above the threshold z = 4).

    Closed form: F = −5/18 − 2/(3z) + (1 + 2/z) B/6 with B = 2b arctan(1/b), b = √(4/z − 1) below the
    threshold and B = β[ln((1+β)/(1−β)) − iπ], β = √(1 − 4/z) above it (the standard one-loop fermion
    vacuum polarisation, e.g. Peskin & Schroeder Eq. (7.91)); the Taylor series
    F = −Σₙ zⁿ B(n+2, n+2)/n below z = 0.05.
    """
    z = np.asarray(z, float)
    out = np.zeros(z.shape, complex)
    small = z < _SERIES_BELOW
    zs = z[small]
    acc = np.zeros(zs.shape)
    coef = 1.0 / 6.0  # B(n+2, n+2) at n = 0; B(n+3, n+3) = B(n+2, n+2) (n+2)²/((2n+4)(2n+5))
    for n in range(1, _SERIES_TERMS + 1):
        coef *= (n + 1) ** 2 / ((2 * n + 2) * (2 * n + 3))
        acc -= zs**n * coef / n
    out[small] = acc
    below = ~small & (z <= 4.0)
    zb = z[below]
    b = np.sqrt(np.maximum(4.0 / zb - 1.0, 0.0))
    bb = np.where(b > 0, 2.0 * b * np.arctan(1.0 / np.where(b > 0, b, 1.0)), 0.0)
    out[below] = -5.0 / 18.0 - 2.0 / (3.0 * zb) + (1.0 + 2.0 / zb) * bb / 6.0
    above = z > 4.0
    za = z[above]
    beta = np.sqrt(1.0 - 4.0 / za)
    # ln((1+β)/(1−β)) = 2 ln(1+β) − ln(4/z), free of the cancellation in 1 − β at large z
    ba = beta * (2.0 * np.log1p(beta) - np.log(4.0 / za) - 1j * np.pi)
    out[above] = -5.0 / 18.0 - 2.0 / (3.0 * za) + (1.0 + 2.0 / za) * ba / 6.0
    return out


def loop_kinetic_mixing_complex(
    mass_mev: ArrayLike,
    lepton_charges: Sequence[float],
    *,
    lepton_masses_mev: Sequence[float] | None = None,
    charge: float = E_CHARGE,
) -> np.ndarray:
    """Complex photon–Z′ mixing per unit g′ induced by the charged-lepton loops, on shell (q² = m_Z′²).

    ε(m)/g′ = (e/(2π²)) Σ_ℓ z_ℓ ∫₀¹ dx x(1−x) ln[(m_ℓ² − x(1−x)(m² + i0))/μ²], the γ–Z′ self-energy of
    the leptons of charge Q = −1 and U(1)′ charge z_ℓ (``lepton_charges`` for e, μ, τ), in the convention
    C_Vf = g′z_f + ε e Q_f of :func:`vector_u1_couplings`. The scale μ drops out because Σ z_ℓ = 0 (and
    ε vanishes at high scales). At m → 0, ε/g′ = −(e/(12π²)) Σ_ℓ z_ℓ ln(μ²/m_ℓ²), i.e.
    ε = −e g′ ln(m_τ²/m_μ²)/(12π²) for L_μ − L_τ (Bauer, Foldenauer, Jaeckel, arXiv:1803.05466;
    Amaral, Cerdeño, Foldenauer, Reid, arXiv:2006.11225, Eq. (7)). Lepton masses: :data:`LEPTON_MASS_MEV`.
    """
    charges = tuple(float(q) for q in lepton_charges)
    if len(charges) != 3 or abs(sum(charges)) > 1e-12:
        raise InputError("eps", f"'loop' needs three lepton charges summing to 0, got {charges}")
    masses = (
        tuple(LEPTON_MASS_MEV[f] for f in FLAVOURS) if lepton_masses_mev is None else tuple(lepton_masses_mev)
    )
    m2 = np.asarray(mass_mev, float) ** 2
    total = np.zeros(m2.shape, complex)
    for q, ml in zip(charges, masses, strict=True):
        if q:
            total = total + q * (np.log(ml**2) / 6.0 + _vacuum_polarisation(m2 / ml**2))
    return charge / (2.0 * math.pi * math.pi) * total


def loop_kinetic_mixing(
    mass_mev: ArrayLike,
    lepton_charges: Sequence[float],
    *,
    lepton_masses_mev: Sequence[float] | None = None,
    charge: float = E_CHARGE,
) -> np.ndarray:
    """Real, signed loop-induced kinetic mixing ε per unit g′ (see :func:`loop_kinetic_mixing_complex`).

    Above the 2m_ℓ thresholds the loop is complex; as DarkCast (Ilten, Soreq, Williams, Xue,
    arXiv:1801.04847) we take its modulus |ε| as the magnitude. Sign convention: the sign of the
    low-mass limit, ε(m) = sign(ε(0)) |ε(m)|, continuous in m; for L_μ − L_τ, ε/g′ < 0, so that with
    C_Ve = ε e Q_e the electron coupling has the sign of C_Vμ = g′ (DarkCast quotes the opposite sign,
    x_e = −|ε|; rates that do not interfere with the SM, such as Z′ production and decay, do not depend on it).
    """
    eps = loop_kinetic_mixing_complex(
        mass_mev, lepton_charges, lepton_masses_mev=lepton_masses_mev, charge=charge
    )
    eps0 = loop_kinetic_mixing_complex(
        0.0, lepton_charges, lepton_masses_mev=lepton_masses_mev, charge=charge
    )
    return np.sign(eps0.real) * np.abs(eps)


#: Kinetic-mixing parameter range: allowed |ε| ≤ 1, searched ±[1e-9, 1e-2] in log
EPS_SEARCH: tuple[float, float] = (1e-9, 1e-2)


class VectorU1Model(Model):
    """Base of the gauged vector-like U(1)′ models: m_Z′, g′ and (optionally) photon kinetic mixing ε.

    Subclasses set ``lepton_charges`` (e, μ, τ) and ``quark_charges`` ((u, d) for all generations, or six:
    u, d, s, c, b, t); couplings from :func:`vector_u1_couplings`. ``kinetic_mixing=False`` drops the ε
    parameter (ε = 0). For charges on the leptons only, summing to zero (L_μ − L_τ, L_e − L_μ, L_e − L_τ),
    ``eps`` also takes the word ``"loop"``: ε = g′ × :func:`loop_kinetic_mixing` at the Z′ mass (a subclass
    may define its own loop value in :meth:`loop_eps`), and ``"loop"`` is their default (``eps=0``: the
    tree-level model).

    Option ``nu_r`` (models with lepton charges; default False): light Dirac right-handed neutrinos ν_Rα
    with the charge of their lepton doublet, z_νRα = z_α (what makes a vector-like lepton-number U(1)′
    anomaly free with Dirac neutrino masses; for B − L the three ν_R are required). They add C_νRα = g′z_α,
    and with it Γ(Z′ → ν_αν̄_α) = (C_να² + C_νRα²) m_Z′/(24π), twice the left-handed width (the convention of
    DarkCast 2023). The default counts left-handed neutrinos only.
    """

    lepton_charges: tuple[float, float, float] = (0.0, 0.0, 0.0)
    quark_charges: tuple[float, ...] = (0.0, 0.0)

    def __init__(self, kinetic_mixing: bool = True):
        self.kinetic_mixing = kinetic_mixing
        params = [mass_parameter(VECTOR_MASS_RANGE_MEV), coupling_parameter("g_prime", r"$g'$")]
        if kinetic_mixing:
            params.append(coupling_parameter("eps", r"$\varepsilon$", search=EPS_SEARCH))
        self.parameters = tuple(params)
        leptonic = not any(self.quark_charges) and abs(sum(self.lepton_charges)) < 1e-12
        self.loop_parameters = ("eps",) if kinetic_mixing and leptonic and any(self.lepton_charges) else ()
        # the loop-induced mixing is the default where it is calculable (issue: a lepton-number Z′ without it
        # has no electron or quark coupling, which the loops of its own leptons always give it)
        self.defaults = MappingProxyType({"eps": LOOP} if self.loop_parameters else {})
        self.flags = ("nu_r",) if any(self.lepton_charges) else ()

    def loop_eps(self, mass_mev: np.ndarray, g_prime: np.ndarray) -> np.ndarray:
        """ε for ``eps="loop"``: g′ × :func:`loop_kinetic_mixing` of the lepton charges."""
        return g_prime * loop_kinetic_mixing(mass_mev, self.lepton_charges)

    def _couplings(self, **p: Any) -> Couplings:
        eps = p.get("eps", 0.0)
        if isinstance(eps, str):  # the word "loop", let through by Model.couplings
            eps = self.loop_eps(p["mass_mev"], p["g_prime"])
        nu_r = self.lepton_charges if p.get("nu_r", False) else None
        return vector_u1_couplings(
            p["mass_mev"], p["g_prime"], eps, self.lepton_charges, self.quark_charges, nu_r
        )


__all__ = [
    "SW2",
    "CW2",
    "G_Z",
    "G_1",
    "M_Z0",
    "V2_OVER_4",
    "QUANTUM_NUMBERS",
    "FLAVOURS",
    "g_tilde_from_eps",
    "higgs_u",
    "mixing",
    "chiral_coupling",
    "tree_couplings",
    "singlet_mass_term",
    "mass_parameter",
    "coupling_parameter",
    "MASS_RANGE_MEV",
    "MASS_SEARCH_MEV",
    "VECTOR_MASS_RANGE_MEV",
    "COUPLING_MAX",
    "COUPLING_SEARCH",
    "CHARGE_Q",
    "GENERATIONS",
    "UP_TYPE",
    "quark_charge_map",
    "vector_u1_couplings",
    "VectorU1Model",
    "LOOP",
    "loop_kinetic_mixing",
    "loop_kinetic_mixing_complex",
    "EPS_SEARCH",
]

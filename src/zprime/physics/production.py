"""Production couplings of the published searches: how a Z' is made, relative to a dark photon (DarkCast).

Every mechanism gives g_prod², the production coupling squared normalised so that it equals e²ε² for a dark
photon (couplings C_Vf = eεQ_f): a search that saw N_A' ∝ e²ε² sees N_Z' ∝ g_prod². Method: Ilten, Soreq,
Williams, Xue, "Serendipity in dark photon searches", JHEP 06 (2018) 004, arXiv:1801.04847 (DarkCast),
Sec. 2.1 (equation numbers below are theirs); axial couplings: Baruch, Ilten, Soreq, Williams,
arXiv:2206.08563. Meson parameters: ``data/hadrons/mesons.yaml`` (DarkCast 2023's numbers, PDG).

Mechanisms (the names are DarkCast's):

- ``f_f`` (e⁺e⁻ → γX for ``e_e``, Drell–Yan q q̄ → X for ``u_u`` … ``b_b``) and ``f_brem`` (bremsstrahlung off
  a beam of fermion f: ``e_brem``, ``mu_brem``; also e⁺e⁻ → μ⁺μ⁻X radiated off the muon line), Eqs. (2.3),
  (2.6): σ ∝ C_Vf² + C_Af² (helicity conserved for m_f → 0), so g_prod² = (C_Vf² + C_Af²)/Q_f²;
- ``p_brem`` (proton bremsstrahlung), Eq. (2.4): g_prod² = (2C_Vu + C_Vd)² + a (2C_Au + C_Ad)² F(m)⁴,
  F(m) = (1 + m²/M_1²)/(1 + m²/M_2²) (the dark photon has (2Q_u + Q_d)² = 1);
- ``rho0``, ``omega``, ``phi`` (vector-meson mixing), Eq. (2.11): g_prod² = e² [Tr(T_V C_V)/Tr(T_V eQ)]²,
  Tr(T C) = Σ_q T_q C_Vq over q = u, d, s;
- ``A_B`` (meson decay A → B X; B a meson or ``gamma``), Eqs. (2.7)–(2.10): the amplitude is
  Σ_V Tr(T_A T_B T_V) Tr(T_V C_V) BW_V(m) over V = ρ⁰, ω, φ with running-width Breit–Wigners (Eq. (A.3)), and
  g_prod² = e² |amp(Z')|²/|amp(A')|². ``phi_eta`` has only the φ term: g_prod² = (C_Vs/Q_s)² = 9 C_Vs².
  ``pi0_gamma`` is evaluated in its m ≪ m_ρ limit, g_prod² = (2C_Vu + C_Vd)² (the ρ and ω Breit–Wigners
  differ by < 0.2 % below m_π⁰, where the mechanism is open; zprime's NA48/2 and NA62 results keep it).

Axial quark couplings enter only p_brem (as in DarkCast, whose meson mechanisms are vector currents).
A combination of mechanisms with fractions f_i (constant, or tabulated in mass) is Eq. (2.12):
g_prod² = Σ_i f_i g_prod,i² (:class:`Mixture`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from zprime.core.constants import E_CHARGE, ELECTRIC_CHARGE
from zprime.core.couplings import Couplings
from zprime.core.errors import DataFileError, InputError
from zprime.core.limits import MECHANISMS as SCHEMA_MECHANISMS
from zprime.core.yaml_io import read_yaml
from zprime.physics.arrays import broadcast

#: Electric charges Q_f of the fermions (units of e; :data:`zprime.core.constants.ELECTRIC_CHARGE`)
CHARGE: Mapping[str, float] = ELECTRIC_CHARGE
_LEPTONS = ("e", "mu", "tau")
_QUARKS = ("u", "d", "s", "c", "b", "t")
_LIGHT = ("u", "d", "s")

#: Fermion-line mechanisms: f_f (annihilation / Drell–Yan) and f_brem (bremsstrahlung off f).
FERMION_MECHANISMS: tuple[str, ...] = tuple(f"{f}_{f}" for f in _LEPTONS + _QUARKS[:5]) + tuple(
    f"{f}_brem" for f in _LEPTONS
)
#: Vector-meson mixing (Eq. (2.11)).
MIXING_MECHANISMS: tuple[str, ...] = ("rho0", "omega", "phi")
#: Meson decays A → B X (Eqs. (2.7)–(2.10)).
DECAY_MECHANISMS: tuple[str, ...] = (
    "pi0_gamma",
    "eta_gamma",
    "eta'_gamma",
    "omega_pi0",
    "phi_eta",
    "D*0_D0",
)
#: Every mechanism name a limit file may use: the schema's vocabulary (zprime.core.limits), each in one of the
#: groups above or ``p_brem`` (tests/test_production.py checks that the groups cover it).
MECHANISMS: tuple[str, ...] = SCHEMA_MECHANISMS


# ------------------------------------------------------------------------------------ meson numbers
@dataclass(frozen=True)
class _Meson:
    mass_mev: float
    width_mev: float
    channels: tuple[tuple[float, float, float], ...]


@dataclass(frozen=True)
class MesonData:
    """The numbers of ``data/hadrons/mesons.yaml``."""

    generators: dict[str, np.ndarray]  # diagonal (u, d, s) of T_M
    vectors: tuple[str, ...]
    orbital_l: int
    mesons: dict[str, _Meson]
    pbrem_axial: float
    pbrem_m_num: float
    pbrem_m_den: float


@cache
def meson_data() -> MesonData:
    """Meson generators, masses, widths and decay channels, and the proton form factor (read once)."""
    path = resources.files("zprime") / "data" / "hadrons" / "mesons.yaml"
    raw = read_yaml(str(path))
    try:
        gens = {
            k: np.asarray(v["diag"], float) / np.sqrt(float(v["norm_sq"]))
            for k, v in raw["generators"].items()
        }
        mesons = {
            k: _Meson(
                float(v["mass_mev"]),
                float(v.get("width_mev", 0.0)),
                tuple((float(a), float(b), float(c)) for a, b, c in v.get("channels", ())),
            )
            for k, v in raw["mesons"].items()
        }
        pb = raw["proton_brem"]
        return MesonData(
            generators=gens,
            vectors=tuple(raw["vector_mesons"]),
            orbital_l=int(raw["orbital_l"]),
            mesons=mesons,
            pbrem_axial=float(pb["axial_coefficient"]),
            pbrem_m_num=float(pb["form_factor_mass_numerator_mev"]),
            pbrem_m_den=float(pb["form_factor_mass_denominator_mev"]),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(str(path), f"malformed meson data ({exc})") from None


def breit_wigner(vector: str, mass_mev: Any) -> np.ndarray:
    """Running-width Breit–Wigner of vector meson V (DarkCast Eq. (A.3), l = 1), normalised to 1 at m = 0:
    BW = m_V²/(m_V² − m² − i m_V² Γ_V k(m)/m), k = Σ BR (p(m)/p(m_V))^(2l+1) over the open channels."""
    d = meson_data()
    v = d.mesons[vector]
    m = np.asarray(mass_mev, float)
    s = m * m
    sr = v.mass_mev**2
    k = np.zeros(m.shape)
    for br, m0, m1 in v.channels:
        is_open = m > m0 + m1
        if not (
            is_open.item() if is_open.size == 1 else is_open.any()
        ):  # closed: the term is 0.0 (k + 0.0 == k)
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            p2 = (s - (m0 + m1) ** 2) * (s - (m0 - m1) ** 2) / (4.0 * s)
            p2r = (sr - (m0 + m1) ** 2) * (sr - (m0 - m1) ** 2) / (4.0 * sr)
            k = k + np.where(is_open, br * np.sqrt(np.abs(p2 / p2r)) ** (2 * d.orbital_l + 1), 0.0)
    return sr / (sr - s - 1j * sr * v.width_mev * k / m)


# ------------------------------------------------------------------------------------- mechanisms
def _split(mechanism: str) -> tuple[str, str]:
    a, _, b = mechanism.rpartition("_")
    return a, b


def _trace_v(c: Couplings | None, t: np.ndarray) -> Any:
    """Tr(T C_V) = Σ_q T_q C_Vq over u, d, s; the dark photon at ε = 1 (C_Vq = eQ_q) for ``c`` None."""
    if c is None:
        return E_CHARGE * sum(t[i] * CHARGE[q] for i, q in enumerate(_LIGHT))
    return t[0] * c.c_vu + t[1] * c.c_vd + t[2] * c.c_vs


def _decay_amplitude(
    c: Couplings | None, mechanism: str, mass_mev: Any, bw: dict[str, np.ndarray] | None = None
) -> Any:
    """Σ_V Tr(T_A T_B T_V) Tr(T_V C_V) BW_V(m) of A → B X (Eqs. (2.7)–(2.10)); ``bw`` keeps the Breit–Wigners
    of ``mass_mev`` already computed (shared by the Z′ and the dark-photon amplitudes)."""
    amp: Any = 0.0
    for v, pf, tv, dark in _decay_terms(mechanism):
        if bw is None:
            b = breit_wigner(v, mass_mev)
        elif (b := bw.get(v)) is None:
            b = bw[v] = breit_wigner(v, mass_mev)
        amp = amp + pf * (dark if c is None else _trace_v(c, tv)) * b
    return amp


@cache
def _decay_terms(mechanism: str) -> tuple[tuple[str, float, np.ndarray, Any], ...]:
    """(V, Tr(T_A T_B T_V), T_V, Tr(T_V C_V) of the dark photon) of the vectors V with a non-zero trace
    (the meson data are read once per process)."""
    d = meson_data()
    a, b = _split(mechanism)
    ta, tb = d.generators[a], d.generators[b]
    out = []
    for v in d.vectors:
        tv = d.generators[v]
        pf = float(np.sum(ta * tb * tv))
        if pf != 0.0:
            out.append((v, pf, tv, _trace_v(None, tv)))
    return tuple(out)


def coupling_sq(c: Couplings, mechanism: str) -> np.ndarray:
    """g_prod² of one mechanism (normalised to e²ε² for a dark photon; see the module docstring), in the
    broadcast shape of ``c``."""
    if mechanism in ("e_e", "e_brem"):  # the original two: arithmetic kept bit for bit
        g2 = np.square(c.c_ve) + np.square(c.c_ae)
    elif mechanism == "pi0_gamma":
        g2 = np.square(2.0 * c.c_vu + c.c_vd)
    elif mechanism == "phi_eta":
        g2 = np.square(c.c_vs / CHARGE["s"])
    elif mechanism in FERMION_MECHANISMS:
        f = _split(mechanism)[0]
        if f in _LEPTONS:
            v, a = c.cv(f), c.ca(f)
        else:
            v, a = c.cvq(f), c.caq(f)
        g2 = (np.square(v) + np.square(a)) / CHARGE[f] ** 2
    elif mechanism == "p_brem":
        d = meson_data()
        m = np.asarray(c.mass_mev, float)
        ff = (1.0 + np.square(m / d.pbrem_m_num)) / (1.0 + np.square(m / d.pbrem_m_den))
        g2 = np.square(2.0 * c.c_vu + c.c_vd) + d.pbrem_axial * np.square(2.0 * c.c_au + c.c_ad) * ff**4
    elif mechanism in MIXING_MECHANISMS:
        t = meson_data().generators[mechanism]
        g2 = np.square(E_CHARGE * _trace_v(c, t) / _trace_v(None, t))
    elif mechanism in DECAY_MECHANISMS:
        bw: dict[str, np.ndarray] = {}
        num = _decay_amplitude(c, mechanism, c.mass_mev, bw)
        den = _decay_amplitude(None, mechanism, c.mass_mev, bw)
        g2 = E_CHARGE**2 * np.square(np.abs(num)) / np.square(np.abs(den))
    else:
        raise InputError("mechanism", f"must be one of {', '.join(MECHANISMS)}; got {mechanism!r}")
    return broadcast(g2, c.shape)


def couplings_used(mechanism: str | Mixture) -> tuple[str, ...]:
    """The Couplings fields that the production coupling of ``mechanism`` (a name or a Mixture) reads."""
    if isinstance(mechanism, Mixture):
        return mechanism.couplings_used()
    if mechanism in FERMION_MECHANISMS:
        f = _split(mechanism)[0]
        return (f"c_v{f}", f"c_a{f}")
    if mechanism == "pi0_gamma":
        return ("c_vu", "c_vd")
    if mechanism == "phi_eta":
        return ("c_vs",)
    if mechanism == "p_brem":
        return ("c_vu", "c_vd", "c_au", "c_ad")
    if mechanism in MIXING_MECHANISMS or mechanism in DECAY_MECHANISMS:
        return ("c_vu", "c_vd", "c_vs")
    raise InputError("mechanism", f"must be one of {', '.join(MECHANISMS)}; got {mechanism!r}")


# --------------------------------------------------------------------------------------- mixtures
@dataclass(frozen=True, eq=False)
class Mixture:
    """Several mechanisms with fractions f_i (Eq. (2.12)): g_prod² = Σ_i f_i(m) g_prod,i².

    ``fractions``: one constant per mechanism, or None with ``table_mass_mev`` (ascending) and ``table``
    (one row of fractions per mechanism): linear interpolation in mass, the nearest row outside the table
    (as DarkCast's datasets).
    """

    mechanisms: tuple[str, ...]
    fractions: tuple[float, ...] | None = None
    table_mass_mev: np.ndarray | None = None
    table: np.ndarray | None = None

    def __post_init__(self) -> None:
        for m in self.mechanisms:
            if m not in MECHANISMS:
                raise InputError("mechanism", f"must be one of {', '.join(MECHANISMS)}; got {m!r}")
        if self.fractions is None and (self.table is None or self.table_mass_mev is None):
            raise InputError("fractions", "give constant fractions or a mass table")

    def fraction(self, i: int, mass_mev: Any) -> Any:
        if self.fractions is not None:
            return self.fractions[i]
        assert self.table is not None and self.table_mass_mev is not None
        return np.interp(np.asarray(mass_mev, float), self.table_mass_mev, self.table[i])

    def coupling_sq(
        self, c: Couplings, component: Callable[[Couplings, str], np.ndarray] | None = None
    ) -> np.ndarray:
        """Σ_i f_i g_prod,i² (Eq. (2.12)); ``component`` (default :func:`coupling_sq`) gives each g_prod,i²,
        e.g. from a cache shared by several mixtures."""
        one = coupling_sq if component is None else component
        out = np.zeros(c.shape)
        for i, mech in enumerate(self.mechanisms):
            f = self.fraction(i, c.mass_mev)
            fa = np.asarray(f)
            if fa.item() == 0 if fa.size == 1 else np.all(fa == 0):  # (one number: no reduction)
                continue
            out = out + f * one(c, mech)
        return broadcast(out, c.shape)

    def couplings_used(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f for m in self.mechanisms for f in couplings_used(m)))

    def __str__(self) -> str:
        if self.fractions is not None:
            return " + ".join(f"{f:g} {m}" for m, f in zip(self.mechanisms, self.fractions, strict=True))
        return " + ".join(f"f_{m}(m) {m}" for m in self.mechanisms) + " (tabulated fractions)"


Production = str | Mixture


def production_sq(
    c: Couplings, production: Production, component: Callable[[Couplings, str], np.ndarray] | None = None
) -> np.ndarray:
    """g_prod² of a single mechanism (a name) or of a :class:`Mixture` (its terms from ``component``, default
    :func:`coupling_sq`)."""
    if isinstance(production, Mixture):
        return production.coupling_sq(c, component)
    return coupling_sq(c, production) if component is None else component(c, production)


def mixture(spec: Mapping[str, float] | Sequence[str], table: Any = None, mass_mev: Any = None) -> Mixture:
    """A :class:`Mixture` from {mechanism: fraction}, or from mechanism names with a fraction table."""
    if isinstance(spec, Mapping):
        return Mixture(tuple(spec), tuple(float(v) for v in spec.values()))
    return Mixture(tuple(spec), None, np.asarray(mass_mev, float), np.asarray(table, float))


__all__ = [
    "CHARGE",
    "DECAY_MECHANISMS",
    "FERMION_MECHANISMS",
    "MECHANISMS",
    "MIXING_MECHANISMS",
    "MesonData",
    "Mixture",
    "Production",
    "breit_wigner",
    "coupling_sq",
    "couplings_used",
    "meson_data",
    "mixture",
    "production_sq",
]

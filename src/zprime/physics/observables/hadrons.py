"""Hadronic widths of a Z' with vector and axial quark couplings, as DarkCast 2023 computes them.

Ilten, Soreq, Williams, Xue, JHEP 06 (2018) 004, arXiv:1801.04847 (Sec. 2, App. A) and Baruch, Ilten, Soreq,
Williams, arXiv:2206.08563 (axial couplings). Couplings as in :class:`zprime.core.couplings.Couplings`,

    L ⊃ −Σ_q q̄ γ^μ (C_Vq + C_Aq γ5) q Z'_μ ,

which are DarkCast's g x_q^V and g x_q^A (the overall sign of the current does not enter a width; only the
relative signs of the couplings do, through the ω–φ interference).

**Vector couplings, light quarks** (1801.04847 Eqs. (2.15)–(2.18), App. A). With the U(3) charge matrix
Q = diag(C_Vu, C_Vd, C_Vs), the generators T_V of Eq. (A.1) and the prefactors R_V of Eq. (2.18),

    Γ(Z' → F) = m/(12π) Σ_V (R_V Tr[T_V Q])² R_μ^{F,V}(m)
                + m/(12π) · 2 (R_ω Tr[T_ω Q])(R_φ Tr[T_φ Q]) R_μ^{F,ωφ}(m),

where R_μ^{F,V} are the data-driven grids (the contribution of meson V to σ(e⁺e⁻ → F)/σ(e⁺e⁻ → μ⁺μ⁻)),
linearly interpolated. Channels F: π⁺π⁻, π⁺π⁻π⁺π⁻, π⁺π⁻π⁰π⁰ (ρ), π⁺π⁻π⁰ (ω, φ, ωφ), π⁰γ (ω), KK, KKπ (φ),
"other" (ρ, ω, φ). For a dark photon R_V Tr[T_V Q] = e, e, −e for ρ, ω, φ: the grids are its R_μ^F.

**Axial couplings, light quarks** (2206.08563 Eq. (2.11)), with the spectral functions a₁, a₁ˢ of hadronic
τ decays:

    Γ_A = m/(4π) [ (C_Au − C_Ad)² a₁(m) + θ(m − 2m_K) C_As² (a₁/4 + a₁ˢ − c_φ √(a₁ a₁ˢ)) ].

**Heavy quarks** (1801.04847 Eq. (2.13) with the axial term): c, b, t always perturbatively, at leading
order (no QCD correction), colour factor 3, DarkCast's quark masses, see :func:`quark_widths`.

**Above the grids.** The R grids end at 2 GeV, a₁ at 1.485 GeV and a₁ˢ at 1.515 GeV. DarkCast 2023 does not
switch u, d, s to quarks there: its ``Dataset`` holds the last grid value, so Γ_F = m/(12π)(...)R_μ^F(2 GeV)
grows linearly in m (for the dark photon the sum of the grids is R(2 GeV) = 2.18, close to the pQCD
2(1 + α_s/π); so holding R is DarkCast's stand-in for u, d, s quarks). zprime does the
same by default (``above_grid="darkcast"``) so that it reproduces DarkCast to rounding; with
``above_grid="quarks"`` no grid is used beyond its last point: the VMD channels are zero above 2 GeV and
u, d, s decay as perturbative quarks instead (vector part), and the axial light-quark part is perturbative
above the last point of a₁ (1.485 GeV). That choice is discontinuous at the switch points, because of
DarkCast's constituent u, d, s masses (330, 330, 500 MeV): the hadronic width (u, d, s only) drops by 9 % at
2 GeV for the dark photon, 1 % for the B boson, and by 41 % at 1.485 GeV for DarkCast's ``axial`` model. Below
its first point every grid is zero (its first value). The π⁺π⁻π⁰π⁰ grid is slightly negative from 800.5 to
865 MeV (down to −5.2·10⁻⁴, just above its threshold), so that channel is too, as in DarkCast; the
ω–φ interference term is negative where the interference is destructive.

All functions broadcast over numpy arrays (masses and couplings); no loops over points.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import numpy as np

from zprime.core.errors import DataFileError, InputError
from zprime.core.integrity import read_data_text
from zprime.core.yaml_io import read_yaml

#: Quark flavours accepted in ``quarks`` (U(3) order u, d, s first).
FLAVOURS: tuple[str, ...] = ("u", "d", "s", "c", "b", "t")
#: Flavours that DarkCast always treats as perturbative quarks.
HEAVY: tuple[str, ...] = ("c", "b", "t")
#: Light flavours (the VMD / spectral-function region; quarks only with ``above_grid="quarks"``).
LIGHT: tuple[str, ...] = ("u", "d", "s")
#: The two axial light-quark pieces of 2206.08563 Eq. (2.11).
AXIAL_CHANNELS: tuple[str, ...] = ("axial_isovector", "axial_strange")
#: Treatments above the last grid point (see the module docstring).
ABOVE_GRID = ("darkcast", "quarks")

_MEV_PER_GEV = 1.0e3  # unit conversion of the grids' mass column

ArrayLike = np.ndarray | float


def _folder() -> Path:
    return Path(str(resources.files("zprime") / "data" / "hadrons"))


@dataclass(frozen=True)
class Grid:
    """One data grid: masses [MeV] (strictly increasing) and values; linear interpolation inside."""

    name: str
    mass_mev: np.ndarray
    value: np.ndarray

    @property
    def last_mev(self) -> float:
        return float(self.mass_mev[-1])

    def __call__(self, mass_mev: np.ndarray) -> np.ndarray:
        """Linear interpolation; the first/last value outside the grid (DarkCast's ``Dataset``)."""
        return np.interp(mass_mev, self.mass_mev, self.value)


def read_grid(path: str | Path) -> Grid:
    """Read a two-column grid file (mass [GeV], value; ``#`` comments), checked against the manifest."""
    text = read_data_text(path)
    try:
        data = np.loadtxt(io.StringIO(text), comments="#", ndmin=2)
    except ValueError as exc:
        raise DataFileError(str(path), f"not two numeric columns: {exc}") from None
    if data.shape[1] != 2 or data.shape[0] < 2:
        raise DataFileError(str(path), "needs two columns (mass [GeV], value) and at least two rows")
    if not np.all(np.isfinite(data)):
        raise DataFileError(str(path), "values must be finite")
    if not np.all(np.diff(data[:, 0]) > 0):
        raise DataFileError(str(path), "masses must increase strictly")
    return Grid(Path(path).name, data[:, 0] * _MEV_PER_GEV, data[:, 1])


@dataclass(frozen=True)
class HadronData:
    """The shipped grids and parameters (``data/hadrons/grids.yaml``, ``vmd.yaml``, ``mesons.yaml``)."""

    #: channel -> list of (mesons, grid); one meson: (R_V Tr)², two: the interference 2 (R Tr)(R Tr)
    channels: dict[str, list[tuple[tuple[str, ...], Grid]]]
    #: meson -> R_V · diag(T_V), the (u, d, s) weights of Tr[T_V Q] times R_V
    meson_weight: dict[str, np.ndarray]
    a1: Grid
    a1s: Grid
    isovector: np.ndarray
    c_phi: float
    m_k_mev: float
    colour_factor: float
    quark_mass_mev: dict[str, float]

    @property
    def r_grid_end_mev(self) -> float:
        """Last point of the R_μ^F grids (2 GeV): above it ``above_grid="quarks"`` uses u, d, s quarks."""
        return max(g.last_mev for terms in self.channels.values() for _, g in terms)


def _field(raw: Any, key: str, path: Path) -> Any:
    if not isinstance(raw, Mapping) or key not in raw:
        raise DataFileError(str(path), "missing field", field=key)
    return raw[key]


@lru_cache(maxsize=1)
def load_hadron_data() -> HadronData:
    """Read and check ``data/hadrons`` (safe YAML loader; grids checked against the manifest)."""
    folder = _folder()
    gpath, vpath = folder / "grids.yaml", folder / "vmd.yaml"
    graw, vraw = read_yaml(gpath), read_yaml(vpath)
    mpath = folder / "mesons.yaml"
    generators = _field(read_yaml(mpath), "generators", mpath)
    mesons = _field(vraw, "vector_mesons", vpath)
    weight: dict[str, np.ndarray] = {}
    for name, entry in mesons.items():
        gen = _field(generators, name, mpath)  # T = diag/sqrt(norm_sq), 1801.04847 Eq. (A.1)
        diag = np.asarray(_field(gen, "diag", mpath), dtype=float) / np.sqrt(
            float(_field(gen, "norm_sq", mpath))
        )
        if diag.shape != (3,):
            raise DataFileError(str(mpath), "needs 3 numbers (u, d, s)", field=f"generators.{name}.diag")
        weight[name] = float(_field(entry, "r_prefactor", vpath)) * diag
    channels: dict[str, list[tuple[tuple[str, ...], Grid]]] = {}
    for entry in _field(graw, "r_grids", gpath):
        mes = tuple(_field(entry, "mesons", gpath))
        if not 1 <= len(mes) <= 2 or any(m not in weight for m in mes):
            raise DataFileError(str(gpath), f"mesons must be one or two of {sorted(weight)}", field="mesons")
        grid = read_grid(folder / str(_field(entry, "file", gpath)))
        channels.setdefault(str(_field(entry, "channel", gpath)), []).append((mes, grid))
    sfs = {
        str(_field(e, "name", gpath)): folder / str(_field(e, "file", gpath))
        for e in _field(graw, "spectral_functions", gpath)
        if _field(e, "used", gpath)
    }
    for need in ("a1", "a1s"):
        if need not in sfs:
            raise DataFileError(str(gpath), "missing the spectral function", field=need)
    axial = _field(vraw, "axial", vpath)
    quarks = _field(vraw, "quarks", vpath)
    qmass = {str(k): float(v) for k, v in _field(quarks, "mass_mev", vpath).items()}
    if set(qmass) != set(FLAVOURS):
        raise DataFileError(str(vpath), f"needs the masses of {', '.join(FLAVOURS)}", field="quarks.mass_mev")
    return HadronData(
        channels=channels,
        meson_weight=weight,
        a1=read_grid(sfs["a1"]),
        a1s=read_grid(sfs["a1s"]),
        isovector=np.asarray(_field(axial, "isovector_diagonal", vpath), dtype=float),
        c_phi=float(_field(_field(axial, "c_phi", vpath), "value", vpath)),
        m_k_mev=float(_field(_field(axial, "m_k_mev", vpath), "value", vpath)),
        colour_factor=float(_field(quarks, "colour_factor", vpath)),
        quark_mass_mev=qmass,
    )


def _couplings(quarks: Mapping[str, Any]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """``{flavour: (c_v, c_a)}`` as float arrays for every flavour (missing ones 0); InputError otherwise."""
    if not isinstance(quarks, Mapping):
        raise InputError("quarks", "must map flavours (u, d, s, c, b, t) to (c_v, c_a)")
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for f, pair in quarks.items():
        if f not in FLAVOURS:
            raise InputError("quarks", f"unknown flavour {f!r}; allowed: {', '.join(FLAVOURS)}")
        try:
            cv, ca = pair
            out[f] = (np.asarray(cv, dtype=float), np.asarray(ca, dtype=float))
        except (TypeError, ValueError):
            raise InputError(
                f"quarks[{f!r}]", "must be a pair (c_v, c_a) of real numbers or arrays"
            ) from None
    zero = np.zeros(())
    return {f: out.get(f, (zero, zero)) for f in FLAVOURS}


def _mass(mass_mev: ArrayLike) -> np.ndarray:
    m = np.asarray(mass_mev, dtype=float)
    if not np.all(np.isfinite(m) & (m > 0)):
        raise InputError("mass_mev", "must be finite and > 0 [MeV]")
    return m


def _pair_width(m: np.ndarray, cv: np.ndarray, ca: np.ndarray, mq: float, colour: float) -> np.ndarray:
    """N_c m/(12π) β [C_V² (1 + 2r) + C_A² β²], r = m_q²/m², β = √(1 − 4r); zero unless m > 2 m_q."""
    r = (mq / m) ** 2
    open_ = m > 2.0 * mq
    b2 = np.where(open_, 1.0 - 4.0 * r, 0.0)
    w = colour * m / (12.0 * np.pi) * np.sqrt(b2) * (np.square(cv) * (1.0 + 2.0 * r) + np.square(ca) * b2)
    return np.where(open_, w, 0.0)


def quark_widths(
    mass_mev: ArrayLike, quarks: Mapping[str, Any], flavours: tuple[str, ...] = HEAVY
) -> dict[str, np.ndarray]:
    """Perturbative Γ(Z' → q q̄) [MeV] for ``flavours`` (default c, b, t), keys ``"c_c"``, ...

    1801.04847 Eq. (2.13) with the axial term (2206.08563): Γ = N_c m/(12π) β [C_V²(1 + 2r) + C_A² β²],
    r = m_q²/m², β = √(1 − 4r), zero unless m > 2 m_q; N_c = 3 and the quark masses of DarkCast (constituent
    u, d, s; c 1.5, b 4.8, t 171 GeV; ``data/hadrons/vmd.yaml``), leading order: DarkCast applies no QCD
    correction.
    """
    m = _mass(mass_mev)
    cq = _couplings(quarks)
    d = load_hadron_data()
    for f in flavours:
        if f not in FLAVOURS:
            raise InputError("flavours", f"unknown flavour {f!r}; allowed: {', '.join(FLAVOURS)}")
    return {f"{f}_{f}": _pair_width(m, *cq[f], d.quark_mass_mev[f], d.colour_factor) for f in flavours}


def vmd_widths(mass_mev: ArrayLike, quarks: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Γ(Z' → F) [MeV] of the exclusive channels F from the vector couplings of u, d, s (1801.04847
    Eqs. (2.17), (2.18)); the grids are held at their last value above 2 GeV, as DarkCast does."""
    m = _mass(mass_mev)
    cq = _couplings(quarks)
    d = load_hadron_data()
    cv = [cq[f][0] for f in LIGHT]
    trace = {v: w[0] * cv[0] + w[1] * cv[1] + w[2] * cv[2] for v, w in d.meson_weight.items()}
    out: dict[str, np.ndarray] = {}
    for channel, terms in d.channels.items():
        total = 0.0
        for mesons, grid in terms:
            coeff = (
                np.square(trace[mesons[0]]) if len(mesons) == 1 else 2.0 * trace[mesons[0]] * trace[mesons[1]]
            )
            total = total + coeff * grid(m)
        out[channel] = m / (12.0 * np.pi) * total
    return out


def axial_widths(mass_mev: ArrayLike, quarks: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The two axial light-quark pieces [MeV] of 2206.08563 Eq. (2.11): ``axial_isovector`` =
    m/(4π)(C_Au − C_Ad)² a₁(m) and ``axial_strange`` = θ(m − 2m_K) m/(4π) C_As² (a₁/4 + a₁ˢ − c_φ√(a₁a₁ˢ))."""
    m = _mass(mass_mev)
    cq = _couplings(quarks)
    d = load_hadron_data()
    ca = [cq[f][1] for f in LIGHT]
    iso = d.isovector[0] * ca[0] + d.isovector[1] * ca[1] + d.isovector[2] * ca[2]
    a1, a1s = d.a1(m), d.a1s(m)
    pref = m / (4.0 * np.pi)
    strange = np.where(m > 2.0 * d.m_k_mev, a1 / 4.0 + a1s - d.c_phi * np.sqrt(a1 * a1s), 0.0)
    return {
        "axial_isovector": pref * np.square(iso) * a1,
        "axial_strange": pref * np.square(ca[2]) * strange,
    }


def hadronic_widths(
    mass_mev: ArrayLike,
    quarks: Mapping[str, Any],
    *,
    above_grid: Literal["darkcast", "quarks"] = "darkcast",
) -> dict[str, np.ndarray]:
    """Every hadronic partial width [MeV] of a Z' with quark couplings ``quarks`` = {flavour: (C_V, C_A)}.

    Keys: the VMD channels ``pi+_pi-``, ``pi+_pi-_pi+_pi-``, ``pi+_pi-_pi0_pi0``, ``pi+_pi-_pi0``,
    ``pi0_gamma``, ``K_K``, ``K_K_pi``, ``other`` (:func:`vmd_widths`), ``axial_isovector``,
    ``axial_strange`` (:func:`axial_widths`), ``u_u``, ``d_d``, ``s_s`` (zero unless ``above_grid="quarks"``,
    above the grids), ``c_c``, ``b_b``, ``t_t`` (:func:`quark_widths`) and ``hadrons``, their sum. DarkCast's
    own ``width('hadrons')`` is the sum of the VMD and axial keys; its ``'quarks'`` is c_c + b_b + t_t.

    ``above_grid`` (module docstring): ``"darkcast"`` holds the grids' last values (DarkCast 2023);
    ``"quarks"`` uses perturbative u, d, s quarks above the last grid points instead, and no grid there.
    """
    if above_grid not in ABOVE_GRID:
        raise InputError("above_grid", f"must be one of {', '.join(ABOVE_GRID)}, not {above_grid!r}")
    m = _mass(mass_mev)
    cq = _couplings(quarks)
    out = {**vmd_widths(m, quarks), **axial_widths(m, quarks)}
    light = {f"{f}_{f}": np.zeros(()) for f in LIGHT}
    if above_grid == "quarks":
        d = load_hadron_data()
        v_end, a_end = d.r_grid_end_mev, min(d.a1.last_mev, d.a1s.last_mev)
        v_quark, a_quark = m > v_end, m > a_end
        for k in list(out):
            out[k] = np.where(a_quark if k in AXIAL_CHANNELS else v_quark, 0.0, out[k])
        for f in LIGHT:
            cv, ca = cq[f]
            mq = d.quark_mass_mev[f]
            vec = _pair_width(m, cv, np.zeros(()), mq, d.colour_factor)
            ax = _pair_width(m, np.zeros(()), ca, mq, d.colour_factor)
            light[f"{f}_{f}"] = np.where(v_quark, vec, 0.0) + np.where(a_quark, ax, 0.0)
    out.update(light)
    out.update(quark_widths(m, quarks))
    shape = np.broadcast_shapes(m.shape, *(np.shape(x) for pair in cq.values() for x in pair))
    out = {k: np.broadcast_to(np.asarray(v, dtype=float), shape).copy() for k, v in out.items()}
    out["hadrons"] = np.sum([out[k] for k in out], axis=0) if out else np.zeros(shape)
    return out


def hadronic_widths_of(
    c: Any, *, above_grid: Literal["darkcast", "quarks"] = "darkcast"
) -> dict[str, np.ndarray]:
    """:func:`hadronic_widths` of a :class:`~zprime.core.couplings.Couplings` (``c_vu``, ``c_au``, ``c_vd``,
    ``c_ad``; ``c_vs``, ``c_as``, ``c_vc``, ... where present, else 0)."""
    quarks = {f: (getattr(c, f"c_v{f}", 0.0), getattr(c, f"c_a{f}", 0.0)) for f in FLAVOURS}
    return hadronic_widths(c.mass_mev, quarks, above_grid=above_grid)


__all__ = [
    "ABOVE_GRID",
    "AXIAL_CHANNELS",
    "FLAVOURS",
    "Grid",
    "HadronData",
    "axial_widths",
    "hadronic_widths",
    "hadronic_widths_of",
    "load_hadron_data",
    "quark_widths",
    "read_grid",
    "vmd_widths",
]

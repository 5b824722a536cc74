"""The effective Z' couplings of Bodas et al. Eq. (6), as a frozen, broadcasting container.

Bodas, Coy, King, EPJC 81 (2021) 1065, arXiv:2102.07781, Eq. (6)::

    L ⊃ −Σ_{α=e,μ,τ} [ ℓ̄_α γ^μ (C_Vα + C_Aα γ5) ℓ_α + C_να ν̄_α γ^μ P_L ν_α ] Z'_μ
        −Σ_{q=u,d,s,c,b,t} q̄ γ^μ (C_Vq + C_Aq γ5) q Z'_μ               (optional quark couplings)
        −Σ_α C_νRα ν̄_α γ^μ P_R ν_α Z'_μ                                (optional light Dirac ν_R)

A point is (m_Z' [MeV], C_Ve, C_Ae, C_Vμ, C_Aμ, C_Vτ, C_Aτ, C_νe, C_νμ, C_ντ[, C_Vq, C_Aq for q = u, d, s, c, b, t]
[, C_νRe, C_νRμ, C_νRτ]); fields not given are zero.
Every field is a numpy array (or scalar); all observables broadcast over them.

>>> c = Couplings(mass_mev=20.0, c_ae=2e-4, c_vmu=5e-4)
>>> c.cv("mu"), c.ca("e")
(0.0005, 0.0002)
"""

from __future__ import annotations

import json
import math
import weakref
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from zprime.core.errors import InputError

#: Coupling field names: the lepton couplings of Bodas Eq. (6), then the optional quark couplings.
LEPTON_FIELDS: tuple[str, ...] = (
    "c_ve",
    "c_ae",
    "c_vmu",
    "c_amu",
    "c_vtau",
    "c_atau",
    "c_nue",
    "c_numu",
    "c_nutau",
)
#: Quark couplings: vector and axial, one pair per flavour (u, d first: the fields of Bodas Eq. (6)).
QUARK_FLAVOURS: tuple[str, ...] = ("u", "d", "s", "c", "b", "t")
QUARK_FIELDS: tuple[str, ...] = tuple(f"c_{k}{q}" for q in QUARK_FLAVOURS for k in ("v", "a"))
#: Couplings to light right-handed neutrinos (Dirac ν_R), L ⊃ −C_νRα ν̄_α γ^μ P_R ν_α Z'_μ; zero unless a model
#: opts into light ν_R (they only add to the invisible width: ν_R are not produced by SM sources).
NU_R_FIELDS: tuple[str, ...] = ("c_nure", "c_nurmu", "c_nurtau")
COUPLING_FIELDS: tuple[str, ...] = LEPTON_FIELDS + QUARK_FIELDS + NU_R_FIELDS
ALL_FIELDS: tuple[str, ...] = ("mass_mev",) + COUPLING_FIELDS
_COUPLING_SET = frozenset(COUPLING_FIELDS)

_FLAVOURS = ("e", "mu", "tau")

#: Pretty labels (LaTeX) for plots and tables
LABELS: dict[str, str] = {
    "mass_mev": r"$m_{Z'}$ [MeV]",
    "c_ve": r"$C_{Ve}$",
    "c_ae": r"$C_{Ae}$",
    "c_vmu": r"$C_{V\mu}$",
    "c_amu": r"$C_{A\mu}$",
    "c_vtau": r"$C_{V\tau}$",
    "c_atau": r"$C_{A\tau}$",
    "c_nue": r"$C_{\nu e}$",
    "c_numu": r"$C_{\nu\mu}$",
    "c_nutau": r"$C_{\nu\tau}$",
    "c_vu": r"$C_{Vu}$",
    "c_au": r"$C_{Au}$",
    "c_vd": r"$C_{Vd}$",
    "c_ad": r"$C_{Ad}$",
    "c_vs": r"$C_{Vs}$",
    "c_as": r"$C_{As}$",
    "c_vc": r"$C_{Vc}$",
    "c_ac": r"$C_{Ac}$",
    "c_vb": r"$C_{Vb}$",
    "c_ab": r"$C_{Ab}$",
    "c_vt": r"$C_{Vt}$",
    "c_at": r"$C_{At}$",
    "c_nure": r"$C_{\nu_R e}$",
    "c_nurmu": r"$C_{\nu_R \mu}$",
    "c_nurtau": r"$C_{\nu_R \tau}$",
}


#: Perturbativity: every effective coupling satisfies |C| ≤ 4π (beyond it the one-loop expansion that the
#: observables use breaks down; e.g. Bodas et al. Eq. (6) couplings enter g−2 at one loop).
COUPLING_MAX: float = 4.0 * math.pi
#: Supported Z' masses [MeV], inclusive: 1 eV to 1 TeV. Every observable is finite over this range; the
#: shipped data reach from keV (cosmology) to 10^5 MeV (the dark-Z fit and scans).
MASS_RANGE_MEV: tuple[float, float] = (1e-6, 1e6)

#: numpy dtype kinds accepted as real numbers: signed/unsigned integers and floats (not bool, complex,
#: datetime, timedelta, object, strings)
_REAL_KINDS = frozenset("iuf")

#: Buffers owned by Couplings objects (already copied and validated): arrays that are views of one of them
#: (a field, its slices, its broadcasts; all read-only) are neither copied nor checked again.
_OWNED: weakref.WeakValueDictionary[int, np.ndarray] = weakref.WeakValueDictionary()


def _kind_name(arr: np.ndarray) -> str:
    return {
        "b": "booleans",
        "c": "complex numbers",
        "M": "datetimes",
        "m": "timedeltas",
        "O": "Python objects",
        "U": "strings",
        "S": "bytes",
        "V": "raw records",
    }.get(arr.dtype.kind, f"dtype {arr.dtype}")


def _bounds(name: str) -> tuple[float, float]:
    return MASS_RANGE_MEV if name == "mass_mev" else (-COUPLING_MAX, COUPLING_MAX)


def _allowed(name: str) -> str:
    if name == "mass_mev":
        lo, hi = MASS_RANGE_MEV
        return f"allowed: {lo:g} <= mass_mev <= {hi:g} MeV"
    return f"allowed: |{name}| <= 4*pi = {COUPLING_MAX:.4f} (perturbativity)"


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _range_error(name: str, lo: float, hi: float, scalar: bool) -> InputError:
    """The error for values with minimum ``lo`` and maximum ``hi`` outside the field's range (or NaN)."""
    lim_lo, _ = _bounds(name)
    has = "is" if scalar else "contains"
    if math.isnan(lo) or math.isnan(hi):
        return InputError(name, f"{has} NaN (not a number); {_allowed(name)}")
    bad = lo if lo < lim_lo else hi
    what = "not finite" if math.isinf(bad) else "out of range"
    return InputError(name, f"{has} {bad:g}, {what}; {_allowed(name)}")


def _frozen(own: np.ndarray) -> np.ndarray:
    """Mark a private float64 array read-only and remember it as validated."""
    own.flags.writeable = False
    _OWNED[id(own)] = own
    return own


def _validated(name: str, value: Any) -> np.ndarray:
    """``value`` as a private, read-only float64 array, after checking that it holds real, finite numbers
    within the field's physical range (:data:`MASS_RANGE_MEV`, :data:`COUPLING_MAX`); InputError names the
    field otherwise. Costs one copy and two reductions (min and max; NaN propagates through both)."""
    if type(value) is float and value == 0.0 and math.copysign(1.0, value) > 0 and name != "mass_mev":
        return _ZERO  # the default of every coupling: one shared read-only zero
    lim_lo, lim_hi = _bounds(name)
    if isinstance(value, float) or (type(value) is int):  # Python scalars (and numpy float64): fast path
        try:
            x = float(value)
        except OverflowError:
            x = math.inf if value > 0 else -math.inf
        if not lim_lo <= x <= lim_hi:
            raise _range_error(name, x, x, scalar=True)
        return _frozen(np.array(x))
    if isinstance(value, np.ndarray) and not value.flags.writeable and value.dtype == np.float64:
        base = value if value.base is None else value.base
        if _OWNED.get(id(base)) is base:
            return value  # a field of another Couplings (or its slice or broadcast): copied and checked
    if value is None:
        raise InputError(name, f"must be a number, got None; {_allowed(name)}")
    if isinstance(value, (bool, np.bool_)):
        raise InputError(name, f"must be a real number, got the boolean {value!r}; {_allowed(name)}")
    if isinstance(value, (str, bytes)):
        raise InputError(name, f"must be a real number, got the text {_describe(value)}; {_allowed(name)}")
    try:
        arr = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise InputError(name, f"must be a number or an array of numbers, got {_describe(value)}") from exc
    if arr.dtype.kind not in _REAL_KINDS:
        raise InputError(
            name, f"must be real numbers, got {_kind_name(arr)} ({_describe(value)}); {_allowed(name)}"
        )
    with np.errstate(over="ignore"):  # long doubles beyond float64 become inf: rejected below
        own = np.array(arr, dtype=np.float64, order="C", copy=True)
    if own.size:
        lo, hi = float(own.min()), float(own.max())
        if not (lim_lo <= lo and hi <= lim_hi):
            raise _range_error(name, lo, hi, scalar=own.ndim == 0)
    return _frozen(own)


_ZERO = _frozen(np.array(0.0))


def _broadcast_shape(arrays: list[np.ndarray]) -> tuple[int, ...]:
    """The broadcast shape of the fields' arrays (InputError naming "couplings" where they do not broadcast)."""
    try:
        return np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError as exc:
        raise InputError("couplings", f"shapes do not broadcast: {exc}") from exc


@dataclass(frozen=True, eq=False)
class Couplings:
    """Z' mass [MeV] and effective couplings (Bodas et al. Eq. (6)); numpy-broadcasting and immutable.

    Validation (InputError naming the field): every field holds real, finite numbers (int or float; not bool,
    complex, datetime, object or text); ``mass_mev`` lies in :data:`MASS_RANGE_MEV` (1e-6 to 1e6 MeV) and every
    coupling satisfies |C| ≤ 4π (:data:`COUPLING_MAX`, perturbativity). Inputs are copied: changing the
    caller's arrays afterwards leaves the object unchanged; its fields are read-only.
    Arrays of different shapes are allowed as long as they broadcast together.
    """

    mass_mev: Any
    c_ve: Any = 0.0
    c_ae: Any = 0.0
    c_vmu: Any = 0.0
    c_amu: Any = 0.0
    c_vtau: Any = 0.0
    c_atau: Any = 0.0
    c_nue: Any = 0.0
    c_numu: Any = 0.0
    c_nutau: Any = 0.0
    c_vu: Any = 0.0
    c_au: Any = 0.0
    c_vd: Any = 0.0
    c_ad: Any = 0.0
    c_vs: Any = 0.0
    c_as: Any = 0.0
    c_vc: Any = 0.0
    c_ac: Any = 0.0
    c_vb: Any = 0.0
    c_ab: Any = 0.0
    c_vt: Any = 0.0
    c_at: Any = 0.0
    c_nure: Any = 0.0
    c_nurmu: Any = 0.0
    c_nurtau: Any = 0.0
    _shape: tuple[int, ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        arrays = []
        for name in ALL_FIELDS:
            a = _validated(name, getattr(self, name))
            object.__setattr__(self, name, a)
            arrays.append(a)
        object.__setattr__(self, "_shape", _broadcast_shape(arrays))

    @classmethod
    def _from_results(cls, mass_mev: Any, **fields: Any) -> Couplings:
        """``Couplings(mass_mev=mass_mev, **fields)`` for coupling arrays that the caller has just computed and
        holds no other reference to (a model's results, e.g. :func:`zprime.physics.models.u1.tree_couplings`):
        fresh, C-contiguous float64 arrays are kept instead of copied, and checked together (one minimum and
        one maximum over all of them) instead of field by field. The same object and values as the
        constructor; anything else (a view, another dtype or layout, a value out of range: the constructor
        names the field) goes through the constructor."""
        own: list[np.ndarray] = []
        for name, v in fields.items():
            if name not in _COUPLING_SET:
                return cls(mass_mev=mass_mev, **fields)  # the constructor's error
            if (
                v.__class__ is np.ndarray
                and v.dtype == np.float64
                and v.base is None
                and v.flags.c_contiguous
                and v.flags.writeable
            ):
                own.append(v)
            elif not (v.__class__ is np.ndarray and _OWNED.get(id(v)) is v):  # (validated already: kept)
                return cls(mass_mev=mass_mev, **fields)
        if own:
            flat = np.concatenate([a.reshape(-1) for a in own]) if len(own) > 1 else own[0].reshape(-1)
            if flat.size and not (-COUPLING_MAX <= float(flat.min()) and float(flat.max()) <= COUPLING_MAX):
                return cls(mass_mev=mass_mev, **fields)  # NaN or out of range: the constructor's error
        for a in own:
            _frozen(a)
        return cls._assembled(mass_mev, fields)

    @classmethod
    def _from_block(cls, mass_mev: Any, block: np.ndarray, rows: dict[str, int]) -> Couplings:
        """``Couplings(mass_mev=mass_mev, **{name: block[i] for name, i in rows.items()})`` for a fresh,
        C-contiguous float64 ``block`` of coupling rows (shape (k, *shape), k ≥ 1) that the caller has just
        computed and holds no other reference to (:func:`zprime.physics.models.u1.tree_couplings` of a batch):
        the block is checked once (one minimum and one maximum) and kept, read-only, and its rows are the fields
        (views of an owned buffer: later constructors neither copy nor check them). The same values as the
        constructor; NaN or a value out of range goes through the constructor (its error names the field)."""
        if block.size and not (-COUPLING_MAX <= float(block.min()) and float(block.max()) <= COUPLING_MAX):
            return cls(mass_mev=mass_mev, **{n: block[i] for n, i in rows.items()})
        _frozen(block)
        views = [block[i] for i in range(block.shape[0])]  # (read-only, as the block now is)
        return cls._assembled(mass_mev, {name: views[i] for name, i in rows.items()})

    @classmethod
    def _assembled(cls, mass_mev: Any, fields: dict[str, np.ndarray]) -> Couplings:
        """The Couplings of ``mass_mev`` and coupling ``fields`` that are already checked and read-only (of
        :meth:`_from_results` and :meth:`_from_block`; a field not given is 0), without the constructor's
        per-field checks and copies."""
        obj = cls.__new__(cls)
        mass = _validated("mass_mev", mass_mev)
        arrays = [mass]
        object.__setattr__(obj, "mass_mev", mass)
        for name in COUPLING_FIELDS:
            a = fields.get(name, _ZERO)
            object.__setattr__(obj, name, a)
            arrays.append(a)
        object.__setattr__(obj, "_shape", _broadcast_shape(arrays))
        return obj

    # ----------------------------------------------------------------------------------------- access
    @property
    def shape(self) -> tuple[int, ...]:
        """Broadcast shape of all fields."""
        return self._shape

    @property
    def size(self) -> int:
        return math.prod(self._shape)

    def cv(self, flavour: str) -> np.ndarray:
        """Vector coupling C_Vα for α in {'e', 'mu', 'tau'}."""
        return getattr(self, f"c_v{_check_flavour(flavour)}")

    def ca(self, flavour: str) -> np.ndarray:
        """Axial coupling C_Aα for α in {'e', 'mu', 'tau'}."""
        return getattr(self, f"c_a{_check_flavour(flavour)}")

    def cnu(self, flavour: str) -> np.ndarray:
        """Neutrino coupling C_να for α in {'e', 'mu', 'tau'}."""
        return getattr(self, f"c_nu{_check_flavour(flavour)}")

    def cnur(self, flavour: str) -> np.ndarray:
        """Coupling C_νRα to a light right-handed neutrino, α in {'e', 'mu', 'tau'} (0 without light ν_R)."""
        return getattr(self, f"c_nur{_check_flavour(flavour)}")

    def cvq(self, flavour: str) -> np.ndarray:
        """Vector quark coupling C_Vq for q in {'u', 'd', 's', 'c', 'b', 't'}."""
        return getattr(self, f"c_v{_check_quark(flavour)}")

    def caq(self, flavour: str) -> np.ndarray:
        """Axial quark coupling C_Aq for q in {'u', 'd', 's', 'c', 'b', 't'}."""
        return getattr(self, f"c_a{_check_quark(flavour)}")

    def replace(self, **changes: Any) -> Couplings:
        """A copy with some fields replaced (validated again)."""
        return replace(self, **changes)

    def broadcast(self) -> Couplings:
        """A copy in which every field has the full broadcast shape."""
        return Couplings(**{n: np.broadcast_to(getattr(self, n), self._shape).copy() for n in ALL_FIELDS})

    def __getitem__(self, index: Any) -> Couplings:
        """Index or slice all fields after broadcasting."""
        b = {n: np.broadcast_to(getattr(self, n), self._shape)[index] for n in ALL_FIELDS}
        return Couplings(**b)

    def __len__(self) -> int:
        if not self._shape:
            raise TypeError("len() of a scalar Couplings point")
        return self._shape[0]

    # ----------------------------------------------------------------------------------------- I/O
    def to_dict(self, nonzero_only: bool = False) -> dict[str, Any]:
        """Plain-Python dict (floats or nested lists), suitable for JSON."""
        out: dict[str, Any] = {}
        for n in ALL_FIELDS:
            a = getattr(self, n)
            if nonzero_only and n != "mass_mev" and not np.any(a):
                continue
            out[n] = a.item() if a.ndim == 0 else a.tolist()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Couplings:
        """Inverse of :meth:`to_dict`; unknown keys are an error naming the key."""
        unknown = set(data) - set(ALL_FIELDS)
        if unknown:
            raise InputError(sorted(unknown)[0], f"unknown coupling field; allowed: {', '.join(ALL_FIELDS)}")
        if "mass_mev" not in data:
            raise InputError("mass_mev", "is required")
        return cls(**data)

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_json(cls, text: str) -> Couplings:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError("json", f"not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise InputError("json", "must be a JSON object")
        return cls.from_dict(data)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Couplings):
            return NotImplemented
        return all(np.array_equal(getattr(self, n), getattr(other, n)) for n in ALL_FIELDS)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = []
        for n in ALL_FIELDS:
            a = getattr(self, n)
            if n != "mass_mev" and not np.any(a):
                continue
            parts.append(f"{n}={_fmt(a)}")
        return f"Couplings({', '.join(parts)})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{LABELS[n]}</td><td>{_fmt(getattr(self, n))}</td></tr>"
            for n in ALL_FIELDS
            if n == "mass_mev" or np.any(getattr(self, n))
        )
        return f"<table><caption>Couplings, shape {self._shape}</caption>{rows}</table>"

    def _repr_markdown_(self) -> str:
        rows = "\n".join(
            f"| {n} | {_fmt(getattr(self, n))} |"
            for n in ALL_FIELDS
            if n == "mass_mev" or np.any(getattr(self, n))
        )
        return f"| field | value |\n|---|---|\n{rows}"


def _fmt(a: np.ndarray) -> str:
    if a.ndim == 0:
        return f"{a.item():.6g}"
    if a.size <= 4:
        return "[" + ", ".join(f"{x:.4g}" for x in a.ravel()) + "]"
    return f"array{a.shape}[{a.min():.3g} … {a.max():.3g}]"


def _check_quark(flavour: str) -> str:
    if flavour not in QUARK_FLAVOURS:
        raise InputError("quark", f"must be one of {QUARK_FLAVOURS}, got {flavour!r}")
    return flavour


def _check_flavour(flavour: str) -> str:
    if flavour not in _FLAVOURS:
        raise InputError("flavour", f"must be one of {_FLAVOURS}, got {flavour!r}")
    return flavour


#: Magnitude ranges (upper ends; lower end 1e-9) of :func:`random_couplings`: the couplings the constraints
#: probe, in the order the random numbers are drawn.
RANDOM_COUPLING_TOPS: dict[str, float] = {
    "c_ve": 1e-2, "c_ae": 1e-2, "c_vmu": 1e-2, "c_amu": 1e-3, "c_nue": 1e-4, "c_numu": 1e-4, "c_nutau": 1e-4,
    "c_vu": 1e-3, "c_vd": 1e-3,
}  # fmt: skip


def random_couplings(
    n: int,
    seed: int | np.random.Generator = 1,
    *,
    log10_mass_mev: tuple[float, float] = (0.0, 3.0),
    tops: dict[str, float] | None = None,
) -> Couplings:
    """``n`` reproducible random points for tests and benchmarks: masses log-uniform over
    ``10**log10_mass_mev`` MeV, each coupling of ``tops`` (default :data:`RANDOM_COUPLING_TOPS`) of random
    sign and log-uniform magnitude between 1e-9 and its top."""
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    mass = 10 ** rng.uniform(*log10_mass_mev, n)
    fields = {
        name: rng.choice([-1.0, 1.0], n) * 10 ** rng.uniform(-9, np.log10(top), n)
        for name, top in (RANDOM_COUPLING_TOPS if tops is None else tops).items()
    }
    return Couplings(mass_mev=mass, **fields)


__all__ = [
    "Couplings",
    "random_couplings",
    "RANDOM_COUPLING_TOPS",
    "COUPLING_MAX",
    "MASS_RANGE_MEV",
    "LEPTON_FIELDS",
    "QUARK_FIELDS",
    "QUARK_FLAVOURS",
    "NU_R_FIELDS",
    "COUPLING_FIELDS",
    "ALL_FIELDS",
    "LABELS",
]

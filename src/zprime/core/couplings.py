"""The effective Z' couplings of Bodas et al. Eq. (6), as a frozen, broadcasting container.

Bodas, Coy, King, EPJC 81 (2021) 1065, arXiv:2102.07781, Eq. (6)::

    L ⊃ −Σ_{α=e,μ,τ} [ ℓ̄_α γ^μ (C_Vα + C_Aα γ5) ℓ_α + C_να ν̄_α γ^μ P_L ν_α ] Z'_μ
        −Σ_{q=u,d} q̄ γ^μ (C_Vq + C_Aq γ5) q Z'_μ                       (optional quark couplings)

A point is (m_Z' [MeV], C_Ve, C_Ae, C_Vμ, C_Aμ, C_Vτ, C_Aτ, C_νe, C_νμ, C_ντ[, C_Vu, C_Au, C_Vd, C_Ad]).
Every field is a numpy array (or scalar); all observables broadcast over them.

>>> c = Couplings(mass_mev=20.0, c_ae=2e-4, c_vmu=5e-4)
>>> c.cv("mu"), c.ca("e")
(0.0005, 0.0002)
"""

from __future__ import annotations

import json
import math
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
QUARK_FIELDS: tuple[str, ...] = ("c_vu", "c_au", "c_vd", "c_ad")
COUPLING_FIELDS: tuple[str, ...] = LEPTON_FIELDS + QUARK_FIELDS
ALL_FIELDS: tuple[str, ...] = ("mass_mev",) + COUPLING_FIELDS

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
}


def _as_float_array(name: str, value: Any) -> np.ndarray:
    """Convert to a float array, raising InputError that names the field on failure."""
    if isinstance(value, (str, bytes)):
        raise InputError(name, f"must be a number or array of numbers, got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(name, f"must be a number or array of numbers, got {value!r}") from exc
    return arr


@dataclass(frozen=True, eq=False)
class Couplings:
    """Z' mass [MeV] and effective couplings (Bodas et al. Eq. (6)); numpy-broadcasting and immutable.

    Validation: ``mass_mev`` must be positive and finite, every coupling finite; errors name the field.
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
    _shape: tuple[int, ...] = field(default=(), init=False, repr=False)

    def __post_init__(self) -> None:
        m = _as_float_array("mass_mev", self.mass_mev)
        if not np.all(np.isfinite(m)):
            raise InputError("mass_mev", "must be finite (allowed range: 0 < mass_mev < inf MeV)")
        if np.any(m <= 0):
            raise InputError("mass_mev", "must be positive (allowed range: 0 < mass_mev < inf MeV)")
        m = _readonly(m)
        object.__setattr__(self, "mass_mev", m)
        arrays = [m]
        for name in COUPLING_FIELDS:
            a = _as_float_array(name, getattr(self, name))
            if not np.all(np.isfinite(a)):
                raise InputError(name, "must be finite")
            a = _readonly(a)
            object.__setattr__(self, name, a)
            arrays.append(a)
        try:
            shape = np.broadcast_shapes(*(a.shape for a in arrays))
        except ValueError as exc:
            raise InputError("couplings", f"shapes do not broadcast: {exc}") from exc
        object.__setattr__(self, "_shape", shape)

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


def _readonly(a: np.ndarray) -> np.ndarray:
    """A read-only view (the caller's array and its flags are left untouched)."""
    v = a.view()
    v.flags.writeable = False
    return v


def _fmt(a: np.ndarray) -> str:
    if a.ndim == 0:
        return f"{a.item():.6g}"
    if a.size <= 4:
        return "[" + ", ".join(f"{x:.4g}" for x in a.ravel()) + "]"
    return f"array{a.shape}[{a.min():.3g} … {a.max():.3g}]"


def _check_flavour(flavour: str) -> str:
    if flavour not in _FLAVOURS:
        raise InputError("flavour", f"must be one of {_FLAVOURS}, got {flavour!r}")
    return flavour


__all__ = ["Couplings", "LEPTON_FIELDS", "QUARK_FIELDS", "COUPLING_FIELDS", "ALL_FIELDS", "LABELS"]

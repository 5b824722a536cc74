"""UV models: a model maps its parameters (numpy arrays) to :class:`~zprime.core.couplings.Couplings`.

A model declares its parameters with ranges and scales (used by scans and viability searches) and a
pure, vectorised ``couplings(**params)``. Models are looked up by name in :mod:`zprime.physics.models.registry`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

from zprime.core.couplings import Couplings
from zprime.core.errors import InputError


@dataclass(frozen=True)
class Parameter:
    """A model parameter: name, allowed range, scale for searches, and a LaTeX label.

    ``search_range`` (optional) is the range a global search explores, when narrower than the allowed
    range. For ``scale='symlog'`` the search explores ±[lo, hi] in log (signed couplings).
    """

    name: str
    lo: float
    hi: float
    scale: Literal["lin", "log", "symlog"] = "lin"
    label: str = ""
    unit: str = ""
    search_range: tuple[float, float] | None = None

    def check(self, value: Any) -> np.ndarray:
        try:
            arr = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            raise InputError(self.name, f"must be a number, got {value!r}") from None
        if not np.all(np.isfinite(arr)):
            raise InputError(self.name, f"must be finite (allowed range [{self.lo:g}, {self.hi:g}])")
        lo, hi = (-self.hi, self.hi) if self.scale == "symlog" else (self.lo, self.hi)
        if np.any(arr < lo) or np.any(arr > hi):
            unit = f" {self.unit}" if self.unit else ""
            raise InputError(self.name, f"out of range: allowed [{lo:g}, {hi:g}]{unit}")
        return arr


_TRUE = frozenset({"true", "yes", "on", "1"})
_FALSE = frozenset({"false", "no", "off", "0"})


def parse_flag(name: str, value: Any) -> bool:
    """A boolean model option from True/False, 1/0 (also 1.0/0.0, as ``--set nu_r=1`` parses) or the words
    true/false, yes/no, on/off (any case); anything else is an InputError naming the option."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    if isinstance(value, (int, float, np.integer, np.floating)) and float(value) in (0.0, 1.0):
        return float(value) == 1.0
    raise InputError(name, f"is an on/off option: give true or false (or 1 or 0), got {value!r}")


class Model(ABC):
    """Base class: subclasses set ``name``, ``description``, ``reference``, ``parameters`` and implement
    :meth:`_couplings`. ``relations`` documents the coupling relations the model implies."""

    name: str = ""
    description: str = ""
    reference: str = ""
    parameters: tuple[Parameter, ...] = ()
    relations: tuple[str, ...] = ()
    #: True for a model class whose question is about its lepton couplings, with the quark charges left free
    #: (Bodas Sec. 4): searches that produce the Z' through quarks then do not block its viability verdict.
    lepton_class: bool = False
    #: Parameters that also take the word ``"loop"`` (loop-induced kinetic mixing of the lepton-number
    #: models, :func:`zprime.physics.models.u1.loop_kinetic_mixing`); passed to :meth:`_couplings` as is.
    loop_parameters: tuple[str, ...] = ()
    #: Values of parameters that may be left out (a number or the word ``"loop"``); e.g. the B boson's
    #: ``eps="loop"``. Parameters without a default are required by :meth:`couplings`.
    defaults: Mapping[str, float | str] = MappingProxyType({})
    #: Boolean options of the model (not parameters: never scanned or searched), False unless given, e.g.
    #: ``nu_r`` (light right-handed neutrinos) of the gauged lepton-number models. :meth:`couplings` takes
    #: them as keywords (True/False, 1/0, or the words true/false/yes/no/on/off) and passes Python booleans
    #: to :meth:`_couplings` (always, False when left out).
    flags: tuple[str, ...] = ()

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise InputError(name, f"not a parameter of model '{self.name}'; {self._known()}")

    def couplings(self, **params: Any) -> Couplings:
        """Validated, vectorised map parameters (and options, :attr:`flags`) -> Couplings. A missing parameter
        takes its :attr:`defaults` value; without one it is an error."""
        names = {p.name for p in self.parameters}
        unknown = set(params) - names - set(self.flags)
        if unknown:
            raise InputError(sorted(unknown)[0], f"not a parameter of model '{self.name}'; {self._known()}")
        missing = names - set(params) - set(self.defaults)
        if missing:
            raise InputError(sorted(missing)[0], f"required by model '{self.name}'")
        checked: dict[str, Any] = {
            p.name: self._check(p, params[p.name] if p.name in params else self.defaults[p.name])
            for p in self.parameters
        }
        for f in self.flags:
            checked[f] = parse_flag(f, params.get(f, False))
        return self._couplings(**checked)

    def _couplings_in_range(self, params: Mapping[str, np.ndarray]) -> Couplings:
        """:meth:`couplings` of float64 arrays of every parameter that are known to lie in the parameters'
        ranges (e.g. a search's clipped values), options off: the same Couplings, without checking the
        values again."""
        return self._couplings(**params, **{f: False for f in self.flags})

    def _known(self) -> str:
        text = f"parameters: {', '.join(p.name for p in self.parameters)}"
        return text + (f"; options: {', '.join(self.flags)}" if self.flags else "")

    def _check(self, p: Parameter, value: Any) -> Any:
        if isinstance(value, str) and value.strip() == "loop":
            if p.name in self.loop_parameters:
                return "loop"
            raise InputError(
                p.name,
                f"must be a number for model '{self.name}'; the word 'loop' is accepted only by the eps "
                "parameter of the models with loop-induced kinetic mixing (lmu_ltau, le_lmu, le_ltau, b_boson)",
            )
        if isinstance(value, (bool, np.bool_)):
            raise InputError(p.name, f"must be a number for model '{self.name}', got the boolean {value!r}")
        return p.check(value)

    @abstractmethod
    def _couplings(self, **params: np.ndarray) -> Couplings:
        """Physics: parameters (already validated arrays) -> Couplings."""

    def __repr__(self) -> str:
        return f"<Model {self.name}: {', '.join(p.name for p in self.parameters)}>"

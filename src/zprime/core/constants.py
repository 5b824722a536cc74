"""Physical constants, with the edition pinned, loaded from ``data/constants/pdg.yaml``.

All values are in MeV (masses, energies), MeV^-2 (G_F) or fm (lengths), following the hepunits
convention used throughout zprime. Nothing here is typed in: every number, with its reference, lives
in the YAML file; this module only exposes them under stable names.

>>> from zprime.core.constants import M_MU, M_E
>>> round(M_MU / M_E, 3)
206.768
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from zprime.core.errors import DataFileError
from zprime.core.yaml_io import read_yaml


@dataclass(frozen=True)
class Constant:
    """A physical constant: value, uncertainty, unit and reference."""

    name: str
    value: float
    uncertainty: float
    unit: str
    reference: str


def _parse(path: Path) -> dict[str, Constant]:
    """Read and check one constants file: every entry has value, uncertainty (finite, ≥ 0), unit and
    reference; masses (``m_*``) are positive."""
    raw = read_yaml(path)
    if not isinstance(raw, dict) or not isinstance(raw.get("constants"), dict):
        raise DataFileError(str(path), "top level must be a mapping with a mapping 'constants'")
    out: dict[str, Constant] = {}
    for name, entry in raw["constants"].items():
        if not isinstance(entry, dict):
            raise DataFileError(
                str(path), "must be a mapping (value, uncertainty, unit, reference)", field=name
            )
        for field in ("value", "uncertainty", "unit", "reference"):
            if field not in entry:
                raise DataFileError(str(path), "missing field", field=f"{name}.{field}")
        try:
            value, unc = float(entry["value"]), float(entry["uncertainty"])
        except (TypeError, ValueError):
            raise DataFileError(str(path), "value and uncertainty must be numbers", field=name) from None
        if not math.isfinite(value):
            raise DataFileError(str(path), "value is not finite", field=f"{name}.value")
        if not (math.isfinite(unc) and unc >= 0):
            raise DataFileError(str(path), "must be finite and >= 0", field=f"{name}.uncertainty")
        if name.startswith("m_") and value <= 0:
            raise DataFileError(str(path), "a mass must be > 0", field=f"{name}.value")
        if len(str(entry["reference"]).strip()) < 3:
            raise DataFileError(str(path), "needs its source", field=f"{name}.reference")
        out[name] = Constant(name, value, unc, str(entry["unit"]), str(entry["reference"]))
    return out


@lru_cache(maxsize=1)
def load_constants() -> dict[str, Constant]:
    """Read and validate the pinned constants file (safe YAML loader)."""
    return _parse(Path(str(resources.files("zprime") / "data" / "constants" / "pdg.yaml")))


def validate_file(path: str | Path) -> str:
    """Check a constants file (as :func:`load_constants` does); one summary line."""
    return f"constants/{Path(path).name}: {len(_parse(Path(path)))} constants"


def get(name: str) -> float:
    """Value of the constant ``name`` (see ``load_constants()`` for the list)."""
    return load_constants()[name].value


_C = load_constants()

#: Lepton masses [MeV]
M_E: float = _C["m_e"].value
M_MU: float = _C["m_mu"].value
M_TAU: float = _C["m_tau"].value
#: Gauge-boson and nucleon masses [MeV]
M_Z: float = _C["m_z"].value
M_W: float = _C["m_w"].value
M_P: float = _C["m_p"].value
M_N: float = _C["m_n"].value
M_PI0: float = _C["m_pi0"].value
#: Fine-structure constant at zero momentum transfer
ALPHA: float = _C["alpha"].value
#: Elementary charge in natural (Heaviside-Lorentz) units, e = sqrt(4 pi alpha)
E_CHARGE: float = math.sqrt(4.0 * math.pi * ALPHA)
#: Electric charges Q_f of the charged fermions of Couplings, in units of e
ELECTRIC_CHARGE: Mapping[str, float] = MappingProxyType(
    {
        "e": -1.0,
        "mu": -1.0,
        "tau": -1.0,
        "u": 2 / 3,
        "d": -1 / 3,
        "s": -1 / 3,
        "c": 2 / 3,
        "b": -1 / 3,
        "t": 2 / 3,
    }
)
#: Fermi constant [MeV^-2]
G_F: float = _C["g_fermi"].value
#: Weak mixing angle: on-shell, MSbar at m_Z, MSbar at low Q (Cadeddu et al.) and Erler et al. Q=0
SIN2W_ONSHELL: float = _C["sin2w_onshell"].value
SIN2W_MSBAR_MZ: float = _C["sin2w_msbar_mz"].value
SIN2W_LOW_Q: float = _C["sin2w_msbar_low_q"].value
SIN2W_Q0_ERLER: float = _C["sin2w_msbar_q0_erler"].value
#: Conversion constants
HBAR_C_MEV_FM: float = _C["hbar_c"].value
HBAR_MEV_S: float = _C["hbar"].value
C_M_PER_S: float = _C["speed_of_light"].value
BOHR_RADIUS_FM: float = _C["bohr_radius"].value

#: Lepton masses by flavour label
LEPTON_MASS_MEV: dict[str, float] = {"e": M_E, "mu": M_MU, "tau": M_TAU}

__all__ = [
    "Constant",
    "load_constants",
    "get",
    "M_E",
    "M_MU",
    "M_TAU",
    "M_Z",
    "M_W",
    "M_P",
    "M_N",
    "M_PI0",
    "ALPHA",
    "E_CHARGE",
    "ELECTRIC_CHARGE",
    "G_F",
    "SIN2W_ONSHELL",
    "SIN2W_MSBAR_MZ",
    "SIN2W_LOW_Q",
    "SIN2W_Q0_ERLER",
    "HBAR_C_MEV_FM",
    "HBAR_MEV_S",
    "C_M_PER_S",
    "BOHR_RADIUS_FM",
    "LEPTON_MASS_MEV",
]

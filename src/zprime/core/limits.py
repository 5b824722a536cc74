"""Schema of the limit metadata files (``data/limits/**/*.yaml``): one self-describing file per limit.

Three kinds of file, told apart by ``kind``:

- ``curve`` (default): a published limit with its numbers in a CSV beside it (``numbers``), the
  publication (reference, arXiv id, INSPIRE texkey, BibTeX, HEPData), where the numbers came from
  (``source``), the DarkCast recast facts (production mechanism, decay channels, bound type, lifetime
  window; Ilten, Soreq, Williams, Xue, arXiv:1801.04847), the couplings the recast is valid for, the CL
  and the category;
- ``variant``: a curve derived from another one at load time (``derived_from``, ``transform``);
- ``statement``: a quoted bound without a curve (e.g. Bodas et al. Eq. (17)).

:func:`load_limit_file` reads one file with the safe loader and validates it; every error is a
``DataFileError`` naming the file and the field. Discovery and the consistency checks against the CSV
header live in :mod:`zprime.core.limit_curves`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from zprime.core.errors import DataFileError
from zprime.core.yaml_io import read_yaml

#: Production mechanisms (DarkCast's names; g_prod² of each in :mod:`zprime.physics.production`): e⁺e⁻ → γX and
#: Drell–Yan f f̄ → X (``e_e``, ``mu_mu``, ``tau_tau``, ``u_u`` … ``b_b``), bremsstrahlung off a fermion beam or line
#: (``e_brem``, ``mu_brem``, ``tau_brem``), proton bremsstrahlung (``p_brem``), vector-meson mixing (``rho0``,
#: ``omega``, ``phi``) and meson decays A → B X (``pi0_gamma``, ``eta_gamma``, ``eta'_gamma``, ``omega_pi0``,
#: ``phi_eta``, ``D*0_D0``).
Mechanism = Literal[
    "e_e",
    "mu_mu",
    "tau_tau",
    "u_u",
    "d_d",
    "s_s",
    "c_c",
    "b_b",
    "e_brem",
    "mu_brem",
    "tau_brem",
    "p_brem",
    "rho0",
    "omega",
    "phi",
    "pi0_gamma",
    "eta_gamma",
    "eta'_gamma",
    "omega_pi0",
    "phi_eta",
    "D*0_D0",
]
MECHANISMS: tuple[str, ...] = Mechanism.__args__  # type: ignore[attr-defined]
Channel = Literal["ee", "mumu", "pipi", "invisible"]

_NAME = r"^[A-Za-z][A-Za-z0-9_]*$"
_ARXIV = r"^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})$"
_TEXKEY = r"^[A-Za-z][A-Za-z0-9.'-]*:\d{4}[a-z]{2,3}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# ------------------------------------------------------------------------------------------ lifetime
class TwoBodyBoost(_Strict):
    """γ = (M² + m² − m_recoil²)/(2 M m) for a parent M → X + recoil."""

    kind: Literal["two_body"]
    parent_mass_mev: float = Field(gt=0)
    recoil_mass_mev: float = Field(ge=0)


class FixedEnergyBoost(_Strict):
    """γ = E/m for a fixed X energy E."""

    kind: Literal["fixed_energy"]
    energy_mev: float = Field(gt=0)


class Prompt(_Strict):
    """t0 = 0, t1 = ∞."""

    kind: Literal["prompt"]


class FlightLength(_Strict):
    """t0 = 0, t1 = length_m/(γ c)."""

    kind: Literal["flight_length"]
    length_m: float = Field(gt=0)
    boost: Annotated[TwoBodyBoost | FixedEnergyBoost, Field(discriminator="kind")]


class ProperTime(_Strict):
    """t0 = 0, t1 [s] tabulated in mass: the CSV ``t1_table`` beside the metadata file, columns ``mass_GeV,t1_s``
    (linear in mass, nearest row outside), e.g. LHCb's and CMS's proper-lifetime requirements in DarkCast."""

    kind: Literal["proper_time"]
    t1_table: str = Field(pattern=r"^[^/\\]+\.csv$")


class BeamDump(_Strict):
    """t1 = (1 + l_decay_m/l_shield_m) t0, t0 solved per mass from the band edges (DarkCast)."""

    kind: Literal["beam_dump"]
    l_decay_m: float = Field(gt=0)
    l_shield_m: float = Field(gt=0)


class RValue(_Strict):
    """A displaced search published as an r-value grid: r(m, ε) = (upper limit on the signal)/(expected dark-photon
    signal), excluded where r < 1 (DarkCast ``Efficiency(rvals=True)``, arXiv:1801.04847 Eq. (2.21)); the CSV holds
    ``mass_GeV,eps,r``. The efficiency depends on the lifetime only, so a model point takes r of the dark photon
    with the same lifetime."""

    kind: Literal["rvalue"]


Lifetime = Annotated[Prompt | FlightLength | ProperTime | BeamDump | RValue, Field(discriminator="kind")]


# ------------------------------------------------------------------------------------ file pieces
class Source(_Strict):
    """Where the numbers came from."""

    digitised_by: str = Field(min_length=3)
    repository: str | None = None
    path: str | None = None
    commit: str | None = None
    extracted_from: str | None = None
    licence: str = Field(min_length=2)
    notes: str = ""


class Validity(_Strict):
    vector: bool
    axial: bool


class CouplingValidity(_Strict):
    """Which Z' couplings the recast of this limit covers (and what DarkCast assumes)."""

    model: str = "dark_photon"
    validity: Validity
    notes: str = ""


class _Citable(_Strict):
    schema_version: Literal[1] = 1
    name: str = Field(pattern=_NAME)
    title: str = Field(min_length=3)
    reference: str = Field(min_length=3)
    arxiv: str | None = Field(default=None, pattern=_ARXIV)
    inspire: str | None = Field(default=None, pattern=_TEXKEY)
    bibtex: str | None = None
    hepdata: str | None = None
    notes: str = ""
    _path: Path = PrivateAttr(default=Path())

    @property
    def path(self) -> Path:
        """The metadata file this entry was read from."""
        return self._path

    @field_validator("notes", "title", "reference", mode="before")
    @classmethod
    def _strip(cls, v: Any) -> Any:
        return v.strip() if isinstance(v, str) else v

    @model_validator(mode="after")
    def _bibtex_matches(self) -> _Citable:
        if self.bibtex is None:
            return self
        text = self.bibtex.strip()
        m = re.match(r"@(\w+)\s*\{\s*([^,\s]+)\s*,", text)
        if m is None or not text.endswith("}"):
            raise ValueError("bibtex: must be one entry '@type{key, field = {...}, ...}'")
        depth = 0
        for ch in text:
            depth += (ch == "{") - (ch == "}")
            if depth < 0:
                break
        if depth != 0:
            raise ValueError("bibtex: unbalanced braces")
        if self.inspire is not None and m.group(2) != self.inspire:
            raise ValueError(f"bibtex: key {m.group(2)!r} differs from inspire {self.inspire!r}")
        if self.arxiv is not None and "eprint" in text and self.arxiv not in text:
            raise ValueError(f"bibtex: eprint differs from arxiv {self.arxiv!r}")
        return self


# -------------------------------------------------------------------------------------- the kinds
class CurveMeta(_Citable):
    """A published limit curve; its numbers are in the CSV ``numbers`` beside this file."""

    kind: Literal["curve"] = "curve"
    experiment: str = Field(min_length=1)
    numbers: str = Field(pattern=r"^[^/\\]+\.csv$")
    source: Source
    production: list[Mechanism] | dict[Mechanism, float] = Field(min_length=1)
    production_fractions: str | None = Field(default=None, pattern=r"^[^/\\]+\.csv$")
    numbers_unit: Literal["eps", "g"] = "eps"
    decay: list[Channel] = Field(min_length=1)
    bound: Literal["one_sided", "band", "rvalue"]
    lifetime: Lifetime
    couplings: CouplingValidity
    cl: float = Field(gt=0, lt=1)
    category: Literal["current", "superseded", "projection"]
    reference_br: float | None = Field(default=None, gt=0, le=1)

    @field_validator("production", "decay", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return [v] if isinstance(v, str) else v

    @model_validator(mode="after")
    def _consistent(self) -> CurveMeta:
        p = self.production
        if isinstance(p, dict):
            if any(not 0.0 <= f <= 1.0 for f in p.values()) or not any(f > 0 for f in p.values()):
                raise ValueError("production: fractions must lie in [0, 1], at least one positive")
            if self.production_fractions is not None:
                raise ValueError("production_fractions: only with a list of mechanisms, not with fractions")
        elif len(set(p)) != len(p):
            raise ValueError("production: a mechanism is listed twice")
        elif len(p) > 1 and self.production_fractions is None:
            raise ValueError(
                "production: several mechanisms need fractions ({mechanism: fraction}) or production_fractions"
            )
        elif len(p) == 1 and self.production_fractions is not None:
            raise ValueError("production_fractions: only for several mechanisms")
        if "invisible" in self.decay and len(self.decay) > 1:
            raise ValueError("decay: 'invisible' cannot be combined with visible channels")
        if (self.bound == "band") != (self.lifetime.kind == "beam_dump"):
            raise ValueError("lifetime: band limits (bound: band) need kind beam_dump, and only they")
        if (self.bound == "rvalue") != (self.lifetime.kind == "rvalue"):
            raise ValueError("lifetime: r-value grids (bound: rvalue) need kind rvalue, and only they")
        return self

    @property
    def mechanisms(self) -> list[str]:
        """The production mechanisms (one, or several with fractions)."""
        return list(self.production)

    @property
    def mechanism(self) -> str:
        """The production mechanism of a single-mechanism limit; 'mixture' for several (see
        :attr:`mechanisms`, :attr:`production`, :attr:`production_fractions`)."""
        return self.mechanisms[0] if len(self.production) == 1 else "mixture"

    @property
    def numbers_path(self) -> Path:
        return self._path.parent / self.numbers

    @property
    def t1_table_path(self) -> Path | None:
        """The CSV of the proper-time cut t1(m) beside this file (lifetime kind proper_time), or None."""
        lt = self.lifetime
        return self._path.parent / lt.t1_table if isinstance(lt, ProperTime) else None

    @property
    def fractions_path(self) -> Path | None:
        """The CSV of mass-dependent production fractions beside this file, or None."""
        return None if self.production_fractions is None else self._path.parent / self.production_fractions


class VariantMeta(_Citable):
    """A curve built at load time from the curve ``derived_from``."""

    kind: Literal["variant"]
    derived_from: str = Field(pattern=_NAME)
    transform: Literal["lower_convex_hull_loglog"]
    category: Literal["variant"] = "variant"
    tags: list[str] = Field(default_factory=list)


class StatementMeta(_Citable):
    """A quoted bound without a curve; ``implemented: false`` records a statement that is no constraint."""

    kind: Literal["statement"]
    category: Literal["current", "superseded", "projection"]
    quantity: str | None = None
    upper_limit: float | None = Field(default=None, gt=0)
    mass_range_mev: tuple[float, float] | None = None
    mass_reach_mev: float | None = Field(default=None, gt=0)
    cl: float | None = Field(default=None, gt=0, lt=1)
    implemented: bool = True

    @model_validator(mode="after")
    def _complete(self) -> StatementMeta:
        if self.implemented:
            for f in ("quantity", "upper_limit", "mass_range_mev", "cl"):
                if getattr(self, f) is None:
                    raise ValueError(f"{f}: required for an implemented statement")
        if self.mass_range_mev is not None and not 0 < self.mass_range_mev[0] < self.mass_range_mev[1]:
            raise ValueError("mass_range_mev: must be [low, high] with 0 < low < high")
        return self


LimitMeta = CurveMeta | VariantMeta | StatementMeta
_KINDS: dict[str, type[CurveMeta] | type[VariantMeta] | type[StatementMeta]] = {
    "curve": CurveMeta,
    "variant": VariantMeta,
    "statement": StatementMeta,
}


def load_limit_file(path: str | Path) -> LimitMeta:
    """Read and validate one limit metadata file; errors name the file and the field."""
    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError(str(path), "top level must be a mapping (a limit metadata file)")
    kind = raw.get("kind", "curve")
    model = _KINDS.get(kind) if isinstance(kind, str) else None
    if model is None:
        raise DataFileError(str(path), f"must be one of {', '.join(_KINDS)}; got {kind!r}", field="kind")
    try:
        meta = model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        # union members add their type to the location ("production.list[...].0"): leave them out
        loc = ".".join(str(x) for x in err["loc"] if not (isinstance(x, str) and "[" in x))
        msg = str(err["msg"]).removeprefix("Value error, ")
        if not loc and ": " in msg:  # model-level check: "field: message"
            loc, _, msg = msg.partition(": ")
        if err["type"] == "missing":
            msg = "missing field"
        elif err["type"] == "extra_forbidden":
            msg = "unknown field"
        raise DataFileError(str(path), msg, field=loc or None) from None
    meta._path = path
    return meta


__all__ = [
    "CurveMeta",
    "MECHANISMS",
    "VariantMeta",
    "StatementMeta",
    "LimitMeta",
    "Source",
    "CouplingValidity",
    "Validity",
    "Prompt",
    "FlightLength",
    "ProperTime",
    "BeamDump",
    "RValue",
    "TwoBodyBoost",
    "FixedEnergyBoost",
    "load_limit_file",
]

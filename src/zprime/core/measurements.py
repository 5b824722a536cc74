"""Measurements as data: YAML entries grouped in editions, validated on load (pydantic).

A measurement entry (``data/measurements/*.yaml``)::

    - id: delta_a_mu_2021          # unique, carries the year
      name: delta_a_mu             # the quantity; unique within an edition
      value: 251.0e-11
      uncertainty: 59.0e-11        # Gaussian 1 sigma (or the limit's CL for kind: upper_limit)
      reference: "journal ..."
      arxiv: "2104.03281"          # and/or inspire, doi
      notes: "..."
      editions: ["2021"]

Editions are listed in ``data/editions.yaml``; an edition may inherit from a ``base`` edition and override
quantities. Users can add their own files with :func:`load_measurements` ``extra_paths``.

>>> get("delta_a_mu", edition="2021").value
2.51e-09
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from zprime.core.errors import DataFileError, UnknownNameError
from zprime.core.yaml_io import read_yaml

DEFAULT_EDITION = "2021"


class Measurement(BaseModel):
    """One measured quantity with its source."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    description: str = ""
    kind: Literal["gaussian", "upper_limit", "lower_limit"] = "gaussian"
    value: float
    uncertainty: float = Field(ge=0.0)
    cl: float | None = Field(default=None, gt=0.0, lt=1.0)
    unit: str = ""
    reference: str = Field(min_length=3)
    arxiv: str | None = None
    inspire: str | None = None
    doi: str | None = None
    notes: str = ""
    cite_keys: list[str] = Field(default_factory=list, alias="cite")  # keys of data/references.bib
    parameters: dict[str, float] = Field(default_factory=dict)
    editions: list[str] = Field(min_length=1)

    @field_validator("value", "uncertainty")
    @classmethod
    def _finite(cls, v: float) -> float:
        if v != v or v in (float("inf"), float("-inf")):
            raise ValueError("must be finite")
        return v

    @model_validator(mode="after")
    def _has_identifier(self) -> Measurement:
        if not (self.arxiv or self.inspire or self.doi or "Phys" in self.reference or "(" in self.reference):
            raise ValueError("needs a journal reference, arxiv, inspire or doi")
        if self.kind != "gaussian" and self.cl is None:
            raise ValueError("a limit needs its confidence level 'cl'")
        return self

    def cite(self) -> str:
        extra = f", arXiv:{self.arxiv}" if self.arxiv else ""
        return f"{self.reference}{extra}"

    def _repr_markdown_(self) -> str:
        return f"**{self.name}** = {self.value:.4g} ± {self.uncertainty:.2g} ({self.cite()})"


class _MeasurementFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    measurements: list[Measurement]


class _EditionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    base: str | None = None


class _EditionsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    editions: dict[str, _EditionSpec]


@dataclass(frozen=True)
class Edition:
    """A named, resolved set of measurements (quantity name -> Measurement)."""

    name: str
    description: str
    measurements: Mapping[str, Measurement]  # read-only: editions are cached and shared

    def __getitem__(self, quantity: str) -> Measurement:
        try:
            return self.measurements[quantity]
        except KeyError:
            raise UnknownNameError(
                f"measurement in edition {self.name}", quantity, list(self.measurements)
            ) from None

    def __contains__(self, quantity: object) -> bool:
        return quantity in self.measurements


def _data_dir() -> Path:
    return Path(str(resources.files("zprime") / "data"))


def _first_error(exc: ValidationError) -> tuple[str, str]:
    err = exc.errors()[0]
    loc = ".".join(str(x) for x in err["loc"])
    return loc, err["msg"]


def load_measurement_file(path: str | Path) -> list[Measurement]:
    """Validate one measurement file; errors name the file and the field."""
    path = Path(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict):
        raise DataFileError(str(path), "top level must be a mapping with key 'measurements'")
    try:
        return _MeasurementFile.model_validate(raw).measurements
    except ValidationError as exc:
        loc, msg = _first_error(exc)
        # name the entry by its id where possible
        parts = loc.split(".")
        if len(parts) >= 2 and parts[0] == "measurements" and parts[1].isdigit():
            idx = int(parts[1])
            entries = raw.get("measurements") or []
            if idx < len(entries) and isinstance(entries[idx], dict) and "id" in entries[idx]:
                loc = f"{entries[idx]['id']}." + ".".join(parts[2:])
        raise DataFileError(str(path), msg, field=loc) from None


def measurement_files() -> list[Path]:
    return sorted((_data_dir() / "measurements").glob("*.yaml"))


@lru_cache(maxsize=1)
def _editions_spec() -> dict[str, _EditionSpec]:
    path = _data_dir() / "editions.yaml"
    try:
        return _EditionsFile.model_validate(read_yaml(path)).editions
    except ValidationError as exc:
        loc, msg = _first_error(exc)
        raise DataFileError(str(path), msg, field=loc) from None


def editions() -> list[str]:
    """Names of the known editions."""
    return sorted(_editions_spec())


def load_measurements(extra_paths: Iterable[str | Path] = ()) -> list[Measurement]:
    """All measurement entries (shipped files, then ``extra_paths``), ids checked for uniqueness."""
    entries: list[Measurement] = []
    seen: dict[str, Path] = {}
    known_editions = set(_editions_spec())
    for path in [*measurement_files(), *map(Path, extra_paths)]:
        for m in load_measurement_file(path):
            if m.id in seen:
                raise DataFileError(str(path), f"duplicate id (also in {seen[m.id].name})", field=m.id)
            unknown = set(m.editions) - known_editions
            if unknown:
                raise DataFileError(
                    str(path),
                    f"unknown edition(s) {sorted(unknown)}; known: {sorted(known_editions)}",
                    field=f"{m.id}.editions",
                )
            seen[m.id] = path
            entries.append(m)
    return entries


@lru_cache(maxsize=16)
def _cached_all() -> tuple[Measurement, ...]:
    return tuple(load_measurements())


def load_edition(edition: str = DEFAULT_EDITION) -> Edition:
    """Resolve an edition: its base's measurements, overridden by entries tagged with this edition."""
    return _load_edition(edition)


@lru_cache(maxsize=16)
def _load_edition(edition: str) -> Edition:
    spec = _editions_spec()
    if edition not in spec:
        raise UnknownNameError("edition", str(edition), list(spec))
    chain: list[str] = []
    e: str | None = edition
    while e is not None:
        if e in chain:
            raise DataFileError(str(_data_dir() / "editions.yaml"), "cyclic base", field=e)
        chain.append(e)
        e = spec[e].base
    resolved: dict[str, Measurement] = {}
    for name in reversed(chain):
        here: dict[str, Measurement] = {}
        for m in _cached_all():
            if name in m.editions:
                if m.name in here:
                    raise DataFileError(
                        "measurements",
                        f"quantity '{m.name}' appears twice in edition {name} ({here[m.name].id}, {m.id})",
                        field=m.id,
                    )
                here[m.name] = m
        resolved.update(here)
    return Edition(edition, spec[edition].description, MappingProxyType(resolved))


def get(quantity: str, edition: str = DEFAULT_EDITION) -> Measurement:
    """The measurement of ``quantity`` in ``edition``."""
    return load_edition(edition)[quantity]


def by_id(measurement_id: str) -> Measurement:
    """A measurement entry by its unique id (e.g. ``delta_a_mu_2021``)."""
    for m in _cached_all():
        if m.id == measurement_id:
            return m
    raise UnknownNameError("measurement id", measurement_id, [m.id for m in _cached_all()])


def validate_all() -> list[tuple[str, int]]:
    """Validate every shipped data file; returns (file, number of entries). Raises on the first error."""
    out = [(p.name, len(load_measurement_file(p))) for p in measurement_files()]
    load_measurements()
    for e in editions():
        load_edition(e)
    return out


__all__ = [
    "Measurement",
    "Edition",
    "DEFAULT_EDITION",
    "editions",
    "load_edition",
    "get",
    "by_id",
    "load_measurements",
    "load_measurement_file",
    "validate_all",
]

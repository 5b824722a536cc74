"""The pydantic schema of the measurement files (``data/measurements/*.yaml``, ``data/editions.yaml`` and user
edition files), imported when a file is validated: the loaders of :mod:`zprime.core.measurements` read the
shipped files, unchanged since the tests validated them (``data/MANIFEST.sha256``), without it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

#: = :data:`zprime.core.measurements.RecastWidths` (this module imports nothing of zprime; a test checks)
RecastWidths = Literal["leptonic", "hadronic"]


def first_error(exc: ValidationError) -> tuple[str, str]:
    """(location "a.b.c", message) of the first error of ``exc``."""
    err = exc.errors()[0]
    loc = ".".join(str(x) for x in err["loc"])
    return loc, err["msg"]


class MeasurementModel(BaseModel):
    """The schema of a measurement entry (the fields of :class:`~zprime.core.measurements.Measurement`; a
    test checks they agree)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str
    description: str = ""
    #: gaussian: value ± uncertainty (σ > 0); upper_limit/lower_limit: a bound at CL ``cl``; input: a fixed
    #: quoted number (a coefficient, a radius) used as is, uncertainty 0
    kind: Literal["gaussian", "upper_limit", "lower_limit", "input"] = "gaussian"
    value: float
    uncertainty: float = Field(ge=0.0)  # > 0 for a gaussian entry (checked below)
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

    @field_validator("parameters")
    @classmethod
    def _masses_positive(cls, v: dict[str, float]) -> dict[str, float]:
        for k, x in v.items():
            if x != x or x in (float("inf"), float("-inf")):
                raise ValueError(f"{k}: must be finite")
            if "mass" in k and x <= 0:
                raise ValueError(f"{k}: a mass must be > 0")
        return v

    @model_validator(mode="after")
    def _has_identifier(self) -> MeasurementModel:
        if not (self.arxiv or self.inspire or self.doi or "Phys" in self.reference or "(" in self.reference):
            raise ValueError("needs a journal reference, arxiv, inspire or doi")
        if self.kind == "gaussian" and not self.uncertainty > 0:
            raise ValueError("uncertainty: a Gaussian sigma must be > 0")
        if self.kind == "input" and self.uncertainty != 0:
            raise ValueError("uncertainty: an input (kind: input) is used as is; give 0 or make it gaussian")
        if self.kind in ("upper_limit", "lower_limit") and self.cl is None:
            raise ValueError("a limit needs its confidence level 'cl'")
        return self


class MeasurementFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    measurements: list[MeasurementModel]


class EditionSpecModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str
    base: str | None = None
    recast_widths: RecastWidths | None = None


class EditionsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    default: str
    latest: str
    editions: dict[str, EditionSpecModel]

    @model_validator(mode="after")
    def _default_known(self) -> EditionsFile:
        for role in ("default", "latest"):
            if getattr(self, role) not in self.editions:
                raise ValueError(
                    f"{role} edition {getattr(self, role)!r} is not one of {sorted(self.editions)}"
                )
        return self


class UserEditionFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    edition: str = Field(min_length=1)
    extends: str | None  # required: null for an edition of its own
    description: str = ""
    recast_widths: RecastWidths | None = None
    measurements: list[dict[str, Any]] = Field(default_factory=list)

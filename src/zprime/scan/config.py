"""Scan configuration: the TOML file (validated with pydantic) and the grid plan built from it.

Errors name the key (``axes.c_ae.points``) and what is allowed (InputError), or the file (DataFileError).
"""

from __future__ import annotations

import logging
import math
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from zprime.core.errors import DataFileError, InputError
from zprime.scan.worker import ScanPlan

#: Default maximum number of points per chunk (≈ 60 MB of transient memory with ~30 constraints)
DEFAULT_CHUNK_SIZE = 1 << 17

#: Default cap on the number of points of a scan; raise it with ``max_points`` in the config or the
#: environment variable :data:`MAX_POINTS_ENV`
DEFAULT_MAX_POINTS = 10**9
MAX_POINTS_ENV = "ZPRIME_SCAN_MAX_POINTS"

#: Bytes per point of the output variables (uncompressed): per constraint χ² (float32) + status (int8);
#: for every point delta_a_e, delta_a_mu (float64), pull_e, pull_mu, chi2_total (float32), n_excluding
#: (int16), allowed, explains (int8). See :meth:`zprime.scan.worker.ScanPlan.variables`.
_BYTES_PER_CONSTRAINT = 4 + 1
_BYTES_PER_POINT = 2 * 8 + 3 * 4 + 2 + 2

_log = logging.getLogger(__name__)


class AxisConfig(BaseModel):
    """One scan axis: ``{min, max, points, scale}`` (scale "lin" or "log") or explicit ``values``."""

    model_config = ConfigDict(strict=True, extra="forbid")

    min: float | None = None
    max: float | None = None
    points: int | None = None
    scale: Literal["lin", "log"] = "lin"
    values: list[float] | None = None

    def grid(self, key: str) -> np.ndarray:
        """The axis values; errors name ``key`` (e.g. ``axes.c_ae.points``)."""
        if self.values is not None:
            if any(v is not None for v in (self.min, self.max, self.points)):
                raise InputError(f"{key}.values", "give either values or min/max/points, not both")
            vals = np.asarray(self.values, dtype=float)
            if vals.size == 0:
                raise InputError(f"{key}.values", "empty axis: give at least one value")
            if not np.all(np.isfinite(vals)):
                raise InputError(f"{key}.values", "must be finite")
            if np.unique(vals).size != vals.size:
                raise InputError(f"{key}.values", "values must be distinct")
            if self.scale == "log" and np.any(vals <= 0):
                raise InputError(f"{key}.values", "scale = 'log' needs positive values")
            return vals
        for name in ("min", "max", "points"):
            if getattr(self, name) is None:
                raise InputError(f"{key}.{name}", "required (or give an explicit list as values)")
        lo, hi, n = float(self.min), float(self.max), int(self.points)  # type: ignore[arg-type]
        if n < 1:
            raise InputError(f"{key}.points", f"empty axis: points must be >= 1, got {n}")
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise InputError(f"{key}.min", "min and max must be finite")
        if hi < lo:
            raise InputError(f"{key}.max", f"must be >= min ({lo:g}), got {hi:g}")
        if n > 1 and hi == lo:
            raise InputError(f"{key}.max", f"equals min with points = {n}: the axis would repeat one value")
        if n == 1 and hi != lo:
            raise InputError(f"{key}.points", "points = 1 needs min == max (or use values = [x])")
        if self.scale == "log":
            if lo <= 0:
                raise InputError(f"{key}.min", f"scale = 'log' needs min > 0, got {lo:g}")
            return np.geomspace(lo, hi, n)
        return np.linspace(lo, hi, n)


class ScanConfig(BaseModel):
    """A validated scan configuration (the TOML file). Unknown keys and wrong types are errors.

    ``constraints``: "current" (the default set of :func:`zprime.physics.constraints.select`, optionally with
    ``exclude``, ``variants``, ``include_projections``) or an explicit list of names ([] = g−2 only).
    ``store``: "full" (per-constraint χ² and status) or "summary" (combined verdicts only; ~30 B/point).
    ``max_points``: the largest scan accepted (default :data:`DEFAULT_MAX_POINTS`, or the environment
    variable ``ZPRIME_SCAN_MAX_POINTS``); it does not change the result, so it is not part of the config
    hash.
    """

    model_config = ConfigDict(strict=True, extra="forbid")

    model: str = "generic"
    edition: str | None = None  # a shipped edition or a user edition file (None: the default edition)
    ae: str = "cs"
    cl: float | None = None
    n_sigma: float = Field(default=1.0, gt=0)
    constraints: Any = "current"
    exclude: list[str] = Field(default_factory=list)
    variants: list[str] = Field(default_factory=list)
    include_projections: bool = False
    axes: dict[str, AxisConfig]
    fixed: dict[str, float | bool] = Field(default_factory=dict)  # bool: a model option such as nu_r
    chunk_size: int = Field(default=DEFAULT_CHUNK_SIZE, ge=1)
    store: Literal["full", "summary"] = "full"
    max_points: float | None = Field(default=None, gt=0)
    _source_text: str | None = PrivateAttr(default=None)

    @field_validator("constraints")
    @classmethod
    def _constraints(cls, v: Any) -> Any:
        if v == "current":
            return v
        if isinstance(v, list) and all(isinstance(x, str) for x in v):
            return v
        raise ValueError('must be "current" or a list of constraint names')

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "") -> ScanConfig:
        """Validate a mapping (parsed TOML); the first problem raises InputError naming the key."""
        try:
            cfg = cls.model_validate(dict(data))
        except ValidationError as exc:
            raise _input_error(exc, cls, source) from None
        cfg.plan()  # semantic checks: model, parameters, ranges, constraints, edition
        return cfg

    def canonical(self) -> dict[str, Any]:
        """Plain JSON-able dict; axis order is kept (it is the order of the dimensions). ``max_points`` is
        left out: it changes no number (and config hashes of earlier scans stay valid)."""
        return self.model_dump(mode="json", exclude={"max_points"})

    def plan(self, chunk_size: int | None = None) -> ScanPlan:
        """Resolve the model and constraints and build the grid plan (validates everything)."""
        return build_plan(self, chunk_size)


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _input_error(exc: ValidationError, cls: type[BaseModel], source: str) -> InputError:
    err = exc.errors()[0]
    key = _loc(err["loc"]) or "config"
    where = f" (in {source})" if source else ""
    if err["type"] == "extra_forbidden":
        parent = AxisConfig if len(err["loc"]) == 3 and err["loc"][0] == "axes" else cls
        allowed = ", ".join(parent.model_fields)
        return InputError(key, f"unknown key; allowed keys: {allowed}{where}")
    if err["type"] == "missing":
        return InputError(key, f"required{where}")
    msg = err["msg"].removeprefix("Value error, ")
    given = err.get("input")
    shown = "" if isinstance(given, dict) else f", got {given!r} ({type(given).__name__})"
    return InputError(key, f"{msg}{shown}{where}")


def load_config(path: str | Path) -> ScanConfig:
    """Read and validate a TOML scan configuration (tomllib). Errors name the key (InputError) or the
    file (DataFileError)."""
    from zprime.core.integrity import read_data_text

    path = Path(path)
    text = read_data_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(str(path), f"not valid TOML: {exc}") from None
    cfg = ScanConfig.from_dict(data, source=str(path))
    cfg._source_text = text
    return cfg


def build_plan(cfg: ScanConfig, chunk_size: int | None = None) -> ScanPlan:
    """Model, constraints, axis values and fixed parameters of ``cfg``; errors name the key."""
    from zprime.core.errors import UnknownNameError
    from zprime.core.measurements import edition_key
    from zprime.physics import models
    from zprime.physics.constraints import EvalOptions, select
    from zprime.physics.models.base import parse_flag

    try:
        model = models.resolve(cfg.model)
    except UnknownNameError as exc:
        raise InputError("model", str(exc)) from None
    params = {p.name: p for p in model.parameters}
    if not cfg.axes:
        raise InputError("axes", "no axis given: a scan needs at least one [axes] entry")
    for name in cfg.axes:
        if name not in params:
            raise InputError(
                f"axes.{name}", f"not a parameter of model '{model.name}'; parameters: {', '.join(params)}"
            )
    fixed: dict[str, float] = {}
    for name, v in cfg.fixed.items():
        if name in model.flags:  # an on/off option such as nu_r (TOML true/false, or 1/0)
            fixed[name] = parse_flag(f"fixed.{name}", v)
            continue
        if name not in params:
            raise InputError(
                f"fixed.{name}", f"not a parameter of model '{model.name}'; parameters: {', '.join(params)}"
            )
        if name in cfg.axes:
            raise InputError(f"fixed.{name}", "is also an axis; give it in one place only")
        if isinstance(v, bool):
            raise InputError(f"fixed.{name}", f"must be a number, got {str(v).lower()}")
        try:
            params[name].check(v)
        except InputError as exc:
            raise InputError(f"fixed.{name}", str(exc).split(": ", 1)[-1]) from None
        fixed[name] = float(v)
    missing = []
    for name, p in params.items():
        if name in cfg.axes or name in fixed:
            continue
        if name in model.defaults:  # the model's own default, e.g. the B boson's eps = "loop"
            fixed[name] = model.defaults[name]  # type: ignore[assignment]
            continue
        try:
            p.check(0.0)
            fixed[name] = 0.0
        except InputError:
            missing.append(name)
    if missing:
        raise InputError(
            missing[0],
            f"parameter(s) {', '.join(missing)} of model '{model.name}' are neither "
            "on an axis nor fixed, and 0 is outside their allowed range; set them under "
            "[axes] or [fixed]",
        )
    EvalOptions(edition=cfg.edition, ae=cfg.ae, cl=cfg.cl)  # validates the edition (name or file), ae, cl
    try:
        if cfg.constraints == "current":
            chosen = select(
                exclude=cfg.exclude, include_projections=cfg.include_projections, variants=cfg.variants
            )
        else:
            if cfg.variants or cfg.include_projections:
                raise InputError(
                    "variants",
                    "variants/include_projections apply to constraints = "
                    '"current" only; list the names instead',
                )
            chosen = select(only=cfg.constraints, exclude=cfg.exclude) if cfg.constraints else []
    except UnknownNameError as exc:
        key = (
            "exclude"
            if exc.name in cfg.exclude
            else ("variants" if exc.name in cfg.variants else "constraints")
        )
        raise InputError(key, str(exc)) from None
    size = check_size(cfg, len(chosen))  # before any axis is built
    names, values = [], []
    for name, ax in cfg.axes.items():
        vals = ax.grid(f"axes.{name}")
        try:
            params[name].check(vals)
        except InputError as exc:
            raise InputError(f"axes.{name}", str(exc).split(": ", 1)[-1]) from None
        names.append(name)
        values.append(vals)
    cs = int(chunk_size if chunk_size is not None else cfg.chunk_size)
    if cs < 1:
        raise InputError("chunk_size", f"must be >= 1, got {cs}")
    _log.debug("scan plan: %d points, %d constraints", size, len(chosen))
    return ScanPlan(
        model=model,
        constraints=tuple(chosen),
        axis_names=tuple(names),
        axis_values=tuple(values),
        fixed=fixed,
        edition=edition_key(cfg.edition),
        ae=cfg.ae,
        cl=cfg.cl,
        n_sigma=cfg.n_sigma,
        chunk_size=cs,
        store=cfg.store,
    )


def max_points(cfg: ScanConfig) -> int:
    """The cap on the number of points: the config's ``max_points``, else ``$ZPRIME_SCAN_MAX_POINTS``, else
    :data:`DEFAULT_MAX_POINTS`."""
    if cfg.max_points is not None:
        return int(cfg.max_points)
    env = os.environ.get(MAX_POINTS_ENV)
    if env is None or not env.strip():
        return DEFAULT_MAX_POINTS
    try:
        cap = float(env)
    except ValueError:
        cap = math.nan
    if not (math.isfinite(cap) and cap >= 1):
        raise InputError(MAX_POINTS_ENV, f"must be a number >= 1, got {env!r}")
    return int(cap)


def axis_length(ax: AxisConfig) -> int:
    """Number of values of an axis, read from the config alone (the values are not built)."""
    if ax.values is not None:
        return len(ax.values)
    return max(int(ax.points or 1), 1)


def _human_bytes(n: float) -> str:
    for unit in ("B", "kB", "MB", "GB", "TB", "PB"):
        if n < 1000:
            return f"{n:.3g} {unit}"
        n /= 1000
    return f"{n:.3g} EB"


def check_size(cfg: ScanConfig, n_constraints: int | None = None) -> int:
    """The number of points of ``cfg`` (product of the axis lengths, O(number of axes)); InputError naming
    ``axes`` with the points and the estimated output size when it exceeds :func:`max_points`."""
    lengths = {name: axis_length(ax) for name, ax in cfg.axes.items()}
    size = math.prod(lengths.values())
    cap = max_points(cfg)
    if size > cap:
        if n_constraints is None:
            n_constraints = len(cfg.constraints) if isinstance(cfg.constraints, list) else 0
        per_point = _BYTES_PER_POINT + (_BYTES_PER_CONSTRAINT * n_constraints if cfg.store == "full" else 0)
        shape = " x ".join(f"{n:,} ({name})" for name, n in lengths.items())
        raise InputError(
            "axes",
            f"the scan has {size:.3g} points ({shape}), about {_human_bytes(size * per_point)} of output "
            f"({per_point} B per point, as much again in the chunk store while it runs); the limit is "
            f"{cap:.3g} points: use fewer points, or raise max_points in the config (or "
            f"{MAX_POINTS_ENV}) if the disk and time allow",
        )
    return size


def coerce_config(config: ScanConfig | Mapping[str, Any] | str | Path) -> ScanConfig:
    """A ScanConfig as is; a mapping (parsed TOML) validated; a path loaded with :func:`load_config`."""
    if isinstance(config, ScanConfig):
        return config
    if isinstance(config, Mapping):
        return ScanConfig.from_dict(config)
    return load_config(config)


__all__ = [
    "AxisConfig",
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_POINTS",
    "MAX_POINTS_ENV",
    "axis_length",
    "check_size",
    "max_points",
    "ScanConfig",
    "build_plan",
    "coerce_config",
    "load_config",
]

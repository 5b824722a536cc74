"""Grid scans of a model's parameter space at scale: chunked, resumable, optionally distributed (dask).

A scan evaluates the likelihood of :mod:`zprime.analyses.likelihood` (both g−2 anomalies and every selected
constraint) on the Cartesian product of the axes of a TOML configuration::

    model = "generic"          # any registered model; its parameters are the axis names
    edition = "2021"
    ae = "cs"
    constraints = "current"    # or a list of names
    [axes]
    mass_mev = {min = 10, max = 100, points = 60, scale = "log"}
    c_ae = {min = 1e-6, max = 1e-2, points = 60, scale = "log"}
    [fixed]
    c_vmu = 1e-3

Engine (see docs/scans.md):

- *Chunks.* The grid (C order, last axis fastest) is cut into blocks of at most ``chunk_size`` points that are
  both contiguous flat-index ranges and hyperslabs of the grid (:mod:`zprime.scan.worker`). A chunk's
  points are generated from the axes on the worker; it returns small arrays (float32 χ², int8 status), so
  memory is bounded by the chunk size whatever the grid size.
- *Chunk store and resume.* Finished chunks are written atomically (tmp file, then ``os.replace``) as
  ``<out>.chunks/c<id>.npz`` beside a ``manifest.json`` (config hash) and ``log.jsonl`` (one line per
  computed chunk). ``resume=True`` skips the chunks on disk and refuses a store made with another config.
- *Assembly.* The netCDF is written chunk by chunk (h5netcdf, HDF5 chunk = scan block, gzip level 1),
  to a tmp file that replaces ``out`` at the end; then the ``.npz`` files are deleted (manifest and log stay).
- *Distribution.* ``scheduler="local:N"`` starts a dask LocalCluster on 127.0.0.1 (N worker processes,
  one thread each, no dashboard; the workers write their chunk files); ``"tcp://HOST:PORT"`` connects to
  a running scheduler (the workers send their arrays and the client writes them, so no shared file
  system is needed). Dask is optional.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import re
import sys
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from zprime.core.errors import DataFileError, InputError, ZprimeError
from zprime.scan.worker import (
    ScanPlan,
    VariableSpec,
    chunk_filename,
    compute_and_write,
    compute_chunk,
    write_chunk,
)

if TYPE_CHECKING:  # pragma: no cover
    import xarray as xr

#: Default maximum number of points per chunk (≈ 60 MB of transient memory with ~30 constraints)
DEFAULT_CHUNK_SIZE = 1 << 17
#: Version of the chunk-store layout (manifest "format")
STORE_FORMAT = 1

_log = logging.getLogger(__name__)


# =============================================================================================== config
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
    """

    model_config = ConfigDict(strict=True, extra="forbid")

    model: str = "generic"
    edition: str = "2021"
    ae: Literal["cs", "rb"] = "cs"
    cl: float | None = None
    n_sigma: float = Field(default=1.0, gt=0)
    constraints: Any = "current"
    exclude: list[str] = Field(default_factory=list)
    variants: list[str] = Field(default_factory=list)
    include_projections: bool = False
    axes: dict[str, AxisConfig]
    fixed: dict[str, float] = Field(default_factory=dict)
    chunk_size: int = Field(default=DEFAULT_CHUNK_SIZE, ge=1)
    store: Literal["full", "summary"] = "full"
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
        """Plain JSON-able dict; axis order is kept (it is the order of the dimensions)."""
        return self.model_dump(mode="json")

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
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(str(path), "scan configuration not found") from None
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read: {exc}") from None
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
    from zprime.core.measurements import editions
    from zprime.physics import models
    from zprime.physics.constraints import EvalOptions, select

    try:
        model = models.get(cfg.model)
    except UnknownNameError as exc:
        raise InputError("model", str(exc)) from None
    params = {p.name: p for p in model.parameters}
    if not cfg.axes:
        raise InputError("axes", "no axis given: a scan needs at least one [axes] entry")
    names, values = [], []
    for name, ax in cfg.axes.items():
        if name not in params:
            raise InputError(
                f"axes.{name}", f"not a parameter of model '{model.name}'; parameters: {', '.join(params)}"
            )
        vals = ax.grid(f"axes.{name}")
        try:
            params[name].check(vals)
        except InputError as exc:
            raise InputError(f"axes.{name}", str(exc).split(": ", 1)[-1]) from None
        names.append(name)
        values.append(vals)
    fixed: dict[str, float] = {}
    for name, v in cfg.fixed.items():
        if name not in params:
            raise InputError(
                f"fixed.{name}", f"not a parameter of model '{model.name}'; parameters: {', '.join(params)}"
            )
        if name in cfg.axes:
            raise InputError(f"fixed.{name}", "is also an axis; give it in one place only")
        try:
            params[name].check(v)
        except InputError as exc:
            raise InputError(f"fixed.{name}", str(exc).split(": ", 1)[-1]) from None
        fixed[name] = float(v)
    missing = []
    for name, p in params.items():
        if name in cfg.axes or name in fixed:
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
    EvalOptions(edition=cfg.edition, ae=cfg.ae, cl=cfg.cl)  # validates ae and cl

    if cfg.edition not in editions():
        raise InputError("edition", f"unknown edition {cfg.edition!r}; known: {', '.join(editions())}")
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
    size = math.prod(len(v) for v in values)
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
        edition=cfg.edition,
        ae=cfg.ae,
        cl=cfg.cl,
        n_sigma=cfg.n_sigma,
        chunk_size=cs,
        store=cfg.store,
    )


def _coerce_config(config: ScanConfig | Mapping[str, Any] | str | Path) -> ScanConfig:
    if isinstance(config, ScanConfig):
        return config
    if isinstance(config, Mapping):
        return ScanConfig.from_dict(config)
    return load_config(config)


# ========================================================================================= chunk store
def _flatten(d: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(d, dict):
        out: dict[str, Any] = {}
        for k, v in d.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: d}


def scan_identity(cfg: ScanConfig, plan: ScanPlan) -> dict[str, Any]:
    """What defines the chunks' content: the config, axis order, chunk layout and resolved constraints."""
    return {
        "config": cfg.canonical(),
        "dims": list(plan.axis_names),
        "shape": list(plan.shape),
        "chunk_size": plan.chunk_size,
        "n_chunks": plan.n_chunks,
        "constraints": [k.name for k in plan.constraints],
        "variables": [v.name for v in plan.variables()],
    }


def config_hash(identity: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of :func:`scan_identity`."""
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def chunk_dir(out_file: str | Path) -> Path:
    """The chunk store of the scan written to ``out_file``: ``<out_file>.chunks/``."""
    p = Path(out_file)
    return p.with_name(p.name + ".chunks")


def _atomic_write_text(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


_CHUNK_RE = re.compile(r"^c(\d{8,})\.npz$")


class ChunkStore:
    """Finished chunks of one scan on disk: ``c<id>.npz`` files, ``manifest.json`` and ``log.jsonl``.

    Each chunk file is written to a tmp name and moved into place with ``os.replace`` (atomic), then one
    line ``{"event": "chunk", "id": ..., "run": ...}`` is appended to the log. A chunk file therefore
    exists completely or not at all; after a SIGKILL the chunks on disk are exactly the finished ones.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.manifest_path = self.path / "manifest.json"
        self.log_path = self.path / "log.jsonl"
        self.run = 0
        self._log_fh: Any = None

    # ---------------------------------------------------------------------------------------------- files
    def chunk_path(self, cid: int) -> Path:
        return self.path / chunk_filename(cid)

    def done(self) -> set[int]:
        """Ids of the chunks on disk."""
        if not self.path.is_dir():
            return set()
        out = set()
        for entry in os.scandir(self.path):
            m = _CHUNK_RE.match(entry.name)
            if m:
                out.add(int(m.group(1)))
        return out

    def read_manifest(self) -> dict[str, Any] | None:
        if not self.manifest_path.exists():
            return None
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DataFileError(str(self.manifest_path), f"unreadable manifest: {exc}") from None

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        _atomic_write_text(self.manifest_path, json.dumps(manifest, indent=1, sort_keys=True))

    def read_log(self) -> list[dict[str, Any]]:
        return read_log_file(self.log_path)

    def _append(self, event: Mapping[str, Any]) -> None:
        if self._log_fh is None:
            self._log_fh = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the run
        self._log_fh.write(json.dumps(dict(event), separators=(",", ":")) + "\n")
        self._log_fh.flush()

    def close(self) -> None:
        if self._log_fh is not None:
            self._log_fh.close()
            self._log_fh = None

    # ------------------------------------------------------------------------------------------ lifecycle
    def prepare(self, manifest: dict[str, Any], resume: bool) -> tuple[set[int], bool]:
        """Open the store for this scan. Returns (ids of finished chunks, whether the scan is complete).

        Without ``resume`` an unfinished store is an error (it holds work); a completed one is cleared.
        With ``resume`` the stored config must be identical (the error names the first differing key).
        """
        old = self.read_manifest()
        complete = False
        if old is not None:
            if old.get("format") != STORE_FORMAT:
                raise DataFileError(
                    str(self.manifest_path), f"unknown chunk-store format {old.get('format')!r}"
                )
            if not resume:
                if not old.get("complete"):
                    n = len(self.done())
                    raise InputError(
                        "resume",
                        f"{self.path} holds an unfinished scan ({n} of "
                        f"{old.get('n_chunks', '?')} chunks); pass --resume to continue it or "
                        "delete the folder to start over",
                    )
                self._clear()
                old = None
            elif old["config_hash"] != manifest["config_hash"]:
                raise _mismatch(old, manifest, self.path)
            else:
                complete = bool(old.get("complete"))
        elif self.path.exists() and any(self.path.iterdir()):
            if not self.path.is_dir() or self.done():
                raise DataFileError(
                    str(self.path), "exists but has no manifest.json; delete it to start over"
                )
        self.path.mkdir(parents=True, exist_ok=True)
        for entry in os.scandir(self.path):  # stale tmp files of a killed run
            if ".tmp" in entry.name:
                os.unlink(entry.path)
        if old is None:
            self.write_manifest(manifest)
        done = self.done()
        events = self.read_log()
        logged = {e.get("id") for e in events if e.get("event") in ("chunk", "recovered")}
        self.run = 1 + sum(e.get("event") == "start" for e in events)
        for cid in sorted(done - logged):  # killed between os.replace and the log line
            self._append({"event": "recovered", "id": cid, "run": self.run})
        self._append(
            {
                "event": "start",
                "run": self.run,
                "pid": os.getpid(),
                "resume": bool(resume),
                "done": len(done),
                "time": _now(),
            }
        )
        return done, complete

    def save(self, cid: int, arrays: dict[str, np.ndarray], n_points: int) -> None:
        """Write chunk ``cid`` atomically, then log it."""
        write_chunk(self.path, cid, arrays)
        self.log_chunk(cid, n_points)

    def log_chunk(self, cid: int, n_points: int) -> None:
        """Record that chunk ``cid`` (already on disk) was computed in this run."""
        self._append({"event": "chunk", "id": cid, "run": self.run, "points": n_points})

    def load(self, cid: int) -> dict[str, np.ndarray]:
        path = self.chunk_path(cid)
        try:
            with np.load(path, allow_pickle=False) as z:
                return {k: z[k] for k in z.files}
        except (OSError, ValueError) as exc:
            raise DataFileError(str(path), f"unreadable chunk: {exc}") from None

    def finish(self, manifest: dict[str, Any], keep_chunks: bool) -> None:
        """Mark the scan complete; delete the chunk files unless ``keep_chunks``."""
        self._append({"event": "done", "run": self.run, "time": _now()})
        self.write_manifest({**manifest, "complete": True, "completed": _now()})
        if not keep_chunks:
            for cid in self.done():
                self.chunk_path(cid).unlink(missing_ok=True)

    def _clear(self) -> None:
        for entry in os.scandir(self.path):
            if _CHUNK_RE.match(entry.name) or entry.name in ("manifest.json", "log.jsonl"):
                os.unlink(entry.path)


def read_log_file(path: str | Path) -> list[dict[str, Any]]:
    """Events of a chunk-store log (``<out>.chunks/log.jsonl``); a torn last line is skipped."""
    path = Path(path)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


def read_log(out: str | Path) -> list[dict[str, Any]]:
    """Events logged by the scan written to ``out`` (start, chunk, recovered, done)."""
    return read_log_file(chunk_dir(_resolve_out(out)) / "log.jsonl")


def _mismatch(old: Mapping[str, Any], new: Mapping[str, Any], path: Path) -> InputError:
    a, b = _flatten(old.get("identity", {})), _flatten(new.get("identity", {}))
    diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    key = diff[0].removeprefix("config.") if diff else "config"
    detail = f" (was {a.get(diff[0])!r}, now {b.get(diff[0])!r})" if diff else ""
    return InputError(
        key,
        f"differs from the scan being resumed in {path}{detail}: config hash "
        f"{new['config_hash'][:12]} != {old['config_hash'][:12]}; resume with the original "
        "config, or run without --resume into another --out",
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# ============================================================================================ progress
class _Progress:
    """A rich progress bar (points, points/s, ETA) on stderr, or nothing."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._p: Any = None
        self._task: Any = None

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                ProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.text import Text

            class _Rate(ProgressColumn):
                def render(self, task: Any) -> Text:
                    speed = task.finished_speed or task.speed
                    return Text("" if speed is None else f"{speed:,.0f} {task.fields.get('unit', '')}/s")

            self._p = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[unit]}"),
                _Rate(),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
            )
            self._p.__enter__()
        return self

    def stage(self, description: str, total: int, completed: int = 0, unit: str = "points") -> None:
        if self._p is not None:
            if self._task is not None:
                self._p.update(self._task, visible=True)
            self._task = self._p.add_task(description, total=total, completed=completed, unit=unit)

    def advance(self, n: int) -> None:
        if self._p is not None and self._task is not None:
            self._p.advance(self._task, n)

    def __exit__(self, *exc: Any) -> None:
        if self._p is not None:
            self._p.__exit__(*exc)


def _want_progress(progress: bool) -> bool:
    return bool(progress) and sys.stderr.isatty() and sys.stdout.isatty()


# ============================================================================================== engine
@dataclass(frozen=True)
class _Scheduler:
    kind: Literal["local", "address"]
    workers: int = 0
    address: str = ""


def parse_scheduler(spec: str) -> _Scheduler:
    """``local:N`` (or ``local``: one worker per CPU) or a scheduler address ``tcp://HOST:PORT``."""
    spec = spec.strip()
    m = re.fullmatch(r"local(?::(\d+))?", spec)
    if m:
        n = int(m.group(1)) if m.group(1) else (os.cpu_count() or 1)
        if n < 1:
            raise InputError("scheduler", f"local:N needs N >= 1, got {spec!r}")
        return _Scheduler("local", workers=n)
    if re.fullmatch(r"(tcp|tls|ucx|inproc)://[^\s/]+", spec):
        return _Scheduler("address", address=spec)
    raise InputError(
        "scheduler", f"must be local:N or a scheduler address such as tcp://HOST:8786, got {spec!r}"
    )


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError:
        raise InputError(
            "scheduler",
            "dask.distributed is not installed: pip install 'zprime[dask]' (or "
            "run without --scheduler for a serial scan)",
        ) from None
    return distributed


#: called with (chunk id, its arrays or None when a worker already wrote the file, number of points)
Sink = Callable[[int, "dict[str, np.ndarray] | None", int], None]


def _run_serial(plan: ScanPlan, pending: Iterable[int], sink: Sink) -> None:
    for cid in pending:
        _, arrays = compute_chunk(plan, cid, threads=None)  # in this process: all its CPUs
        sink(cid, arrays, int(arrays["allowed"].size))


@contextlib.contextmanager
def _client(sched: _Scheduler) -> Iterator[Any]:
    distributed = _import_distributed()
    cluster = None
    try:
        if sched.kind == "local":
            import dask

            # dask's nanny sets MALLOC_TRIM_THRESHOLD_ in its workers, which makes numpy temporaries
            # ~3x slower here (see zprime.core._malloc); leave glibc's defaults alone instead.
            with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
                # No dashboard; the scheduler's small HTTP server (health, metrics) takes a free loopback
                # port instead of 8787, which another cluster may hold (that fallback warns).
                cluster = distributed.LocalCluster(
                    n_workers=sched.workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                    scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                )
            client = distributed.Client(cluster)
        else:
            try:
                client = distributed.Client(sched.address, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise InputError("scheduler", f"cannot connect to {sched.address}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


def _run_dask(
    plan: ScanPlan, pending: list[int], sink: Sink, sched: _Scheduler, token: str, store_dir: Path
) -> None:
    """Submit chunks to the cluster with a bounded number in flight.

    Workers of a ``local:N`` cluster share the client's disk and write their chunk files themselves (only
    the chunk id comes back); workers behind a scheduler address send the arrays and the client writes
    them, so they need no shared file system.
    """
    distributed = _import_distributed()
    workers_write = sched.kind == "local"
    with _client(sched) as client:
        nthreads = sum(client.nthreads().values())
        max_in_flight = max(4, 3 * nthreads) if nthreads else 64
        plan_f = client.scatter(plan, broadcast=True, hash=False)
        todo = iter(pending)

        def submit(cid: int) -> Any:
            key = f"zprime-scan-{token[:12]}-{cid}"
            if workers_write:
                return client.submit(
                    compute_and_write, plan_f, cid, str(store_dir), key=key, pure=False, retries=2
                )
            return client.submit(compute_chunk, plan_f, cid, key=key, pure=False, retries=2)

        first = [submit(cid) for _, cid in zip(range(max_in_flight), todo, strict=False)]
        done_iter = distributed.as_completed(first)
        for fut in done_iter:
            if workers_write:
                cid, n = fut.result()
                arrays = None
            else:
                cid, arrays = fut.result()
                n = int(arrays["allowed"].size)
            fut.release()
            sink(cid, arrays, n)
            nxt = next(todo, None)
            if nxt is not None:
                done_iter.add(submit(nxt))


# ============================================================================================ assembly
def _file_attrs(cfg: ScanConfig, plan: ScanPlan, manifest: Mapping[str, Any]) -> dict[str, Any]:
    from zprime import __version__

    attrs: dict[str, Any] = {
        "title": f"zprime scan of model '{plan.model.name}'",
        "zprime_version": __version__,
        "model": plan.model.name,
        "model_reference": plan.model.reference,
        "edition": plan.edition,
        "ae": plan.ae,
        "cl": "each constraint's own" if plan.cl is None else float(plan.cl),
        "n_sigma": float(plan.n_sigma),
        "constraints": ",".join(k.name for k in plan.constraints),
        "fixed": json.dumps(plan.fixed),
        "store": plan.store,
        "n_points": int(plan.size),
        "chunk_size": int(plan.chunk_size),
        "config_hash": manifest["config_hash"],
        "config_json": json.dumps(cfg.canonical()),
        "date": _now(),
        "status_codes": "0 allowed, 1 excluded, 2 not_applicable",
        "Conventions": "CF-1.8",
    }
    text = cfg._source_text
    if text:
        attrs["config_toml"] = text
    return attrs


def _assemble(
    plan: ScanPlan,
    store: ChunkStore,
    tmp: Path,
    attrs: Mapping[str, Any],
    bar: _Progress,
    compression: str | None,
) -> None:
    """Write the netCDF chunk by chunk (each scan chunk is one HDF5 chunk of every variable)."""
    import h5netcdf

    variables: list[VariableSpec] = plan.variables()
    dims = plan.axis_names
    comp: dict[str, Any] = {}
    if compression == "gzip":
        comp = {"compression": "gzip", "compression_opts": 1, "shuffle": True}
    elif compression not in (None, "none"):
        raise InputError("compression", f"must be 'gzip' or None, got {compression!r}")
    params = {p.name: p for p in plan.model.parameters}
    bar.stage("writing", total=plan.n_chunks, unit="chunks")
    with h5netcdf.File(tmp, "w") as f:
        f.dimensions = dict(zip(dims, plan.shape, strict=True))
        for name, vals in zip(dims, plan.axis_values, strict=True):
            v = f.create_variable(name, (name,), "f8", data=vals)
            p = params[name]
            v.attrs["long_name"] = p.label or name
            if p.unit:
                v.attrs["units"] = p.unit
            v.attrs["scale"] = plan_axis_scale(vals)
        for spec in variables:
            dtype = "i1" if spec.dtype == "bool" else spec.dtype
            v = f.create_variable(spec.name, dims, dtype, chunks=plan.block_shape, **comp)
            for k, val in spec.attrs.items():
                v.attrs[k] = val
            if spec.dtype == "bool":
                v.attrs["dtype"] = "bool"  # xarray decodes int8 + dtype="bool" to bool
        for k, val in attrs.items():
            f.attrs[k] = val
    # The data go in through h5py directly (h5netcdf's per-write bookkeeping cost ~3x the write itself),
    # without HDF5's chunk cache: whole chunks are written, and the cache grew the resident memory by the
    # full output size (~0.6 GB for 3e6 points) until the file was closed.
    import h5py

    with h5py.File(tmp, "r+", rdcc_nbytes=0) as h:  # whole chunks are written: no cache
        dsets = {spec.name: h[spec.name] for spec in variables}
        counts = {"allowed": 0, "explains": 0}
        for cid in range(plan.n_chunks):
            sl = plan.chunk_slices(cid)
            shape = tuple(s.stop - s.start for s in sl)
            data = store.load(cid)
            for spec in variables:
                arr = data[spec.name]
                if arr.size != math.prod(shape):
                    raise DataFileError(
                        str(store.chunk_path(cid)),
                        f"{spec.name} has {arr.size} values, expected {math.prod(shape)}",
                    )
                dset = dsets[spec.name]
                dset[sl] = arr.reshape(shape).astype(dset.dtype, copy=False)
            for k in counts:
                counts[k] += int(np.count_nonzero(data[k]))
            bar.advance(1)
        h.attrs["n_allowed"] = np.int64(counts["allowed"])
        h.attrs["n_explains"] = np.int64(counts["explains"])


def plan_axis_scale(vals: np.ndarray) -> str:
    """'log' when the axis values are geometrically spaced, else 'lin' (a hint for plotting)."""
    if vals.size > 2 and np.all(vals > 0):
        r = vals[1:] / vals[:-1]
        if np.allclose(r, r[0], rtol=1e-9) and not np.isclose(r[0], 1.0):
            return "log"
    return "lin"


def _resolve_out(out: str | Path) -> Path:
    s = str(out)
    p = Path(out)
    if p.is_dir() or s.endswith(("/", os.sep)):
        return p / "scan.nc"
    return p


# ================================================================================================= API
def run_scan(
    config: ScanConfig | Mapping[str, Any] | str | Path,
    out: str | Path,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = True,
    chunk_size: int | None = None,
    *,
    keep_chunks: bool = False,
    compression: str | None = "gzip",
    on_chunk: Callable[[int], None] | None = None,
) -> xr.Dataset:
    """Run a grid scan and write it to ``out`` (netCDF); returns the Dataset (opened lazily from the file).

    ``config``: a :class:`ScanConfig`, a mapping (the parsed TOML) or the path of a TOML file.
    ``out``: the netCDF file (an existing folder, or a path ending in '/', gets ``scan.nc`` inside).
    ``scheduler``: None (serial, in this process), ``"local:N"`` or ``"tcp://HOST:PORT"`` (dask).
    ``resume``: continue from the chunks in ``<out>.chunks/`` (same config required).
    ``progress``: a progress bar on stderr when both stdout and stderr are terminals.
    ``chunk_size``: maximum points per chunk (default: the config's, 131072).
    ``keep_chunks``: keep the ``.npz`` chunk files after assembly. ``on_chunk``: called with each finished id.

    The Dataset's dims are the axes (config order); variables: ``chi2_<name>`` (float32) and
    ``status_<name>`` (int8: 0 allowed, 1 excluded, 2 not applicable) per constraint, ``delta_a_e``,
    ``delta_a_mu``, ``pull_e``, ``pull_mu``, ``chi2_total``, ``n_excluding``, ``allowed`` and ``explains``
    (allowed and both pulls within ``n_sigma``).
    """
    import xarray as xr

    cfg = _coerce_config(config)
    plan = build_plan(cfg, chunk_size)
    sched = parse_scheduler(scheduler) if scheduler else None
    if sched is not None:
        _import_distributed()
    out_file = _resolve_out(out)
    if not out_file.parent.exists():
        raise InputError("out", f"folder {out_file.parent} does not exist")
    identity = scan_identity(cfg, plan)
    from zprime import __version__

    manifest = {
        "format": STORE_FORMAT,
        "config_hash": config_hash(identity),
        "identity": identity,
        "n_chunks": plan.n_chunks,
        "zprime_version": __version__,
        "created": _now(),
        "complete": False,
    }
    store = ChunkStore(chunk_dir(out_file))
    done, complete = store.prepare(manifest, resume)
    try:
        if complete and out_file.exists():
            store._append({"event": "done", "run": store.run, "time": _now(), "note": "already complete"})
            return xr.open_dataset(out_file, engine="h5netcdf")
        if complete:  # the netCDF is gone and so are the chunks: start over
            store._clear()
            store.write_manifest(manifest)
            done = set()
        pending = [cid for cid in range(plan.n_chunks) if cid not in done]
        with _Progress(_want_progress(progress)) as bar:
            points_done = sum(math.prod(s.stop - s.start for s in plan.chunk_slices(c)) for c in done)
            bar.stage("scanning", total=plan.size, completed=points_done)

            def sink(cid: int, arrays: dict[str, np.ndarray] | None, n: int) -> None:
                if arrays is None:  # a worker wrote the file
                    store.log_chunk(cid, n)
                else:
                    store.save(cid, arrays, n)
                bar.advance(n)
                if on_chunk is not None:
                    on_chunk(cid)

            if pending:
                if sched is None:
                    _run_serial(plan, pending, sink)
                else:
                    _run_dask(plan, pending, sink, sched, manifest["config_hash"], store.path)
            missing = set(range(plan.n_chunks)) - store.done()
            if missing:
                raise ZprimeError(f"scan incomplete: {len(missing)} chunks missing in {store.path}")
            tmp = out_file.with_name(f"{out_file.name}.tmp{os.getpid()}")
            try:
                _assemble(plan, store, tmp, _file_attrs(cfg, plan, manifest), bar, compression)
                os.replace(tmp, out_file)
            finally:
                tmp.unlink(missing_ok=True)
        store.finish(manifest, keep_chunks)
    finally:
        store.close()
    return xr.open_dataset(out_file, engine="h5netcdf")


def run_scan_cli(
    config: str | Path,
    out: str | Path,
    scheduler: str | None = None,
    resume: bool = False,
    quiet: bool = False,
) -> None:
    """``zprime scan``: load the TOML, run the scan, print a one-paragraph summary (unless ``quiet``)."""
    cfg = load_config(config)
    t0 = time.perf_counter()
    try:
        ds = run_scan(cfg, out, scheduler=scheduler, resume=resume, progress=not quiet)
    except KeyboardInterrupt:
        sys.stderr.write(
            f"zprime: interrupted; finished chunks are kept in {chunk_dir(_resolve_out(out))}: "
            "rerun with --resume to continue\n"
        )
        raise SystemExit(130) from None
    with ds:
        if not quiet:
            n = int(ds.attrs["n_points"])
            n_allowed, n_explains = int(ds.attrs["n_allowed"]), int(ds.attrs["n_explains"])
            dt = time.perf_counter() - t0
            print(
                f"wrote {_resolve_out(out)}: {n:,} points x {len(plan_constraints(ds))} constraints "
                f"({', '.join(ds.sizes)}) in {dt:.1f} s; allowed {n_allowed:,}, explain both anomalies "
                f"within {ds.attrs['n_sigma']:g} sigma {n_explains:,}"
            )
            print(f"open with: xarray.open_dataset({str(_resolve_out(out))!r})")


def plan_constraints(ds: xr.Dataset) -> list[str]:
    """Names of the constraints recorded in a scan Dataset."""
    s = str(ds.attrs.get("constraints", ""))
    return [x for x in s.split(",") if x]


__all__ = [
    "AxisConfig",
    "ScanConfig",
    "ChunkStore",
    "DEFAULT_CHUNK_SIZE",
    "build_plan",
    "chunk_dir",
    "config_hash",
    "load_config",
    "parse_scheduler",
    "read_log",
    "read_log_file",
    "run_scan",
    "run_scan_cli",
    "scan_identity",
]

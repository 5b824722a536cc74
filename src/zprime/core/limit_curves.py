"""Published dark-photon limit curves shipped with zprime (``data/limits/``), and their loader.

The CSV files were digitised by the DarkCast authors (Ilten, Soreq, Williams, Xue, arXiv:1801.04847,
arXiv:2206.08563; GPL-2.0-or-later); see ``data/limits/README.md``. Each file has a ``#`` header with the
metadata (experiment, publication, production, decay channel, lifetime window, bound type) and the columns
``mass_GeV,eps_lower[,eps_upper]``: the bound on the kinetic mixing ε of a dark photon (couplings eεQ_f).

Loading (:func:`read_curve`):

- the header is parsed into ``metadata`` (``key: value`` lines) and checked (required keys, row count);
- sentinel rows are dropped: ε exactly 1e5 anywhere, and ε exactly 1 or 1e-2 in the first or last row
  (DarkCast placeholders closing a curve). Two files (KLOE_Anastasi2015qla at 0.319 GeV, NA64_Banerjee2019hmi
  at 2.2412 MeV) contain an *interior* value of exactly 1e-2 that lies on the smooth curve between its
  neighbours; it is a measured value, not a placeholder, and is kept (their headers list it as a sentinel);
- a sentinel between two measured rows marks a vetoed mass window: lookups inside it give NaN;
- duplicate masses are merged (geometric mean of the ε values);
- masses are converted to MeV.

Lookup (:meth:`LimitCurve.eps_lower_at` etc.) interpolates linearly in log m – log ε and answers NaN
("not applicable") outside the measured mass range and inside vetoed windows; it never extrapolates.

Discovery (no central index): every limit metadata file (``*.yaml``, schema in :mod:`zprime.core.limits`)
under the shipped ``data/limits/`` and under the user folders — :func:`set_limits_path` and the
environment variable ``ZPRIME_LIMITS_PATH`` (folders separated by ``os.pathsep``, read at discovery time)
— is one limit: a curve (its CSV beside it), a variant or a statement. A user name that clashes with
another file's is an error naming both files. Each shipped curve's metadata is checked against its CSV's
DarkCast header (production, decay, bound type, lifetime numbers). :func:`reload` restarts discovery.

>>> entry("babar_2014").inspire
'Lees:2014xha'
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from zprime.core.constants import E_CHARGE
from zprime.core.errors import DataFileError, UnknownNameError
from zprime.core.integrity import read_data_text
from zprime.core.limits import (
    BeamDump,
    CurveMeta,
    LimitMeta,
    Prompt,
    ProperTime,
    RValue,
    StatementMeta,
    TwoBodyBoost,
    VariantMeta,
    load_limit_file,
)

#: Values that DarkCast uses as placeholders (ε exactly equal to one of them).
SENTINEL_ANYWHERE: tuple[float, ...] = (1e5,)
SENTINEL_AT_ENDS: tuple[float, ...] = (1e5, 1.0, 1e-2)
REQUIRED_KEYS: tuple[str, ...] = (
    "experiment",
    "publication",
    "decay channel",
    "lifetime/efficiency window",
    "bound type",
    "rows",
)
_GEV_TO_MEV = 1000.0


def limits_dir() -> Path:
    """Folder of the shipped limit curves (``zprime/data/limits``)."""
    return Path(str(resources.files("zprime") / "data" / "limits"))


@dataclass(frozen=True)
class Location:
    """Where query masses fall on a curve's mass grid (reusable for several columns)."""

    index: np.ndarray  # left grid point of the segment
    weight: np.ndarray  # position inside the segment in log m (0..1 for valid points)
    valid: np.ndarray  # inside the measured range and not in a vetoed window
    all_valid: bool = False  # True when it is known that every point is valid

    def interp_raw(self, log_values: np.ndarray) -> np.ndarray:
        """Linear interpolation of tabulated ``log_values``; unspecified (finite) where not valid."""
        lo = log_values[self.index]
        return lo + self.weight * (log_values[self.index + 1] - lo)

    def interp(self, log_values: np.ndarray) -> np.ndarray:
        """Linear interpolation of tabulated ``log_values``; NaN where not valid."""
        return np.where(self.valid, self.interp_raw(log_values), np.nan)

    def interp_exp(self, log_values: np.ndarray) -> np.ndarray:
        """exp of :meth:`interp` (log-log interpolation of a positive quantity)."""
        return np.exp(self.interp(log_values))


@dataclass(frozen=True, eq=False)
class LimitCurve:
    """One published dark-photon limit curve (masses in MeV, sentinel rows removed)."""

    name: str
    path: str
    metadata: dict[str, str]
    columns: tuple[str, ...]
    mass_mev: np.ndarray
    eps_lower: np.ndarray
    eps_upper: np.ndarray | None
    gaps_mev: tuple[tuple[float, float], ...] = ()
    sentinel_mass_mev: np.ndarray = field(default_factory=lambda: np.zeros(0))
    n_rows_raw: int = 0
    r_grid: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)  # (ε grid, r[mass, ε])
    _gap_segment: np.ndarray = field(default_factory=lambda: np.zeros(0, bool), repr=False)
    _log_m: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    _lut: tuple[Any, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        m = self.mass_mev
        lm = np.log(m)
        object.__setattr__(self, "_log_m", lm)
        seg = np.zeros(max(m.size - 1, 0), dtype=bool)
        for lo, hi in self.gaps_mev:
            i = int(np.searchsorted(m, lo))
            if i < seg.size and m[i] == lo and m[i + 1] == hi:
                seg[i] = True
        object.__setattr__(self, "_gap_segment", seg)
        # uniform bins in log m -> first candidate segment: a search-free lookup (see locate_log). The bin
        # edges are lowered by 1e-9 so that rounding never yields a segment beyond the true one.
        n = lm.size
        # Finer bins mean fewer steps; up to 2**15 bins are tried while they still save a step.
        nb = max(64, 8 * n)
        while True:
            dx = (lm[-1] - lm[0]) / nb
            edges = lm[0] + dx * np.arange(nb + 1)
            start = np.searchsorted(lm, edges[:-1] - 1e-9, side="right") - 1
            start = np.clip(start, 0, n - 2).astype(np.intp)
            seg_end = np.clip(np.searchsorted(lm, edges[1:], side="right") - 1, 0, n - 2)
            steps = int(np.max(seg_end - start)) + 1
            if steps <= 2 or 2 * nb > 1 << 15:
                break
            nb *= 2
        lm_next = np.append(lm[1:], np.inf)
        inv_dlm = np.append(1.0 / np.diff(lm), 0.0)
        object.__setattr__(self, "_lut", (start, float(lm[0]), 1.0 / dx, nb, steps, lm_next, inv_dlm))

    # ------------------------------------------------------------------------------------------ info
    @property
    def is_band(self) -> bool:
        """True for closed bands (beam dumps): eps_lower < ε < eps_upper excluded."""
        return self.eps_upper is not None

    @property
    def mass_range_mev(self) -> tuple[float, float]:
        """Measured mass range [MeV] (sentinel rows closing the curve are not part of it)."""
        return float(self.mass_mev[0]), float(self.mass_mev[-1])

    @property
    def log_mass(self) -> np.ndarray:
        return self._log_m

    def header(self, key: str, default: str = "") -> str:
        return self.metadata.get(key, default)

    # ---------------------------------------------------------------------------------------- lookup
    def locate(self, mass_mev: np.ndarray | float) -> Location:
        """Segment index and log-m weight for each query mass; ``valid`` false outside or in a veto."""
        return self.locate_log(np.log(np.asarray(mass_mev, dtype=float)))

    def locate_log(self, log_mass: np.ndarray) -> Location:
        """:meth:`locate` for log(mass/MeV), without a binary search.

        A uniform-bin table in log m gives the first candidate segment; a fixed number of vectorised steps
        (at most the number of rows in one bin) finishes it.
        """
        x = np.asarray(log_mass, dtype=float)
        lm = self._log_m
        n = lm.size
        start, x0, inv_dx, nb, steps, lm_next, inv_dlm = self._lut
        b = np.clip((x - x0) * inv_dx, 0, nb - 1).astype(np.intp)
        idx = np.atleast_1d(start[b])
        for _ in range(steps):
            idx += x.reshape(idx.shape) >= lm_next[idx]
        idx = np.minimum(idx, n - 2).reshape(x.shape)
        w = (x - lm[idx]) * inv_dlm[idx]
        valid = (x >= lm[0]) & (x <= lm[-1])
        if self._gap_segment.any():
            valid &= ~(self._gap_segment[idx] & (w > 0) & (w < 1))
        return Location(idx, w, valid)

    def locate_sorted(self, log_mass: np.ndarray) -> Location:
        """:meth:`locate_log` for ascending log(mass/MeV) all inside the measured range (same result).

        The segment of every point follows from where the grid's knots fall among the sorted points (one
        binary search per knot, not per point).
        """
        x = np.asarray(log_mass, dtype=float)
        lm = self._log_m
        n = lm.size
        # segment k spans the points edges[k]:edges[k+1]; x == lm[k] starts segment k (k = 1 … n−2)
        edges = np.empty(n, dtype=np.intp)
        edges[0], edges[-1] = 0, x.size
        edges[1 : n - 1] = np.searchsorted(x, lm[1 : n - 1], side="left")
        idx = np.repeat(np.arange(n - 1, dtype=np.intp), np.diff(edges))
        _, _, _, _, _, _, inv_dlm = self._lut
        w = x - lm.take(idx)
        w *= inv_dlm.take(idx)
        if self._gap_segment.any():
            return Location(idx, w, ~(self._gap_segment.take(idx) & (w > 0) & (w < 1)))
        return Location(idx, w, np.ones(x.size, dtype=bool), all_valid=True)

    def applicable(self, mass_mev: np.ndarray | float) -> np.ndarray:
        """True where the curve gives a bound (inside the measured range, outside vetoed windows)."""
        return self.locate(mass_mev).valid

    def eps_lower_at(self, mass_mev: np.ndarray | float) -> np.ndarray:
        """Lower ε bound, log-log interpolated; NaN where not applicable (never extrapolated)."""
        return self.locate(mass_mev).interp_exp(np.log(self.eps_lower))

    def eps_upper_at(self, mass_mev: np.ndarray | float) -> np.ndarray:
        """Upper ε edge of a band; +inf for one-sided curves; NaN where not applicable."""
        loc = self.locate(mass_mev)
        if self.eps_upper is None:
            return np.where(loc.valid, np.inf, np.nan)
        return loc.interp_exp(np.log(self.eps_upper))

    def with_eps_lower(self, eps_lower: np.ndarray, name: str | None = None) -> LimitCurve:
        """A copy with another lower edge on the same mass grid (e.g. a smoothed envelope)."""
        eps_lower = np.asarray(eps_lower, dtype=float)
        if eps_lower.shape != self.mass_mev.shape or not np.all(eps_lower > 0):
            raise DataFileError(
                self.path, "replacement eps_lower must be positive on the curve's grid", field="eps_lower"
            )
        return LimitCurve(
            name or self.name,
            self.path,
            dict(self.metadata),
            self.columns,
            self.mass_mev,
            eps_lower,
            self.eps_upper,
            self.gaps_mev,
            self.sentinel_mass_mev,
            self.n_rows_raw,
        )


# ------------------------------------------------------------------------------------------- reading
def _parse_header(lines: list[str], path: str) -> tuple[dict[str, str], list[str]]:
    meta: dict[str, str] = {}
    body: list[str] = []
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if s.startswith("#"):
            text = s.lstrip("#").strip()
            if ":" in text:
                key, _, value = text.partition(":")
                key = key.strip().lower()
                if key in meta:
                    meta[key] = meta[key] + " | " + value.strip()
                else:
                    meta[key] = value.strip()
        else:
            body.append(s)
    if not body:
        raise DataFileError(path, "no column header and no data rows", field="columns")
    return meta, body


def read_curve(path: str | Path, *, header_required: bool = True) -> LimitCurve:
    """Read and validate one limit CSV. Errors name the file and the field.

    The shipped files carry DarkCast's ``#`` header (``REQUIRED_KEYS``); a user's CSV may leave it out
    (``header_required=False``), and the header lines it has are still checked (e.g. ``rows``).
    """
    path = Path(path)
    p = str(path)
    text = read_data_text(path)
    if header_required and not text.endswith("\n"):
        raise DataFileError(p, "truncated: the file does not end with a newline")
    meta, body = _parse_header(text.splitlines(), p)
    for key in REQUIRED_KEYS if header_required else ():
        if key not in meta:
            raise DataFileError(p, "missing header line '# " + key + ": ...'", field=key)
    columns = tuple(c.strip() for c in body[0].split(","))
    if columns == R_VALUE_COLUMNS:
        return _read_rvalue_grid(path, meta, body)
    if columns not in (("mass_GeV", "eps_lower"), ("mass_GeV", "eps_lower", "eps_upper")):
        raise DataFileError(
            p,
            f"column header must be mass_GeV,eps_lower[,eps_upper] (or mass_GeV,eps,r); got {body[0]!r}",
            field="columns",
        )
    rows = []
    for k, line in enumerate(body[1:], start=1):
        parts = line.split(",")
        if len(parts) != len(columns):
            raise DataFileError(
                p, f"data row {k} has {len(parts)} fields, expected {len(columns)}", field=f"row {k}"
            )
        try:
            rows.append([float(x) for x in parts])
        except ValueError as exc:
            raise DataFileError(p, f"data row {k} is not numeric: {line!r}", field=f"row {k}") from exc
    data = np.asarray(rows, dtype=float).reshape(-1, len(columns))
    m = re.match(r"\s*(\d+)", meta.get("rows", str(data.shape[0])))
    if m is None or int(m.group(1)) != data.shape[0]:
        raise DataFileError(
            p, f"header announces {meta.get('rows')!r} rows, file has {data.shape[0]}", field="rows"
        )
    if data.shape[0] < 2:
        raise DataFileError(p, "needs at least two data rows", field="rows")
    if not np.all(np.isfinite(data)) or np.any(data <= 0):
        bad = int(np.argmax(~(np.isfinite(data) & (data > 0)).all(axis=1))) + 1
        raise DataFileError(p, "masses and eps must be finite and positive", field=f"row {bad}")
    if np.any(np.diff(data[:, 0]) < 0):
        raise DataFileError(p, "masses must be non-decreasing", field="mass_GeV")

    eps = data[:, 1:]
    sentinel = np.isin(eps, SENTINEL_ANYWHERE).any(axis=1)
    ends = np.zeros(data.shape[0], bool)
    ends[[0, -1]] = True
    sentinel |= ends & np.isin(eps, SENTINEL_AT_ENDS).any(axis=1)
    kept = data[~sentinel]
    if kept.shape[0] < 2:
        raise DataFileError(p, "fewer than two rows left after removing sentinel rows", field="rows")
    # a kinetic mixing above 1 is no bound (and no DarkCast sentinel); a header line '# eps maximum: X'
    # (X <= 4π/e, perturbativity) admits a file whose bound in eps-units exceeds 1 (Belle II 2019's g'/e)
    try:
        cap = float(meta.get("eps maximum", "1").split()[0])
    except ValueError:
        cap = np.nan
    if not 1.0 <= cap <= 4.0 * np.pi / E_CHARGE:
        raise DataFileError(p, "'eps maximum' must be a number between 1 and 4π/e", field="eps maximum")
    if np.any(kept[:, 1:] > cap):
        bad = int(np.flatnonzero(~sentinel)[np.argmax((kept[:, 1:] > cap).any(axis=1))]) + 1
        raise DataFileError(
            p, f"eps must be <= {cap:g} (a kinetic mixing; sentinels excepted)", field=f"row {bad}"
        )

    # vetoed windows: a sentinel between two kept rows
    kept_pos = np.flatnonzero(~sentinel)
    gaps: list[tuple[float, float]] = []
    for a, b in zip(kept_pos[:-1], kept_pos[1:], strict=True):
        if b - a > 1:
            gaps.append((data[a, 0], data[b, 0]))

    # merge duplicate masses (geometric mean)
    mass, inverse = np.unique(kept[:, 0], return_inverse=True)
    logeps = np.zeros((mass.size, eps.shape[1]))
    np.add.at(logeps, inverse, np.log(kept[:, 1:]))
    counts = np.bincount(inverse)
    eps_k = np.exp(logeps / counts[:, None])
    single = counts[inverse] == 1
    eps_k[inverse[single]] = kept[single, 1:]  # unique masses keep their exact values
    if eps_k.shape[1] == 2 and np.any(eps_k[:, 0] >= eps_k[:, 1]):
        bad = int(np.argmax(eps_k[:, 0] >= eps_k[:, 1]))
        raise DataFileError(p, f"band with eps_lower >= eps_upper at {mass[bad]} GeV", field="eps_upper")
    gaps_mev = tuple((float(a * _GEV_TO_MEV), float(b * _GEV_TO_MEV)) for a, b in gaps)
    return LimitCurve(
        name=path.stem,
        path=p,
        metadata=meta,
        columns=columns,
        mass_mev=mass * _GEV_TO_MEV,
        eps_lower=eps_k[:, 0].copy(),
        eps_upper=eps_k[:, 1].copy() if eps_k.shape[1] == 2 else None,
        gaps_mev=gaps_mev,
        sentinel_mass_mev=data[sentinel, 0] * _GEV_TO_MEV,
        n_rows_raw=data.shape[0],
    )


#: Columns of an r-value grid (lifetime kind rvalue): mass, ε of the dark photon, r = upper limit / expected.
R_VALUE_COLUMNS: tuple[str, ...] = ("mass_GeV", "eps", "r")


def _numbers(line: str) -> bool:
    """True when every comma-separated field of ``line`` is a number."""
    try:
        [float(x) for x in line.split(",")]
    except ValueError:
        return False
    return True


def _read_rvalue_grid(path: Path, meta: dict[str, str], body: list[str]) -> LimitCurve:
    """An r-value grid (DarkCast ``Efficiency(rvals=True)``, e.g. LHCb's displaced A' → μμ searches): rows
    ``mass_GeV,eps,r`` sorted by mass then ε, the same ε grid at every mass (a rectangular grid), every number
    finite and positive. The curve's ``eps_lower`` is the grid's lowest ε at each mass (the grid, not a bound);
    ``r_grid`` = (ε grid, r[mass, ε])."""
    p = str(path)
    bad = next((k for k, line in enumerate(body[1:], start=1) if line.count(",") != 2), None)
    try:
        with warnings.catch_warnings():  # text that is not all numbers stops the parse early (checked below)
            warnings.simplefilter("ignore", DeprecationWarning)
            flat = np.fromstring(",".join(body[1:]), sep=",")
    except ValueError:
        flat = np.zeros(0)
    if bad is not None or flat.size != 3 * (len(body) - 1):
        row = (
            bad
            if bad is not None
            else next(k for k, line in enumerate(body[1:], start=1) if not _numbers(line))
        )
        raise DataFileError(p, "rows must be three numbers mass_GeV,eps,r", field=f"row {row}")
    data = flat.reshape(-1, 3)
    m = re.match(r"\s*(\d+)", meta.get("rows", str(data.shape[0])))
    if m is None or int(m.group(1)) != data.shape[0] or data.shape[0] != len(body) - 1:
        raise DataFileError(
            p, f"header announces {meta.get('rows')!r} rows, file has {len(body) - 1}", field="rows"
        )
    if not np.all(np.isfinite(data)) or np.any(data <= 0):
        raise DataFileError(p, "mass, eps and r must be finite and positive", field="rows")
    mass, counts = np.unique(data[:, 0], return_counts=True)
    n_eps = int(counts[0])
    if np.any(np.diff(data[:, 0]) < 0) or np.any(counts != n_eps) or mass.size < 2 or n_eps < 2:
        raise DataFileError(
            p,
            "an r-value grid needs rows sorted by mass, the same number of eps values at each mass",
            field="rows",
        )
    eps = data[:, 1].reshape(mass.size, n_eps)
    if np.any(eps != eps[0]) or np.any(np.diff(eps[0]) <= 0):
        raise DataFileError(
            p, "an r-value grid needs the same increasing eps values at every mass", field="eps"
        )
    if eps[0, -1] > 1.0:
        raise DataFileError(p, "eps must be <= 1 (a kinetic mixing)", field="eps")
    return LimitCurve(
        name=path.stem,
        path=p,
        metadata=meta,
        columns=R_VALUE_COLUMNS,
        mass_mev=mass * _GEV_TO_MEV,
        eps_lower=np.full(mass.size, eps[0, 0]),
        eps_upper=None,
        n_rows_raw=data.shape[0],
        r_grid=(eps[0].copy(), np.ascontiguousarray(data[:, 2].reshape(mass.size, n_eps))),
    )


# ----------------------------------------------------------------------------------------- discovery
#: Environment variable with user folders of limit files (separated like PATH: ``os.pathsep``).
ENV_VAR = "ZPRIME_LIMITS_PATH"
_python_path: tuple[Path, ...] = ()
_reload_hooks: list[Callable[[], None]] = []


def set_limits_path(paths: str | Path | Iterable[str | Path] | None) -> None:
    """Folders of user limit files, searched (recursively) besides the shipped ones and ``$ZPRIME_LIMITS_PATH``.

    Their curves become constraints like the shipped ones. ``None`` or ``[]`` removes them. Discovery
    restarts (:func:`reload`).
    """
    global _python_path
    if paths is None:
        paths = ()
    elif isinstance(paths, str | Path):
        paths = (paths,)
    _python_path = tuple(Path(p) for p in paths)
    reload()


def on_reload(hook: Callable[[], None]) -> None:
    """Call ``hook`` whenever discovery restarts (higher layers clear their caches of searches/constraints)."""
    if hook not in _reload_hooks:
        _reload_hooks.append(hook)


def reload() -> None:
    """Forget every discovered file and loaded curve (and the caches registered with :func:`on_reload`);
    the next lookup discovers again and reads ``$ZPRIME_LIMITS_PATH`` anew."""
    _catalogue.cache_clear()
    curve.cache_clear()
    production_fractions.cache_clear()
    t1_table.cache_clear()
    for hook in _reload_hooks:
        hook()


def user_limit_folders() -> list[Path]:
    """The user folders: :func:`set_limits_path`'s, then ``$ZPRIME_LIMITS_PATH``'s (read now)."""
    env = os.environ.get(ENV_VAR, "")
    found: list[Path] = []
    for origin, folders in (
        ("limits_path", _python_path),
        (ENV_VAR, [Path(x) for x in env.split(os.pathsep) if x.strip()]),
    ):
        for folder in folders:
            if not folder.is_dir():
                raise DataFileError(str(folder), "limits folder not found (or not a folder)", field=origin)
            if folder.resolve() not in {f.resolve() for f in found}:
                found.append(folder)
    return found


def limit_files(folder: Path) -> list[Path]:
    """Every limit metadata file (``*.yaml``, ``*.yml``) under ``folder``, recursively, sorted."""
    return sorted(p for ext in ("*.yaml", "*.yml") for p in folder.rglob(ext) if p.is_file())


def all_curve_files() -> list[Path]:
    """Every shipped CSV (visible, invisible, projections)."""
    return sorted(limits_dir().rglob("*.csv"))


@dataclass(frozen=True)
class _Catalogue:
    entries: dict[str, LimitMeta]
    user: frozenset[str]


@lru_cache(maxsize=1)
def _catalogue() -> _Catalogue:
    return _discover([(limits_dir(), False)] + [(f, True) for f in user_limit_folders()])


def _discover(folders: list[tuple[Path, bool]]) -> _Catalogue:
    """Read every limit file of ``folders`` ((folder, is_user) pairs; the first is the shipped one)."""
    entries: dict[str, LimitMeta] = {}
    user: set[str] = set()
    shipped_csv: dict[Path, Path] = {}
    for folder, is_user in folders:
        for path in limit_files(folder):
            meta = load_limit_file(path)
            if meta.name in entries:
                other = entries[meta.name].path
                raise DataFileError(
                    str(path), f"name {meta.name!r} is already defined in {other}", field="name"
                )
            if isinstance(meta, CurveMeta):
                if not meta.numbers_path.is_file():
                    raise DataFileError(str(path), f"numbers file {meta.numbers} not found", field="numbers")
                fr = meta.fractions_path
                if fr is not None and not fr.is_file():
                    raise DataFileError(
                        str(path),
                        f"fractions file {meta.production_fractions} not found",
                        field="production_fractions",
                    )
                t1 = meta.t1_table_path
                if t1 is not None and not t1.is_file():
                    raise DataFileError(str(path), f"t1 table {t1.name} not found", field="lifetime.t1_table")
                if not is_user:
                    shipped_csv[meta.numbers_path.resolve()] = path
                    for extra in (fr, t1):
                        if extra is not None:
                            shipped_csv[extra.resolve()] = path
            entries[meta.name] = meta
            if is_user:
                user.add(meta.name)
    for meta in entries.values():
        if isinstance(meta, VariantMeta) and not isinstance(entries.get(meta.derived_from), CurveMeta):
            raise DataFileError(str(meta.path), f"{meta.derived_from!r} is not a curve", field="derived_from")
    for csv in sorted(folders[0][0].rglob("*.csv")):
        if csv.resolve() not in shipped_csv:
            raise DataFileError(
                str(csv), "curve file has no metadata file (a YAML naming it)", field="numbers"
            )
    return _Catalogue(entries, frozenset(user))


def entries(kind: str | None = None) -> list[LimitMeta]:
    """Every discovered limit (shipped, then user), optionally of one ``kind`` (curve, variant, statement)."""
    return [m for m in _catalogue().entries.values() if kind is None or m.kind == kind]


def entry(name: str) -> LimitMeta:
    """The limit (curve, variant or statement) called ``name``."""
    cat = _catalogue().entries
    if name not in cat:
        raise UnknownNameError("limit", name, list(cat))
    return cat[name]


def is_user(name: str) -> bool:
    """True for a limit found in a user folder."""
    return name in _catalogue().user


def base_curve(name: str) -> CurveMeta:
    """The curve metadata behind ``name`` (a variant's ``derived_from``)."""
    e = entry(name)
    if isinstance(e, VariantMeta):
        e = entry(e.derived_from)
    if not isinstance(e, CurveMeta):
        raise UnknownNameError(
            "limit curve (statements have no curve)", name, [m.name for m in entries("curve")]
        )
    return e


@cache
def curve(name: str) -> LimitCurve:
    """The curve behind constraint ``name`` (checked against its metadata file); variants are built."""
    e = entry(name)
    if isinstance(e, VariantMeta):
        base = curve(e.derived_from)
        return base.with_eps_lower(lower_convex_hull_loglog(base.mass_mev, base.eps_lower), name=name)
    meta = base_curve(name)
    strict = not is_user(name)
    c = read_curve(meta.numbers_path, header_required=strict)
    _check_against_header(meta, c, strict)
    if meta.numbers_unit == "g":  # the file holds the gauge coupling g = e ε: the recast works with ε
        up = None if c.eps_upper is None else c.eps_upper / E_CHARGE
        c = replace(c, eps_lower=c.eps_lower / E_CHARGE, eps_upper=up)
    return c


def _table(path: Path, first: str, names: list[str]) -> np.ndarray:
    """Rows of a small numeric CSV beside a metadata file: columns ``first`` then ``names`` (any order of the
    names is an error); masses increasing, values finite and >= 0."""
    p = str(path)
    _, body = _parse_header(read_data_text(path).splitlines(), p)
    cols = [x.strip() for x in body[0].split(",")]
    if cols[0] != first or sorted(cols[1:]) != sorted(names):
        raise DataFileError(p, f"columns must be {first} then {names}; got {body[0]!r}", field="columns")
    try:
        data = np.array([[float(x) for x in line.split(",")] for line in body[1:]], dtype=float)
    except ValueError as exc:
        raise DataFileError(p, f"rows must be numbers ({exc})", field="rows") from None
    if data.ndim != 2 or data.shape[1] != len(cols) or data.shape[0] < 2:
        raise DataFileError(p, f"needs at least two rows of {len(cols)} numbers", field="rows")
    if np.any(np.diff(data[:, 0]) <= 0) or not np.all(np.isfinite(data)) or np.any(data[:, 1:] < 0):
        raise DataFileError(p, "masses must increase and values be finite and >= 0", field="rows")
    return data


@cache
def t1_table(name: str) -> tuple[np.ndarray, np.ndarray] | None:
    """(mass [MeV], t1 [s]) of a limit with a tabulated proper-time cut (lifetime kind proper_time), else None."""
    meta = base_curve(name)
    path = meta.t1_table_path
    if path is None:
        return None
    data = _table(path, "mass_GeV", ["t1_s"])
    return data[:, 0] * _GEV_TO_MEV, data[:, 1].copy()


@cache
def production_fractions(name: str) -> tuple[tuple[str, ...], np.ndarray, np.ndarray] | None:
    """(mechanisms, mass [MeV], fractions (one row per mechanism)) of a limit whose production fractions
    depend on the mass (``production_fractions``: a CSV ``mass_GeV,<mechanism>,...`` beside the metadata file,
    DarkCast's ``.prd`` datasets); None for a limit with one mechanism or constant fractions."""
    meta = base_curve(name)
    path = meta.fractions_path
    if path is None:
        return None
    data = _table(path, "mass_GeV", meta.mechanisms)
    _, body = _parse_header(read_data_text(path).splitlines(), str(path))
    cols = tuple(x.strip() for x in body[0].split(","))
    return cols[1:], data[:, 0] * _GEV_TO_MEV, np.ascontiguousarray(data[:, 1:].T)


# ---------------------------------------------------------------------------- metadata vs CSV header
_PRODUCTION_TOKENS: dict[str, tuple[str, ...]] = {
    "e_e": ("e_e", "e+ e- -> gamma x"),
    "e_brem": ("e_brem", "bremsstrahlung"),
    "pi0_gamma": ("pi0_gamma", "pi0 -> gamma x"),
    "phi_eta": ("phi_eta", "phi -> eta x"),
}
_DECAY_TOKENS: dict[str, str] = {"ee": "e+e-", "mumu": "mu+mu-", "pipi": "pi+pi-", "invisible": "invisible"}


def _check_against_header(e: CurveMeta, c: LimitCurve, strict: bool = True) -> None:
    """The metadata must agree with the CSV's DarkCast header (production, decay, bound type, lifetime
    numbers): this protects the provenance. A user CSV without a header line skips that check."""
    p = c.path
    prod = " ".join(v for k, v in c.metadata.items() if k.startswith("production")).lower()
    for mech in e.mechanisms:
        tokens = _PRODUCTION_TOKENS.get(mech, (mech.lower(),))
        if (strict or prod) and not any(t in prod for t in tokens):
            raise DataFileError(
                p, f"metadata says production {mech!r}, header says {prod!r}", field="production"
            )
    if "decay channel" in c.metadata:
        dec = c.metadata["decay channel"].lower()
        for d in e.decay:
            if _DECAY_TOKENS[d] not in dec:
                raise DataFileError(
                    p, f"metadata lists decay {d!r}, header says {dec!r}", field="decay channel"
                )
    bound = c.metadata.get("bound type", "BAND" if e.bound == "band" else "").upper()
    if (
        (e.bound == "band") != ("BAND" in bound)
        or (e.bound == "band") != c.is_band
        or (e.bound == "rvalue") != (c.r_grid is not None)
    ):
        raise DataFileError(
            p, f"metadata says bound {e.bound!r}, header and columns disagree", field="bound type"
        )
    if "lifetime/efficiency window" not in c.metadata:
        return
    life = c.metadata["lifetime/efficiency window"]
    lt = e.lifetime
    field_ = "lifetime/efficiency window"
    if isinstance(lt, BeamDump):
        m = re.search(r"lratio = L_decay/L_shield = ([\d.]+)/([\d.]+)", life)
        if (
            m is None
            or not np.isclose(float(m.group(1)), lt.l_decay_m)
            or not np.isclose(float(m.group(2)), lt.l_shield_m)
        ):
            raise DataFileError(p, f"beam-dump lengths do not match the header ({life!r})", field=field_)
    elif isinstance(lt, Prompt):
        if "infinity" not in life:
            raise DataFileError(p, "metadata says prompt (t1 = infinity), header differs", field=field_)
    elif isinstance(lt, RValue):
        if "r-value" not in life or c.r_grid is None:
            raise DataFileError(p, "metadata says an r-value grid, header or columns differ", field=field_)
    elif isinstance(lt, ProperTime):
        if lt.t1_table not in life:
            raise DataFileError(p, f"the header does not name the t1 table {lt.t1_table}", field=field_)
    else:
        m = re.search(r"t1 = ([\d.]+) m", life)
        if m is None or not np.isclose(float(m.group(1)), lt.length_m):
            raise DataFileError(p, "flight length does not match the header", field=field_)
        b = lt.boost
        if isinstance(b, TwoBodyBoost):
            need = [f"{b.parent_mass_mev / 1000:g}"]
            if b.recoil_mass_mev > 0:
                need.append(f"{b.recoil_mass_mev / 1000:g}")
        else:
            need = [f"{b.energy_mev / 1000:g} GeV"]
        for s in need:
            if s not in life:
                raise DataFileError(p, f"boost parameter {s} not found in the header", field=field_)


def lower_convex_hull_loglog(mass_mev: np.ndarray, eps: np.ndarray) -> np.ndarray:
    """Lower convex hull of the points (log m, log ε), evaluated back on ``mass_mev``.

    This is the smoothing of Bodas et al. Sec. 3.1.2 for BaBar ("neglect the statistical fluctuations …
    interpolating between the most constraining points"): the result is ≤ ε everywhere and touches it at the
    hull vertices.
    """
    x = np.log(np.asarray(mass_mev, float))
    y = np.log(np.asarray(eps, float))
    hull: list[int] = []
    for i in range(x.size):  # Andrew's monotone chain, lower part (one pass at load time)
        while len(hull) >= 2:
            a, b = hull[-2], hull[-1]
            cross = (x[b] - x[a]) * (y[i] - y[a]) - (y[b] - y[a]) * (x[i] - x[a])
            if cross <= 0:
                hull.pop()
            else:
                break
        hull.append(i)
    h = np.asarray(hull)
    return np.exp(np.interp(x, x[h], y[h]))


# ------------------------------------------------------------------------------------------ listing
def _display_path(path: Path) -> str:
    try:
        return path.relative_to(limits_dir()).as_posix()
    except ValueError:
        return str(path)


def curve_info(name: str) -> dict[str, Any]:
    """A JSON-ready summary of limit ``name`` (its curve is read for the mass range)."""
    e = entry(name)
    out: dict[str, Any] = {"name": e.name, "kind": e.kind, "category": e.category, "title": e.title}
    if isinstance(e, StatementMeta):
        out.update(
            reference=e.reference, arxiv=e.arxiv, inspire=e.inspire, implemented=e.implemented, notes=e.notes
        )
        out["mass_range_mev"] = list(e.mass_range_mev) if e.mass_range_mev else None
    else:
        base = base_curve(name)
        lo, hi = curve(name).mass_range_mev
        out.update(
            experiment=base.experiment,
            reference=base.reference,
            arxiv=base.arxiv,
            inspire=base.inspire,
            mass_range_mev=[lo, hi],
            numbers=_display_path(base.numbers_path),
        )
        if isinstance(e, VariantMeta):
            out["derived_from"] = e.derived_from
    out["file"] = _display_path(e.path)
    out["user"] = is_user(name)
    return out


def list_curves() -> list[str]:
    """One line per curve and variant (shipped and user): name, category, mass range [MeV], file."""
    out = []
    for e in entries():
        if isinstance(e, StatementMeta):
            continue
        info = curve_info(e.name)
        lo, hi = info["mass_range_mev"]
        tag = "  [user]" if info["user"] else ""
        out.append(f"{e.name:<24}{e.category:<12}{lo:10.4g} - {hi:<10.4g} MeV  {info['file']}{tag}")
    return out


def validate_folder(folder: str | Path) -> str:
    """Check a folder laid out like the shipped ``data/limits`` on its own (no user folders, no caches):
    every metadata file (schema, provenance), every curve (header, rows, masses, 0 < ε ≤ 1, agreement with
    its metadata), every variant built; every CSV has its metadata file. One summary line."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataFileError(str(folder), "limits folder not found (or not a folder)")
    cat = _discover([(folder, False)])
    n = 0
    for e in cat.entries.values():
        if isinstance(e, CurveMeta):
            c = read_curve(e.numbers_path)
            _check_against_header(e, c)
            n += 1
        elif isinstance(e, VariantMeta):
            base = cat.entries[e.derived_from]
            assert isinstance(base, CurveMeta)
            c = read_curve(base.numbers_path)
            c.with_eps_lower(lower_convex_hull_loglog(c.mass_mev, c.eps_lower), name=e.name)
    return f"limits: {len(cat.entries)} limit files, {n} curves"


def validate_all() -> list[str]:
    """Read every discovered limit file and its numbers, checked against each other; raises DataFileError on
    the first problem. Returns one line per file."""
    out = []
    for e in entries():
        if isinstance(e, StatementMeta):
            out.append(f"limits/{_display_path(e.path)}: statement")
            continue
        c = curve(e.name)
        where = _display_path(e.path)
        out.append(f"{'' if is_user(e.name) else 'limits/'}{where}: {len(c.mass_mev)} rows")
    return out


__all__ = [
    "LimitCurve",
    "Location",
    "ENV_VAR",
    "read_curve",
    "all_curve_files",
    "limit_files",
    "set_limits_path",
    "user_limit_folders",
    "reload",
    "on_reload",
    "entries",
    "entry",
    "base_curve",
    "is_user",
    "curve",
    "curve_info",
    "production_fractions",
    "t1_table",
    "list_curves",
    "validate_all",
    "validate_folder",
    "lower_convex_hull_loglog",
    "limits_dir",
    "SENTINEL_ANYWHERE",
    "SENTINEL_AT_ENDS",
    "R_VALUE_COLUMNS",
]

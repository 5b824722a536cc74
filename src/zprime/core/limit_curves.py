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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from zprime.core.errors import DataFileError, UnknownNameError
from zprime.core.yaml_io import read_yaml

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


def read_curve(path: str | Path) -> LimitCurve:
    """Read and validate one limit CSV. Errors name the file and the field."""
    path = Path(path)
    p = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(p, f"cannot read: {exc}") from exc
    meta, body = _parse_header(text.splitlines(), p)
    for key in REQUIRED_KEYS:
        if key not in meta:
            raise DataFileError(p, "missing header line '# " + key + ": ...'", field=key)
    columns = tuple(c.strip() for c in body[0].split(","))
    if columns not in (("mass_GeV", "eps_lower"), ("mass_GeV", "eps_lower", "eps_upper")):
        raise DataFileError(
            p, f"column header must be mass_GeV,eps_lower[,eps_upper]; got {body[0]!r}", field="columns"
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
    m = re.match(r"\s*(\d+)", meta["rows"])
    if m is None or int(m.group(1)) != data.shape[0]:
        raise DataFileError(
            p, f"header announces {meta['rows']!r} rows, file has {data.shape[0]}", field="rows"
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


def all_curve_files() -> list[Path]:
    """Every shipped CSV (visible, invisible, projections)."""
    root = limits_dir()
    return sorted(p for sub in ("visible", "invisible", "projections") for p in (root / sub).glob("*.csv"))


# --------------------------------------------------------------------------------------------- index
_PRODUCTION_TOKENS: dict[str, tuple[str, ...]] = {
    "e_e": ("e_e", "e+ e- -> gamma x"),
    "e_brem": ("e_brem", "bremsstrahlung"),
    "pi0_gamma": ("pi0_gamma", "pi0 -> gamma x"),
    "phi_eta": ("phi_eta", "phi -> eta x"),
}
_DECAY_TOKENS: dict[str, str] = {"ee": "e+e-", "mumu": "mu+mu-", "pipi": "pi+pi-", "invisible": "invisible"}
_CURVE_KEYS = {
    "name",
    "file",
    "experiment",
    "title",
    "reference",
    "arxiv",
    "production",
    "decay",
    "bound",
    "category",
    "cl",
    "lifetime",
    "reference_br",
    "notes",
}


def _check_entry(e: dict[str, Any], where: str) -> None:
    missing = {
        "name",
        "file",
        "experiment",
        "reference",
        "production",
        "decay",
        "bound",
        "category",
        "lifetime",
    } - set(e)
    if missing:
        raise DataFileError(where, "missing field", field=sorted(missing)[0])
    unknown = set(e) - _CURVE_KEYS
    if unknown:
        raise DataFileError(where, "unknown field", field=sorted(unknown)[0])
    if e["production"] not in _PRODUCTION_TOKENS:
        raise DataFileError(
            where,
            f"unknown production {e['production']!r}; allowed: {', '.join(_PRODUCTION_TOKENS)}",
            field=f"{e['name']}.production",
        )
    for d in e["decay"]:
        if d not in _DECAY_TOKENS:
            raise DataFileError(where, f"unknown decay {d!r}", field=f"{e['name']}.decay")
    if e["bound"] not in ("one_sided", "band"):
        raise DataFileError(where, "bound must be one_sided or band", field=f"{e['name']}.bound")
    if e["category"] not in ("current", "projection"):
        raise DataFileError(where, "category must be current or projection", field=f"{e['name']}.category")
    kind = e["lifetime"].get("kind")
    if kind not in ("prompt", "flight_length", "beam_dump"):
        raise DataFileError(where, f"unknown lifetime kind {kind!r}", field=f"{e['name']}.lifetime.kind")


def _check_against_header(e: dict[str, Any], c: LimitCurve) -> None:
    """The index entry must agree with the CSV header (production, decay, bound type, lifetime numbers)."""
    p = c.path
    prod = " ".join(v for k, v in c.metadata.items() if k.startswith("production")).lower()
    if not any(t in prod for t in _PRODUCTION_TOKENS[e["production"]]):
        raise DataFileError(
            p, f"index says production {e['production']!r}, header says {prod!r}", field="production"
        )
    dec = c.metadata["decay channel"].lower()
    for d in e["decay"]:
        if _DECAY_TOKENS[d] not in dec:
            raise DataFileError(p, f"index lists decay {d!r}, header says {dec!r}", field="decay channel")
    bound = c.metadata["bound type"].upper()
    if (e["bound"] == "band") != ("BAND" in bound) or (e["bound"] == "band") != c.is_band:
        raise DataFileError(p, f"index says bound {e['bound']!r}, header says {bound!r}", field="bound type")
    life = c.metadata["lifetime/efficiency window"]
    lt = e["lifetime"]
    if lt["kind"] == "beam_dump":
        m = re.search(r"lratio = L_decay/L_shield = ([\d.]+)/([\d.]+)", life)
        if (
            m is None
            or not np.isclose(float(m.group(1)), lt["l_decay_m"])
            or not np.isclose(float(m.group(2)), lt["l_shield_m"])
        ):
            raise DataFileError(
                p, f"beam-dump lengths do not match the header ({life!r})", field="lifetime/efficiency window"
            )
    elif lt["kind"] == "prompt":
        if "infinity" not in life:
            raise DataFileError(
                p, "index says prompt (t1 = infinity), header differs", field="lifetime/efficiency window"
            )
    else:
        m = re.search(r"t1 = ([\d.]+) m", life)
        if m is None or not np.isclose(float(m.group(1)), lt["length_m"]):
            raise DataFileError(
                p, "flight length does not match the header", field="lifetime/efficiency window"
            )
        b = lt["boost"]
        if b["kind"] == "two_body":
            need = [f"{b['parent_mass_mev'] / 1000:g}"]
            if b["recoil_mass_mev"] > 0:
                need.append(f"{b['recoil_mass_mev'] / 1000:g}")
        else:
            need = [f"{b['energy_mev'] / 1000:g} GeV"]
        for s in need:
            if s not in life:
                raise DataFileError(
                    p, f"boost parameter {s} not found in the header", field="lifetime/efficiency window"
                )


@lru_cache(maxsize=1)
def load_index() -> dict[str, Any]:
    """Read and validate ``data/limits/index.yaml`` (safe loader)."""
    path = limits_dir() / "index.yaml"
    where = str(path)
    raw = read_yaml(path)
    if not isinstance(raw, dict) or "curves" not in raw:
        raise DataFileError(where, "missing 'curves' list", field="curves")
    names: set[str] = set()
    for e in raw["curves"]:
        _check_entry(e, where)
        if e["name"] in names:
            raise DataFileError(where, "duplicate constraint name", field=e["name"])
        names.add(e["name"])
    for v in raw.get("variants", []):
        if v.get("base") not in names:
            raise DataFileError(
                where, f"variant base {v.get('base')!r} is not a curve", field=f"{v['name']}.base"
            )
        if v.get("transform") != "lower_convex_hull_loglog":
            raise DataFileError(where, "unknown transform", field=f"{v['name']}.transform")
    return raw


def index_entry(name: str) -> dict[str, Any]:
    """The index entry (curve, variant or statement) called ``name``."""
    idx = load_index()
    for group in ("curves", "variants", "statements"):
        for e in idx.get(group, []):
            if e["name"] == name:
                return e
    known = [e["name"] for g in ("curves", "variants", "statements") for e in idx.get(g, [])]
    raise UnknownNameError("limit curve", name, known)


@cache
def curve(name: str) -> LimitCurve:
    """The curve behind constraint ``name`` (validated against its index entry); variants are built."""
    e = index_entry(name)
    if "transform" in e:
        base = curve(e["base"])
        return base.with_eps_lower(lower_convex_hull_loglog(base.mass_mev, base.eps_lower), name=name)
    if "file" not in e:
        raise UnknownNameError("limit curve (statements have no curve)", name, [])
    c = read_curve(limits_dir() / e["file"])
    _check_against_header(e, c)
    return c


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


__all__ = [
    "LimitCurve",
    "Location",
    "read_curve",
    "all_curve_files",
    "load_index",
    "index_entry",
    "curve",
    "lower_convex_hull_loglog",
    "limits_dir",
    "SENTINEL_ANYWHERE",
    "SENTINEL_AT_ENDS",
]


def list_curves() -> list[str]:
    """One line per shipped curve: constraint name, category, mass range [MeV], file."""
    out = []
    for e in load_index()["curves"]:
        c = curve(e["name"])
        lo, hi = c.mass_range_mev
        cat = e.get("category", "current")
        out.append(f"{e['name']:<24}{cat:<12}{lo:10.4g} - {hi:<10.4g} MeV  {e['file']}")
    return out


def validate_all() -> list[str]:
    """Read every curve and check it against its index entry; raises DataFileError on the first problem."""
    listed = {e["file"] for e in load_index()["curves"]}
    out = []
    for e in load_index()["curves"]:
        c = curve(e["name"])
        out.append(f"limits/{e['file']}: {len(c.mass_mev)} rows")
    for path in all_curve_files():
        rel = path.relative_to(limits_dir()).as_posix()
        if rel not in listed:
            raise DataFileError(str(path), "curve file is not listed in limits/index.yaml", field="file")
    return out

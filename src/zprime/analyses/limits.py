"""Exclusion limits of any model: the excluded band of its overall coupling against the Z′ mass.

:func:`limits` turns every applicable constraint into a curve ``lower(m) ≤ g ≤ upper(m)`` of the model's
coupling parameter ``g`` (the other parameters fixed), and adds the g−2 preferred bands of the edition.

* Published dark-photon limits go through the one recast engine (:mod:`zprime.physics.recast`): for a model
  whose couplings are linear in ``g`` the band edges are solved directly on the curve's own mass knots
  (``Search.coupling_bounds``; Ilten, Soreq, Williams, Xue, arXiv:1801.04847, Sec. 2).
* Every other constraint (ν–e scattering, trident, Møller, cosmology, weak charges, ...), and a recast for a
  model with couplings affine in ``g`` (e.g. fixed kinetic mixing), is solved from its verdicts: the
  constraint is evaluated on a log grid of ``g`` at every mass, and each edge of the lowest excluded band is
  refined by bisection in log ``g`` to a relative precision of about 1e-7 (24 halvings of a grid step; the
  steps are evaluated a few calls at a time along paths predicted from the constraint's χ², with the same
  verdicts and so the same edges as one halving per call).
* The g−2 bands are the couplings for which Δa_ℓ(g) lies within nσ of the measured Δa_ℓ (Bodas, Coy, King,
  EPJC 81 (2021) 1065, Eq. (7)), solved the same way.

Masses are in MeV. No curve is reported outside its constraint's mass range.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np

from zprime.core.couplings import ALL_FIELDS, COUPLING_FIELDS, COUPLING_MAX, NU_R_FIELDS, Couplings
from zprime.core.errors import InputError
from zprime.core.measurements import EditionLike, edition_key, edition_name, latest_edition, load_edition
from zprime.physics.constraints import Constraint, EvalOptions, Status, select
from zprime.physics.models.base import Model, parse_flag
from zprime.physics.models.resolve import resolve
from zprime.physics.observables.g2 import delta_a
from zprime.physics.recast import hadronic_widths_for

#: Default mass range [MeV] and number of log-spaced masses of the common grid.
DEFAULT_MASS_RANGE_MEV: tuple[float, float] = (1.0, 1.0e4)
DEFAULT_POINTS = 400
#: Coupling grid: points per decade before the edges are refined, and bisection steps per edge.
GRID_PER_DECADE = 8
BISECTION_STEPS = 24

Kind = Literal["visible", "invisible", "other"]
_ARXIV = re.compile(r"arXiv:\s*([0-9]{4}\.[0-9]{4,5}|[a-z\-]+/[0-9]{7})", re.IGNORECASE)


# ------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class LimitCurve:
    """The excluded band ``lower ≤ g ≤ upper`` of one constraint (NaN lower: no bound; inf upper: excluded
    all the way up)."""

    name: str
    label: str
    experiment: str
    arxiv: str | None
    inspire: str
    related: tuple[str, ...]
    kind: Kind
    reference: str
    cl: float
    mass_mev: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    bibtex: str = ""
    measurements: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "experiment": self.experiment,
            "arxiv": self.arxiv,
            "inspire": self.inspire,
            "related": list(self.related),
            "kind": self.kind,
            "cl": self.cl,
            "mass_mev": _floats(self.mass_mev),
            "lower": _floats(self.lower),
            "upper": _floats(self.upper),
        }


@dataclass(frozen=True)
class G2Band:
    """Couplings for which Δa_ℓ is within ``sigma`` standard deviations of the measurement.

    ``low`` NaN with a finite ``high``: the band reaches down to zero coupling; both NaN: no coupling
    explains the measurement at that mass."""

    lepton: Literal["e", "mu"]
    ae: str | None
    sigma: int
    measurement: str
    measurement_key: str
    mass_mev: np.ndarray
    low: np.ndarray
    high: np.ndarray

    def to_dict(self) -> dict[str, Any]:
        return {
            "lepton": self.lepton,
            "ae": self.ae,
            "sigma": self.sigma,
            "measurement": self.measurement,
            "mass_mev": _floats(self.mass_mev),
            "low": _floats(self.low),
            "high": _floats(self.high),
        }


@dataclass(frozen=True)
class LimitSet:
    """Every curve of one model (see :func:`limits`)."""

    model: str
    coupling: str
    fixed: Mapping[str, float]
    edition: str
    edition_key: str
    curves: tuple[LimitCurve, ...]
    g2_bands: tuple[G2Band, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def fixed_text(self, labels: Mapping[str, str] | None = None) -> str:
        """The fixed parameters as "name = value, ..." (``labels`` renames them, e.g. to LaTeX); a value is a
        number or a word such as "loop"."""
        return ", ".join(f"{(labels or {}).get(k, k)} = {_fmt(v)}" for k, v in self.fixed.items())

    def citations(self) -> str:
        """BibTeX for everything these limits use: each curve's publication, the measurements behind the
        other constraints and the g−2 bands, the model's papers, the two seed papers of zprime, and
        DarkCast when a digitised dark-photon limit is used. Deduplicated, valid BibTeX."""
        from zprime.core import bibliography as bib
        from zprime.core.measurements import load_edition

        ed = load_edition(self.edition_key)
        keys = [m for c in self.curves for m in c.measurements] + [b.measurement_key for b in self.g2_bands]
        cites = bib.measurement_keys(ed[q] for q in dict.fromkeys(keys) if q in ed)
        cites += list(bib.MODEL_KEYS.get(self.model, ())) + list(bib.SEED_KEYS)
        if any(c.kind != "other" for c in self.curves):
            cites += list(bib.DARKCAST_KEYS)
        parts: dict[str, str] = {}
        for c in self.curves:
            for key, entry in bib.parse_bibtex(c.bibtex, c.name).items() if c.bibtex else ():
                parts.setdefault(key.lower(), entry)
        for key, entry in bib.parse_bibtex(bib.entries(cites)).items():
            parts.setdefault(key.lower(), entry)
        return "\n\n".join(parts.values()) + "\n"

    def __getitem__(self, name: str) -> LimitCurve:
        for c in self.curves:
            if c.name == name:
                return c
        raise KeyError(name)

    def names(self) -> list[str]:
        return [c.name for c in self.curves]

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``zprime limits --json``."""
        return {
            "model": self.model,
            "coupling": self.coupling,
            "fixed": dict(self.fixed),
            "edition": self.edition,
            "curves": [c.to_dict() for c in self.curves],
            "g2_bands": [b.to_dict() for b in self.g2_bands],
            "notes": list(self.notes),
        }

    def envelope(self, mass_mev: Sequence[float] | np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(masses, strongest lower bound at each mass) over every curve, interpolated in log–log on each
        curve's own masses and never beyond its range (NaN where no curve applies)."""
        m = _union_masses(self.curves) if mass_mev is None else np.asarray(mass_mev, float)
        best = np.full(m.shape, np.inf)
        for c in self.curves:
            best = np.fmin(best, _interp_loglog(m, c.mass_mev, c.lower))
        return m, np.where(np.isfinite(best), best, np.nan)

    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """The exclusion plot (see :func:`zprime.analyses.limits_plot.plot`); returns the axes."""
        from zprime.analyses.limits_plot import plot

        return plot(self, ax, **kwargs)

    def to_dataframe(self) -> Any:
        """Tidy table: one row per curve and mass (columns name, label, experiment, kind, mass_mev, lower,
        upper)."""
        import pandas as pd

        rows = []
        for c in self.curves:
            for m, lo, hi in zip(c.mass_mev, c.lower, c.upper, strict=True):
                rows.append((c.name, c.label, c.experiment, c.kind, m, lo, hi))
        return pd.DataFrame(
            rows, columns=["name", "label", "experiment", "kind", "mass_mev", "lower", "upper"]
        )

    def to_xarray(self) -> Any:
        """One Dataset: per curve ``lower__NAME``/``upper__NAME`` on its own mass dimension, per g−2 band
        ``g2_low__...``/``g2_high__...``; metadata in attributes."""
        import xarray as xr

        ds = xr.Dataset(
            attrs={
                "model": self.model,
                "coupling": self.coupling,
                "edition": self.edition,
                "fixed": str(dict(self.fixed)),
            }
        )
        for c in self.curves:
            dim = f"mass_mev__{c.name}"
            attrs = {"label": c.label, "experiment": c.experiment, "arxiv": c.arxiv or "", "kind": c.kind}
            ds[f"lower__{c.name}"] = xr.DataArray(c.lower, dims=[dim], coords={dim: c.mass_mev}, attrs=attrs)
            ds[f"upper__{c.name}"] = xr.DataArray(c.upper, dims=[dim], coords={dim: c.mass_mev}, attrs=attrs)
        for b in self.g2_bands:
            key = f"{b.lepton}_{b.ae or 'na'}_{b.sigma}sigma"
            dim = "mass_mev__g2"
            ds[f"g2_low__{key}"] = xr.DataArray(b.low, dims=[dim], coords={dim: b.mass_mev})
            ds[f"g2_high__{key}"] = xr.DataArray(b.high, dims=[dim], coords={dim: b.mass_mev})
        return ds

    def _repr_html_(self) -> str:
        head = (
            f"<p><b>{self.model}</b>: limits on <code>{self.coupling}</code>, edition {self.edition}"
            f"{', ' + self.fixed_text() if self.fixed else ''}</p>"
        )
        rows = "".join(
            f"<tr><td>{c.label}</td><td>{c.experiment}</td><td>{_arxiv_link(c.arxiv)}</td>"
            f"<td>{c.kind}</td><td>{c.mass_mev.min():.3g}–{c.mass_mev.max():.3g}</td>"
            f"<td>{c.cl:.0%}</td></tr>"
            for c in self.curves
        )
        return (
            head + "<table><thead><tr><th>limit</th><th>experiment</th><th>arXiv</th><th>kind</th>"
            "<th>mass range [MeV]</th><th>CL</th></tr></thead><tbody>" + rows + "</tbody></table>"
        )


# ------------------------------------------------------------------------------------------ the API
def limits(
    model: str | Model | Path,
    *,
    edition: EditionLike = None,
    mass_mev: Sequence[float] | np.ndarray | None = None,
    mass_range_mev: tuple[float, float] = DEFAULT_MASS_RANGE_MEV,
    points: int = DEFAULT_POINTS,
    only: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    coupling: str | None = None,
    **fixed: float,
) -> LimitSet:
    """Excluded bands of ``model``'s coupling against the Z′ mass, for every applicable constraint.

    ``edition``: measurements (default: the latest shipped edition). ``model``: a registered name, a
    :class:`Model`, or a path to a YAML charge file. ``coupling``: the
    parameter to bound (default: the model's first parameter after the mass). ``fixed``: values of the other
    parameters (default: the model's own default, such as the B boson's ``eps="loop"``, else 0 where 0 is
    allowed, e.g. kinetic mixing) and the model's on/off options (``nu_r=True``: light Dirac ν_R). The
    result's ``notes`` state the neutrino convention: left-handed only, or light Dirac ν_R included.
    Masses: ``mass_mev`` (exactly these), or
    ``points`` log-spaced masses over ``mass_range_mev`` (default 400 from 1 MeV to 10 GeV) together with
    each published curve's own masses in that range, so that every feature of a curve survives.
    """
    mdl = resolve(model)
    g_name, fixed_vals = _coupling_and_fixed(mdl, coupling, fixed)
    g_param = mdl.parameter(g_name)
    g_lo = g_param.lo if g_param.lo > 0 else 1e-9
    g_grid = np.geomspace(g_lo, g_param.hi, int(np.ceil(np.log10(g_param.hi / g_lo) * GRID_PER_DECADE)) + 1)
    m_common = _mass_grid(mass_mev, mass_range_mev, points)
    mass_param = mdl.parameter("mass_mev")
    m_common = m_common[(m_common >= mass_param.lo) & (m_common <= mass_param.hi)]
    edition = latest_edition() if edition is None else edition
    opts = EvalOptions(edition=edition)
    hadronic = hadronic_widths_for(edition)
    chosen = select(only=list(only) if only else None, exclude=exclude)

    def couplings(m: np.ndarray, g: np.ndarray) -> Couplings:
        return mdl.couplings(mass_mev=m, **{g_name: g}, **fixed_vals)

    direction = _linear_direction(couplings, g_param.hi)
    if direction is not None and not _recastable(direction):
        direction = None  # evaluated point by point below (same physics, slower)
    found: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
    metas: dict[str, dict[str, Any]] = {}
    pending: list[tuple[Constraint, np.ndarray, list[_Task], np.ndarray]] = []
    recasts: list[tuple[str, str, np.ndarray]] = []  # (constraint, search, masses): solved together below
    grids: dict[bytes, Couplings] = {}  # the coupling grid of each mass set (shared by the constraints)
    ng = g_grid.size
    for k in chosen:
        meta = metas[k.name] = curve_metadata(k, edition)
        masses = _masses_for(k, meta, m_common, mass_mev is None, mass_param)
        if masses.size == 0:
            continue
        if meta.get("search") is not None and direction is not None:
            recasts.append((k.name, meta["search"].name, masses))
            continue
        else:  # first_band, with the grid shared and the bisections of all constraints below in lockstep
            key = masses.tobytes()
            if key not in grids:
                grids[key] = couplings(np.repeat(masses, ng), np.tile(g_grid, masses.size))
            res = k.evaluate(grids[key], opts)
            ins = (res.status == Status.EXCLUDED).reshape(masses.size, ng)
            lower, upper, tasks = _grid_edges(ins, g_grid)
            if tasks:
                pending.append((k, masses, tasks, np.reshape(res.chi2, (masses.size, ng))))
        found[k.name] = (masses, lower, upper)
    _bisect_lockstep(pending, couplings, opts, g_grid)
    if recasts:
        for (name, _, masses), (lower, upper) in zip(
            recasts,
            _recast_bands([r[1] for r in recasts], [r[2] for r in recasts], direction, hadronic),
            strict=True,
        ):
            found[name] = (masses, lower, upper)
    curves = []
    for k in chosen:
        if k.name not in found:
            continue
        meta = metas[k.name]
        masses, lower, upper = found[k.name]
        fin = np.flatnonzero(np.isfinite(lower))
        if fin.size == 0:
            continue
        keep = slice(fin[0], fin[-1] + 1)  # drop the masses before the first and after the last bound
        masses, lower, upper = masses[keep], lower[keep], upper[keep]
        curves.append(
            LimitCurve(
                name=k.name,
                label=meta["label"],
                experiment=meta["experiment"],
                arxiv=meta["arxiv"],
                inspire=meta["inspire"],
                related=meta["related"],
                kind=meta["kind"],
                reference=k.reference,
                cl=k.cl,
                mass_mev=masses,
                lower=lower,
                upper=upper,
                bibtex=meta["bibtex"],
                measurements=k.measurements,
            )
        )
    bands = g2_bands(couplings, m_common, g_grid, edition, grids.get(m_common.tobytes()))
    return LimitSet(
        mdl.name,
        g_name,
        dict(fixed_vals),
        edition_name(edition),
        edition_key(edition),
        tuple(curves),
        tuple(bands),
        (_neutrino_note(couplings, g_param.hi),),
    )


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"  # a model option such as nu_r
    return v if isinstance(v, str) else format(v, "g")


def _coupling_and_fixed(mdl: Model, coupling: str | None, fixed: Mapping[str, float]) -> tuple[str, dict]:
    others = [p for p in mdl.parameters if p.name != "mass_mev"]
    if not others:
        raise InputError("model", f"model '{mdl.name}' has no coupling parameter")
    g_name = coupling or getattr(mdl, "coupling_parameter", None) or others[0].name
    mdl.parameter(g_name)
    for name in fixed:
        if name in (g_name, "mass_mev"):
            raise InputError(name, f"is scanned by limits; fix only the other parameters of '{mdl.name}'")
        if name not in mdl.flags:
            mdl.parameter(name)
    vals: dict[str, Any] = {}
    for p in others:
        if p.name == g_name:
            continue
        value = fixed[p.name] if p.name in fixed else mdl.defaults.get(p.name)
        if value == "loop" and p.name in mdl.loop_parameters:
            vals[p.name] = "loop"  # loop-induced kinetic mixing (models.u1.loop_kinetic_mixing)
        elif value is not None:
            vals[p.name] = float(mdl._check(p, value))
        elif p.scale == "symlog" or p.lo <= 0.0 <= p.hi:
            vals[p.name] = 0.0
        else:
            raise InputError(p.name, f"needs a value for model '{mdl.name}' (allowed [{p.lo:g}, {p.hi:g}])")
    for f in mdl.flags:
        if f in fixed:
            vals[f] = parse_flag(f, fixed[f])  # a model option (e.g. nu_r), given only when set
    return g_name, vals


#: The two neutrino conventions a LimitSet states (widths count ν_R only when a model couples to them)
NU_LEFT_ONLY = "neutrinos: left-handed only (Gamma(Z' -> nu nubar) = C_nu^2 m/(24 pi) per flavour)"
NU_DIRAC_R = (
    "neutrinos: light Dirac nu_R included (Gamma(Z' -> nu nubar) = (C_nu^2 + C_nuR^2) m/(24 pi) per flavour)"
)


def _neutrino_note(couplings: Callable[[np.ndarray, np.ndarray], Couplings], g_hi: float) -> str:
    """Which neutrino convention the model's couplings use: light ν_R couple or not (probed at two points)."""
    probe = couplings(np.array([1.0, 1e3]), np.array([min(1e-3, g_hi)]))
    return NU_DIRAC_R if any(np.any(getattr(probe, f)) for f in NU_R_FIELDS) else NU_LEFT_ONLY


def _mass_grid(
    mass_mev: Sequence[float] | np.ndarray | None, mass_range_mev: tuple[float, float], points: int
) -> np.ndarray:
    if mass_mev is None:
        lo, hi = (float(x) for x in mass_range_mev)
        if not (np.isfinite(lo) and np.isfinite(hi) and 0 < lo < hi):
            raise InputError("mass_range_mev", f"must be 0 < LO < HI (MeV), got {lo:g}:{hi:g}")
        if not 2 <= int(points) <= 100_000:
            raise InputError("points", f"must be between 2 and 100000, got {points}")
        return np.geomspace(lo, hi, int(points))
    m = np.unique(np.asarray(mass_mev, dtype=float).ravel())
    if m.size == 0 or not np.all(np.isfinite(m)) or np.any(m <= 0):
        raise InputError("mass_mev", "must be positive, finite masses in MeV")
    return m


def _masses_for(
    k: Constraint, meta: Mapping[str, Any], common: np.ndarray, default_grid: bool, mass_param: Any
) -> np.ndarray:
    """The masses of one curve: the common grid inside the constraint's range, plus (default grid only) the
    published curve's own knots inside the requested range."""
    lo, hi = k.mass_range_mev
    m = common[(common >= lo) & (common <= hi)]
    s = meta.get("search")
    if default_grid and s is not None and common.size:
        knots = s.curve.mass_mev
        knots = knots[(knots >= max(common[0], mass_param.lo)) & (knots <= min(common[-1], mass_param.hi))]
        m = np.union1d(m, knots)
    return m


def _linear_direction(
    couplings: Callable[[np.ndarray, np.ndarray], Couplings], g_hi: float
) -> Mapping[str, float] | None:
    """Couplings per unit g when they are linear in g (checked at three scales), else None."""
    m = np.array([1.0])
    probes = [couplings(m, np.array([g])) for g in (1e-6, 1e-4, min(1e-2, g_hi))]
    d = {f: _first(probes[0], f) / 1e-6 for f in COUPLING_FIELDS}
    if not any(d.values()):
        return None
    for c, g in zip(probes[1:], (1e-4, min(1e-2, g_hi)), strict=True):
        for f in COUPLING_FIELDS:
            if not np.isclose(_first(c, f), d[f] * g, rtol=1e-9, atol=0.0):
                return None
    # the mass may enter (Z–Z′ mixing): check a heavier point too
    heavy = couplings(np.array([1e4]), np.array([1e-6]))
    for f in COUPLING_FIELDS:
        if not np.isclose(_first(heavy, f) / 1e-6, d[f], rtol=1e-6, atol=0.0):
            return None
    return d


def _recastable(direction: Mapping[str, float]) -> bool:
    """Whether the recast engine can take ``direction`` whole: it rescales a direction to unit electron
    coupling √(C_Ve² + C_Ae²) (:func:`zprime.physics.recast.excluded_band`), and the rescaled couplings must stay
    perturbative (|C| ≤ 4π). A model whose electron coupling is tiny next to the others, such as the B boson
    (quarks g′/3, electron g′e²/(4π)²), is evaluated point by point instead."""
    ne = float(np.hypot(direction["c_ve"], direction["c_ae"]))
    return ne == 0.0 or max(abs(v) for v in direction.values()) <= COUPLING_MAX * ne


def _first(c: Couplings, f: str) -> float:
    return float(np.ravel(getattr(c, f))[0])


def _recast_bands(
    names: list[str], masses: list[np.ndarray], direction: Mapping[str, float], hadronic: bool = False
) -> list[tuple[np.ndarray, np.ndarray]]:
    """Band edges in g of several searches from the recast engine (couplings = g · direction; ``hadronic``: the
    edition's recast widths; their root finding done together)."""
    from zprime.physics import recast

    out = []
    for b in recast.excluded_bands(names, masses, direction, scale="direction", hadronic=hadronic):
        lower = np.asarray(b.lower, float)
        out.append((lower, np.where(np.isfinite(lower), np.asarray(b.upper, float), np.nan)))
    return out


def first_band(
    inside: Callable[[np.ndarray, np.ndarray], np.ndarray],
    mass_mev: np.ndarray,
    g_grid: np.ndarray,
    steps: int = BISECTION_STEPS,
) -> tuple[np.ndarray, np.ndarray]:
    """Edges of the lowest interval of ``g_grid`` where ``inside(m, g)`` holds, at each mass.

    ``inside`` takes flat arrays of masses and couplings and returns booleans. Lower edge NaN: nowhere
    inside; lower = g_grid[0]: inside already at the bottom of the grid; upper inf: inside up to the top.
    Each edge is refined by ``steps`` bisections in log g between its two grid neighbours.
    """
    m = np.asarray(mass_mev, float)
    nm, ng = m.size, g_grid.size
    ins = np.asarray(inside(np.repeat(m, ng), np.tile(g_grid, nm)), bool).reshape(nm, ng)
    lower, upper, tasks = _grid_edges(ins, g_grid)
    for out, sel, lo, hi, rising in tasks:
        out[sel] = _bisect(inside, m[sel], lo, hi, steps, rising=rising)
    return lower, upper


_Task = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool]


def _grid_edges(ins: np.ndarray, g_grid: np.ndarray) -> tuple[np.ndarray, np.ndarray, list[_Task]]:
    """:func:`first_band` on the grid verdicts ``ins`` (masses × couplings): (lower, upper, tasks), each
    task (edge array, mass indices, g below, g above, rising) an edge still to refine by bisection."""
    nm, ng = ins.shape
    has = ins.any(axis=1)
    i = np.argmax(ins, axis=1)
    after = ~ins & (np.arange(ng)[None, :] > i[:, None])
    closes = has & after.any(axis=1)
    j = np.argmax(after, axis=1)
    lower = np.full(nm, np.nan)
    upper = np.full(nm, np.nan)
    at_bottom = has & (i == 0)
    lower[at_bottom] = g_grid[0]
    tasks: list[_Task] = []
    sel = np.flatnonzero(has & (i > 0))
    if sel.size:
        tasks.append((lower, sel, g_grid[i[sel] - 1], g_grid[i[sel]], True))
    upper[has & ~closes] = np.inf
    sel = np.flatnonzero(closes)
    if sel.size:
        tasks.append((upper, sel, g_grid[j[sel] - 1], g_grid[j[sel]], False))
    return lower, upper, tasks


def _bisect(
    inside: Callable[[np.ndarray, np.ndarray], np.ndarray],
    m: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    steps: int,
    rising: bool | np.ndarray,
) -> np.ndarray:
    """Edge between ``lo`` and ``hi`` (outside→inside when ``rising``, else inside→outside), in log g;
    ``rising`` may be an array (one direction per point)."""
    a, b = np.log(lo), np.log(hi)
    for _ in range(steps):
        mid = 0.5 * (a + b)
        ins = np.asarray(inside(m, np.exp(mid)), bool)
        go_down = ins if rising is True else ~ins if rising is False else np.where(rising, ins, ~ins)
        b = np.where(go_down, mid, b)
        a = np.where(go_down, a, mid)
    return np.exp(0.5 * (a + b))


def _chi2_margin(chi2: np.ndarray, k: Constraint, opts: EvalOptions) -> np.ndarray:
    """log(χ²/t), t = χ²₁(CL) of ``k``: positive where the χ² rules of
    :mod:`zprime.physics.constraints.base` exclude (a hint for :func:`_refine` only; NaN where unusable)."""
    from zprime.physics.constraints.base import chi2_threshold

    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(np.ravel(chi2) / chi2_threshold(k._cl(opts)))


#: Levels of the bisection tree evaluated per call for an edge without a usable margin (:func:`_refine`)
TREE_LEVELS = 5


def _refine(
    evaluate: Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    a: np.ndarray,
    b: np.ndarray,
    rising: np.ndarray,
    fa: np.ndarray,
    fb: np.ndarray,
    steps: int = BISECTION_STEPS,
    guess: np.ndarray | None = None,
) -> np.ndarray:
    """The bisection of :func:`_bisect` (``steps`` halvings of [a, b] in log g; outside→inside where
    ``rising``, else inside→outside), the same arithmetic and so the same edges, in a few calls.

    ``evaluate(idx, x)`` answers (inside, margin) of the points ``idx`` at log g ``x``; the margin (NaN where
    unknown) is a continuous hint, positive where inside, with ``fa``/``fb`` its values at the ends. Where the
    margins at the ends agree with the verdicts, the edge is predicted at the margin's regula-falsi root and
    the midpoints of every remaining bisection step towards it are evaluated in one call; the bisection
    follows the prediction up to the first step whose verdict disagrees, and goes on from there (a margin
    linear in log g, as log(value/limit) of a power law, needs one call, a smooth one two or three).
    Elsewhere every midpoint the next :data:`TREE_LEVELS` steps could visit is evaluated in one call. The
    verdicts alone decide every step: the margin only saves calls. ``guess``: a better first prediction
    (log g, e.g. from more margins; NaN or outside (a, b): none).
    """
    a, b = np.array(a, float), np.array(b, float)
    first = np.full(a.size, np.nan) if guess is None else np.asarray(guess, float)
    fa, fb = np.array(fa, float), np.array(fb, float)
    rising = np.asarray(rising, bool)
    done = np.zeros(a.size, int)  # bisection steps taken
    c, fc = np.full(a.size, np.nan), np.full(a.size, np.nan)
    cap = np.full(a.size, steps)  # most path steps evaluated per call
    while True:
        act = np.flatnonzero(done < steps)
        if act.size == 0:
            return np.exp(0.5 * (a + b))
        ga, gb, up = fa[act], fb[act], rising[act]
        good = np.isfinite(ga) & np.isfinite(gb) & ((ga > 0) != up) & ((gb > 0) == up)
        path, tree = act[good], act[~good]
        # the predicted path of each edge with a margin
        aa, bb, ga, gb = a[path], b[path], fa[path], fb[path]
        r = aa + (bb - aa) * ga / (ga - gb)
        xc, gc = c[path], fc[path]  # the end replaced last: inverse quadratic interpolation through three
        with np.errstate(divide="ignore", invalid="ignore"):
            iqi = (
                aa * gb * gc / ((ga - gb) * (ga - gc))
                + bb * ga * gc / ((gb - ga) * (gb - gc))
                + xc * ga * gb / ((gc - ga) * (gc - gb))
            )
        g0 = np.where(done[path] == 0, first[path], iqi)
        use = (g0 > aa) & (g0 < bb)
        todo = steps - done[path]
        # with a guess, its distance from the secant root bounds how far the path can be trusted
        with np.errstate(divide="ignore"):
            trust = np.ceil(np.log2((bb - aa) / (0.01 * np.abs(g0 - r)))) + 1
        todo = np.where(use & (trust < todo), np.maximum(trust, 1), todo).astype(int)
        todo = np.minimum(todo, cap[path])  # after a miss, at most about twice the steps that held
        r = np.where(use, g0, r)
        k = int(todo.max()) if path.size else 0
        mids = np.empty((k, path.size))
        down = np.empty((k, path.size), bool)  # predicted: the edge lies below the midpoint
        pa, pb = aa, bb
        for j in range(k):
            mid = 0.5 * (pa + pb)
            mids[j], down[j] = mid, r < mid
            pb = np.where(down[j], mid, pb)
            pa = np.where(down[j], pa, mid)
        live = np.arange(k)[:, None] < todo[None, :]
        col = np.broadcast_to(np.arange(path.size), (k, path.size))[live]
        # the bisection tree of each edge without one: level l holds the 2^l midpoints it may visit
        levels = min(TREE_LEVELS, int((steps - done[tree]).max())) if tree.size else 0
        lo, hi = a[tree][:, None], b[tree][:, None]
        nodes = []
        for _ in range(levels):
            mid = 0.5 * (lo + hi)
            nodes.append(mid)
            lo = np.stack([lo, mid], axis=2).reshape(tree.size, -1)
            hi = np.stack([mid, hi], axis=2).reshape(tree.size, -1)
        flat = np.concatenate(nodes, axis=1) if nodes else np.zeros((tree.size, 0))
        ins_all, f_all = evaluate(
            np.concatenate([path[col], np.repeat(tree, flat.shape[1])]),
            np.concatenate([mids[live], flat.ravel()]),
        )
        n_path = col.size
        # walk the path up to the first step whose verdict disagrees with the prediction
        ins = np.zeros((k, path.size), bool)
        f = np.full((k, path.size), np.nan)
        ins[live], f[live] = ins_all[:n_path], f_all[:n_path]
        go_down = ins == rising[path][None, :]  # the bisection's step: inside on the rising side → edge below
        wrong = live & (go_down != down)
        stop = np.where(wrong.any(axis=0), np.argmax(wrong, axis=0) if k else 0, todo - 1)  # last step taken
        xc, gc = c[path], fc[path]
        for j in range(k):
            take = j <= stop
            dec = np.where(j == stop, go_down[j], down[j])
            xc = np.where(take, np.where(dec, bb, aa), xc)
            gc = np.where(take, np.where(dec, gb, ga), gc)
            bb = np.where(take & dec, mids[j], bb)
            gb = np.where(take & dec, f[j], gb)
            aa = np.where(take & ~dec, mids[j], aa)
            ga = np.where(take & ~dec, f[j], ga)
        a[path], b[path], fa[path], fb[path], c[path], fc[path] = aa, bb, ga, gb, xc, gc
        done[path] += stop + 1
        cap[path] = np.where(wrong.any(axis=0), 2 * stop + 4, steps) if k else steps
        # walk the trees
        ins_t = ins_all[n_path:].reshape(tree.size, flat.shape[1])
        f_t = f_all[n_path:].reshape(tree.size, flat.shape[1])
        aa, bb, ga, gb, up = a[tree], b[tree], fa[tree], fb[tree], rising[tree]
        take_n = np.minimum(levels, steps - done[tree])
        pos = np.zeros(tree.size, int)
        rows = np.arange(tree.size)
        for lev in range(levels):
            node = (1 << lev) - 1 + pos
            dec = ins_t[rows, node] == up
            mid, fm = flat[rows, node], f_t[rows, node]
            take = lev < take_n
            bb = np.where(take & dec, mid, bb)
            gb = np.where(take & dec, fm, gb)
            aa = np.where(take & ~dec, mid, aa)
            ga = np.where(take & ~dec, fm, ga)
            pos = 2 * pos + ~dec
        a[tree], b[tree], fa[tree], fb[tree] = aa, bb, ga, gb
        done[tree] += take_n


def _inverse_cubic(xs: np.ndarray, fs: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """Root of the margins ``fs`` at the four grid points ``xs`` (rows) around an edge, from the cubic x(f)
    through them (inverse interpolation); NaN where not ``ok`` or the margins are not finite and monotone."""
    with np.errstate(invalid="ignore"):
        d = np.diff(fs, axis=1)
    ok = ok & np.all(np.isfinite(fs), axis=1) & (np.all(d > 0, axis=1) | np.all(d < 0, axis=1))
    root = np.zeros(ok.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(4):
            w = np.ones(ok.size)
            for k in range(4):
                if k != i:
                    w *= -fs[:, k] / (fs[:, i] - fs[:, k])
            root += w * xs[:, i]
    return np.where(ok, root, np.nan)


def _bisect_lockstep(
    pending: list[tuple[Constraint, np.ndarray, list[_Task], np.ndarray]],
    couplings: Callable[[np.ndarray, np.ndarray], Couplings],
    opts: EvalOptions,
    g_grid: np.ndarray,
    steps: int = BISECTION_STEPS,
) -> None:
    """The edges of :func:`first_band`, the same numbers, by :func:`_refine` (margin log(χ²/t); first
    prediction from the grid's margins around the edge) for every constraint's edges at once: one Couplings
    per call for all, each constraint evaluated on its own contiguous part (a constraint's verdict at a
    point depends on that point only). ``pending``: (constraint, masses, tasks, χ² on the grid); writes the
    edges into the tasks' arrays."""
    if not pending:
        return
    parts = [(k, t, masses[t[1]], chi2) for k, masses, tasks, chi2 in pending for t in tasks]
    m = np.concatenate([p[2] for p in parts])
    ends = []
    lg = np.log(g_grid)
    around = np.arange(-1, 3)
    for k, t, _, chi2 in parts:
        j = np.searchsorted(g_grid, t[2])  # t[2] = g_grid[j], t[3] = g_grid[j + 1]
        idx = np.clip(j[:, None] + around, 0, g_grid.size - 1)  # the grid points j − 1 … j + 2
        f = _chi2_margin(chi2[t[1][:, None], idx], k, opts).reshape(idx.shape)
        ok = (j >= 1) & (j + 2 < g_grid.size)
        ends.append((f[:, 1], f[:, 2], _inverse_cubic(lg[idx], f, ok)))
    a = np.log(np.concatenate([p[1][2] for p in parts]))
    b = np.log(np.concatenate([p[1][3] for p in parts]))
    rising = np.concatenate([np.full(p[2].size, p[1][4]) for p in parts])
    bounds = np.cumsum([0] + [p[2].size for p in parts])
    # consecutive tasks of one constraint are evaluated together
    runs: list[tuple[Constraint, int, int]] = []
    for i, (k, _, _, _) in enumerate(parts):
        if runs and runs[-1][0] is k:
            runs[-1] = (k, runs[-1][1], int(bounds[i + 1]))
        else:
            runs.append((k, int(bounds[i]), int(bounds[i + 1])))
    starts = np.array([r[1] for r in runs] + [m.size])

    def evaluate(idx: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(idx, kind="stable")  # grouped by constraint
        ii = idx[order]
        c = couplings(m[ii], np.exp(x[order]))
        flat = {f: getattr(c, f) for f in ALL_FIELDS}
        cuts = np.searchsorted(ii, starts)
        ins = np.empty(ii.size, bool)
        margin = np.empty(ii.size)
        for (k, _, _), s0, s1 in zip(runs, cuts[:-1], cuts[1:], strict=True):
            if s1 > s0:
                res = k.evaluate(c if (s0, s1) == (0, ii.size) else _part(flat, s0, s1), opts)
                ins[s0:s1] = res.status == Status.EXCLUDED
                margin[s0:s1] = _chi2_margin(res.chi2, k, opts)
        out_ins, out_margin = np.empty_like(ins), np.empty_like(margin)
        out_ins[order], out_margin[order] = ins, margin
        return out_ins, out_margin

    fa = np.concatenate([e[0] for e in ends])
    fb = np.concatenate([e[1] for e in ends])
    guess = np.concatenate([e[2] for e in ends])
    edge = _refine(evaluate, a, b, rising, fa, fb, steps, guess)
    for i, (_, t, _, _) in enumerate(parts):
        t[0][t[1]] = edge[bounds[i] : bounds[i + 1]]


def _part(flat: dict[str, np.ndarray], i0: int, i1: int) -> Couplings:
    """The Couplings of the flat points i0:i1 (fields that are scalars stay scalars)."""
    shape = np.broadcast_shapes(*(v.shape for v in flat.values()))
    return Couplings(
        **{
            f: v if v.ndim == 0 else (v if v.shape == shape else np.broadcast_to(v, shape))[i0:i1]
            for f, v in flat.items()
        }
    )


def g2_bands(
    couplings: Callable[[np.ndarray, np.ndarray], Couplings],
    mass_mev: np.ndarray,
    g_grid: np.ndarray,
    edition: str,
    grid: Couplings | None = None,
) -> list[G2Band]:
    """1σ and 2σ bands of Δa_e (each a_e determination of the edition) and Δa_μ.

    The band is entered where Δa_ℓ(g) first reaches the near edge of [x − nσ, x + nσ] and left where it
    passes the far edge; which edge is near follows from the sign of Δa_ℓ at the top of the grid (vector
    couplings raise a_ℓ, axial ones lower it). Crossings are found as sign changes on the grid, so a band
    narrower than a grid step is not missed.

    Every band edge is found as by :func:`first_band` (the same grid and bisection steps, so the same
    numbers); since Δa_ℓ at a point depends on that point only, the grid is evaluated once for all bands and
    the bisections of all bands advance together (:func:`_refine`, margin: the arcsinh-scaled distance of
    Δa_ℓ from the threshold), one Couplings per call and lepton. ``grid``: the couplings of that
    grid (masses repeated, couplings tiled), when the caller has them already.
    """
    ed = load_edition(edition)
    cases: list[tuple[Literal["e", "mu"], str | None, str]] = [
        ("e", key.removeprefix("delta_a_e_"), key)
        for key in sorted(ed.measurements)
        if key.startswith("delta_a_e_")
    ]
    if "delta_a_mu" in ed:
        cases.append(("mu", None, "delta_a_mu"))
    m = np.asarray(mass_mev, float)
    nm, ng = m.size, g_grid.size
    g_top = g_grid[-1]
    leptons: tuple[Literal["e", "mu"], ...] = tuple(dict.fromkeys(lep for lep, _, _ in cases))

    def delta(mm: np.ndarray, gg: np.ndarray) -> dict[str, np.ndarray]:
        c = couplings(mm, gg)
        return {lep: np.asarray(delta_a(c, lep), float) for lep in leptons}

    # sign of Δa_ℓ at the top of the grid, per mass (``rising`` of each band)
    top = delta(m, np.full(m.shape, g_top)) if nm else {lep: np.zeros(0) for lep in leptons}
    rise = {lep: top[lep] >= 0.0 for lep in leptons}
    # (lepton, lo_v, hi_v, enters): each band needs the edge where it is entered and the one where it is left
    problems = []
    for lepton, _, key in cases:
        x = ed[key]
        for n in (1, 2):
            lo_v, hi_v = x.value - n * x.uncertainty, x.value + n * x.uncertainty
            problems += [(lepton, lo_v, hi_v, True), (lepton, lo_v, hi_v, False)]

    def verdict(da: np.ndarray, up: np.ndarray, lo_v: Any, hi_v: Any, enters: Any) -> np.ndarray:
        if not isinstance(enters, np.ndarray):  # one problem: only its own comparison
            return np.where(up, da >= lo_v, da <= hi_v) if enters else np.where(up, da > hi_v, da < lo_v)
        entered = np.where(up, da >= lo_v, da <= hi_v)
        left = np.where(up, da > hi_v, da < lo_v)
        return np.where(enters, entered, left)

    if grid is not None:
        da_grid = {lep: np.asarray(delta_a(grid, lep), float) for lep in leptons}
    elif nm:
        da_grid = delta(np.repeat(m, ng), np.tile(g_grid, nm))
    else:
        da_grid = {lep: np.zeros(0) for lep in leptons}
    edges = []
    tasks: list[tuple[int, _Task]] = []
    rise_grid = {lep: np.repeat(rise[lep], ng) for lep in leptons}
    for p, (lepton, lo_v, hi_v, enters) in enumerate(problems):
        ins = verdict(da_grid[lepton], rise_grid[lepton], lo_v, hi_v, enters).reshape(nm, ng)
        lower, upper, todo = _grid_edges(ins, g_grid)
        edges.append(lower)
        tasks += [(p, t) for t in todo if t[0] is lower]  # the bands use the lower edges only
    if tasks:
        # all bisections in lockstep: per point its mass, problem and direction
        sel = np.concatenate([t[1] for _, t in tasks])
        pid = np.concatenate([np.full(t[1].size, p) for p, t in tasks])
        lep_e = np.array([problems[p][0] == "e" for p in range(len(problems))])[pid]
        up = np.where(lep_e, rise.get("e", np.zeros(nm, bool))[sel], rise.get("mu", np.zeros(nm, bool))[sel])
        lo_v = np.array([q[1] for q in problems])[pid]
        hi_v = np.array([q[2] for q in problems])[pid]
        ent = np.array([q[3] for q in problems])[pid]

        ms = m[sel]
        thr = np.where(ent == up, lo_v, hi_v)  # the verdict compares Δa_ℓ with this value
        with np.errstate(divide="ignore"):
            scale = 1e3 / np.abs(thr)

        def margin(da: np.ndarray, i: np.ndarray) -> np.ndarray:
            """arcsinh-scaled distance from the threshold (log-like), positive where inside."""
            with np.errstate(invalid="ignore", over="ignore"):
                t = np.arcsinh(da * scale[i]) - np.arcsinh(thr[i] * scale[i])
            return np.where(up[i], t, -t)

        def evaluate(i: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            da = np.empty(i.size)
            g = np.exp(x)
            for lep in leptons:  # each point's own lepton only
                pts = np.flatnonzero(lep_e[i] == (lep == "e"))
                if pts.size:
                    da[pts] = np.asarray(delta_a(couplings(ms[i[pts]], g[pts]), lep), float)
            return verdict(da, up[i], lo_v[i], hi_v[i], ent[i]), margin(da, i)

        lo = np.concatenate([t[2] for _, t in tasks])
        hi = np.concatenate([t[3] for _, t in tasks])
        j = np.searchsorted(g_grid, lo)  # lo = g_grid[j], hi = g_grid[j + 1]
        flat = sel * ng + j
        ge, gm = da_grid.get("e", da_grid.get("mu")), da_grid.get("mu", da_grid.get("e"))
        da_lo = np.where(lep_e, ge[flat], gm[flat])
        da_hi = np.where(lep_e, ge[flat + 1], gm[flat + 1])
        every = np.arange(sel.size)
        found = _refine(
            evaluate,
            np.log(lo),
            np.log(hi),
            np.ones(sel.size, bool),
            margin(da_lo, every),
            margin(da_hi, every),
            BISECTION_STEPS,
        )
        at = 0
        for p, t in tasks:
            edges[p][t[1]] = found[at : at + t[1].size]
            at += t[1].size
    out = []
    it = iter(edges)
    for lepton, ae, key in cases:
        x = ed[key]
        for n in (1, 2):
            low, high = next(it), next(it)
            high = np.where(np.isnan(high), g_top, high)  # still inside at the top of the grid
            empty = np.isnan(low) | (high <= low)
            low = np.where(empty | (low == g_grid[0]), np.nan, low)  # reaching the bottom: down to zero
            out.append(G2Band(lepton, ae, n, x.id, key, mass_mev, low, np.where(empty, np.nan, high)))
    return out


# ----------------------------------------------------------------------------------------- metadata
def curve_metadata(k: Constraint, edition: EditionLike = None) -> dict[str, Any]:
    """Experiment, label, arXiv id, INSPIRE key, BibTeX and kind of a constraint: from its limit file for a
    recast of a published curve, else from the constraint (its ``experiment``/``label``, the arXiv ids in its
    reference)."""
    from zprime.core import limit_curves
    from zprime.physics import recast

    ids = _ARXIV.findall(k.reference)
    if k.rule == "recast_curve" and k.name in recast.names():
        search = recast.search(k.name)
        meta: Any = limit_curves.entry(k.name)
        if getattr(meta, "derived_from", None):
            meta = limit_curves.entry(meta.derived_from)
        year = re.search(r"\(((?:19|20)\d\d)\)", meta.reference)
        invisible = "invisible" in meta.decay
        label = (
            meta.experiment + (f" {year.group(1)}" if year else "") + (" (invisible)" if invisible else "")
        )
        if search.kind == "rvalue":  # LHCb's displaced searches beside their prompt ones of the same paper
            label += " (displaced)"
        if k.name != meta.name:
            label = k.label or f"{label} ({k.name.removeprefix(meta.name).strip('_').replace('_', ' ')})"
        return {
            "search": search,
            "experiment": meta.experiment,
            "label": label,
            "arxiv": meta.arxiv,
            "inspire": meta.inspire or "",
            "related": _related(ids, k.related, meta.arxiv),
            "kind": "invisible" if invisible else "visible",
            "bibtex": (meta.bibtex or "").strip(),
        }
    experiment = k.experiment or re.split(r" \(|,|:", k.title)[0]
    arxiv, inspire = (ids[0] if ids else None), ""
    if k.measurements:  # the primary measurement names the result
        ed = load_edition(edition)
        if k.measurements[0] in ed:
            m0 = ed[k.measurements[0]]
            arxiv = m0.arxiv
            inspire = m0.inspire or (m0.cite_keys[0] if m0.cite_keys else "")
    return {
        "search": None,
        "experiment": experiment,
        "label": k.label or experiment,
        "arxiv": arxiv,
        "inspire": inspire,
        "related": _related(ids, k.related, arxiv),
        "kind": "other",
        "bibtex": "",
    }


# ------------------------------------------------------------------------------------------ helpers
def _related(cited: Iterable[str], declared: Iterable[str], own: str | None) -> tuple[str, ...]:
    """arXiv ids cited by the reference, then those the constraint declares that it does not cite; never
    the result's own id."""
    cited = tuple(x for x in cited if x != own)
    return cited + tuple(x for x in dict.fromkeys(declared) if x != own and x not in cited)


def _floats(a: np.ndarray) -> list[float | None]:
    """JSON-safe list: NaN → None, +inf → None (for ``upper``: excluded all the way up)."""
    return [float(x) if np.isfinite(x) else None for x in np.asarray(a, float)]


def _union_masses(curves: Iterable[LimitCurve]) -> np.ndarray:
    ms = [c.mass_mev for c in curves]
    return np.unique(np.concatenate(ms)) if ms else np.zeros(0)


def _interp_loglog(m: np.ndarray, xm: np.ndarray, y: np.ndarray) -> np.ndarray:
    """log–log interpolation of ``y(xm)`` at ``m``; NaN outside ``xm``'s range and next to NaN values."""
    out = np.full(m.shape, np.nan)
    if xm.size < 2:
        return out
    with np.errstate(divide="ignore", invalid="ignore"):
        ly = np.log(y)
    inside = (m >= xm[0]) & (m <= xm[-1])
    out[inside] = np.exp(np.interp(np.log(m[inside]), np.log(xm), ly))
    return out


def _arxiv_link(arxiv: str | None) -> str:
    return f'<a href="https://arxiv.org/abs/{arxiv}">{arxiv}</a>' if arxiv else ""


__all__ = [
    "limits",
    "curve_metadata",
    "LimitSet",
    "LimitCurve",
    "G2Band",
    "first_band",
    "g2_bands",
    "DEFAULT_MASS_RANGE_MEV",
    "DEFAULT_POINTS",
]

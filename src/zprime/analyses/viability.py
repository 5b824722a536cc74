"""Automated viability verdicts for model classes (Bodas et al. Sec. 4–5, arXiv:2102.07781).

Question: does a model have a point (mass included) where both Δa_e and Δa_μ are explained within
``n_sigma`` and every current constraint passes?

Search: scipy ``differential_evolution`` (seeded, vectorised over the population) on transformed
parameters (log for masses, a signed-log map for couplings that can vanish or change sign), then a local
polish (vectorised pattern search). Objective:

    F = Σ_ℓ max(|pull_ℓ| − n_sigma, 0)² + 1e-3 Σ_ℓ pull_ℓ² + W Σ_k log(1 + max(χ²_k − t_k, 0))

where χ²_k > t_k exactly where constraint k excludes the point (see :mod:`zprime.physics.constraints.base`), so F
reaches (almost) zero only at viable points. The verdict is then checked exactly at the best point.

Mass domain: by default the MeV-scale domain of the seed (``data/reproduction/bodas2021.yaml``,
1–200 MeV), where zprime's constraint set is complete; heavier Z' bounds (LEP, CMS, BaBar μμ above its
veto windows) are not in zprime, so a search there would find gaps in the data, not solutions. Pass
``mass_range_mev`` to change it.

Class verdicts concern lepton couplings (as in the seed): searches that produce the Z' through quarks
(π0 → γZ' at NA48/2 and NA62, φ → ηZ' at KLOE 2012, the π+π− KLOE files) are model dependent and do not
block a class verdict, nor do the constraints that need quark couplings (the weak charges, Qweak and Cs APV,
tagged ``quark_couplings``) (``lepton_only=True``, by default for the models that declare ``lepton_class = True``:
:func:`lepton_classes`; for the others, e.g. ``generic``, ``dark_photon``, ``dark_z``, ``b_minus_l``, they are
kept).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

from zprime.analyses.likelihood import anomalies, anomaly_measurements, evaluate
from zprime.core.errors import InputError
from zprime.core.measurements import EditionLike, edition_name
from zprime.physics.constraints import Constraint, EvalOptions, Status, chi2_threshold, evaluate_all, select
from zprime.physics.constraints.rulesets import excludes_for, variants_for
from zprime.physics.models import Model, Parameter, get, names, resolve


def lepton_classes() -> tuple[str, ...]:
    """Registered models whose verdict concerns lepton couplings only (``Model.lepton_class``)."""
    return tuple(n for n in names() if get(n).lepton_class)


def quark_produced(constraints: list[Constraint]) -> list[str]:
    """Names of constraints whose Z' production goes through quarks (meson decays)."""
    from zprime.core.couplings import QUARK_FLAVOURS
    from zprime.physics import production, recast

    searches = set(recast.names())
    out = []
    for k in constraints:
        if k.name not in searches:  # not a recast search
            continue
        s = recast.search(k.name)
        quark = any(f[3:] in QUARK_FLAVOURS for f in production.couplings_used(s.production))
        if quark or any(ch.startswith("pi") for ch in s.channels):
            out.append(k.name)
    return out


# ---------------------------------------------------------------------------------- parameter maps
def _bounds(p: Parameter) -> tuple[float, float]:
    lo, hi = p.search_range or (p.lo, p.hi)
    if p.scale == "log":
        return float(np.log10(lo)), float(np.log10(hi))
    if p.scale == "symlog":
        span = float(np.log10(hi / lo)) + 1.0
        return -span, span
    return float(lo), float(hi)


def _to_value(p: Parameter, u: np.ndarray) -> np.ndarray:
    """Search variable -> parameter value. symlog: sign(u)·lo·10^(|u|−1) for |u| ≥ 1, linear below."""
    if p.scale == "log":
        return 10.0**u
    if p.scale == "symlog":
        lo = (p.search_range or (p.lo, p.hi))[0]
        a = np.abs(u)
        return np.sign(u) * lo * np.where(a >= 1.0, 10.0 ** (a - 1.0), a)
    return u


def _to_u(p: Parameter, v: np.ndarray) -> np.ndarray:
    """Inverse of :func:`_to_value`."""
    v = np.asarray(v, float)
    if p.scale == "log":
        return np.log10(v)
    if p.scale == "symlog":
        lo = (p.search_range or (p.lo, p.hi))[0]
        a = np.abs(v) / lo
        return np.sign(v) * np.where(a >= 1.0, 1.0 + np.log10(np.maximum(a, 1.0)), a)
    return v


@dataclass
class Verdict:
    """Outcome of a viability search (JSON via :meth:`to_dict`)."""

    model: str
    edition: str
    ae: str
    viable: bool
    best_point: dict[str, Any]
    chi2_anomalies: float
    blocking: list[str]
    reason: str
    pulls: dict[str, float] = field(default_factory=dict)
    rules: str = "current"
    envelope_changes_verdict: bool | None = None
    ignored_model_dependent: list[str] = field(default_factory=list)
    model_dependent_excluding: list[str] = field(default_factory=list)
    evaluations: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def to_dataframe(self) -> Any:
        """One row: the verdict, the anomalies' χ² and pulls, and the best point's parameters."""
        from zprime.core.tables import dataframe

        row = {
            "model": self.model,
            "edition": self.edition,
            "ae": self.ae,
            "rules": self.rules,
            "viable": self.viable,
            "chi2_anomalies": self.chi2_anomalies,
            **{f"pull_{k}": v for k, v in self.pulls.items()},
            **dict(self.best_point.get("parameters", {})),
            "blocking": ", ".join(self.blocking),
        }
        return dataframe([list(row.values())], list(row))

    def _repr_html_(self) -> str:
        from zprime.core.tables import html_mapping

        d = {
            "viable": "yes" if self.viable else "no",
            "reason": self.reason,
            "χ² of the anomalies": self.chi2_anomalies,
            **{f"pull {k}": v for k, v in self.pulls.items()},
            **{f"best {k}": v for k, v in self.best_point.get("parameters", {}).items()},
            "blocking": ", ".join(self.blocking) or "–",
        }
        return html_mapping(d, f"{self.model}: edition {self.edition}, a_e {self.ae}, rules {self.rules}")


class _Problem:
    def __init__(
        self,
        model: Model,
        constraints: list[Constraint],
        opts: EvalOptions,
        n_sigma: float,
        weight: float,
        mass_range_mev: tuple[float, float] | None = None,
    ):
        self.model, self.constraints, self.opts = model, constraints, opts
        self.n_sigma, self.weight = n_sigma, weight
        params = []
        for p in model.parameters:
            if p.name == "mass_mev" and mass_range_mev is not None:
                lo = max(mass_range_mev[0], p.lo)
                hi = min(mass_range_mev[1], p.hi)
                p = Parameter(p.name, p.lo, p.hi, p.scale, p.label, p.unit, (lo, hi))
            params.append(p)
        self.params = tuple(params)
        self.bounds = [_bounds(p) for p in self.params]
        self.thresholds = {k.name: chi2_threshold(k.cl) for k in constraints}
        self.n_eval = 0
        # weight -> (starting points of _axis_candidates, the evaluations they took)
        self.axis_scans: dict[float | None, tuple[np.ndarray, int]] = {}
        self._columns: dict[tuple[str, ...], np.ndarray] = {}
        # the symlog parameters (rows of u), mapped together: their lower search ends and allowed |value|
        sym = [i for i, p in enumerate(self.params) if p.scale == "symlog"]
        self._sym = np.array(sym, dtype=np.intp)
        self._sym_lo = np.array([[(self.params[i].search_range or (self.params[i].lo,))[0]] for i in sym])
        self._sym_hi = np.array([[self.params[i].hi] for i in sym])
        self._sym_span = np.array([[self.bounds[i][1]] for i in sym])  # (of the tie-breaker in terms)

    def values(self, u: np.ndarray) -> dict[str, np.ndarray]:
        u = np.atleast_2d(u.T).T if u.ndim == 1 else u
        return dict(zip((p.name for p in self.params), self._values(u), strict=True))

    def _values(self, u: np.ndarray, clip: bool = False) -> list[np.ndarray]:
        """:func:`_to_value` of every row of the 2-d ``u`` (``clip``: clipped into the allowed ranges). The
        symlog rows are mapped as one block (the same elementwise arithmetic)."""
        out: list[np.ndarray] = []
        if self._sym.size:
            w = u.take(self._sym, axis=0)
            a = np.abs(w)
            sym = np.sign(w) * self._sym_lo * np.where(a >= 1.0, 10.0 ** (a - 1.0), a)
            if clip:  # = np.clip(v, -hi, hi) (min of max: the same numbers, NaN kept)
                np.maximum(sym, -self._sym_hi, out=sym)
                np.minimum(sym, self._sym_hi, out=sym)
            rows = iter(sym)
        for i, p in enumerate(self.params):
            if p.scale == "symlog":
                out.append(next(rows))
                continue
            v = _to_value(p, u[i])
            out.append(np.minimum(np.maximum(v, p.lo), p.hi) if clip else v)
        return out

    def couplings(self, u: np.ndarray):  # noqa: ANN201
        u = np.atleast_2d(u.T).T if u.ndim == 1 else u
        clipped = dict(zip((p.name for p in self.params), self._values(u, clip=True), strict=True))
        if np.isnan(u).any():  # (the model names the parameter)
            return self.model.couplings(**clipped)
        return self.model._couplings_in_range(clipped)  # clipped into range: no second check

    def terms(self, u: np.ndarray, weight: float | None = None) -> tuple[np.ndarray, Any, dict[str, Any]]:
        c = self.couplings(u)
        an = anomalies(c, self.opts.edition, self.opts.ae)
        n = self.n_sigma
        f = sum(np.maximum(np.abs(an.pull[x]) - n, 0.0) ** 2 + 1e-3 * an.pull[x] ** 2 for x in ("e", "mu"))
        res = evaluate_all(self.constraints, c, self.opts)  # the recast searches together
        w = self.weight if weight is None else weight
        chi2 = [r.chi2 for r in res.values()]
        shape = np.shape(f)
        if (
            chi2
            and u.ndim == 2
            and u.dtype == np.float64
            and shape == u.shape[1:]
            and all(x.shape == shape and x.dtype == np.float64 for x in chi2)
        ):
            # every term at once (elementwise, the same numbers) as the rows of one block: the anomalies' term,
            # each constraint's and each tie-breaker's (below), then summed down the rows in order (one by one,
            # or np.add.accumulate, which is sequential too; np.add.reduce is not: pairwise for one point)
            k = len(chi2)
            block = np.empty((1 + k + self._sym.size, *shape))
            block[0] = f
            terms = block[1 : 1 + k]
            np.stack(chi2, out=terms)
            terms -= self._threshold_column(res)
            np.maximum(terms, 0.0, out=terms)
            np.log1p(terms, out=terms)
            terms *= w
            if self._sym.size:  # 1e-4 (u / span)² per symlog parameter, as below
                tie = block[1 + k :]
                np.take(u, self._sym, axis=0, out=tie)
                tie /= self._sym_span
                np.square(tie, out=tie)
                tie *= 1e-4
            if block.shape[1] <= 128:  # (one call; down the columns: slow for long rows)
                f = np.add.accumulate(block, axis=0, out=block)[-1]
            else:
                f = block[0]
                for row in block[1:]:
                    f += row
        else:
            for k, r in res.items():
                f = f + w * np.log1p(np.maximum(r.chi2 - self.thresholds[k], 0.0))
            # tie-breaker: among equally good points prefer couplings nothing constrains to vanish
            for i, p in enumerate(self.params):
                if p.scale == "symlog":
                    f = f + 1e-4 * (np.asarray(u)[i] / self.bounds[i][1]) ** 2
        self.n_eval += int(np.size(f))
        return np.asarray(f, float), an, res

    def _threshold_column(self, res: dict[str, Any]) -> np.ndarray:
        """The thresholds of the constraints of ``res`` (in its order) as a column."""
        key = tuple(res)
        col = self._columns.get(key)
        if col is None:
            col = self._columns[key] = np.array([[self.thresholds[k]] for k in key])
        return col

    def objective(self, u: np.ndarray, weight: float | None = None) -> np.ndarray:
        return self.terms(u, weight)[0]


def _ray_scan(
    prob: _Problem,
    u0: np.ndarray,
    weight: float | None,
    n_mass: int = 240,
    n_scale: int = 41,
    scale_range: tuple[float, float] = (0.1, 10.0),
    refine: bool = True,
) -> tuple[np.ndarray, float]:
    """Scan mass × overall coupling scale along the coupling direction of ``u0`` (vectorised).

    Allowed windows in mass can be narrow (e.g. a downward fluctuation of a limit curve); the global
    search may miss them, this scan does not."""
    vals = {k: np.ravel(v)[0] for k, v in prob.values(u0[:, None]).items()}
    names = [p.name for p in prob.params]
    if "mass_mev" not in names:
        return u0, float(prob.objective(u0[:, None], weight)[0])
    pm = prob.params[names.index("mass_mev")]
    lo, hi = pm.search_range or (pm.lo, pm.hi)
    masses = np.geomspace(lo, hi, n_mass)
    scales = np.geomspace(*scale_range, n_scale)

    def build(mm: np.ndarray, ss: np.ndarray) -> np.ndarray:
        out = np.empty((len(prob.params), mm.size))
        for i, p in enumerate(prob.params):
            if p.name == "mass_mev":
                out[i] = _to_u(p, mm)
            elif p.scale == "symlog":
                lim = (p.search_range or (p.lo, p.hi))[1]
                out[i] = _to_u(p, np.clip(vals[p.name] * ss, -lim, lim))
            else:
                out[i] = u0[i]
        return out

    # the overall scale s that best fits both anomalies at each mass (Δa ∝ s² along a ray), and a fine
    # band of scales around it: narrow viable islands lie there
    ones = np.ones_like(masses)
    an = anomalies(prob.model.couplings(**prob.values(build(masses, ones))), prob.opts.edition, prob.opts.ae)
    sig = {x: an.measurements[x].uncertainty for x in ("e", "mu")}
    num = sum(an.delta_a[x] * an.measurements[x].value / sig[x] ** 2 for x in ("e", "mu"))
    den = sum((an.delta_a[x] / sig[x]) ** 2 for x in ("e", "mu"))
    with np.errstate(divide="ignore", invalid="ignore"):
        s_best = np.sqrt(np.clip(num / den, 0.0, None))
    s_best = np.where(np.isfinite(s_best) & (s_best > 0), s_best, 1.0)
    fine = np.geomspace(0.7, 1.4, 29)
    mm = np.concatenate([np.repeat(masses, n_scale), np.repeat(masses, fine.size)])
    ss = np.concatenate([np.tile(scales, n_mass), (s_best[:, None] * fine[None, :]).ravel()])
    u = build(mm, ss)
    f = prob.objective(u, weight)
    j = int(np.argmin(f))
    if refine:
        # fine local grid around the coarse optimum (viable islands can be a few per cent wide)
        m0, s0 = mm[j], ss[j]
        dm = (masses[1] / masses[0]) ** 1.5
        ds_ = 1.1
        fm, fs = (
            a.ravel()
            for a in np.meshgrid(
                np.geomspace(m0 / dm, m0 * dm, 41), np.geomspace(s0 / ds_, s0 * ds_, 41), indexing="ij"
            )
        )
        u2 = build(np.clip(fm, lo, hi), fs)
        f2 = prob.objective(u2, weight)
        k = int(np.argmin(f2))
        if f2[k] < f[j]:
            return u2[:, k], float(f2[k])
    return u[:, j], float(f[j])


def _local_refine(
    prob: _Problem, x: np.ndarray, weight: float | None, seed: int, iterations: int = 60
) -> tuple[np.ndarray, float]:
    """Vectorised stochastic pattern search: batches of Gaussian and coordinate moves, shrinking step."""
    rng = np.random.default_rng(seed)
    d = len(x)
    lo = np.array([b[0] for b in prob.bounds])
    hi = np.array([b[1] for b in prob.bounds])
    fx = float(prob.objective(x[:, None], weight)[0])
    step = 0.3
    eye = np.eye(d)
    for _ in range(iterations):
        moves = np.concatenate([rng.normal(size=(d, 192)), eye, -eye], axis=1) * step
        cand = np.clip(x[:, None] + moves, lo[:, None], hi[:, None])
        f = prob.objective(cand, weight)
        k = int(np.argmin(f))
        if f[k] < fx:
            x, fx = cand[:, k], float(f[k])
        else:
            step *= 0.5
            if step < 1e-5:
                break
    return x, fx


def _axis_candidates(prob: _Problem, weight: float | None, n_keep: int = 8) -> np.ndarray:
    """Structured starting points: each signed coupling parameter alone (others zero), scanned over
    mass × size on a grid (vectorised). Catches narrow viable islands along simple directions such as
    a pure kinetic-mixing (dark-photon-like) direction."""
    names = [p.name for p in prob.params]
    base = np.array([0.5 * (a + b) for a, b in prob.bounds])
    for i, p in enumerate(prob.params):
        if p.scale == "symlog":
            base[i] = 0.0
    pts = []
    for i, p in enumerate(prob.params):
        if p.scale != "symlog":
            continue
        lo, hi = prob.bounds[i]
        for sgn in (1.0, -1.0):
            u = base.copy()
            u[i] = sgn * 0.7 * hi
            pts.append(u)
    if not pts or "mass_mev" not in names:
        return np.empty((0, len(names)))
    out = []
    for u in pts:
        ur, fr = _ray_scan(prob, u, weight, n_mass=160, n_scale=61, scale_range=(1e-4, 1e2))
        out.append((fr, ur))
    out.sort(key=lambda t: t[0])
    return np.array([u for _, u in out[:n_keep]])


def _axis_candidates_once(prob: _Problem, weight: float | None) -> np.ndarray:
    """:func:`_axis_candidates`, scanned once per weight: it does not depend on the seed, so the restarts
    share it. Each use still counts its evaluations (``Verdict.evaluations`` counts the points the
    searches examine, as without the reuse)."""
    hit = prob.axis_scans.get(weight)
    if hit is None:
        n0 = prob.n_eval
        pts = _axis_candidates(prob, weight)
        hit = prob.axis_scans[weight] = (pts, prob.n_eval - n0)
    else:
        prob.n_eval += hit[1]
    return hit[0].copy()


def _search(prob: _Problem, seed: int, maxiter: int, popsize: int, weight: float | None) -> np.ndarray:
    def vec(u: np.ndarray) -> np.ndarray:
        return prob.objective(u, weight)

    from scipy.stats import qmc

    d = len(prob.bounds)
    n_pop = popsize * d
    lo = np.array([b[0] for b in prob.bounds])
    hi = np.array([b[1] for b in prob.bounds])
    sob = qmc.Sobol(d, seed=seed).random_base2(int(np.ceil(np.log2(n_pop))))[:n_pop]
    init = lo + sob * (hi - lo)
    axis = _axis_candidates_once(prob, weight)
    if len(axis):
        init[: len(axis)] = np.clip(axis, lo, hi)
    from scipy.optimize import differential_evolution  # imported on first use (slow to import)

    res = differential_evolution(
        vec,
        prob.bounds,
        seed=seed,
        maxiter=maxiter,
        tol=1e-8,
        mutation=(0.5, 1.0),
        recombination=0.7,
        init=init,
        polish=False,
        vectorized=True,
        updating="deferred",
    )
    # ray scans from the best few distinct members of the final population
    order = np.argsort(res.population_energies)
    cands: list[np.ndarray] = []
    for i in order:
        u = res.population[i]
        if all(np.max(np.abs(u - c)) > 0.3 for c in cands):
            cands.append(u)
        if len(cands) == 4:
            break
    x, fx = res.x, float(res.fun)
    for u in cands:
        ur, fr = _ray_scan(prob, u, weight)
        if fr < fx:
            x, fx = ur, fr
    x, fx = _local_refine(prob, x, weight, seed)
    return x


def viability(
    model: str | Model,
    edition: EditionLike = None,
    ae: Literal["cs", "rb"] = "cs",
    rules: Literal["current", "seed"] = "current",
    n_sigma: float = 1.0,
    seed: int = 1,
    maxiter: int = 200,
    popsize: int = 15,
    restarts: int = 2,
    lepton_only: bool | None = None,
    check_envelope: bool = True,
    variants: tuple[str, ...] = (),
    mass_range_mev: tuple[float, float] | None = None,
    find_blocking: bool = True,
) -> Verdict:
    """Search the model's whole parameter space for a point explaining both anomalies within ``n_sigma``
    that passes every current constraint (with ``rules``).

    ``find_blocking=False`` skips the extra search that names what blocks a model that is not viable when
    its best point is not excluded (``blocking`` then stays empty; the verdict is the same)."""
    m = resolve(model)
    opts = EvalOptions(edition=edition, ae=ae)
    anomaly_measurements(opts.edition, ae, require=True)  # both anomalies are needed
    if n_sigma <= 0:
        raise InputError("n_sigma", "must be > 0")
    constraints = select(variants=variants_for(rules) + tuple(variants), exclude=excludes_for(rules))
    lep = m.lepton_class if lepton_only is None else lepton_only
    ignored = quark_produced(constraints) if lep else []
    # constraints through quark couplings (weak charges; tag "quark_couplings") cannot block a lepton class
    constraints = [
        k for k in constraints if k.name not in ignored and not (lep and "quark_couplings" in k.tags)
    ]
    if mass_range_mev is None:
        from zprime.core.settings import reproduction_settings

        lo, hi = reproduction_settings("bodas2021")["settings"]["mass_grid_mev"]
        mass_range_mev = (float(lo), float(hi))
    prob = _Problem(m, constraints, opts, n_sigma, weight=10.0, mass_range_mev=mass_range_mev)

    best_u, best_f = None, np.inf
    for r in range(restarts):
        u = _search(prob, seed + 1000 * r, maxiter, popsize, None)
        f = float(prob.objective(u[:, None])[0])
        if f < best_f:
            best_u, best_f = u, f
        if _is_viable(prob, best_u):
            break
    assert best_u is not None
    viable = _is_viable(prob, best_u)
    _, an, res = prob.terms(best_u[:, None])
    blocking = sorted(k for k, r in res.items() if r.status[0] == Status.EXCLUDED)
    if not viable and not blocking and find_blocking:
        # anomalies cannot be met without violating something: find what blocks the anomaly-best point
        u_b = _search(prob, seed + 7, maxiter // 2, popsize, weight=1e-3)
        _, _, res_b = prob.terms(u_b[:, None])
        blocking = sorted(k for k, r in res_b.items() if r.status[0] == Status.EXCLUDED)
    vals = {k: float(np.ravel(v)[0]) for k, v in prob.values(best_u[:, None]).items()}
    c = prob.couplings(best_u[:, None])[0]
    pulls = {x: float(np.ravel(an.pull[x])[0]) for x in ("e", "mu")}
    chi2_an = float(pulls["e"] ** 2 + pulls["mu"] ** 2)
    verdict = Verdict(
        model=m.name,
        edition=edition_name(opts.edition),
        ae=ae,
        viable=viable,
        best_point={"parameters": vals, "couplings": c.to_dict(nonzero_only=True)},
        chi2_anomalies=chi2_an,
        blocking=blocking,
        reason="",
        pulls=pulls,
        rules=rules,
        ignored_model_dependent=ignored,
        evaluations=prob.n_eval,
    )
    if ignored:
        c_best = prob.couplings(best_u[:, None])
        verdict.model_dependent_excluding = sorted(
            k.name for k in select(only=ignored) if k.evaluate(c_best, opts).status[0] == Status.EXCLUDED
        )
    if check_envelope and rules == "current" and viable and "babar_2014" in {k.name for k in constraints}:
        # does the seed's smoothed BaBar envelope (alone) change the verdict?
        env_v = viability(
            m,
            opts.edition,
            ae,
            rules="current",
            n_sigma=n_sigma,
            seed=seed,
            maxiter=maxiter,
            popsize=popsize,
            restarts=1,
            lepton_only=lep,
            check_envelope=False,
            variants=tuple(variants) + ("babar_2014_envelope",),
            mass_range_mev=mass_range_mev,
            find_blocking=False,  # only its verdict is used
        )
        verdict.envelope_changes_verdict = not env_v.viable
    verdict.reason = _reason(verdict, anomaly_measurements(opts.edition, ae), n_sigma)
    return verdict


def _is_viable(prob: _Problem, u: np.ndarray) -> bool:
    """Allowed by every constraint and both anomalies within n_sigma at ``u`` (verdicts only: the
    ``detail="allowed"`` evaluation, no χ²)."""
    o = prob.opts
    s = evaluate(
        prob.couplings(u[:, None]),
        prob.constraints,
        edition=o.edition,
        ae=o.ae,  # type: ignore[arg-type]
        cl=o.cl,
        workers=1,
        detail="allowed",
        n_sigma=prob.n_sigma,
    )
    prob.n_eval += 1
    return bool(s.explains[0])


def _reason(v: Verdict, meas: dict[str, Any], n_sigma: float) -> str:
    mu = meas["mu"]
    trivial_mu = abs(mu.value) <= n_sigma * mu.uncertainty
    m = v.best_point["parameters"].get("mass_mev", float("nan"))
    if v.viable:
        s = (
            f"Viable: at m_Z' = {m:.3g} MeV both anomalies are within {n_sigma:g} sigma "
            f"(pulls e {v.pulls['e']:+.2f}, mu {v.pulls['mu']:+.2f}) and every current constraint passes"
        )
        if v.envelope_changes_verdict:
            s += (
                "; with the seed's smoothed BaBar envelope (babar_2014_envelope) instead of the published "
                "curve it would not be viable"
            )
        if v.model_dependent_excluding:
            s += (
                f"; with the model's own quark couplings (set here by its minimal charges) "
                f"{', '.join(v.model_dependent_excluding)} would exclude it, but quark charges are free in "
                "the class"
            )
        if trivial_mu:
            s += (
                f"; note: with edition {v.edition} Delta a_mu is consistent with zero, so this explains "
                "a_e alone rather than two anomalies"
            )
        return s + "."
    if v.blocking:
        return (
            f"Not viable: the points that explain both anomalies within {n_sigma:g} sigma are excluded "
            f"by {', '.join(v.blocking)}; the best allowed point has anomaly chi2 = "
            f"{v.chi2_anomalies:.2f}."
        )
    return (
        f"Not viable: the model's coupling relations cannot produce both anomalies within {n_sigma:g} "
        f"sigma (best anomaly chi2 = {v.chi2_anomalies:.2f})."
    )


__all__ = ["Verdict", "viability", "quark_produced", "lepton_classes"]

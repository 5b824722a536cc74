"""One likelihood over the lepton anomalies and all constraints: χ², pulls, allowed/excluded.

χ²_total = χ²_anomalies + Σ_constraints χ²_i, where

- χ²_anomalies = Σ_{ℓ=e,μ} ((Δa_ℓ^Z' − Δa_ℓ^exp)/σ_ℓ)² with Δa_e from the chosen α (Cs or Rb) and
  Δa_μ from the chosen edition;
- χ²_i is a Gaussian χ² for measurements and a pseudo-χ² t·(value/limit)² for published limits, with t the
  Δχ² of the limit's CL, so that χ²_i > t exactly where the constraint excludes the point (see
  :mod:`zprime.physics.constraints.base`).

A point is ``allowed`` when no selected constraint excludes it; "explains the anomalies" when both pulls
are within ``n_sigma``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np

from zprime.analyses.anomaly import Anomalies, AnomalyMeasurements, _DeltaA, anomalies, anomaly_measurements
from zprime.core.couplings import ALL_FIELDS, Couplings, _frozen
from zprime.core.errors import InputError
from zprime.core.execution import default_workers, run_blocks
from zprime.core.measurements import EditionLike, editions
from zprime.physics.constraints import Constraint, EvalOptions, Result, Status, evaluate_all
from zprime.physics.constraints.base import is_pointwise

#: ``Status.EXCLUDED`` as the int8 of the status arrays: numpy compares an array with an IntEnum member
#: through a slow conversion (microseconds per comparison, as much as a one-point constraint costs)
_EXCLUDED = np.int8(Status.EXCLUDED)


@dataclass(frozen=True)
class Evaluation:
    """All constraint results at a set of points, plus the anomalies."""

    results: dict[str, Result]
    anomalies: Anomalies
    options: EvalOptions
    constraints: tuple[Constraint, ...] = field(default=())

    @property
    def excluded_by_any(self) -> np.ndarray:
        shape = self.anomalies.pull["e"].shape
        out = np.zeros(shape, dtype=bool)
        for r in self.results.values():
            out |= r.status == _EXCLUDED
        return out

    @property
    def allowed(self) -> np.ndarray:
        return ~self.excluded_by_any

    @property
    def chi2_constraints(self) -> np.ndarray:
        shape = self.anomalies.pull["e"].shape
        out = np.zeros(shape)
        for r in self.results.values():
            out = out + r.chi2
        return out

    @property
    def chi2_total(self) -> np.ndarray:
        return self.anomalies.chi2 + self.chi2_constraints

    def blocking(self, index: tuple[int, ...] | int = ()) -> list[str]:
        """Names of the constraints that exclude the point at ``index``."""
        return sorted(n for n, r in self.results.items() if r.status[index] == _EXCLUDED)

    def explains(self, n_sigma: float = 1.0) -> np.ndarray:
        """Allowed by every constraint and both anomalies within ``n_sigma``."""
        return self.allowed & self.anomalies.within(n_sigma)

    def to_dataframe(self) -> Any:
        """One row per point (flattened in C order): the pulls, χ², ``allowed``, and per constraint its
        ``status__NAME`` (allowed/excluded/not_applicable) and ``chi2__NAME``."""
        from zprime.core.tables import dataframe

        cols: dict[str, Any] = {
            "pull_e": np.ravel(self.anomalies.pull["e"]),
            "pull_mu": np.ravel(self.anomalies.pull["mu"]),
            "chi2_total": np.ravel(self.chi2_total),
            "allowed": np.ravel(self.allowed),
        }
        for name, r in sorted(self.results.items()):
            cols[f"status__{name}"] = np.ravel(r.status_names())
            cols[f"chi2__{name}"] = np.ravel(r.chi2)
        return dataframe(cols)

    def _repr_html_(self) -> str:
        from zprime.core.tables import html_table

        reasons = self.reasons
        rows = []
        for name, r in sorted(self.results.items()):
            n = max(r.status.size, 1)
            rows.append(
                (
                    name,
                    float(np.count_nonzero(r.status == Status.EXCLUDED)) / n,
                    float(np.count_nonzero(r.status != Status.NOT_APPLICABLE)) / n,
                    reasons.get(name, ""),
                )
            )
        n = self.allowed.size
        cap = (
            f"{n} point(s), edition {self.options.edition}, a_e {self.options.ae}: "
            f"{np.count_nonzero(self.allowed)} allowed by every constraint"
        )
        return html_table(rows, ("constraint", "excluded fraction", "applicable fraction", "reason"), cap)

    @property
    def reasons(self) -> dict[str, str]:
        """{constraint name: why it is not applicable anywhere} for the constraints that could not be
        evaluated, e.g. {"x": "no delta_a_e_rb in edition my-2026"} (a measurement absent from the edition).
        The anomalies' reasons are :attr:`Anomalies.reasons`."""
        out: dict[str, str] = {}
        by_name = {k.name: k for k in self.constraints}
        for name, r in self.results.items():
            why = r.reason
            if not why and name in by_name and r.status.size and np.all(r.status == Status.NOT_APPLICABLE):
                why = by_name[name].unavailable(self.options)  # a result assembled from blocks
            if why:
                out[name] = why
        return out


@dataclass(frozen=True)
class Summary:
    """The verdicts of :func:`evaluate` with ``detail="allowed"`` or ``detail="summary"``, without the
    per-constraint arrays (value, limit, status, χ²) of an :class:`Evaluation`.

    ``detail="allowed"`` keeps 10 bytes per point: :attr:`allowed` and :attr:`explains` (bool) and the pulls
    :attr:`pull_e`, :attr:`pull_mu` as float32 (``explains`` is computed from the float64 pulls, with the
    ``n_sigma`` given to :func:`evaluate`). ``detail="summary"`` adds :attr:`n_excluding` (int16),
    :attr:`chi2_total` and :attr:`delta_a_e`, :attr:`delta_a_mu` (float64): 36 bytes per point. The fields
    a detail does not keep are None. Every kept number equals the one of the full :class:`Evaluation`
    (``Evaluation.allowed``, ``explains(n_sigma)``, ``chi2_total``, the pulls rounded to float32), bit for bit.
    """

    allowed: np.ndarray
    explains: np.ndarray
    pull_e: np.ndarray
    pull_mu: np.ndarray
    n_sigma: float
    options: EvalOptions
    constraints: tuple[str, ...]
    n_excluding: np.ndarray | None = None
    chi2_total: np.ndarray | None = None
    delta_a_e: np.ndarray | None = None
    delta_a_mu: np.ndarray | None = None

    @property
    def nbytes_per_point(self) -> int:
        """Bytes kept per point (the sum over the arrays held)."""
        arrays = (self.allowed, self.explains, self.pull_e, self.pull_mu, self.n_excluding, self.chi2_total)
        kept = [a for a in (*arrays, self.delta_a_e, self.delta_a_mu) if a is not None]
        return sum(a.itemsize for a in kept)


#: Points per block in :func:`evaluate`: small enough for the temporaries of a block to stay in the CPU
#: caches, large enough for numpy to spend its time outside the GIL (``benchmarks/bench_constraints.py``).
DEFAULT_BLOCK_SIZE = 65536


def evaluate(
    c: Couplings,
    constraints: Sequence[Constraint] | Iterable[str] | None = None,
    *,
    edition: EditionLike = None,
    ae: Literal["cs", "rb"] = "cs",
    cl: float | None = None,
    block_size: int | None = None,
    workers: int | None = None,
    detail: Literal["full", "summary", "allowed"] = "full",
    n_sigma: float = 1.0,
) -> Any:
    """Evaluate the anomalies and every selected constraint (default: all "current" ones) in one call.

    ``detail="full"`` (default) returns an :class:`Evaluation` with every constraint's arrays.
    ``detail="allowed"`` returns a :class:`Summary` of the verdicts only (``allowed``, ``explains`` within
    ``n_sigma``, the pulls as float32: 10 bytes per point), ``detail="summary"`` a :class:`Summary` that also
    keeps ``n_excluding``, ``chi2_total`` and Δa_e, Δa_μ (36 bytes per point); both evaluate the constraints
    block by block into scratch buffers, so the per-constraint arrays of all points never exist at once.

    Large inputs are processed in blocks of ``block_size`` points (default :data:`DEFAULT_BLOCK_SIZE`):
    the results are the same as one call on all points, but the temporaries stay small enough for the
    CPU caches. The blocks are shared out over ``workers`` threads (default: the CPUs this process may
    use, at most 8; numpy releases the GIL inside its loops); ``workers=1`` stays in the calling thread.
    A user-registered constraint must then be safe to call from several threads at once (a pure function
    of its arguments is), or use ``workers=1``. The returned arrays have the broadcast shape of ``c``.
    """
    from zprime.physics.constraints.registry import select  # the registry loads the limit files

    opts = _options(edition, ae, cl)
    if constraints is None:
        chosen: list[Constraint] = select()
    else:
        chosen = [select(only=[x])[0] if isinstance(x, str) else x for x in constraints]
    bs = DEFAULT_BLOCK_SIZE if block_size is None else int(block_size)
    if bs < 1:
        raise InputError("block_size", f"must be >= 1, got {block_size}")
    if workers is not None and int(workers) < 1:
        raise InputError("workers", f"must be >= 1, got {workers}")
    if detail == "full" and c.size <= bs:  # one block, in this thread
        results = evaluate_all(chosen, c, opts)  # the recast searches in one pass over every curve
        return Evaluation(results, anomalies(c, edition, ae), opts, tuple(chosen))
    nw = default_workers() if workers is None else int(workers)
    if detail != "full":
        if detail not in ("summary", "allowed"):
            raise InputError("detail", f"must be one of full, summary, allowed; got {detail!r}")
        return _summarise_blocks(c, chosen, opts, bs, nw, float(n_sigma), detail == "summary")
    return _evaluate_blocks(c, chosen, opts, bs, nw)


#: {(edition, ae): EvalOptions} of :func:`_options` (shipped editions and None only)
_OPTIONS: dict[tuple[str | None, str], EvalOptions] = {}


def _options(edition: EditionLike, ae: str, cl: float | None) -> EvalOptions:
    """``EvalOptions(edition=edition, ae=ae, cl=cl)``: for a shipped edition (or None, the default) at the
    constraints' own CLs the same frozen object each call (its checks read shipped data only, which does
    not change); a user edition file is checked each call."""
    if cl is not None or ae.__class__ is not str or not (edition is None or edition.__class__ is str):
        return EvalOptions(edition=edition, ae=ae, cl=cl)
    opts = _OPTIONS.get((edition, ae))  # type: ignore[arg-type]
    if opts is None:
        opts = EvalOptions(edition=edition, ae=ae, cl=cl)
        if (edition is None or edition in editions()) and len(_OPTIONS) < 64:
            _OPTIONS[(edition, ae)] = opts  # type: ignore[index]
    return opts


def _flat_fields(c: Couplings) -> dict[str, np.ndarray]:
    """The fields of ``c`` flattened in C order (scalars stay scalars; a copy only where a field is
    broadcast)."""
    flat: dict[str, np.ndarray] = {}
    for name in ALL_FIELDS:
        a = getattr(c, name)
        flat[name] = a if a.ndim == 0 else np.ascontiguousarray(np.broadcast_to(a, c.shape)).reshape(-1)
    return flat


def _block(flat: dict[str, np.ndarray], sl: slice) -> Couplings:
    """The Couplings of the flat points ``sl``."""
    return Couplings(**{k: (v if v.ndim == 0 else v[sl]) for k, v in flat.items()})


def _evaluate_blocks(
    c: Couplings, chosen: list[Constraint], opts: EvalOptions, bs: int, workers: int
) -> Evaluation:
    n, shape = c.size, c.shape
    fields = ("value", "limit", "status", "chi2")
    out = {
        k.name: {f: np.empty(n, dtype=np.int8 if f == "status" else float) for f in fields} for k in chosen
    }
    an_out = {key: np.empty(n) for key in ("da_e", "da_mu", "pull_e", "pull_mu")}
    meta: dict[str, tuple[str, str]] = {}  # name -> (reference, rule)

    flat = _flat_fields(c)

    def run(sl: slice) -> None:  # each block writes its own slice of the outputs
        block = _block(flat, sl)
        for k in chosen:
            meta.setdefault(k.name, k.evaluate_into(block, opts, {f: out[k.name][f][sl] for f in fields}))
        an = anomalies(block, opts.edition, opts.ae)
        for f in ("e", "mu"):
            an_out[f"da_{f}"][sl] = an.delta_a[f]
            an_out[f"pull_{f}"][sl] = an.pull[f]

    run_blocks(run, n, bs, workers)  # on the persistent thread pool of zprime.core.execution
    results = {
        name: Result(name, *(arr[f].reshape(shape) for f in fields), *meta[name]) for name, arr in out.items()
    }
    da = _DeltaA(c, {f: an_out[f"da_{f}"].reshape(shape) for f in ("e", "mu")})
    pull = {f: an_out[f"pull_{f}"].reshape(shape) for f in ("e", "mu")}
    meas = anomaly_measurements(opts.edition, opts.ae)
    return Evaluation(results, Anomalies(da, pull, meas), opts, tuple(chosen))


def _summarise_blocks(
    c: Couplings,
    chosen: list[Constraint],
    opts: EvalOptions,
    bs: int,
    workers: int,
    n_sigma: float,
    full: bool,
) -> Summary:
    """:func:`evaluate` with ``detail="allowed"`` (``full`` False) or ``"summary"`` (``full`` True).

    Each block evaluates its constraints into scratch arrays of the block's size and keeps only the combined
    verdicts; the sums and comparisons are those of :class:`Evaluation` (same order), so the numbers are
    identical. With ``detail="allowed"`` the pointwise constraints skip the points already excluded."""
    n, shape = c.size, c.shape
    allowed = np.empty(n, dtype=bool)
    explains = np.empty(n, dtype=bool)
    pulls = {f: np.empty(n, dtype=np.float32) for f in ("e", "mu")}
    n_ex = np.empty(n, dtype=np.int16) if full else None
    chi2_total = np.empty(n) if full else None
    da = {f: np.empty(n) for f in ("e", "mu")} if full else None
    flat = _flat_fields(c)
    excluded = np.int8(Status.EXCLUDED)
    # "allowed": the pointwise constraints (base.is_pointwise) run after the others, each only on the points
    # that no constraint before it excludes (see _verdict_ok); the verdicts are the same, with less work
    first, later = _verdict_order(chosen)

    def run(sl: slice) -> None:  # each block writes its own slice of the outputs
        block = _block(flat, sl)
        m = block.size
        if full:
            scratch = {f: np.empty(m, dtype=np.int8 if f == "status" else float) for f in _FIELDS}
            # the summary needs the status and the χ² only: a constraint that evaluates into fewer arrays
            # (compute_into.accepts_partial_out, or Constraint.evaluate_into's own copy) skips the others
            few = {f: scratch[f] for f in ("status", "chi2")}
            count = np.zeros(m, dtype=np.int16)
            acc = np.zeros(m)
            ex = np.empty(m, dtype=bool)
            for k in chosen:
                k.evaluate_into(block, opts, few if _partial(k) else scratch)
                np.equal(scratch["status"], excluded, out=ex)
                count += ex
                acc += scratch["chi2"]  # Evaluation.chi2_constraints: 0 + χ²_1 + χ²_2 + ... in this order
            ok = count == 0
        else:
            ok = _verdict_ok(block, first, later, opts)
        an = anomalies(block, opts.edition, opts.ae)
        pe, pm = np.ravel(an.pull["e"]), np.ravel(an.pull["mu"])
        allowed[sl] = ok
        explains[sl] = ok & (np.abs(pe) <= n_sigma) & (np.abs(pm) <= n_sigma)
        with np.errstate(over="ignore"):  # beyond float32: ±inf
            pulls["e"][sl] = pe
            pulls["mu"][sl] = pm
        if full:
            n_ex[sl] = count  # type: ignore[index]
            chi2_total[sl] = (pe**2 + pm**2) + acc  # type: ignore[index,operator]
            da["e"][sl] = np.ravel(an.delta_a["e"])  # type: ignore[index]
            da["mu"][sl] = np.ravel(an.delta_a["mu"])  # type: ignore[index]

    run_blocks(run, n, bs, workers)

    def shaped(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else a.reshape(shape)

    return Summary(
        allowed.reshape(shape),
        explains.reshape(shape),
        pulls["e"].reshape(shape),
        pulls["mu"].reshape(shape),
        n_sigma,
        opts,
        tuple(k.name for k in chosen),
        shaped(n_ex),
        shaped(chi2_total),
        None if da is None else da["e"].reshape(shape),
        None if da is None else da["mu"].reshape(shape),
    )


#: Constraints that ``evaluate(..., detail="allowed")`` tries first among the pointwise ones, in this order:
#: on random points (``zprime.core.couplings.random_couplings``, ``benchmarks/run_all.py`` figure 2) they
#: exclude the most points for the least time, so that the costlier searches run on fewer points. The order
#: changes the speed only, never a verdict; the other pointwise constraints follow in their given order.
_VERDICT_EARLY = (
    "moller_e158",
    "bbn_planck",
    "qweak_proton",
    "white_dwarf",
    "neff_muon",
    "supernova",
    "apv_cs",
    "borexino",
    "texono",
    "charm2",
    "nucal_pi0",
    "babar_2014",
    "babar_2016_mumu",
    "na64_2019_invisible",
    "na62_2019_invisible",
    "na64_2019",
    "na62_2023_ee",
    "na48_2",
    "faser_2023",
)

#: ``_verdict_ok`` gathers the points still allowed into a smaller Couplings when they are at most this
#: fraction of the points of the current one (gathering costs a copy of the fields), or at most
#: ``_GATHER_BELOW_SHARED`` before a constraint with a ``compute_into``: the recast searches share a model
#: state per Couplings (widths, mass order, production couplings) that a new Couplings computes again
_GATHER_BELOW = 0.75
_GATHER_BELOW_SHARED = 0.6


def _partial(k: Constraint) -> bool:
    """True when ``k.evaluate_into`` accepts an ``out`` without value, limit and χ²."""
    return (
        k.compute_into is None
        or not k.range_in_compute
        or getattr(k.compute_into, "accepts_partial_out", False)
    )


def _verdict_order(chosen: list[Constraint]) -> tuple[list[Constraint], list[Constraint]]:
    """(the constraints that must see every point of a block, the pointwise ones in the order tried)."""
    first = [k for k in chosen if not is_pointwise(k)]
    later = [k for k in chosen if is_pointwise(k)]
    rank = {name: i for i, name in enumerate(_VERDICT_EARLY)}
    later.sort(key=lambda k: rank.get(k.name, len(rank)))  # stable: the others keep their order
    return first, later


def _verdict_ok(
    block: Couplings,
    first: list[Constraint],
    later: list[Constraint],
    opts: EvalOptions,
) -> np.ndarray:
    """Flat bool array of the block's points that no constraint excludes (``Evaluation.allowed``).

    The constraints ``first`` see every point of the block; each of the pointwise ones ``later`` sees only
    the points that no constraint before it excludes (gathered into a smaller Couplings when they are few
    enough, see :data:`_GATHER_BELOW`). A pointwise constraint's status at a point does not depend on the
    other points, so each point gets the verdict of the full evaluation."""
    m = block.size
    excluded = np.int8(Status.EXCLUDED)
    status = np.empty(m, dtype=np.int8)
    scratch: dict[str, np.ndarray] = {}

    def status_of(k: Constraint, c: Couplings) -> np.ndarray:
        st = status[: c.size]
        if _partial(k):
            k.evaluate_into(c, opts, {"status": st})
        else:  # a compute_into that wants all four arrays
            if not scratch:
                scratch.update({f: np.empty(m) for f in ("value", "limit", "chi2")})
            k.evaluate_into(c, opts, {"status": st, **{f: a[: c.size] for f, a in scratch.items()}})
        return st

    ok = np.ones(m, dtype=bool)
    for k in first:
        ok &= status_of(k, block) != excluded
    sub, idx = block, None  # the points evaluated (idx: their indices in the block; None: all)
    sub_ok = ok
    for k in later:
        alive = int(np.count_nonzero(sub_ok))
        if alive == 0:
            break
        below = _GATHER_BELOW if k.compute_into is None else _GATHER_BELOW_SHARED
        if alive <= below * sub.size and alive > 1:  # never one point alone (base.pointwise)
            keep = np.flatnonzero(sub_ok)
            idx = keep if idx is None else idx.take(keep)
            sub, sub_ok = _gather(sub, keep), np.ones(alive, dtype=bool)
        sub_ok &= status_of(k, sub) != excluded
    if idx is None:
        return sub_ok
    ok = np.zeros(m, dtype=bool)
    ok[idx] = sub_ok
    return ok


def _gather(c: Couplings, keep: np.ndarray) -> Couplings:
    """The Couplings of the flat points ``keep`` of ``c`` (a 1-D or scalar Couplings); the fields are
    frozen views of values of ``c`` (checked when it was made)."""
    fields = {}
    for name in ALL_FIELDS:
        a = getattr(c, name)
        fields[name] = a if a.ndim == 0 else _frozen(a.take(keep))
    return Couplings(**fields)


_FIELDS = ("value", "limit", "status", "chi2")


__all__ = [
    "AnomalyMeasurements",
    "Anomalies",
    "Evaluation",
    "Summary",
    "DEFAULT_BLOCK_SIZE",
    "anomalies",
    "anomaly_measurements",
    "default_workers",
    "evaluate",
]

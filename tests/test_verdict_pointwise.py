"""Pointwise constraints (base.pointwise) and the verdict-only evaluate(detail="allowed") that relies on them.

A constraint marked pointwise must give, on any subset of the points, the numbers of the full evaluation at
those points bit for bit: evaluate(detail="allowed") then evaluates it only on the points that no other
constraint excludes, and its verdicts must equal those of the full Evaluation.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zprime.analyses import likelihood
from zprime.analyses.likelihood import evaluate
from zprime.core.couplings import Couplings, random_couplings
from zprime.core.measurements import editions
from zprime.physics.constraints import Constraint, EvalOptions, Result, select
from zprime.physics.constraints.base import is_pointwise, pointwise, upper_bound_result

_N = 1200
_FIELDS = ("value", "limit", "status", "chi2")


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)


def _pointwise_constraints() -> list[Constraint]:
    return [k for k in select(include_projections=True, include_variants=True) if is_pointwise(k)]


@cache
def full_results() -> tuple[Couplings, dict[str, dict[str, Result]]]:
    c = random_couplings(_N, 21).broadcast()  # every field an array of _N points
    out = {}
    for ed in editions():
        opts = EvalOptions(edition=ed)
        out[ed] = {k.name: k.evaluate(c, opts) for k in _pointwise_constraints()}
    return c, out


_CLOSED_FORMS = (
    "moller_e158",
    "bbn_planck",
    "neff_muon",
    "white_dwarf",
    "supernova",
    "qweak_proton",
    "apv_cs",
)
_TRIDENT = ("ccfr_trident", "charm2_trident")  # elementwise, or one sum per mass (the propagator moments)
_NU_E = ("borexino", "texono", "charm2", "coherent_csi")  # one sum over recoil nodes per point (row)


def test_which_constraints_are_marked_pointwise():
    names = {k.name for k in _pointwise_constraints()}
    assert set(_CLOSED_FORMS + _TRIDENT + _NU_E) <= names


@settings(max_examples=12)
@given(seed=st.integers(0, 2**32 - 1), fraction=st.floats(0.0, 1.0), edition=st.sampled_from(editions()))
def test_pointwise_constraints_give_the_same_numbers_on_any_subset(seed, fraction, edition):
    c, ref = full_results()
    rng = np.random.default_rng(seed)
    keep = np.flatnonzero(rng.random(_N) < fraction)
    if keep.size < 2:  # base.pointwise: any two or more points
        keep = np.sort(rng.choice(_N, 2, replace=False))
    sub = Couplings(**{f: np.asarray(getattr(c, f)).take(keep) for f in likelihood.ALL_FIELDS})
    opts = EvalOptions(edition=edition)
    for k in _pointwise_constraints():
        r = ref[edition][k.name]
        for how in ("evaluate", "evaluate_into"):
            if how == "evaluate":
                got = {f: np.ravel(getattr(k.evaluate(sub, opts), f)) for f in _FIELDS}
            else:
                got = {f: np.empty(keep.size, dtype=np.int8 if f == "status" else float) for f in _FIELDS}
                k.evaluate_into(sub, opts, got)
            for f in _FIELDS:
                assert _same(got[f], np.ravel(getattr(r, f))[keep].astype(got[f].dtype)), (k.name, f, how)


@settings(max_examples=10)
@given(seed=st.integers(0, 2**32 - 1), size=st.integers(2, 9))
def test_a_few_points_match(seed, size):
    c, ref = full_results()
    ed = editions()[-1]
    keep = np.sort(np.random.default_rng(seed).choice(_N, size, replace=False))
    sub = Couplings(**{f: np.asarray(getattr(c, f)).take(keep) for f in likelihood.ALL_FIELDS})
    for k in _pointwise_constraints():
        r = k.evaluate(sub, EvalOptions(edition=ed))
        for f in _FIELDS:
            assert _same(np.ravel(getattr(r, f)), getattr(ref[ed][k.name], f)[keep]), (k.name, f)


def test_one_point_at_a_time_matches():
    c, ref = full_results()
    ed = editions()[-1]
    opts = EvalOptions(edition=ed)
    for i in (0, 7, _N - 1):
        one = Couplings(**{f: float(np.asarray(getattr(c, f))[i]) for f in likelihood.ALL_FIELDS})
        for k in _pointwise_constraints():
            r = k.evaluate(one, opts)
            assert _same(np.ravel(r.status), ref[ed][k.name].status[i : i + 1]), k.name
            assert _same(np.ravel(r.chi2), ref[ed][k.name].chi2[i : i + 1]), k.name


@settings(max_examples=8)
@given(
    seed=st.integers(0, 2**32 - 1),
    block=st.integers(1, 1500),
    workers=st.integers(1, 2),
    shuffle=st.booleans(),
    n_sigma=st.sampled_from([0.5, 1.0, 3.0]),
)
def test_allowed_equals_the_full_evaluation(seed, block, workers, shuffle, n_sigma):
    c = random_couplings(900, seed % 10**6)
    chosen = select()
    if shuffle:  # the order of the constraints changes no verdict
        chosen = [chosen[i] for i in np.random.default_rng(seed).permutation(len(chosen))]
    ev = evaluate(c, chosen, block_size=block, workers=workers)
    s = evaluate(c, chosen, detail="allowed", block_size=block, workers=workers, n_sigma=n_sigma)
    assert _same(s.allowed, ev.allowed)
    assert _same(s.explains, ev.explains(n_sigma))
    for f in ("e", "mu"):
        with np.errstate(over="ignore"):
            assert _same(getattr(s, f"pull_{f}"), ev.anomalies.pull[f].astype(np.float32))


@pytest.mark.parametrize("edition", editions())
def test_allowed_equals_the_full_evaluation_in_every_edition(edition):
    c = random_couplings(3000, 4)
    for ae in ("cs", "rb"):
        ev = evaluate(c, edition=edition, ae=ae, block_size=1000)
        s = evaluate(c, edition=edition, ae=ae, detail="allowed", block_size=1000)
        assert _same(s.allowed, ev.allowed) and _same(s.explains, ev.explains())
        assert s.allowed.any() and not s.allowed.all()


def test_verdict_order_puts_what_needs_every_point_first():
    first, later = likelihood._verdict_order(select())
    assert later  # every shipped constraint is pointwise now; a user's unmarked one goes first (test below)
    assert not any(is_pointwise(k) for k in first) and all(is_pointwise(k) for k in later)
    early = [k.name for k in later[: len(likelihood._VERDICT_EARLY)]]
    present = [n for n in likelihood._VERDICT_EARLY if n in {k.name for k in later}]
    assert early[: len(present)] == present


def _user_constraint(mark: bool, seen: list[int]) -> Constraint:
    def compute(c: Couplings, opts: EvalOptions, cl: float) -> Result:
        seen.append(c.size)
        v = np.broadcast_to(np.abs(c.c_ve) / c.mass_mev, c.shape)
        return upper_bound_result("user_ratio", "user", v, np.full(c.shape, 1e-5), cl)

    return Constraint("user_ratio", "user", "user", "upper_bound", pointwise(compute) if mark else compute)


@pytest.mark.parametrize("mark", [False, True])
def test_a_user_constraint_sees_every_point_unless_marked_pointwise(mark):
    c = random_couplings(2000, 9)
    seen: list[int] = []
    k = _user_constraint(mark, seen)
    chosen = [*select(only=["moller_e158", "bbn_planck"]), k]
    ev = evaluate(c, chosen, block_size=500, workers=1)
    seen.clear()
    s = evaluate(c, chosen, detail="allowed", block_size=500, workers=1)
    assert _same(s.allowed, ev.allowed)
    assert (sum(seen) < c.size) == mark  # marked: only the points that moller and BBN leave allowed


def test_is_pointwise_needs_a_partial_out_for_compute_into():
    def compute(c: Couplings, opts: EvalOptions, cl: float) -> Result:  # pragma: no cover - not called
        raise AssertionError

    def into(c, opts, cl, out):  # pragma: no cover - not called
        raise AssertionError

    into.pointwise = True  # type: ignore[attr-defined]
    k = Constraint("x", "x", "x", "upper_bound", pointwise(compute), compute_into=into, range_in_compute=True)
    assert not is_pointwise(k)  # the compute_into is what evaluate_into calls, and it wants every array
    into.accepts_partial_out = True  # type: ignore[attr-defined]
    assert is_pointwise(k)


@pytest.mark.parametrize("edition", editions())
def test_pointwise_on_a_grid_whose_points_share_masses(edition):
    """A scan grid: many points per mass (the trident moments are computed once per mass)."""
    g = np.geomspace(1e-6, 3e-2, 40)
    c = Couplings(mass_mev=np.geomspace(0.5, 900.0, 25)[:, None], c_vmu=g, c_numu=-g, c_ve=2e-5, c_nue=g)
    c = c.broadcast()
    flat = Couplings(**{f: np.ravel(getattr(c, f)) for f in likelihood.ALL_FIELDS})
    opts = EvalOptions(edition=edition)
    rng = np.random.default_rng(4)
    picks = [np.arange(40, 80), np.sort(rng.choice(flat.size, 300, replace=False)), np.array([3, 500])]
    for k in _pointwise_constraints():
        ref = k.evaluate(flat, opts)
        for keep in picks:
            sub = Couplings(**{f: np.asarray(getattr(flat, f)).take(keep) for f in likelihood.ALL_FIELDS})
            r = k.evaluate(sub, opts)
            for f in _FIELDS:
                assert _same(np.ravel(getattr(r, f)), np.ravel(getattr(ref, f))[keep]), (k.name, f)

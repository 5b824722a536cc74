"""The one-call likelihood.evaluate: cache-sized blocks and threads give the unblocked results exactly."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zprime import Couplings
from zprime.analyses.likelihood import anomalies, default_workers, evaluate
from zprime.core.couplings import random_couplings
from zprime.core.errors import InputError
from zprime.core.limit_curves import curve
from zprime.physics.constraints import Status, select
from zprime.physics.observables.g2 import delta_a
from zprime.physics.recast import search_names


def _points(n: int, seed: int) -> Couplings:
    return random_couplings(n, seed)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and np.array_equal(a, b, equal_nan=True)


@pytest.fixture(scope="module")
def reference():
    c = _points(3000, seed=11)
    return c, evaluate(c, block_size=10**9, workers=1)


@settings(max_examples=6)
@given(block=st.integers(300, 3500), workers=st.integers(1, 3))
def test_blocks_and_threads_change_nothing(reference, block, workers):
    c, ref = reference
    ev = evaluate(c, block_size=block, workers=workers)
    assert list(ev.results) == list(ref.results)
    for name, r in ref.results.items():
        got = ev.results[name]
        for f in ("value", "limit", "status", "chi2"):
            assert _same(getattr(got, f), getattr(r, f)), (name, f, block, workers)
        assert got.reference == r.reference and got.rule == r.rule
    for f in ("e", "mu"):
        assert _same(ev.anomalies.pull[f], ref.anomalies.pull[f])
        assert _same(ev.anomalies.delta_a[f], ref.anomalies.delta_a[f])
    assert _same(ev.anomalies.delta_a["tau"], ref.anomalies.delta_a["tau"])


def test_one_point_blocks():
    c = _points(7, seed=3)
    a, b = evaluate(c, block_size=1, workers=2), evaluate(c, workers=1)
    assert _same(a.chi2_total, b.chi2_total) and _same(a.allowed, b.allowed)


def test_blocks_keep_the_broadcast_shape():
    m = np.geomspace(1.0, 500.0, 37)[:, None]
    g = np.geomspace(1e-7, 1e-2, 11)[None, :]
    c = Couplings(mass_mev=m, c_ve=g, c_vmu=3 * g, c_nue=1e-6)
    a = evaluate(c, block_size=50, workers=2)
    b = evaluate(c, block_size=10**6)
    assert a.allowed.shape == (37, 11)
    assert _same(a.chi2_total, b.chi2_total)
    assert _same(a.allowed, b.allowed)


def test_bad_block_size_and_workers():
    c = Couplings(mass_mev=[10.0, 20.0], c_ve=1e-4)
    with pytest.raises(InputError, match="block_size"):
        evaluate(c, block_size=0)
    with pytest.raises(InputError, match="workers"):
        evaluate(c, workers=0)
    assert 1 <= default_workers() <= 8


def test_tau_anomaly_is_computed_on_demand():
    c = Couplings(mass_mev=[5.0, 50.0], c_vtau=1e-2, c_atau=3e-3)
    an = anomalies(c)
    assert set(an.delta_a) == {"e", "mu", "tau"}
    np.testing.assert_array_equal(an.delta_a["tau"], delta_a(c, "tau"))
    assert np.all(an.delta_a["tau"] != 0)
    with pytest.raises(KeyError):
        an.delta_a["nu"]


@pytest.mark.parametrize("name", search_names())
def test_sorted_lookup_equals_per_point_lookup(name):
    cv = curve(name)
    lm = cv.log_mass
    rng = np.random.default_rng(5)
    x = np.sort(np.concatenate([rng.uniform(lm[0], lm[-1], 2000), lm, lm[[0, -1]]]))
    a, b = cv.locate_log(x), cv.locate_sorted(x)
    np.testing.assert_array_equal(a.index, b.index)
    np.testing.assert_array_equal(a.weight, b.weight)
    np.testing.assert_array_equal(a.valid, b.valid)


def test_recast_range_edges_are_exact():
    """One ulp outside a curve's measured mass range is not applicable; the edge itself applies."""
    for k in select(include_projections=True, include_variants=True):
        if k.name not in search_names():
            continue
        lo, hi = k.mass_range_mev
        m = np.array([np.nextafter(lo, 0.0), lo, hi, np.nextafter(hi, np.inf)])
        r = k.evaluate(Couplings(mass_mev=m, c_ve=1e-3, c_vu=1e-3))
        assert r.status[0] == Status.NOT_APPLICABLE and r.status[3] == Status.NOT_APPLICABLE, k.name
        assert np.isnan(r.value[[0, 3]]).all() and (r.chi2[[0, 3]] == 0).all(), k.name


def test_threads_work_in_a_forked_child():
    """The persistent pool is rebuilt after fork (a child has none of the parent's threads)."""
    import multiprocessing as mp

    c = _points(600, seed=4)
    ref = evaluate(c, block_size=100, workers=2)  # the parent's pool exists now
    ctx = mp.get_context("fork")
    with warnings.catch_warnings():
        # Python >= 3.12 warns that fork() in a process with threads may deadlock: the point of this test
        warnings.simplefilter("ignore", DeprecationWarning)
        with ctx.Pool(1) as pool:
            got = pool.apply_async(_child_chi2, (c,)).get(timeout=120)
    np.testing.assert_array_equal(got, ref.chi2_total)


def _child_chi2(c: Couplings) -> np.ndarray:
    return evaluate(c, block_size=100, workers=2).chi2_total


def test_nested_evaluate_in_a_user_constraint_does_not_deadlock():
    """A constraint whose compute calls evaluate() again runs that inner call in its own thread."""
    from zprime.physics.constraints import Constraint, Result

    def compute(c, opts, cl):
        inner = evaluate(c, [select(only=["white_dwarf"])[0]], block_size=50, workers=2)
        r = inner.results["white_dwarf"]
        return Result("nested_wd", r.value, r.limit, r.status, r.chi2, "test", "upper_bound")

    k = Constraint("nested_wd", "nested", "test", "upper_bound", compute)
    c = _points(400, seed=9)
    ev = evaluate(c, [k], block_size=100, workers=2)
    ref = evaluate(c, [select(only=["white_dwarf"])[0]], block_size=10**6, workers=1)
    assert _same(ev.results["nested_wd"].chi2, ref.results["white_dwarf"].chi2)


def test_serial_evaluate_leaves_threads_available():
    from zprime.core import execution

    evaluate(_points(300, seed=1), block_size=100, workers=1)
    assert not execution.in_pool_thread()

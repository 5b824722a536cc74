"""Benchmark of the vectorised dark-photon recast (a script that prints numbers; not a test).

1. All visible *current* searches on 1e6 random Z' points (target: well under 1 s), against a naive per-point
   loop (each point its own Couplings, evaluated search by search) run in the same process.
2. All visible searches for a new coupling direction over each curve's full mass grid (``coupling_bounds``;
   target < 0.1 s), against a naive per-mass root finding (scipy brentq on the recast value along the ray).
3. Small batches: every search through the search bank (``recast.bank_arrays``, one vectorised pass) against
   search by search (``Search.upper_bound_arrays``), a new Couplings each call; the crossover sets
   ``recast.BANK_MAX_POINTS``.

Run:  python benchmarks/bench_recast.py [n_points]
"""

from __future__ import annotations

import sys
import time

import numpy as np
from scipy.optimize import brentq

from zprime.core.couplings import RANDOM_COUPLING_TOPS, Couplings, random_couplings
from zprime.physics import recast as rc


def _random_points(n: int, rng: np.random.Generator) -> Couplings:
    tops = {k: v for k, v in RANDOM_COUPLING_TOPS.items() if k != "c_nutau"}
    return random_couplings(n, rng, log10_mass_mev=(0.0, 3.5), tops=tops)


def bench_points(n: int) -> None:
    names = rc.search_names(category="current", decay="visible")
    for s in names:  # build once (beam-dump t0 solved and cached)
        rc.search(s)
    rng = np.random.default_rng(1)
    c = _random_points(n, rng)
    x = rng.random(n)
    p = time.process_time()
    for _ in range(5):
        np.exp(x)
    ref = (time.process_time() - p) / 5
    print(f"machine reference: numpy exp on {n:.0e} doubles takes {ref * 1e3:.1f} ms CPU")
    t, p = time.perf_counter(), time.process_time()
    out = rc.excluded_many(names, c)
    dt, cpu = time.perf_counter() - t, time.process_time() - p
    n_ex = int(np.any(np.stack(list(out.values())), axis=0).sum())
    print(
        f"[1] {len(names)} visible current searches on {n:.0e} points: {dt:.3f} s wall, {cpu:.3f} s CPU "
        f"({n / dt:.3e} points/s, {n * len(names) / dt:.3e} point-searches/s; "
        f"CPU = {cpu / ref:.0f} numpy exps); excluded by any: {n_ex}"
    )

    n_naive = 300
    cn = c[:n_naive]
    t = time.perf_counter()
    naive = np.zeros((len(names), n_naive), bool)
    for i in range(n_naive):
        p = cn[i]
        for j, s in enumerate(names):
            naive[j, i] = bool(rc.excluded_mask(s, p))
    dtn = time.perf_counter() - t
    vec = np.stack([out[s][:n_naive] for s in names])
    assert np.array_equal(naive, vec), "per-point and vectorised verdicts differ"
    rate_naive = n_naive / dtn
    print(
        f"    naive per-point loop: {rate_naive:.3e} points/s -> vectorised is {n / dt / rate_naive:.0f}x "
        f"faster (same verdicts on {n_naive} points)"
    )


def bench_grids() -> None:
    names = rc.search_names(decay="visible")
    direction = {"c_ae": 1.0, "c_ve": 0.3, "c_vmu": 0.5, "c_numu": 0.2}
    grids = {s: rc.search(s).curve.mass_mev for s in names}
    n_mass = sum(g.size for g in grids.values())
    rc.coupling_bounds(names[0], grids[names[0]][:3], direction)  # warm-up
    t, p = time.perf_counter(), time.process_time()
    res = {s: rc.coupling_bounds(s, grids[s], direction) for s in names}
    dt, cpu = time.perf_counter() - t, time.process_time() - p
    print(
        f"[2] {len(names)} visible searches, full mass grids ({n_mass} masses), new direction: "
        f"{dt * 1e3:.1f} ms wall, {cpu * 1e3:.1f} ms CPU ({n_mass / dt:.3e} masses/s)"
    )

    # naive: per mass, root finding of value/limit = 1 along the ray s * direction (brentq, scalar calls)
    norm = np.hypot(direction["c_ae"], direction["c_ve"])

    def ratio(s: float, name: str, m: float) -> float:
        c = Couplings(m, **{k: v * s / norm for k, v in direction.items()})
        v, lim, _ = rc.recast_value_and_limit(name, c)
        return float(np.log(v / lim)) if v > 0 else -50.0

    sample = []
    for s in names:
        b = res[s]
        ok = np.flatnonzero(np.isfinite(b.lower))
        sample += [(s, grids[s][i], b.lower[i]) for i in ok[:: max(1, ok.size // 3)][:3]]
    t = time.perf_counter()
    worst = 0.0
    for s, m, lo in sample:
        root = brentq(ratio, lo * 0.5, lo * 1.5, args=(s, m), xtol=1e-14 * lo, rtol=1e-10)
        worst = max(worst, abs(root / lo - 1.0))
    dtn = (time.perf_counter() - t) / len(sample)
    est = dtn * n_mass
    print(
        f"    naive per-mass brentq: {dtn * 1e3:.2f} ms per mass (lower edge only) -> {est:.2f} s for all "
        f"grids; vectorised is {est / dt:.0f}x faster; max |edge difference| {worst:.1e}"
    )


def bench_bank() -> None:
    from zprime.physics.constraints.base import chi2_threshold

    bk = rc.bank(False)
    pairs = [(s, chi2_threshold(s.cl)) for s in bk.searches]
    print(f"[3] {len(pairs)} searches on small batches (new Couplings each call; best of 15):")
    for n in (1, 10, 100, 300, 512, 1000, 3000):
        cs = [random_couplings(n, seed) for seed in range(15)]

        def per_search(c: Couplings) -> None:
            for s, t in pairs:
                s.upper_bound_arrays(c, t)

        def banked(c: Couplings) -> None:
            for s, t in pairs:
                rc.bank_arrays(s.name, c, t)

        times = []
        for fn in (per_search, banked):
            best = np.inf
            for c in cs:
                rc.STATE_CACHE.clear()
                t = time.perf_counter()
                fn(c)
                best = min(best, time.perf_counter() - t)
            times.append(best)
        print(
            f"    n = {n:>5}: search by search {times[0] * 1e3:7.3f} ms, bank {times[1] * 1e3:7.3f} ms "
            f"(bank {'used' if n <= rc.BANK_MAX_POINTS else 'not used'}: BANK_MAX_POINTS = {rc.BANK_MAX_POINTS})"
        )


if __name__ == "__main__":
    n = int(float(sys.argv[1])) if len(sys.argv) > 1 else 1_000_000
    bench_points(n)
    bench_grids()
    bench_bank()

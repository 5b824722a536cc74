"""Benchmark: every current constraint (and the anomalies) on 1e6 random points in one call.

Prints points/s per constraint and in total, next to a naive per-point loop run in the same process
(each point its own Couplings, all constraints evaluated one by one). Target (issue): < 1 s for 1e6 points.
A script, not a test:  python benchmarks/bench_constraints.py [n_points]
"""

from __future__ import annotations

import sys
import time

import numpy as np

from zprime import Couplings
from zprime.constraints import EvalOptions, select
from zprime.likelihood import anomalies


def random_points(n: int, seed: int = 1) -> Couplings:
    rng = np.random.default_rng(seed)

    def c(top: float) -> np.ndarray:
        return rng.choice([-1.0, 1.0], n) * 10 ** rng.uniform(-9, np.log10(top), n)

    return Couplings(mass_mev=10 ** rng.uniform(0.0, 3.0, n), c_ve=c(1e-2), c_ae=c(1e-2), c_vmu=c(1e-2),
                     c_amu=c(1e-3), c_nue=c(1e-4), c_numu=c(1e-4), c_nutau=c(1e-4))


def main(n: int = 1_000_000) -> None:
    cons = select()
    opts = EvalOptions()
    warm = random_points(1000)
    for k in cons:  # build caches (limit curves, beam-dump windows, K tables)
        k.evaluate(warm, opts)
    c = random_points(n)
    print(f"{len(cons)} current constraints, {n:.0e} random points (mass 1-1000 MeV, couplings 1e-9-1e-2)")
    total = 0.0
    rows = []
    for k in cons:
        t = time.perf_counter()
        k.evaluate(c, opts)
        dt = time.perf_counter() - t
        total += dt
        rows.append((dt, k.name))
    t = time.perf_counter()
    anomalies(c)
    dt_an = time.perf_counter() - t
    total += dt_an
    for dt, name in sorted(rows, reverse=True)[:8]:
        print(f"  {name:<24}{dt * 1e3:9.1f} ms")
    print(f"  {'anomalies (g-2)':<24}{dt_an * 1e3:9.1f} ms")
    print(f"all current constraints + anomalies: {total:.2f} s for {n:.0e} points -> "
          f"{n / total:.3g} points/s (target < 1 s)")
    n_loop = 200
    pts = random_points(n_loop, seed=2)
    t = time.perf_counter()
    for i in range(n_loop):
        p = pts[i]
        for k in cons:
            k.evaluate(p, opts)
        anomalies(p)
    dt_loop = time.perf_counter() - t
    print(f"naive per-point loop: {n_loop / dt_loop:.3g} points/s; vectorised / naive = "
          f"{(n / total) / (n_loop / dt_loop):.3g}x")


if __name__ == "__main__":
    main(int(float(sys.argv[1])) if len(sys.argv) > 1 else 1_000_000)

"""Benchmark of ``zprime limits``: every curve of one model on 400 masses (a script; not a test).

Times :func:`zprime.analyses.limits.limits` for B−L (all applicable constraints, each published curve on its
own masses too, and the g−2 bands) after a warm-up call, and compares with a per-mass root-finding baseline
run in the same process: for each constraint and each of the 400 masses, scipy's brentq on the constraint's
verdict margin log(value/limit) along g′ (the lower edge only; one-sided). Target (issue 17): at least 300×
faster per limit than DarkCast, which takes about 21 s to recast 39 limits to B−L on this kind of machine
(0.54 s per limit). Timings are the best of 7 calls; the load average is printed with them.

Run:  python benchmarks/bench_limits.py [model]
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np
from scipy.optimize import brentq

from zprime.analyses.limits import limits
from zprime.physics.constraints import EvalOptions, get
from zprime.physics.models import resolve

#: DarkCast recasting 39 published limits to B−L takes about 21 s (issue 17)
DARKCAST_S_PER_LIMIT = 21.0 / 39.0


def baseline(model: str, names: list[str], masses: np.ndarray) -> int:
    """Per-mass brentq on log(value/limit) for the prompt recast curves; returns the number of roots."""
    mdl = resolve(model)
    opts = EvalOptions(edition="2025")
    found = 0
    for name in names:
        k = get(name)
        for m in masses:

            def margin(lg: float, k=k, m=m) -> float:
                r = k.evaluate(mdl.couplings(mass_mev=m, g_prime=10**lg, eps=0.0), opts)
                return float(np.log(abs(float(r.value)) / float(r.limit))) if np.isfinite(r.limit) else np.nan

            try:
                a, b = margin(-9.0), margin(0.0)
                if np.isfinite(a) and np.isfinite(b) and a < 0 < b:
                    brentq(margin, -9.0, 0.0, xtol=1e-7)
                    found += 1
            except ValueError:
                pass
    return found


def main() -> None:
    model = sys.argv[1] if len(sys.argv) > 1 else "b_minus_l"
    limits(model)  # warm-up: curves read, beam dumps solved, caches filled
    times = []
    for _ in range(7):
        t0 = time.perf_counter()
        ls = limits(model)
        times.append(time.perf_counter() - t0)
    t_ours = min(times)
    n_points = sum(c.mass_mev.size for c in ls.curves)
    print(
        f"zprime limits {model}: {len(ls.curves)} curves, {n_points} curve points, "
        f"{len(ls.g2_bands)} g-2 bands in {t_ours * 1e3:.0f} ms (best of 7 after warm-up, load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)"
    )
    per_limit = t_ours / max(len(ls.curves), 1)
    ratio = DARKCAST_S_PER_LIMIT / per_limit
    print(f"per limit {per_limit * 1e3:.2f} ms: {ratio:.0f}x DarkCast's 0.54 s (target 300x)")
    prompt = [
        c.name for c in ls.curves if c.kind == "visible" and np.all(np.isinf(c.upper[np.isfinite(c.lower)]))
    ]
    masses = np.geomspace(1.0, 1e4, 400)
    subset = prompt[:3]
    t0 = time.perf_counter()
    found = baseline(model, subset, masses)
    t_base = (time.perf_counter() - t0) * len(ls.curves) / len(subset)
    print(
        f"per-mass brentq baseline: {found} roots for {len(subset)} curves x 400 masses; scaled to "
        f"{len(ls.curves)} curves: {t_base:.1f} s"
    )
    print(f"ratio baseline / zprime: {t_base / t_ours:.0f}x")


if __name__ == "__main__":
    main()

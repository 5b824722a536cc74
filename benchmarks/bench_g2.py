"""Throughput of the vectorised g−2 loop functions against a per-point scipy quadrature.

Run: ``python benchmarks/bench_g2.py [--n 1000000] [--n-quad 2000] [--repeat 5]``

Computes Δa_e (Bodas Eq. (7)) for N random points (mass log-uniform in 1e-3..1e5 MeV, couplings uniform in
[−1e-3, 1e-3]) in one call of ``delta_a_lepton``, then the same Δa with a Python loop of
``scipy.integrate.quad`` over the two Cadeddu integrals (Eqs. (9), (11)) for the first n_quad points, and
prints the points/s of both, their ratio, and the largest difference between the two on the common points.
A script, not a test: timings depend on the machine and never go into assertions.
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numpy as np
from scipy.integrate import IntegrationWarning, quad

from zprime.core.constants import M_E
from zprime.physics.observables.g2 import delta_a_lepton


def _quad_delta_a(mass_mev: float, cv: float, ca: float, ml: float) -> float:
    """Δa = C_V² F_V/(8π²) − C_A² r F_A/(4π²) (Bodas Eq. (7)), F_V and F_A by adaptive quadrature."""
    a = (mass_mev / ml) ** 2
    pts = [min(1.0 / a, 0.5)] if a > 1 else [max(1.0 - np.sqrt(a), 0.5)]

    def fv(z: float) -> float:
        return 2 * z * (1 - z) ** 2 / ((1 - z) ** 2 + a * z)

    def fa(z: float) -> float:
        return (2 * (1 - z) ** 3 + a * z * (1 - z) * (z + 3)) / ((1 - z) ** 2 + a * z)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", IntegrationWarning)
        iv = quad(fv, 0.0, 1.0, points=pts, epsabs=0.0, epsrel=1e-11, limit=200)[0]
        ia = quad(fa, 0.0, 1.0, points=pts, epsabs=0.0, epsrel=1e-11, limit=200)[0]
    return cv * cv * iv / (8 * np.pi**2) - ca * ca * ia / (a * 4 * np.pi**2)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1_000_000, help="points in the vectorised call")
    p.add_argument("--n-quad", type=int, default=2000, help="points in the scipy.quad loop")
    p.add_argument("--repeat", type=int, default=5, help="repetitions of the vectorised call (best is kept)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()

    rng = np.random.default_rng(args.seed)
    mass = 10.0 ** rng.uniform(-3.0, 5.0, args.n)
    cv = rng.uniform(-1e-3, 1e-3, args.n)
    ca = rng.uniform(-1e-3, 1e-3, args.n)

    delta_a_lepton(mass[:1000], cv[:1000], ca[:1000], M_E)  # warm-up
    wall = cpu = np.inf
    for _ in range(args.repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        da = delta_a_lepton(mass, cv, ca, M_E)
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)

    nq = min(args.n_quad, args.n)
    w0, c0 = time.perf_counter(), time.process_time()
    da_q = np.array([_quad_delta_a(mass[i], cv[i], ca[i], M_E) for i in range(nq)])
    wall_q, cpu_q = time.perf_counter() - w0, time.process_time() - c0

    scale = np.abs(cv[:nq] ** 2 * 1.0) + np.abs(ca[:nq] ** 2 * (M_E / mass[:nq]) ** 2)
    rel = np.abs(da[:nq] - da_q) / (scale / (4 * np.pi**2))
    print(
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; numpy ufuncs are single-threaded;"
        " CPU time = process_time (the time this process ran on a core), wall = perf_counter"
    )
    row = "{:<26}: {:>9d} points in {:8.1f} ms CPU ({:8.1f} ms wall) -> {:10.3e} points/s ({:10.3e} wall)"
    print(row.format("vectorised delta_a_lepton", args.n, cpu * 1e3, wall * 1e3, args.n / cpu, args.n / wall))
    print(row.format("scipy.quad per-point loop", nq, cpu_q * 1e3, wall_q * 1e3, nq / cpu_q, nq / wall_q))
    ratio_cpu = (args.n / cpu) / (nq / cpu_q)
    ratio_wall = (args.n / wall) / (nq / wall_q)
    print(f"speed-up                  : {ratio_cpu:10.3e} x CPU, {ratio_wall:10.3e} x wall (target >= 1e4)")
    print(f"target 1e7 points/s (CPU) : {'met' if args.n / cpu >= 1e7 else 'NOT met'}")
    print(f"max |difference| vs quad, relative to the size of the two terms: {rel.max():.2e}")


if __name__ == "__main__":
    main()

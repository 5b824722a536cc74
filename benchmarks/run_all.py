"""The speed figures of issue 17, each next to its target and a baseline measured in the same run (not a test).

Figures (ratios where the machine's speed cancels):

1. per-call overhead of ``likelihood.evaluate`` on one point (target < 0.2 ms), the same Couplings object
   each call, in thread CPU time (a busy machine's other processes do not count); baselines: a new
   Couplings object each call (nothing cached), the cost per point of a 10⁶-point call and the sum of the
   constraints called one by one (``Constraint.evaluate``); a second row splits the call into its parts
   (the recast searches as one group, the other constraints one by one, the anomalies, the rest);
2. verdict-only evaluation (``evaluate(..., detail="allowed")``): bytes kept per point (target ≤ 16) and
   throughput on 10⁶ points relative to the full evaluation (target ≥ 2×), both measured here;
4. command-line start: ``zprime --help`` and ``zprime g2 ...`` relative to ``python -c "import numpy"``
   (target ≤ 2×);
6. limits: every curve of one model on 400 masses, per limit, relative to DarkCast's about 21 s for 39
   limits (target ≥ 300×; DarkCast is not run here);
3. ``zprime reproduce`` wall time (target < 15 s): only with ``--reproduce`` (about 30 s);
5. Dask: the compute rate of two ``local`` workers relative to one on a 10⁷-point scan (target ≥ 1.6×);
   baseline: two plain processes relative to one, measured in the same run (``bench_dask.py``);
7. peak RSS of a 10⁸-point ``store = "summary"`` scan (target < 2 GB): measured on 10⁶ and 10⁷ points in
   child processes and extrapolated linearly in N (``--memory-points 1e8`` measures it; minutes).

The machine may be busy: every timing is the best of several repeats. Run:
``python benchmarks/run_all.py [--reproduce] [--points N] [--scan-points N] [--memory-points N,M]``
(``--scan-points 0`` and ``--memory-points ''`` skip figures 5 and 7, about two minutes together).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

DARKCAST_S_PER_LIMIT = 21.0 / 39.0  # DarkCast recasting 39 published limits to B-L (issue 9/17)


def best(
    fn: Callable[[], object],
    repeats: int = 5,
    number: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Best (smallest) mean time per call in seconds over ``repeats`` runs of ``number`` calls, by ``clock``."""
    times = []
    for _ in range(repeats):
        t0 = clock()
        for _ in range(number):
            fn()
        times.append((clock() - t0) / number)
    return min(times)


def best_cpu(fn: Callable[[], object], repeats: int = 7, number: int = 200) -> float:
    """:func:`best` in thread CPU time (``time.thread_time``): what this thread spent, not the wall clock."""
    return best(fn, repeats, number, clock=time.thread_time)


def random_points(n: int, seed: int = 1):  # noqa: ANN201
    """``n`` random points over the masses and couplings that the constraints cover."""
    from zprime.core.couplings import random_couplings

    return random_couplings(n, seed)


def row(label: str, value: str, target: str, baseline: str) -> None:
    print(f"{label:<34} {value:>14}   target {target:<12} baseline {baseline}")


def per_call(n_big: int) -> None:
    from zprime.analyses.likelihood import anomalies, evaluate
    from zprime.core.couplings import Couplings
    from zprime.physics.constraints import EvalOptions, evaluate_all, select

    c = Couplings(mass_mev=20.0, c_ve=1e-4, c_ae=2e-4)
    for _ in range(50):
        evaluate(c)
    t1 = best_cpu(lambda: evaluate(c))
    # a new Couplings object each call (nothing cached for it: widths, production couplings, recast bank)
    fresh = iter([Couplings(mass_mev=20.0 * (1 + 1e-9 * i), c_ve=1e-4, c_ae=2e-4) for i in range(7 * 200)])
    t_new = best_cpu(lambda: evaluate(next(fresh)))
    opts = EvalOptions()
    ks = select()
    t_each = best_cpu(lambda: [k.evaluate(c, opts) for k in ks], number=100)
    grouped = [k for k in ks if k.evaluate_group is not None]
    others = [k for k in ks if k.evaluate_group is None]
    t_group = best_cpu(lambda: evaluate_all(grouped, c, opts))
    t_others = best_cpu(lambda: [k.evaluate(c, opts) for k in others])
    t_anom = best_cpu(lambda: anomalies(c, None, "cs"))
    big = random_points(n_big)
    evaluate(big)
    t_big = best(lambda: evaluate(big), repeats=3)
    row(
        "1. evaluate, 1 point",
        f"{t1 * 1e3:.3f} ms",
        "< 0.2 ms",
        f"new Couplings each call {t_new * 1e3:.3f} ms; {len(ks)} constraints one by one {t_each * 1e3:.3f} ms; "
        f"1 call = {t1 / (t_big / n_big):.0f} points of a {n_big:.0e}-point call (its wall time: threads)",
    )
    rest = t1 - t_group - t_others - t_anom
    row(
        "1. evaluate, 1 point: parts",
        f"{t_others * 1e3:.3f} ms",
        "(not set)",
        f"{len(others)} constraints one by one (value); {len(grouped)} recast searches as one group "
        f"{t_group * 1e3:.3f} ms; anomalies {t_anom * 1e3:.3f} ms; the call less these parts, each timed "
        f"on its own (dispatch, caches shared by all parts) {rest * 1e3:.3f} ms",
    )


def verdicts(n: int) -> None:
    from zprime.analyses.likelihood import evaluate

    c = random_points(n).broadcast()
    small = random_points(2000)
    evaluate(small)
    evaluate(small, detail="allowed")
    ev = evaluate(c)
    full_bytes = sum(a.nbytes for r in ev.results.values() for a in (r.value, r.limit, r.status, r.chi2))
    full_bytes += sum(
        ev.anomalies.pull[f].nbytes + np.asarray(ev.anomalies.delta_a[f]).nbytes for f in "e mu".split()
    )
    del ev
    s = evaluate(c, detail="allowed")
    row(
        "2. verdict-only bytes/point",
        f"{s.nbytes_per_point} B",
        "<= 16 B",
        f"full Evaluation {full_bytes / n:.0f} B",
    )
    del s
    t_full, t_allowed = [], []
    load = os.getloadavg()[0]
    for _ in range(5):  # interleaved: a busy machine slows both alike
        t_full.append(best(lambda: evaluate(c), repeats=1))
        t_allowed.append(best(lambda: evaluate(c, detail="allowed"), repeats=1))
    tf, ta = min(t_full), min(t_allowed)
    row(
        "2. verdict-only throughput",
        f"{tf / ta:.2f}x full",
        ">= 2x",
        f"full {n / tf / 1e6:.2f} M points/s, verdicts {n / ta / 1e6:.2f} M points/s ({n:.0e} points; "
        f"load average {load:.1f} before, {os.getloadavg()[0]:.1f} after)",
    )


def _run(args: list[str], repeats: int = 7) -> tuple[float, float]:
    """(best wall time, best CPU time) in seconds of the command ``args`` over ``repeats`` runs."""
    import resource

    from bench_reproduce import with_bytecode

    env = {
        **with_bytecode(os.environ),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(_SRC), os.environ.get("PYTHONPATH")])),
    }
    cpu = []

    def once() -> None:
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime))

    once()  # warm the file cache
    cpu.clear()
    return best(once, repeats=repeats), min(cpu)


_SRC = Path(__file__).resolve().parents[1] / "src"


def cli_start() -> None:
    """Figure 4: wall-time ratio (the CPU-time ratio, steadier on a busy machine, in the baseline column)."""
    py = sys.executable
    cli = [py, "-c", "from zprime.app.cli import main; main()"]
    t_np, c_np = _run([py, "-c", "import numpy"])
    for label, args in (
        ("4. zprime --help start", ["--help"]),
        ("4. zprime g2 ... start", ["g2", "--mass", "20", "--cae", "2e-4", "--cvmu", "5e-4"]),
    ):
        t, c = _run([*cli, *args])
        row(
            label,
            f"{t / t_np:.2f}x",
            "<= 2x",
            f"{t * 1e3:.0f} ms, CPU {c / c_np:.2f}x; python -c 'import numpy' {t_np * 1e3:.0f} ms "
            f"(CPU {c_np * 1e3:.0f} ms); load {os.getloadavg()[0]:.1f}",
        )


def limits_speed(model: str = "b_minus_l") -> None:
    from zprime.analyses.limits import limits

    ls = limits(model)  # warm-up: curves read, beam dumps solved
    t = best(lambda: limits(model), repeats=7)
    per_limit = t / max(len(ls.curves), 1)
    row(
        f"6. limits {model}, 400 masses",
        f"{DARKCAST_S_PER_LIMIT / per_limit:.0f}x",
        ">= 300x",
        f"{len(ls.curves)} curves in {t * 1e3:.0f} ms (best of 7, load {os.getloadavg()[0]:.1f}); "
        "DarkCast 21 s for 39 limits (not run here)",
    )


def reproduce_time() -> None:
    """Figure 3 (``bench_reproduce.py``): the full run, its warm-cache rerun and the ``--jobs 1`` baseline."""
    import bench_reproduce

    r = bench_reproduce.measure()
    full, warm, serial = r["full"], r["warm"], r["serial"]
    row(
        "3. zprime reproduce",
        f"{full.wall_s:.1f} s",
        "< 15 s",
        f"best of {len(r['full_runs'])} ({', '.join(f'{t.wall_s:.1f}' for t in r['full_runs'])} s); "
        f"--jobs 1 {serial.wall_s:.1f} s; CPU {full.cpu_s:.0f} s vs {serial.cpu_s:.0f} s; idle-core bound "
        f"{full.critical_cpu_s:.1f} s vs {serial.critical_cpu_s:.1f} s; load {full.load:.1f}/{serial.load:.1f} "
        f"on {os.cpu_count()} CPUs",
    )
    row(
        "3. reproduce, warm --cache rerun",
        f"{warm.wall_s:.1f} s",
        "byte-identical",
        f"{'identical' if r['identical'] else 'DIFFERENT'} files; cold run {full.wall_s:.1f} s",
    )


def dask_and_memory(scan_points: float, memory_points: str) -> None:
    """Figures 5 and 7 (``bench_dask.py``); each is skipped when given no size."""
    import bench_dask

    if scan_points > 0:
        value, baseline = bench_dask.report_scaling(bench_dask.scaling(int(scan_points)))
        row(f"5. Dask local:2 vs 1, {scan_points:.0e} pts", value, ">= 1.6x", baseline)
    else:
        row("5. Dask local:2 vs 1 worker", "not measured", ">= 1.6x", "run with --scan-points 1e7")
    sizes = [int(float(x)) for x in memory_points.split(",") if x.strip()]
    if sizes:
        value, baseline = bench_dask.report_memory(bench_dask.memory(sizes))
        row("7. peak RSS, 1e8-point scan", value, "< 2 GB", baseline)
    else:
        row("7. peak RSS, 1e8-point scan", "not measured", "< 2 GB", "run with --memory-points 1e6,1e7")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reproduce", action="store_true", help="also time zprime reproduce (about 30 s)")
    ap.add_argument("--points", type=int, default=10**6, help="points of the throughput figures")
    ap.add_argument("--scan-points", type=float, default=1e7, help="points of the Dask scans (0: skip)")
    ap.add_argument("--memory-points", default="1e6,1e7", help="sizes of the memory scans ('': skip)")
    a = ap.parse_args()
    print(f"zprime speed figures (issue 17), {os.cpu_count()} CPUs; best of several repeats each")
    per_call(a.points)
    verdicts(a.points)
    cli_start()
    limits_speed()
    if a.reproduce:
        reproduce_time()
    else:
        row("3. zprime reproduce", "not measured", "< 15 s", "run with --reproduce")
    dask_and_memory(a.scan_points, a.memory_points)


if __name__ == "__main__":
    main()

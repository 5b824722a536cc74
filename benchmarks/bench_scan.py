"""Throughput of zprime scans: g−2 alone, all constraints, 1 and 2 dask workers, and a naive per-point loop.

Run: ``python benchmarks/bench_scan.py [--points 500000] [--chunk-size 16384] [--workers 1,2] [--naive 40]``
(``--points 10000000`` is the 1e7-point scan of the issue; the default runs in about 1–2 minutes on 2 idle
cores).

The grid is the generic model over (mass_mev, c_ae, c_ve, c_vmu), log-spaced, with about ``--points``
points. Every scan runs through :func:`zprime.scan.run_scan` (chunked, chunk store, netCDF assembly), so
the numbers include the real overheads. For each scan the script prints

- ``compute``: points/s between the first and the last finished chunk (cluster start-up excluded);
- ``end-to-end``: points/s over the whole call (start-up, evaluation, chunk store, netCDF);
- the peak resident memory of this process (the client; dask workers are separate processes).

It also times 1 and 2 plain processes evaluating chunks side by side (no dask, no I/O): the parallelism
the machine actually offers at the moment, against which the dask ratio is to be read. The naive
baseline calls :func:`zprime.analyses.likelihood.evaluate` in a Python loop on scalar points. A script,
not a test: timings depend on the machine (and on what else runs on it) and never go into assertions.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np


def grid_config(points: int, chunk_size: int, constraints: object = "current") -> dict:
    """A 4-axis grid with about ``points`` points (generic model)."""
    n = max(2, round(points**0.25))
    m = max(2, round(points / n**3))
    return {
        "model": "generic",
        "edition": "2021",
        "ae": "cs",
        "constraints": constraints,
        "chunk_size": chunk_size,
        "axes": {
            "mass_mev": {"min": 1.0, "max": 1000.0, "points": m, "scale": "log"},
            "c_ae": {"min": 1e-7, "max": 1e-2, "points": n, "scale": "log"},
            "c_ve": {"min": 1e-7, "max": 1e-2, "points": n, "scale": "log"},
            "c_vmu": {"min": 1e-5, "max": 1e-2, "points": n, "scale": "log"},
        },
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def timed_scan(label: str, cfg: dict, out: Path, scheduler: str | None) -> dict:
    import zprime.scan as scan

    stamps: list[float] = []
    t0 = time.perf_counter()
    ds = scan.run_scan(
        cfg,
        out,
        scheduler=scheduler,
        progress=False,
        compression=None,
        on_chunk=lambda cid: stamps.append(time.perf_counter()),
    )
    t1 = time.perf_counter()
    n = int(ds.attrs["n_points"])
    ds.close()
    plan = scan.ScanConfig.from_dict(cfg).plan()
    first = math.prod(s.stop - s.start for s in plan.chunk_slices(0))
    compute = (n - first) / (stamps[-1] - stamps[0]) if len(stamps) > 1 else n / (t1 - t0)
    return {
        "label": label,
        "points": n,
        "chunks": plan.n_chunks,
        "compute": compute,
        "end_to_end": n / (t1 - t0),
        "wall": t1 - t0,
        "rss": peak_rss_mb(),
    }


def _raw_worker(points: int, chunk_size: int, cids: list[int]) -> tuple[int, float]:
    """Evaluate chunks directly (no dask, no I/O) in this process: (points, seconds) after one warm-up."""
    import zprime.scan as scan
    from zprime.scan.worker import compute_chunk

    plan = scan.ScanConfig.from_dict(grid_config(points, chunk_size)).plan()
    cids = [c % plan.n_chunks for c in cids]  # a coarse grid has fewer chunks than asked for: reuse them
    compute_chunk(plan, cids[0])
    t0 = time.perf_counter()
    n = sum(compute_chunk(plan, c)[1]["allowed"].size for c in cids[1:])
    return n, time.perf_counter() - t0


def raw_parallel(points: int, chunk_size: int, n_proc: int, per_proc: int = 8) -> float:
    """points/s of ``n_proc`` independent processes evaluating chunks at once: the hardware's ceiling."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(n_proc, mp_context=mp.get_context("spawn")) as ex:
        futs = [
            ex.submit(_raw_worker, points, chunk_size, list(range(i * per_proc, (i + 1) * per_proc + 1)))
            for i in range(n_proc)
        ]
        res = [f.result() for f in futs]
    return sum(n for n, _ in res) / max(t for _, t in res)


def naive(n_points: int) -> float:
    """points/s of a Python loop calling likelihood.evaluate on scalar points (all current constraints)."""
    from zprime.analyses.likelihood import evaluate
    from zprime.core.couplings import Couplings
    from zprime.physics.constraints import select

    rng = np.random.default_rng(1)
    chosen = select()
    pts = [
        Couplings(
            mass_mev=10 ** rng.uniform(0, 3),
            c_ae=10 ** rng.uniform(-7, -2),
            c_ve=10 ** rng.uniform(-7, -2),
            c_vmu=10 ** rng.uniform(-5, -2),
        )
        for _ in range(n_points)
    ]
    evaluate(pts[0], chosen)
    t0 = time.perf_counter()
    for c in pts:
        ev = evaluate(c, chosen)
        _ = ev.allowed, ev.chi2_total
    return n_points / (time.perf_counter() - t0)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=float, default=5e5, help="grid size (1e7 for the issue's target)")
    p.add_argument(
        "--chunk-size",
        type=int,
        default=16384,
        help="points per chunk (use >= 20 chunks per scan for a meaningful compute rate)",
    )
    p.add_argument("--workers", default="1,2", help="dask LocalCluster sizes to time ('' to skip dask)")
    p.add_argument("--naive", type=int, default=40, help="points in the per-point Python loop")
    p.add_argument("--keep", action="store_true", help="keep the output folder")
    p.add_argument(
        "--no-raw",
        dest="raw",
        action="store_false",
        help="skip the hardware-ceiling check (1 and 2 plain processes, no dask)",
    )
    args = p.parse_args()

    from zprime.physics.constraints import select

    n_constraints = len(select())
    points = int(args.points)
    tmp = Path(tempfile.mkdtemp(prefix="zprime-bench-scan-"))
    rows = []
    try:
        print(
            f"cpus: {os.cpu_count()}, load average: {os.getloadavg()[0]:.2f}; grid ~{points:.2e} points; "
            f"chunk_size {args.chunk_size}; {n_constraints} current constraints",
            flush=True,
        )
        rows.append(
            timed_scan("g-2 only, serial", grid_config(points, args.chunk_size, []), tmp / "g2.nc", None)
        )
        print(f"  done: {rows[-1]['label']}", flush=True)
        rows.append(
            timed_scan(
                "all constraints, serial", grid_config(points, args.chunk_size), tmp / "serial.nc", None
            )
        )
        print(f"  done: {rows[-1]['label']}", flush=True)
        for w in [int(x) for x in args.workers.split(",") if x.strip()]:
            rows.append(
                timed_scan(
                    f"all constraints, {w} worker{'s' if w > 1 else ''}",
                    grid_config(points, args.chunk_size),
                    tmp / f"dask{w}.nc",
                    f"local:{w}",
                )
            )
            print(f"  done: {rows[-1]['label']}", flush=True)
        rate_naive = naive(args.naive) if args.naive > 0 else float("nan")
        raw = {w: raw_parallel(points, args.chunk_size, w) for w in (1, 2)} if args.raw else {}
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)

    print(
        f"\n{'scan':<30}{'points':>12}{'chunks':>8}{'compute pts/s':>16}{'end-to-end pts/s':>18}"
        f"{'wall s':>9}{'peak RSS MB':>13}"
    )
    for r in rows:
        print(
            f"{r['label']:<30}{r['points']:>12,}{r['chunks']:>8}{r['compute']:>16,.0f}{r['end_to_end']:>18,.0f}"
            f"{r['wall']:>9.1f}{r['rss']:>13.0f}"
        )
    print(f"{'naive per-point loop':<30}{args.naive:>12,}{'-':>8}{rate_naive:>16,.1f}")
    serial = next(r for r in rows if r["label"].startswith("all constraints, serial"))
    print(f"\nvectorised serial scan / naive loop: {serial['compute'] / rate_naive:,.0f}x")
    w = {int(r["label"].split(", ")[1].split()[0]): r for r in rows if "worker" in r["label"]}
    if 1 in w and 2 in w:
        ratio = w[2]["compute"] / w[1]["compute"]
        print(
            f"2 workers / 1 worker (compute): {ratio:.2f}x (target >= 1.6x on a 1e7-point scan); "
            f"end-to-end {w[2]['end_to_end'] / w[1]['end_to_end']:.2f}x"
        )
    if raw:
        print(
            f"hardware ceiling, 2 plain processes / 1 (no dask, no I/O): {raw[2] / raw[1]:.2f}x "
            f"({raw[1]:,.0f} -> {raw[2]:,.0f} points/s); load average now {os.getloadavg()[0]:.2f}"
        )


if __name__ == "__main__":
    main()

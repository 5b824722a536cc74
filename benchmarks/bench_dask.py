"""Dask scaling and scan memory (issue 17, figures 5 and 7); a script, not a test.

5. **Dask scaling.** One scan of ``--points`` points (default 10⁷, ``store = "summary"``, no compression)
   through :func:`zprime.scan.run_scan` with one and two ``local`` workers and with the threaded serial path,
   interleaved ``--repeats`` times (a busy machine slows every variant alike; the best of each is kept).
   The figure is the ratio of the *compute* rates (points/s between the first and the last finished
   chunk: the cluster's start-up and the serial netCDF assembly are left out); the end-to-end ratio is
   printed beside it. Its baseline, measured in the same run, is the parallelism the machine offers at that
   moment: two plain processes evaluating chunks side by side against one (no dask, no I/O).
7. **Peak memory.** ``ru_maxrss`` of a child process that runs a ``store = "summary"`` scan of each size of
   ``--memory-points`` (default 10⁶ and 10⁷) on the threaded path, chunk store and netCDF included. A
   10⁸-point scan takes minutes on two cores, so it is extrapolated linearly in N from the two largest
   sizes measured, printed as such (run ``--memory-points 1e8`` to measure it).

Run: ``python benchmarks/bench_dask.py [--points 1e7] [--repeats 2] [--memory-points 1e6,1e7]``;
``benchmarks/run_all.py`` prints the same two figures next to their targets.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_scan import grid_config, raw_parallel, timed_scan

CHUNK = 131072  # the scan's default chunk size


def summary_config(points: int, chunk_size: int = CHUNK) -> dict:
    """The benchmark grid (generic model, 4 log axes, every current constraint), verdict-only store."""
    return {**grid_config(points, chunk_size), "store": "summary"}


def load() -> float:
    """The one-minute load average (other jobs on the machine)."""
    return os.getloadavg()[0]


def scaling(points: int = 10**7, repeats: int = 2, chunk_size: int = CHUNK) -> dict:
    """Best compute and end-to-end rates of the serial (threaded), ``local:1`` and ``local:2`` scans, and the
    machine's own 2-process / 1-process ratio measured in between."""
    variants = {"threads": None, "local:1": "local:1", "local:2": "local:2"}
    best: dict[str, dict] = {}
    loads = [load()]
    tmp = Path(tempfile.mkdtemp(prefix="zprime-bench-dask-"))
    try:
        for r in range(repeats):
            for name, sched in variants.items():
                res = timed_scan(name, summary_config(points, chunk_size), tmp / f"{r}-{name[-1]}.nc", sched)
                loads.append(load())
                old = best.get(name)
                best[name] = {
                    "compute": max(res["compute"], old["compute"] if old else 0.0),
                    "end_to_end": max(res["end_to_end"], old["end_to_end"] if old else 0.0),
                    "points": res["points"],
                    "chunks": res["chunks"],
                }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    raw = {w: raw_parallel(points, chunk_size, w, per_proc=12) for w in (1, 2)}
    loads.append(load())
    return {"best": best, "ceiling": raw[2] / raw[1], "raw": raw, "loads": loads}


def peak_rss_child(points: int, chunk_size: int = CHUNK) -> float:
    """Peak resident memory (MB) of a fresh process that runs one ``store = "summary"`` scan of ``points``."""
    src = Path(__file__).resolve().parents[1] / "src"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")])),
    }
    out = subprocess.run(
        [sys.executable, __file__, "--rss-child", str(points), "--chunk-size", str(chunk_size)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    return float(json.loads(out.strip().splitlines()[-1])["peak_rss_mb"])


def _rss_child(points: int, chunk_size: int) -> None:
    import zprime.scan as scan

    with tempfile.TemporaryDirectory(prefix="zprime-bench-rss-") as tmp:
        scan.run_scan(summary_config(points, chunk_size), Path(tmp) / "m.nc", progress=False).close()
    print(json.dumps({"peak_rss_mb": _peak_rss_mb()}))


def _peak_rss_mb() -> float:
    """This process's peak resident memory in MB: VmHWM of /proc/self/status where there is one (it belongs to
    the program's own memory map, made at exec; ``ru_maxrss`` keeps the peak of the parent that forked it
    when that was larger), else ``ru_maxrss``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return float(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux


def memory(sizes: list[int], chunk_size: int = CHUNK) -> dict:
    """Peak RSS per size and the linear extrapolation to 10⁸ points from the two largest sizes."""
    rss = {n: peak_rss_child(n, chunk_size) for n in sizes}
    big = sorted(rss)
    slope = (rss[big[-1]] - rss[big[-2]]) / (big[-1] - big[-2]) if len(big) > 1 else 0.0
    at_1e8 = rss[big[-1]] + max(slope, 0.0) * (10**8 - big[-1])
    return {"rss": rss, "slope_mb_per_point": slope, "at_1e8": at_1e8, "measured_1e8": 10**8 in rss}


def report_scaling(s: dict) -> tuple[str, str]:
    """(value, baseline) strings of figure 5."""
    b = s["best"]
    ratio = b["local:2"]["compute"] / b["local:1"]["compute"]
    e2e = b["local:2"]["end_to_end"] / b["local:1"]["end_to_end"]
    value = f"{ratio:.2f}x"
    baseline = (
        f"2 plain processes {s['ceiling']:.2f}x 1; end to end {e2e:.2f}x; threads "
        f"{b['threads']['compute'] / 1e6:.2f}, 1 worker {b['local:1']['compute'] / 1e6:.2f}, 2 workers "
        f"{b['local:2']['compute'] / 1e6:.2f} M points/s ({b['local:1']['points']:.1e} points, "
        f"{b['local:1']['chunks']} chunks); load {min(s['loads']):.1f}-{max(s['loads']):.1f} on "
        f"{os.cpu_count()} CPUs"
    )
    return value, baseline


def report_memory(m: dict) -> tuple[str, str]:
    """(value, baseline) strings of figure 7."""
    measured = ", ".join(f"{n:.0e}: {r:.0f} MB" for n, r in sorted(m["rss"].items()))
    if m["measured_1e8"]:
        return f"{m['rss'][10**8]:.0f} MB", f"measured; {measured}"
    return (
        f"{m['at_1e8']:.0f} MB",
        f"extrapolated linearly from {measured} ({m['slope_mb_per_point'] * 1e6:+.1f} MB per 1e6 points)",
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=float, default=1e7, help="points of the scaling scans")
    ap.add_argument("--repeats", type=int, default=2, help="interleaved repeats of the scaling scans")
    ap.add_argument("--memory-points", default="1e6,1e7", help="comma-separated sizes of the memory scans")
    ap.add_argument("--chunk-size", type=int, default=CHUNK, help="points per chunk")
    ap.add_argument("--rss-child", type=float, default=None, help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.rss_child is not None:
        _rss_child(int(a.rss_child), a.chunk_size)
        return
    if a.points > 0:
        print(
            "5. Dask scaling:", *report_scaling(scaling(int(a.points), a.repeats, a.chunk_size)), sep="\n  "
        )
    sizes = [int(float(x)) for x in a.memory_points.split(",") if x.strip()]
    if sizes:
        print("7. peak RSS of a 1e8-point scan:", *report_memory(memory(sizes, a.chunk_size)), sep="\n  ")


if __name__ == "__main__":
    main()

"""``zprime reproduce``: wall and CPU time with worker processes, serially, and rerun from a warm ``--cache``.

Run: ``python benchmarks/bench_reproduce.py`` (about a minute and a half on 2 idle cores).

Runs of the real command, each in a child process (CPU time = user + system of the child and its
workers): (1) the default (one worker process per CPU) filling an empty cache, (2) the same command again,
which copies the outputs back from the cache, checked byte for byte against (1), and (3) the baseline
``--jobs 1``, every piece in one process as before the worker processes (the same numbers); (1) is
repeated with a new cache (wall times vary by ±10 % from run to run here) and the fastest is kept. The load average
is printed with each: on a busy machine compare CPU times and ratios, not wall times. The CPU time of the
busiest worker plus that of the main process alone (from the progress lines, which name each piece's CPU
time and process) bounds the wall time on otherwise idle cores from above (the main process loads the
figures' libraries while the first worker already runs). The commands run from Python's bytecode cache, as
an installed zprime does, also where PYTHONDONTWRITEBYTECODE is set (:func:`with_bytecode`). A script, not a
test.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

_SRC = Path(__file__).resolve().parents[1] / "src"


@dataclass(frozen=True)
class Timing:
    wall_s: float
    cpu_s: float  # user + system of the command and its worker processes
    load: float  # 1-minute load average at the end
    critical_cpu_s: float  # CPU time of the busiest worker + the main process's own: wall time bound (idle)


_TASK = re.compile(r"\(([0-9.]+) s CPU, process (\d+)\)$")


def _critical_cpu(progress: str, cpu_s: float) -> float:
    """From the progress lines (each piece's CPU time and process): the CPU time of the busiest process plus
    what the main process did on its own (the total less every piece's)."""
    per_proc: dict[str, float] = {}
    for line in progress.splitlines():
        m = _TASK.search(line.strip())
        if m:
            per_proc[m.group(2)] = per_proc.get(m.group(2), 0.0) + float(m.group(1))
    if not per_proc:
        return cpu_s
    return max(per_proc.values()) + max(cpu_s - sum(per_proc.values()), 0.0)


def with_bytecode(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` without PYTHONDONTWRITEBYTECODE: the command runs from Python's bytecode cache, as an installed
    package does (pip compiles it at install); where the variable is set (e.g. a sandbox), every run would
    compile zprime's sources again, in the main process and in each worker (about 1.7 s of a reproduce run
    on the 2-core development machine)."""
    return {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_reproduce(out: Path, *options: str) -> Timing:
    """One ``zprime reproduce --out OUT OPTIONS`` in a child process (its progress lines are parsed)."""
    env = {
        **with_bytecode(os.environ),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(_SRC), os.environ.get("PYTHONPATH")])),
    }
    cmd = [sys.executable, "-m", "zprime.app.cli", "reproduce", "--out", str(out), *options]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    r = subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return Timing(wall, cpu, os.getloadavg()[0], _critical_cpu(r.stderr, cpu))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def measure(baseline: bool = True, repeats: int = 2) -> dict[str, object]:
    """The three runs of the module docstring (the baseline only with ``baseline``); the full run is done
    ``repeats`` times (each filling a new cache; the fastest is kept, every one in ``"full_runs"``)."""
    with tempfile.TemporaryDirectory() as tmp:
        out, cache = Path(tmp) / "out", Path(tmp) / "cache"
        runs = [run_reproduce(out, "--cache", str(cache))]
        first = _files(out)
        warm = run_reproduce(out, "--cache", str(cache))
        identical = _files(out) == first
        for k in range(1, repeats):
            runs.append(run_reproduce(Path(tmp) / f"out{k}", "--cache", str(Path(tmp) / f"cache{k}")))
        serial = run_reproduce(Path(tmp) / "serial", "--jobs", "1") if baseline else None
    full = min(runs, key=lambda t: t.wall_s)
    return {"full": full, "full_runs": runs, "warm": warm, "identical": identical, "serial": serial}


def describe(t: Timing) -> str:
    return (
        f"{t.wall_s:.1f} s wall, {t.cpu_s:.1f} s CPU, load {t.load:.1f}; "
        f"busiest process + main {t.critical_cpu_s:.1f} s CPU"
    )


def main() -> None:
    r = measure()
    print(f"{os.cpu_count()} CPUs")
    for key in ("full", "warm", "serial"):
        print(f"{key:<8} {describe(r[key])}")  # type: ignore[arg-type]
    print("full runs: " + ", ".join(f"{t.wall_s:.1f} s" for t in r["full_runs"]))  # type: ignore[attr-defined]
    print(f"warm rerun byte-identical to the first run: {'yes' if r['identical'] else 'NO'}")


if __name__ == "__main__":
    main()

"""Kill safety of ``zprime figure`` and ``zprime reproduce`` (issue 16 item 2): SIGKILL at seeded random
moments never leaves a truncated file under a final name, nor a summary beside missing or newer figures.

Each case starts the real command in a subprocess, waits for its first output to appear in the folder (so
that the kill lands in the writing phase, where it matters) plus a random delay, and sends SIGKILL. Then
every file left is opened: PNG (complete through IEND, readable by PIL), PDF (``%%EOF``), netCDF (xarray),
summary (JSON; every figure listed exists, opens and is not newer than the summary). The cases run one after
the other in one folder, so each also checks that a rerun after a kill is safe; the last rerun completes.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import xarray as xr
from PIL import Image

FIG = "cadeddu2021-fig4"  # a quick figure
TRIMMED_REPRODUCE = (
    "import sys\n"
    "from zprime.app.reproduce import reproduce\n"
    f"reproduce(sys.argv[1], quick=True, quiet=True, figures_only=[{FIG!r}, 'bodas2021-fig2a'], verdicts=False)\n"
)
TMP = re.compile(r"^\..+\.tmp\d+$")  # temporaries of zprime.core.outputs.atomic_write
PNG_END = b"IEND\xaeB`\x82"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "zprime.app.cli", *args]


def _finals(folder: Path) -> list[str]:
    return [n for n in os.listdir(folder) if not TMP.match(n)] if folder.is_dir() else []


def _versions(folder: Path) -> set[tuple[str, int]]:
    """(name, mtime) of every entry: a new pair for each file written (temporary or final)."""
    out = set()
    for e in os.scandir(folder) if folder.is_dir() else ():
        try:
            out.add((e.name, e.stat().st_mtime_ns))
        except FileNotFoundError:  # a temporary renamed meanwhile
            pass
    return out


def _kill_after(cmd: list[str], folder: Path, n_files: int, delay: float) -> int:
    """Start ``cmd``; once ``n_files`` files have been written in ``folder`` (new names or new versions,
    temporaries included), wait ``delay`` s and SIGKILL it. Returns the exit code (-9 killed, 0 finished)."""
    before = _versions(folder)
    seen: set[tuple[str, int]] = set()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 180
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            seen |= _versions(folder) - before
            if len(seen) >= n_files:
                time.sleep(delay)
                break
            time.sleep(0.005)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode in (0, -signal.SIGKILL), err.decode()[-2000:]
    return proc.returncode


def _check_file(path: Path) -> None:
    name = path.name
    if name.endswith(".png"):
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG") and data.endswith(PNG_END), f"truncated {name}"
        with Image.open(path) as im:
            im.load()
    elif name.endswith(".pdf"):
        data = path.read_bytes()
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), f"truncated {name}"
    elif name.endswith(".nc"):
        with xr.open_dataset(path, engine="h5netcdf") as ds:
            ds.load()
    elif name == "summary.json":
        json.loads(path.read_text())
    elif name == "summary.md":
        assert "## Figures" in path.read_text()
    else:
        raise AssertionError(f"unexpected file {name}")


def check_folder(folder: Path) -> None:
    """Every file under a final name is complete; a summary lists only complete figures older than itself."""
    for name in _finals(folder):
        assert not name.startswith("."), name
        _check_file(folder / name)
    js, md = folder / "summary.json", folder / "summary.md"
    if md.exists():  # written last
        assert js.exists() and md.stat().st_mtime_ns >= js.stat().st_mtime_ns
    if js.exists():
        summary = json.loads(js.read_text())
        assert summary["figures"], "a summary without figures"
        for paths in summary["figures"].values():
            for p in paths.values():
                f = folder / Path(p).name
                assert f.exists(), f"summary lists the missing {f.name}"
                _check_file(f)
                assert f.stat().st_mtime_ns <= js.stat().st_mtime_ns, f"{f.name} is newer than the summary"


def test_figure_killed_at_random_moments(tmp_path: Path) -> None:
    rng = random.Random(1603)
    out = tmp_path / "fig"
    codes = []
    for delay in (0.0, rng.uniform(0.0, 0.4)):  # at the first file written, then a little later
        cmd = _cli("figure", FIG, "--resolution", "10", "--out", str(out))
        codes.append(_kill_after(cmd, out, n_files=1, delay=delay))
        check_folder(out)
    assert -signal.SIGKILL in codes
    assert _kill_after(_cli("figure", FIG, "--resolution", "10", "--out", str(out)), out, 99, 0.0) == 0
    check_folder(out)
    assert sorted(os.listdir(out)) == [f"{FIG}.{ext}" for ext in ("nc", "pdf", "png")]  # temporaries gone


def test_reproduce_killed_at_random_moments(tmp_path: Path) -> None:
    from zprime.app.reproduce import reproduce

    rng = random.Random(1604)
    out = tmp_path / "rep"
    reproduce(out, quick=True, quiet=True, figures_only=[FIG], verdicts=False)  # a complete earlier run
    check_folder(out)
    codes = []
    # the real command, killed while it writes its first figures (the old summary must be gone by then)
    cmd = _cli("reproduce", "--quick", "--quiet", "--out", str(out))
    code = _kill_after(cmd, out, n_files=1, delay=rng.uniform(0.0, 2.0))
    codes.append(code)
    check_folder(out)
    if code:
        assert not (out / "summary.json").exists() and not (out / "summary.md").exists()
    # a short reproduction, killed around its end (the summary is written last)
    for _ in range(2):
        cmd = [sys.executable, "-c", TRIMMED_REPRODUCE, str(out)]
        codes.append(_kill_after(cmd, out, n_files=rng.choice([1, 4, 5]), delay=rng.uniform(0.0, 1.5)))
        check_folder(out)
    assert -signal.SIGKILL in codes
    # a rerun after the kills starts clean and completes
    assert _kill_after([sys.executable, "-c", TRIMMED_REPRODUCE, str(out)], out, 999, 0.0) == 0
    check_folder(out)
    assert (out / "summary.md").exists() and not [n for n in os.listdir(out) if TMP.match(n)]

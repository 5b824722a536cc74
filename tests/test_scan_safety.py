"""Scan safety (issue 16 item 3): the size cap before planning, lazy chunk ids, the writer lock (with stale
locks taken over) and no temporaries left by a failed run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import zprime.scan as scan
import zprime.scan.run as scan_run
from zprime.core.errors import InputError
from zprime.core.execution import default_workers
from zprime.core.outputs import OutputLock, atomic_write, pid_alive, remove_stale_temporaries
from zprime.physics.constraints import select
from zprime.scan.config import DEFAULT_MAX_POINTS, MAX_POINTS_ENV

TINY = {
    "model": "generic",
    "edition": "2021",
    "ae": "cs",
    "chunk_size": 4,
    "axes": {
        "mass_mev": {"min": 5.0, "max": 50.0, "points": 3, "scale": "log"},
        "c_ae": {"min": 1e-6, "max": 1e-4, "points": 4, "scale": "log"},
    },
    "fixed": {"c_ve": 1e-5},
}

HUGE_AXES = {
    "mass_mev": {"min": 1.0, "max": 100.0, "points": 10**6, "scale": "log"},
    "c_ae": {"min": 1e-6, "max": 1e-2, "points": 10**6, "scale": "log"},
    "c_vmu": {"min": -1e-3, "max": 1e-3, "points": 10**6},
}


def _tiny() -> dict:
    return {**json.loads(json.dumps(TINY)), "constraints": [k.name for k in select()[:2]]}


def _dead_pid() -> int:
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    pid = int(proc.stdout)
    assert not pid_alive(pid)
    return pid


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if ".tmp" in p.name)


# ------------------------------------------------------------------------------------------ size cap
def test_size_checked_before_planning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAX_POINTS_ENV, raising=False)
    cfg = {
        **TINY,
        "axes": {**HUGE_AXES, "c_ae": {"min": 1e-6, "max": 1e-2, "points": 10**12, "scale": "log"}},
    }
    with pytest.raises(InputError) as info:  # no axis of 1e12 values is ever built
        scan.ScanConfig.from_dict(cfg)
    msg = str(info.value)
    assert info.value.parameter == "axes"
    assert "1e+24 points" in msg and "B of output" in msg and "max_points" in msg and MAX_POINTS_ENV in msg
    assert f"{DEFAULT_MAX_POINTS:.3g}" in msg


def test_size_cap_from_config_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(MAX_POINTS_ENV, raising=False)
    assert scan.ScanConfig.from_dict(_tiny()).plan().size == 12
    with pytest.raises(InputError, match="12 points") as info:
        scan.ScanConfig.from_dict({**_tiny(), "max_points": 11})
    assert "limit is 11 points" in str(info.value)
    monkeypatch.setenv(MAX_POINTS_ENV, "10")
    with pytest.raises(InputError, match="limit is 10 points"):
        scan.ScanConfig.from_dict(_tiny())
    cfg = scan.ScanConfig.from_dict({**_tiny(), "max_points": 12})  # the config wins over the environment
    monkeypatch.setenv(MAX_POINTS_ENV, "many")
    with pytest.raises(InputError) as info:
        scan.ScanConfig.from_dict(_tiny())
    assert info.value.parameter == MAX_POINTS_ENV
    with pytest.raises(InputError) as info:
        scan.ScanConfig.from_dict({**_tiny(), "max_points": 0})
    assert info.value.parameter == "max_points"
    # max_points changes no number: it is not part of the config hash
    assert "max_points" not in cfg.canonical()


# ------------------------------------------------------------------------------------------ lazy ids
def test_huge_plan_is_lazy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three axes of 1e6 values: planning is O(axes); the scan starts at once on its first chunk."""
    cfg = scan.ScanConfig.from_dict(
        {**TINY, "constraints": [], "axes": HUGE_AXES, "chunk_size": 1 << 17, "max_points": 1e19}
    )
    plan = cfg.plan()
    assert plan.size == 10**18 and plan.n_chunks == 8 * 10**12
    assert plan.chunk_range(plan.n_chunks - 1)[1] == plan.size

    class Stop(Exception):
        pass

    seen: list[int] = []

    def first_only(plan_: object, cid: int, **kw: object) -> None:
        seen.append(cid)
        raise Stop

    monkeypatch.setattr(scan_run, "compute_chunk", first_only)
    out = tmp_path / "huge.nc"
    with pytest.raises(Stop):
        scan.run_scan(cfg, out, progress=False)
    assert 0 in seen and len(seen) <= 3 * default_workers()  # the first chunks only (a few run side by side)
    assert not scan.chunk_dir(out).exists()  # a new store without a finished chunk is removed


# -------------------------------------------------------------------------------------------- lock
def test_second_writer_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "locked.nc"
    refusals: list[InputError] = []

    def second_writer(cid: int) -> None:
        if cid == 0:
            with pytest.raises(InputError) as info:
                scan.run_scan(_tiny(), out, progress=False)
            refusals.append(info.value)
            with pytest.raises(InputError):  # --resume is a writer too
                scan.run_scan(_tiny(), out, resume=True, progress=False)

    scan.run_scan(_tiny(), out, progress=False, on_chunk=second_writer).close()
    assert len(refusals) == 1
    err = refusals[0]
    assert err.parameter == "out"
    assert f"process {os.getpid()}" in str(err) and str(out) in str(err) and "lock" in str(err)
    lock = scan.chunk_dir(out) / "lock"
    assert not lock.exists()  # released at the end
    events = [e["event"] for e in scan.read_log(out)]
    assert events.count("start") == 1 and events[-1] == "done"  # the refused runs touched nothing
    scan.run_scan(_tiny(), out, progress=False).close()  # free again


def test_stale_lock_is_taken_over(tmp_path: Path) -> None:
    out = tmp_path / "stale.nc"
    store = scan.chunk_dir(out)
    store.mkdir()
    lock = store / "lock"
    host = socket.gethostname()
    lock.write_text(json.dumps({"pid": _dead_pid(), "host": host, "start": "1", "time": "then"}))
    scan.run_scan(_tiny(), out, progress=False).close()  # a killed process's lock does not block
    assert not lock.exists()
    # a live pid that started after the lock was written (pid reused): stale as well
    lock.write_text(json.dumps({"pid": os.getpid(), "host": host, "start": "-1", "time": "then"}))
    if Path(f"/proc/{os.getpid()}/stat").exists():
        scan.run_scan(_tiny(), out, progress=False).close()
        assert not lock.exists()
    # a live process of this host holds it: refused, lock kept
    lock.write_text(json.dumps({"pid": os.getpid(), "host": host, "time": "now"}))
    with pytest.raises(InputError, match=f"process {os.getpid()}"):
        scan.run_scan(_tiny(), out, progress=False)
    assert lock.exists()
    # another host cannot be checked: refused, with the file to delete named
    lock.write_text(json.dumps({"pid": 1, "host": host + "-elsewhere", "time": "now"}))
    with pytest.raises(InputError, match="delete the lock file"):
        scan.run_scan(_tiny(), out, progress=False)
    # an unreadable lock older than the grace period is stale
    lock.write_text("")
    old = lock.stat().st_mtime - 2 * OutputLock.GRACE_S
    os.utime(lock, (old, old))
    scan.run_scan(_tiny(), out, progress=False).close()


def test_output_lock_unit(tmp_path: Path) -> None:
    path = tmp_path / "x.lock"
    with OutputLock(path, "thing") as held:
        assert held.held and json.loads(path.read_text())["pid"] == os.getpid()
        with pytest.raises(InputError, match="thing is being written by process"):
            OutputLock(path, "thing").acquire()
    assert not path.exists()


# ------------------------------------------------------------------------------- temporaries on failure
def test_failed_connect_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("distributed")

    def refuse(spec: object) -> None:
        raise InputError("scheduler", "cannot connect to tcp://127.0.0.1:1: refused")

    monkeypatch.setattr(scan_run, "dask_client", refuse)
    out = tmp_path / "dask.nc"
    with pytest.raises(InputError, match="cannot connect"):
        scan.run_scan(_tiny(), out, scheduler="tcp://127.0.0.1:1", progress=False)
    assert list(tmp_path.iterdir()) == []  # no store, no lock, no temporary
    scan.run_scan(_tiny(), out, progress=False).close()  # and a plain rerun needs no --resume


def test_failed_assembly_removes_its_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(plan: object, store: object, tmp: Path, *a: object) -> None:
        tmp.write_bytes(b"half a file")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(scan_run, "assemble", broken)
    out = tmp_path / "full.nc"
    with pytest.raises(InputError, match="No space left") as info:
        scan.run_scan(_tiny(), out, progress=False)
    assert info.value.parameter == "out"
    assert not out.exists() and _leftovers(tmp_path) == []
    assert len(list(scan.chunk_dir(out).glob("c*.npz"))) == 3  # finished chunks are kept for --resume
    assert not (scan.chunk_dir(out) / "lock").exists()
    monkeypatch.undo()
    scan.run_scan(_tiny(), out, resume=True, progress=False).close()


def test_killed_run_temporaries_are_removed(tmp_path: Path) -> None:
    """Temporaries named with a dead pid (a killed run) go on the next run; a live process's stay."""
    dead = _dead_pid()
    (tmp_path / f".scan.nc.0123abcd.tmp{dead}").write_bytes(b"x")
    (tmp_path / f".scan.nc.0123abcd.tmp{os.getpid()}").write_bytes(b"x")
    (tmp_path / "notes.tmp1").write_bytes(b"not ours")
    assert [p.name for p in remove_stale_temporaries(tmp_path)] == [f".scan.nc.0123abcd.tmp{dead}"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [f".scan.nc.0123abcd.tmp{os.getpid()}", "notes.tmp1"]
    )


def test_atomic_write_failure_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old")

    def fail(p: Path) -> None:
        p.write_text("partial")
        raise RuntimeError("killed in the middle")

    with pytest.raises(RuntimeError):
        atomic_write(target, fail)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["a.txt"]
    with pytest.raises(InputError, match="folder does not exist"):
        atomic_write(tmp_path / "no" / "b.txt", fail)

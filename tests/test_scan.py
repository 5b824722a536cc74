"""Grid scans (zprime.scan): config validation, equality with a direct likelihood evaluation, chunk layout,
metadata, dask LocalCluster equality, SIGKILL + resume, and the serial fallback without dask."""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
import xarray as xr
from hypothesis import given, settings
from hypothesis import strategies as st

import zprime
import zprime.scan as scan
from zprime.analyses.likelihood import evaluate
from zprime.core.couplings import Couplings
from zprime.core.errors import DataFileError, InputError
from zprime.physics.constraints import select
from zprime.scan.progress import want_progress
from zprime.scan.worker import block_layout

BASE = """
model = "generic"
edition = "2021"
ae = "cs"
constraints = "current"
[axes]
mass_mev = {min = 10, max = 100, points = 60, scale = "log"}
c_ae = {min = 1e-6, max = 1e-2, points = 60, scale = "log"}
[fixed]
c_vmu = 1e-3
"""

# A small 3-axis grid (4 x 5 x 3 = 60 points); chunk_size 12 gives uneven blocks (4 + 1 rows of c_ae).
SMALL = {
    "model": "generic",
    "edition": "2021",
    "ae": "rb",
    "constraints": "current",
    "chunk_size": 12,
    "axes": {
        "mass_mev": {"min": 5.0, "max": 200.0, "points": 4, "scale": "log"},
        "c_ae": {"min": 1e-6, "max": 1e-3, "points": 5, "scale": "log"},
        "c_vmu": {"values": [-1e-3, 0.0, 8e-4]},
    },
    "fixed": {"c_ve": 1e-5},
}


def _write(tmp_path: Path, text: str, name: str = "scan.toml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


# ---------------------------------------------------------------------------------------- validation
@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ('ae = "cs"', 'ae = "cs"\nmodle = "generic"', "modle"),  # unknown top-level key
        ("points = 60, scale", "pts = 60, points = 60, scale", "axes.mass_mev.pts"),  # unknown axis key
        ('edition = "2021"', "edition = 2021", "edition"),  # wrong type
        ("max = 1e-2, points = 60", 'max = 1e-2, points = "60"', "axes.c_ae.points"),  # wrong type
        ("max = 1e-2, points = 60", "max = 1e-2, points = 0", "axes.c_ae.points"),  # empty axis
        (
            'c_ae = {min = 1e-6, max = 1e-2, points = 60, scale = "log"}',
            "c_ae = {values = []}",
            "axes.c_ae.values",
        ),  # empty axis
        ("c_ae = {min = 1e-6", "c_xx = {min = 1e-6", "axes.c_xx"),  # not a parameter
        ("c_ae = {min = 1e-6", "c_ae = {min = -1e-6", "axes.c_ae.min"),  # log needs > 0
        ("max = 1e-2", "max = 5.0", "axes.c_ae"),  # outside |C| <= 1
        ("max = 1e-2", "max = 1e-7", "axes.c_ae.max"),  # max < min
        ("mass_mev = {min = 10, max = 100", "c_ve = {min = 0.01, max = 0.1", "mass_mev"),  # 0 not allowed
        ("c_vmu = 1e-3", "c_vmu = 1e-3\nc_ae = 1e-3", "fixed.c_ae"),  # both axis and fixed
        ("c_vmu = 1e-3", "c_vmu = true", "fixed.c_vmu"),  # wrong type
        ('constraints = "current"', 'constraints = ["no_such_constraint"]', "constraints"),
        ('constraints = "current"', 'constraints = "everything"', "constraints"),
        ('model = "generic"', 'model = "no_such_model"', "model"),
        ('ae = "cs"', 'ae = "xx"', "ae"),
        ('edition = "2021"', 'edition = "1999"', "edition"),
    ],
)
def test_config_errors_name_the_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    assert old in BASE
    path = _write(tmp_path, BASE.replace(old, new, 1))
    with pytest.raises(InputError) as info:
        scan.load_config(path)
    assert info.value.parameter == key
    assert str(info.value).startswith(f"{key}: ")


def test_config_file_errors(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="not found"):
        scan.load_config(tmp_path / "missing.toml")
    with pytest.raises(DataFileError, match="not valid TOML"):
        scan.load_config(_write(tmp_path, "axes = {"))
    no_axes = "\n".join(x for x in BASE.splitlines() if not x.startswith(("[", "mass_mev", "c_")))
    with pytest.raises(InputError) as info:
        scan.load_config(_write(tmp_path, no_axes))
    assert info.value.parameter == "axes"


def test_config_valid_and_defaults(tmp_path: Path) -> None:
    cfg = scan.load_config(_write(tmp_path, BASE))
    plan = cfg.plan()
    assert plan.axis_names == ("mass_mev", "c_ae")
    assert plan.shape == (60, 60)
    np.testing.assert_allclose(plan.axis_values[0], np.geomspace(10, 100, 60), rtol=0)
    # parameters neither on an axis nor fixed default to 0 (allowed for every generic coupling)
    assert plan.fixed["c_vmu"] == 1e-3 and plan.fixed["c_nutau"] == 0.0 and plan.fixed["c_ve"] == 0.0
    assert [k.name for k in plan.constraints] == [k.name for k in select()]


def test_cli_reports_config_error_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from zprime.app.cli import main

    path = _write(tmp_path, BASE.replace("points = 60, scale", "points = 0, scale", 1))
    with pytest.raises(SystemExit) as info:
        main(["scan", str(path), "--out", str(tmp_path / "x.nc"), "--quiet"])
    assert info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "axes.mass_mev.points" in err


# ------------------------------------------------------------------------------------------- layout
@settings(max_examples=60, deadline=None)
@given(shape=st.lists(st.integers(1, 9), min_size=1, max_size=4), chunk=st.integers(1, 200))
def test_chunks_partition_the_grid_in_order(shape: list[int], chunk: int) -> None:
    cfg = scan.ScanConfig.from_dict(
        {
            "axes": {
                n: {"values": [1e-3 * (i + 1) for i in range(k)]}
                for n, k in zip(("mass_mev", "c_ve", "c_ae", "c_vmu"), shape, strict=False)
            },
            "constraints": [],
            "chunk_size": chunk,
        }
    )
    plan = cfg.plan()
    d, k = block_layout(plan.shape, chunk)
    assert math.prod(plan.shape[d + 1 :]) * k <= max(chunk, 1)
    stop = 0
    seen = np.zeros(plan.shape, dtype=int)
    for cid in range(plan.n_chunks):
        a, b = plan.chunk_range(cid)
        assert a == stop and 0 < b - a <= chunk
        stop = b
        seen[plan.chunk_slices(cid)] += 1
        flat = np.zeros(plan.size, dtype=bool)
        flat[a:b] = True
        assert np.array_equal(flat.reshape(plan.shape)[plan.chunk_slices(cid)].ravel(), np.ones(b - a, bool))
    assert stop == plan.size and np.all(seen == 1)


# -------------------------------------------------------------------------------------- correctness
def _direct(cfg: dict) -> tuple[dict[str, np.ndarray], object]:
    """likelihood.evaluate on the whole grid at once (no chunks)."""
    plan = scan.ScanConfig.from_dict(cfg).plan()
    grids = np.meshgrid(*plan.axis_values, indexing="ij")
    c = Couplings(**dict(zip(plan.axis_names, grids, strict=True)), **plan.fixed)
    return plan, evaluate(c, select(), edition=cfg["edition"], ae=cfg["ae"])


@pytest.fixture(scope="module")
def serial_small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("serial") / "small.nc"
    scan.run_scan(SMALL, out, progress=False).close()
    return out


def test_serial_scan_equals_direct_evaluation(serial_small: Path) -> None:
    plan, ev = _direct(SMALL)
    assert plan.n_chunks == 4 * 2  # uneven blocks: 4 + 1 rows of c_ae per mass value
    with xr.open_dataset(serial_small) as ds:
        assert tuple(ds.sizes) == ("mass_mev", "c_ae", "c_vmu") and ds["allowed"].shape == (4, 5, 3)
        for k in select():
            r = ev.results[k.name]
            with np.errstate(over="ignore"):
                expect = np.broadcast_to(r.chi2, plan.shape).astype(np.float32)
            np.testing.assert_allclose(ds[f"chi2_{k.name}"].values, expect, rtol=1e-6, err_msg=k.name)
            assert ds[f"chi2_{k.name}"].dtype == np.float32 and ds[f"status_{k.name}"].dtype == np.int8
            assert np.array_equal(ds[f"status_{k.name}"].values, np.broadcast_to(r.status, plan.shape))
        an = ev.anomalies
        np.testing.assert_allclose(ds["delta_a_e"].values, an.delta_a["e"], rtol=1e-12)
        np.testing.assert_allclose(ds["delta_a_mu"].values, an.delta_a["mu"], rtol=1e-12)
        np.testing.assert_allclose(ds["pull_e"].values, an.pull["e"], rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(ds["pull_mu"].values, an.pull["mu"], rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(ds["chi2_total"].values, ev.chi2_total.astype(np.float32), rtol=1e-6)
        assert np.array_equal(ds["allowed"].values, ev.allowed)
        assert np.array_equal(ds["explains"].values, ev.explains(1.0))
        assert np.array_equal(
            ds["n_excluding"].values, sum((r.status == 1).astype(int) for r in ev.results.values())
        )
        # the grid is not trivial: both verdicts occur
        assert 0 < int(ds["allowed"].sum()) < ds["allowed"].size
        assert ds.attrs["n_allowed"] == int(ds["allowed"].sum())
        assert ds.attrs["n_explains"] == int(ds["explains"].sum())


def test_metadata(serial_small: Path, tmp_path: Path) -> None:
    with xr.open_dataset(serial_small) as ds:
        assert ds.attrs["zprime_version"] == zprime.__version__
        assert ds.attrs["edition"] == "2021" and ds.attrs["ae"] == "rb" and ds.attrs["model"] == "generic"
        assert json.loads(ds.attrs["config_json"])["axes"]["c_vmu"]["values"] == [-1e-3, 0.0, 8e-4]
        assert datetime.fromisoformat(ds.attrs["date"]).year >= 2024
        assert ds.attrs["constraints"].split(",") == [k.name for k in select()]
        assert ds["mass_mev"].attrs["units"] == "MeV" and ds["mass_mev"].attrs["scale"] == "log"
        np.testing.assert_allclose(ds["c_ae"].values, np.geomspace(1e-6, 1e-3, 5), rtol=0)
        assert list(ds["status_" + select()[0].name].attrs["flag_values"]) == [0, 1, 2]
    # loaded from a file: the TOML text itself is stored
    cfg = BASE.replace("points = 60", "points = 3")
    out = tmp_path / "m.nc"
    scan.run_scan(scan.load_config(_write(tmp_path, cfg)), out, progress=False, compression=None).close()
    with xr.open_dataset(out) as ds:
        assert ds.attrs["config_toml"] == cfg
        assert tuple(ds.sizes.values()) == (3, 3)
    # completed: chunk files removed, manifest marked complete, log kept
    store = scan.chunk_dir(out)
    assert not list(store.glob("*.npz"))
    assert json.loads((store / "manifest.json").read_text())["complete"] is True


def test_summary_store_and_rerun(tmp_path: Path) -> None:
    cfg = {**SMALL, "store": "summary", "constraints": [k.name for k in select()[:3]]}
    out = tmp_path / "s.nc"
    scan.run_scan(cfg, out, progress=False).close()
    scan.run_scan(cfg, out, progress=False).close()  # a completed store is cleared and recomputed
    with xr.open_dataset(out) as ds:
        assert not any(v.startswith(("chi2_", "status_")) and v != "chi2_total" for v in ds.data_vars)
        assert ds["explains"].dtype == bool
    runs = [e for e in scan.read_log(out) if e["event"] == "start"]
    assert len(runs) == 1  # the second run cleared the completed store before starting


def test_resume_refuses_other_config(tmp_path: Path) -> None:
    out = tmp_path / "r.nc"
    stop = RuntimeError("simulated interruption")

    def interrupt(cid: int) -> None:
        if cid == 3:
            raise stop

    with pytest.raises(RuntimeError):
        scan.run_scan(SMALL, out, progress=False, on_chunk=interrupt)
    assert len(list(scan.chunk_dir(out).glob("c*.npz"))) == 4
    other = json.loads(json.dumps(SMALL))
    other["axes"]["c_ae"]["points"] = 6
    with pytest.raises(InputError) as info:
        scan.run_scan(other, out, resume=True, progress=False)
    assert info.value.parameter == "axes.c_ae.points"
    with pytest.raises(InputError) as info:  # unfinished work is never overwritten silently
        scan.run_scan(SMALL, out, progress=False)
    assert info.value.parameter == "resume"
    scan.run_scan(SMALL, out, resume=True, progress=False).close()  # finishes the other 4 chunks
    scan.run_scan(SMALL, out, resume=True, progress=False).close()  # complete: nothing to do
    log = scan.read_log(out)
    assert sorted(e["id"] for e in log if e["event"] == "chunk") == list(range(8))
    assert [e["run"] for e in log if e["event"] == "chunk"] == [1] * 4 + [2] * 4
    assert [e["event"] for e in log if e["run"] == 3] == ["start", "done"]


# --------------------------------------------------------------------------------------------- dask
def test_local_cluster_two_workers_identical(serial_small: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    out = tmp_path / "dask.nc"
    t0 = time.perf_counter()
    scan.run_scan(SMALL, out, scheduler="local:2", progress=False).close()
    assert time.perf_counter() - t0 < 60
    with xr.open_dataset(serial_small) as a, xr.open_dataset(out) as b:
        assert list(a.data_vars) == list(b.data_vars)
        for v in a.data_vars:
            assert np.array_equal(a[v].values, b[v].values, equal_nan=a[v].dtype.kind == "f"), v
    log = scan.read_log(out)
    ids = [e["id"] for e in log if e["event"] == "chunk"]
    assert sorted(ids) == list(range(8))


def test_scheduler_address_client_writes(tmp_path: Path) -> None:
    """Through a scheduler address the workers send their arrays and the client writes the chunk files."""
    distributed = pytest.importorskip("distributed")
    cfg = {**SMALL, "constraints": [k.name for k in select()[:3]]}
    ref = tmp_path / "ref.nc"
    scan.run_scan(cfg, ref, progress=False).close()
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
        silence_logs=40,
        scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
    ) as cluster:
        out = tmp_path / "tcp.nc"
        scan.run_scan(cfg, out, scheduler=cluster.scheduler_address, progress=False).close()
    with xr.open_dataset(ref) as a, xr.open_dataset(out) as b:
        for v in a.data_vars:
            assert np.array_equal(a[v].values, b[v].values, equal_nan=a[v].dtype.kind == "f"), v


# Run in every worker of the test's LocalCluster before its first chunk (zprime.scan.worker is patched there).
KILL_ONCE = """
import os
import zprime.scan.worker as w
from zprime.core.outputs import temporary_name
_write = w.write_chunk
def write_chunk(store_dir, cid, arrays):
    if cid == 3 and not os.path.exists(MARKER):  # the first attempt at chunk 3 dies half-way through its file
        open(MARKER, "w").close()
        with open(temporary_name(os.path.join(store_dir, w.chunk_filename(cid))), "wb") as fh:
            fh.write(b"PK half a chunk")
        os._exit(1)
    _write(store_dir, cid, arrays)
w.write_chunk = write_chunk
"""
FAIL_ALWAYS = """
import os
import zprime.scan.worker as w
from zprime.core.outputs import atomic_write
_write = w.write_chunk
def write_chunk(store_dir, cid, arrays):
    if cid == 5:  # every attempt at chunk 5 fails half-way through its file
        def half(tmp):
            with open(tmp, "wb") as fh:
                fh.write(b"PK half a chunk")
            raise RuntimeError("simulated write failure")
        atomic_write(os.path.join(store_dir, w.chunk_filename(cid)), half)
    _write(store_dir, cid, arrays)
w.write_chunk = write_chunk
"""


@pytest.fixture
def patched_workers(monkeypatch: pytest.MonkeyPatch):
    """``run_scan``'s local clusters run the given code in each worker before the first chunk is submitted."""
    pytest.importorskip("distributed")
    import contextlib

    import zprime.scan.run as scan_run

    real = scan_run.dask_client

    def install(code: str) -> None:
        @contextlib.contextmanager
        def client_with_patch(spec: object):  # noqa: ANN202
            with real(spec) as client:
                client.run(exec, code, {})
                yield client

        monkeypatch.setattr(scan_run, "dask_client", client_with_patch)

    return install


def _same(a_path: Path, b_path: Path) -> None:
    with xr.open_dataset(a_path) as a, xr.open_dataset(b_path) as b:
        assert list(a.data_vars) == list(b.data_vars)
        for v in a.data_vars:
            assert np.array_equal(a[v].values, b[v].values, equal_nan=a[v].dtype.kind == "f"), v


def _leftovers(store: Path) -> list[str]:
    return sorted(p.name for p in store.iterdir() if ".tmp" in p.name)


def test_worker_killed_while_writing_its_chunk(serial_small: Path, tmp_path: Path, patched_workers) -> None:  # noqa: ANN001
    """A worker dies half-way through a chunk file: its temporary never counts as the chunk, the chunk is
    recomputed by a live worker, and the netCDF equals the serial (threaded) scan's."""
    patched_workers(KILL_ONCE.replace("MARKER", repr(str(tmp_path / "killed"))))
    out = tmp_path / "killed.nc"
    scan.run_scan(SMALL, out, scheduler="local:2", progress=False, keep_chunks=True).close()
    assert (tmp_path / "killed").exists()  # the worker did die
    _same(serial_small, out)
    store = scan.chunk_dir(out)
    assert _leftovers(store) == [] and len(list(store.glob("c*.npz"))) == 8
    ids = [e["id"] for e in scan.read_log(out) if e["event"] == "chunk"]
    assert sorted(ids) == list(range(8))  # each chunk logged once


def test_failed_chunk_is_not_done_and_resume_completes(
    tmp_path: Path,
    patched_workers,  # noqa: ANN001
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chunk whose every attempt fails mid-write stops the scan; the store holds the other finished chunks
    only (no partial file), and ``resume`` (healthy workers) gives the threaded scan's result."""
    cfg = {**SMALL, "store": "summary"}
    patched_workers(FAIL_ALWAYS)
    out = tmp_path / "failed.nc"
    with pytest.raises(RuntimeError, match="simulated write failure"):
        scan.run_scan(cfg, out, scheduler="local:2", progress=False)
    store = scan.chunk_dir(out)
    on_disk = {int(p.name[1:9]) for p in store.glob("c*.npz")}
    assert 5 not in on_disk and _leftovers(store) == [] and not out.exists()
    assert 5 not in {e["id"] for e in scan.read_log(out) if e["event"] in ("chunk", "recovered")}
    ref = tmp_path / "threads.nc"
    scan.run_scan(cfg, ref, progress=False).close()
    import zprime.scan.run as scan_run
    from zprime.core.execution import dask_client

    monkeypatch.setattr(scan_run, "dask_client", dask_client)  # healthy workers again
    scan.run_scan(cfg, out, scheduler="local:2", resume=True, progress=False).close()
    _same(ref, out)


def test_scheduler_strings() -> None:
    assert scan.parse_scheduler("local:3").workers == 3
    assert scan.parse_scheduler("tcp://10.0.0.1:8786").address == "tcp://10.0.0.1:8786"
    for bad in ("local:0", "local:x", "10.0.0.1:8786", "slurm"):
        with pytest.raises(InputError) as info:
            scan.parse_scheduler(bad)
        assert info.value.parameter == "scheduler"


@pytest.fixture
def no_dask(monkeypatch: pytest.MonkeyPatch):
    """Make ``import dask`` / ``import distributed`` fail as if they were not installed."""
    from xarray.namedarray.utils import module_available  # xarray caches whether dask is installed

    for mod in [m for m in sys.modules if m.split(".")[0] in ("dask", "distributed")]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setitem(sys.modules, "dask", None)
    monkeypatch.setitem(sys.modules, "distributed", None)
    module_available.cache_clear()
    yield
    monkeypatch.undo()
    module_available.cache_clear()


def test_serial_without_dask(no_dask: None, tmp_path: Path) -> None:
    with pytest.raises(ImportError):
        import distributed  # noqa: F401
    cfg = {**SMALL, "constraints": [k.name for k in select()[:2]], "chunk_size": 40}
    with scan.run_scan(cfg, tmp_path / "nodask.nc", progress=False) as ds:
        assert ds["allowed"].shape == (4, 5, 3)
    with pytest.raises(InputError, match=r"zprime\[dask\]") as info:
        scan.run_scan(cfg, tmp_path / "nodask2.nc", scheduler="local:2", progress=False)
    assert info.value.parameter == "scheduler"
    assert sys.modules["distributed"] is None


def test_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def __init__(self, tty: bool):
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    monkeypatch.setattr(sys, "stdout", Tty(True))
    monkeypatch.setattr(sys, "stderr", Tty(True))
    assert want_progress(True) and not want_progress(False)  # --quiet
    monkeypatch.setattr(sys, "stderr", Tty(False))
    assert not want_progress(True)


# ----------------------------------------------------------------------------------- kill + resume
KILL_TOML = """
model = "generic"
ae = "cs"
chunk_size = 40
constraints = CONSTRAINTS
[axes]
mass_mev = {min = 1, max = 300, points = 12, scale = "log"}
c_ve = {values = [0.0, 2e-5]}
c_ae = {min = 1e-6, max = 1e-3, points = 40, scale = "log"}
[fixed]
c_vmu = 6e-4
"""

# The first (killed) run is the real CLI, paced to ~0.5 s per chunk so that the kill lands mid-scan
# whatever the machine's load; the resumed run is plain ``python -m zprime.app.cli scan ... --resume``.
PACED_CLI = (
    "import sys, time, zprime.scan.run as s\n"
    "f = s.compute_chunk\n"
    "s.compute_chunk = lambda plan, cid, **kw: (time.sleep(0.5), f(plan, cid, **kw))[1]\n"
    "from zprime.app.cli import main\n"
    "main(sys.argv[1:])\n"
)


def test_sigkill_then_resume_equals_uninterrupted_run(tmp_path: Path) -> None:
    names = [k.name for k in select()]
    cfg_path = _write(tmp_path, KILL_TOML.replace("CONSTRAINTS", json.dumps(names[:1] + names[-2:])))
    n_chunks = scan.load_config(cfg_path).plan().n_chunks
    assert n_chunks == 24
    out = tmp_path / "killed.nc"
    args = ["scan", str(cfg_path), "--out", str(out), "--quiet"]
    proc = subprocess.Popen(
        [sys.executable, "-c", PACED_CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    store = scan.chunk_dir(out)
    deadline = time.monotonic() + 60
    try:
        while len(list(store.glob("c*.npz"))) < 4:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    first = {int(p.name[1:9]) for p in store.glob("c*.npz")}
    assert 4 <= len(first) < n_chunks and not out.exists()

    done = subprocess.run(
        [sys.executable, "-m", "zprime.app.cli", *args, "--resume"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr

    ref = tmp_path / "ref.nc"
    scan.run_scan(scan.load_config(cfg_path), ref, progress=False).close()
    with xr.open_dataset(out) as a, xr.open_dataset(ref) as b:
        assert list(a.data_vars) == list(b.data_vars)
        for v in a.data_vars:
            assert np.array_equal(a[v].values, b[v].values, equal_nan=a[v].dtype.kind == "f"), v
        assert {k: v for k, v in a.attrs.items() if k != "date"} == {
            k: v for k, v in b.attrs.items() if k != "date"
        }

    log = scan.read_log(out)
    assert [e["resume"] for e in log if e["event"] == "start"] == [False, True]
    computed = [e["id"] for e in log if e["event"] == "chunk"]
    recovered = [e["id"] for e in log if e["event"] == "recovered"]
    assert len(computed) == len(set(computed))  # no chunk computed twice
    assert sorted(computed + recovered) == list(range(n_chunks))  # no chunk lost
    run1 = {e["id"] for e in log if e["event"] == "chunk" and e["run"] == 1}
    run2 = {e["id"] for e in log if e["event"] == "chunk" and e["run"] == 2}
    assert first <= run1 | set(recovered) and len(run1) >= 4
    assert run2 and not (run2 & first)  # resume skipped what was on disk


@pytest.mark.parametrize("chunk", [12, 100])
def test_summary_chunks_equal_the_full_ones(chunk: int) -> None:
    """store = "summary" evaluates with detail="summary": its variables are those of the full store."""
    from zprime.scan.config import build_plan, coerce_config
    from zprime.scan.worker import compute_chunk

    full = build_plan(coerce_config({**SMALL, "store": "full", "chunk_size": chunk}))
    summ = build_plan(coerce_config({**SMALL, "store": "summary", "chunk_size": chunk}))
    for cid in range(full.n_chunks):
        _, a = compute_chunk(full, cid)
        _, b = compute_chunk(summ, cid)
        assert list(b) == [k for k in a if not k.startswith(("chi2_", "status_")) or k == "chi2_total"]
        for k, v in b.items():
            assert v.dtype == a[k].dtype and np.array_equal(v, a[k], equal_nan=True), (cid, k)

"""Smoke test of `zprime reproduce` on coarse grids, and of the dark-Z search overlay figure."""

import json

import numpy as np

from zprime.app.figures import get
from zprime.app.reproduce import reproduce


def test_reproduce_quick(tmp_path):
    s = reproduce(tmp_path, quick=True, quiet=True, figures_only=["bodas2021-fig2a"])
    md = (tmp_path / "summary.md").read_text()
    assert "| quantity | paper | zprime | difference | note |" in md
    assert "Bodas Sec. 4 window" in md and "Cadeddu et al." in md and "2025" in md
    assert (tmp_path / "bodas2021-fig2a.png").stat().st_size > 10_000
    d = json.loads((tmp_path / "summary.json").read_text())
    w = d["windows"]["2021/cs/seed"]
    assert 15 < w["mass_mev"][0] < 20 and 33 < w["mass_mev"][1] < 42
    assert set(s["darkz"]) == {"2021", "2025"}


def test_darkz_search_overlay_numbers():
    ds = get("cadeddu2021-searches").data(resolution=30)
    assert "delta_chi2" in ds and ds["delta_chi2"].shape == (30, 30)
    vis = [v for v in ds.data_vars if v.startswith("visible__")]
    inv = [v for v in ds.data_vars if v.startswith("invisible__")]
    assert "visible__babar_2014" in vis and inv
    assert 0.5 < ds.attrs["visible_region_1sigma_fraction_excluded"] <= 1.0
    assert 0.0 <= np.nanmin(ds["delta_chi2"].values) < 0.5  # grid minimum near the refined best fit


def test_reproduce_jobs_and_cache(tmp_path):
    """Worker processes change nothing; a warm cache gives byte-identical files (issue 17 item 3)."""
    kw = dict(quick=True, quiet=True, figures_only=["cadeddu2021-fig4", "bodas2021-fig2d"], verdicts=False)
    serial = reproduce(tmp_path / "serial", jobs=1, **kw)
    cache = tmp_path / "cache"
    first = reproduce(tmp_path / "par", jobs=2, cache=cache, **kw)
    for part in ("rows", "windows", "darkz", "darkz_searches"):
        assert json.dumps(first[part], default=float) == json.dumps(serial[part], default=float)
    for name in ("cadeddu2021-fig4", "bodas2021-fig2d"):
        assert (tmp_path / "par" / f"{name}.nc").exists()
    files = {p.name: p.read_bytes() for p in (tmp_path / "par").iterdir()}
    assert "summary.json" in files and len(files) == 8
    (tmp_path / "par" / "bodas2021-fig2d.png").unlink()
    again = reproduce(tmp_path / "par", jobs=2, cache=cache, **kw)
    assert again == first
    assert {p.name: p.read_bytes() for p in (tmp_path / "par").iterdir()} == files
    # another folder: the same files, the summary's paths point into it
    other = reproduce(tmp_path / "other", cache=cache, **kw)
    assert other["figures"]["bodas2021-fig2d"]["png"] == str(tmp_path / "other" / "bodas2021-fig2d.png")
    assert (tmp_path / "other" / "bodas2021-fig2d.png").read_bytes() == files["bodas2021-fig2d.png"]
    # a damaged entry is a miss: recomputed, and the cache repaired
    entry = next(p for p in cache.glob("*/*") if p.is_dir())
    (entry / "bodas2021-fig2d.nc").write_bytes(b"damaged")
    reproduce(tmp_path / "third", cache=cache, **kw)
    assert (entry / "bodas2021-fig2d.nc").read_bytes() == files["bodas2021-fig2d.nc"]


def test_keep_freed_memory_only_in_workers(monkeypatch):
    """The malloc settings of reproduce's workers are never applied in the process that started them,
    and once per worker (here with ZPRIME_MALLOC_TUNING=0: nothing is changed)."""
    import os

    from zprime.app import reproduce as rep

    monkeypatch.setenv("ZPRIME_MALLOC_TUNING", "0")
    monkeypatch.setattr(rep, "_PARENT_PID", [os.getpid()])
    rep._keep_freed_memory()
    assert rep._PARENT_PID == [os.getpid()]  # the parent: untouched
    monkeypatch.setattr(rep, "_PARENT_PID", [os.getpid() + 1])  # as seen from a worker
    rep._keep_freed_memory()
    rep._keep_freed_memory()
    assert rep._PARENT_PID == [os.getpid() + 1, os.getpid()]

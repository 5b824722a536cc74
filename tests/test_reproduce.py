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


def test_keep_freed_memory_only_in_workers(monkeypatch, tmp_path):
    """The malloc settings of reproduce's workers are process_map's worker_init (run in each worker as it
    starts, never in the process that started them: tests/test_execution.py), and ZPRIME_MALLOC_TUNING=0
    refuses them."""
    from zprime.app import reproduce as rep
    from zprime.core import execution

    seen = {}
    real = execution.process_map

    def spy(*args, **kw):
        seen.update(kw)
        return real(*args, **kw)

    monkeypatch.setattr(execution, "process_map", spy)
    rep.reproduce(tmp_path, quick=True, quiet=True, figures_only=["cadeddu2021-fig1"], verdicts=False, jobs=2)
    assert seen["worker_init"] is rep._keep_freed_memory
    calls = []
    monkeypatch.setattr(execution, "keep_freed_memory", lambda **kw: calls.append(kw) or True)
    monkeypatch.setenv("ZPRIME_MALLOC_TUNING", "0")
    rep._keep_freed_memory()
    assert calls == []  # refused
    monkeypatch.setenv("ZPRIME_MALLOC_TUNING", "1")
    rep._keep_freed_memory()
    assert calls == [{"mmap_threshold": 32 << 20, "trim_threshold": 1 << 30}]

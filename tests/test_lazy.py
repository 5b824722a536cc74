"""zprime.core.lazy: modules loaded at their first use, and the figure registry that relies on it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from zprime.core.lazy import lazy_module


def test_an_imported_module_is_returned_as_it_is() -> None:
    import json

    assert lazy_module("json") is json


def test_a_module_runs_at_the_first_attribute_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "zp_lazy_probe.py").write_text("import builtins\nbuiltins.zp_lazy_runs += 1\nVALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr("builtins.zp_lazy_runs", 0, raising=False)
    monkeypatch.delitem(sys.modules, "zp_lazy_probe", raising=False)
    import builtins

    mod = lazy_module("zp_lazy_probe")
    assert builtins.zp_lazy_runs == 0  # type: ignore[attr-defined]
    assert mod.VALUE == 42
    assert builtins.zp_lazy_runs == 1  # type: ignore[attr-defined]
    import zp_lazy_probe  # type: ignore[import-not-found]

    assert zp_lazy_probe is mod and mod.VALUE == 42
    assert builtins.zp_lazy_runs == 1  # type: ignore[attr-defined]


def test_bad_names_fail_at_once() -> None:
    with pytest.raises(ModuleNotFoundError, match="zp_no_such_module"):
        lazy_module("zp_no_such_module")
    with pytest.raises(ValueError, match="top-level"):
        lazy_module("os.path")


def test_listing_the_figures_imports_neither_matplotlib_nor_xarray() -> None:
    """``zprime reproduce`` lists and checks the figures before its first workers are forked; those workers
    run the verdicts while the main process loads matplotlib and xarray for the figure workers."""
    code = (
        "import sys; from zprime.app import figures; "
        "[figures.get(n) for n in figures.names()]; "
        "xr = sys.modules.get('xarray'); "
        "print('matplotlib' in sys.modules, 'pandas' in sys.modules, "
        "xr is None or type(xr).__name__ == '_LazyModule')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "True"]

"""Figure framework: every figure = a function that computes its numbers + a function that draws them.

A figure module in ``zprime.app.figures`` defines ``provide() -> list[FigureSpec]``. ``data(**options)``
returns an :class:`xarray.Dataset` (coordinates with units in ``attrs``; the figure's regions as
variables), ``plot(dataset)`` returns a matplotlib Figure. :func:`save` writes PNG, PDF and netCDF.
Options understood by all figures: ``edition`` (any of :func:`zprime.core.measurements.editions`),
``ae`` ('cs'/'rb'), ``resolution`` (grid points per axis; lower for smoke tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xarray as xr

from zprime.core.outputs import atomic_write, prepare_output_dir
from zprime.core.registry import Registry


@dataclass(frozen=True)
class FigureSpec:
    name: str  # e.g. "bodas2021-fig2a"
    title: str  # one line
    paper: str  # citation of the reproduced figure
    data: Callable[..., xr.Dataset]
    plot: Callable[[xr.Dataset], Any]
    default_resolution: int = 200


_FIGURES: Registry[FigureSpec] = Registry("zprime.app.figures", "figure", skip=("base", "style"))


def names() -> list[str]:
    return _FIGURES.names()


def get(name: str) -> FigureSpec:
    return _FIGURES.get(name)


def save(name: str, out: str | Path, **options: Any) -> dict[str, Path]:
    """Compute and draw figure ``name``; write ``<out>/<name>.png``, ``.pdf`` and ``.nc``.

    Each file is written atomically (:func:`zprime.core.outputs.atomic_write`): a kill leaves no truncated
    file under its final name.
    """
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    spec = get(name)
    out = prepare_output_dir(out)
    ds = spec.data(**options)
    ds.attrs.setdefault("figure", spec.name)
    ds.attrs.setdefault("paper", spec.paper)
    fig = spec.plot(ds)
    paths = {ext: out / f"{spec.name}.{ext}" for ext in ("png", "pdf", "nc")}
    try:
        atomic_write(paths["png"], lambda p: fig.savefig(p, dpi=150, bbox_inches="tight", format="png"))
        atomic_write(paths["pdf"], lambda p: fig.savefig(p, bbox_inches="tight", format="pdf"))
    finally:
        plt.close(fig)
    atomic_write(paths["nc"], lambda p: _to_netcdf(ds, p))
    return paths


def _to_netcdf(ds: xr.Dataset, path: Path) -> None:
    clean = ds.copy()
    for k, v in list(clean.attrs.items()):
        if isinstance(v, bool):
            clean.attrs[k] = int(v)
        elif not isinstance(v, (str, int, float)):
            clean.attrs[k] = str(v)
    for var in clean.variables.values():
        for k, v in list(var.attrs.items()):
            if isinstance(v, bool):
                var.attrs[k] = int(v)
            elif not isinstance(v, (str, int, float)):
                var.attrs[k] = str(v)
    clean.to_netcdf(path, engine="h5netcdf")

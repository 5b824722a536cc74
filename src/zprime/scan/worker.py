"""The part of a scan that runs on a worker: the grid plan and the evaluation of one chunk.

Kept free of dask, xarray and I/O so that it pickles small and imports fast in a worker process. The grid is
the Cartesian product of the axes in C order (last axis fastest). It is cut into *blocks* that are
contiguous ranges of the flat index and, at the same time, hyperslabs of the grid:

    block = (i_0, …, i_{d-1} fixed;  axis d: [j·k, min((j+1)·k, n_d));  axes d+1 … fully)

with the split axis d and the block length k chosen so that a block holds at most ``chunk_size`` points
(:func:`block_layout`). Each block is one chunk of the scan and one HDF5 chunk of every output variable,
so assembling the netCDF writes whole HDF5 chunks only.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from zprime.core.execution import tune_malloc_if_requested
from zprime.core.outputs import atomic_write
from zprime.physics.constraints import Constraint, Status
from zprime.physics.models.base import Model

#: Status codes, as stored in the ``status_<constraint>`` variables
STATUS_FLAG_VALUES = tuple(int(s) for s in Status)
STATUS_FLAG_MEANINGS = " ".join(s.name.lower() for s in Status)


def block_layout(shape: tuple[int, ...], chunk_size: int) -> tuple[int, int]:
    """Split axis d and block length k along it: prod(shape[d+1:])·k ≤ chunk_size, blocks as large as allowed.

    The trailing axes are taken whole while they fit; the block then covers k indices of axis d.
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be >= 1")
    d = len(shape) - 1
    inner = 1
    while d > 0 and inner * shape[d] <= chunk_size:
        inner *= shape[d]
        d -= 1
    k = max(1, min(shape[d], chunk_size // inner))
    return d, k


@dataclass(frozen=True)
class VariableSpec:
    """One output variable: name, numpy dtype, attributes (netCDF)."""

    name: str
    dtype: str
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class ScanPlan:
    """Everything a worker needs to evaluate any chunk of the grid (picklable).

    ``fixed`` holds every model parameter that is not an axis (scalars; defaults already filled in).
    ``store`` is "full" (per-constraint χ² and status) or "summary" (combined quantities only).
    """

    model: Model
    constraints: tuple[Constraint, ...]
    axis_names: tuple[str, ...]
    axis_values: tuple[np.ndarray, ...]
    fixed: dict[str, float]
    edition: str
    ae: str
    cl: float | None
    n_sigma: float
    chunk_size: int
    store: str = "full"

    # ------------------------------------------------------------------------------------------- geometry
    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(v) for v in self.axis_values)

    @property
    def size(self) -> int:
        return math.prod(self.shape)

    @property
    def layout(self) -> tuple[int, int]:
        """(split axis d, block length k); see :func:`block_layout`."""
        return block_layout(self.shape, self.chunk_size)

    @property
    def _blocks_per_row(self) -> int:
        d, k = self.layout
        return -(-self.shape[d] // k)

    @property
    def n_chunks(self) -> int:
        d, _ = self.layout
        return math.prod(self.shape[:d]) * self._blocks_per_row

    @property
    def block_shape(self) -> tuple[int, ...]:
        """Shape of a full block (= the HDF5 chunk shape of every output variable)."""
        d, k = self.layout
        return (1,) * d + (k,) + self.shape[d + 1 :]

    def chunk_slices(self, cid: int) -> tuple[slice, ...]:
        """The hyperslab of the grid covered by chunk ``cid``."""
        if not 0 <= cid < self.n_chunks:
            raise IndexError(f"chunk id {cid} out of range [0, {self.n_chunks})")
        d, k = self.layout
        lead, j = divmod(cid, self._blocks_per_row)
        lead_idx = np.unravel_index(lead, self.shape[:d]) if d else ()
        sl = [slice(int(i), int(i) + 1) for i in lead_idx]
        sl.append(slice(j * k, min((j + 1) * k, self.shape[d])))
        sl.extend(slice(0, n) for n in self.shape[d + 1 :])
        return tuple(sl)

    def chunk_range(self, cid: int) -> tuple[int, int]:
        """Flat index range [start, stop) of chunk ``cid`` (C order)."""
        sl = self.chunk_slices(cid)
        start = int(np.ravel_multi_index(tuple(s.start for s in sl), self.shape))
        n = math.prod(s.stop - s.start for s in sl)
        return start, start + n

    def chunk_points(self, cid: int) -> dict[str, np.ndarray]:
        """Axis values of the points of chunk ``cid``, flattened in C order (generated, never stored)."""
        start, stop = self.chunk_range(cid)
        idx = np.unravel_index(np.arange(start, stop, dtype=np.int64), self.shape)
        return {name: vals[i] for name, vals, i in zip(self.axis_names, self.axis_values, idx, strict=True)}

    # ------------------------------------------------------------------------------------------ variables
    def variables(self) -> list[VariableSpec]:
        """The output variables, in file order."""
        out: list[VariableSpec] = []
        if self.store == "full":
            for k in self.constraints:
                out.append(
                    VariableSpec(
                        f"chi2_{k.name}",
                        "float32",
                        {
                            "long_name": f"chi2 of {k.title}",
                            "rule": k.rule,
                            "reference": k.reference,
                            "cl": k.cl,
                            "category": k.category,
                        },
                    )
                )
                out.append(
                    VariableSpec(
                        f"status_{k.name}",
                        "int8",
                        {
                            "long_name": f"status of {k.title}",
                            "reference": k.reference,
                            "flag_values": np.asarray(STATUS_FLAG_VALUES, dtype=np.int8),
                            "flag_meanings": STATUS_FLAG_MEANINGS,
                        },
                    )
                )
        out += [
            VariableSpec("delta_a_e", "float64", {"long_name": "Z' contribution to a_e"}),
            VariableSpec("delta_a_mu", "float64", {"long_name": "Z' contribution to a_mu"}),
            VariableSpec("pull_e", "float32", {"long_name": "(Delta a_e(Z') - Delta a_e(exp)) / sigma"}),
            VariableSpec("pull_mu", "float32", {"long_name": "(Delta a_mu(Z') - Delta a_mu(exp)) / sigma"}),
            VariableSpec(
                "chi2_total",
                "float32",
                {"long_name": "chi2 of both anomalies plus every selected constraint"},
            ),
            VariableSpec(
                "n_excluding", "int16", {"long_name": "number of selected constraints that exclude the point"}
            ),
            VariableSpec("allowed", "bool", {"long_name": "no selected constraint excludes the point"}),
            VariableSpec(
                "explains", "bool", {"long_name": f"allowed and both anomalies within {self.n_sigma:g} sigma"}
            ),
        ]
        return out


def _f32(x: np.ndarray) -> np.ndarray:
    """Cast to float32; values beyond its range become ±inf (a saturated pseudo-χ²), without a warning."""
    with np.errstate(over="ignore"):
        return np.asarray(x, dtype=np.float64).astype(np.float32)


def compute_chunk(plan: ScanPlan, cid: int, threads: int | None = 1) -> tuple[int, dict[str, np.ndarray]]:
    """Evaluate chunk ``cid``: anomalies and every constraint on its points (one vectorised call).

    ``threads`` is passed to :func:`zprime.analyses.likelihood.evaluate` as ``workers``: 1 in dask workers (one
    process per CPU already), None (every CPU) in a serial scan.

    Returns ``(cid, arrays)`` with one flat array per :meth:`ScanPlan.variables` entry.
    """
    from zprime.analyses.likelihood import evaluate

    tune_malloc_if_requested()  # ZPRIME_MALLOC_TUNING=1 in a worker's environment (docs/scans.md)

    pts = plan.chunk_points(cid)
    n = len(next(iter(pts.values())))
    couplings = plan.model.couplings(**pts, **plan.fixed)
    options: dict[str, Any] = {"edition": plan.edition, "ae": plan.ae, "cl": plan.cl, "workers": threads}
    if plan.store == "summary":  # the combined quantities only: no per-constraint arrays of the chunk
        s = evaluate(couplings, plan.constraints, detail="summary", n_sigma=plan.n_sigma, **options)
        return cid, {
            "delta_a_e": np.broadcast_to(s.delta_a_e, (n,)).astype(np.float64),
            "delta_a_mu": np.broadcast_to(s.delta_a_mu, (n,)).astype(np.float64),
            "pull_e": np.broadcast_to(s.pull_e, (n,)).astype(np.float32),
            "pull_mu": np.broadcast_to(s.pull_mu, (n,)).astype(np.float32),
            "chi2_total": _f32(np.broadcast_to(s.chi2_total, (n,))),
            "n_excluding": np.broadcast_to(s.n_excluding, (n,)).astype(np.int16),
            "allowed": np.broadcast_to(s.allowed, (n,)).astype(bool),
            "explains": np.broadcast_to(s.explains, (n,)).astype(bool),
        }
    ev = evaluate(couplings, plan.constraints, **options)

    def full(x: Any) -> np.ndarray:
        return np.broadcast_to(np.asarray(x), (n,))

    out: dict[str, np.ndarray] = {}
    n_ex = np.zeros(n, dtype=np.int16)
    for k in plan.constraints:
        r = ev.results[k.name]
        status = full(r.status).astype(np.int8)
        n_ex += status == Status.EXCLUDED
        if plan.store == "full":
            out[f"chi2_{k.name}"] = _f32(full(r.chi2))
            out[f"status_{k.name}"] = status
    an = ev.anomalies
    allowed = n_ex == 0
    out["delta_a_e"] = full(an.delta_a["e"]).astype(np.float64)
    out["delta_a_mu"] = full(an.delta_a["mu"]).astype(np.float64)
    out["pull_e"] = _f32(full(an.pull["e"]))
    out["pull_mu"] = _f32(full(an.pull["mu"]))
    out["chi2_total"] = _f32(full(ev.chi2_total))
    out["n_excluding"] = n_ex
    out["allowed"] = allowed
    out["explains"] = allowed & full(an.within(plan.n_sigma))
    return cid, out


def chunk_filename(cid: int) -> str:
    """Name of chunk ``cid``'s file in the chunk store."""
    return f"c{cid:08d}.npz"


def write_chunk(store_dir: str | os.PathLike[str], cid: int, arrays: dict[str, np.ndarray]) -> None:
    """Write a chunk file atomically (:func:`zprime.core.outputs.atomic_write`: a tmp name, then ``os.replace``)."""

    def savez(tmp: os.PathLike[str]) -> None:
        with open(tmp, "wb") as fh:  # a file object: np.savez would append ".npz" to a path
            np.savez(fh, **arrays)

    atomic_write(os.path.join(store_dir, chunk_filename(cid)), savez)


def compute_and_write(plan: ScanPlan, cid: int, store_dir: str) -> tuple[int, int]:
    """Evaluate chunk ``cid`` and write it into the chunk store (workers that share the client's disk).

    Returns ``(cid, number of points)``; only these two numbers travel back to the client.
    """
    _, arrays = compute_chunk(plan, cid)
    write_chunk(store_dir, cid, arrays)
    return cid, int(arrays["allowed"].size)


__all__ = [
    "ScanPlan",
    "VariableSpec",
    "block_layout",
    "compute_chunk",
    "compute_and_write",
    "write_chunk",
    "chunk_filename",
    "STATUS_FLAG_VALUES",
    "STATUS_FLAG_MEANINGS",
]

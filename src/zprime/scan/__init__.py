"""Grid scans of a model's parameter space at scale: chunked, resumable, optionally distributed (dask).

A scan evaluates the likelihood of :mod:`zprime.analyses.likelihood` (both g−2 anomalies and every selected
constraint) on the Cartesian product of the axes of a TOML configuration::

    model = "generic"          # any registered model; its parameters are the axis names
    edition = "2021"
    ae = "cs"
    constraints = "current"    # or a list of names
    [axes]
    mass_mev = {min = 10, max = 100, points = 60, scale = "log"}
    c_ae = {min = 1e-6, max = 1e-2, points = 60, scale = "log"}
    [fixed]
    c_vmu = 1e-3

Modules, one concern each (see docs/scans.md):

- :mod:`~zprime.scan.config` the TOML configuration and the grid plan; :mod:`~zprime.scan.worker` the
  evaluation of one chunk; :mod:`~zprime.scan.store` the chunk store; :mod:`~zprime.scan.progress` the
  progress bar; :mod:`~zprime.scan.assemble` the netCDF; :mod:`~zprime.scan.run` :func:`run_scan`. Threads
  and Dask clusters come from :mod:`zprime.core.execution`.
- *Chunks.* The grid (C order, last axis fastest) is cut into blocks of at most ``chunk_size`` points that are
  both contiguous flat-index ranges and hyperslabs of the grid (:mod:`zprime.scan.worker`). A chunk's
  points are generated from the axes on the worker; it returns small arrays (float32 χ², int8 status), so
  memory is bounded by the chunk size whatever the grid size.
- *Chunk store and resume.* Finished chunks are written atomically (tmp file, then ``os.replace``) as
  ``<out>.chunks/c<id>.npz`` beside a ``manifest.json`` (config hash) and ``log.jsonl`` (one line per
  computed chunk). ``resume=True`` skips the chunks on disk and refuses a store made with another config.
- *Safety.* The size (points and output bytes) is checked against ``max_points`` (config, or
  ``$ZPRIME_SCAN_MAX_POINTS``; default 1e9) before any axis is built; chunk ids are generated lazily. A
  ``lock`` file in the store (pid, host) refuses a second writer; a lock whose process is gone is taken
  over. A failed run deletes its temporaries, and its store too when no chunk finished.
- *Assembly.* The netCDF is written chunk by chunk (h5netcdf, HDF5 chunk = scan block, gzip level 1),
  to a tmp file that replaces ``out`` at the end; then the ``.npz`` files are deleted (manifest and log stay).
- *Distribution.* ``scheduler="local:N"`` starts a dask LocalCluster on 127.0.0.1 (N worker processes,
  one thread each, no dashboard; the workers write their chunk files); ``"tcp://HOST:PORT"`` connects to
  a running scheduler (the workers send their arrays and the client writes them, so no shared file
  system is needed). Dask is optional.
"""

from zprime.core.execution import parse_scheduler
from zprime.scan.assemble import plan_axis_scale
from zprime.scan.config import DEFAULT_CHUNK_SIZE, AxisConfig, ScanConfig, build_plan, load_config
from zprime.scan.run import plan_constraints, run_scan, run_scan_cli
from zprime.scan.store import (
    STORE_FORMAT,
    ChunkStore,
    chunk_dir,
    config_hash,
    read_log,
    read_log_file,
    scan_identity,
)
from zprime.scan.worker import ScanPlan, block_layout, compute_and_write, compute_chunk

__all__ = [
    "AxisConfig",
    "ChunkStore",
    "DEFAULT_CHUNK_SIZE",
    "STORE_FORMAT",
    "ScanConfig",
    "ScanPlan",
    "block_layout",
    "build_plan",
    "chunk_dir",
    "compute_and_write",
    "compute_chunk",
    "config_hash",
    "load_config",
    "parse_scheduler",
    "plan_axis_scale",
    "plan_constraints",
    "read_log",
    "read_log_file",
    "run_scan",
    "run_scan_cli",
    "scan_identity",
]

"""Running a scan: pending chunks to the serial runner or to Dask, the chunk store, then the netCDF.

The Dask client comes from :mod:`zprime.core.execution` (``local:N`` or a scheduler address).
"""

from __future__ import annotations

import contextlib
import math
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from zprime.core.errors import InputError, ZprimeError
from zprime.core.execution import (
    SchedulerSpec,
    dask_client,
    dask_map_unordered,
    default_workers,
    import_distributed,
    map_ordered,
    parse_scheduler,
)
from zprime.core.outputs import atomic_write, remove_stale_temporaries
from zprime.scan.assemble import assemble, file_attrs
from zprime.scan.config import ScanConfig, build_plan, coerce_config, load_config
from zprime.scan.progress import ScanProgress, want_progress
from zprime.scan.store import (
    STORE_FORMAT,
    ChunkStore,
    chunk_dir,
    config_hash,
    resolve_out,
    scan_identity,
    utc_now,
)
from zprime.scan.worker import ScanPlan, compute_and_write, compute_chunk

if TYPE_CHECKING:  # pragma: no cover
    import xarray as xr

#: called with (chunk id, its arrays or None when a worker already wrote the file, number of points)
Sink = Callable[[int, "dict[str, np.ndarray] | None", int], None]


def _run_serial(plan: ScanPlan, pending: Iterable[int], sink: Sink) -> None:
    """Chunks in this process, on all its CPUs, written in chunk order by this thread.

    With at least two chunks per thread, whole chunks run side by side, one thread each
    (:func:`map_ordered`; like the processes of a Dask cluster, and unlike threads inside a chunk, this
    does not depend on the chunk's length); a smaller scan spreads each chunk's blocks over the threads.
    The results are the same either way.
    """
    workers = default_workers()
    if plan.n_chunks < 2 * workers:
        chunks = (compute_chunk(plan, cid, threads=None) for cid in pending)
    else:
        chunks = map_ordered(lambda cid: compute_chunk(plan, cid, threads=1), pending, workers)
    with contextlib.closing(iter(chunks)) as results:
        for cid, arrays in results:
            sink(cid, arrays, int(arrays["allowed"].size))


def _run_dask(
    plan: ScanPlan, pending: Iterable[int], sink: Sink, sched: SchedulerSpec, token: str, store_dir: Path
) -> None:
    """Submit chunks to the cluster with a bounded number in flight (:func:`dask_map_unordered`).

    Workers of a ``local:N`` cluster share the client's disk and write their chunk files themselves (only
    the chunk id comes back); workers behind a scheduler address send the arrays and the client writes
    them, so they need no shared file system.
    """
    workers_write = sched.kind == "local"
    with dask_client(sched) as client:
        plan_f = client.scatter(plan, broadcast=True, hash=False)
        fn: Callable[..., Any]
        if workers_write:
            fn, args = compute_and_write, (lambda cid: (plan_f, cid, str(store_dir)))
        else:
            fn, args = compute_chunk, (lambda cid: (plan_f, cid))
        for result in dask_map_unordered(
            client, fn, pending, args=args, key=lambda cid: f"zprime-scan-{token[:12]}-{cid}"
        ):
            if workers_write:
                cid, n = result
                sink(cid, None, n)
            else:
                cid, arrays = result
                sink(cid, arrays, int(arrays["allowed"].size))


def run_scan(
    config: ScanConfig | Mapping[str, Any] | str | Path,
    out: str | Path,
    scheduler: str | None = None,
    resume: bool = False,
    progress: bool = True,
    chunk_size: int | None = None,
    *,
    keep_chunks: bool = False,
    compression: str | None = "gzip",
    on_chunk: Callable[[int], None] | None = None,
) -> xr.Dataset:
    """Run a grid scan and write it to ``out`` (netCDF); returns the Dataset (opened lazily from the file).

    ``config``: a :class:`ScanConfig`, a mapping (the parsed TOML) or the path of a TOML file.
    ``out``: the netCDF file (an existing folder, or a path ending in '/', gets ``scan.nc`` inside).
    ``scheduler``: None (serial, in this process), ``"local:N"`` or ``"tcp://HOST:PORT"`` (dask).
    ``resume``: continue from the chunks in ``<out>.chunks/`` (same config required).
    ``progress``: a progress bar on stderr when both stdout and stderr are terminals.
    ``chunk_size``: maximum points per chunk (default: the config's, 131072).
    ``keep_chunks``: keep the ``.npz`` chunk files after assembly. ``on_chunk``: called with each finished id.

    The Dataset's dims are the axes (config order); variables: ``chi2_<name>`` (float32) and
    ``status_<name>`` (int8: 0 allowed, 1 excluded, 2 not applicable) per constraint, ``delta_a_e``,
    ``delta_a_mu``, ``pull_e``, ``pull_mu``, ``chi2_total``, ``n_excluding``, ``allowed`` and ``explains``
    (allowed and both pulls within ``n_sigma``).
    """
    import xarray as xr

    cfg = coerce_config(config)
    plan = build_plan(cfg, chunk_size)
    sched = parse_scheduler(scheduler) if scheduler else None
    if sched is not None:
        import_distributed()
    out_file = resolve_out(out)
    if not out_file.parent.exists():
        raise InputError("out", f"folder {out_file.parent} does not exist")
    identity = scan_identity(cfg, plan)
    from zprime import __version__

    manifest = {
        "format": STORE_FORMAT,
        "config_hash": config_hash(identity),
        "identity": identity,
        "n_chunks": plan.n_chunks,
        "zprime_version": __version__,
        "created": utc_now(),
        "complete": False,
    }
    store = ChunkStore(chunk_dir(out_file))
    store.lock()  # a second writer is refused here, before anything is touched
    ok = False
    try:
        remove_stale_temporaries(out_file.parent)  # of an assembly that was killed
        done, complete = store.prepare(manifest, resume)
        if complete and out_file.exists():
            store.append_event(
                {"event": "done", "run": store.run, "time": utc_now(), "note": "already complete"}
            )
            ok = True
            return xr.open_dataset(out_file, engine="h5netcdf")
        if complete:  # the netCDF is gone and so are the chunks: start over
            store.clear()
            store.write_manifest(manifest)
            store.created = True
            done = set()
        n_chunks = plan.n_chunks
        done = {cid for cid in done if cid < n_chunks}
        pending = (cid for cid in range(n_chunks) if cid not in done)  # lazily: n_chunks may be huge
        with ScanProgress(want_progress(progress)) as bar:
            points_done = sum(math.prod(s.stop - s.start for s in plan.chunk_slices(c)) for c in done)
            bar.stage("scanning", total=plan.size, completed=points_done)

            def sink(cid: int, arrays: dict[str, np.ndarray] | None, n: int) -> None:
                if arrays is None:  # a worker wrote the file
                    store.log_chunk(cid, n)
                else:
                    store.save(cid, arrays, n)
                bar.advance(n)
                if on_chunk is not None:
                    on_chunk(cid)

            if len(done) < n_chunks:
                if sched is None:
                    _run_serial(plan, pending, sink)
                else:
                    _run_dask(plan, pending, sink, sched, manifest["config_hash"], store.path)
            n_missing = n_chunks - sum(1 for cid in store.done() if cid < n_chunks)
            if n_missing:
                raise ZprimeError(f"scan incomplete: {n_missing} chunks missing in {store.path}")
            attrs = file_attrs(cfg, plan, manifest)
            atomic_write(out_file, lambda tmp: assemble(plan, store, tmp, attrs, bar, compression), "out")
        store.finish(manifest, keep_chunks)
        ok = True
    finally:
        if ok:
            store.close()
            store.unlock()
        else:  # temporaries go; a new store without finished chunks goes too
            store.discard()
            store.unlock()
    return xr.open_dataset(out_file, engine="h5netcdf")


def run_scan_cli(
    config: str | Path,
    out: str | Path,
    scheduler: str | None = None,
    resume: bool = False,
    quiet: bool = False,
) -> None:
    """``zprime scan``: load the TOML, run the scan, print a one-paragraph summary (unless ``quiet``)."""
    cfg = load_config(config)
    t0 = time.perf_counter()
    try:
        ds = run_scan(cfg, out, scheduler=scheduler, resume=resume, progress=not quiet)
    except KeyboardInterrupt:
        store = chunk_dir(resolve_out(out))
        if store.is_dir():
            sys.stderr.write(
                f"zprime: interrupted; finished chunks are kept in {store}: rerun with --resume to continue\n"
            )
        else:
            sys.stderr.write("zprime: interrupted before any chunk finished; nothing was kept\n")
        raise SystemExit(130) from None
    with ds:
        if not quiet:
            n = int(ds.attrs["n_points"])
            n_allowed, n_explains = int(ds.attrs["n_allowed"]), int(ds.attrs["n_explains"])
            dt = time.perf_counter() - t0
            print(
                f"wrote {resolve_out(out)}: {n:,} points x {len(plan_constraints(ds))} constraints "
                f"({', '.join(ds.sizes)}) in {dt:.1f} s; allowed {n_allowed:,}, explain both anomalies "
                f"within {ds.attrs['n_sigma']:g} sigma {n_explains:,}"
            )
            print(f"open with: xarray.open_dataset({str(resolve_out(out))!r})")


def plan_constraints(ds: xr.Dataset) -> list[str]:
    """Names of the constraints recorded in a scan Dataset."""
    s = str(ds.attrs.get("constraints", ""))
    return [x for x in s.split(",") if x]


__all__ = ["plan_constraints", "run_scan", "run_scan_cli"]

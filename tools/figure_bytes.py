"""Record or compare the bytes of every figure `zprime reproduce` draws, with the CPU time of each.

    python tools/figure_bytes.py record HASHES.json [NAME ...]    # before a change of the drawing code
    python tools/figure_bytes.py compare HASHES.json [NAME ...]   # after: exit 1 naming what differs
    python tools/figure_bytes.py record HASHES.json --resolution 30  # coarse grids (`reproduce --quick`)

Each figure is saved by ``zprime.app.figures.save`` in one process after ``reproduce._preload()``, as the
workers of `zprime reproduce` do. Kept per figure: the SHA-256 of the PNG bytes, of the PDF bytes with
the creation date blanked (matplotlib writes the time of the save into ``/CreationDate``, so two saves of
the same figure differ there alone), and of the netCDF numbers (every variable's name, dtype, shape and
values, and the global attributes). Printed: the CPU seconds per figure, total and without ``data()``.
Run it with ``PYTHONPATH=src`` to measure the worktree rather than the installed zprime.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np


def pdf_without_date(pdf: bytes) -> bytes:
    """The PDF bytes with the value of ``/CreationDate`` blanked."""
    return re.sub(rb"/CreationDate \(D:[^)]*\)", b"/CreationDate ()", pdf)


def netcdf_digest(path: Path) -> str:
    """SHA-256 of a netCDF file's numbers: variables (name, dtype, shape, values) and global attributes."""
    import xarray as xr

    h = hashlib.sha256()
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        for name in sorted(ds.variables, key=str):
            a = np.ascontiguousarray(ds.variables[name].values)
            h.update(f"{name}|{a.dtype}|{a.shape}|".encode())
            h.update(repr(a.tolist()).encode() if a.dtype.kind == "O" else a.tobytes())
        h.update(json.dumps({str(k): str(v) for k, v in sorted(ds.attrs.items())}).encode())
    return h.hexdigest()


def measure(names: list[str], **options: Any) -> dict[str, dict[str, Any]]:
    """Save each figure (with ``options``); its digests and CPU seconds (all, and in its ``data()``)."""
    from zprime.app import figures, reproduce
    from zprime.app.figures import base

    reproduce._preload()
    plain_get = base.get
    data_cpu: dict[str, float] = {}

    def timed_get(name: str) -> Any:
        spec = plain_get(name)

        def data(**kw: Any) -> Any:
            c0 = time.process_time()
            try:
                return spec.data(**kw)
            finally:
                data_cpu[name] = time.process_time() - c0

        return dataclasses.replace(spec, data=data)

    base.get = timed_get  # save() looks the figure up through this name
    out = Path(tempfile.mkdtemp(prefix="zprime-figure-bytes-"))
    got: dict[str, dict[str, Any]] = {}
    try:
        for name in names:
            c0 = time.process_time()
            paths = figures.save(name, out, **options)
            cpu = time.process_time() - c0
            got[name] = {
                "png": hashlib.sha256(paths["png"].read_bytes()).hexdigest(),
                "pdf": hashlib.sha256(pdf_without_date(paths["pdf"].read_bytes())).hexdigest(),
                "nc": netcdf_digest(paths["nc"]),
                "cpu_s": round(cpu, 3),
                "draw_cpu_s": round(cpu - data_cpu.get(name, 0.0), 3),
            }
            print(
                f"{name:28s} CPU {cpu:6.2f} s   without data() {got[name]['draw_cpu_s']:6.2f} s", flush=True
            )
    finally:
        base.get = plain_get
    cpu = sum(g["cpu_s"] for g in got.values())
    draw = sum(g["draw_cpu_s"] for g in got.values())
    print(f"{'total':28s} CPU {cpu:6.2f} s   without data() {draw:6.2f} s")
    return got


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("record", "compare"):
        print(__doc__)
        return 2
    mode, path, *only = argv
    options: dict[str, Any] = {}
    if "--resolution" in only:
        i = only.index("--resolution")
        options["resolution"] = int(only[i + 1])
        del only[i : i + 2]
    from zprime.app import figures

    got = measure(only or figures.names(), **options)
    if mode == "record":
        Path(path).write_text(json.dumps(got, indent=1) + "\n", encoding="utf-8")
        print(f"recorded {len(got)} figures in {path}")
        return 0
    ref = json.loads(Path(path).read_text(encoding="utf-8"))
    bad = [
        f"{name} {kind}"
        for name, digests in got.items()
        for kind in ("png", "pdf", "nc")
        if name not in ref or ref[name][kind] != digests[kind]
    ]
    print("\n".join(f"differs: {b}" for b in bad) or f"all {len(got)} figures byte for byte the same")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

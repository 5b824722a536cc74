"""Content-addressed cache of ``zprime reproduce`` outputs (``zprime reproduce --cache DIR``; off by default).

The key is the SHA-256 of everything the outputs depend on: the zprime version, the shipped data
(``data/MANIFEST.sha256``, which holds the SHA-256 of every data file), zprime's own source files (an
editable install changes code without changing its version), the versions of the libraries that compute and
write the files (numpy, scipy, matplotlib, xarray, h5netcdf, h5py) and the recipe (resolution, quick,
figures, verdicts). An entry is the folder ``DIR/<key[:2]>/<key>/``: the output files and ``index.json``
(each file's SHA-256). It is filled in a temporary folder and renamed into place, so an entry is complete or
absent; a file whose SHA-256 no longer matches makes the entry a miss (it is recomputed and replaced).

Restoring copies every file back with :func:`zprime.core.outputs.atomic_write`, ``summary.json`` last but
one and ``summary.md`` last (as a computing run writes them). The figure paths inside ``summary.json`` are
pointed at the new output folder; for the same folder the files are byte-identical to the first run's
(``elapsed_s`` included: it is the time of the run that computed them).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from zprime.core.outputs import atomic_write, atomic_write_text

#: Libraries whose version can change the bytes of an output
LIBRARIES = ("numpy", "scipy", "matplotlib", "xarray", "h5netcdf", "h5py")
INDEX = "index.json"


def _source_digest() -> str:
    """SHA-256 over zprime's Python source files (relative path and bytes, sorted)."""
    root = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for p in sorted(root.rglob("*.py")):
        if "__pycache__" in p.parts:
            continue
        h.update(p.relative_to(root).as_posix().encode() + b"\0")
        h.update(p.read_bytes() + b"\0")
    return h.hexdigest()


def _library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for lib in LIBRARIES:
        try:
            out[lib] = version(lib)
        except PackageNotFoundError:
            out[lib] = "absent"
    return out


def cache_key(recipe: dict[str, Any]) -> str:
    """The SHA-256 (hex) naming the outputs of ``recipe`` with this zprime, its data and its libraries."""
    from zprime import __version__
    from zprime.core.integrity import MANIFEST_NAME, data_dir

    manifest = (data_dir() / MANIFEST_NAME).read_bytes()
    parts = {
        "zprime": __version__,
        "data_manifest": hashlib.sha256(manifest).hexdigest(),
        "source": _source_digest(),
        "libraries": _library_versions(),
        "recipe": recipe,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _entry(cache_dir: Path, key: str) -> Path:
    return cache_dir / key[:2] / key


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def restore(cache_dir: Path, key: str, out: Path, last: Sequence[str]) -> dict[str, Any] | None:
    """Copy the entry ``key`` into ``out`` (the names in ``last`` at the end, in order) and return its
    summary with the figure paths pointed at ``out``; None when there is no complete, intact entry."""
    entry = _entry(cache_dir, key)
    try:
        index = json.loads((entry / INDEX).read_text(encoding="utf-8"))
        files: dict[str, str] = index["files"]
        if any(_sha(entry / name) != digest for name, digest in files.items()):
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    summary = json.loads((entry / "summary.json").read_text(encoding="utf-8"))
    for paths in summary["figures"].values():
        for ext, p in paths.items():
            paths[ext] = str(out / Path(p).name)
    for name in [n for n in files if n not in last]:
        atomic_write(out / name, lambda p, src=entry / name: shutil.copyfile(src, p))
    for name in last:
        if name == "summary.json":
            atomic_write_text(out / name, json.dumps(summary, indent=1, default=float))
        else:
            atomic_write(out / name, lambda p, src=entry / name: shutil.copyfile(src, p))
    return summary


def store(cache_dir: Path, key: str, out: Path, names: Sequence[str]) -> None:
    """Keep the files ``names`` of ``out`` as the entry ``key`` (filled aside, then renamed into place)."""
    entry = _entry(cache_dir, key)
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = entry.parent / f".{key}.{uuid.uuid4().hex[:8]}.tmp{os.getpid()}"
    tmp.mkdir()
    try:
        for name in names:
            shutil.copyfile(out / name, tmp / name)
        index = {"key": key, "files": {name: _sha(tmp / name) for name in names}}
        (tmp / INDEX).write_text(json.dumps(index, indent=1), encoding="utf-8")
        if entry.exists():  # a damaged entry (restore refused it): replace it
            shutil.rmtree(entry, ignore_errors=True)
        try:
            os.rename(tmp, entry)
        except OSError:  # another run stored the same key meanwhile: keep that one
            pass
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


__all__ = ["LIBRARIES", "cache_key", "restore", "store"]

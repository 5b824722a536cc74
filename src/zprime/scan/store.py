"""The chunk store of a scan: finished chunks on disk, the manifest and the event log (resume, SIGKILL safety).

``<out>.chunks/`` holds ``c<id>.npz`` (one per finished chunk, written atomically: tmp file, then
``os.replace``), ``manifest.json`` (the config hash and identity of the scan), ``log.jsonl`` (one line
per event: start, chunk, recovered, done) and, while a scan runs, ``lock`` (its pid and host: a second
writer is refused; a lock whose process is gone is stale and taken over).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from zprime.core.errors import DataFileError, InputError
from zprime.core.outputs import OutputLock, atomic_write_text, remove_stale_temporaries
from zprime.scan.worker import chunk_filename, write_chunk

if TYPE_CHECKING:  # pragma: no cover
    from zprime.scan.config import ScanConfig
    from zprime.scan.worker import ScanPlan

#: Version of the chunk-store layout (manifest "format")
STORE_FORMAT = 1


def _flatten(d: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(d, dict):
        out: dict[str, Any] = {}
        for k, v in d.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: d}


def scan_identity(cfg: ScanConfig, plan: ScanPlan) -> dict[str, Any]:
    """What defines the chunks' content: the config, axis order, chunk layout and resolved constraints."""
    return {
        "config": cfg.canonical(),
        "dims": list(plan.axis_names),
        "shape": list(plan.shape),
        "chunk_size": plan.chunk_size,
        "n_chunks": plan.n_chunks,
        "constraints": [k.name for k in plan.constraints],
        "variables": [v.name for v in plan.variables()],
    }


def config_hash(identity: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of :func:`scan_identity`."""
    text = json.dumps(identity, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def chunk_dir(out_file: str | Path) -> Path:
    """The chunk store of the scan written to ``out_file``: ``<out_file>.chunks/``."""
    p = Path(out_file)
    return p.with_name(p.name + ".chunks")


_CHUNK_RE = re.compile(r"^c(\d{8,})\.npz$")


class ChunkStore:
    """Finished chunks of one scan on disk: ``c<id>.npz`` files, ``manifest.json`` and ``log.jsonl``.

    Each chunk file is written to a tmp name and moved into place with ``os.replace`` (atomic), then one
    line ``{"event": "chunk", "id": ..., "run": ...}`` is appended to the log. A chunk file therefore
    exists completely or not at all; after a SIGKILL the chunks on disk are exactly the finished ones. The
    workers of a ``local`` Dask cluster write their chunk files themselves the same way (the client logs
    them); the temporary of a worker killed while writing never counts as a chunk and is deleted once its
    process is gone.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.manifest_path = self.path / "manifest.json"
        self.log_path = self.path / "log.jsonl"
        self.run = 0
        self.created = False  # whether this run wrote the manifest (a new or cleared store)
        self._log_fh: Any = None
        out = self.path.with_name(self.path.name.removesuffix(".chunks"))
        self._lock = OutputLock(self.path / "lock", f"the scan output {out}")

    # ---------------------------------------------------------------------------------------------- files
    def chunk_path(self, cid: int) -> Path:
        return self.path / chunk_filename(cid)

    def done(self) -> set[int]:
        """Ids of the chunks on disk."""
        if not self.path.is_dir():
            return set()
        out = set()
        for entry in os.scandir(self.path):
            m = _CHUNK_RE.match(entry.name)
            if m:
                out.add(int(m.group(1)))
        return out

    def read_manifest(self) -> dict[str, Any] | None:
        if not self.manifest_path.exists():
            return None
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DataFileError(str(self.manifest_path), f"unreadable manifest: {exc}") from None

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        atomic_write_text(self.manifest_path, json.dumps(manifest, indent=1, sort_keys=True))

    def read_log(self) -> list[dict[str, Any]]:
        return read_log_file(self.log_path)

    def append_event(self, event: Mapping[str, Any]) -> None:
        """Append one line to ``log.jsonl`` (flushed at once)."""
        if self._log_fh is None:
            self._log_fh = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115 - kept open for the run
        self._log_fh.write(json.dumps(dict(event), separators=(",", ":")) + "\n")
        self._log_fh.flush()

    def close(self) -> None:
        if self._log_fh is not None:
            self._log_fh.close()
            self._log_fh = None

    # ------------------------------------------------------------------------------------------ lifecycle
    def lock(self) -> None:
        """Create the store folder and take its lock (InputError naming ``out`` when another scan holds it)."""
        if self.path.exists() and not self.path.is_dir():
            raise DataFileError(str(self.path), "exists and is not a folder; delete it to start over")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError("out", f"cannot create {self.path}: {exc.strerror or exc}") from None
        self._lock.acquire()

    def unlock(self) -> None:
        self._lock.release()

    def discard(self) -> None:
        """After a failed run: delete its temporaries and, when it made the store and no chunk finished,
        the whole store (nothing to resume); finished chunks are kept for ``resume``."""
        self.close()
        if not self.path.is_dir():
            return
        for entry in os.scandir(self.path):
            if ".tmp" in entry.name and entry.name.endswith(f".tmp{os.getpid()}"):
                os.unlink(entry.path)
        remove_stale_temporaries(self.path)  # of dask workers that died while writing a chunk
        if self.created and not self.done():
            for name in ("manifest.json", "log.jsonl"):
                (self.path / name).unlink(missing_ok=True)
            self.unlock()
            try:
                self.path.rmdir()
            except OSError:  # something else is in there: leave it
                pass

    def prepare(self, manifest: dict[str, Any], resume: bool) -> tuple[set[int], bool]:
        """Open the store for this scan. Returns (ids of finished chunks, whether the scan is complete).

        Without ``resume`` an unfinished store is an error (it holds work); a completed one is cleared.
        With ``resume`` the stored config must be identical (the error names the first differing key).
        """
        old = self.read_manifest()
        complete = False
        if old is not None:
            if old.get("format") != STORE_FORMAT:
                raise DataFileError(
                    str(self.manifest_path), f"unknown chunk-store format {old.get('format')!r}"
                )
            if not resume:
                if not old.get("complete"):
                    n = len(self.done())
                    raise InputError(
                        "resume",
                        f"{self.path} holds an unfinished scan ({n} of "
                        f"{old.get('n_chunks', '?')} chunks); pass --resume to continue it or "
                        "delete the folder to start over",
                    )
                self.clear()
                old = None
            elif old["config_hash"] != manifest["config_hash"]:
                raise _mismatch(old, manifest, self.path)
            else:
                complete = bool(old.get("complete"))
        elif self.path.exists() and any(self.path.iterdir()):
            if not self.path.is_dir() or self.done():
                raise DataFileError(
                    str(self.path), "exists but has no manifest.json; delete it to start over"
                )
        self.path.mkdir(parents=True, exist_ok=True)
        for entry in os.scandir(self.path):  # stale tmp files of a killed run (the lock is ours)
            if ".tmp" in entry.name:
                os.unlink(entry.path)
        self.created = old is None
        if old is None:
            self.write_manifest(manifest)
        done = self.done()
        events = self.read_log()
        logged = {e.get("id") for e in events if e.get("event") in ("chunk", "recovered")}
        self.run = 1 + sum(e.get("event") == "start" for e in events)
        for cid in sorted(done - logged):  # killed between os.replace and the log line
            self.append_event({"event": "recovered", "id": cid, "run": self.run})
        self.append_event(
            {
                "event": "start",
                "run": self.run,
                "pid": os.getpid(),
                "resume": bool(resume),
                "done": len(done),
                "time": utc_now(),
            }
        )
        return done, complete

    def save(self, cid: int, arrays: dict[str, np.ndarray], n_points: int) -> None:
        """Write chunk ``cid`` atomically, then log it."""
        write_chunk(self.path, cid, arrays)
        self.log_chunk(cid, n_points)

    def log_chunk(self, cid: int, n_points: int) -> None:
        """Record that chunk ``cid`` (already on disk) was computed in this run."""
        self.append_event({"event": "chunk", "id": cid, "run": self.run, "points": n_points})

    def load(self, cid: int) -> dict[str, np.ndarray]:
        path = self.chunk_path(cid)
        try:
            with np.load(path, allow_pickle=False) as z:
                return {k: z[k] for k in z.files}
        except (OSError, ValueError) as exc:
            raise DataFileError(str(path), f"unreadable chunk: {exc}") from None

    def finish(self, manifest: dict[str, Any], keep_chunks: bool) -> None:
        """Mark the scan complete; delete the chunk files unless ``keep_chunks``."""
        self.append_event({"event": "done", "run": self.run, "time": utc_now()})
        self.write_manifest({**manifest, "complete": True, "completed": utc_now()})
        remove_stale_temporaries(self.path)  # of dask workers that died while writing a chunk (retried)
        if not keep_chunks:
            for cid in self.done():
                self.chunk_path(cid).unlink(missing_ok=True)

    def clear(self) -> None:
        """Delete the chunk files, the manifest and the log."""
        for entry in os.scandir(self.path):
            if _CHUNK_RE.match(entry.name) or entry.name in ("manifest.json", "log.jsonl"):
                os.unlink(entry.path)


def read_log_file(path: str | Path) -> list[dict[str, Any]]:
    """Events of a chunk-store log (``<out>.chunks/log.jsonl``); a torn last line is skipped."""
    path = Path(path)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


def read_log(out: str | Path) -> list[dict[str, Any]]:
    """Events logged by the scan written to ``out`` (start, chunk, recovered, done)."""
    return read_log_file(chunk_dir(resolve_out(out)) / "log.jsonl")


def _mismatch(old: Mapping[str, Any], new: Mapping[str, Any], path: Path) -> InputError:
    a, b = _flatten(old.get("identity", {})), _flatten(new.get("identity", {}))
    diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    key = diff[0].removeprefix("config.") if diff else "config"
    detail = f" (was {a.get(diff[0])!r}, now {b.get(diff[0])!r})" if diff else ""
    return InputError(
        key,
        f"differs from the scan being resumed in {path}{detail}: config hash "
        f"{new['config_hash'][:12]} != {old['config_hash'][:12]}; resume with the original "
        "config, or run without --resume into another --out",
    )


def utc_now() -> str:
    """The time now (UTC, ISO 8601, seconds), as written in logs, manifests and file attributes."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def resolve_out(out: str | Path) -> Path:
    """The netCDF path of ``--out``: an existing folder, or a path ending in '/', gets ``scan.nc`` inside."""
    s = str(out)
    p = Path(out)
    if p.is_dir() or s.endswith(("/", os.sep)):
        return p / "scan.nc"
    return p


__all__ = [
    "ChunkStore",
    "STORE_FORMAT",
    "chunk_dir",
    "config_hash",
    "read_log",
    "read_log_file",
    "resolve_out",
    "scan_identity",
]

"""Integrity of the shipped data files: a SHA-256 manifest (``data/MANIFEST.sha256``) and the full check.

The manifest lists every file under ``zprime/data`` with its SHA-256, one ``<hex digest>  <path>`` line per
file (the format of ``sha256sum``, so ``cd src/zprime/data && sha256sum -c MANIFEST.sha256`` checks it too).
``tools/make_manifest.py`` writes it; the wheel ships it.

- At load, every shipped file a loader opens is hashed and compared with the manifest
  (:func:`verify_shipped`; the loaders already hold the bytes, so this costs one SHA-256 of the file,
  well under a millisecond for all files together), so a changed file is refused with one line naming it.
- :func:`zprime.core.data_check.validate_folder` (``zprime data validate [--data-dir DIR]``) checks a
  whole data folder: every
  listed file present, every file parsed and checked (measurements, editions, constants, limit metadata
  and curves, bibliography; duplicate YAML keys, σ ≤ 0, non-monotonic masses, values outside physical
  ranges, missing provenance, truncated files), no unlisted file, and every digest unchanged.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from zprime.core.errors import DataFileError

#: Name of the manifest inside the data folder.
MANIFEST_NAME = "MANIFEST.sha256"
_LINE = re.compile(r"^([0-9a-f]{64}) [ *](\S.*)$")
HINT = "reinstall zprime; after a deliberate change run tools/make_manifest.py"


def data_dir() -> Path:
    """The shipped data folder (``zprime/data``)."""
    return Path(str(resources.files("zprime") / "data"))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def data_files(root: Path) -> list[str]:
    """Every file under ``root`` (posix paths relative to it), sorted; the manifest, dot-files and
    ``__pycache__`` excluded."""
    out = []
    for p in root.rglob("*"):
        rel = p.relative_to(root)
        if (
            p.is_file()
            and p.name != MANIFEST_NAME
            and not any(s.startswith(".") or s == "__pycache__" for s in rel.parts)
        ):
            out.append(rel.as_posix())
    return sorted(out)


def compute_manifest(root: str | Path) -> dict[str, str]:
    """``{relative path: SHA-256}`` of every data file under ``root``."""
    root = Path(root)
    return {rel: sha256((root / rel).read_bytes()) for rel in data_files(root)}


def format_manifest(digests: dict[str, str]) -> str:
    """The manifest text (``sha256sum`` format, sorted by path)."""
    return "".join(f"{d}  {rel}\n" for rel, d in sorted(digests.items()))


def read_manifest(root: str | Path) -> dict[str, str]:
    """Parse ``root/MANIFEST.sha256``; DataFileError naming the line when malformed or missing."""
    path = Path(root) / MANIFEST_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read the checksum manifest: {exc.strerror or exc}") from None
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        m = _LINE.match(line)
        if m is None:
            raise DataFileError(str(path), "not '<sha256 hex>  <path>'", field=f"line {n}")
        rel = m.group(2)
        if rel in out or rel.startswith("/") or ".." in rel.split("/"):
            raise DataFileError(str(path), f"bad or repeated path {rel!r}", field=f"line {n}")
        out[rel] = m.group(1)
    if not text.endswith("\n"):
        raise DataFileError(str(path), "truncated (no final newline)")
    return out


@lru_cache(maxsize=1)
def _shipped_manifest() -> tuple[str, dict[str, str]]:
    root = data_dir()
    return os.path.abspath(root) + os.sep, read_manifest(root)


def verify_shipped(path: str | Path, content: bytes) -> None:
    """Refuse ``content`` read from ``path`` when ``path`` is a shipped data file whose SHA-256 differs from
    the manifest (or that the manifest does not list). Files outside ``zprime/data`` pass untouched."""
    prefix, manifest = _shipped_manifest()
    full = os.path.abspath(path)
    if not full.startswith(prefix):
        return
    rel = full[len(prefix) :].replace(os.sep, "/")
    want = manifest.get(rel)
    if want is None:
        raise DataFileError(str(path), f"not listed in data/{MANIFEST_NAME} ({HINT})")
    if sha256(content) != want:
        raise DataFileError(str(path), f"changed: its SHA-256 differs from data/{MANIFEST_NAME} ({HINT})")


def read_data_text(path: str | Path) -> str:
    """The UTF-8 text of a data file (measurements, limit files, bibliography, user files), a shipped one
    checked against the manifest (:func:`verify_shipped`). Errors name the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataFileError(str(path), "cannot read: file not found") from None
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read: {exc.strerror or exc}") from None
    verify_shipped(path, raw)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            str(path), f"not UTF-8 text ({exc.reason} at byte {exc.start}): is it the right file?"
        ) from None


__all__ = [
    "MANIFEST_NAME",
    "read_data_text",
    "compute_manifest",
    "data_dir",
    "data_files",
    "format_manifest",
    "read_manifest",
    "verify_shipped",
]

"""``zprime data validate``: the complete check of a data folder (the shipped one or a copy).

Every file listed in ``MANIFEST.sha256`` present; each file's content checked as its loader checks it, and
more: text files UTF-8 and ending with a newline (a file cut part-way does not), YAML without duplicate
keys, measurements with σ > 0 and a reference, limit files with source and licence, curves with increasing
masses and 0 < ε ≤ 1, constants with positive masses; no file missing from the manifest; every SHA-256
unchanged (:mod:`zprime.core.integrity`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from zprime.core import bibliography, constants, limit_curves, measurements
from zprime.core.errors import DataFileError
from zprime.core.integrity import HINT, MANIFEST_NAME, data_dir, data_files, read_manifest, sha256
from zprime.core.yaml_io import read_yaml


def _check_text(path: Path) -> None:
    """A text data file must be UTF-8 and end with a newline (a file cut part-way usually does not)."""
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DataFileError(str(path), f"not UTF-8 text (byte {exc.start})") from None
    if not raw.endswith(b"\n"):
        raise DataFileError(str(path), "truncated: the file does not end with a newline")


def validate_folder(root: str | Path | None = None) -> list[str]:
    """Check the data folder ``root`` (default: the shipped one) completely; DataFileError (one line naming
    the file) on the first problem, else one line per file or group of files checked.

    Order: files listed but missing; each file's content (parse, schema, physical ranges, provenance);
    files present but not listed; digests.
    """
    root = Path(data_dir() if root is None else root)
    if not root.is_dir():
        raise DataFileError(str(root), "data folder not found (or not a folder)", field="data-dir")
    manifest = read_manifest(root)
    for rel in manifest:
        if not (root / rel).is_file():
            raise DataFileError(str(root / rel), f"missing (listed in {MANIFEST_NAME})")
    present = data_files(root)
    for rel in present:
        if rel.endswith((".yaml", ".yml", ".csv", ".bib", ".md", ".json")):
            _check_text(root / rel)
    out: list[str] = []
    checks: list[tuple[str, Callable[[], str]]] = [
        ("constants", lambda: constants.validate_file(root / "constants" / "pdg.yaml")),
        ("measurements", lambda: measurements.validate_folder(root)),
        ("limits", lambda: limit_curves.validate_folder(root / "limits")),
        ("references.bib", lambda: bibliography.validate_file(root / "references.bib", root)),
    ]
    for _, check in checks:
        out.append(check())
    for rel in present:
        if rel.startswith("reproduction/") and rel.endswith((".yaml", ".yml")):
            read_yaml(root / rel)
            out.append(f"{rel}: parsed")
    for rel in present:
        if rel not in manifest:
            raise DataFileError(str(root / rel), f"not listed in {MANIFEST_NAME} ({HINT})")
    for rel, want in manifest.items():
        if sha256((root / rel).read_bytes()) != want:
            raise DataFileError(
                str(root / rel), f"changed: its SHA-256 differs from {MANIFEST_NAME} ({HINT})"
            )
    out.append(f"{MANIFEST_NAME}: {len(manifest)} files, SHA-256 unchanged")
    return out


__all__ = ["validate_folder"]

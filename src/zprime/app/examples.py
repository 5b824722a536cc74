"""The example files the README uses, shipped inside the package (``zprime/examples``) so that an installed
wheel has them: ``zprime examples --out DIR`` copies them out. In a source checkout the top-level
``examples`` is a link to the same folder (one copy, nothing to drift apart)."""

from __future__ import annotations

import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

from zprime.core.errors import InputError


def examples_dir() -> Path:
    """The shipped examples folder (``zprime/examples``)."""
    return Path(str(resources.files("zprime") / "examples"))


def example_files() -> list[Path]:
    """Every shipped example file, sorted by name."""
    return sorted(p for p in examples_dir().iterdir() if p.is_file() and not p.name.startswith("."))


def _description(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") and line.lstrip("# ").strip():
            return line.lstrip("# ").strip()
    return ""


def list_examples() -> list[dict[str, str]]:
    """``[{name, description, path}]`` of the shipped examples (description: the file's first comment)."""
    return [{"name": p.name, "description": _description(p), "path": str(p)} for p in example_files()]


def copy_examples(out: str | Path, overwrite: bool = False) -> list[Path]:
    """Copy every example into the folder ``out`` (created if missing); returns the written paths.

    An existing file is kept and reported (InputError naming it) unless ``overwrite``; each file is written
    to a temporary name in ``out`` and renamed when complete.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError("--out", f"{out} exists and is not a folder")
    files = example_files()
    targets = [out / p.name for p in files]
    if not overwrite:
        for t in targets:
            if t.exists():
                raise InputError("--out", f"{t} exists (pass --force to overwrite it)")
    try:
        out.mkdir(parents=True, exist_ok=True)
        for src, dst in zip(files, targets, strict=True):
            fd, tmp = tempfile.mkstemp(prefix=f".{dst.name}.", suffix=".tmp", dir=out)
            try:
                with os.fdopen(fd, "wb") as fh, src.open("rb") as fin:
                    shutil.copyfileobj(fin, fh)
                os.replace(tmp, dst)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
    except OSError as exc:
        raise InputError("--out", f"cannot write into {out}: {exc.strerror or exc}") from None
    return targets


__all__ = ["copy_examples", "example_files", "examples_dir", "list_examples"]

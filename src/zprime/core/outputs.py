"""Output folders chosen by the user (``--out``): created up front, with an error that names the option."""

from __future__ import annotations

import os
from pathlib import Path

from zprime.core.errors import InputError


def prepare_output_dir(path: str | Path, parameter: str = "out") -> Path:
    """Create folder ``path`` (with its parents) for writing and return it.

    Raises InputError naming ``parameter`` when the path exists and is not a folder, cannot be created or
    is not writable (bad input, not an internal error).
    """
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise InputError(parameter, f"{p} exists and is not a folder; give a folder to write into")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(parameter, f"cannot create the folder {p}: {exc.strerror or exc}") from None
    if not os.access(p, os.W_OK | os.X_OK):
        raise InputError(parameter, f"the folder {p} is not writable")
    return p


__all__ = ["prepare_output_dir"]

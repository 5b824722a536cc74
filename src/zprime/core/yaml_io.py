"""The one YAML reader of zprime's data files: safe loader, errors that name the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from zprime.core.errors import DataFileError


def read_yaml(path: str | Path) -> Any:
    """Parse ``path`` with ``yaml.safe_load`` (user text is never evaluated).

    Raises DataFileError "cannot read: ..." when the file cannot be read and "not valid YAML: ..." when it
    does not parse.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(str(path), "cannot read: file not found") from None
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read: {exc.strerror or exc}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise DataFileError(str(path), f"not valid YAML: {exc}") from None

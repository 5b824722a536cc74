"""The one YAML reader of zprime's data files: safe loader, errors that name the file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from zprime.core.errors import DataFileError

#: libyaml's safe loader where PyYAML was built with it (same safe constructors, ~10x faster), else PyYAML's.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: str | Path) -> Any:
    """Parse ``path`` with a safe loader (``yaml.safe_load``'s; user text is never evaluated).

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
    except UnicodeDecodeError as exc:
        raise DataFileError(str(path), f"not UTF-8 text (byte {exc.start}): is it the right file?") from None
    try:
        return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        raise DataFileError(str(path), f"not valid YAML: {exc}") from None

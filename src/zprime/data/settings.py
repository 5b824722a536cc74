"""Analysis settings of the reproduced papers (``data/reproduction/*.yaml``), read with a safe loader."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from zprime.errors import DataFileError


@lru_cache(maxsize=8)
def reproduction_settings(paper: str = "bodas2021") -> dict[str, Any]:
    """The settings and headline numbers of ``paper`` (``bodas2021`` or ``cadeddu2021``)."""
    path = resources.files("zprime") / "data" / "reproduction" / f"{paper}.yaml"
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(str(path), "no such reproduction settings file") from None

"""Analysis settings of the reproduced papers (``data/reproduction/*.yaml``), read with a safe loader."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import Any

from zprime.core.yaml_io import read_yaml


@lru_cache(maxsize=8)
def reproduction_settings(paper: str = "bodas2021") -> dict[str, Any]:
    """The settings and headline numbers of ``paper`` (``bodas2021`` or ``cadeddu2021``)."""
    return read_yaml(str(resources.files("zprime") / "data" / "reproduction" / f"{paper}.yaml"))

"""Modules imported when first used: a heavy dependency (xarray: pandas and its own 0.4 s) named at the top of
a module that is imported for a listing or a dispatch (e.g. the figure registry) costs nothing until one of its
attributes is read.

Built on the standard library's :class:`importlib.util.LazyLoader`; a module already imported is returned as
it is.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from types import ModuleType

_LOCK = threading.Lock()


def lazy_module(name: str) -> ModuleType:
    """The top-level module ``name``, executed at the first access of one of its attributes (the same module
    object every ``import name`` then gets). Raises ModuleNotFoundError at once where it is not installed."""
    if "." in name:
        raise ValueError(f"lazy_module takes a top-level module name, got {name!r}")
    with _LOCK:
        module = sys.modules.get(name)
        if module is not None:
            return module
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        loader = importlib.util.LazyLoader(spec.loader)
        spec.loader = loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        loader.exec_module(module)
        return module


__all__ = ["lazy_module"]

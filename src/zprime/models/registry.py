"""Registry of UV models, looked up by name.

Every module in ``zprime.models`` (other than ``base``, ``registry`` and private ``_*``) that defines
``provide() -> list[Model]`` is imported on first lookup. Users register their own with :func:`register`.
"""

from __future__ import annotations

import importlib
import pkgutil

from zprime.errors import InputError, UnknownNameError
from zprime.models.base import Model

_REGISTRY: dict[str, Model] = {}
_LOADED = False


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    import zprime.models as pkg

    found: dict[str, Model] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name in {"base", "registry"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"zprime.models.{info.name}")
        provide = getattr(module, "provide", None)
        if provide is None:
            continue
        for m in provide():
            if m.name in found:
                raise RuntimeError(f"model name '{m.name}' defined twice (module {info.name})")
            found[m.name] = m
    for name, m in _REGISTRY.items():
        found.setdefault(name, m)
    _REGISTRY.clear()
    _REGISTRY.update(found)
    _LOADED = True


def register(model: Model, *, replace: bool = False) -> None:
    _load()
    if model.name in _REGISTRY and not replace:
        raise InputError("name", f"model '{model.name}' exists; pass replace=True to override")
    _REGISTRY[model.name] = model


def get(name: str) -> Model:
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownNameError("model", name, list(_REGISTRY)) from None


def names() -> list[str]:
    _load()
    return sorted(_REGISTRY)

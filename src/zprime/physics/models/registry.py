"""Registry of UV models, looked up by name.

Every module in ``zprime.physics.models`` (other than ``base``, ``registry`` and private ``_*``) that defines
``provide() -> list[Model]`` is imported on first lookup. Users register their own with :func:`register`.
"""

from __future__ import annotations

from zprime.core.registry import Registry
from zprime.physics.models.base import Model

_MODELS: Registry[Model] = Registry("zprime.physics.models", "model", skip=("base", "registry"))


def register(model: Model, *, replace: bool = False) -> None:
    """Register a user-defined model (explicitly, at run time)."""
    _MODELS.register(model, replace=replace)


def unregister(name: str) -> None:
    """Remove a model registered at run time."""
    _MODELS.unregister(name)


def get(name: str) -> Model:
    """The model called ``name``; an unknown name lists the known ones."""
    return _MODELS.get(name)


def names() -> list[str]:
    return _MODELS.names()

"""Registry of UV models, looked up by name.

Every module in ``zprime.physics.models`` (other than ``base``, ``registry`` and private ``_*``) that defines
``provide() -> list[Model]`` is imported on first lookup, together with the entry points of group
``zprime.models`` of installed plugins (see :mod:`zprime.core.registry` and ``docs/extending.md``).
Users register their own at run time with :func:`register`.
"""

from __future__ import annotations

from zprime.core.registry import Registry
from zprime.physics.models.base import Model

#: Entry-point group through which installed plugins add models
ENTRY_POINT_GROUP = "zprime.models"

_MODELS: Registry[Model] = Registry(
    "zprime.physics.models", "model", skip=("base", "registry"), group=ENTRY_POINT_GROUP, item_type=Model
)


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
    """Sorted names of every model (shipped, plugins, run-time registrations)."""
    return _MODELS.names()


def reset() -> None:
    """Forget run-time registrations and rediscover models and plugins on the next lookup."""
    _MODELS.reset()


__all__ = ["ENTRY_POINT_GROUP", "register", "unregister", "get", "names", "reset"]

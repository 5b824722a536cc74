"""One discovery mechanism for the three registries (constraints, models, figures).

Each registry is explicit and lives in one place per layer: on first lookup it imports every module of
its package (except the registry's own modules and private ``_*`` ones) that defines
``provide() -> list[item]`` and indexes the items by ``item.name``. Nothing is registered as a side effect
of an import. User items are added with :meth:`Registry.register`; an unknown name lists the known ones.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from typing import Any, Generic, TypeVar

from zprime.core.errors import InputError, UnknownNameError

T = TypeVar("T")


class Registry(Generic[T]):
    """Name -> item, filled lazily from the modules of ``package`` that define ``provide()``."""

    def __init__(self, package: str, kind: str, skip: Iterable[str] = ()):
        self.package, self.kind, self.skip = package, kind, set(skip)
        self._items: dict[str, T] = {}
        self._user: dict[str, T] = {}
        self._loaded = False

    def _load(self) -> None:
        if self._loaded:
            return
        pkg = importlib.import_module(self.package)
        found: dict[str, T] = {}
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
            if info.name in self.skip or info.name.startswith("_"):
                continue
            module = importlib.import_module(f"{self.package}.{info.name}")
            provide: Any = getattr(module, "provide", None)
            if provide is None:
                continue
            for item in provide():
                name = item.name  # type: ignore[attr-defined]
                if name in found:
                    raise InputError("name", f"{self.kind} '{name}' defined twice (module {info.name})")
                found[name] = item
        found.update(self._user)  # user registrations survive a reset
        self._items = found
        self._loaded = True

    def reset(self) -> None:
        """Forget the provided items; the next lookup imports and asks the modules again (user
        registrations are kept)."""
        self._loaded = False

    def register(self, item: T, *, replace: bool = False) -> None:
        self._load()
        name = item.name  # type: ignore[attr-defined]
        if name in self._items and not replace:
            raise InputError("name", f"{self.kind} '{name}' exists; pass replace=True to override")
        self._items[name] = item
        self._user[name] = item

    def unregister(self, name: str) -> None:
        """Remove a (user) item; unknown names are ignored."""
        self._load()
        self._items.pop(name, None)
        self._user.pop(name, None)

    def get(self, name: str) -> T:
        self._load()
        try:
            return self._items[name]
        except KeyError:
            raise UnknownNameError(self.kind, name, list(self._items)) from None

    def items(self) -> dict[str, T]:
        self._load()
        return dict(self._items)

    def names(self) -> list[str]:
        self._load()
        return sorted(self._items)

"""One discovery mechanism for the three registries (constraints, models, figures).

Each registry is explicit and lives in one place per layer: on first lookup it imports every module of
its package (except the registry's own modules and private ``_*`` ones) that defines
``provide() -> list[item]`` and indexes the items by ``item.name``. Nothing is registered as a side effect
of an import. User items are added with :meth:`Registry.register`; an unknown name lists the known ones.

Plugins (other installed distributions) add items through an entry-point group (``zprime.models``,
``zprime.constraints``), read on the same first lookup with :func:`importlib.metadata.entry_points`. An
entry point ``name = "package.module:attr"`` may point to

* one item (a :class:`~zprime.physics.models.base.Model` or
  :class:`~zprime.physics.constraints.base.Constraint` instance),
* a list or tuple of items, or
* a callable taking no argument that returns one item or a list/tuple of them (e.g. the module's
  ``provide``).

Anything else, an import error inside the plugin, or an item whose name is already taken (by a shipped
item or another plugin) raises :class:`~zprime.core.errors.PluginError` naming the entry point and its
distribution: shipped items are never shadowed silently, so a result can always be traced to its code.
Loading is retried (and fails again) on the next lookup until the plugin is fixed or uninstalled.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Generic, TypeVar

from zprime.core.errors import InputError, PluginError, UnknownNameError

T = TypeVar("T")


def _dist_label(ep: EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "<unknown distribution>"
    return f"{dist.metadata['Name']} {dist.version}"


class Registry(Generic[T]):
    """Name -> item, filled lazily from the modules of ``package`` that define ``provide()`` and from the
    entry points of ``group`` (when given). ``item_type`` (when given) is the class every plugin item must
    be an instance of."""

    def __init__(
        self,
        package: str,
        kind: str,
        skip: Iterable[str] = (),
        *,
        group: str | None = None,
        item_type: type | None = None,
    ):
        self.package, self.kind, self.skip = package, kind, set(skip)
        self.group, self.item_type = group, item_type
        self._items: dict[str, T] = {}
        self._user: dict[str, T] = {}
        self._loaded = False
        #: changes whenever the set of items may change (reset, rediscover, register, unregister), so that
        #: callers can keep what they derive from :meth:`items` until then
        self.generation = 0

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
        if self.group is not None:
            self._load_plugins(found)
        found.update(self._user)  # run-time registrations (they survive rediscover())
        self._items = found
        self._loaded = True

    def _load_plugins(self, found: dict[str, T]) -> None:
        """Add the items of every entry point of ``self.group`` to ``found`` (see the module docstring)."""
        origin: dict[str, str] = {}
        for ep in sorted(entry_points(group=self.group), key=lambda e: (_dist_label(e), e.name)):
            for item in self._plugin_items(ep):
                name = item.name  # type: ignore[attr-defined]
                if name in found:
                    owner = origin.get(name, f"shipped with zprime ({self.package})")
                    raise self._plugin_error(ep, f"{self.kind} name '{name}' is already taken: {owner}")
                found[name] = item
                origin[name] = f"plugin {_dist_label(ep)}, entry point '{ep.name}'"

    def _plugin_error(self, ep: EntryPoint, message: str) -> PluginError:
        return PluginError(str(self.group), f"{ep.name} = {ep.value}", _dist_label(ep), message)

    def _plugin_items(self, ep: EntryPoint) -> list[T]:
        """The items an entry point gives: an item, a list/tuple of items, or a callable returning either."""
        try:
            obj = ep.load()
        except Exception as exc:  # noqa: BLE001 - any failure while importing the plugin
            raise self._plugin_error(ep, f"cannot be loaded ({type(exc).__name__}: {exc})") from exc
        if callable(obj) and not self._is_item(obj):
            try:
                obj = obj()
            except Exception as exc:  # noqa: BLE001 - any failure inside the plugin's callable
                raise self._plugin_error(ep, f"calling it failed ({type(exc).__name__}: {exc})") from exc
        items = list(obj) if isinstance(obj, list | tuple) else [obj]
        for item in items:
            if not self._is_item(item):
                want = self.item_type.__name__ if self.item_type is not None else f"named {self.kind}"
                raise self._plugin_error(
                    ep,
                    f"gives a {type(item).__name__}; expected a {want}, a list of them, "
                    "or a callable returning them",
                )
            if not isinstance(getattr(item, "name", None), str) or not item.name:  # type: ignore[attr-defined]
                raise self._plugin_error(ep, f"a {self.kind} without a name")
        return items

    def _is_item(self, obj: object) -> bool:
        if self.item_type is not None:
            return isinstance(obj, self.item_type)
        return isinstance(getattr(obj, "name", None), str)

    def reset(self) -> None:
        """Forget every item (run-time registrations included); the next lookup discovers them again, e.g.
        after a plugin was installed or removed in a running process, or between tests."""
        self._items = {}
        self._user = {}
        self._loaded = False
        self.generation += 1

    def rediscover(self) -> None:
        """Forget the discovered items but keep run-time registrations; the next lookup asks the modules
        and plugins again (e.g. after the limit-curve folders changed)."""
        self._items = {}
        self._loaded = False
        self.generation += 1

    def register(self, item: T, *, replace: bool = False) -> None:
        self._load()
        name = item.name  # type: ignore[attr-defined]
        if name in self._items and not replace:
            raise InputError("name", f"{self.kind} '{name}' exists; pass replace=True to override")
        self._items[name] = item
        self._user[name] = item
        self.generation += 1

    def unregister(self, name: str) -> None:
        """Remove a (user) item; unknown names are ignored."""
        self._load()
        self._items.pop(name, None)
        self._user.pop(name, None)
        self.generation += 1

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

"""The one registry of constraints, looked up by name.

Discovery is explicit and happens here only: every module in ``zprime.constraints`` (other than
``base``, ``registry`` and private ``_*`` modules) that defines ``provide() -> list[Constraint]`` is
imported on first lookup and its constraints are registered. Adding a constraint therefore takes one new
module and no edit elsewhere. Users add their own at run time with :func:`register`.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable

from zprime.constraints.base import Category, Constraint
from zprime.errors import InputError, UnknownNameError

_SKIP = {"base", "registry"}
_REGISTRY: dict[str, Constraint] = {}
_LOADED = False


def _load() -> None:
    global _LOADED
    if _LOADED:
        return
    import zprime.constraints as pkg

    found: dict[str, Constraint] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name in _SKIP or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"zprime.constraints.{info.name}")
        provide = getattr(module, "provide", None)
        if provide is None:
            continue
        for c in provide():
            if c.name in found:
                raise RuntimeError(f"constraint name '{c.name}' defined twice (module {info.name})")
            found[c.name] = c
    # user registrations made before the first lookup win over nothing; keep them
    for name, c in _REGISTRY.items():
        found.setdefault(name, c)
    _REGISTRY.clear()
    _REGISTRY.update(found)
    _LOADED = True


def register(constraint: Constraint, *, replace: bool = False) -> None:
    """Register a user-defined constraint (explicitly, at run time)."""
    _load()
    if constraint.name in _REGISTRY and not replace:
        raise InputError("name", f"constraint '{constraint.name}' exists; pass replace=True to override")
    _REGISTRY[constraint.name] = constraint


def all_constraints() -> dict[str, Constraint]:
    """Name -> Constraint for every registered constraint."""
    _load()
    return dict(_REGISTRY)


def get(name: str) -> Constraint:
    """Look a constraint up by name; an unknown name lists the known ones."""
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownNameError("constraint", name, list(_REGISTRY)) from None


def names(category: Category | None = None) -> list[str]:
    _load()
    return sorted(n for n, c in _REGISTRY.items() if category is None or c.category == category)


def select(
    only: Iterable[str] | None = None,
    exclude: Iterable[str] = (),
    include_projections: bool = False,
    include_variants: bool = False,
    variants: Iterable[str] = (),
) -> list[Constraint]:
    """Pick constraints: ``only`` names (any category), else every "current" one (plus projections or
    variants on request), minus ``exclude``. ``variants`` swaps in named variants (e.g. the seed's BaBar
    envelope) for the current constraints they replace (``Constraint.tags`` holds ``replaces:NAME``)."""
    _load()
    exclude = set(exclude)
    for n in exclude:
        get(n)
    if only:
        chosen = [get(n) for n in only]
    else:
        cats = {"current"} | ({"projection"} if include_projections else set()) | (
            {"variant"} if include_variants else set())
        chosen = [c for c in _REGISTRY.values() if c.category in cats]
        for v in variants:
            vc = get(v)
            replaced = {t.split(":", 1)[1] for t in vc.tags if t.startswith("replaces:")}
            chosen = [c for c in chosen if c.name not in replaced and c.name != vc.name] + [vc]
    return sorted((c for c in chosen if c.name not in exclude), key=lambda c: c.name)


__all__ = ["register", "all_constraints", "get", "names", "select"]

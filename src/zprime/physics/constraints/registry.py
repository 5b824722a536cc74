"""The one registry of constraints, looked up by name.

Discovery is explicit and happens here only: every module in ``zprime.physics.constraints`` (other than
``base``, ``registry`` and private ``_*`` modules) that defines ``provide() -> list[Constraint]`` is
imported on first lookup and its constraints are registered. Adding a constraint therefore takes one new
module and no edit elsewhere. Installed plugins add constraints through the entry-point group
``zprime.constraints``, read on the same first lookup (see :mod:`zprime.core.registry` and
``docs/extending.md``). Users add their own at run time with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Iterable

from zprime.core import limit_curves
from zprime.core.registry import Registry
from zprime.physics.constraints.base import Category, Constraint

#: Entry-point group through which installed plugins add constraints
ENTRY_POINT_GROUP = "zprime.constraints"

_CONSTRAINTS: Registry[Constraint] = Registry(
    "zprime.physics.constraints",
    "constraint",
    skip=("base", "registry", "rulesets"),
    group=ENTRY_POINT_GROUP,
    item_type=Constraint,
)
# user limit curves (ZPRIME_LIMITS_PATH, limit_curves.set_limits_path) become constraints: rediscover them
limit_curves.on_reload(_CONSTRAINTS.rediscover)


def register(constraint: Constraint, *, replace: bool = False) -> None:
    """Register a user-defined constraint (explicitly, at run time)."""
    _CONSTRAINTS.register(constraint, replace=replace)


def unregister(name: str) -> None:
    """Remove a constraint registered at run time."""
    _CONSTRAINTS.unregister(name)


def reset() -> None:
    """Forget run-time registrations and rediscover constraints and plugins on the next lookup."""
    _CONSTRAINTS.reset()


def all_constraints() -> dict[str, Constraint]:
    """Name -> Constraint for every registered constraint."""
    return _CONSTRAINTS.items()


def get(name: str) -> Constraint:
    """Look a constraint up by name; an unknown name lists the known ones."""
    return _CONSTRAINTS.get(name)


def names(category: Category | None = None) -> list[str]:
    return sorted(n for n, c in _CONSTRAINTS.items().items() if category is None or c.category == category)


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
    if only is None and not exclude and not variants:  # the common call: kept until the registry changes
        key = (include_projections, include_variants)
        kept = _SELECTED.get(key)
        if kept is None or kept[0] != _CONSTRAINTS.generation:
            _CONSTRAINTS.items()  # loads (a first load does not change the generation)
            kept = (_CONSTRAINTS.generation, _select(None, (), include_projections, include_variants, ()))
            _SELECTED[key] = kept
        return list(kept[1])
    return _select(only, exclude, include_projections, include_variants, variants)


#: (registry generation, constraints) of the argument-free selections of :func:`select`
_SELECTED: dict[tuple[bool, bool], tuple[int, list[Constraint]]] = {}


def _select(
    only: Iterable[str] | None,
    exclude: Iterable[str],
    include_projections: bool,
    include_variants: bool,
    variants: Iterable[str],
) -> list[Constraint]:
    registry = _CONSTRAINTS.items()
    exclude = set(exclude)
    for n in exclude:
        get(n)
    if only:
        chosen = [get(n) for n in only]
    else:
        cats = (
            {"current"}
            | ({"projection"} if include_projections else set())
            | ({"variant"} if include_variants else set())
        )
        chosen = [c for c in registry.values() if c.category in cats]
        for v in variants:
            vc = get(v)
            replaced = {t.split(":", 1)[1] for t in vc.tags if t.startswith("replaces:")}
            chosen = [c for c in chosen if c.name not in replaced and c.name != vc.name] + [vc]
    return sorted((c for c in chosen if c.name not in exclude), key=lambda c: c.name)


__all__ = [
    "ENTRY_POINT_GROUP",
    "register",
    "unregister",
    "reset",
    "all_constraints",
    "get",
    "names",
    "select",
]

"""The one registry of constraints, looked up by name.

Discovery is explicit and happens here only: every module in ``zprime.physics.constraints`` (other than
``base``, ``registry`` and private ``_*`` modules) that defines ``provide() -> list[Constraint]`` is
imported on first lookup and its constraints are registered. Adding a constraint therefore takes one new
module and no edit elsewhere. Users add their own at run time with :func:`register`.
"""

from __future__ import annotations

from collections.abc import Iterable

from zprime.core import limit_curves
from zprime.core.registry import Registry
from zprime.physics.constraints.base import Category, Constraint

_CONSTRAINTS: Registry[Constraint] = Registry(
    "zprime.physics.constraints", "constraint", skip=("base", "registry", "rulesets")
)
# user limit curves (ZPRIME_LIMITS_PATH, limit_curves.set_limits_path) become constraints: rediscover them
limit_curves.on_reload(_CONSTRAINTS.reset)


def register(constraint: Constraint, *, replace: bool = False) -> None:
    """Register a user-defined constraint (explicitly, at run time)."""
    _CONSTRAINTS.register(constraint, replace=replace)


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


__all__ = ["register", "all_constraints", "get", "names", "select"]

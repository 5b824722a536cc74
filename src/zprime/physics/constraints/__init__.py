"""Constraints on Z' couplings: one registry, looked up by name.

>>> from zprime.physics.constraints import get
>>> get("white_dwarf").rule
'upper_bound'

The registry functions (and with them the limit-curve files) are imported on first use, so that a command
that needs only :class:`EvalOptions` (e.g. ``zprime g2``) starts faster.
"""

from typing import TYPE_CHECKING, Any

from zprime.physics.constraints.base import (
    STATUS_NAMES,
    Constraint,
    EvalOptions,
    Result,
    Status,
    chi2_threshold,
    evaluate_all,
)

if TYPE_CHECKING:  # the names, for type checkers; at run time they come from __getattr__
    from zprime.physics.constraints.registry import all_constraints, get, names, register, select

_REGISTRY_NAMES = ("all_constraints", "get", "names", "register", "select")


def __getattr__(name: str) -> Any:
    if name in _REGISTRY_NAMES:
        from zprime.physics.constraints import registry

        return getattr(registry, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Constraint",
    "EvalOptions",
    "Result",
    "Status",
    "STATUS_NAMES",
    "chi2_threshold",
    "evaluate_all",
    "all_constraints",
    "get",
    "names",
    "register",
    "select",
]

"""Constraints on Z' couplings: one registry, looked up by name.

>>> from zprime.physics.constraints import get
>>> get("white_dwarf").rule
'upper_bound'
"""

from zprime.physics.constraints.base import (
    STATUS_NAMES,
    Constraint,
    EvalOptions,
    Result,
    Status,
    chi2_threshold,
)
from zprime.physics.constraints.registry import all_constraints, get, names, register, select

__all__ = [
    "Constraint",
    "EvalOptions",
    "Result",
    "Status",
    "STATUS_NAMES",
    "chi2_threshold",
    "all_constraints",
    "get",
    "names",
    "register",
    "select",
]

"""Small array helpers with the results of their numpy equivalents and less fixed cost on small inputs.

Evaluating one point calls numpy's Python-level helpers hundreds of times; each costs about 1–2 µs
(``np.broadcast_to`` builds an iterator, ``np.any`` dispatches to a reduction). These shortcuts give the
same arrays and answers where the input already has the shape asked for, or holds one number.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def broadcast(a: Any, shape: tuple[int, ...]) -> np.ndarray:
    """``np.broadcast_to(a, shape)``: a read-only view of ``a`` in ``shape`` (a plain view where ``a``
    has that shape already)."""
    if a.__class__ is np.ndarray:
        if a.shape == shape or (a.size == 1 and math.prod(shape) == 1):
            v = a.reshape(shape)  # a view (one element, or the same shape)
            v.flags.writeable = False
            return v
        if a.size == 1 and a.ndim <= len(shape) and a.dtype.kind in "biufc":
            # one number to many: the zero-stride view np.broadcast_to makes, without its iterator
            v = np.ndarray(shape, a.dtype, a, 0, (0,) * len(shape))
            v.flags.writeable = False
            return v
    elif isinstance(a, (np.generic, float, int)) and math.prod(shape) == 1:  # a numpy scalar, one point
        v = np.asarray(a).reshape(shape)  # the dtype np.broadcast_to gives
        v.flags.writeable = False
        return v
    return np.broadcast_to(a, shape)


def full(shape: tuple[int, ...], v: Any, dtype: Any = float) -> np.ndarray:
    """``np.full(shape, v, dtype)``, with less fixed cost for one element."""
    if shape == ():
        return np.array(v, dtype)  # dtype passed by position: numpy parses a keyword far more slowly
    if shape == (1,):
        return np.array([v], dtype)
    return np.full(shape, v, dtype=dtype)


def broadcast_all(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """``np.broadcast_arrays(*arrays)`` (views in the common shape, not to be written to), cheaper where
    every array holds one number (one point)."""
    shape = arrays[0].shape
    if all(a.shape == shape for a in arrays):
        return arrays
    if all(a.size == 1 for a in arrays):
        shape = max((a.shape for a in arrays), key=len)
        return tuple(broadcast(a, shape) for a in arrays)
    shape = next(a.shape for a in arrays if a.size != 1)
    if all((a.shape == shape) or (a.size == 1 and a.ndim <= len(shape)) for a in arrays):
        # arrays of one shape and single numbers (e.g. a value and a scalar bound): views in that shape
        return tuple(broadcast(a, shape) for a in arrays)
    return tuple(np.broadcast_arrays(*arrays))


def positive_finite(a: np.ndarray) -> bool:
    """Every element of the float array ``a`` positive and finite (NaN fails): ``not (np.any(~np.isfinite(a))
    or np.any(a <= 0))``."""
    if a.size == 1:
        v = a.item()
        return 0.0 < v < math.inf
    return not (np.any(~np.isfinite(a)) or np.any(a <= 0))


def all_finite(a: np.ndarray) -> bool:
    """``np.isfinite(a).all()`` of a float array (NaN and ±inf are not finite)."""
    if a.size == 1:
        return math.isfinite(a.item())
    return bool(np.isfinite(a).all())


def any_nan(a: np.ndarray) -> bool:
    """``np.isnan(a).any()`` of a float array."""
    if a.size == 1:
        return math.isnan(a.item())
    return bool(np.isnan(a).any())


__all__ = ["all_finite", "any_nan", "broadcast", "broadcast_all", "full", "positive_finite"]

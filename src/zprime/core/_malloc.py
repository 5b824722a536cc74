"""glibc malloc settings for zprime's large numpy workloads (Linux only; elsewhere nothing is done).

numpy allocates every temporary with malloc. Two glibc behaviours make block-wise evaluation slow:

- **Per-thread arenas.** Each worker thread of :func:`zprime.analyses.likelihood.evaluate` gets its own arena,
  whose heaps glibc gives back to the kernel as soon as they are free, so each call page-faults its
  temporaries in again (measured: ~55,000 minor faults and 0.4–0.6 s of system time per 1e6-point call
  on 2 threads). :func:`limit_arenas` makes all threads share one arena (``M_ARENA_MAX`` = 1): the
  faults disappear (with 2 arenas a few thousand remain; measured 0.78–0.84 s against 0.88–0.91 s per call).
- **``MALLOC_TRIM_THRESHOLD_`` in the environment** (dask's nanny sets it on its workers) disables the
  dynamic mmap threshold, so every temporary above 128 kB is mmap'ed and unmapped again: measured 2–3x
  slower scan chunks. :func:`undo_fixed_trim_threshold` lets the heap hold temporaries up to 32 MB.

Both are process-wide, applied once, and skipped when the user chose otherwise: ``MALLOC_ARENA_MAX`` set in
the environment, or ``ZPRIME_MALLOC_TUNING=0``.
"""

from __future__ import annotations

import ctypes
import os
import sys

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8  # from glibc's malloc.h
_DONE: set[str] = set()


def _mallopt(*settings: tuple[int, int]) -> bool:
    """Call glibc's mallopt for each (parameter, value); False where there is no glibc."""
    if not sys.platform.startswith("linux") or os.environ.get("ZPRIME_MALLOC_TUNING", "1") == "0":
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        for param, value in settings:
            libc.mallopt(param, value)
    except (OSError, AttributeError):  # not glibc
        return False
    return True


def limit_arenas(max_arenas: int = 1) -> None:
    """Cap glibc's malloc arenas (once per process) unless ``MALLOC_ARENA_MAX`` is set."""
    if "arenas" in _DONE:
        return
    _DONE.add("arenas")
    if "MALLOC_ARENA_MAX" not in os.environ:
        _mallopt((_M_ARENA_MAX, max_arenas))


def undo_fixed_trim_threshold() -> None:
    """Where ``MALLOC_TRIM_THRESHOLD_`` is set, keep temporaries up to 32 MB on the heap and up to 256 MB
    before trimming (once per process)."""
    if "trim" in _DONE:
        return
    _DONE.add("trim")
    if "MALLOC_TRIM_THRESHOLD_" in os.environ:
        _mallopt((_M_MMAP_THRESHOLD, 32 << 20), (_M_TRIM_THRESHOLD, 256 << 20))


__all__ = ["limit_arenas", "undo_fixed_trim_threshold"]

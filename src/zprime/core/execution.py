"""Where zprime's work runs: blocks, a persistent thread pool, Dask clusters, and opt-in malloc tuning.

The lowest layer that knows nothing of physics. :func:`zprime.analyses.likelihood.evaluate` cuts its points
into blocks and runs them with :func:`run_blocks`; :mod:`zprime.scan` gets its Dask client from
:func:`dask_client` and feeds it with :func:`dask_map_unordered`.

- **Blocks.** :func:`blocks` cuts ``n`` items into consecutive slices of at most ``size`` items; every index
  is in exactly one slice, in order.
- **Threads.** One :class:`~concurrent.futures.ThreadPoolExecutor` per worker count is kept for the life of
  the process (numpy releases the GIL inside its loops, so blocks run side by side). A forked child gets
  new pools (it has none of its parent's threads). A call from inside a pool thread runs its blocks
  serially in that thread: waiting for the pool from one of its own threads could deadlock.
  :func:`map_ordered` runs whole work items (a serial scan's chunks) side by side on the same pool.
- **Processes.** :func:`process_map` runs independent tasks (whole figures, searches) in a pool of worker
  processes, forked where the platform allows it (the workers share the parent's imported modules); the
  results come back in the order of the tasks, whatever order they finish in. A worker dies with its
  parent (Linux), so a killed program leaves no worker behind still writing its files. The workers inherit
  the parent's objects frozen (:func:`gc.freeze`): their garbage collections skip them.
- **Dask.** ``"local:N"`` starts a LocalCluster on 127.0.0.1 (N single-threaded worker processes, no
  dashboard); ``"tcp://HOST:PORT"`` connects to a running scheduler. Dask is optional.
- **malloc (glibc, opt-in).** Process-wide allocator settings belong to the program, not to a library:
  nothing is changed unless :func:`tune_malloc` is called or ``ZPRIME_MALLOC_TUNING=1`` is set (the
  ``zprime scan`` command opts in; ``ZPRIME_MALLOC_TUNING=0`` switches that off). See docs/scans.md for the
  measured gains.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import itertools
import logging
import os
import re
import sys
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal

from zprime.core.errors import InputError

_END = object()  # end of an iterator

#: Most threads :func:`default_workers` gives (more rarely pays: the blocks share the memory bandwidth)
MAX_DEFAULT_WORKERS = 8


# ================================================================================================ blocks
def blocks(n: int, size: int) -> list[slice]:
    """Consecutive slices ``[i, min(i + size, n))`` covering ``range(n)`` once, in order ([] for n = 0)."""
    if size < 1:
        raise ValueError(f"block size must be >= 1, got {size}")
    if n < 0:
        raise ValueError(f"number of items must be >= 0, got {n}")
    return [slice(i, min(i + size, n)) for i in range(0, n, size)]


def default_workers() -> int:
    """Threads used by default: the CPUs available to this process, at most :data:`MAX_DEFAULT_WORKERS`."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        n = os.cpu_count() or 1
    return max(1, min(n, MAX_DEFAULT_WORKERS))


# ========================================================================================== thread pool
_POOLS: dict[int, ThreadPoolExecutor] = {}
_POOLS_LOCK = threading.Lock()
_IN_POOL = threading.local()  # .active is True in the pools' threads


def _mark_pool_thread() -> None:
    _IN_POOL.active = True


def _after_fork_in_child() -> None:
    """A forked child has none of its parent's threads: forget the pools (new ones are made on demand)."""
    global _POOLS_LOCK
    _POOLS.clear()
    _POOLS_LOCK = threading.Lock()  # the parent may have held it while forking
    _IN_POOL.active = False  # the forking thread may have been a pool thread; here it is the main thread


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def in_pool_thread() -> bool:
    """True in the threads of zprime's pools (where :func:`run_blocks` runs serially)."""
    return bool(getattr(_IN_POOL, "active", False))


def thread_pool(workers: int) -> ThreadPoolExecutor:
    """The process's pool of ``workers`` threads, made on first use and kept (its threads stay warm)."""
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    with _POOLS_LOCK:
        pool = _POOLS.get(workers)
        if pool is None:
            pool = _POOLS[workers] = ThreadPoolExecutor(
                max_workers=workers, thread_name_prefix="zprime-evaluate", initializer=_mark_pool_thread
            )
    return pool


def run_blocks(fn: Callable[[slice], None], n: int, block_size: int, workers: int) -> None:
    """Call ``fn(sl)`` for every slice of :func:`blocks` ``(n, block_size)``, on up to ``workers`` threads.

    ``fn`` must write its own part of the output only (the blocks run in any order). One block,
    ``workers == 1``, or a call from a pool thread runs serially in the calling thread. The first error
    raised by a block is raised here.
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    todo = blocks(n, block_size)
    nw = min(workers, len(todo))
    if nw <= 1 or in_pool_thread():
        for sl in todo:
            fn(sl)
        return
    tune_malloc_if_requested()
    for _ in thread_pool(nw).map(fn, todo):  # re-raises the first error of a block
        pass


def map_ordered(
    fn: Callable[[Any], Any], items: Iterable[Any], workers: int, max_ahead: int | None = None
) -> Iterator[Any]:
    """Yield ``fn(item)`` for every item, in the order of ``items``, computed on up to ``workers`` threads.

    At most ``max_ahead`` items (default ``2 * workers``) are submitted ahead of the one the caller waits
    for, so memory stays bounded whatever the number of items, and ``items`` is consumed lazily. The
    results are handed over in the calling thread (which may write them while the pool computes the next
    ones). ``workers == 1`` or a call from a pool thread runs serially here. The first error raised by
    ``fn`` is raised at its item; on exit (error or an abandoned generator) items not yet started are
    cancelled.
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    if workers == 1 or in_pool_thread():
        for item in items:
            yield fn(item)
        return
    tune_malloc_if_requested()
    pool = thread_pool(workers)
    todo = iter(items)
    window: collections.deque[Any] = collections.deque(
        pool.submit(fn, item) for item in itertools.islice(todo, max_ahead or 2 * workers)
    )
    try:
        while window:
            result = window.popleft().result()
            nxt = next(todo, _END)
            if nxt is not _END:
                window.append(pool.submit(fn, nxt))
            yield result
    finally:
        for fut in window:
            fut.cancel()


# ============================================================================================ processes
_PR_SET_PDEATHSIG = 1  # from linux/prctl.h


def _die_with_parent(parent: int, worker_init: Callable[[], None] | None = None) -> None:
    """Worker initializer: ask Linux to SIGKILL this process when its parent dies (elsewhere: nothing), then
    run ``worker_init`` (see :func:`process_map`)."""
    if sys.platform.startswith("linux"):
        import signal

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL("libc.so.6").prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL))
        if os.getppid() != parent:  # the parent died before the request was made
            os._exit(1)
    if worker_init is not None:
        worker_init()


def process_map(
    fn: Callable[[Any], Any],
    items: Iterable[Any],
    workers: int,
    on_done: Callable[[int, Any], None] | None = None,
    *,
    prepare: Callable[[], None] | None = None,
    early: Callable[[Any], bool] | None = None,
    worker_init: Callable[[], None] | None = None,
) -> list[Any]:
    """``[fn(item) for item in items]``, computed by up to ``workers`` worker processes (forked on Linux).

    Tasks are handed out in the order of ``items`` (put the longest first for the best balance) to whichever
    worker is free; ``on_done(index, result)`` is called in this process as each one finishes. ``fn``, the
    items and the results must be picklable (``fn`` a module-level function). ``workers == 1`` or a single
    item runs everything here, in order. The first error raised by a task is raised here and the tasks not
    yet started are cancelled.

    ``prepare`` (no arguments) loads what the workers should share, e.g. imports; it runs in this process
    before any task. With ``early`` as well (true for the items that do not need ``prepare``), the work
    starts sooner: half of the workers (at least one) are forked first and take only the ``early`` items
    while ``prepare()`` runs in a thread of this process; the others are forked once it has returned (they
    inherit what it loaded) and take the other items first. The results are the same either way.

    ``worker_init`` (a module-level function of no arguments) runs once in each worker process as it starts,
    never in this process (nor where everything runs here): settings that belong to the workers alone.
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers}")
    todo = list(items)
    results: list[Any] = [None] * len(todo)
    # fork on Linux (the workers share what this process imported); spawn elsewhere (fork is unsafe on macOS)
    method = "fork" if sys.platform.startswith("linux") else "spawn"
    serial = workers == 1 or len(todo) <= 1
    flags = [bool(early(x)) for x in todo] if early is not None and not serial and method == "fork" else []
    staged = prepare is not None and any(flags)
    if prepare is not None and not staged:
        prepare()
    if serial:
        for i, item in enumerate(todo):
            results[i] = fn(item)
            if on_done is not None:
                on_done(i, results[i])
        return results
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    def new_pool(n: int) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=n,
            mp_context=multiprocessing.get_context(method),
            initializer=_die_with_parent,
            initargs=(os.getpid(), worker_init),
        )

    n_all = min(workers, len(todo))
    n_first = max(1, n_all // 2) if staged else n_all
    queue = list(range(len(todo)))  # not yet handed out, in order
    # lanes: [pool, free workers, which items it takes: "any", "early" only, or "late" (the others first)]
    lanes: list[list[Any]] = []
    running: dict[Future[Any], tuple[int, list[Any]]] = {}

    def next_for(kind: str) -> int | None:
        if kind != "any":
            for j, i in enumerate(queue):
                if flags[i] == (kind == "early"):
                    return queue.pop(j)
            if kind == "early":
                return None
        return queue.pop(0) if queue else None

    def hand_out() -> None:
        for lane in lanes:
            while lane[1] and (i := next_for(lane[2])) is not None:
                with warnings.catch_warnings():
                    # Python >= 3.12 warns about fork() in a process with threads; zprime's pools are rebuilt
                    # in the child (_after_fork_in_child) and nothing else of ours holds a lock across it
                    warnings.simplefilter("ignore", DeprecationWarning)
                    running[lane[0].submit(fn, todo[i])] = (i, lane)
                lane[1] -= 1

    failed: list[BaseException] = []

    def run_prepare() -> None:
        try:
            prepare()  # type: ignore[misc]
        except BaseException as exc:  # raised again in the calling thread
            failed.append(exc)

    helper = threading.Thread(target=run_prepare, name="zprime-prepare") if staged else None
    with _frozen_heap(method == "fork"), contextlib.ExitStack() as stack:
        lanes.append([stack.enter_context(new_pool(n_first)), n_first, "early" if staged else "any"])
        try:
            hand_out()
            if helper is not None:
                helper.start()
            while running or queue:
                if helper is not None and not helper.is_alive():
                    helper.join()
                    helper = None
                    if failed:
                        raise failed[0]
                    _freeze_heap(method == "fork")  # what prepare() made, for the workers forked now
                    n_late = n_all - n_first
                    lanes.append([stack.enter_context(new_pool(n_late)), n_late, "late"])
                    hand_out()
                if not running:  # only items that need prepare() are left
                    helper.join()  # type: ignore[union-attr]
                    continue
                done, _ = wait(running, timeout=0.02 if helper else None, return_when=FIRST_COMPLETED)
                for fut in done:
                    i, lane = running.pop(fut)
                    results[i] = fut.result()  # re-raises the task's error
                    lane[1] += 1
                    if on_done is not None:
                        on_done(i, results[i])
                hand_out()
        except BaseException:
            for fut in running:
                fut.cancel()
            raise
        finally:
            if helper is not None:
                helper.join()
    return results


def _freeze_heap(active: bool) -> None:
    """:func:`gc.freeze` where ``active`` (see :func:`_frozen_heap`)."""
    if active:
        import gc

        gc.freeze()


@contextlib.contextmanager
def _frozen_heap(active: bool) -> Iterator[None]:
    """Within: the objects this process holds are moved out of the garbage collector's reach
    (:func:`gc.freeze`), so that forked workers inherit them frozen: a worker's collections then never walk
    the parent's modules and data (hundreds of thousands of objects after matplotlib, xarray and scipy are
    imported), and never write to their pages, which stay shared with the parent instead of being copied.
    This process's objects are handed back to the collector on leaving (:func:`gc.unfreeze`)."""
    if not active:
        yield
        return
    import gc

    _freeze_heap(True)
    try:
        yield
    finally:
        gc.unfreeze()


# ================================================================================================= Dask
@dataclass(frozen=True)
class SchedulerSpec:
    """A parsed ``--scheduler``: ``local`` (``workers`` processes on this machine) or an ``address``."""

    kind: Literal["local", "address"]
    workers: int = 0
    address: str = ""


def parse_scheduler(spec: str) -> SchedulerSpec:
    """``local:N`` (or ``local``: one worker per CPU) or a scheduler address ``tcp://HOST:PORT``."""
    spec = spec.strip()
    m = re.fullmatch(r"local(?::(\d+))?", spec)
    if m:
        n = int(m.group(1)) if m.group(1) else (os.cpu_count() or 1)
        if n < 1:
            raise InputError("scheduler", f"local:N needs N >= 1, got {spec!r}")
        return SchedulerSpec("local", workers=n)
    if re.fullmatch(r"(tcp|tls|ucx|inproc)://[^\s/]+", spec):
        return SchedulerSpec("address", address=spec)
    raise InputError(
        "scheduler", f"must be local:N or a scheduler address such as tcp://HOST:8786, got {spec!r}"
    )


def import_distributed() -> Any:
    """The ``distributed`` module, or an InputError naming ``scheduler`` when Dask is not installed."""
    try:
        import distributed
    except ImportError:
        raise InputError(
            "scheduler",
            "dask.distributed is not installed: pip install 'zprime[dask]' (or "
            "run without --scheduler for a serial scan)",
        ) from None
    return distributed


@contextlib.contextmanager
def dask_client(spec: SchedulerSpec) -> Iterator[Any]:
    """A ``distributed.Client`` for ``spec``; a ``local`` cluster is started here and closed on exit."""
    distributed = import_distributed()
    cluster = None
    try:
        if spec.kind == "local":
            import dask

            # dask's nanny sets MALLOC_TRIM_THRESHOLD_ in the workers it spawns, which makes numpy
            # temporaries ~5x slower (see tune_malloc); our own workers keep glibc's defaults instead.
            with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}):
                # No dashboard; the scheduler's small HTTP server (health, metrics) takes a free loopback
                # port instead of 8787, which another cluster may hold (that fallback warns).
                cluster = distributed.LocalCluster(
                    n_workers=spec.workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                    scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
                )
            client = distributed.Client(cluster)
        else:
            try:
                client = distributed.Client(spec.address, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise InputError("scheduler", f"cannot connect to {spec.address}: {exc}") from None
        try:
            yield client
        finally:
            client.close()
    finally:
        if cluster is not None:
            cluster.close()


def dask_map_unordered(
    client: Any,
    fn: Callable[..., Any],
    items: Iterable[Any],
    *,
    args: Callable[[Any], tuple[Any, ...]],
    key: Callable[[Any], str],
    max_in_flight: int | None = None,
    retries: int = 2,
) -> Iterator[Any]:
    """Yield ``fn(*args(item))`` for every item, as the cluster finishes them, with a bounded number queued.

    At most ``max_in_flight`` tasks (default: 3 per worker thread, at least 4) are submitted at once, so
    the client's memory stays bounded whatever the number of items. Task ``item`` has the key
    ``key(item)`` and is retried ``retries`` times when its worker dies.
    """
    distributed = import_distributed()
    if max_in_flight is None:
        nthreads = sum(client.nthreads().values())
        max_in_flight = max(4, 3 * nthreads) if nthreads else 64
    todo = iter(items)

    def submit(item: Any) -> Any:
        return client.submit(fn, *args(item), key=key(item), pure=False, retries=retries)

    first = [submit(item) for _, item in zip(range(max_in_flight), todo, strict=False)]
    done = distributed.as_completed(first)
    for fut in done:
        result = fut.result()
        fut.release()
        yield result
        nxt = next(todo, _END)
        if nxt is not _END:
            done.add(submit(nxt))


# ======================================================================================= malloc (opt-in)
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8  # from glibc's malloc.h
_TUNED: list[bool] = []  # [result] once tune_malloc has run in this process


def _mallopt(*settings: tuple[int, int]) -> bool:
    """Call glibc's mallopt for each (parameter, value); False where there is no glibc."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        for param, value in settings:
            libc.mallopt(param, value)
    except (OSError, AttributeError):  # not glibc
        return False
    return True


def tune_malloc() -> bool:
    """Opt-in glibc malloc settings for numpy-heavy work in this process (once; Linux/glibc only).

    - ``M_ARENA_MAX = 1`` (unless ``MALLOC_ARENA_MAX`` is set): threads share one malloc arena. Otherwise
      each pool thread's arena hands its freed temporaries back to the kernel and page-faults them in again
      on the next call (~6 x 10⁴ minor faults per 10⁶-point :func:`run_blocks` call on 2 threads).
    - Where ``MALLOC_TRIM_THRESHOLD_`` is set (dask's nanny sets it in its workers), which freezes glibc's
      dynamic mmap threshold so that every temporary above 128 kB is mmap'ed and unmapped again: keep
      temporaries up to 32 MB on the heap, and up to 256 MB before trimming.

    Process-wide, so zprime never calls this on its own: a program (or ``ZPRIME_MALLOC_TUNING=1``) asks
    for it. Call it before the first threaded evaluation: arenas made earlier stay. Returns whether glibc
    took the settings.
    """
    if not _TUNED:
        settings = []
        if "MALLOC_ARENA_MAX" not in os.environ:
            settings.append((_M_ARENA_MAX, 1))
        if "MALLOC_TRIM_THRESHOLD_" in os.environ:
            settings += [(_M_MMAP_THRESHOLD, 32 << 20), (_M_TRIM_THRESHOLD, 256 << 20)]
        _TUNED.append(_mallopt(*settings) if settings else False)
    return _TUNED[0]


def keep_freed_memory(mmap_threshold: int = 32 << 20, trim_threshold: int = 1 << 30) -> bool:
    """glibc keeps freed blocks up to ``mmap_threshold`` bytes on the heap and its top up to
    ``trim_threshold`` instead of handing them back to the kernel, so later work reuses the pages instead of
    faulting them in again. Process-wide: for worker processes a program owns (e.g. ``zprime reproduce``'s),
    never the caller's own process behind its back. Returns whether glibc took the settings."""
    return _mallopt((_M_MMAP_THRESHOLD, int(mmap_threshold)), (_M_TRIM_THRESHOLD, int(trim_threshold)))


def malloc_tuning_requested(default: bool = False) -> bool:
    """``ZPRIME_MALLOC_TUNING``: "1" asks for :func:`tune_malloc`, "0" refuses it, unset gives ``default``."""
    value = os.environ.get("ZPRIME_MALLOC_TUNING", "").strip()
    return default if value == "" else value == "1"


def tune_malloc_if_requested(default: bool = False) -> bool:
    """:func:`tune_malloc` when :func:`malloc_tuning_requested` (cheap after the first call)."""
    if _TUNED:
        return _TUNED[0]
    return tune_malloc() if malloc_tuning_requested(default) else False


__all__ = [
    "MAX_DEFAULT_WORKERS",
    "SchedulerSpec",
    "blocks",
    "dask_client",
    "dask_map_unordered",
    "default_workers",
    "import_distributed",
    "in_pool_thread",
    "keep_freed_memory",
    "map_ordered",
    "malloc_tuning_requested",
    "parse_scheduler",
    "process_map",
    "run_blocks",
    "thread_pool",
    "tune_malloc",
    "tune_malloc_if_requested",
]

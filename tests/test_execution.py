"""zprime.core.execution: blocks, the persistent thread pool (fork, nesting), scheduler specs, opt-in malloc."""

from __future__ import annotations

import multiprocessing as mp
import sys
import threading
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zprime.core import execution
from zprime.core.errors import InputError


@settings(max_examples=200)
@given(n=st.integers(0, 5000), size=st.integers(1, 6000))
def test_blocks_cover_every_index_once_in_order(n: int, size: int) -> None:
    sl = execution.blocks(n, size)
    idx = np.concatenate([np.arange(n)[s] for s in sl]) if sl else np.array([], dtype=int)
    np.testing.assert_array_equal(idx, np.arange(n))
    assert all(0 < s.stop - s.start <= size for s in sl)
    assert len(sl) == -(-n // size)


@pytest.mark.parametrize(("n", "size"), [(0, 1), (1, 1), (7, 1), (7, 7), (7, 8), (8, 7), (65537, 65536)])
def test_awkward_sizes(n: int, size: int) -> None:
    sl = execution.blocks(n, size)
    assert sum(s.stop - s.start for s in sl) == n
    assert [s.start for s in sl] == list(range(0, n, size))


def test_bad_block_arguments() -> None:
    with pytest.raises(ValueError, match="block size"):
        execution.blocks(10, 0)
    with pytest.raises(ValueError, match="items"):
        execution.blocks(-1, 3)
    with pytest.raises(ValueError, match="workers"):
        execution.run_blocks(lambda sl: None, 10, 2, 0)
    with pytest.raises(ValueError, match="workers"):
        execution.thread_pool(0)


@settings(max_examples=30, deadline=None)
@given(n=st.integers(0, 3000), size=st.integers(1, 400), workers=st.integers(1, 4))
def test_run_blocks_calls_every_block_once(n: int, size: int, workers: int) -> None:
    hits = np.zeros(n, dtype=int)
    lock = threading.Lock()

    def fn(sl: slice) -> None:
        with lock:
            hits[sl] += 1

    execution.run_blocks(fn, n, size, workers)
    assert np.all(hits == 1)


def test_threads_are_used_and_marked() -> None:
    names: set[str] = set()
    flags: set[bool] = set()

    def fn(sl: slice) -> None:
        names.add(threading.current_thread().name)
        flags.add(execution.in_pool_thread())

    execution.run_blocks(fn, 40, 10, 2)
    assert all(n.startswith("zprime-evaluate") for n in names) and flags == {True}
    assert not execution.in_pool_thread()
    names.clear()
    flags.clear()
    execution.run_blocks(fn, 40, 10, 1)  # serial: the calling thread
    assert names == {threading.current_thread().name} and flags == {False}


def test_pool_is_kept() -> None:
    assert execution.thread_pool(3) is execution.thread_pool(3)


def test_nested_call_runs_serially_in_the_pool_thread() -> None:
    outer_threads: dict[int, str] = {}
    inner_threads: dict[int, set[str]] = {}

    def outer(sl: slice) -> None:
        me = threading.current_thread().name
        outer_threads[sl.start] = me
        seen: set[str] = set()
        # with the pool's 2 threads busy here, waiting for the pool would deadlock: it must run here
        execution.run_blocks(lambda s: seen.add(threading.current_thread().name), 50, 5, 2)
        inner_threads[sl.start] = seen

    execution.run_blocks(outer, 4, 1, 2)
    assert set(outer_threads) == {0, 1, 2, 3}
    for start, me in outer_threads.items():
        assert inner_threads[start] == {me}


def test_first_error_of_a_block_is_raised() -> None:
    def fn(sl: slice) -> None:
        if sl.start == 20:
            raise RuntimeError("block 20")

    with pytest.raises(RuntimeError, match="block 20"):
        execution.run_blocks(fn, 50, 10, 2)
    execution.run_blocks(lambda sl: None, 50, 10, 2)  # the pool still works


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_map_ordered_keeps_order_and_bounds_the_lookahead(workers: int) -> None:
    consumed: list[int] = []
    started: list[tuple[int, int]] = []  # (item, items consumed by then)

    def items():  # noqa: ANN202
        for i in range(40):
            consumed.append(i)
            yield i

    def fn(i: int) -> tuple[int, bool]:
        started.append((i, len(consumed)))
        return i * i, execution.in_pool_thread()

    out = []
    for k, (sq, in_pool) in enumerate(execution.map_ordered(fn, items(), workers, max_ahead=4)):
        out.append(sq)
        assert in_pool == (workers > 1)
        assert len(consumed) <= k + 1 + (4 if workers > 1 else 0)  # lazily consumed, bounded lookahead
    assert out == [i * i for i in range(40)]
    assert sorted(i for i, _ in started) == list(range(40))


def test_map_ordered_raises_at_the_failing_item_and_cancels_the_rest() -> None:
    seen: list[int] = []
    gate = threading.Event()

    def fn(i: int) -> int:
        seen.append(i)
        if i == 3:
            raise RuntimeError("item 3")
        if i > 3:
            gate.wait(10)
        return i

    got = []
    with pytest.raises(RuntimeError, match="item 3"):
        for x in execution.map_ordered(fn, range(1000), 2, max_ahead=4):
            got.append(x)
    gate.set()
    assert got == [0, 1, 2] and max(seen) < 20  # the other items were never started
    assert list(execution.map_ordered(lambda i: i, range(5), 2)) == list(range(5))  # the pool still works


def test_map_ordered_nested_in_a_pool_thread_runs_serially() -> None:
    inner = execution.map_ordered(lambda i: (i, threading.get_ident()), range(6), 2)
    res = list(execution.map_ordered(lambda _: list(inner), [0], 2))[0]
    assert [i for i, _ in res] == list(range(6)) and len({t for _, t in res}) == 1


def _child_pool_state() -> tuple[int, bool, list[int]]:
    pools_before = len(execution._POOLS)
    out = np.zeros(100, dtype=int)
    execution.run_blocks(lambda sl: out.__setitem__(sl, sl.start), 100, 10, 2)
    return pools_before, execution.in_pool_thread(), out[::10].tolist()


def test_pools_are_rebuilt_after_fork() -> None:
    execution.run_blocks(lambda sl: None, 20, 5, 2)  # the parent's pool exists now
    assert execution._POOLS
    with warnings.catch_warnings():
        # Python >= 3.12 warns that fork() in a process with threads may deadlock: the point of this test
        warnings.simplefilter("ignore", DeprecationWarning)
        with mp.get_context("fork").Pool(1) as pool:
            before, in_pool, starts = pool.apply_async(_child_pool_state).get(timeout=60)
    assert before == 0 and not in_pool
    assert starts == list(range(0, 100, 10))


def test_default_workers() -> None:
    assert 1 <= execution.default_workers() <= execution.MAX_DEFAULT_WORKERS


def test_scheduler_specs() -> None:
    assert execution.parse_scheduler(" local:3 ") == execution.SchedulerSpec("local", workers=3)
    assert execution.parse_scheduler("local").workers >= 1
    assert execution.parse_scheduler("tls://h:1").address == "tls://h:1"
    for bad in ("local:0", "local:-1", "local:x", "h:8786", "tcp://", "slurm"):
        with pytest.raises(InputError) as info:
            execution.parse_scheduler(bad)
        assert info.value.parameter == "scheduler"


# ------------------------------------------------------------------------------------ malloc (opt-in)
@pytest.fixture
def mallopt(monkeypatch: pytest.MonkeyPatch) -> list[tuple[tuple[int, int], ...]]:
    calls: list[tuple[tuple[int, int], ...]] = []
    monkeypatch.setattr(execution, "_TUNED", [])
    monkeypatch.setattr(execution, "_mallopt", lambda *s: calls.append(s) or True)
    for var in ("ZPRIME_MALLOC_TUNING", "MALLOC_ARENA_MAX", "MALLOC_TRIM_THRESHOLD_"):
        monkeypatch.delenv(var, raising=False)
    return calls


def test_malloc_is_left_alone_by_default(mallopt: list) -> None:
    execution.run_blocks(lambda sl: None, 100, 10, 2)
    assert execution.tune_malloc_if_requested() is False
    assert mallopt == []


def test_malloc_tuning_on_request_once(mallopt: list, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZPRIME_MALLOC_TUNING", "1")
    execution.run_blocks(lambda sl: None, 100, 10, 2)
    execution.run_blocks(lambda sl: None, 100, 10, 2)
    assert mallopt == [((execution._M_ARENA_MAX, 1),)]


def test_malloc_tuning_respects_the_users_settings(mallopt: list, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZPRIME_MALLOC_TUNING", "0")
    assert execution.tune_malloc_if_requested(default=True) is False
    assert not execution.malloc_tuning_requested(default=True)
    monkeypatch.delenv("ZPRIME_MALLOC_TUNING")
    assert execution.malloc_tuning_requested(default=True)
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")  # as dask's nanny sets it
    assert execution.tune_malloc() is True
    assert mallopt == [((execution._M_MMAP_THRESHOLD, 32 << 20), (execution._M_TRIM_THRESHOLD, 256 << 20))]


def test_mallopt_elsewhere_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.platform", "darwin")
    assert execution._mallopt((execution._M_ARENA_MAX, 2)) is False


def _square_or_fail(x: int) -> int:
    if x < 0:
        raise ValueError(f"negative: {x}")
    return x * x


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_process_map_keeps_the_order_of_the_items(workers: int) -> None:
    seen: list[tuple[int, int]] = []
    out = execution.process_map(_square_or_fail, range(7), workers, on_done=lambda i, r: seen.append((i, r)))
    assert out == [i * i for i in range(7)]
    assert sorted(seen) == [(i, i * i) for i in range(7)]  # every task reported once, in any order


def test_process_map_raises_the_first_error() -> None:
    with pytest.raises(ValueError, match="negative: -3"):
        execution.process_map(_square_or_fail, [1, 2, -3, 4], 2)
    with pytest.raises(ValueError, match="workers"):
        execution.process_map(_square_or_fail, [1], 0)
    assert execution.process_map(_square_or_fail, [], 2) == []


def _parent_pid(_: int) -> tuple[int, int]:
    import os

    return os.getpid(), os.getppid()


def test_process_map_runs_in_child_processes() -> None:
    import os

    pids = execution.process_map(_parent_pid, range(4), 2)
    assert all(pid != os.getpid() and ppid == os.getpid() for pid, ppid in pids)
    assert execution.process_map(_parent_pid, [0], 2) == [(os.getpid(), os.getppid())]  # one item: here


def _frozen_objects(_: int) -> int:
    import gc

    return gc.get_freeze_count()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers are forked on Linux only")
def test_process_map_workers_inherit_the_parents_objects_frozen() -> None:
    import gc

    before = gc.get_freeze_count()
    counts = execution.process_map(_frozen_objects, range(4), 2)
    assert min(counts) > before  # a worker's collections skip what it inherited
    assert gc.get_freeze_count() == before  # this process's collector is as it was
    with pytest.raises(ValueError, match="negative"):
        execution.process_map(_square_or_fail, [1, -1], 2)
    assert gc.get_freeze_count() == before  # also after an error


_PREPARED: list[int] = []
_STARTED = mp.get_context("fork").Event() if sys.platform.startswith("linux") else None


def _item_and_prepared(x: int) -> tuple[int, int]:
    if x % 2 == 0 and _STARTED is not None:
        _STARTED.set()  # an early item has started
    return x, len(_PREPARED)


def _prepare_after_an_early_item() -> None:
    assert _STARTED is not None
    if not _STARTED.wait(60):  # returns as soon as an early worker has started an item
        raise RuntimeError("no early item started while prepare ran")
    _PREPARED.append(1)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers are forked on Linux only")
@pytest.mark.parametrize("workers", [2, 3, 5])
def test_process_map_starts_early_items_while_prepare_runs(workers: int) -> None:
    """Even items need no preparation: they start in the first workers while ``prepare`` is still running
    (it waits for one of them); odd items run only in workers forked after it, which inherit its work."""
    _PREPARED.clear()
    _STARTED.clear()  # type: ignore[union-attr]
    seen: list[int] = []
    out = execution.process_map(
        _item_and_prepared,
        range(9),
        workers,
        on_done=lambda i, r: seen.append(i),
        prepare=_prepare_after_an_early_item,
        early=lambda x: x % 2 == 0,
    )
    assert [x for x, _ in out] == list(range(9)) and sorted(seen) == list(range(9))
    assert all(n == 1 for x, n in out if x % 2)  # forked after prepare()
    assert _PREPARED == [1]  # prepare ran once, here


def _fail_to_prepare() -> None:
    raise RuntimeError("cannot prepare")


def test_process_map_prepare_runs_first_or_raises() -> None:
    _PREPARED.clear()
    out = execution.process_map(_item_and_prepared, [1, 3], 1, prepare=lambda: _PREPARED.append(1))
    assert out == [(1, 1), (3, 1)]  # one worker: prepare, then every item here
    for workers in (1, 2):
        with pytest.raises(RuntimeError, match="cannot prepare"):
            execution.process_map(_item_and_prepared, range(4), workers, prepare=_fail_to_prepare, early=bool)


def _nap() -> None:
    import time

    time.sleep(0.2)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the workers are forked on Linux only")
def test_process_map_raises_an_early_items_error_while_prepare_runs() -> None:
    with pytest.raises(ValueError, match="negative: -2"):
        execution.process_map(_square_or_fail, [-2, 3, 5, 7], 2, prepare=_nap, early=lambda x: x < 0)


_INITIALISED: list[int] = []


def _note_pid() -> None:
    import os

    _INITIALISED.append(os.getpid())


def _initialised(_: int) -> tuple[int, list[int]]:
    import os

    return os.getpid(), list(_INITIALISED)


def test_process_map_worker_init_runs_once_in_each_worker_only() -> None:
    import os

    _INITIALISED.clear()
    got = execution.process_map(_initialised, range(6), 2, worker_init=_note_pid)
    assert all(seen == [pid] for pid, seen in got)  # once, in the worker that ran the item
    assert _INITIALISED == []  # never here
    assert execution.process_map(_initialised, [0], 2, worker_init=_note_pid) == [(os.getpid(), [])]

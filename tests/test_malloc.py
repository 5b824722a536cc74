"""glibc malloc tuning: applied once, and never against the user's own settings."""

import pytest

from zprime.core import _malloc


@pytest.fixture
def calls(monkeypatch):
    seen: list[tuple[tuple[int, int], ...]] = []
    monkeypatch.setattr(_malloc, "_DONE", set())
    monkeypatch.setattr(_malloc, "_mallopt", lambda *settings: seen.append(settings) or True)
    return seen


def test_arenas_are_capped_once(calls, monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    _malloc.limit_arenas()
    _malloc.limit_arenas()
    assert calls == [((_malloc._M_ARENA_MAX, 1),)]


def test_user_arena_setting_wins(calls, monkeypatch):
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    _malloc.limit_arenas()
    assert calls == []


def test_trim_threshold_undone_only_where_set(calls, monkeypatch):
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    _malloc.undo_fixed_trim_threshold()
    assert calls == []
    monkeypatch.setattr(_malloc, "_DONE", set())
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "0")
    _malloc.undo_fixed_trim_threshold()
    assert calls == [((_malloc._M_MMAP_THRESHOLD, 32 << 20), (_malloc._M_TRIM_THRESHOLD, 256 << 20))]


def test_opt_out(monkeypatch):
    monkeypatch.setenv("ZPRIME_MALLOC_TUNING", "0")
    assert _malloc._mallopt((_malloc._M_ARENA_MAX, 2)) is False

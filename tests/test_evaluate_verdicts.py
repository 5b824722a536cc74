"""evaluate(detail="allowed"/"summary"): only the verdicts, the same numbers as the full Evaluation."""

from __future__ import annotations

import numpy as np
import pytest

from zprime.analyses.likelihood import Evaluation, Summary, evaluate
from zprime.core.couplings import Couplings, random_couplings
from zprime.core.errors import InputError


def _points(n: int, seed: int) -> Couplings:
    return random_couplings(n, seed).broadcast()


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)


@pytest.mark.parametrize(("block", "workers", "ae"), [(700, 2, "cs"), (10**6, 1, "rb"), (1, 1, "cs")])
def test_summary_equals_the_full_evaluation(block, workers, ae):
    c = _points(1500 if block > 1 else 40, seed=5)
    ev = evaluate(c, ae=ae, block_size=block, workers=workers)  # the same blocks: the same sums
    assert isinstance(ev, Evaluation)
    s = evaluate(c, ae=ae, detail="summary", n_sigma=2.0, block_size=block, workers=workers)
    assert isinstance(s, Summary)
    assert _same(s.allowed, ev.allowed)
    assert _same(s.explains, ev.explains(2.0))
    assert _same(s.chi2_total, ev.chi2_total)
    n_ex = sum((r.status == 1).astype(np.int16) for r in ev.results.values())
    assert _same(s.n_excluding, np.asarray(n_ex, dtype=np.int16))
    for f in ("e", "mu"):
        assert _same(getattr(s, f"pull_{f}"), ev.anomalies.pull[f].astype(np.float32))
        assert _same(getattr(s, f"delta_a_{f}"), np.asarray(ev.anomalies.delta_a[f], dtype=float))
    assert s.allowed.any() and not s.allowed.all()  # the sample tests both verdicts


def test_allowed_keeps_at_most_16_bytes_per_point():
    c = _points(300, seed=8).broadcast()
    s = evaluate(c, detail="allowed")
    ev = evaluate(c)
    assert s.nbytes_per_point <= 16
    assert s.chi2_total is None and s.n_excluding is None and s.delta_a_e is None
    assert _same(s.allowed, ev.allowed) and _same(s.explains, ev.explains(1.0))


def test_summary_keeps_the_broadcast_shape():
    c = Couplings(mass_mev=np.geomspace(1.0, 900.0, 7)[:, None], c_ve=np.geomspace(1e-6, 1e-2, 5))
    s = evaluate(c, detail="allowed", block_size=4, workers=2)
    assert s.allowed.shape == (7, 5) and s.pull_e.shape == (7, 5)
    assert _same(s.allowed, evaluate(c).allowed)


def test_bad_detail():
    with pytest.raises(InputError, match="detail"):
        evaluate(Couplings(mass_mev=10.0), detail="chi2")  # type: ignore[arg-type]


@pytest.mark.parametrize("names", [["white_dwarf", "babar_2014", "e137", "kloe_2012"], ["na64_2018", "a1"]])
def test_allowed_with_recast_searches_on_the_surviving_points(names):
    """detail="allowed" runs the recast searches only where nothing else excludes: the same verdicts."""
    c = _points(2000, seed=13)
    ev = evaluate(c, names, block_size=600, workers=2)
    s = evaluate(c, names, detail="allowed", block_size=600, workers=2)
    assert _same(s.allowed, ev.allowed) and _same(s.explains, ev.explains(1.0))

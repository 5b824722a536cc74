"""The recast engine's public API, its state cache and its decay scenarios (zprime.physics.recast)."""

from __future__ import annotations

import gc
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from zprime.analyses.searches_darkz import excluded_by_searches
from zprime.core import limit_curves as lc
from zprime.core.constants import E_CHARGE
from zprime.core.couplings import RANDOM_COUPLING_TOPS, Couplings, random_couplings
from zprime.core.errors import DataFileError, InputError
from zprime.physics import recast as rc
from zprime.physics.models.dark_z import darkz_couplings


def _random(n: int, seed: int) -> Couplings:
    tops = {k: v for k, v in RANDOM_COUPLING_TOPS.items() if k != "c_nutau"}
    return random_couplings(n, seed, log10_mass_mev=(0.0, 3.5), tops=tops)


def _all_bounds(c: Couplings, f: float = 0.0) -> dict[str, tuple[np.ndarray, ...]]:
    return {n: tuple(rc.bound(n, c, invisible_fraction=f)) + (rc.excluded(n, c, invisible_fraction=f),)
            for n in rc.names()}  # fmt: skip


def _same(a: dict[str, tuple[np.ndarray, ...]], b: dict[str, tuple[np.ndarray, ...]]) -> bool:
    return a.keys() == b.keys() and all(
        np.array_equal(x, y, equal_nan=x.dtype.kind == "f")
        for k in a
        for x, y in zip(a[k], b[k], strict=True)
    )


# ================================================================================================ cache
def test_cache_is_bounded_and_reuses_states():
    cache = rc.StateCache(maxsize=3)
    keep = [_random(50, seed) for seed in range(10)]
    for c in keep:
        st = cache.get(c)
        assert len(cache) <= cache.maxsize == 3
        assert cache.get(c) is st  # a hit
    assert cache.hits == 10 and cache.misses == 10
    assert cache.get(keep[-1], 1.0) is not cache.get(keep[-1])  # the decay scenario is part of the key
    cache.clear()
    assert len(cache) == 0
    with pytest.raises(InputError, match="maxsize"):
        rc.StateCache(maxsize=0)
    # the module's cache stays bounded however many Couplings are evaluated
    for seed in range(3 * rc.STATE_CACHE.maxsize):
        rc.excluded("babar_2014", _random(20, seed))
        assert len(rc.STATE_CACHE) <= rc.STATE_CACHE.maxsize


def test_cache_drops_collected_objects_and_never_hits_a_recycled_id():
    cache = rc.StateCache(maxsize=4)
    c1 = _random(30, 1)
    st1 = cache.get(c1)
    ref = weakref.ref(c1)
    del c1
    gc.collect()
    assert ref() is None  # the cache keeps no strong reference to the Couplings
    # a new object at the same address (forced: the stale entry is planted under its id) misses
    c2 = _random(30, 2)
    cache._entries[(id(c2), 0.0)] = (ref, st1)
    st2 = cache.get(c2)
    assert st2 is not st1 and np.array_equal(st2.mass, np.ravel(c2.mass_mev))
    # the same through the module API, with whatever addresses Python hands out
    rc.STATE_CACHE.clear()
    fresh = {}
    for seed in range(40):
        c = _random(30, 100 + seed)
        got = _all_bounds(c)
        fresh[seed] = got
        del c, got  # the next Couplings may reuse the address
    rc.STATE_CACHE.clear()
    for seed in (0, 17, 39):
        assert _same(fresh[seed], _all_bounds(_random(30, 100 + seed)))


def test_cache_is_thread_safe():
    blocks = [_random(400, seed) for seed in range(12)]
    blocks += blocks[:4]  # some threads share a Couplings object
    rc.STATE_CACHE.clear()
    serial = [_all_bounds(c) for c in blocks]
    rc.STATE_CACHE.clear()
    start = threading.Barrier(8)

    def run(c: Couplings) -> dict[str, tuple[np.ndarray, ...]]:
        try:
            start.wait(timeout=5)
        except threading.BrokenBarrierError:
            pass
        return _all_bounds(c)

    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(run, blocks))
    assert all(_same(a, b) for a, b in zip(serial, threaded, strict=True))
    assert len(rc.STATE_CACHE) <= rc.STATE_CACHE.maxsize


def test_cached_and_fresh_states_agree_bit_for_bit():
    c = _random(2000, 5)
    rc.STATE_CACHE.clear()
    first = _all_bounds(c)
    warm = _all_bounds(c)  # every search reuses the state of the first
    assert _same(first, warm)


# ==================================================================================== decay scenario
def _old_invisible_scenario(c: Couplings) -> dict[str, np.ndarray]:
    """searches_darkz's own recast before it went through the engine (BR_inv = 1), kept as the reference."""
    out = {}
    m = np.broadcast_to(c.mass_mev, c.shape)
    for n in rc.search_names(category="current", decay="invisible"):
        s = rc.search(n)
        g = np.sqrt(rc.production_coupling_sq(c, s.production))
        br_ref = s.reference_br if s.reference_br is not None else 1.0
        limit = E_CHARGE * s.curve.eps_lower_at(m) * np.sqrt(br_ref)
        with np.errstate(invalid="ignore"):
            out[n] = np.isfinite(limit) & (g > limit)
    return out


def test_invisible_scenario_through_the_engine_equals_the_previous_numbers():
    rng = np.random.default_rng(11)
    grid = darkz_couplings(
        np.geomspace(0.5, 9000.0, 300)[:, None], np.geomspace(1e-6, 1e-1, 200)[None, :], 0.0
    )
    n = 50000
    rand = darkz_couplings(
        10 ** rng.uniform(-0.5, 4, n), 10 ** rng.uniform(-7, -1, n), 10 ** rng.uniform(-5, -1, n)
    )
    for c in (grid, rand):
        new, old = excluded_by_searches(c, "invisible"), _old_invisible_scenario(c)
        assert new.keys() == old.keys()
        for k in old:
            assert np.array_equal(new[k], old[k]), k
        assert any(v.any() for v in new.values()) and not all(v.all() for v in new.values())
    with pytest.raises(InputError, match="scenario"):
        excluded_by_searches(grid, "dark")


def test_invisible_fraction_branching_ratios():
    c = _random(3000, 9)
    default = _all_bounds(c)
    assert _same(default, _all_bounds(c, 0.0))  # f = 0 is the SM-only Z', bit for bit
    full = _all_bounds(c, 1.0)
    for n in rc.names(decay="visible"):
        v, lim, app, ex = full[n]
        assert not ex.any() and np.all(v[app] == 0.0), n  # nothing visible to see
    for n in rc.names(decay="invisible"):
        v, lim, app, ex = full[n]
        g = np.sqrt(rc.production_coupling_sq(c, rc.search(n).production))
        assert np.array_equal(v[app], g[app]), n  # BR(inv) = 1 exactly
        assert np.array_equal(ex, app & (v > lim)), n
    half = _all_bounds(c, 0.5)
    v0, _, app, _ = default["babar_2014"]  # prompt, no flight-length cut: value ∝ √BR(ee)
    vh = half["babar_2014"][0]
    np.testing.assert_allclose(vh[app], np.sqrt(0.5) * v0[app], rtol=1e-12)
    for bad in (-0.1, 1.5, np.nan, "x"):
        with pytest.raises(InputError, match="invisible_fraction"):
            rc.bound("babar_2014", c, invisible_fraction=bad)


# ======================================================================================= excluded band
DIRECTIONS = (
    {"c_ve": 1.0},
    {"c_ae": 1.0, "c_ve": 0.3, "c_vmu": 0.5, "c_numu": 0.2},
    {"c_ve": -1.0, "c_vmu": -1.0, "c_vu": 2.0 / 3.0, "c_vd": -1.0 / 3.0, "c_vs": -1.0 / 3.0, "c_nue": 0.5},
    {"c_vu": 1.0, "c_vd": 1.0, "c_vs": 1.0, "c_nue": 1.0},
)


@pytest.mark.parametrize("name", rc.names())
def test_excluded_band_is_nan_outside_the_curve_and_closed_for_beam_dumps(name):
    s = rc.search(name)
    lo, hi = s.mass_range_mev
    m_out = np.array([lo * 0.5, lo * (1 - 1e-9), hi * (1 + 1e-9), hi * 2.0])
    m_in = np.geomspace(lo, hi, 200)
    f = 1.0 if s.kind == "invisible" else 0.0
    seen = False
    for d in DIRECTIONS:
        out = rc.excluded_band(name, m_out, d, invisible_fraction=f)
        assert np.all(np.isnan(out.lower)) and np.all(np.isnan(out.upper))
        b = rc.excluded_band(name, m_in, d, invisible_fraction=f)
        fin = np.isfinite(b.lower)
        seen |= bool(fin.any())
        assert np.array_equal(np.isnan(b.lower), np.isnan(b.upper))
        assert np.all(b.lower[fin] > 0) and np.all(b.lower[fin] < b.upper[fin])
        if s.kind in ("beam_dump", "rvalue"):
            assert np.all(np.isfinite(b.upper[fin]))  # a closed island (r-value grids: at most the grid)
        else:
            assert np.all(np.isinf(b.upper[fin]))
        old = rc.coupling_bounds(name, m_in, d, invisible_fraction=f)  # the former name
        assert all(np.array_equal(x, y, equal_nan=True) for x, y in zip(b, old, strict=True))
    assert seen or s.channels == ("pipi",), name  # the Z' width into pi+pi- is not modelled: BR 0 or NaN


def test_excluded_band_scales_and_agrees_with_the_verdicts():
    d = {"c_ae": 2.0, "c_ve": 0.6, "c_numu": 0.4}
    norm = np.hypot(2.0, 0.6)
    m = np.linspace(5.0, 24.0, 30)
    e = rc.excluded_band("na64_2019", m, d)
    t = rc.excluded_band("na64_2019", m, d, scale="direction")
    np.testing.assert_array_equal(t.lower, e.lower / norm)
    np.testing.assert_array_equal(t.upper, e.upper / norm)
    fin = np.isfinite(t.lower)
    assert fin.sum() > 20
    mid = np.sqrt(t.lower * t.upper)[fin]
    inside = Couplings(m[fin], **{k: v * mid for k, v in d.items()})
    below = Couplings(m[fin], **{k: v * 0.98 * t.lower[fin] for k, v in d.items()})
    assert rc.excluded("na64_2019", inside).all() and not rc.excluded("na64_2019", below).any()
    assert rc.excluded_band("na64_2019", np.full((2, 3), 10.0), d).lower.shape == (2, 3)
    with pytest.raises(InputError, match="scale"):
        rc.excluded_band("na64_2019", m, d, scale="muon")
    with pytest.raises(InputError, match="direction"):
        rc.excluded_band("na64_2019", m, {"c_ve": 0.0})


def test_names_and_aliases():
    assert rc.names() == rc.search_names()
    assert set(rc.names(decay="invisible")) <= set(rc.names())
    assert rc.names(category="current", decay="visible") == rc.search_names(
        category="current", decay="visible"
    )
    assert rc.recast_value_and_limit is rc.bound and rc.excluded_mask is rc.excluded


# ================================================================================ r-value grids (LHCb displaced)
@pytest.mark.parametrize("name", ["lhcb_2020_displaced", "lhcb_2017_displaced"])
@pytest.mark.parametrize("hadronic", [False, True])
def test_dark_photon_recast_of_an_r_value_grid_is_the_grid(name, hadronic):
    """The dark photon on the grid's own points: value = 1/r (within the production fractions' sum, 1e-4 … 3e-4),
    excluded exactly where r < 1 (away from r = 1); its band spans the grid's r < 1 points at each mass."""
    s = rc.search(name, hadronic)
    assert s.kind == "rvalue"
    cv = s.curve
    eps, r = cv.r_grid
    m = np.repeat(cv.mass_mev, eps.size).reshape(r.shape)
    res = s.value_and_limit(rc.dark_photon(m, eps[None, :]))
    inner = np.zeros(r.shape, bool)
    inner[:, 1:-1] = True  # the grid's end columns may round to just outside it
    assert res.applicable[inner].all()
    ok = res.applicable
    assert np.allclose(res.value[ok] * r[ok], 1.0, rtol=5e-4) and np.all(res.limit[ok] == 1.0)
    clear = ok & (np.abs(np.log(r)) > 1e-3)
    assert np.array_equal((res.value > res.limit)[clear], (r < 1)[clear])
    b = rc.excluded_band(
        name, cv.mass_mev, rc.dark_photon(cv.mass_mev, 1.0), scale="direction", hadronic=hadronic
    )
    ex = r < 1
    has = ex.any(axis=1)
    assert np.array_equal(np.isfinite(b.lower), has) and has.sum() >= 10
    lo = np.array([eps[e].min() for e in ex[has]])
    hi = np.array([eps[e].max() for e in ex[has]])
    step = eps[1] / eps[0]  # the edges lie between the last allowed and the first excluded grid point
    assert np.all(b.lower[has] <= lo * (1 + 5e-4)) and np.all(b.lower[has] >= lo / step / (1 + 5e-4))
    assert np.all(b.upper[has] >= hi / (1 + 5e-4)) and np.all(b.upper[has] <= hi * step * (1 + 5e-4))


def test_r_value_grid_is_not_applicable_outside_its_lifetimes():
    """A lifetime outside the grid's (ε_τ below or above its ε range) is not applicable: nothing is extrapolated."""
    s = rc.search("lhcb_2020_displaced")
    eps = s.curve.r_grid[0]
    m = np.full(3, 250.0)
    res = s.value_and_limit(rc.dark_photon(m, np.array([eps[0] / 2, np.sqrt(eps[0] * eps[-1]), eps[-1] * 2])))
    assert res.applicable.tolist() == [False, True, False]
    assert np.isnan(res.value[0]) and np.isnan(res.value[2])


def test_r_value_grid_file_checks(tmp_path):
    head = "".join(
        f"# {k}: x\n" for k in ("experiment", "publication", "decay channel", "lifetime/efficiency window")
    )
    head += "# bound type: R-VALUE GRID\n"
    good = "mass_GeV,eps,r\n0.2,1e-5,2\n0.2,2e-5,0.5\n0.3,1e-5,3\n0.3,2e-5,0.7\n"
    p = tmp_path / "grid.csv"
    p.write_text(head + "# rows: 4\n" + good)
    c = lc.read_curve(p)
    assert c.r_grid is not None and c.r_grid[1].shape == (2, 2) and not c.is_band
    bad = good.replace("0.3,2e-5,0.7", "0.3,3e-5,0.7")  # another ε grid at the second mass
    p.write_text(head + "# rows: 4\n" + bad)
    with pytest.raises(DataFileError) as exc:
        lc.read_curve(p)
    assert exc.value.field == "eps"
    p.write_text(head + "# rows: 5\n" + good)
    with pytest.raises(DataFileError) as exc:
        lc.read_curve(p)
    assert exc.value.field == "rows"
    p.write_text(head + "# rows: 4\n" + good.replace("0.3,1e-5,3", "0.3,1e-5,x"))
    with pytest.raises(DataFileError) as exc:
        lc.read_curve(p)
    assert exc.value.field == "row 3"


@pytest.mark.parametrize("hadronic", [False, True])
def test_r_value_band_edges_match_the_point_verdicts(hadronic):
    """Along a dark photon with an extra ν_e coupling (shorter lifetime, smaller BR(μμ)), just inside each edge of
    the band the point is excluded; just outside the outer edges it is allowed or not applicable."""
    name = "lhcb_2020_displaced"
    dp = rc.dark_photon(1.0, 1.0)
    d = {
        k: float(getattr(dp, k)) for k in ("c_ve", "c_vmu", "c_vtau", "c_vu", "c_vd", "c_vs", "c_vc", "c_vb")
    }
    d["c_nue"] = 0.1
    m = np.geomspace(215.0, 347.0, 120)
    b = rc.excluded_band(name, m, d, scale="direction", hadronic=hadronic)
    fin = np.isfinite(b.lower)
    assert fin.sum() > 10
    s = rc.search(name, hadronic)

    def verdict(scale: np.ndarray) -> np.ndarray:
        c = Couplings(mass_mev=m[fin], **{k: v * scale for k, v in d.items()})
        return s.upper_bound_arrays(c, 2.7)[2]

    assert np.all(verdict(b.lower[fin] * (1 + 1e-6)) == 1)
    assert np.all(verdict(b.upper[fin] * (1 - 1e-6)) == 1)
    assert np.all(verdict(b.lower[fin] * (1 - 1e-3)) != 1)
    assert np.all(verdict(b.upper[fin] * (1 + 1e-3)) != 1)


def test_repeated_masses_grouped_path_bit_identical(monkeypatch):
    """Grids that repeat each mass (mass x couplings) interpolate once per distinct mass
    (_ModelState.groups): every search's value, limit, status and chi2 equal the per-point path's."""
    import numpy as np

    from zprime.core.couplings import Couplings
    from zprime.physics import recast

    m = np.geomspace(0.5, 5000, 1700)
    grid = np.geomspace(1e-9, 1e-1, 12)
    c = Couplings(
        mass_mev=m[:, None], c_ve=grid[None, :], c_ae=-0.5 * grid[None, :], c_vmu=grid[None, :], c_vu=1e-5
    )
    st = recast._ModelState(c)
    assert st.group_starts.size == m.size  # 12 points per mass (20400 points)
    for hadronic in (False, True):
        for name in recast.names():
            s = recast.search(name, hadronic)
            for f in (0.0, 0.3):
                recast.STATE_CACHE.clear()
                grouped = s.upper_bound_arrays(c, 2.7, invisible_fraction=f)
                recast.STATE_CACHE.clear()
                with monkeypatch.context() as mp:
                    mp.setattr(recast._ModelState, "groups", lambda self, cv: None)
                    plain = s.upper_bound_arrays(c, 2.7, invisible_fraction=f)
                for a, b in zip(grouped, plain, strict=True):
                    assert a.tobytes() == b.tobytes(), (name, hadronic, f)
    recast.STATE_CACHE.clear()

"""The search bank (one vectorised pass over every recast search) gives the per-search numbers bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from zprime.core.couplings import random_couplings
from zprime.physics import recast as rc
from zprime.physics.constraints.base import chi2_threshold


def _dark_photon_grid() -> rc.Couplings:
    m = np.geomspace(0.5, 2e5, 400)
    eps = np.geomspace(1e-9, 1e-2, 15)
    mm, ee = np.meshgrid(m, eps)
    return rc.dark_photon(mm, ee)


@pytest.mark.parametrize("hadronic", [False, True])
@pytest.mark.parametrize("case", ["scalar", "one", "random", "dark_photon"])
def test_bank_matches_per_search(hadronic: bool, case: str) -> None:
    c = {
        "scalar": lambda: rc.Couplings(mass_mev=150.0, c_ve=3e-4, c_vu=1e-3, c_vd=-2e-3),
        "one": lambda: random_couplings(1, 5),
        "random": lambda: random_couplings(300, 7),
        "dark_photon": _dark_photon_grid,
    }[case]()
    bk = rc.bank(hadronic)
    seen = set()
    for s in bk.searches:
        t = chi2_threshold(s.cl)
        want = s.upper_bound_arrays(c, t)
        got = rc.bank_arrays(s.name, c, t, hadronic=hadronic)
        assert got is not None
        for a, b in zip(want, got, strict=True):
            assert isinstance(b, np.ndarray)
            assert a.shape == b.shape == c.shape
            assert a.dtype == b.dtype
            assert a.tobytes() == b.tobytes(), s.name
        seen.update(np.unique(got[2]).tolist())
    if case == "dark_photon":
        assert seen == {0, 1, 2}  # allowed, excluded and not applicable all occur


def test_bank_rows_are_owned_and_fallbacks() -> None:
    c = random_couplings(3, 1)
    s = rc.bank(False).searches[0]
    t = chi2_threshold(s.cl)
    first = rc.bank_arrays(s.name, c, t)
    second = rc.bank_arrays(s.name, c, t)
    assert first is not None and second is not None
    assert not np.shares_memory(first[0], second[0])  # a row is handed out once
    assert all(a.tobytes() == b.tobytes() for a, b in zip(first, second, strict=True))
    assert rc.bank_arrays(s.name, c, t * 1.5) is None  # another threshold: the per-search path
    assert rc.bank_arrays("no_such_search", c, t) is None


@pytest.mark.parametrize("hadronic", [False, True])
def test_excluded_bands_match_excluded_band(hadronic: bool) -> None:
    names = rc.search_names()
    masses = [np.geomspace(*rc.search(n).mass_range_mev, 37) for n in names]
    direction = {"c_ve": 0.7, "c_ae": 0.2, "c_vmu": 0.5, "c_vu": 0.3, "c_vd": -0.1, "c_numu": 0.2}
    for scale in ("electron", "direction"):
        got = rc.excluded_bands(names, masses, direction, scale=scale, hadronic=hadronic)
        for n, m, b in zip(names, masses, got, strict=True):
            want = rc.excluded_band(n, m, direction, scale=scale, hadronic=hadronic)
            assert b.lower.tobytes() == want.lower.tobytes(), n
            assert b.upper.tobytes() == want.upper.tobytes(), n


def _same_masses(c: rc.Couplings, seed: int) -> rc.Couplings:
    """Other couplings (random signs and sizes; some quark couplings zero) at the masses of ``c``."""
    other = random_couplings(c.size, seed)
    fields = {k: np.asarray(getattr(other, k)) for k in rc.COUPLING_FIELDS}
    fields["c_vu"] = np.where(np.arange(c.size) % 3 == 0, 0.0, fields["c_vu"])  # no π⁺π⁻ BR model at some
    fields["c_vd"] = np.where(np.arange(c.size) % 3 == 0, 0.0, fields["c_vd"])
    return rc.Couplings(mass_mev=np.asarray(c.mass_mev), **fields)


@pytest.mark.parametrize("hadronic", [False, True])
def test_bank_geometry_reused_at_the_same_masses(hadronic: bool) -> None:
    """The mass-only part of the bank is kept per mass array: other couplings at the same masses (a cache
    hit, with π⁺π⁻ pairs dropped at some points only) still give the per-search numbers bit for bit."""
    first = random_couplings(64, 11)
    bk = rc.bank(hadronic)
    key = np.ascontiguousarray(first.mass_mev, float).tobytes()
    for seed, c in enumerate((first, _same_masses(first, 12), _same_masses(first, 13))):
        rows = rc.bank_rows(c, hadronic=hadronic)
        assert rows is not None and rows[0] is bk
        if seed:
            assert key in bk._geo  # the geometry of these masses was kept
        for j, s in enumerate(bk.searches):
            want = s.upper_bound_arrays(c, chi2_threshold(s.cl))
            for a, b in zip(want, (r[j] for r in rows[1]), strict=True):
                assert a.tobytes() == b.tobytes(), (s.name, seed)


def test_bank_rows_limits() -> None:
    assert rc.bank_rows(random_couplings(rc.BANK_MAX_POINTS + 1, 2)) is None
    out_of_range = rc.Couplings(mass_mev=np.array([1e-3, 2e-3]), c_ve=1e-4)  # below every curve
    rows = rc.bank_rows(out_of_range)
    assert rows is not None
    assert np.all(rows[1][2] == 2) and np.all(np.isnan(rows[1][0]))  # not applicable everywhere

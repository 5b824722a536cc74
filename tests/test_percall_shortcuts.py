"""The one-point shortcuts of the per-call path give the numbers of the general (array) path, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

from zprime.core.constants import LEPTON_MASS_MEV
from zprime.core.couplings import Couplings
from zprime.physics import production
from zprime.physics.arrays import all_finite, any_nan, broadcast, broadcast_all, positive_finite
from zprime.physics.observables.g2 import X_CLOSED_MAX, X_NEAR_2, X_SERIES_FAR, delta_a_lepton, f_a, f_v


def _same(a: object, b: object) -> bool:
    a, b = np.asarray(a), np.asarray(b)
    return a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


@pytest.mark.parametrize(
    ("a", "shape"),
    [
        (np.arange(3.0), (3,)),
        (np.asarray(2.0), ()),
        (np.asarray(2.0), (1,)),
        (np.ones(1), (1, 1)),
        (np.float64(1.5), ()),
        (np.float64(1.5), (1,)),
        (2.5, (1,)),
        (3, ()),
        (np.asarray(True), (1,)),
        (np.ones(1), (4,)),
        (np.arange(2.0), (3, 2)),
        (np.asarray(2.0), (4,)),
        (np.ones((1, 1)), (2, 3)),
        (np.asarray(True), (2, 2)),
        (np.asarray(7, dtype=np.int8), (3,)),
        (np.asarray(1.0), (0,)),
        (np.asarray(1.0)[()] * np.ones(1), (5,)),
    ],
)
def test_broadcast_is_numpy_broadcast_to(a: object, shape: tuple[int, ...]) -> None:
    got, ref = broadcast(a, shape), np.broadcast_to(a, shape)
    assert _same(got, ref)
    assert not got.flags.writeable
    if isinstance(a, np.ndarray) and got.size:
        assert np.shares_memory(got, a)


def test_broadcast_all_is_numpy_broadcast_arrays() -> None:
    cases = [
        (np.ones(1), np.asarray(2.0), np.asarray(3.0)),
        (np.ones((1, 1)), np.ones(1), np.asarray(0.5)),
        (np.arange(3.0), np.asarray(1.0)),
        (np.arange(3.0), np.arange(3.0)),
        (np.arange(3.0), np.asarray(1.0), np.ones(1)),  # arrays of one shape and single numbers
        (np.ones((2, 3)), np.ones((1, 1)), np.asarray(True)),
        (np.ones((2, 3)), np.ones((1, 1, 1))),  # a single number with more dimensions: numpy's path
        (np.ones((2, 1)), np.ones(3)),
    ]
    for arrays in cases:
        got, ref = broadcast_all(*arrays), np.broadcast_arrays(*arrays)
        assert len(got) == len(ref)
        assert all(_same(g, r) for g, r in zip(got, ref, strict=True))


@pytest.mark.parametrize(
    "values", [[1.0], [0.0], [-1.0], [np.nan], [np.inf], [-np.inf], [1.0, 2.0], [1.0, np.nan], [], [1e-300]]
)
def test_checks_of_one_number(values: list[float]) -> None:
    for a in (np.asarray(values, float), np.asarray(values, float).reshape((len(values),) + (1,))):
        assert positive_finite(a) == (not (np.any(~np.isfinite(a)) or np.any(a <= 0)))
        assert all_finite(a) == bool(np.isfinite(a).all())
        assert any_nan(a) == bool(np.isnan(a).any())
    if len(values) == 1:
        a = np.asarray(values[0])
        assert positive_finite(a) == (not (np.any(~np.isfinite(a)) or np.any(a <= 0)))


def _x_every_branch() -> np.ndarray:
    """x = m_Z'/m_l in every branch of the g−2 loop functions and at their edges."""
    edges = [2.0 - X_NEAR_2, 2.0 + X_NEAR_2, 2.0, X_CLOSED_MAX, X_SERIES_FAR]
    near = [np.nextafter(e, s) for e in edges for s in (0.0, np.inf)]
    return np.array([1e-6, 0.3, 1.0, 1.999, 2.0005, 2.5, 3.5, 10.0, 29.0, 31.0, 1e3, 1e6, *edges, *near])


def test_g2_one_point_equals_its_element_of_the_batch() -> None:
    ml = LEPTON_MASS_MEV["mu"]
    m = _x_every_branch() * ml
    cv = np.linspace(1e-4, 3e-3, m.size)
    ca = np.linspace(-2e-3, 5e-4, m.size)
    batch = delta_a_lepton(m, cv, ca, ml)
    fv, fa = f_v(m / ml), f_a(m / ml)
    for i in range(m.size):
        assert _same(delta_a_lepton(m[i : i + 1], cv[i : i + 1], ca[i : i + 1], ml), batch[i : i + 1])
        assert _same(delta_a_lepton(m[i], cv[i], ca[i], ml), batch[i])
        assert _same(f_v(m[i] / ml), fv[i]) and _same(f_a(m[i] / ml), fa[i])


def test_meson_production_one_point_equals_its_element_of_the_batch() -> None:
    m = np.array([1.0, 20.0, 139.0, 300.0, 500.0, 770.0, 782.0, 1019.0, 1100.0, 1500.0])
    big = Couplings(mass_mev=m, c_vu=2e-4, c_vd=-1e-4, c_vs=5e-5)
    for mech in ("eta_gamma", "omega_pi0", "eta'_gamma"):
        if mech not in production.MECHANISMS:
            continue
        batch = production.coupling_sq(big, mech)
        for i in range(m.size):
            assert _same(production.coupling_sq(big[i], mech), batch[i]), (mech, m[i])
    for v in production.meson_data().vectors:
        batch = production.breit_wigner(v, m)
        for i in range(m.size):
            assert _same(production.breit_wigner(v, m[i]), batch[i]), (v, m[i])

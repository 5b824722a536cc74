"""One point takes shortcuts (Python floats instead of one-element arrays, edition entries read once per
edition); these tests check that they give the numbers of the array paths bit for bit, and that a user
edition file changed on disk is read again."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from zprime.core.constants import LEPTON_MASS_MEV
from zprime.core.couplings import ALL_FIELDS, Couplings, random_couplings
from zprime.physics.arrays import full
from zprime.physics.constraints import EvalOptions, select
from zprime.physics.observables.g2 import delta_a_lepton


def _bits(a: object) -> bytes:
    return np.ascontiguousarray(np.asarray(a, dtype=float)).tobytes()


@pytest.mark.parametrize("edition", ["2021", "2023", "2025"])
def test_one_point_equals_its_element_of_the_batch(edition: str) -> None:
    c = random_couplings(120, 7)
    flat = {f: np.broadcast_to(getattr(c, f), c.shape) for f in ALL_FIELDS}
    opts = EvalOptions(edition=edition)
    ks = [k for k in select(include_projections=True, include_variants=True) if k.evaluate_group is None]
    for k in ks:
        batch = k.evaluate(c, opts)
        for i in range(0, 120, 7):
            kw = {f: float(flat[f][i]) for f in ALL_FIELDS}
            for one in (Couplings(**kw), Couplings(**{f: np.array([v]) for f, v in kw.items()})):
                r = k.evaluate(one, opts)
                for f in ("value", "limit", "status", "chi2"):
                    a, b = getattr(r, f), getattr(batch, f)
                    assert np.shape(a) == one.shape, (k.name, f)
                    assert _bits(a) == _bits(np.asarray(b).reshape(-1)[i]), (k.name, f, i)


def test_delta_a_one_point_equals_the_batch_in_every_branch() -> None:
    rng = np.random.default_rng(3)
    for ml in (LEPTON_MASS_MEV["e"], LEPTON_MASS_MEV["mu"]):
        x = np.concatenate(
            [
                10 ** rng.uniform(-4, 4, 400),
                2.0 + rng.uniform(-2e-3, 2e-3, 100),  # the series of J near x = 2 and both closed forms
                3.0 + rng.uniform(-1e-3, 1e-3, 50),
                30.0 + rng.uniform(-1e-2, 1e-2, 50),
                [2.0, 3.0, 30.0],
            ]
        )
        m = x * ml
        cv, ca = rng.normal(size=(2, m.size)) * 1e-3
        ca[:20] = cv[:20] = 0.0
        batch = delta_a_lepton(m, cv, ca, ml)
        for i in range(m.size):
            assert _bits(delta_a_lepton(m[i], cv[i], ca[i], ml)) == _bits(batch[i]), (ml, x[i])
            assert _bits(delta_a_lepton(m[i : i + 1], cv[i : i + 1], ca[i : i + 1], ml)) == _bits(batch[i])


@pytest.mark.parametrize("shape", [(), (1,), (1, 1), (3,), (2, 2)])
def test_full_is_numpy_full(shape: tuple[int, ...]) -> None:
    for v, dtype in ((1.5, float), (np.nan, float), (2, np.int8), (True, bool)):
        a, b = full(shape, v, dtype), np.full(shape, v, dtype=dtype)
        assert a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()


def _white_dwarf(bound: float) -> dict:
    """A white-dwarf cooling bound of a user's own edition (the entry of ``write_user_edition``)."""
    return {
        "id": "white_dwarf_mine",
        "name": "white_dwarf_cooling",
        "kind": "upper_limit",
        "value": bound,
        "uncertainty": 0.0,
        "cl": 0.9,
        "reference": "mine",
        "arxiv": "1234.56789",
        "parameters": {"min_mass_mev": 0.001},
    }


def test_user_edition_changed_on_disk_is_read_again(tmp_path: Path, write_user_edition) -> None:  # noqa: ANN001
    path = tmp_path / "mine.yaml"
    write_user_edition(path, _white_dwarf(1.0), "a white-dwarf bound of my own")
    (k,) = select(only=["white_dwarf"])
    c = Couplings(mass_mev=20.0, c_ve=1e-4, c_nue=1e-4)
    assert float(k.evaluate(c, EvalOptions(edition=str(path))).limit) == 1.0
    write_user_edition(path, _white_dwarf(2.5), "a white-dwarf bound of my own")
    assert float(k.evaluate(c, EvalOptions(edition=str(path))).limit) == 2.5


@pytest.mark.parametrize("n", [1, 2, 9, 300])
def test_delta_a_e_mu_is_delta_a_of_each(n: int) -> None:
    from zprime.physics.observables.g2 import delta_a, delta_a_e_mu

    cases = [
        random_couplings(n, 11),
        Couplings(mass_mev=10 ** np.linspace(-2, 3, n), c_ve=1e-4, c_amu=-2e-4),  # scalar couplings
        Couplings(mass_mev=7.0, c_ve=np.linspace(-1e-3, 1e-3, n), c_vmu=0.0),  # one mass, no muon coupling
    ]
    for c in cases:
        for got, f in zip(delta_a_e_mu(c), ("e", "mu"), strict=True):
            want = delta_a(c, f)
            assert np.shape(got) == np.shape(want) == c.shape
            assert _bits(got) == _bits(want), (n, f)


def test_trident_and_moller_one_point_equal_the_batch() -> None:
    from zprime.physics.observables.moller import delta_sin2w_eff
    from zprime.physics.observables.trident import trident_ratio

    rng = np.random.default_rng(2)
    m = 10 ** rng.uniform(-3, 4, 300)
    a, b = rng.normal(size=(2, 300)) * 10 ** rng.uniform(-9, -1, (2, 300))
    for f in (trident_ratio, delta_sin2w_eff):
        batch = f(m, a, b, edition="2021")
        for i in range(300):
            one = f(float(m[i]), float(a[i]), float(b[i]), edition="2021")
            assert np.ndim(one) == 0 and _bits(one) == _bits(batch[i]), (f.__name__, i)


def test_per_edition_raises_a_fresh_copy_of_a_missing_measurement() -> None:
    from zprime.core.errors import MissingMeasurementError
    from zprime.physics.constraints.base import per_edition

    calls: list[str] = []

    @per_edition
    def read(edition: str) -> float:
        calls.append(edition)
        from zprime.core.measurements import get

        return get("coherent_csi_events", edition).value  # not in edition 2021

    errors = []
    for _ in range(2):
        with pytest.raises(MissingMeasurementError) as info:
            read("2021")
        errors.append(info.value)
    assert calls == ["2021"]  # read once
    assert errors[0] is not errors[1] and errors[0].reason == errors[1].reason
    assert read("2025") == read("2025") and calls == ["2021", "2025"]
    (k,) = select(only=["coherent_csi"])
    assert "coherent_csi_events" in k.evaluate(Couplings(mass_mev=5.0), EvalOptions(edition="2021")).reason

"""The χ² fit of Cadeddu et al. Eq. (27) and the figures 2–5 (smoke)."""

from __future__ import annotations

import numpy as np
import pytest

from zprime.analyses.fit_darkz import Chi2, FitInputs, fit_darkz
from zprime.core.errors import InputError
from zprime.core.measurements import get


@pytest.fixture(scope="module")
def fit2021():
    return fit_darkz("2021", "rb", resolution=60)


def test_fit_reproduces_paper(fit2021):
    p = get("darkz_fit_cadeddu2021").parameters
    b = fit2021.best_fit
    assert fit2021.chi2_min < 0.05
    assert p["mass_mev"] - p["mass_minus"] < b["mass_mev"] < p["mass_mev"] + p["mass_plus"]
    assert p["epsilon"] - p["epsilon_minus"] < b["epsilon"] < p["epsilon"] + p["epsilon_plus"]
    assert abs(b["delta"]) < p["delta_upper"]
    iv = fit2021.intervals_1sigma
    paper = {
        "mass_mev": (p["mass_mev"] - p["mass_minus"], p["mass_mev"] + p["mass_plus"]),
        "epsilon": (p["epsilon"] - p["epsilon_minus"], p["epsilon"] + p["epsilon_plus"]),
    }
    for k, (lo, hi) in paper.items():
        assert iv[k][0] == pytest.approx(lo, rel=0.3)
        assert iv[k][1] == pytest.approx(hi, rel=0.3)
    # δ: a 1σ interval that contains 0 with upper end ≈ 2e-3
    assert iv["delta"][0] < 0.0 < iv["delta"][1]
    assert iv["delta"][1] == pytest.approx(p["delta_upper"], rel=0.3)
    assert fit2021.open_towards_high_mass
    assert 1.5 < fit2021.chi2_high_mass_plateau < 3.0


def test_to_dict_keys(fit2021):
    d = fit2021.to_dict()
    assert set(d["best_fit"]) == {"mass_mev", "epsilon", "delta"}
    assert set(d["intervals_1sigma"]) == {"mass_mev", "epsilon", "delta"}
    assert isinstance(d["chi2_min"], float)
    assert all(len(v) == 2 for v in d["intervals_1sigma"].values())


def test_chi2_at_sm_point_and_profile():
    chi = Chi2(FitInputs.from_data())
    t = chi.terms(50.0, 0.0, 0.0)
    # at ε = δ = 0 only the measured deviations remain
    assert float(t["a_mu"]) == pytest.approx((251 / 59) ** 2, rel=1e-6)
    assert float(t["apv"]) == pytest.approx((0.29 / np.hypot(0.43, 0.01)) ** 2, rel=1e-6)
    # profiling over δ is never worse than a δ grid
    m, e = np.array([[47.0]]), np.array([[2.3e-3]])
    c, d = chi.profile_delta(m, e)
    grid = chi(47.0, 2.3e-3, np.linspace(-0.01, 0.01, 4001))
    assert c.item() <= grid.min() + 1e-9


def test_fit_edition_2025_and_inputs():
    f = fit_darkz("2025", "rb", resolution=30)
    assert f.inputs.values["a_mu"] == pytest.approx(38.5e-11)
    assert np.isfinite(f.chi2_min)
    with pytest.raises(InputError, match="ae"):
        FitInputs.from_data(ae="xx")
    with pytest.raises(InputError, match="apv"):
        FitInputs.from_data(apv="nonsense")


@pytest.mark.parametrize("name", [f"cadeddu2021-fig{i}" for i in (2, 3, 4, 5)])
def test_figure_data_smoke(name):
    from zprime.app.figures.cadeddu2021 import provide

    spec = {f.name: f for f in provide()}[name]
    ds = spec.data(edition="2021", ae="rb", resolution=20)
    assert len(ds.data_vars) >= 2
    for v in ds.data_vars.values():
        if v.dtype.kind == "f":
            assert np.isfinite(v.values).any()

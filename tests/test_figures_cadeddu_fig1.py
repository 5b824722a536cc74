"""Cadeddu et al. Fig. 1 (the 208Pb-133Cs neutron-skin correlation) and the shared figure style."""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest

import zprime.app.figures as F
from zprime.analyses.limits_plot import PALETTE
from zprime.app.figures import _style as S

matplotlib.use("Agg")


def test_fig1_numbers_follow_the_paper():
    ds = F.get("cadeddu2021-fig1").data(resolution=50)
    assert float(ds["derived_skin_cs"]) == pytest.approx(0.22, abs=0.005)  # C(18): 0.22(5) fm
    assert float(ds["derived_skin_cs_err"]) == pytest.approx(0.05, abs=0.005)
    assert float(ds["prex_skin_pb"]) == pytest.approx(0.283)
    x = ds["skin_pb_fm"].values
    fit = ds["skin_cs_fit"].values
    assert np.allclose(fit, 0.707 * x + 0.016)
    assert np.all(ds["skin_cs_3sigma_lo"].values < ds["skin_cs_1sigma_lo"].values)
    assert np.all(ds["skin_cs_1sigma_hi"].values < ds["skin_cs_3sigma_hi"].values)


def test_fig1_draws_and_rejects_bad_resolution():
    import matplotlib.pyplot as plt

    from zprime.core.errors import InputError

    fig = F.get("cadeddu2021-fig1").plot(F.get("cadeddu2021-fig1").data(resolution=20))
    assert "Cadeddu et al. Fig. 1" in fig.axes[0].get_title()
    plt.close(fig)
    with pytest.raises(InputError):
        F.get("cadeddu2021-fig1").data(resolution=1)


def test_region_colours_come_from_the_one_palette():
    for name in ("babar_2014", "kloe_2015", "na64_2018", "na64_2019", "bbn_planck", "texono", "borexino"):
        st = S.region_style(name)
        assert st.color in PALETTE and st.alpha == 1.0
    assert S.region_style("unknown_thing").color in PALETTE


def test_smooth_field_sign_matches_mask_away_from_edges():
    mask = np.zeros((40, 40), bool)
    mask[10:30, 5:35] = True
    f = S.smooth_field(mask)
    assert f[20, 20] > 0 and f[2, 2] < 0

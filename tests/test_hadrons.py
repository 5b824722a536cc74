"""Hadronic Z' widths (zprime.physics.observables.hadrons) against DarkCast 2023 and in their limits.

The reference ``tests/golden/darkcast2023_widths.json`` was produced once by running DarkCast 2023 itself
(``Model(name).width(state, m)``, see the file's ``source`` and ``how``) at 60 masses from 0.2 to 10 GeV that
lie on no grid point, for six DarkCast models at unit global coupling.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from zprime.core.couplings import Couplings
from zprime.core.errors import DataFileError, InputError
from zprime.physics.observables import hadrons as H

GOLDEN = json.loads((Path(__file__).parent / "golden" / "darkcast2023_widths.json").read_text())
VMD = ("pi+_pi-", "pi+_pi-_pi+_pi-", "pi+_pi-_pi0_pi0", "pi+_pi-_pi0", "pi0_gamma", "K_K", "K_K_pi", "other")
MEV_PER_GEV = 1e3
E = GOLDEN["darkcast_pars"]["ge"]  # DarkCast's e


def _quarks(model: str, sign: float = 1.0) -> dict[str, tuple[float, float]]:
    """DarkCast's (x_A, x_V) at g = 1 -> zprime's (C_V, C_A) = (g x_V, g x_A) (same normalisation:
    L ⊃ −q̄γ^μ(C_V + C_Aγ5)q Z'_μ; an overall sign of the current is irrelevant, ``sign`` flips it)."""
    xf = GOLDEN["models"][model]["couplings_axial_vector"]
    return {f: (sign * v[1], sign * v[0]) for f, v in xf.items()}


def _rel(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    both0 = (a == 0) & (b == 0)
    return np.where(both0, 0.0, np.abs(a - b) / np.where(b == 0, 1.0, np.abs(b)))


@pytest.mark.parametrize("model", sorted(GOLDEN["models"]))
def test_against_darkcast_2023(model: str) -> None:
    m = np.array(GOLDEN["mass_gev"]) * MEV_PER_GEV
    ref = {k: np.array(v) * MEV_PER_GEV for k, v in GOLDEN["models"][model]["widths_gev"].items()}
    w = H.hadronic_widths(m, _quarks(model))
    mine = {k: w[k] for k in VMD}
    mine["hadrons"] = sum(w[k] for k in VMD + H.AXIAL_CHANNELS)  # DarkCast's 'hadrons'
    for f in ("c", "b", "t"):
        mine[f"{f}_{f}"] = w[f"{f}_{f}"]
    mine["quarks"] = w["c_c"] + w["b_b"] + w["t_t"]
    for key, val in mine.items():
        assert np.all((val == 0) == (ref[key] == 0)), (model, key)  # same thresholds
        assert _rel(val, ref[key]).max() < 1e-10, (model, key)
    assert np.all(w["u_u"] == 0) and np.all(w["s_s"] == 0)  # DarkCast: u, d, s only through the grids
    np.testing.assert_allclose(w["hadrons"], mine["hadrons"] + mine["quarks"], rtol=1e-14)


def test_sign_of_current_irrelevant() -> None:
    m = np.array(GOLDEN["mass_gev"]) * MEV_PER_GEV
    for model in ("dark_photon", "chiral"):
        a = H.hadronic_widths(m, _quarks(model))
        b = H.hadronic_widths(m, _quarks(model, -1.0))
        for k in a:
            np.testing.assert_allclose(a[k], b[k], rtol=1e-14)


def test_dark_photon_is_r_ratio() -> None:
    """For C_Vq = Q_q (e = 1): R_ρ Tr[T_ρ Q] = R_ω Tr[T_ω Q] = 1 and R_φ Tr[T_φ Q] = −1, so
    Γ_F = m/(12π) (R^ρ + R^ω + R^φ − 2 R^ωφ) (1801.04847 Eqs. (2.15), (2.17), (2.18))."""
    d = H.load_hadron_data()
    charge = np.array([2 / 3, -1 / 3, -1 / 3])
    sign = {"rho0": 1.0, "omega": 1.0, "phi": -1.0}
    for v, w in d.meson_weight.items():
        assert abs(w @ charge - sign[v]) < 1e-15
    m = np.array([500.0, 1020.0, 1800.0])
    w = H.vmd_widths(m, {"u": (2 / 3, 0.0), "d": (-1 / 3, 0.0), "s": (-1 / 3, 0.0)})
    for channel, terms in d.channels.items():
        r = sum(g(m) * (1.0 if len(ms) == 1 else 2.0 * sign[ms[0]] * sign[ms[1]]) for ms, g in terms)
        np.testing.assert_allclose(w[channel], m / (12 * np.pi) * r, rtol=1e-13)


def test_zero_couplings_zero_widths() -> None:
    w = H.hadronic_widths(np.geomspace(100.0, 2e5, 50), {})
    assert all(np.all(v == 0) for v in w.values())
    w = H.hadronic_widths(np.geomspace(100.0, 2e5, 50), {"u": (0.0, 0.0)}, above_grid="quarks")
    assert all(np.all(v == 0) for v in w.values())


@pytest.mark.parametrize("above", H.ABOVE_GRID)
def test_widths_scale_as_coupling_squared(above: str) -> None:
    m = np.geomspace(150.0, 12000.0, 80)
    q = {"u": (0.3, -0.2), "d": (-0.1, 0.4), "s": (0.25, 0.15), "c": (0.2, 0.1), "b": (-0.3, 0.05)}
    w1 = H.hadronic_widths(m, q, above_grid=above)
    w3 = H.hadronic_widths(m, {f: (3 * a, 3 * b) for f, (a, b) in q.items()}, above_grid=above)
    for k in w1:
        np.testing.assert_allclose(w3[k], 9 * w1[k], rtol=1e-13, atol=0)


def test_only_pi0_gamma_below_two_pions() -> None:
    """Below 2 m_π (the π⁺π⁻ grid starts at 280 MeV) only Z' → π⁰γ is open (above m_π0)."""
    m = np.linspace(100.0, 279.0, 40)
    q = {"u": (0.3, 0.5), "d": (-0.2, 0.1), "s": (0.4, -0.3)}
    w = H.hadronic_widths(m, q)
    assert np.all(w["pi0_gamma"][m > 141.0] > 0) and np.all(w["pi0_gamma"][m <= 140.0] == 0)
    for k in w:
        if k not in ("pi0_gamma", "hadrons"):
            assert np.all(w[k] == 0), k
    np.testing.assert_array_equal(w["hadrons"], w["pi0_gamma"])
    # a purely axial Z' has no hadronic width below the first point of a₁ (385 MeV, the 3π region)
    wa = H.hadronic_widths(np.linspace(100.0, 385.0, 30), {"u": (0.0, 1.0), "d": (0.0, -1.0)})
    assert np.all(wa["hadrons"] == 0)


def test_isospin() -> None:
    m = np.linspace(300.0, 5000.0, 200)
    # pure isoscalar (B boson, C_Vu = C_Vd, no s): no ρ, so no π⁺π⁻ and no 4π
    w = H.hadronic_widths(m, {"u": (1 / 3, 0.0), "d": (1 / 3, 0.0)})
    for k in ("pi+_pi-", "pi+_pi-_pi+_pi-", "pi+_pi-_pi0_pi0", "K_K", "K_K_pi"):
        assert np.all(w[k] == 0), k
    assert np.all(w["pi+_pi-_pi0"][(m > 500) & (m < 1400)] > 0)
    # pure isovector (C_Vu = −C_Vd): no ω, φ, so no 3π, π⁰γ, KK
    w = H.hadronic_widths(m, {"u": (0.5, 0.0), "d": (-0.5, 0.0)})
    for k in ("pi+_pi-_pi0", "pi0_gamma", "K_K", "K_K_pi"):
        assert np.all(w[k] == 0), k
    assert np.all(w["pi+_pi-"] > 0)
    # axial: the isovector piece needs C_Au ≠ C_Ad, the strange piece C_As and m > 2 m_K
    w = H.hadronic_widths(m, {"u": (0.0, 1.0), "d": (0.0, 1.0)})
    assert np.all(w["axial_isovector"] == 0) and np.all(w["axial_strange"] == 0)
    w = H.hadronic_widths(m, {"s": (0.0, 1.0)})
    assert np.all(w["axial_strange"][m <= 2 * 493.68] == 0) and np.all(w["axial_strange"][m > 1000] > 0)


def test_broadcasting() -> None:
    m = np.array([300.0, 800.0, 1020.0, 2500.0, 9000.0])[:, None]
    cu = np.array([0.1, 0.2, -0.3])[None, :]
    w = H.hadronic_widths(m, {"u": (cu, 0.5 * cu), "d": (0.2, 0.0), "c": (cu, 0.0)})
    assert all(v.shape == (5, 3) for v in w.values())
    for j in range(3):
        wj = H.hadronic_widths(
            m[:, 0], {"u": (cu[0, j], 0.5 * cu[0, j]), "d": (0.2, 0.0), "c": (cu[0, j], 0.0)}
        )
        for k in w:
            np.testing.assert_allclose(w[k][:, j], wj[k], rtol=1e-15)
    s = H.hadronic_widths(1000.0, {"u": (0.1, 0.0)})
    assert all(np.shape(v) == () for v in s.values())
    np.testing.assert_allclose(
        H.hadronic_widths(m, {"u": (0.1, 0.0)}, above_grid="quarks")["hadrons"].shape, (5, 1)
    )


def test_above_grid_quarks() -> None:
    """``above_grid="quarks"``: no grid used beyond its last point; u, d, s as perturbative quarks there."""
    d = H.load_hadron_data()
    q = {"u": (2 * E / 3, 0.1), "d": (-E / 3, -0.1), "s": (-E / 3, 0.05)}
    m = np.array([1000.0, 1400.0, 1600.0, 1999.0, 2001.0, 5000.0, 9000.0])
    a = H.hadronic_widths(m, q)
    b = H.hadronic_widths(m, q, above_grid="quarks")
    low = m < d.a1.last_mev
    for k in a:
        np.testing.assert_array_equal(a[k][low], b[k][low])
    high = m > d.r_grid_end_mev
    for k in VMD + H.AXIAL_CHANNELS:
        assert np.all(b[k][high] == 0), k
    pert = H.quark_widths(m[high], q, flavours=("u", "d", "s"))
    for f in "uds":
        np.testing.assert_allclose(b[f"{f}_{f}"][high], pert[f"{f}_{f}"], rtol=1e-14)
    mid = (m > d.a1.last_mev) & ~high  # axial already perturbative, vector still the grids
    assert np.all(b["axial_isovector"][mid] == 0) and np.all(b["u_u"][mid] > 0)
    np.testing.assert_array_equal(a["pi+_pi-"][mid], b["pi+_pi-"][mid])


def test_quark_widths_formula() -> None:
    """Γ(Z' → c c̄) = 3 m/(12π) β [C_V²(1 + 2r) + C_A² β²], zero at and below 2 m_c (1.5 GeV in DarkCast)."""
    m = np.array([2999.0, 3000.0, 3001.0, 5000.0])
    w = H.quark_widths(m, {"c": (0.2, 0.3)})["c_c"]
    assert w[0] == 0 and w[1] == 0
    r = (1500.0 / m[2:]) ** 2
    b = np.sqrt(1 - 4 * r)
    np.testing.assert_allclose(
        w[2:], 3 * m[2:] / (12 * np.pi) * b * (0.04 * (1 + 2 * r) + 0.09 * b**2), rtol=1e-14
    )


def test_adapter_of_couplings() -> None:
    c = Couplings(mass_mev=np.array([500.0, 1500.0]), c_vu=0.2, c_au=0.1, c_vd=-0.1, c_ad=0.3)
    a = H.hadronic_widths_of(c)
    b = H.hadronic_widths(np.array([500.0, 1500.0]), {"u": (0.2, 0.1), "d": (-0.1, 0.3)})
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])


def test_bad_input() -> None:
    with pytest.raises(InputError, match="quarks: unknown flavour 'x'"):
        H.hadronic_widths(500.0, {"x": (1.0, 0.0)})
    with pytest.raises(InputError, match="quarks\\['u'\\]"):
        H.hadronic_widths(500.0, {"u": 1.0})
    with pytest.raises(InputError, match="above_grid"):
        H.hadronic_widths(500.0, {}, above_grid="hold")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="mass_mev"):
        H.hadronic_widths(np.array([500.0, -1.0]), {})
    with pytest.raises(InputError, match="flavours"):
        H.quark_widths(500.0, {}, flavours=("q",))


def test_grid_reader(tmp_path: Path) -> None:
    d = H.load_hadron_data()
    assert sum(len(t) for t in d.channels.values()) == 12 and set(d.channels) == set(VMD)
    assert d.r_grid_end_mev == 2000.0 and d.a1.last_mev == 1485.0 and d.a1s.last_mev == 1515.0
    bad = tmp_path / "bad.dat"
    bad.write_text("# m v\n1.0 0.1\n0.9 0.2\n")
    with pytest.raises(DataFileError, match="increase"):
        H.read_grid(bad)
    bad.write_text("1.0 0.1 3\n1.1 0.2 4\n")
    with pytest.raises(DataFileError, match="two columns"):
        H.read_grid(bad)
    good = tmp_path / "good.dat"
    good.write_text("# m v\n1.0 0.0\n2.0 1.0\n")
    g = H.read_grid(good)
    np.testing.assert_allclose(g(np.array([500.0, 1500.0, 3000.0])), [0.0, 0.5, 1.0])


def test_total_width_with_hadrons_against_darkcast_2023():
    """Γ_tot of zprime's widths with ``hadronic=True`` against DarkCast 2023's Model.width('total'): the dark
    photon (reference of the recast) and B−L with light Dirac ν_R (DarkCast's neutrino convention), g = 1."""
    import json
    from pathlib import Path

    from zprime.physics.models import registry
    from zprime.physics.observables.widths import dark_photon_width, decay_widths

    ref = json.loads((Path(__file__).parent / "golden" / "darkcast2023_widths.json").read_text())
    m = np.asarray(ref["mass_gev"]) * 1e3
    keep = m <= 1e4  # the models' mass range

    def total(model: str) -> np.ndarray:
        return np.asarray(ref["models"][model]["widths_gev"]["total"])[keep] * 1e3

    m = m[keep]
    dp = dark_photon_width(m, 1.0, hadronic=True)
    np.testing.assert_allclose(dp.total, total("dark_photon"), rtol=2e-4)
    c = registry.get("b_minus_l").couplings(mass_mev=m, g_prime=1.0, eps=0.0, nu_r=True)
    bl = decay_widths(c, hadronic=True)
    np.testing.assert_allclose(bl.total, total("B-L_boson"), rtol=2e-4)
    # leptonic widths are the default and unchanged; hadrons add to them
    lep = decay_widths(c)
    assert lep.hadrons is None and np.all(bl.total >= lep.total)
    np.testing.assert_allclose(bl.total - lep.total, bl.hadrons, rtol=1e-9, atol=0)
    assert np.all(bl.pipi == 0)  # isoscalar B−L has no ρ → π⁺π⁻


def test_channel_widths_lists_every_channel_and_sums_to_the_total():
    from zprime.physics.models import registry
    from zprime.physics.observables.widths import channel_widths, decay_widths

    m = np.array([50.0, 400.0, 782.0, 1019.0, 3000.0])
    c = registry.get("dark_photon").couplings(mass_mev=m, eps=1e-3)
    ch = channel_widths(c)
    assert {"e_e", "mu_mu", "pi+_pi-", "pi+_pi-_pi0", "K_K", "c_c", "hadrons", "total"} <= set(ch)
    np.testing.assert_allclose(ch["total"], decay_widths(c, hadronic=True).total, rtol=1e-12)
    parts = sum(v for k, v in ch.items() if k not in ("hadrons", "total"))
    np.testing.assert_allclose(parts, ch["total"], rtol=1e-9)
    assert set(channel_widths(c, hadronic=False)) == {
        "e_e", "mu_mu", "tau_tau", "nue_nue", "numu_numu", "nutau_nutau", "total"
    }  # fmt: skip

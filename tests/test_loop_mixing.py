"""Loop-induced photon–Z′ kinetic mixing of the lepton-number models (models.u1.loop_kinetic_mixing), its
``eps="loop"`` switch, and limits with it against DarkCast (tests/golden/darkcast_recasts_loop.json, GPL-2.0-or-later,
see its "source")."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from zprime.analyses.limits import limits
from zprime.app.cli import _parse_set
from zprime.core.constants import E_CHARGE, M_MU, M_TAU
from zprime.core.errors import InputError
from zprime.physics.models.registry import get as get_model
from zprime.physics.models.u1 import loop_kinetic_mixing, loop_kinetic_mixing_complex

MASSES = np.geomspace(0.01, 1e4, 20)
LMU_LTAU = (0.0, 1.0, -1.0)
LE_LMU = (1.0, -1.0, 0.0)
#: Lepton masses [MeV] and e of DarkCast's darkcast/pars.py (commit d627d13), to compare at 1e-6
DC_MASSES = (0.511, 105.66, 1776.82)
DC_GE = 0.302822
REF = json.loads((Path(__file__).parent / "golden" / "darkcast_recasts_loop.json").read_text())


def _eps_mpmath(m: float, charges, masses=(None, M_MU, M_TAU)) -> complex:
    mpmath = pytest.importorskip("mpmath")
    from zprime.core.constants import M_E

    masses = tuple(M_E if x is None else x for x in masses)
    mpmath.mp.dps = 30
    total = mpmath.mpc(0)
    for q, ml in zip(charges, masses, strict=True):
        if not q:
            continue
        s = mpmath.mpf(m) ** 2 + mpmath.mpc(0, 1) * mpmath.mpf(10) ** -40
        pts = [0, 0.5, 1]
        if m > 2 * ml:  # split at the zeros of the log's argument
            d = mpmath.sqrt(0.25 - mpmath.mpf(ml) ** 2 / mpmath.mpf(m) ** 2)
            pts = [0, 0.5 - d, 0.5, 0.5 + d, 1]
        total += q * mpmath.quad(lambda x, ml=ml, s=s: x * (1 - x) * mpmath.log(ml**2 - x * (1 - x) * s), pts)
    return complex(E_CHARGE / (2 * mpmath.pi**2) * total)


@pytest.mark.parametrize("charges", [LMU_LTAU, LE_LMU])
def test_formula_against_mpmath(charges):
    ours = loop_kinetic_mixing_complex(MASSES, charges)
    ref = np.array([_eps_mpmath(float(m), charges) for m in MASSES])
    assert np.allclose(ours, ref, rtol=1e-10, atol=0.0)
    assert np.all(np.abs(ours - ref) <= 1e-10 * np.abs(ref))
    signed = loop_kinetic_mixing(MASSES, charges)
    assert np.allclose(np.abs(signed), np.abs(ref), rtol=1e-10, atol=0.0)
    assert np.all(signed < 0)  # sign convention: that of ε(0), negative relative to g′ for both models


def test_low_mass_limit():
    """ε → −e g′ ln(m_τ²/m_μ²)/(12π²) (Amaral et al., arXiv:2006.11225, Eq. (7); ≈ g′/70)."""
    want = -E_CHARGE * math.log(M_TAU**2 / M_MU**2) / (12 * math.pi**2)
    assert loop_kinetic_mixing(1e-3, LMU_LTAU) == pytest.approx(want, rel=1e-9)
    assert 1 / 75 < abs(want) < 1 / 65


def test_against_darkcast_formula():
    """|e ε/g′| is DarkCast's electron coupling of Lmu-Ltau_boson (per unit g); with DarkCast's lepton masses
    and e the difference is 5e-6 (its 5-digit constants), with zprime's PDG masses 2e-4."""
    dc = _darkcast_epsilon(MASSES, DC_MASSES[1], DC_MASSES[2])
    ours = np.abs(DC_GE * loop_kinetic_mixing(MASSES, LMU_LTAU, lepton_masses_mev=DC_MASSES, charge=DC_GE))
    assert np.allclose(ours, dc, rtol=1e-5, atol=0.0)
    assert np.allclose(np.abs(E_CHARGE * loop_kinetic_mixing(MASSES, LMU_LTAU)), dc, rtol=3e-4, atol=0.0)
    # Le−Lμ: the e and μ loops (DarkCast's Le-Lmu file reuses its μ, τ function, see the report)
    dc = _darkcast_epsilon(MASSES, DC_MASSES[0], DC_MASSES[1])
    ours = np.abs(DC_GE * loop_kinetic_mixing(MASSES, LE_LMU, lepton_masses_mev=DC_MASSES, charge=DC_GE))
    assert np.allclose(ours, dc, rtol=1e-5, atol=0.0)


def _darkcast_epsilon(m: np.ndarray, m0: float, m1: float) -> np.ndarray:
    """DarkCast's closed form (ge²/12π² × its bracket, arXiv:2006.11225 Eq. (7) integrated), rewritten here from
    the formula (not DarkCast's code): e² |Σ ± [ln m_ℓ² /6 + F(m²/m_ℓ²)]|/(2π²) with F through arctan."""
    m = np.asarray(m, complex)

    def piece(ml: float) -> np.ndarray:
        r = np.sqrt(4 * ml**2 - m**2 + 0j)
        return (m**2 + 2 * ml**2) * r * np.arctan(m / r)

    val = 4 * m * (m0**2 - m1**2) - 2 * piece(m0) + 2 * piece(m1) - m**3 * np.log(m0**2 / m1**2)
    return np.abs(DC_GE**2 / (12 * math.pi**2) * val / m**3)


def test_eps_loop_couplings():
    m = np.array([1.0, 50.0, 300.0, 5000.0])
    g = 1e-3
    c = get_model("lmu_ltau").couplings(mass_mev=m, g_prime=g, eps="loop")
    eps = g * loop_kinetic_mixing(m, LMU_LTAU)
    assert np.allclose(c.c_ve, -E_CHARGE * eps, rtol=1e-14)
    assert np.allclose(c.c_vmu, g - E_CHARGE * eps, rtol=1e-14)
    assert np.allclose(c.c_numu, g, rtol=1e-14)
    c0 = get_model("lmu_ltau").couplings(mass_mev=m, g_prime=g, eps=0.0)
    assert np.all(c0.c_ve == 0.0)  # the default stays tree level
    c = get_model("le_lmu").couplings(mass_mev=m, g_prime=g, eps="loop")
    assert np.allclose(c.c_vtau, -E_CHARGE * g * loop_kinetic_mixing(m, LE_LMU), rtol=1e-14)


def test_eps_loop_elsewhere_is_an_input_error():
    with pytest.raises(InputError, match="eps.*loop"):
        get_model("b_minus_l").couplings(mass_mev=10.0, g_prime=1e-3, eps="loop")
    with pytest.raises(InputError, match="loop"):
        get_model("dark_photon").couplings(mass_mev=10.0, eps="loop")
    with pytest.raises(InputError):
        get_model("lmu_ltau").couplings(mass_mev=10.0, g_prime=1e-3, eps="Loop")


def test_parse_set():
    assert _parse_set(["eps=loop", "g_prime=1e-3"]) == {"eps": "loop", "g_prime": 1e-3}
    with pytest.raises(InputError, match="number or the word 'loop'"):
        _parse_set(["eps=loops"])


def test_limits_with_loop_against_darkcast():
    """Electron-beam curves of L_μ − L_τ with loop mixing against DarkCast below 2 m_μ (see the file's source)."""
    ref = REF["models"]["lmu_ltau"]
    ls = limits("lmu_ltau", edition="2025")  # eps: the default, "loop"
    assert ls.fixed == {"eps": "loop"}
    tree = limits("lmu_ltau", edition="2025", only=["na64_2019_invisible", "kek"], eps=0)
    assert "na64_2019_invisible" not in tree.names()  # no electron coupling at tree level
    ratios = []
    for name, d in ref.items():
        c = ls[name]
        rows = np.array(d["rows"])
        m = rows[:, 0] * 1e3
        ok = (m > c.mass_mev[0]) & (m < c.mass_mev[-1])
        ours = np.exp(np.interp(np.log(m[ok]), np.log(c.mass_mev), np.log(c.lower)))
        r = ours / rows[ok, 1]
        assert r.size, name
        assert np.median(np.abs(r - 1)) < 0.01, (name, np.median(r))
        ratios.append(r)
    r = np.concatenate(ratios)
    assert r.size > 150
    assert np.mean(np.abs(r - 1) < 0.03) >= 0.95, np.percentile(np.abs(r - 1), [50, 90, 100])

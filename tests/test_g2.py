"""Tests of zprime.physics.observables.g2: lepton g−2 from a Z' loop.

Bodas Eqs. (7), (8), (15); Cadeddu Eqs. (8)-(11).

References used here, all independent of the float64 code under test:
- ``mpmath.quad`` (tanh-sinh, mp.dps = 40, breakpoints where the integrand varies: z ~ 1/x² for x > 1 and
  1 − z ~ x for x < 1) of Cadeddu Eqs. (9), (11): the golden file and a few live points;
- the closed forms evaluated in mpmath at 80 digits (cross-checked against mpmath.quad here) on a 201-point
  log grid of x from 1e-4 to 1e5 and 61 points around x = 2 (r = 1/4).

Regenerate the golden file with ``python tests/test_g2.py --regenerate-golden``.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zprime.core.constants import ALPHA, E_CHARGE, LEPTON_MASS_MEV, M_E
from zprime.core.couplings import Couplings
from zprime.core.errors import InputError
from zprime.core.measurements import get as get_measurement
from zprime.physics.observables import g2
from zprime.physics.observables.g2 import (
    bodas_axial_integral,
    bodas_vector_integral,
    delta_a,
    delta_a_heavy_limit,
    delta_a_lepton,
    delta_a_light_limit,
    f_a,
    f_v,
)

GOLDEN = Path(__file__).parent / "golden" / "g2_reference.json"
TOL = 1e-10  # SPEC §1: relative accuracy against arbitrary-precision integration

# ------------------------------------------------------------------------------------- mpmath references


def _breakpoints(x: mp.mpf) -> list[mp.mpf]:
    pts = [mp.mpf(0)]
    if x > 1:
        w = 1 / x**2
        pts += [w * 10**k for k in (0, 2) if w * 10**k < mp.mpf(1) / 2]
    else:
        pts += [1 - x * 10**k for k in (2, 0) if x * 10**k < mp.mpf(1) / 2]
    return pts + [mp.mpf(1)]


def quad_fv_fa(x: float) -> tuple[mp.mpf, mp.mpf]:
    """Cadeddu Eqs. (9), (11) by mpmath.quad at 40 digits, with breakpoints."""
    with mp.workdps(40):
        xm = mp.mpf(x)
        a = xm * xm
        pts = _breakpoints(xm)
        fv = mp.quad(lambda z: 2 * z * (1 - z) ** 2 / ((1 - z) ** 2 + a * z), pts)
        fa = mp.quad(lambda z: (2 * (1 - z) ** 3 + a * z * (1 - z) * (z + 3)) / ((1 - z) ** 2 + a * z), pts)
        return +fv, +fa


def closed_fv_fa(x: float) -> tuple[mp.mpf, mp.mpf]:
    """The closed forms (module docstring of g2) at 80 digits, exact input x (a float)."""
    with mp.workdps(80):
        xm = mp.mpf(x)
        a = xm * xm
        if xm < 2:
            j = 2 * mp.acos(xm / 2) / (xm * mp.sqrt(4 - a))
        elif xm > 2:
            j = 2 * mp.acosh(xm / 2) / (xm * mp.sqrt(a - 4))
        else:
            j = mp.mpf(1) / 2
        la = mp.log(a)
        q = a * (a * a - 4 * a + 2)
        fv = 1 - 2 * a + a * (a - 2) * la - q * j
        fa = ((a - 2) * (2 * a - 1) - q * la + a * a * (a - 4) * (a - 2) * j) / 2
    return fv, fa


def _rel(got: np.ndarray, ref: list) -> np.ndarray:
    ref_f = np.array([float(v) for v in ref])
    return np.abs(np.asarray(got) / ref_f - 1.0)


GOLDEN_X = [
    1e-4,
    1e-3,
    0.01,
    0.1,
    0.5,
    1.0,
    1.5,
    1.9,
    1.999,
    1.99999999,
    2.0,
    2.00000001,
    2.001,
    2.1,
    2.5,
    3.0,
    3.0000001,
    5.0,
    10.0,
    30.0,
    100.0,
    1e3,
    1e4,
    1e5,
]


def regenerate_golden() -> None:
    points = []
    for x in GOLDEN_X:
        fv, fa = quad_fv_fa(x)
        points.append({"x": x, "F_V": mp.nstr(fv, 30), "F_A": mp.nstr(fa, 30)})
    manifest = {
        "tolerance": TOL,
        "quantity": "F_V(x), F_A(x) of Cadeddu et al. Eqs. (9), (11); x = m_Z'/m_lepton",
        "method": "mpmath.quad (tanh-sinh) with breakpoints, mp.dps = 40; values as 30-digit strings",
        "generator": "python tests/test_g2.py --regenerate-golden",
        "mpmath": mp.__version__,
    }
    GOLDEN.write_text(json.dumps({"manifest": manifest, "points": points}, indent=1) + "\n", encoding="utf-8")


# ------------------------------------------------------------------------------------- accuracy
def test_golden_reference_values():
    data = json.loads(GOLDEN.read_text(encoding="utf-8"))
    tol = data["manifest"]["tolerance"]
    assert tol == 1e-10
    x = np.array([p["x"] for p in data["points"]])
    assert len(x) >= 20 and x.min() <= 1e-4 and x.max() >= 1e5 and np.any(x == 2.0)
    assert _rel(f_v(x), [p["F_V"] for p in data["points"]]).max() <= tol
    assert _rel(f_a(x), [p["F_A"] for p in data["points"]]).max() <= tol
    r = 1.0 / x**2
    iv_ref = [float(p["F_V"]) / (2 * ri) for p, ri in zip(data["points"], r, strict=True)]
    assert _rel(bodas_vector_integral(r), iv_ref).max() <= tol
    assert _rel(bodas_axial_integral(r), [p["F_A"] for p in data["points"]]).max() <= tol
    # the golden values (quadrature) and the closed forms agree far beyond double precision
    for p in data["points"]:
        fv, fa = closed_fv_fa(p["x"])
        with mp.workdps(40):
            assert abs(fv / mp.mpf(p["F_V"]) - 1) < 1e-28 and abs(fa / mp.mpf(p["F_A"]) - 1) < 1e-28


@pytest.mark.parametrize("x", [3e-4, 0.7, 1.9999, 2.0, 2.0003, 2.9999999, 30.00001, 4e4])
def test_live_mpmath_quad(x):
    """A few live 40-digit mpmath.quad integrations, also checking the mpmath closed forms used below."""
    fv_q, fa_q = quad_fv_fa(x)
    fv_c, fa_c = closed_fv_fa(x)
    with mp.workdps(40):
        assert abs(fv_c / fv_q - 1) < 1e-30 and abs(fa_c / fa_q - 1) < 1e-30
    assert _rel(f_v(x), [fv_q]).max() <= TOL
    assert _rel(f_a(x), [fa_q]).max() <= TOL


_GRID = np.concatenate(
    [
        np.geomspace(1e-4, 1e5, 201),
        2.0 + np.concatenate([-np.geomspace(1e-14, 0.3, 30), [0.0], np.geomspace(1e-14, 0.3, 30)]),
        np.nextafter([3.0, 3.0, 30.0, 30.0], [0.0, 9.0, 0.0, 99.0]),
    ]
)


def test_mpmath_grid_and_near_r_quarter():
    """≥ 200-point log grid 1e-4..1e5, 61 points around x = 2 (r = 1/4) and the branch switch points."""
    ref = [closed_fv_fa(x) for x in _GRID]
    err_v = _rel(f_v(_GRID), [v for v, _ in ref])
    err_a = _rel(f_a(_GRID), [a for _, a in ref])
    assert err_v.max() <= TOL, _GRID[err_v.argmax()]
    assert err_a.max() <= TOL, _GRID[err_a.argmax()]
    r = 1.0 / _GRID**2
    iv_ref = [v / (2 * mp.mpf(ri)) for (v, _), ri in zip(ref, r, strict=True)]
    assert _rel(bodas_vector_integral(r), iv_ref).max() <= TOL
    assert _rel(bodas_axial_integral(r), [a for _, a in ref]).max() <= TOL


def test_series_coefficients_exact():
    """T_V, T_A Taylor coefficients (derived with sympy) and the absence of pole terms."""
    from fractions import Fraction as F

    tv, ta = g2._series_coefficients(6)
    assert tv == [F(0), F(2, 3), F(17, 6), F(11, 15), F(-1, 5), F(3, 35)]
    assert ta == [F(5, 3), F(19, 12), F(-1, 30), F(-89, 60), F(-12, 35), F(5, 56)]


def test_bodas_integrals_identity_and_endpoints():
    """Bodas Eq. (7) integrals: I_V(r) = F_V(x)/(2r), I_A(r) = F_A(x) with r = 1/x²; r = 0 limits."""
    x = np.geomspace(1e-3, 1e4, 57)
    r = 1.0 / x**2
    np.testing.assert_allclose(bodas_vector_integral(r), f_v(x) / (2 * r), rtol=1e-13)
    np.testing.assert_allclose(bodas_axial_integral(r), f_a(x), rtol=1e-13)
    assert bodas_vector_integral(0.0) == pytest.approx(1 / 3, rel=1e-15)
    assert bodas_axial_integral(0.0) == pytest.approx(5 / 3, rel=1e-15)
    # direct mpmath integral of the Bodas form at r = 1/4 (denominator (1 − t/2)²) and r = 0.01
    for rr in (0.25, 0.01):
        with mp.workdps(40):
            r_m = mp.mpf(rr)
            iv = mp.quad(lambda t, r_m=r_m: t**2 * (1 - t) / (1 - t + r_m * t**2), [0, 1])
            ia = mp.quad(
                lambda t, r_m=r_m: (t * (1 - t) * (4 - t) + 2 * r_m * t**3) / (1 - t + r_m * t**2), [0, 1]
            )
        assert _rel(bodas_vector_integral(rr), [iv]).max() <= TOL
        assert _rel(bodas_axial_integral(rr), [ia]).max() <= TOL


def test_extreme_inputs_are_finite():
    x = np.array([1e-300, 1e-120, 1e-20, 1e20, 1e150, 1e300])
    fv, fa = f_v(x), f_a(x)
    assert np.all(np.isfinite(fv)) and np.all(np.isfinite(fa))
    np.testing.assert_allclose(fv[:3], 1.0, rtol=1e-15)
    np.testing.assert_allclose(fv[3:5], 2 / (3 * x[3:5] ** 2), rtol=1e-15)
    np.testing.assert_allclose(fa, [1, 1, 1, 5 / 3, 5 / 3, 5 / 3], rtol=1e-15)


# ------------------------------------------------------------------------------------- physics
def test_limits_bodas_eq8():
    """Bodas Eq. (8): both limits are recovered, with the expected approach (≈ πx light, ≈ ln x/x² heavy)."""
    ml = M_E
    cv, ca = 3e-4, -2e-4
    for x in (1e3, 1e4, 1e5):
        for c in ((cv, 0.0), (0.0, ca), (cv, ca)):
            exact = delta_a_lepton(x * ml, *c, ml)
            heavy = delta_a_heavy_limit(x * ml, *c, ml)
            assert abs(exact / heavy - 1) < 6 * math.log(x) / x**2
    for x in (1e-3, 1e-4):
        ev = delta_a_lepton(x * ml, cv, 0.0, ml) / delta_a_light_limit(x * ml, cv, 0.0, ml) - 1
        # F_V = 1 − πx − x²(1 + 4 ln x) + O(x³)
        assert abs(ev + math.pi * x + x**2 * (1 + 4 * math.log(x))) < 7 * x**3
        ea = delta_a_lepton(x * ml, 0.0, ca, ml) / delta_a_light_limit(x * ml, 0.0, ca, ml) - 1
        assert 0 < ea < 2.5 * x**2 * abs(math.log(x))  # F_A = 1 + O(x² ln x)
        both = delta_a_lepton(x * ml, cv, ca, ml) / delta_a_light_limit(x * ml, cv, ca, ml) - 1
        assert abs(both) < 4 * x
    # the limits are not the exact result in between (a test that could fail)
    assert abs(delta_a_lepton(ml, cv, 0.0, ml) / delta_a_heavy_limit(ml, cv, 0.0, ml) - 1) > 0.5


def test_cadeddu_vector_form_equals_bodas():
    """C_V = e ε: Bodas Eq. (7) vector part = Cadeddu Eq. (8) (α/2π) ε² F_V (e² = 4πα)."""
    assert E_CHARGE**2 == pytest.approx(4 * math.pi * ALPHA, rel=1e-14)
    eps = np.array([1e-4, 3e-3])[:, None]
    mass = np.geomspace(1e-2, 1e4, 13)
    for lep in ("e", "mu", "tau"):
        ml = LEPTON_MASS_MEV[lep]
        bodas = delta_a_lepton(mass, E_CHARGE * eps, 0.0, ml)
        cadeddu = ALPHA / (2 * math.pi) * eps**2 * f_v(mass / ml)
        np.testing.assert_allclose(bodas, cadeddu, rtol=1e-13)
    # and the printed Bodas Eq. (7), m_l²/(4π² m²) C_V² I_V(r), with r = m_l²/m²
    r = (M_E / mass) ** 2
    printed = r / (4 * math.pi**2) * (E_CHARGE * 1e-4) ** 2 * bodas_vector_integral(r)
    np.testing.assert_allclose(delta_a_lepton(mass, E_CHARGE * 1e-4, 0.0, M_E), printed, rtol=1e-13)
    printed_a = -r / (4 * math.pi**2) * 2e-4**2 * bodas_axial_integral(r)
    np.testing.assert_allclose(delta_a_lepton(mass, 0.0, 2e-4, M_E), printed_a, rtol=1e-13)


def test_seed_axial_coupling_for_delta_ae():
    """Bodas Sec. 3.1.2: with C_Ve = 0, |C_Ae| ≳ 9e-6 (m_Z'/MeV) gives Δa_e = −8.7e-13 (within 10%)."""
    target = get_measurement("delta_a_e_cs", edition="2021").value
    assert target == pytest.approx(-8.7e-13)
    mass = np.array([20.0, 40.0, 100.0, 1000.0])
    per_unit = delta_a_lepton(mass, 0.0, 1.0, M_E)  # Δa for C_Ae = 1
    c_ae = np.sqrt(target / per_unit)
    coeff = c_ae / mass
    np.testing.assert_allclose(coeff, 9e-6, rtol=0.10)
    assert np.ptp(coeff) / coeff.mean() < 2e-3  # ∝ m_Z' for m ≫ m_e
    np.testing.assert_allclose(delta_a_lepton(mass, 0.0, c_ae, M_E), target, rtol=1e-12)


def test_bodas_eq15_axial_electron():
    """Bodas Eq. (15): Δa_e ≈ −5 m_e² C_Ae²/(12π² m²) for m ≫ m_e (and C_Ve ≪ C_Ae)."""
    mass = np.array([10.0, 40.0, 200.0, 1e3])
    c_ae = 1.3e-4
    eq15 = -5 * M_E**2 * c_ae**2 / (12 * math.pi**2 * mass**2)
    exact = delta_a_lepton(mass, 0.0, c_ae, M_E)
    rel = np.abs(exact / eq15 - 1)
    assert rel[0] < 0.05 and rel[-1] < 1e-5
    assert np.all(np.diff(rel) < 0)  # converges as m grows


@settings(max_examples=120, deadline=None)
@given(
    logx=st.floats(-4.0, 5.0),
    cv=st.floats(-1.0, 1.0, allow_subnormal=False),
    ca=st.floats(-1.0, 1.0, allow_subnormal=False),
    lam=st.floats(1e-6, 1e3),
)
def test_symmetries(logx, cv, ca, lam):
    """Δa ∝ C², even in C_V and C_A, vector part ≥ 0, axial part ≤ 0, the two parts add."""
    m = 10.0**logx * M_E
    d = delta_a_lepton(m, cv, ca, M_E)
    assert delta_a_lepton(m, -cv, ca, M_E) == d
    assert delta_a_lepton(m, cv, -ca, M_E) == d
    assert delta_a_lepton(m, lam * cv, lam * ca, M_E) == pytest.approx(lam**2 * d, rel=1e-12, abs=1e-300)
    dv = delta_a_lepton(m, cv, 0.0, M_E)
    da = delta_a_lepton(m, 0.0, ca, M_E)
    assert dv >= 0 and da <= 0
    assert d == pytest.approx(dv + da, rel=1e-12, abs=1e-14 * (abs(dv) + abs(da)))


@settings(max_examples=100, deadline=None)
@given(logx=st.floats(-4.0, 5.0), dlog=st.floats(1e-6, 0.5))
def test_loop_functions_bounded_and_monotone(logx, dlog):
    """0 < F_V ≤ 1 decreasing, 1 ≤ F_A ≤ 5/3 increasing in x (Cadeddu Eqs. (9), (11))."""
    x1, x2 = 10.0**logx, 10.0 ** (logx + dlog)
    v1, v2 = f_v([x1, x2])
    a1, a2 = f_a([x1, x2])
    assert 0 < v2 < v1 <= 1
    assert 1 <= a1 < a2 <= 5 / 3


# ------------------------------------------------------------------------------------- API
def test_delta_a_couplings_all_flavours():
    mass = np.geomspace(0.1, 1e4, 9)[:, None]
    c = Couplings(
        mass_mev=mass,
        c_ve=1e-4,
        c_ae=np.array([1e-4, -2e-4]),
        c_vmu=3e-4,
        c_amu=1e-5,
        c_vtau=2e-3,
        c_atau=0.0,
        c_nue=1e-6,
    )
    assert c.shape == (9, 2)
    for f in ("e", "mu", "tau"):
        got = delta_a(c, f)
        assert got.shape == c.shape
        want = [
            [
                delta_a_lepton(
                    float(m),
                    float(np.broadcast_to(c.cv(f), c.shape)[i, j]),
                    float(np.broadcast_to(c.ca(f), c.shape)[i, j]),
                    LEPTON_MASS_MEV[f],
                )
                for j in range(2)
            ]
            for i, m in enumerate(mass[:, 0])
        ]
        np.testing.assert_allclose(got, want, rtol=1e-14)
    assert np.all(delta_a(c, "tau") > 0)  # vector only
    assert np.all(delta_a(c.replace(c_amu=0.0), "mu") > 0)
    assert delta_a(c, "mu")[0, 0] < 0  # the axial term wins at 0.1 MeV
    with pytest.raises(InputError) as exc:
        delta_a(c, "nu")
    assert exc.value.parameter == "flavour"


def test_broadcasting_and_paths_agree():
    rng = np.random.default_rng(3)
    n = 3 * g2.BLOCK + 17  # several cache blocks
    mass = 10.0 ** rng.uniform(-3, 5, n)
    cv, ca = rng.uniform(-1e-3, 1e-3, (2, n))
    fused = delta_a_lepton(mass, cv, ca, M_E)  # one mass per point: blocked, fused path
    x = mass / M_E
    generic = cv**2 * f_v(x) / (8 * np.pi**2) - ca**2 * f_a(x) / (4 * np.pi**2 * x**2)
    scale = (cv**2 + ca**2 / x**2) / (4 * np.pi**2)  # the two terms can cancel: compare on their size
    assert np.max(np.abs(fused - generic) / scale) < 1e-14
    # fewer masses than points: loop functions once per mass, numpy broadcasting
    out = delta_a_lepton(mass[:5, None], cv[None, :7], ca[None, :7], M_E)
    assert out.shape == (5, 7)
    np.testing.assert_allclose(
        out,
        delta_a_lepton(
            np.repeat(mass[:5, None], 7, 1), np.tile(cv[:7], (5, 1)), np.tile(ca[:7], (5, 1)), M_E
        ),
        rtol=1e-15,
    )
    assert isinstance(delta_a_lepton(10.0, 1e-3, 0.0, M_E), float)
    assert f_v(np.ones((2, 3))).shape == (2, 3)
    assert f_a(np.array([])).shape == (0,)


@pytest.mark.parametrize("bad", [0.0, -1.0, np.nan, np.inf, [1.0, -2.0], "10"])
def test_input_validation_mass(bad):
    with pytest.raises(InputError) as exc:
        delta_a_lepton(bad, 1e-3, 1e-3, M_E)
    assert exc.value.parameter == "mass_mev"
    assert "positive and finite" in str(exc.value) or "number" in str(exc.value)


def test_input_validation_other_parameters():
    cases = [
        (lambda: f_v(0.0), "x"),
        (lambda: f_a([1.0, np.nan]), "x"),
        (lambda: f_v(np.inf), "x"),
        (lambda: bodas_vector_integral(-1e-3), "r"),
        (lambda: bodas_axial_integral(np.inf), "r"),
        (lambda: delta_a_lepton(1.0, np.nan, 0.0, M_E), "cv"),
        (lambda: delta_a_lepton(1.0, 0.0, np.inf, M_E), "ca"),
        (lambda: delta_a_lepton(1.0, 0.0, 0.0, 0.0), "lepton_mass_mev"),
        (lambda: delta_a_heavy_limit(-1.0, 0.0, 0.0, M_E), "mass_mev"),
        (lambda: delta_a_light_limit(np.nan, 0.0, 0.0, M_E), "mass_mev"),
    ]
    for call, name in cases:
        with pytest.raises(InputError) as exc:
            call()
        assert exc.value.parameter == name


if __name__ == "__main__":
    if "--regenerate-golden" in sys.argv:
        regenerate_golden()
        print(f"wrote {GOLDEN}")

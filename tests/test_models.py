"""UV model classes -> effective couplings (SPEC §5; Bodas et al. Sec. 4, Eqs. (18)-(33), Sec. 5)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import zprime.physics.models as zm
from zprime.core.constants import E_CHARGE, M_E, M_Z
from zprime.core.couplings import COUPLING_FIELDS, Couplings
from zprime.core.errors import DataFileError, InputError
from zprime.physics.models import registry
from zprime.physics.models.b_minus_l import BminusL
from zprime.physics.models.charges import ChargedU1Model, define
from zprime.physics.models.lmu_ltau import LmuLtau
from zprime.physics.models.nhdm_u1 import nhdm_couplings
from zprime.physics.models.u1 import SW2, tree_couplings
from zprime.physics.observables.g2 import delta_a

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "my_u1_model.yaml"
FL = ("e", "mu", "tau")
CW2 = 1.0 - SW2
G1 = E_CHARGE / math.sqrt(CW2)  # hypercharge coupling, computed here independently of the package
GZ = E_CHARGE / math.sqrt(SW2 * CW2)

charge = st.floats(-3.0, 3.0, allow_nan=False, allow_subnormal=False)
mag = st.floats(1e-7, 1e-3)
sign = st.sampled_from((-1.0, 1.0))
small_mass = st.floats(1.0, 100.0)
mass = st.floats(1.0, 1000.0)
FAST = settings(max_examples=25, deadline=None)


def g_tilde(eps: float) -> float:
    """Bodas Eq. (19): g̃ = −g₁ε/√(1−ε²)."""
    return -G1 * eps / math.sqrt(1.0 - eps**2)


def lo_tolerance(scale: float, m: float) -> float:
    """Size of the terms beyond leading order: O(scale·[(scale/g_Z)² + m²/m_Z²]), plus roundoff."""
    return scale * (2 * (scale / GZ) ** 2 + 2 * m**2 / M_Z**2 + 1e-12) + 1e-300


def combo(c: Couplings, fl: str) -> np.ndarray:
    """C_Vα − C_Aα − C_να (Bodas Eq. (33))."""
    return c.cv(fl) - c.ca(fl) - c.cnu(fl)


# ------------------------------------------------------------------------------------------ registry
EXPECTED = {
    "sm_u1",
    "nhdm_u1",
    "froggatt_nielsen",
    "dark_photon",
    "lmu_ltau",
    "b_minus_l",
    "le_lmu",
    "le_ltau",
    "b_boson",
    "protophobic",
    "axial",
    "chiral",
    "generic",
}


def _sample(p, n: int, rng: np.random.Generator) -> np.ndarray:
    lo, hi = p.search_range or (p.lo, p.hi)
    x = (
        np.exp(rng.uniform(math.log(lo), math.log(hi), n))
        if p.scale in ("log", "symlog")
        else rng.uniform(lo, hi, n)
    )
    return x * rng.choice((-1.0, 1.0), n) if p.scale == "symlog" else x


def test_registry_has_all_models_with_sane_parameters():
    assert EXPECTED <= set(zm.names())
    for name in EXPECTED:
        m = zm.get(name)
        names = [p.name for p in m.parameters]
        assert names[0] == "mass_mev" and len(set(names)) == len(names)
        for p in m.parameters:
            assert p.scale in ("lin", "log", "symlog") and 0 < p.lo < p.hi
            if p.search_range is not None:
                assert p.lo <= p.search_range[0] < p.search_range[1] <= p.hi, (name, p.name)
        mp = m.parameter("mass_mev")
        assert mp.scale == "log" and mp.search_range == (1.0, 1000.0)
    assert len(zm.get("generic").parameters) == 10


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_vectorised(name):
    """Arrays of parameters -> arrays of couplings, equal to point-by-point evaluation; broadcasting."""
    m = zm.get(name)
    rng = np.random.default_rng(1)
    pts = {p.name: _sample(p, 6, rng) for p in m.parameters}
    c = m.couplings(**pts)
    assert c.shape == (6,)
    for i in (0, 4):
        ci = m.couplings(**{k: v[i] for k, v in pts.items()})
        for f in COUPLING_FIELDS:
            assert np.isclose(getattr(c.broadcast(), f)[i], getattr(ci, f), rtol=1e-12, atol=0), (name, f)
    grid = {k: (v[:, None] if k == "mass_mev" else v[None, :4]) for k, v in pts.items()}
    assert m.couplings(**grid).shape == (6, 4)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_range_errors_name_the_parameter(name):
    m = zm.get(name)
    ok = {p.name: (p.search_range or (p.lo, p.hi))[0] for p in m.parameters}
    for p in m.parameters:
        bad = dict(ok, **{p.name: 10 * p.hi})
        with pytest.raises(InputError, match="allowed") as exc:
            m.couplings(**bad)
        assert exc.value.parameter == p.name
    with pytest.raises(InputError) as exc:
        m.couplings(**dict(ok, bogus=1.0))
    assert exc.value.parameter == "bogus"
    required = [p.name for p in m.parameters if p.name not in m.defaults]
    missing = dict(ok)
    missing.pop(required[-1])
    with pytest.raises(InputError) as exc:
        m.couplings(**missing)
    assert exc.value.parameter == required[-1]
    with pytest.raises(InputError) as exc:
        m.couplings(**dict(ok, mass_mev=0.0))
    assert exc.value.parameter == "mass_mev"


# ------------------------------------------------------------------------------------------ SM+U(1)'
@FAST
@given(
    zh=charge,
    zl=st.tuples(charge, charge, charge),
    zq=charge,
    g=mag,
    s=sign,
    eps=st.floats(-1e-3, 1e-3),
    m=mass,
)
def test_sm_u1_axial_vanishes_with_gauge_invariant_yukawas(zh, zl, zq, g, s, eps, m):
    """Eq. (24) with z_R = z_L − z_H: C_A = 0 at leading order; exactly (u/4)c_φ m²/(m_Z² − m²)."""
    model = define("t_sm", z_H=zh, z_L=dict(zip(FL, zl, strict=True)), quarks={"Q": zq})
    c = model.couplings(mass_mev=m, g_prime=s * g, eps=eps)
    u = g_tilde(eps) + 2 * s * g * zh
    scale = abs(g_tilde(eps)) + g * (abs(zh) + abs(zq) + sum(map(abs, zl)))
    roundoff = 1e-15 * scale  # C_A = (g_R − g_L)/2 cancels between couplings of size ~scale
    bound = abs(u) / 4 * m**2 / (M_Z**2 - m**2) + roundoff + 1e-300
    for fl in FL:
        assert abs(c.ca(fl)) <= bound
        assert abs(c.ca(fl)) <= 1e-4 * scale + 1e-300  # negligible against the other couplings
        tan_phi = -(u / GZ) * M_Z**2 / (M_Z**2 - m**2)
        exact = u / 4 * m**2 / (M_Z**2 - m**2) / math.sqrt(1 + tan_phi**2)
        np.testing.assert_allclose(c.ca(fl), exact, rtol=1e-9, atol=roundoff)
    # quark Yukawas gauge invariant too (z_u = z_Q + z_H, z_d = z_Q − z_H): C_Aq ≃ 0 as well
    assert abs(c.c_au) <= 2 * bound + 1e-300 and abs(c.c_ad) <= 2 * bound + 1e-300


@FAST
@given(zh=charge, zl=charge, zr=charge, g=mag, s=sign, eps=st.floats(-1e-3, 1e-3), m=small_mass)
def test_leading_order_matches_eqs_23_24_32(zh, zl, zr, g, s, eps, m):
    """Printed Eqs. (23), (24), (32) (C_ν = g′(z_H + z_L)) at leading order, any charges (flavon allowed)."""
    gp = s * g
    c = define("t_lo", z_H=zh, z_L={"e": zl}, z_R={"e": zr}).couplings(mass_mev=m, g_prime=gp, eps=eps)
    gt = g_tilde(eps)
    cv = -gt * CW2 + gp / 2 * (zh * (4 * SW2 - 1) + zl + zr)
    ca = gp / 2 * (zh + zr - zl)
    cnu = gp * (zh + zl)
    scale = abs(gt) + g * (abs(zh) + abs(zl) + abs(zr))
    tol = lo_tolerance(scale, m)
    assert abs(c.c_ve - cv) <= tol and abs(c.c_ae - ca) <= tol and abs(c.c_nue - cnu) <= tol


@FAST
@given(zh=charge, zl=st.tuples(charge, charge, charge), g=mag, s=sign, eps=st.floats(-1e-3, 1e-3), m=mass)
def test_sm_u1_parametrisation_absorbs_higgs_charge(zh, zl, g, s, eps, m):
    """sm_u1 (z_H = 0 basis): (g̃, g′z_H, g′z_L) ≡ (g̃ + 2g′z_H, 0, g′(z_L + z_H)) for every lepton coupling."""
    gp = s * g
    full = define("t_full", z_H=zh, z_L=dict(zip(FL, zl, strict=True))).couplings(
        mass_mev=m, g_prime=gp, eps=eps
    )
    red = zm.get("sm_u1").couplings(
        mass_mev=m,
        g_tilde=g_tilde(eps) + 2 * gp * zh,
        **{f"gz_l{f}": gp * (z + zh) for f, z in zip(FL, zl, strict=True)},
    )
    scale = abs(g_tilde(eps)) + g * (abs(zh) + sum(map(abs, zl)))
    for f in COUPLING_FIELDS[:9]:
        np.testing.assert_allclose(getattr(red, f), getattr(full, f), rtol=0, atol=1e-12 * scale + 1e-300)


@FAST
@given(kappa=charge, zh=charge, zl=charge, zr=charge, zq=charge, zu=charge, zd=charge, g=mag, gt=mag, m=mass)
def test_hypercharge_shift_is_a_field_redefinition(kappa, zh, zl, zr, zq, zu, zd, g, gt, m):
    """z → z + κY with g̃ → g̃ − κg′ leaves every coupling unchanged (basis of the class parametrisations)."""
    kw = dict(
        gz_higgs=(g * zh,),
        vev_fractions=(1.0,),
        gz_l=(g * zl, 0.0, 0.0),
        gz_r=(g * zr, 0.0, 0.0),
        gz_q=g * zq,
        gz_u=g * zu,
        gz_d=g * zd,
    )
    a = tree_couplings(m, gt, **kw)
    k = kappa * g
    b = tree_couplings(
        m,
        gt - k,
        gz_higgs=(g * zh + k / 2,),
        vev_fractions=(1.0,),
        gz_l=(g * zl - k / 2, -k / 2, -k / 2),
        gz_r=(g * zr - k, -k, -k),
        gz_q=g * zq + k / 6,
        gz_u=g * zu + 2 * k / 3,
        gz_d=g * zd - k / 3,
    )
    scale = gt + g * 20
    for f in COUPLING_FIELDS:
        np.testing.assert_allclose(getattr(b, f), getattr(a, f), rtol=0, atol=1e-12 * scale + 1e-300)


# ------------------------------------------------------------------------------------------ NHDM
@FAST
@given(
    z=st.tuples(charge, charge, charge),
    w=st.tuples(*[st.floats(0.05, 1.0)] * 3),
    zl=st.tuples(charge, charge, charge),
    lep=st.integers(0, 2),
    g=mag,
    gt=st.floats(-1e-3, 1e-3),
    m=mass,
)
def test_nhdm_eq30_and_universal_axial(z, w, zl, lep, g, gt, m):
    """Eq. (30) C_Ve − C_Vμ = C_νe − C_νμ (exact), C_A flavour universal, C_A ≃ (g′/2)(z̄ − z_ℓ) (Eq. (28))."""
    wn = np.array(w) / sum(w)
    wn[-1] = 1.0 - wn[:-1].sum()
    c = nhdm_couplings(m, gt, [g * x for x in z], list(wn), [g * x for x in zl], lepton_doublet=lep)
    scale = abs(gt) + 10 * g
    np.testing.assert_allclose(c.c_ve - c.c_vmu, c.c_nue - c.c_numu, rtol=0, atol=1e-13 * scale + 1e-300)
    np.testing.assert_allclose(c.c_vmu - c.c_vtau, c.c_numu - c.c_nutau, rtol=0, atol=1e-13 * scale + 1e-300)
    np.testing.assert_allclose([c.c_amu, c.c_atau], [c.c_ae, c.c_ae], rtol=0, atol=1e-13 * scale + 1e-300)
    zbar = float(np.dot(wn, z))
    assert abs(c.c_ae - g / 2 * (zbar - z[lep])) <= 1e-3 * scale


@FAST
@given(
    z1=charge,
    z2=charge,
    zl=charge,
    tb=st.floats(0.05, 20.0),
    g=mag,
    s=sign,
    gt=st.floats(-1e-3, 1e-3),
    m=small_mass,
)
def test_nhdm_leading_order_eqs_27_29(z1, z2, zl, tb, g, s, gt, m):
    """Printed Eqs. (27), (28), and (29) with z_H as in Eq. (26) (SPEC Checked), for the 2HDM."""
    gp = s * g
    cb2 = 1.0 / (1.0 + tb * tb)
    sb2 = 1.0 - cb2
    c = nhdm_couplings(m, gt, [gp * z1, gp * z2], [cb2, sb2], [gp * zl, 0.0, 0.0], lepton_doublet=1)
    cv = zl * gp - CW2 * gt - gp / 2 * ((1 - 4 * SW2) * cb2 * z1 + (1 + sb2 - 4 * SW2 * sb2) * z2)
    ca = (z1 - z2) / 2 * cb2 * gp
    zh26 = (gt / gp + 2 * z1) * cb2 + (gt / gp + 2 * z2) * sb2  # z_H of Eq. (26)
    cnu = -gt / 2 + gp * (zl + zh26 / 2)
    tol = lo_tolerance(abs(gt) + g * (abs(z1) + abs(z2) + abs(zl)), m)
    assert abs(c.c_ve - cv) <= tol and abs(c.c_ae - ca) <= tol and abs(c.c_nue - cnu) <= tol


def test_eq29_needs_z_h_of_eq26():
    """With the plain vev-weighted Higgs charge in Eq. (29), C_ν is wrong whenever g̃ + g′z̄ ≠ 0."""
    gp, gt, z1, z2, zl = 1e-4, 3e-5, 1.0, 0.0, 0.5  # tan β = 1: vev fractions 1/2, 1/2
    c = nhdm_couplings(20.0, gt, [gp * z1, gp * z2], [0.5, 0.5], [gp * zl, 0, 0], lepton_doublet=1)
    plain = -gt / 2 + gp * (zl + (0.5 * z1 + 0.5 * z2) / 2)
    right = gp * (zl + 0.5 * z1 + 0.5 * z2)
    assert c.c_nue == pytest.approx(right, rel=1e-6)
    assert abs(c.c_nue - plain) > 0.1 * abs(right)


def test_nhdm_model_and_physicality():
    """nhdm_u1: C_A = c_β² g′(z₁ − z₂)/2; the doublet vevs must not make the Z′ heavier than m_Z′."""
    m = zm.get("nhdm_u1")
    base = dict(mass_mev=20.0, g_tilde=0.0, gz_le=1e-5, gz_lmu=1e-5, gz_ltau=0.0)
    ca = 2e-4
    for tb in (1.0, 0.05):
        x1 = 2 * ca * (1 + tb * tb)
        c = m.couplings(tan_beta=tb, gz_1=x1, **base)
        assert c.c_ae == pytest.approx(ca, rel=1e-5) and c.c_amu == pytest.approx(c.c_ae, rel=1e-12)
    # v g'|z1 - z2| s_b c_b ≈ 98 MeV > 20 MeV at tan β = 1 (unphysical), ≈ 5 MeV at tan β = 0.05
    assert not m.physical(tan_beta=1.0, gz_1=2 * ca * 2, **base)
    assert m.physical(tan_beta=0.05, gz_1=2 * ca * (1 + 0.05**2), **base)
    tb = np.array([0.05, 1.0])
    assert m.physical(tan_beta=tb, gz_1=2 * ca * (1 + tb**2), **base).tolist() == [True, False]


@FAST
@given(zh=charge, zl=charge, g=mag, eps=st.floats(-1e-3, 1e-3), m=mass)
def test_single_doublet_always_physical(zh, zl, g, eps, m):
    model = define("t_phys", z_H=zh, z_L={"e": zl})
    assert model.singlet_mass_term(mass_mev=m, g_prime=g, eps=eps) >= m * m * (1 - 1e-9)


# ------------------------------------------------------------------------------------------ FN
@FAST
@given(
    zl=st.tuples(charge, charge, charge),
    n=st.tuples(charge, charge, charge),
    g=mag,
    s=sign,
    gt=st.floats(-1e-3, 1e-3),
    m=mass,
)
def test_froggatt_nielsen_eq33(zl, n, g, s, gt, m):
    """Eq. (33) C_Ve − C_Ae − C_νe = C_Vμ − C_Aμ − C_νμ (exact); C_Aα ≃ −g′n_α/2 is not universal."""
    gp = s * g
    p = {f"gz_l{f}": gp * z for f, z in zip(FL, zl, strict=True)}
    p |= {f"gn_{f}": gp * k for f, k in zip(FL, n, strict=True)}
    c = zm.get("froggatt_nielsen").couplings(mass_mev=m, g_tilde=gt, **p)
    scale = abs(gt) + 20 * g
    np.testing.assert_allclose(combo(c, "e"), combo(c, "mu"), rtol=0, atol=1e-13 * scale + 1e-300)
    np.testing.assert_allclose(combo(c, "e"), combo(c, "tau"), rtol=0, atol=1e-13 * scale + 1e-300)
    for f, k in zip(FL, n, strict=True):
        assert abs(c.ca(f) + gp * k / 2) <= 1e-3 * scale


# ------------------------------------------------------------------------------------------ all classes
@FAST
@given(
    z=st.tuples(charge, charge),
    w1=st.floats(0.05, 0.95),
    lep=st.integers(0, 1),
    zl=st.tuples(charge, charge, charge),
    zr=st.tuples(charge, charge, charge),
    g=mag,
    s=sign,
    eps=st.floats(-1e-3, 1e-3),
    m=st.floats(1.0, 1000.0),
)
def test_exact_flavour_independent_combination(z, w1, lep, zl, zr, g, s, eps, m):
    """SPEC Checked: C_Vα − C_Aα − C_να = −c_w²(g̃ + 2g′z̄) for every flavour (exactly flavour independent),
    for the most general charges (two doublets and flavons): covers SM+U(1)′, NHDM and FN."""
    gp = s * g
    spec = {
        "higgs_doublets": [{"z": z[0], "vev_fraction": w1}, {"z": z[1], "vev_fraction": 1 - w1}],
        "yukawa_doublet": lep,
        "z_L": dict(zip(FL, zl, strict=True)),
        "z_R": dict(zip(FL, zr, strict=True)),
    }
    c = define("t_all", **spec).couplings(mass_mev=m, g_prime=gp, eps=eps)
    scale = abs(g_tilde(eps)) + 20 * g
    for f in ("mu", "tau"):
        np.testing.assert_allclose(combo(c, f), combo(c, "e"), rtol=0, atol=1e-13 * scale + 1e-300)
    zbar = w1 * z[0] + (1 - w1) * z[1]
    lo = -CW2 * (g_tilde(eps) + 2 * gp * zbar)
    assert abs(combo(c, "e") - lo) <= lo_tolerance(abs(lo) / CW2, m) + 1e-13 * scale


@pytest.mark.parametrize("name", ["sm_u1", "nhdm_u1", "froggatt_nielsen"])
def test_class_models_combination(name):
    """The registered class models obey Eq. (33) exactly at random points of their search space."""
    m = zm.get(name)
    pts = {p.name: _sample(p, 50, np.random.default_rng(7)) for p in m.parameters}
    c = m.couplings(**pts)
    scale = np.max(np.abs([getattr(c.broadcast(), f) for f in COUPLING_FIELDS[:9]]), axis=0)
    for f in ("mu", "tau"):
        assert np.all(np.abs(combo(c, f) - combo(c, "e")) <= 1e-12 * scale)
    if name == "sm_u1":
        assert np.all(np.abs(c.c_ae) <= 1e-3 * scale)


# ------------------------------------------------------------------------------------------ simple U(1)s
def test_dark_photon_couplings_and_g2():
    m = np.geomspace(1.01 * M_E, 1000.0, 60)
    eps = 1e-3
    c = zm.get("dark_photon").couplings(mass_mev=m, eps=eps)
    b = c.broadcast()
    for f in FL:
        assert np.all(b.ca(f) == 0) and np.all(b.cnu(f) == 0)
        np.testing.assert_allclose(b.cv(f), -eps * E_CHARGE, rtol=1e-14)
    np.testing.assert_allclose(b.c_vu, 2 / 3 * eps * E_CHARGE, rtol=1e-14)
    np.testing.assert_allclose(b.c_vd, -1 / 3 * eps * E_CHARGE, rtol=1e-14)
    assert np.all(b.c_au == 0) and np.all(b.c_ad == 0)
    for f in ("e", "mu"):
        assert np.all(delta_a(c, f) > 0)
    # vector-only: Δa_e → C_V²/(12π²)·(m_e/m)² for a heavy Z' (Bodas Eq. (8))
    heavy = zm.get("dark_photon").couplings(mass_mev=1000.0, eps=eps)
    heavy_limit = (eps * E_CHARGE) ** 2 / (12 * math.pi**2) * (M_E / 1000.0) ** 2
    assert delta_a(heavy, "e") == pytest.approx(heavy_limit, rel=1e-3)


def test_dark_photon_is_the_kinetic_mixing_limit():
    """Charges all zero + hypercharge mixing ε_Y ≡ dark photon with ε = −c_w ε_Y (up to m²/m_Z²)."""
    eps_y, m = 2e-4, np.array([1.0, 17.0, 100.0])
    c = define("t_kin").couplings(mass_mev=m, g_prime=0.0, eps=eps_y)
    dp = zm.get("dark_photon").couplings(mass_mev=m, eps=-math.sqrt(CW2) * eps_y).broadcast()
    for f in ("c_ve", "c_vmu", "c_vtau", "c_vu", "c_vd"):
        np.testing.assert_allclose(getattr(c, f), getattr(dp, f), rtol=1e-6)
    for f in ("c_ae", "c_nue", "c_au", "c_ad"):
        assert np.all(np.abs(getattr(c, f)) <= 1e-5 * abs(c.c_ve))


def test_lmu_ltau_values():
    g, eps = 5e-4, 1e-5
    c = zm.get("lmu_ltau").couplings(mass_mev=[10.0, 50.0], g_prime=g, eps=0.0).broadcast()
    assert np.all(c.c_vmu == g) and np.all(c.c_vtau == -g)
    assert np.all(c.c_numu == g) and np.all(c.c_nutau == -g)
    for f in ("c_ve", "c_nue", "c_ae", "c_amu", "c_atau", "c_vu", "c_vd", "c_au", "c_ad"):
        assert np.all(getattr(c, f) == 0), f
    k = zm.get("lmu_ltau").couplings(mass_mev=20.0, g_prime=g, eps=eps)
    assert k.c_ve == pytest.approx(-eps * E_CHARGE) and k.c_vmu == pytest.approx(g - eps * E_CHARGE)
    assert k.c_numu == g and k.c_nue == 0 and k.c_vu == pytest.approx(2 / 3 * eps * E_CHARGE)
    assert [p.name for p in LmuLtau(kinetic_mixing=False).parameters] == ["mass_mev", "g_prime"]


def test_b_minus_l_and_le_lmu_values():
    g = -3e-4
    c = zm.get("b_minus_l").couplings(mass_mev=30.0, g_prime=g, eps=0.0)
    for f in FL:
        assert c.cv(f) == -g and c.cnu(f) == -g and c.ca(f) == 0
    assert c.c_vu == pytest.approx(g / 3) and c.c_vd == pytest.approx(g / 3) and c.c_au == 0 and c.c_ad == 0
    # the same from the charges machinery (no Higgs charge: no Z–Z′ mixing, exact agreement)
    bl = define("t_bl", z_L={f: -1 for f in FL}, quarks={"Q": "1/3"}, kinetic_mixing=False)
    assert bl.couplings(mass_mev=30.0, g_prime=g) == BminusL(kinetic_mixing=False).couplings(
        mass_mev=30.0, g_prime=g
    )
    d = zm.get("le_lmu").couplings(mass_mev=30.0, g_prime=g, eps=0.0)
    assert (d.c_ve, d.c_vmu, d.c_vtau, d.c_nue, d.c_numu, d.c_nutau) == (g, -g, 0, g, -g, 0)


def test_generic_passes_couplings_through():
    vals = dict(
        c_ve=1e-5,
        c_ae=-2e-4,
        c_vmu=5e-4,
        c_amu=1e-4,
        c_vtau=0.0,
        c_atau=3e-3,
        c_nue=-1e-6,
        c_numu=2e-6,
        c_nutau=0.0,
    )
    c = zm.get("generic").couplings(mass_mev=25.0, **vals)
    assert c == Couplings(mass_mev=25.0, **vals)


# ------------------------------------------------------------------------------------------ user models
def test_example_yaml_loads_and_registers():
    model = ChargedU1Model.from_yaml(EXAMPLE, register=True, replace=True)
    try:
        assert zm.get(model.name) is model and model.name in zm.names()
        g = 1e-4
        c = model.couplings(mass_mev=20.0, g_prime=g, eps=0.0)
        assert c.c_vmu == pytest.approx(-3 * g) and c.c_numu == pytest.approx(-3 * g)
        assert c.c_vu == pytest.approx(g / 3) and c.c_vd == pytest.approx(g / 3)
        assert c.c_ve == 0 and c.c_amu == 0
        assert model.parameter("g_prime").search_range == (1e-7, 1e-2)
        with pytest.raises(InputError, match="exists"):
            ChargedU1Model.from_yaml(EXAMPLE, register=True)
    finally:
        registry.unregister(model.name)


def test_define_in_python_and_flavon():
    m = define("t_fn", z_L={"e": 1}, flavon_n={"e": 2})
    assert m.spec.right_charges()[0] == -1.0 and m.spec.implied_flavon_n()[0] == 2.0
    c = m.couplings(mass_mev=20.0, g_prime=1e-4, eps=0.0)
    assert c.c_ae == pytest.approx(-1e-4, rel=1e-6)  # C_A = −g′n/2


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("name: x\nz_L: {muon: 1}\n", "z_L.muon"),
        ("name: x\nz_L: {mu: abc}\n", "z_L.mu"),
        ("name: x\nz_L: {e: 1}\nz_R: {e: 1}\nflavon_n: {e: 1}\n", "flavon_n.e"),
        ("name: x\nhiggs_doublets: [{z: 1, vev_fraction: 0.3}]\n", "higgs_doublets"),
        ("name: x\nz_H: 1\nhiggs_doublets: [{z: 1, vev_fraction: 1}]\n", "z_H"),
        ("name: x\nyukawa_doublet: 3\n", "yukawa_doublet"),
        ("z_L: {e: 1}\n", "name"),
        ("name: x\nparameters: {g_prime: {hi: -1}}\n", "parameters.g_prime.hi"),
    ],
)
def test_yaml_errors_name_file_and_field(tmp_path, text, field):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(DataFileError) as exc:
        ChargedU1Model.from_yaml(path)
    assert exc.value.field == field and str(path) in str(exc.value)


def test_yaml_unreadable_or_invalid(tmp_path):
    with pytest.raises(DataFileError, match="cannot read"):
        ChargedU1Model.from_yaml(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(DataFileError, match="YAML"):
        ChargedU1Model.from_yaml(bad)
    bad.write_text("- 1\n- 2\n")
    with pytest.raises(DataFileError, match="mapping"):
        ChargedU1Model.from_yaml(bad)
    with pytest.raises(InputError) as exc:
        ChargedU1Model.from_dict({"name": "x", "z_L": {"tau": None}})
    assert exc.value.parameter == "z_L.tau"

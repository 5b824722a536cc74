"""zprime.analyses.limits: excluded bands of a model's coupling, against the published curves and g−2."""

import json

import numpy as np
import pytest

from zprime.analyses import limits as L
from zprime.core.errors import InputError
from zprime.core.measurements import load_edition
from zprime.physics import recast
from zprime.physics.observables.g2 import delta_a


@pytest.fixture(scope="module")
def dark_photon():
    return L.limits("dark_photon", edition="2025")


@pytest.fixture(scope="module")
def bl():
    return L.limits("b_minus_l", edition="2025")


def test_dark_photon_recast_returns_the_published_curve(dark_photon):
    # a dark photon is the reference model of every prompt visible search: the recast is the curve itself
    for name in ("babar_2014", "na48_2", "a1", "kloe_2015"):
        c = dark_photon[name]
        cv = recast.search(name).curve
        ref = cv.eps_lower_at(c.mass_mev)
        ok = np.isfinite(ref) & np.isfinite(c.lower)
        assert ok.mean() > 0.9
        rel = np.abs(c.lower[ok] / ref[ok] - 1)
        assert np.median(rel) < 1e-4 and rel.max() < 2e-2  # the largest differences sit at 2 m_mu


def test_masses_never_outside_a_curves_range(bl):
    for c in bl.curves:
        k = __import__("zprime.physics.constraints", fromlist=["get"]).get(c.name)
        lo, hi = k.mass_range_mev
        assert c.mass_mev.min() >= lo and c.mass_mev.max() <= hi
        assert 1.0 <= c.mass_mev.min() and c.mass_mev.max() <= 1e4


def test_generic_bisection_agrees_with_the_recast_engine(bl):
    # the same curves solved from the constraint verdicts (no direction given to the engine)
    from zprime.physics.constraints import EvalOptions, Status, get
    from zprime.physics.models import registry

    mdl = registry.get("b_minus_l")
    g = np.geomspace(1e-9, 1.0, 73)
    for name in ("babar_2014", "e137", "na64_2019_invisible"):
        c = bl[name]
        m = c.mass_mev[:: max(1, c.mass_mev.size // 40)]
        k = get(name)

        def excl(mm, gg, k=k):
            cc = mdl.couplings(mass_mev=mm, g_prime=gg, eps=0.0)
            return k.evaluate(cc, EvalOptions(edition="2025")).status == Status.EXCLUDED

        lo, hi = L.first_band(excl, m, g)
        ref_lo = np.interp(m, c.mass_mev, c.lower)
        both = np.isfinite(lo) & np.isfinite(ref_lo)
        assert both.sum() > 5
        np.testing.assert_allclose(lo[both], ref_lo[both], rtol=1e-4)
        if name == "e137":  # a closed beam-dump island
            ref_hi = np.interp(m, c.mass_mev, c.upper)
            fin = np.isfinite(hi) & np.isfinite(ref_hi)
            assert fin.sum() > 5
            np.testing.assert_allclose(hi[fin], ref_hi[fin], rtol=1e-4)


def test_g2_band_edges_reproduce_the_measurement(bl):
    x = load_edition("2025")["delta_a_mu"]
    b = next(b for b in bl.g2_bands if b.lepton == "mu" and b.sigma == 2)
    from zprime.physics.models import registry

    mdl = registry.get("b_minus_l")
    ok = np.isfinite(b.high)
    da = delta_a(mdl.couplings(mass_mev=b.mass_mev[ok], g_prime=b.high[ok], eps=0.0), "mu")
    np.testing.assert_allclose(da, x.value + 2 * x.uncertainty, rtol=1e-6)
    # 2025: Delta a_mu is within 1 sigma of zero, so the bands reach down to zero coupling
    assert np.all(np.isnan(b.low[ok]))


def test_g2_band_with_a_lower_edge_2021():
    ls = L.limits("lmu_ltau", edition="2021", mass_mev=np.geomspace(1, 1000, 30))
    x = load_edition("2021")["delta_a_mu"]
    b = next(b for b in ls.g2_bands if b.lepton == "mu" and b.sigma == 1)
    from zprime.physics.models import registry

    mdl = registry.get("lmu_ltau")
    assert np.all(np.isfinite(b.low)) and np.all(b.low < b.high)
    da_lo = delta_a(mdl.couplings(mass_mev=b.mass_mev, g_prime=b.low), "mu")  # eps: the default, "loop"
    assert ls.fixed == {"eps": "loop"}
    np.testing.assert_allclose(da_lo, x.value - x.uncertainty, rtol=1e-6)


def test_json_object_is_strict_json(bl):
    d = bl.to_dict()
    text = json.dumps(d, allow_nan=False)
    assert {"model", "coupling", "fixed", "edition", "curves", "g2_bands"} <= set(json.loads(text))
    assert d["coupling"] == "g_prime" and d["fixed"] == {"eps": 0.0}
    kinds = {c["kind"] for c in d["curves"]}
    assert kinds == {"visible", "invisible", "other"}
    for c in d["curves"]:
        assert len(c["mass_mev"]) == len(c["lower"]) == len(c["upper"])


def test_envelope_is_the_strongest_curve(bl):
    m, env = bl.envelope(np.array([20.0, 200.0]))
    for mm, e in zip(m, env, strict=True):
        vals = [
            np.interp(mm, c.mass_mev, c.lower)
            for c in bl.curves
            if c.mass_mev[0] <= mm <= c.mass_mev[-1] and np.all(np.isfinite(c.lower))
        ]
        assert e <= min(vals) * (1 + 1e-9)


def test_fixed_parameters_are_checked():
    with pytest.raises(InputError, match="eps"):
        L.limits("b_minus_l", eps=5.0)
    with pytest.raises(InputError, match="not a parameter"):
        L.limits("b_minus_l", nonsense=1.0)
    with pytest.raises(InputError, match="g_prime"):
        L.limits("b_minus_l", g_prime=1e-3)


def test_fixed_kinetic_mixing_adds_electron_bounds():
    m = np.geomspace(2, 50, 12)
    tree = L.limits("lmu_ltau", mass_mev=m, only=["na64_2019_invisible"], eps=0)
    mixed = L.limits("lmu_ltau", mass_mev=m, only=["na64_2019_invisible"], eps=1e-4)
    assert tree.curves == () and tree.fixed == {"eps": 0.0}
    assert mixed.fixed == {"eps": 1e-4} and len(mixed.curves) == 1


def test_tables(bl):
    df = bl.to_dataframe()
    assert set(df["name"]) == set(bl.names())
    ds = bl.to_xarray()
    assert "lower__babar_2014" in ds
    assert "<table>" in bl._repr_html_()


def test_cli_limits_json_and_files(tmp_path):
    import subprocess
    import sys

    exe = [sys.executable, "-m", "zprime.app.cli"]
    r = subprocess.run(
        [
            *exe,
            "limits",
            "b_minus_l",
            "--json",
            "--points",
            "60",
            "--csv",
            str(tmp_path / "l.csv"),
            "--netcdf",
            str(tmp_path / "l.nc"),
            "--plot",
            str(tmp_path / "l.png"),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["model"] == "b_minus_l" and d["coupling"] == "g_prime" and d["edition"] == "2025"
    assert {"babar_2014", "e137", "na64_2019_invisible", "borexino"} <= {c["name"] for c in d["curves"]}
    assert (tmp_path / "l.png").stat().st_size > 20_000
    import pandas as pd
    import xarray as xr

    assert set(pd.read_csv(tmp_path / "l.csv")["name"]) == {c["name"] for c in d["curves"]}
    with xr.open_dataset(tmp_path / "l.nc") as ds:
        assert "lower__babar_2014" in ds
    assert not list(tmp_path.glob(".*.tmp"))
    for bad in (
        ["--set", "eps=5"],
        ["--set", "eps"],
        ["--mass-range", "10"],
        ["--plot", "x.gif"],
        ["--only", "nonsense"],
    ):
        r = subprocess.run([*exe, "limits", "b_minus_l", *bad], capture_output=True, text=True, cwd=tmp_path)
        assert r.returncode == 2 and r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, (
            bad,
            r.stderr,
        )


def test_cli_limits_user_yaml_model():
    import subprocess
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "examples" / "my_u1_model.yaml"
    r = subprocess.run(
        [sys.executable, "-m", "zprime.app.cli", "limits", str(path), "--json", "--points", "40"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["curves"] and d["g2_bands"]


def test_citations_are_valid_bibtex_with_every_curve(bl):
    import bibtexparser

    lib = bibtexparser.parse_string(bl.citations())
    assert not lib.failed_blocks
    keys = [e.key for e in lib.entries]
    assert len(keys) == len({k.lower() for k in keys})
    eprints = {e.fields_dict["eprint"].value for e in lib.entries if "eprint" in e.fields_dict}
    for c in bl.curves:
        if c.arxiv:
            assert c.arxiv in eprints, c.name
        elif c.inspire:
            assert c.inspire in keys, c.name
    assert {"Bodas:2021fsy", "Ilten:2018crw"} <= set(keys)


def test_cli_cite_model_is_valid_bibtex():
    import subprocess
    import sys

    import bibtexparser

    r = subprocess.run(
        [sys.executable, "-m", "zprime.app.cli", "cite", "--model", "b_minus_l"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    lib = bibtexparser.parse_string(r.stdout)
    assert not lib.failed_blocks and len(lib.entries) > 20
    eprints = {e.fields_dict["eprint"].value for e in lib.entries if "eprint" in e.fields_dict}
    d = json.loads(
        subprocess.run(
            [sys.executable, "-m", "zprime.app.cli", "limits", "b_minus_l", "--json", "--points", "40"],
            capture_output=True,
            text=True,
        ).stdout
    )
    for c in d["curves"]:
        if c["arxiv"]:
            assert c["arxiv"] in eprints, c["name"]


def test_refine_is_the_bisection_bit_for_bit():
    # _refine (predicted bisection paths, one call per few steps) must give exactly _bisect's edges: smooth
    # margins, margins that lie (a hole narrower than the bracket), and no margin at all (NaN)
    rng = np.random.default_rng(7)
    n = 300
    edge = rng.uniform(-8.0, -1.0, n)
    hole = rng.uniform(-8.0, -1.0, n)
    kind = np.arange(n) % 3

    def inside_at(i, lg):
        ins = lg > edge[i]
        return np.where(kind[i] == 1, ins & ~((lg > hole[i]) & (lg < hole[i] + 0.01)), ins)

    def margin_at(i, lg):
        f = np.sinh(lg - edge[i]) + 0.1 * (lg - edge[i]) ** 3
        return np.where(kind[i] == 2, np.nan, f)

    lo = np.exp(np.floor(edge * 8) / 8)
    hi = lo * 10 ** (1 / 8)
    ref = L._bisect(
        lambda m, g: inside_at(m.astype(int), np.log(g)), np.arange(n, dtype=float), lo, hi, 24, True
    )
    calls = []

    def evaluate(i, x):
        calls.append(i.size)
        return inside_at(i, x), margin_at(i, x)

    every = np.arange(n)
    got = L._refine(
        evaluate,
        np.log(lo),
        np.log(hi),
        np.ones(n, bool),
        margin_at(every, np.log(lo)),
        margin_at(every, np.log(hi)),
    )
    np.testing.assert_array_equal(got, ref)
    assert len(calls) < 24


def test_refine_falling_edges_match_the_bisection():
    n = 50
    edge = np.linspace(-6.0, -2.0, n)
    lo = np.exp(np.floor(edge * 8) / 8)
    hi = lo * 10 ** (1 / 8)
    idx = np.arange(n)
    ref = L._bisect(lambda m, g: np.log(g) < edge[m.astype(int)], idx.astype(float), lo, hi, 24, False)
    got = L._refine(
        lambda i, x: (x < edge[i], edge[i] - x),
        np.log(lo),
        np.log(hi),
        np.zeros(n, bool),
        edge - np.log(lo),
        edge - np.log(hi),
    )
    np.testing.assert_array_equal(got, ref)


def test_limits_edges_are_the_bisection_edges_bit_for_bit():
    # limits() refines the edges with predicted bisection paths; first_band bisects step by step: the same
    # numbers, for a chi2 constraint, a closed band and a coupling threshold (no usable margin)
    from zprime.physics.constraints import EvalOptions, Status, get
    from zprime.physics.models import registry

    mdl = registry.get("b_minus_l")
    p = mdl.parameter("g_prime")
    g_lo = p.lo if p.lo > 0 else 1e-9
    g = np.geomspace(g_lo, p.hi, int(np.ceil(np.log10(p.hi / g_lo) * L.GRID_PER_DECADE)) + 1)
    m = np.geomspace(1.0, 1e4, 60)
    names = ["coherent_csi", "ccfr_trident", "bbn_planck", "supernova", "texono"]
    ls = L.limits("b_minus_l", edition="2025", mass_mev=m, only=names)
    assert len(ls.curves) >= 4
    for c in ls.curves:
        k = get(c.name)

        def excl(mm, gg, k=k):
            cc = mdl.couplings(mass_mev=mm, g_prime=gg, eps=0.0)
            return k.evaluate(cc, EvalOptions(edition="2025")).status == Status.EXCLUDED

        lo, hi = L.first_band(excl, c.mass_mev, g)
        np.testing.assert_array_equal(c.lower, lo)
        np.testing.assert_array_equal(c.upper, hi)

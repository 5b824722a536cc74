"""zprime limits cover DarkCast 2023's limits and agree with DarkCast's recasts (issue: physics coverage).

Reference: tests/golden/darkcast2023_recasts_lh.json, DarkCast 2023 (commit 2a86698, GPL-2.0-or-later) run with
zprime's left-handed neutrino convention and the L_e − L_μ loop evaluated with the e and μ masses (see the file's
"source" and tools/darkcast2023_recasts.py). For each model, every DarkCast limit that bounds the coupling below 1
must have a zprime constraint (coverage ≥ 90 %), and at least 90 % of DarkCast's rows (hadronic region included)
must agree within 10 %; the comparison is tools/darkcast_coverage.py.
"""

import importlib.util
import json
from pathlib import Path

import pytest

_TOOL = Path(__file__).resolve().parents[1] / "tools" / "darkcast_coverage.py"
_spec = importlib.util.spec_from_file_location("zprime_darkcast_coverage", _TOOL)
cov = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cov)
REF = json.loads(cov.REF_PATH.read_text())["models"]


#: DarkCast limits zprime does not reproduce, with the reason: DarkCast applies π⁰ → γX to NuCal (Tsai et al.) up
#: to 800 MeV with vector-meson form factors, which give the protophobic boson a coupling near the ρ/ω, while
#: zprime's π⁰ → γX is the anomaly trace (2 C_Vu + C_Vd)², zero for it (and a π⁰ cannot produce a Z′ heavier than
#: itself).
KNOWN_MISSING: set[str] = set()
KNOWN_MISSING_BY_MODEL = {"protophobic": {"NuCAL_Tsai2019mtm"}}


@pytest.mark.parametrize("dc_model", sorted(cov.MODELS))
def test_coverage_and_agreement_with_darkcast_2023(dc_model: str) -> None:
    res = cov.compare(dc_model, REF[dc_model], tol=0.10)
    missing = sorted(k for k, v in res["limits"].items() if not v["covered"])
    assert set(missing) <= KNOWN_MISSING | KNOWN_MISSING_BY_MODEL.get(dc_model, set()), missing
    assert res["coverage"] >= 0.90, (res["covered"], res["applicable"], missing)
    assert res["rows"] > 500
    assert res["agreement"] >= 0.90, (res["agree"], res["rows"])


def test_hadronic_region_is_compared() -> None:
    """The comparison reaches the hadronic region: B−L rows above 2 m_π agree as well."""
    res = cov.compare("B-L_boson", REF["B-L_boson"], tol=0.10)
    heavy = [k for k, v in REF["B-L_boson"].items() if v["applies"] and max(r[0] for r in v["rows"]) > 0.5]
    assert {"BaBar_Lees2014xha", "KLOE_Anastasi2018azp_combined", "LHCb_Aaij2019bvg_prompt"} <= set(heavy)
    for stem in ("BaBar_Lees2014xha", "KLOE_Anastasi2018azp_combined", "KLOE_Babusci2014sta"):
        p = res["limits"][stem]
        assert p["covered"] and p["agree"] >= 0.9 * p["rows"], (stem, p)


def test_lhcb_displaced_r_value_grids_agree_with_darkcast() -> None:
    """LHCb's displaced searches (r-value grids) agree with DarkCast's recast wherever DarkCast's edge lies inside
    the grid: every row for the dark photon and the protophobic boson, ≥ 90 % for the B boson (whose band reaches
    beyond the grid's lifetimes: those rows are DarkCast's extension of the grid, counted apart)."""
    res = cov.compare("B_boson", REF["B_boson"], tol=0.10)
    p = res["limits"]["LHCb_Aaij2019bvg_displaced"]
    assert p["rows"] > 50 and p["agree"] >= 0.9 * p["rows"] and p["outside_grid"] > 0, p
    for dc_model, stems in (
        ("dark_photon", ("LHCb_Aaij2019bvg_displaced", "LHCb_Aaij2017rft_displaced")),
        ("protophobic", ("LHCb_Aaij2019bvg_displaced",)),
    ):
        res = cov.compare(dc_model, REF[dc_model], tol=0.10)
        for stem in stems:
            p = res["limits"][stem]
            assert p["covered"] and p["rows"] > 20 and p["agree"] == p["rows"], (dc_model, stem, p)

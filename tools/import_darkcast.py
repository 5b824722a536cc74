"""Import DarkCast 2023 limits as zprime limit files (one YAML + one CSV each, schema ``zprime.core.limits``).

    python tools/import_darkcast.py /path/to/darkcast            # write the files listed in LIMITS
    python tools/import_darkcast.py /path/to/darkcast --reference # write tests/golden/darkcast2023_recasts.json

The numbers (``limits/<name>.lmt``: mass [GeV], lower[, upper]) are copied verbatim; the recast facts
(production, decay, lifetime) are transcribed below by hand from each limit's description (DarkCast's Python is
read as text for the BibTeX and the "extracted from" sentence, never executed). DarkCast: Ilten, Soreq, Williams,
Xue, arXiv:1801.04847; Baruch et al., arXiv:2206.08563; GPL-2.0-or-later. Copy used: github.com/
Noah-Everett/DS-Decay-Scripts, folder ``darkcast/``, commit 2a86698 (the DarkCast 2023 release).

``--reference`` writes DarkCast's own recasts (``recast/limits/<model>/<name>.lmt``) of the imported limits for
the models compared in ``tests/test_limits_vs_darkcast2023.py``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMITS = ROOT / "src" / "zprime" / "data" / "limits"
REPO = "https://github.com/Noah-Everett/DS-Decay-Scripts"
COMMIT = "2a86698"
DIGITISED = "DarkCast (Ilten, Soreq, Williams, Xue; arXiv:1801.04847, arXiv:2206.08563)"
M_PHI_MEV = 1019.46

PROMPT = {"kind": "prompt"}
RVALUE = {"kind": "rvalue"}


def dump(lr: float, ls: float) -> dict:
    return {"kind": "beam_dump", "l_decay_m": lr, "l_shield_m": ls}


M_MU_GEV = 0.10566  # DarkCast pars.mfs["mu"]


def lhcb_t1(m_gev: float) -> float:
    """LHCb's maximum proper lifetime of a prompt candidate (Ilten et al. arXiv:1603.08926, as DarkCast's LHCb
    limits use it): t1 = (0.004 GeV/(m − 2 m_μ) + 0.1) ps."""
    return (0.004 / (m_gev - 2 * M_MU_GEV) + 0.1) * 1e-12


def cms_t1(m_gev: float) -> float:
    """CMS 2019's proper-lifetime requirement as DarkCast approximates it (Pythia 8): none below 45 GeV (1e3 s
    here: every Z' that can be seen decays before it), 5e-12 s up to 130 GeV, then −3.66e-11 + 3.12e-13 m s."""
    if m_gev < 45:
        return 1e3
    if m_gev < 130:
        return 5e-12
    return -3.66e-11 + 3.12e-13 * m_gev


_LHCB_NOTE = (
    "Production: the mass-dependent fractions of Ilten et al. (arXiv:1801.04847's Monte Carlo, DarkCast's "
    "LHCb_Aaij2017rft.prd), a table beside this file (meson decays, vector-meson mixing and Drell-Yan per quark). "
    "Proper-time cut t1 = (0.004 GeV/(m - 2 m_mu) + 0.1) ps (DarkCast's code; its notes print 0.04), tabulated at "
    "the limit's masses."
)

_LHCB_RVALUE_NOTE = (
    "An r-value grid: r(m, eps) = (upper limit on the A' -> mu+mu- yield)/(expected dark-photon yield) on a "
    "rectangular grid of mass and eps, excluded where r < 1. The recast (DarkCast Eq. (2.21), arXiv:1801.04847) "
    "takes r of the dark photon with the same lifetime (same efficiency) and scales it by the ratio of production "
    "times BR(mu+mu-); a model point whose lifetime lies outside the grid's is not applicable (DarkCast extends "
    "the grid with an efficiency-ratio approximation, zprime does not extrapolate). Production: the "
    "mass-dependent fractions of Ilten et al. (arXiv:1801.04847's Monte Carlo, DarkCast's LHCb_Aaij2017rft.prd), "
    "a table beside this file."
)

#: Transcribed metadata: DarkCast file stem -> zprime fields.
LIMITS_TABLE: dict[str, dict] = {
    "A1_Merkel2011ze": dict(
        name="a1_2011",
        folder="visible",
        experiment="A1 (MAMI)",
        title="A1 at MAMI 2011, e Z -> e Z A', A' -> e+e- (superseded by A1 2014)",
        reference="H. Merkel et al. (A1), Phys. Rev. Lett. 106 (2011) 251802",
        production=["e_brem"],
        decay=["ee"],
        lifetime=PROMPT,
        category="superseded",
        notes="DarkCast's file of the 2011 A1 result (its BibTeX names the 2014 paper, Merkel:2014avp); "
        "superseded by a1 (A1 2014).",
    ),
    "BESIII_Ablikim2017aab": dict(
        name="besiii_2017",
        folder="visible",
        experiment="BESIII",
        title="BESIII 2017, e+e- -> gamma A', A' -> e+e-, mu+mu-",
        reference="M. Ablikim et al. (BESIII), Phys. Lett. B 774 (2017) 252",
        production=["e_e"],
        decay=["ee", "mumu"],
        lifetime=PROMPT,
        category="current",
    ),
    "BaBar_TheBABAR2016rlg": dict(
        name="babar_2016_mumu",
        folder="visible",
        experiment="BaBar",
        title="BaBar 2016, e+e- -> mu+mu- Z', Z' -> mu+mu- (muonic dark force)",
        reference="J. P. Lees et al. (BaBar), Phys. Rev. D 94 (2016) 011102",
        production=["mu_brem"],
        decay=["mumu"],
        lifetime=PROMPT,
        category="current",
        numbers_unit="g",
        notes="The .lmt file holds BaBar's bound on the gauge coupling g' of an L_mu - L_tau Z' itself (its "
        "minimum, 6.7e-4, is the abstract's 'g' as low as 7e-4'), not the kinetic mixing: numbers_unit g "
        "(zprime divides by e). The Z' is radiated off the muon line, so the production is mu_brem "
        "(C_Vmu^2 + C_Amu^2), not DarkCast's e_e. With zprime's left-handed neutrinos, BR(Z' -> mu mu) of "
        "L_mu - L_tau equals that of the leptonic-only dark photon of the recast (1/2 below 2 m_tau, ~1/3 "
        "above), so the dark-photon reference reproduces BaBar's L_mu - L_tau bound. DarkCast 2023's own "
        "recasts of this file (e_e production, g' read as eps) differ: not compared.",
    ),
    "BelleII_Adachi2019otg": dict(
        name="belle2_2019_invisible",
        folder="invisible",
        experiment="Belle II",
        title="Belle II 2019, e+e- -> mu+mu- Z', Z' -> invisible",
        reference="I. Adachi et al. (Belle II), Phys. Rev. Lett. 124 (2020) 141801",
        production=["mu_brem"],
        decay=["invisible"],
        lifetime=PROMPT,
        category="current",
        notes="DarkCast divided Belle II's g' by e (pars.ge = 0.302822): the numbers are eps-equivalent. The "
        "first .lmt row (mass 0) is left out (log-mass interpolation needs m > 0; the next row, 2 MeV, has "
        "the same value).",
        drop_zero_mass=True,
        eps_maximum=4,
    ),
    "CHARM_Bergsma1985qz": dict(
        name="charm_1985",
        folder="visible",
        experiment="CHARM",
        title="CHARM 1985 proton beam dump, eta -> gamma A', A' -> e+e-",
        reference="F. Bergsma et al. (CHARM), Phys. Lett. B 157 (1985) 458",
        production={"eta_gamma": 1.0, "eta'_gamma": 0.0},
        decay=["ee"],
        lifetime=dump(10.0, 480.0),
        category="current",
    ),
    "CHARM_Tsai2019mtm": dict(
        name="charm_tsai2019",
        folder="visible",
        experiment="CHARM",
        title="CHARM proton beam dump (recast of Tsai, deNiverville, Liu 2019), eta -> gamma A', A' -> e+e-",
        reference="Y.-D. Tsai, P. deNiverville, M. X. Liu, Phys. Rev. Lett. 126 (2021) 181801",
        production={"eta_gamma": 1.0, "eta'_gamma": 0.0},
        decay=["ee"],
        lifetime=dump(10.0, 480.0),
        category="current",
    ),
    "E137_Andreas2012mt": dict(
        name="e137_andreas2012",
        folder="visible",
        experiment="SLAC E137",
        title="SLAC E137 electron beam dump (analysis of Andreas, Niebuhr, Ringwald 2012; DarkCast 2023 file)",
        reference="S. Andreas, C. Niebuhr, A. Ringwald, Phys. Rev. D 86 (2012) 095019",
        production=["e_brem"],
        decay=["ee"],
        lifetime=dump(204.0, 179.0),
        category="current",
        notes="The same curve as e137 (DarkCast's older file E137_Bjorken1988as), with DarkCast 2023's five "
        "significant digits.",
    ),
    "E137_Bjorken2009mm": dict(
        name="e137_bjorken2009",
        folder="visible",
        experiment="SLAC E137",
        title="SLAC E137 electron beam dump (analysis of Bjorken, Essig, Schuster, Toro 2009)",
        reference="J. D. Bjorken, R. Essig, P. Schuster, N. Toro, Phys. Rev. D 80 (2009) 075018",
        production=["e_brem"],
        decay=["ee"],
        lifetime=dump(204.0, 179.0),
        category="current",
    ),
    "FASER_Petersen2023hgm": dict(
        name="faser_2023_preliminary",
        folder="visible",
        experiment="FASER",
        title="FASER 2023 (preliminary, Moriond 2023), pi0/eta -> gamma A', A' -> e+e- (superseded)",
        reference="B. Petersen (FASER), proceedings of the 57th Rencontres de Moriond EW (2023)",
        production=["pi0_gamma", "eta_gamma"],
        fractions=[(0.0, 1.0, 0.0), (0.133957, 1.0, 0.0), (0.133958, 0.0, 1.0), (10.0, 0.0, 1.0)],
        decay=["ee"],
        lifetime=dump(5.0, 480.0),
        category="superseded",
        notes="Superseded by faser_2023 (the paper's curve). PRELIMINARY: the Moriond 2023 curve "
        "(arXiv:2305.08665), not the figure of FASER's paper "
        "(arXiv:2308.05587). Production: pi0 -> gamma X below m_pi0 - 2 m_e = 133.958 MeV and eta -> gamma X "
        "above (DarkCast's step, a fraction table beside this file); proton bremsstrahlung neglected.",
    ),
    "HPS_Adrian2018scb": dict(
        name="hps_2018",
        folder="visible",
        experiment="HPS",
        title="HPS 2015 engineering run, e Z -> e Z A', A' -> e+e-",
        reference="P. H. Adrian et al. (HPS), Phys. Rev. D 98 (2018) 091101",
        production=["e_brem"],
        decay=["ee"],
        lifetime=PROMPT,
        category="current",
    ),
    "KLOE_Anastasi2018azp_mumu": dict(
        name="kloe_2018_mumu",
        folder="visible",
        experiment="KLOE-2",
        title="KLOE-2 2018, e+e- -> gamma A', A' -> mu+mu-",
        reference="A. Anastasi et al. (KLOE-2), Phys. Lett. B 784 (2018) 336",
        production=["e_e"],
        decay=["mumu"],
        lifetime={
            "kind": "flight_length",
            "length_m": 0.08,
            "boost": {"kind": "two_body", "parent_mass_mev": M_PHI_MEV, "recoil_mass_mev": 0.0},
        },
        category="current",
    ),
    "LEP_Fox2011fx": dict(
        name="lep_invisible",
        folder="invisible",
        experiment="LEP",
        title="LEP e+e- -> gamma + invisible (recast of Fox, Harnik, Kopp, Tsai 2011)",
        reference="P. J. Fox, R. Harnik, J. Kopp, Y. Tsai, Phys. Rev. D 84 (2011) 014028",
        production=["e_e"],
        decay=["invisible"],
        lifetime=PROMPT,
        category="current",
    ),
    "NA62_Dobrich2023dkm": dict(
        name="na62_2023_mumu",
        folder="visible",
        experiment="NA62",
        title="NA62 2023 beam dump, eta -> gamma A', A' -> mu+mu-",
        reference="B. Döbrich, E. Minucci, T. Spadaro (NA62), arXiv:2303.08666",
        production=["eta_gamma"],
        decay=["mumu"],
        lifetime=dump(75.0, 142.0),
        category="current",
    ),
    "NA64_Banerjee2016tad": dict(
        name="na64_2016_invisible",
        folder="invisible",
        experiment="NA64",
        title="NA64 2016 missing energy, e Z -> e Z A', A' -> invisible (superseded)",
        reference="D. Banerjee et al. (NA64), Phys. Rev. Lett. 118 (2017) 011802",
        production=["e_brem"],
        decay=["invisible"],
        lifetime=PROMPT,
        category="superseded",
        notes="Superseded by na64_2017_invisible and na64_2019_invisible.",
    ),
    "NOMAD_Astier2001ck": dict(
        name="nomad",
        folder="visible",
        experiment="NOMAD",
        title="NOMAD proton beam dump, pi0 -> gamma A', A' -> e+e-",
        reference="P. Astier et al. (NOMAD), Phys. Lett. B 506 (2001) 27",
        production=["pi0_gamma"],
        decay=["ee"],
        lifetime=dump(7.5, 835.0),
        category="current",
    ),
    "NuCAL_Blumlein1990ay": dict(
        name="nucal_pi0",
        folder="visible",
        experiment="nu-Cal I (U70)",
        title="nu-Cal I proton beam dump, pi0 -> gamma A', A' -> e+e-",
        reference="J. Blümlein et al., Z. Phys. C 51 (1991) 341",
        production=["pi0_gamma"],
        decay=["ee"],
        lifetime=dump(23.0, 64.0),
        category="current",
    ),
    "NuCAL_Blumlein1991xh": dict(
        name="nucal_pbrem",
        folder="visible",
        experiment="nu-Cal I (U70)",
        title="nu-Cal I proton beam dump, proton bremsstrahlung, A' -> e+e-",
        reference="J. Blümlein et al., Int. J. Mod. Phys. A 7 (1992) 3835",
        production=["p_brem"],
        decay=["ee"],
        lifetime=dump(23.0, 64.0),
        category="current",
    ),
    "NuCAL_Tsai2019mtm": dict(
        name="nucal_tsai2019",
        folder="visible",
        experiment="nu-Cal I (U70)",
        title="nu-Cal I proton beam dump (recast of Tsai, deNiverville, Liu 2019), pi0 -> gamma A', A' -> e+e-",
        reference="Y.-D. Tsai, P. deNiverville, M. X. Liu, Phys. Rev. Lett. 126 (2021) 181801",
        production=["pi0_gamma"],
        decay=["ee"],
        lifetime=dump(23.0, 64.0),
        category="current",
    ),
    "PS191_Bernardi1985ny": dict(
        name="ps191",
        folder="visible",
        experiment="PS191",
        title="PS191 proton beam dump, pi0 -> gamma A', A' -> e+e-",
        reference="G. Bernardi et al., Phys. Lett. B 166 (1986) 479",
        production=["pi0_gamma"],
        decay=["ee"],
        lifetime=dump(7.0, 128.0),
        category="current",
    ),
    "CMS_CMS2019kiy": dict(
        name="cms_2019",
        folder="visible",
        experiment="CMS",
        title="CMS 2019 (PAS EXO-19-018), pp -> A' X, A' -> mu+mu- (11.5-200 GeV)",
        reference="CMS Collaboration, CMS-PAS-EXO-19-018 (2019); published as JHEP 05 (2020) 033, arXiv:1912.04776",
        production="prd:CMS_CMS2019kiy",
        decay=["mumu"],
        lifetime="t1:cms",
        category="current",
        notes="Production: Drell-Yan per quark flavour with DarkCast's Pythia 8 fractions (CMS_CMS2019kiy.prd), "
        "a table beside this file. Proper-time cut as DarkCast approximates it: none below 45 GeV, 5e-12 s to "
        "130 GeV, -3.66e-11 + 3.12e-13 m/GeV s above (tabulated, steps kept sharp).",
    ),
    "LHCb_Aaij2017rft_prompt": dict(
        name="lhcb_2017_prompt",
        folder="visible",
        experiment="LHCb",
        title="LHCb 2017 prompt, pp -> A' X, A' -> mu+mu- (superseded by LHCb 2020)",
        reference="R. Aaij et al. (LHCb), Phys. Rev. Lett. 120 (2018) 061801",
        production="prd:LHCb_Aaij2017rft",
        decay=["mumu"],
        lifetime="t1:lhcb",
        category="superseded",
        notes="Superseded by lhcb_2020_prompt. " + _LHCB_NOTE,
    ),
    "LHCb_Aaij2019bvg_prompt": dict(
        name="lhcb_2020_prompt",
        folder="visible",
        experiment="LHCb",
        title="LHCb 2020 prompt, pp -> A' X, A' -> mu+mu-",
        reference="R. Aaij et al. (LHCb), Phys. Rev. Lett. 124 (2020) 041801",
        production="prd:LHCb_Aaij2017rft",
        decay=["mumu"],
        lifetime="t1:lhcb",
        category="current",
        notes="DarkCast's file carries the November 2020 resonance fix. The production fractions are those of "
        "the 2017 selection (DarkCast: 'proceed with caution'). " + _LHCB_NOTE,
    ),
    "LHCb_Aaij2017rft_displaced": dict(
        name="lhcb_2017_displaced",
        folder="visible",
        experiment="LHCb",
        title="LHCb 2017 displaced, pp -> A' X, A' -> mu+mu- (superseded by LHCb 2020)",
        reference="R. Aaij et al. (LHCb), Phys. Rev. Lett. 120 (2018) 061801",
        production="prd:LHCb_Aaij2017rft",
        decay=["mumu"],
        lifetime=RVALUE,
        category="superseded",
        notes="Superseded by lhcb_2020_displaced. " + _LHCB_RVALUE_NOTE,
    ),
    "LHCb_Aaij2019bvg_displaced": dict(
        name="lhcb_2020_displaced",
        folder="visible",
        experiment="LHCb",
        title="LHCb 2020 displaced, pp -> A' X, A' -> mu+mu-",
        reference="R. Aaij et al. (LHCb), Phys. Rev. Lett. 124 (2020) 041801",
        production="prd:LHCb_Aaij2017rft",
        decay=["mumu"],
        lifetime=RVALUE,
        category="current",
        notes="The production fractions are those of the 2017 selection (DarkCast: 'proceed with caution'). "
        + _LHCB_RVALUE_NOTE,
    ),
}

_DECAY = {"ee": "X -> e+e-", "mumu": "X -> mu+mu-", "pipi": "X -> pi+pi-", "invisible": "X -> invisible"}


def _py_text(dc: Path, stem: str) -> str:
    return (dc / "limits" / f"{stem}.py").read_text(encoding="utf-8")


def _bibtex(py: str) -> str:
    m = re.search(r'bibtex\s*=\s*"""(.*?)"""', py, re.S)
    assert m, "no bibtex"
    lines = [ln.strip() for ln in m.group(1).strip().splitlines() if "SLACcitation" not in ln]
    out: list[str] = []
    for ln in lines:  # join continuation lines of a field
        if out and not re.match(r"^(\w+\s*=|\})", ln) and not ln.startswith("@"):
            out[-1] += " " + ln
        else:
            out.append(ln)
    body = []
    for b in out[1:-1]:
        key, _, val = b.rstrip(",").partition("=")
        body.append(f"{key.strip():<13} = {val.strip()}")
    return out[0] + "\n" + ",\n".join("  " + b for b in body) + "\n}"


def _notes(py: str) -> str:
    m = re.search(r'notes\s*=\s*"""(.*?)"""', py, re.S)
    return " ".join(m.group(1).split()) if m else ""


def _lmt_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    cols: list[str] = []
    rows: list[list[str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        s = line.strip()
        if not s:
            continue
        if s.startswith("#"):
            cols = s.lstrip("#").split()
            continue
        rows.append(s.split())
    return cols, rows


def _lifetime_text(lt: dict) -> str:
    if lt["kind"] == "beam_dump":
        return (
            f"displaced/beam-dump: efficiency given by lratio = L_decay/L_shield = {lt['l_decay_m']}/"
            f"{lt['l_shield_m']}; DarkCast solves t0 per mass from the lower/upper dark-photon bounds and sets "
            "t1 = (1 + lratio) t0"
        )
    if lt["kind"] == "rvalue":
        return (
            "r-value grid (DarkCast Efficiency(rvals = True)): the efficiency depends on the lifetime only; a model "
            "takes r of the dark photon with its lifetime"
        )
    if lt["kind"] == "proper_time":
        return f"t0 = 0, t1 = t1(m) tabulated in {lt['t1_table']} (prompt with a proper-lifetime requirement)"
    if lt["kind"] == "flight_length":
        b = lt["boost"]
        return (
            f"t0 = 0, t1 = {lt['length_m']} m / (gamma * c) with gamma = (m_phi^2 + m^2)/(2 m_phi m) (prompt, "
            f"flight distance < 8 cm; m_phi = {b['parent_mass_mev'] / 1000:g} GeV)"
        )
    return "t0 = 0, t1 = infinity (prompt, or invisible: efficiency ratio taken as unity)"


def _yaml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _folded(s: str, indent: int = 2) -> str:
    words = s.split()
    lines, cur = [], ""
    for w in words:
        if len(cur) + len(w) + 1 > 100:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    lines.append(cur)
    pad = " " * indent
    return ">-\n" + "\n".join(pad + ln for ln in lines)


def write_limit(dc: Path, stem: str, meta: dict) -> None:
    py = _py_text(dc, stem)
    bib = _bibtex(py)
    key = re.match(r"@\w+\{([^,]+),", bib).group(1)  # type: ignore[union-attr]
    ep = re.search(r'eprint\s*=\s*"([^"]+)"', bib)
    arxiv = ep.group(1) if ep else None
    dc_notes = _notes(py)
    extracted = dc_notes.split(". ")[0].removeprefix("This limit was ").removeprefix("This limit ")
    cols, rows = _lmt_rows(dc / "limits" / f"{stem}.lmt")
    rvalue = meta["lifetime"] == RVALUE
    band = len(cols) == 3 and not rvalue
    if meta.get("drop_zero_mass"):
        rows = [r for r in rows if float(r[0]) > 0]
    out_dir = LIMITS / meta["folder"]
    csv_name = f"{stem}.csv"
    prod = meta["production"]
    frac_rows: list[list[str]] | None = None
    frac_src = ""
    if isinstance(prod, str) and prod.startswith("prd:"):  # DarkCast's mass-dependent fractions, verbatim
        frac_src = prod[4:]
        pcols, frac_rows = _lmt_rows(dc / "limits" / f"{frac_src}.prd")
        prod = pcols[1:]
    elif "fractions" in meta:
        frac_rows = [[f"{x:g}" for x in r] for r in meta["fractions"]]
    mechs = list(prod)
    lt = meta["lifetime"]
    t1_name = None
    if isinstance(lt, str):  # a tabulated proper-time cut t1(m)
        fn = {"t1:lhcb": lhcb_t1, "t1:cms": cms_t1}[lt]
        masses = sorted({float(r[0]) for r in rows})
        if fn is cms_t1:  # keep the steps of the piecewise cut sharp
            masses = sorted(set(masses) | {45.0 - 1e-9, 45.0, 130.0 - 1e-9, 130.0})
        t1_name = f"{stem}_t1.csv"
        tl = [
            f"# proper-time cut t1(m) of {stem} (transcribed from DarkCast 2023 limits/{stem}.py; "
            "tools/import_darkcast.py); linear in mass",
            "mass_GeV,t1_s",
        ] + [f"{m:.12g},{fn(m):.6e}" for m in masses]
        (out_dir / t1_name).write_text("\n".join(tl) + "\n", encoding="utf-8")
        lt = {"kind": "proper_time", "t1_table": t1_name}
    prod_txt = (
        " + ".join(mechs) if not isinstance(prod, dict) else ", ".join(f"{k}: {v}" for k, v in prod.items())
    )
    unit = meta.get("numbers_unit", "eps")
    qty = (
        "gauge coupling g' (numbers_unit g: zprime uses eps = g'/e)"
        if unit == "g"
        else "kinetic-mixing epsilon bound(s), dimensionless (DarkCast global coupling of the dark_photon model)"
    )
    head = [
        f"# DarkCast 2023 dark-photon limit: {stem}",
        f"# experiment: {meta['experiment']}",
        f"# publication: {meta['reference']}"
        + (f", arXiv:{arxiv}" if arxiv and arxiv not in meta["reference"] else ""),
        f"# extracted from: {extracted}",
        f"# production (DarkCast mechanism): {prod_txt}",
        "# decay channel: " + " and ".join(_DECAY[d] for d in meta["decay"]),
        f"# lifetime/efficiency window: {_lifetime_text(lt)}",
        "# bound type: "
        + (
            "CLOSED BAND (two-sided): excluded for eps_lower < eps < eps_upper at each mass"
            if band
            else "R-VALUE GRID: excluded where r < 1"
            if rvalue
            else "ONE-SIDED: excluded above eps_lower at each mass"
        ),
        (
            "# columns: mass_GeV = X mass in GeV; eps = kinetic mixing of the dark photon (DarkCast global "
            "coupling g); r = upper limit on the yield / expected dark-photon yield"
            if rvalue
            else f"# columns: mass_GeV = X mass in GeV; {'eps_lower, eps_upper' if band else 'eps_lower'} = {qty}"
        ),
        f"# numbers: copied verbatim from the DarkCast 2023 .lmt file Noah-Everett/DS-Decay-Scripts:darkcast/"
        f"limits/{stem}.lmt (commit {COMMIT}), {len(rows)} rows",
        f"# provenance/licence: {DIGITISED}, GPL-2.0-or-later; cite DarkCast and the publication above",
        f"# rows: {len(rows)} ; mass range: {rows[0][0]} - {rows[-1][0]} GeV",
        *(
            [f"# eps maximum: {meta['eps_maximum']} (g'/e of a bound on g' up to 1)"]
            if "eps_maximum" in meta
            else []
        ),
        "mass_GeV,eps,r" if rvalue else "mass_GeV,eps_lower" + (",eps_upper" if band else ""),
    ]
    body = [",".join(r) for r in rows]
    (out_dir / csv_name).write_text("\n".join(head + body) + "\n", encoding="utf-8")

    frac_name = None
    if frac_rows is not None:
        frac_name = f"{stem}_production.csv"
        origin = (
            f"copied verbatim from DarkCast 2023 limits/{frac_src}.prd (commit {COMMIT})"
            if frac_src
            else f"transcribed from DarkCast 2023 limits/{stem}.py"
        )
        fl = [
            f"# production fractions of {stem}, {origin}; linear in mass, nearest row outside",
            "mass_GeV," + ",".join(mechs),
        ] + [",".join(r) for r in frac_rows]
        (out_dir / frac_name).write_text("\n".join(fl) + "\n", encoding="utf-8")

    if isinstance(prod, dict):
        prod_yaml = "{" + ", ".join(f"{_yaml_str(k)}: {v}" for k, v in prod.items()) + "}"
    else:
        prod_yaml = "[" + ", ".join(_yaml_str(k) if "'" in k else k for k in prod) + "]"
    if lt["kind"] == "proper_time":
        lt_yaml = f"{{kind: proper_time, t1_table: {lt['t1_table']}}}"
    elif lt["kind"] == "beam_dump":
        lt_yaml = f"{{kind: beam_dump, l_decay_m: {lt['l_decay_m']}, l_shield_m: {lt['l_shield_m']}}}"
    elif lt["kind"] == "flight_length":
        b = lt["boost"]
        lt_yaml = (
            f"{{kind: flight_length, length_m: {lt['length_m']}, boost: {{kind: two_body, "
            f"parent_mass_mev: {b['parent_mass_mev']}, recoil_mass_mev: {b['recoil_mass_mev']}}}}}"
        )
    elif lt["kind"] == "rvalue":
        lt_yaml = "{kind: rvalue}"
    else:
        lt_yaml = "{kind: prompt}"
    lepton_line = all(m in ("e_e", "e_brem", "mu_brem", "mu_mu") for m in mechs)
    validity_notes = (
        "Production off a lepton line scales with C_V^2 + C_A^2 of that lepton (helicity conserved)."
        if lepton_line
        else "Production through quarks: vector quark couplings (DarkCast's meson mechanisms); axial quark "
        "couplings enter only proton bremsstrahlung."
    )
    notes = " ".join(
        x
        for x in (
            meta.get("notes", ""),
            f"DarkCast's description: {dc_notes}",
        )
        if x
    )
    y = [
        f"# {meta['title']}",
        f"# One self-describing limit file (schema: zprime.core.limits); numbers in {csv_name}.",
        f"# Written by tools/import_darkcast.py from DarkCast 2023 (limits/{stem}.lmt and .py).",
        "",
        "schema_version: 1",
        "kind: curve",
        f"name: {meta['name']}",
        f"experiment: {_yaml_str(meta['experiment'])}",
        f"title: {_yaml_str(meta['title'])}",
        f"reference: {_yaml_str(meta['reference'])}",
        f"arxiv: {_yaml_str(arxiv) if arxiv else 'null'}",
        f"inspire: {_yaml_str(key)}",
        "hepdata: null",
        "bibtex: |",
        *("  " + ln for ln in bib.splitlines()),
        "source:",
        f"  digitised_by: {_yaml_str(DIGITISED)}",
        f"  repository: {_yaml_str(REPO)}",
        f"  path: {_yaml_str(f'darkcast/limits/{stem}.lmt')}",
        f"  commit: {_yaml_str(COMMIT)}",
        f"  extracted_from: {_folded(extracted, 4)}",
        '  licence: "GPL-2.0-or-later"',
        "  notes: >-",
        "    DarkCast 2023 release (a copy in Noah-Everett/DS-Decay-Scripts); numbers copied verbatim; the CSV's",
        "    '#' header is the converter's provenance record.",
        f"production: {prod_yaml}",
    ]
    if frac_name:
        y.append(f"production_fractions: {frac_name}")
    if unit != "eps":
        y.append(f"numbers_unit: {unit}")
    y += [
        "decay: [" + ", ".join(meta["decay"]) + "]",
        f"bound: {'band' if band else 'rvalue' if rvalue else 'one_sided'}",
        f"lifetime: {lt_yaml}",
        "couplings:",
        "  model: dark_photon",
        f"  validity: {{vector: true, axial: {'true' if lepton_line else 'false'}}}",
        f"  notes: {_folded(validity_notes, 4)}",
        "cl: 0.9",
        f"category: {meta['category']}",
        *(["reference_br: 0.99"] if meta["decay"] == ["invisible"] else []),
        f"notes: {_folded(notes, 2)}",
        f"numbers: {csv_name}",
    ]
    (out_dir / f"{stem}.yaml").write_text("\n".join(y) + "\n", encoding="utf-8")


#: DarkCast model folder -> zprime comparison label.
REF_MODELS = {
    "dark_photon": "dark_photon",
    "B-L_boson": "b_minus_l",
    "Lmu-Ltau_boson": "lmu_ltau",
    "Le-Lmu_boson": "le_lmu",
}


def write_reference(dc: Path, max_rows: int = 400) -> None:
    """DarkCast 2023's recasts of every shipped limit that DarkCast 2023 has (its ``source.path`` stem), at most
    ``max_rows`` rows each (every k-th row of DarkCast's grid); the test picks its masses."""
    import yaml

    out: dict = {
        "source": f"DarkCast 2023 recast/limits/<model>/<limit>.lmt, {REPO} commit {COMMIT}, folder darkcast/; "
        "GPL-2.0-or-later (Ilten, Soreq, Williams, Xue, arXiv:1801.04847; arXiv:2206.08563). Every k-th row "
        f"(at most {max_rows} per limit).",
        "licence": "GPL-2.0-or-later",
        "models": {},
    }
    shipped: dict[str, str] = {}
    for path in sorted(LIMITS.rglob("*.yaml")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))
        src = (meta.get("source") or {}).get("path") or ""
        if meta.get("kind", "curve") == "curve" and src.endswith(".lmt"):
            shipped[Path(src).stem] = meta["name"]
    for folder, label in REF_MODELS.items():
        mm: dict = {}
        for stem, name in sorted(shipped.items(), key=lambda x: x[1]):
            path = dc / "recast" / "limits" / folder / f"{stem}.lmt"
            if not path.is_file():
                continue
            cols, rows = _lmt_rows(path)
            step = max(1, -(-len(rows) // max_rows))
            mm[name] = {
                "darkcast_limit": stem,
                "columns": cols,
                "rows": [[float(x) for x in r] for r in rows[::step]],
            }
        out["models"][label] = mm
    dest = ROOT / "tests" / "golden" / "darkcast2023_recasts.json"
    dest.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    dc = Path(argv[0])
    if "--reference" in argv:
        write_reference(dc)
        return 0
    for stem, meta in LIMITS_TABLE.items():
        write_limit(dc, stem, meta)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

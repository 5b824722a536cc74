"""Import the dark-photon results published since 2022 whose numbers are in public repositories (not DarkCast).

    python tools/import_contours.py FORESEE_GIT_DIR DARKMATTERLIVE_GIT_DIR   # fetched snapshots (git dirs)

Sources (``git show`` of the fetched snapshots; read as text, nothing executed):

- FASER 2023 (arXiv:2308.05587): KlingFelix/FORESEE ``Models/DarkPhoton/model/lines/bounds_FASER-27invfb.txt``
  (MIT), a closed contour (mass [GeV], ε);
- NA62 2023 e⁺e⁻ (arXiv:2312.12055): KlingFelix/FORESEE ``.../bounds_NA62ee.txt`` (MIT), a closed contour;
- CMS 2023 scouting (arXiv:2309.16003): NewPhysicsLive/DarkMatterLive ``data/BC1/CMS_rescaled.csv``
  (Apache-2.0), a one-sided curve (x = mass [GeV], y = ε) closed by y = 1 rows at the edges of its two mass
  windows.

A closed contour becomes band rows only where it is unambiguous: it is split at its largest mass into two paths,
each must be monotonic in mass; the rows are the masses of both paths inside their common range, each edge
interpolated linearly in log m – log ε; rows where the edges meet (the closing tips) are left out at the ends,
and an interior crossing aborts the conversion.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
VISIBLE = ROOT / "src" / "zprime" / "data" / "limits" / "visible"


def _git_show(repo: Path, path: str) -> str:
    return subprocess.run(
        [
            "git",
            "--git-dir",
            str(repo / ".git") if (repo / ".git").exists() else str(repo),
            "show",
            f"HEAD:{path}",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _commit(repo: Path, path: str) -> str:
    gd = str(repo / ".git") if (repo / ".git").exists() else str(repo)
    out = subprocess.run(
        ["git", "--git-dir", gd, "log", "-1", "--format=%H", "--", path],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def contour_to_band(points: np.ndarray) -> np.ndarray:
    """Rows (mass, lower, upper) of a closed contour (see the module docstring); raises if ambiguous."""
    i = int(np.argmax(points[:, 0]))
    a, b = points[: i + 1], points[i:][::-1]
    for path in (a, b):
        if np.any(np.diff(path[:, 0]) <= 0):
            raise ValueError("a contour path is not monotonic in mass: ambiguous")
    lo_m, hi_m = max(a[0, 0], b[0, 0]), min(a[-1, 0], b[-1, 0])
    grid = np.unique(np.concatenate([a[:, 0], b[:, 0]]))
    grid = grid[(grid >= lo_m) & (grid <= hi_m)]
    ea = np.exp(np.interp(np.log(grid), np.log(a[:, 0]), np.log(a[:, 1])))
    eb = np.exp(np.interp(np.log(grid), np.log(b[:, 0]), np.log(b[:, 1])))
    lower, upper = np.minimum(ea, eb), np.maximum(ea, eb)
    if np.mean(ea < eb) < 0.5:  # path a is the upper edge
        ok = eb < ea * (1 - 1e-9)
    else:
        ok = ea < eb * (1 - 1e-9)
    good = np.flatnonzero(ok)
    if good.size < 2 or not np.all(ok[good[0] : good[-1] + 1]):
        raise ValueError("the contour edges cross inside: ambiguous")
    sl = slice(good[0], good[-1] + 1)
    return np.column_stack([grid[sl], lower[sl], upper[sl]])


def _read_xy(text: str, sep: str | None) -> np.ndarray:
    rows = []
    for line in text.splitlines():
        s = line.strip()
        if not s or s.startswith("#") or s[0].isalpha():
            continue
        rows.append([float(x) for x in s.split(sep)])
    return np.array(rows, float)


def _write(stem: str, head: list[str], cols: str, rows: list[str], yaml_text: str) -> None:
    (VISIBLE / f"{stem}.csv").write_text("\n".join([*head, cols, *rows]) + "\n", encoding="utf-8")
    (VISIBLE / f"{stem}.yaml").write_text(yaml_text, encoding="utf-8")


def _pi0_eta_fractions(stem: str, mechs_note: str) -> None:
    rows = ["0,1,0", "0.133957,1,0", "0.133958,0,1", "10,0,1"]
    text = [
        f"# production fractions of {stem} (zprime's choice, {mechs_note}); linear in mass, nearest row outside",
        "mass_GeV,pi0_gamma,eta_gamma",
        *rows,
    ]
    (VISIBLE / f"{stem}_production.csv").write_text("\n".join(text) + "\n", encoding="utf-8")


def band_file(
    stem: str,
    name: str,
    title: str,
    experiment: str,
    reference: str,
    arxiv: str,
    bibtex: str,
    inspire: str | None,
    repo_url: str,
    path: str,
    commit: str,
    licence: str,
    digitised_by: str,
    band: np.ndarray,
    lratio: tuple[float, float],
    decay: str,
    notes: str,
) -> None:
    head = [
        f"# dark-photon limit: {stem}",
        f"# experiment: {experiment}",
        f"# publication: {reference}, arXiv:{arxiv}",
        f"# extracted from: {repo_url} {path} (commit {commit}), a closed contour converted to band rows by "
        "tools/import_contours.py",
        "# production (DarkCast mechanism): pi0_gamma below m_pi0 - 2 m_e, eta_gamma above (fractions table)",
        "# decay channel: X -> e+e-" if decay == "ee" else "# decay channel: X -> mu+mu-",
        f"# lifetime/efficiency window: displaced/beam-dump: efficiency given by lratio = L_decay/L_shield = "
        f"{lratio[0]}/{lratio[1]}",
        "# bound type: CLOSED BAND (two-sided): excluded for eps_lower < eps < eps_upper at each mass",
        "# columns: mass_GeV = X mass in GeV; eps_lower, eps_upper = kinetic mixing epsilon of a dark photon",
        f"# provenance/licence: {digitised_by}; {licence}; cite the publication above",
        f"# rows: {band.shape[0]} ; mass range: {band[0, 0]:.6g} - {band[-1, 0]:.6g} GeV",
    ]
    rows = [f"{m:.6e},{lo:.6e},{hi:.6e}" for m, lo, hi in band]
    _pi0_eta_fractions(stem, "as DarkCast 2023 models FASER's preliminary result")
    y = f"""# {title}
# One self-describing limit file (schema: zprime.core.limits); numbers in {stem}.csv.
# Written by tools/import_contours.py.

schema_version: 1
kind: curve
name: {name}
experiment: "{experiment}"
title: "{title}"
reference: "{reference}"
arxiv: "{arxiv}"
inspire: {f'"{inspire}"' if inspire else "null"}
hepdata: null
bibtex: |
{bibtex}
source:
  digitised_by: "{digitised_by}"
  repository: "{repo_url}"
  path: "{path}"
  commit: "{commit}"
  extracted_from: >-
    a closed contour (mass [GeV], eps), converted to band rows by tools/import_contours.py (split at its
    largest mass; both paths monotonic; edges interpolated in log m - log eps on the union of their masses;
    the closing tips, where the edges meet, left out)
  licence: "{licence}"
production: [pi0_gamma, eta_gamma]
production_fractions: {stem}_production.csv
decay: [{decay}]
bound: band
lifetime: {{kind: beam_dump, l_decay_m: {lratio[0]}, l_shield_m: {lratio[1]}}}
couplings:
  model: dark_photon
  validity: {{vector: true, axial: false}}
  notes: >-
    Production through quarks (pi0 and eta decays, vector quark couplings); proton bremsstrahlung neglected.
cl: 0.9
category: current
notes: >-
  {notes}
numbers: {stem}.csv
"""
    _write(stem, head, "mass_GeV,eps_lower,eps_upper", rows, y)


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    foresee, dml = Path(argv[0]), Path(argv[1])
    fs_url = "https://github.com/KlingFelix/FORESEE"
    dml_url = "https://github.com/NewPhysicsLive/DarkMatterLive"

    p = "Models/DarkPhoton/model/lines/bounds_FASER-27invfb.txt"
    band = contour_to_band(_read_xy(_git_show(foresee, p), None))
    band_file(
        "FASER_Abreu2023faser",
        "faser_2023",
        "FASER 2023 (27 fb^-1), pi0/eta -> gamma A', A' -> e+e-",
        "FASER",
        "H. Abreu et al. (FASER), Phys. Lett. B 848 (2024) 138378",
        "2308.05587",
        "\n".join(
            "  " + ln
            for ln in [
                "@article{FASER:2023tle,",
                '  author        = "Abreu, Henso and others",',
                '  collaboration = "FASER",',
                '  title         = "{First Direct Search for Dark Photons with the FASER Detector at the LHC}",',
                '  journal       = "Phys. Lett. B",',
                '  volume        = "848",',
                '  pages         = "138378",',
                '  year          = "2024",',
                '  eprint        = "2308.05587",',
                '  archivePrefix = "arXiv",',
                '  primaryClass  = "hep-ex"',
                "}",
            ]
        ),
        "FASER:2023tle",
        fs_url,
        p,
        _commit(foresee, p),
        "MIT",
        "FORESEE (F. Kling, S. Trojanowski; arXiv:2105.07077)",
        band,
        (5.0, 480.0),
        "ee",
        "The paper's observed limit (27 fb^-1), FORESEE's digitisation; supersedes faser_2023_preliminary. "
        "Recast as DarkCast 2023 recasts FASER's preliminary curve: pi0 -> gamma X below m_pi0 - 2 m_e, "
        "eta -> gamma X above, decay volume 5 m after 480 m of shielding (lratio 5/480).",
    )

    p = "Models/DarkPhoton/model/lines/bounds_NA62ee.txt"
    band = contour_to_band(_read_xy(_git_show(foresee, p), None))
    band_file(
        "NA62_CortinaGil2023ee",
        "na62_2023_ee",
        "NA62 2023 beam dump, A' -> e+e-",
        "NA62",
        "E. Cortina Gil et al. (NA62), Phys. Rev. Lett. 133 (2024) 111802",
        "2312.12055",
        "\n".join(
            "  " + ln
            for ln in [
                "@article{NA62:2312.12055,",
                '  author        = "Cortina Gil, E. and others",',
                '  collaboration = "NA62",',
                '  journal       = "Phys. Rev. Lett.",',
                '  volume        = "133",',
                '  pages         = "111802",',
                '  year          = "2024",',
                '  eprint        = "2312.12055",',
                '  archivePrefix = "arXiv",',
                '  primaryClass  = "hep-ex"',
                "}",
            ]
        ),
        None,
        fs_url,
        p,
        _commit(foresee, p),
        "MIT",
        "FORESEE (F. Kling, S. Trojanowski; arXiv:2105.07077)",
        band,
        (75.0, 142.0),
        "ee",
        "FORESEE's digitisation (file bounds_NA62ee.txt, no source cited there); whether it is the e+e- result "
        "or the e+e- and mu+mu- combination of the paper is unverified (limit_sources.md): it is recast as "
        "e+e- only. Production and geometry follow DarkCast's NA62 and FASER files: pi0 -> gamma X below "
        "m_pi0 - 2 m_e, eta -> gamma X above; 75 m decay volume after 142 m (Tsai et al.'s convention). The "
        "INSPIRE texkey was not verified offline; the BibTeX key is a placeholder.",
    )

    p = "data/BC1/CMS_rescaled.csv"
    xy = _read_xy(_git_show(dml, p), ",")
    rows = []
    for k, (m, e) in enumerate(xy):  # interior closing rows (eps = 1) -> DarkCast's 1e5 'no bound' sentinel
        rows.append(f"{m:.10g},{'1e5' if e >= 1.0 and 0 < k < len(xy) - 1 else f'{e:.10g}'}")
    commit = _commit(dml, p)
    head = [
        "# dark-photon limit: CMS_Tumasyan2023scouting",
        "# experiment: CMS (13 TeV, dimuon scouting)",
        "# publication: A. Tumasyan et al. (CMS), JHEP 12 (2023) 070, arXiv:2309.16003",
        f"# extracted from: {dml_url} {p} (commit {commit}); x = mass [GeV], y = eps (the repository's square "
        "root of CMS's eps^2); the y = 1 rows closing the two mass windows are written as 1e5 sentinels "
        "(interior ones: a vetoed window 2.59-4.20 GeV)",
        "# production (DarkCast mechanism): rho0, eta_gamma, omega_pi0, omega, phi, d_d, u_u, s_s, c_c, b_b "
        "(fractions table)",
        "# decay channel: X -> mu+mu-",
        "# lifetime/efficiency window: t0 = 0, t1 = infinity (prompt)",
        "# bound type: ONE-SIDED: excluded above eps_lower at each mass",
        "# columns: mass_GeV = X mass in GeV; eps_lower = kinetic mixing epsilon of a dark photon",
        "# provenance/licence: DarkMatterLive (NewPhysicsLive), Apache-2.0; cite the publication above",
        f"# rows: {len(rows)} ; mass range: {xy[0, 0]:.6g} - {xy[-1, 0]:.6g} GeV",
    ]
    src_prd = ROOT / "src/zprime/data/limits/visible/LHCb_Aaij2019bvg_prompt_production.csv"
    prd = src_prd.read_text(encoding="utf-8").splitlines()
    (VISIBLE / "CMS_Tumasyan2023scouting_production.csv").write_text(
        "\n".join(
            [
                "# production fractions of CMS_Tumasyan2023scouting: DarkCast's LHCb fractions "
                "(LHCb_Aaij2017rft.prd, as in LHCb_Aaij2019bvg_prompt_production.csv), an approximation for "
                "CMS's central acceptance"
            ]
            + prd[1:]
        )
        + "\n",
        encoding="utf-8",
    )
    y = f"""# CMS 2023 dimuon scouting, pp -> A' X, A' -> mu+mu-
# One self-describing limit file (schema: zprime.core.limits); numbers in CMS_Tumasyan2023scouting.csv.
# Written by tools/import_contours.py.

schema_version: 1
kind: curve
name: cms_2023_scouting
experiment: "CMS"
title: "CMS 2023 dimuon scouting, pp -> A' X, A' -> mu+mu- (1.1-2.6 and 4.2-7.9 GeV)"
reference: "A. Tumasyan et al. (CMS), JHEP 12 (2023) 070"
arxiv: "2309.16003"
inspire: null
hepdata: null
bibtex: |
  @article{{CMS:2309.16003,
    author        = "Tumasyan, Armen and others",
    collaboration = "CMS",
    title         = "{{Search for prompt production of a GeV-scale resonance decaying to a pair of muons in
                     proton-proton collisions at $\\sqrt{{s}}$ = 13 TeV}}",
    journal       = "JHEP",
    volume        = "12",
    pages         = "070",
    year          = "2023",
    eprint        = "2309.16003",
    archivePrefix = "arXiv",
    primaryClass  = "hep-ex"
  }}
source:
  digitised_by: "DarkMatterLive (NewPhysicsLive)"
  repository: "{dml_url}"
  path: "{p}"
  commit: "{commit}"
  extracted_from: >-
    x = mass [GeV], y = eps, the repository's square root of CMS's eps^2 curve (data/BC1/_NotRescaled/CMS.csv)
  licence: "Apache-2.0"
production: [rho0, eta_gamma, omega_pi0, omega, phi, d_d, u_u, s_s, c_c, b_b]
production_fractions: CMS_Tumasyan2023scouting_production.csv
decay: [mumu]
bound: one_sided
lifetime: {{kind: prompt}}
couplings:
  model: dark_photon
  validity: {{vector: true, axial: false}}
  notes: >-
    Production through quarks (Drell-Yan per flavour, meson decays and vector-meson mixing) with DarkCast's
    LHCb fractions: an approximation for CMS (different acceptance); exact for the dark photon.
cl: 0.95
category: current
notes: >-
  CMS's 95 % CL upper limits on eps^2 (the collaboration's figure), digitised by DarkMatterLive.
  Prompt (t1 = infinity): no lifetime requirement is modelled. The INSPIRE texkey was not verified
  offline; the BibTeX key is a placeholder.
numbers: CMS_Tumasyan2023scouting.csv
"""
    _write("CMS_Tumasyan2023scouting", head, "mass_GeV,eps_lower", rows, y)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Build tests/golden/darkcast2023_recasts.json from DarkCast 2023's published recasts.

DarkCast (Ilten, Soreq, Williams, Xue, arXiv:1801.04847; Baruch et al. arXiv:2206.08563; GPL-2.0-or-later) ships,
for every model, its recast of every limit: ``recast/limits/<model>/<limit>.lmt`` (mass [GeV], then the lower and,
for bands, upper bound on the model's global coupling; 1e5 = no bound). This tool reads those text files (it runs
no DarkCast code) and keeps, per model and limit, up to ``--rows`` rows spread over the mass range, for the tests
that compare zprime's ``limits`` with DarkCast's recasts. Only the published limits (``limits/*.lmt``) are kept,
not the reach files, and not DarkCast's g−2 entries (``AMM*``: zprime computes g−2 exactly instead).

    python tools/darkcast2023_recasts.py /path/to/darkcast [--rows 60]

The DarkCast 2023 copy used: github.com/Noah-Everett/DS-Decay-Scripts, commit 2a86698, folder ``darkcast/``.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
from pathlib import Path
from typing import Any

import numpy as np

MODELS = ("dark_photon", "B-L_boson", "B_boson", "protophobic", "Lmu-Ltau_boson", "Le-Lmu_boson")
OUT = Path(__file__).resolve().parents[1] / "tests" / "golden" / "darkcast2023_recasts.json"
NO_BOUND = 1e5


@functools.cache
def _importer() -> Any:
    """tools/import_darkcast.py, loaded once (its .lmt reader is the one used here)."""
    spec = importlib.util.spec_from_file_location(
        "zprime_import_darkcast", Path(__file__).with_name("import_darkcast.py")
    )
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def read_lmt(path: Path) -> tuple[list[str], np.ndarray]:
    """Columns (from the '#' header) and rows of a DarkCast limit file (the reader of tools/import_darkcast.py)."""
    cols, rows = _importer()._lmt_rows(path)
    return cols, np.array([[float(x) for x in r] for r in rows], dtype=float)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("darkcast", type=Path, help="the darkcast folder (with recast/limits/)")
    ap.add_argument("--rows", type=int, default=60)
    ap.add_argument(
        "--recasts",
        type=Path,
        help="read the recasts from this folder (<model>/<limit>.lmt) instead of darkcast/recast/limits, e.g. "
        "a DarkCast run with left-handed neutrinos only",
    )
    ap.add_argument(
        "--what", default="DarkCast 2023 recast/limits/<model>/<limit>.lmt: DarkCast's own recasts"
    )
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    recasts = args.recasts or args.darkcast / "recast" / "limits"
    out: dict = {
        "source": {
            "what": args.what,
            "repository": "https://github.com/Noah-Everett/DS-Decay-Scripts",
            "commit": "2a86698",
            "path": "darkcast/recast/limits",
            "licence": "GPL-2.0-or-later",
            "references": ["arXiv:1801.04847", "arXiv:2206.08563"],
            "units": "mass in GeV; bounds on the model's global coupling (epsilon or g'); 1e5 = no bound",
            "sampling": f"up to {args.rows} rows per file, evenly spaced in row index among rows with a bound",
        },
        "models": {},
    }
    published = {p.stem for p in (args.darkcast / "limits").glob("*.lmt")}
    for model in MODELS:
        per = {}
        for f in sorted((recasts / model).glob("*.lmt")):
            if f.stem not in published or f.stem.startswith("AMM"):
                continue  # reach files (projections), and g-2 (computed exactly by zprime, not recast)
            cols, rows = read_lmt(f)
            if rows.size == 0:
                continue
            bounded = rows[np.any((rows[:, 1:] > 0) & (rows[:, 1:] < NO_BOUND), axis=1)]
            applies = bool(np.any((bounded[:, 1] > 0) & (bounded[:, 1] < 1.0))) if len(bounded) else False
            idx = np.unique(
                np.linspace(0, len(bounded) - 1, min(args.rows, len(bounded))).round().astype(int)
            )
            per[f.stem] = {
                "columns": cols,
                "applies": applies,
                "mass_range_gev": [float(rows[0, 0]), float(rows[-1, 0])],
                "rows": [[float(f"{x:.5g}") for x in r] for r in bounded[idx]] if len(bounded) else [],
            }
        out["models"][model] = per
    args.out.write_text(json.dumps(out, indent=None, separators=(",", ":")) + "\n")
    n = sum(len(v) for v in out["models"].values())
    print(f"wrote {args.out} ({n} files, {args.out.stat().st_size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

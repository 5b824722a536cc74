"""Freeze or check the golden numbers that protect refactors.

    python tools/golden.py freeze     # writes tests/golden/constraints_golden.npz
    python tools/golden.py check      # recomputes and compares bit for bit
    python tools/golden.py reproduce [freeze]   # `zprime reproduce` summary.json and figure numbers

Every registered constraint (current, projection, variant) x every shipped edition x a_e (Cs, Rb) at 200
random points: value, limit, status, chi2; plus the anomaly pulls. The points exercise every coupling field,
masses from 0.05 MeV to 20 GeV. ``tests/test_golden.py`` runs the same comparison.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden" / "constraints_golden.npz"
EDITIONS = ("2021", "2023", "2025")
N_POINTS = 200


def points():
    """200 reproducible random points (every field, log-uniform magnitudes, random signs)."""
    from zprime.core.couplings import LEPTON_FIELDS, Couplings

    # the 13 fields the golden file was frozen with (fields added later stay zero: same random draws)
    fields = LEPTON_FIELDS + ("c_vu", "c_au", "c_vd", "c_ad")

    rng = np.random.default_rng(20261203)
    kw = {"mass_mev": 10 ** rng.uniform(np.log10(0.05), np.log10(2e4), N_POINTS)}
    for f in fields:
        mag = 10 ** rng.uniform(-9, -2, N_POINTS)
        on = rng.random(N_POINTS) < 0.6
        kw[f] = np.where(on, mag * rng.choice([-1.0, 1.0], N_POINTS), 0.0)
    return Couplings(**kw)


def compute() -> dict[str, np.ndarray]:
    from zprime.analyses.likelihood import anomalies
    from zprime.physics.constraints import all_constraints

    c = points()
    out: dict[str, np.ndarray] = {}
    for ed in EDITIONS:
        for ae in ("cs", "rb"):
            an = anomalies(c, ed, ae)
            for fl in ("e", "mu"):
                out[f"{ed}/{ae}/anomaly/{fl}/pull"] = np.asarray(an.pull[fl], float)
            for name, k in sorted(all_constraints().items()):
                r = k.evaluate(c, edition=ed, ae=ae)
                for f in ("value", "limit", "status", "chi2"):
                    out[f"{ed}/{ae}/{name}/{f}"] = np.asarray(getattr(r, f))
    return out


def compare(new: dict[str, np.ndarray], old: dict[str, np.ndarray]) -> list[str]:
    """Keys that differ (bit for bit, NaN equal to NaN), are missing or are new."""
    bad = [f"missing: {k}" for k in old if k not in new]
    bad += [f"new: {k}" for k in new if k not in old]
    for k in old:
        if k in new:
            a, b = np.asarray(new[k]), np.asarray(old[k])
            if a.shape != b.shape or not np.array_equal(a, b, equal_nan=a.dtype.kind == "f"):
                bad.append(f"differs: {k}")
    return bad


REPRO = GOLDEN.parent / "reproduce_summary.json"


def reproduce_fingerprint(out_dir: Path) -> dict:
    """summary.json without timings and paths, plus a SHA-256 of every figure's numbers (netCDF variables)."""
    import hashlib
    import json

    import xarray as xr

    d = json.loads((out_dir / "summary.json").read_text())
    d.pop("elapsed_s", None)
    figs = {}
    for name in sorted(d.pop("figures")):
        with xr.open_dataset(out_dir / f"{name}.nc") as ds:
            figs[name] = {
                v: hashlib.sha256(np.ascontiguousarray(ds[v].values).tobytes()).hexdigest()
                for v in sorted(ds.data_vars)
            }
    d["figure_numbers"] = figs
    return json.loads(json.dumps(d, sort_keys=True))


def run_reproduce(freeze: bool) -> int:
    import json
    import tempfile

    from zprime.app.reproduce import reproduce

    with tempfile.TemporaryDirectory() as tmp:
        reproduce(tmp, quiet=True)
        new = reproduce_fingerprint(Path(tmp))
    if freeze:
        REPRO.write_text(json.dumps(new, indent=1, sort_keys=True))
        print(f"wrote {REPRO}")
        return 0
    old = json.loads(REPRO.read_text())
    if new == old:
        print("reproduce outputs unchanged")
        return 0
    for k in sorted(set(old) | set(new)):
        if old.get(k) != new.get(k):
            print(f"differs: {k}")
    return 1


def main(argv: list[str]) -> int:
    if argv[:1] == ["reproduce"]:
        return run_reproduce(argv[1:2] == ["freeze"])
    if argv[:1] == ["freeze"]:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(GOLDEN, **compute())
        print(f"wrote {GOLDEN}")
        return 0
    if argv[:1] == ["check"]:
        with np.load(GOLDEN) as z:
            old = {k: z[k] for k in z.files}
        bad = compare(compute(), old)
        print("\n".join(bad) if bad else f"golden unchanged ({len(old)} arrays)")
        return 1 if bad else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

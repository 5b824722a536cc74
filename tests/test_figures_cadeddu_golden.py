"""Golden regression on the numbers behind the Cadeddu et al. figures (numbers, not pixels).

Regenerate (after a deliberate physics change) with:  python tests/test_figures_cadeddu_golden.py --regenerate
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from zprime.app.figures import get

GOLDEN = Path(__file__).parent / "golden" / "cadeddu2021_figures.json"
NAMES = ("cadeddu2021-fig2", "cadeddu2021-fig3", "cadeddu2021-fig4", "cadeddu2021-fig5")
RESOLUTION = 24
RTOL = 1e-5


def summary(name: str) -> dict[str, list[float]]:
    """Per variable: mean, min, max and four sample values (fixed flat indices) of the finite entries."""
    ds = get(name).data(resolution=RESOLUTION)
    out = {}
    for k, v in sorted(ds.data_vars.items()):
        a = np.asarray(v.values, float).ravel()
        fin = a[np.isfinite(a)]
        idx = np.linspace(0, a.size - 1, 4).astype(int)
        out[k] = [float(fin.mean()), float(fin.min()), float(fin.max()), *[float(a[i]) for i in idx]]
    return out


@pytest.mark.parametrize("name", NAMES)
def test_golden(name):
    ref = json.loads(GOLDEN.read_text())
    assert ref["tolerance_rtol"] == RTOL
    got = summary(name)
    assert set(got) == set(ref["figures"][name])
    for k, vals in ref["figures"][name].items():
        np.testing.assert_allclose(got[k], vals, rtol=RTOL, atol=1e-12, err_msg=f"{name}:{k}")


if __name__ == "__main__" and "--regenerate" in sys.argv:
    data = {"tolerance_rtol": RTOL, "resolution": RESOLUTION, "figures": {n: summary(n) for n in NAMES}}
    GOLDEN.write_text(json.dumps(data, indent=1))
    print(f"wrote {GOLDEN}")

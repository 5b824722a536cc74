"""zprime limits against DarkCast's own recasts of the same published limits (tests/golden/darkcast_recasts.json:
rows of DarkCast's Limit.recast(model) below 2 m_pi, where only leptonic decays are open; DarkCast is
GPL-2.0-or-later, see the file's "source")."""

import json
from pathlib import Path

import numpy as np
import pytest

from zprime.analyses.limits import limits

REF = json.loads((Path(__file__).parent / "golden" / "darkcast_recasts.json").read_text())
#: DarkCast's (2021) Le-Lmu model carries a loop-induced kinetic mixing evaluated with the mu/tau loop function
#: (a bug of that file); zprime's le_lmu is compared at tree level (eps=0), so meson-decay searches give it no
#: curve. Its default eps="loop" (e/mu loops) is compared with DarkCast 2023 in test_darkcast2023_coverage.py.
KNOWN_MISSING = {("le_lmu", "na48_2")}
TREE_LEVEL = {"le_lmu": {"eps": 0.0}}


@pytest.fixture(scope="module", params=sorted(REF["models"]))
def case(request):
    fixed = TREE_LEVEL.get(request.param, {})
    return request.param, limits(request.param, edition="2025", **fixed), REF["models"][request.param]


def _ratios(curve, rows, columns):
    m_mev = np.array([r[0] for r in rows]) * 1e3
    inside = (m_mev > curve.mass_mev[0]) & (m_mev < curve.mass_mev[-1])
    out = []
    for col, edge in (("lower", curve.lower), ("upper", curve.upper)):
        if col not in columns:
            continue
        j = columns.index(col)
        ref = np.array([r[j] for r in rows])
        ok = inside & np.isfinite(ref) & (ref > 0) & (ref < 1)
        ours = np.exp(np.interp(np.log(m_mev[ok]), np.log(curve.mass_mev), np.log(edge)))
        out.append(ours / ref[ok])
    return np.concatenate(out) if out else np.zeros(0)


def test_agree_with_darkcast_below_two_pion_threshold(case):
    model, ls, ref = case
    all_r = []
    missing = set()
    for name, d in ref.items():
        if name not in ls.names():
            missing.add((model, name))
            continue
        cols = [c for c in d["columns"] if c != "#"]
        r = _ratios(ls[name], d["rows"], cols)
        r = r[np.isfinite(r)]
        assert r.size, name
        assert np.median(np.abs(r - 1)) < 5e-3, (model, name, np.median(r))
        all_r.append(r)
    assert missing == {k for k in KNOWN_MISSING if k[0] == model}
    r = np.concatenate(all_r)
    assert r.size > 500
    assert np.mean(np.abs(r - 1) < 0.03) > 0.97, np.percentile(np.abs(r - 1), [50, 90, 99])
    assert np.mean(np.abs(r - 1) < 0.10) > 0.995, np.percentile(np.abs(r - 1), [50, 90, 99, 100])

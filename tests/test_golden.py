"""Refactors keep every number: each constraint x edition x a_e at 200 points is bit-identical to the
golden file frozen before the core refactor (``tools/golden.py``)."""

import importlib.util
from pathlib import Path

import numpy as np

_TOOL = Path(__file__).resolve().parents[1] / "tools" / "golden.py"
_spec = importlib.util.spec_from_file_location("zprime_golden_tool", _TOOL)
golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(golden)


def test_constraints_bit_identical_to_golden():
    with np.load(golden.GOLDEN) as z:
        old = {k: z[k] for k in z.files}
    assert len(old) == 972  # 900 before the core refactor + the two weak charges (48) + coherent_csi (24)
    # constraints added later are new keys, not changes
    assert [b for b in golden.compare(golden.compute(), old) if not b.startswith("new: ")] == []


def test_compare_detects_a_change():
    a = {"x": np.array([1.0, np.nan])}
    assert golden.compare(a, {"x": np.array([1.0, np.nan])}) == []
    assert golden.compare({"x": np.array([1.0 + 1e-16 * 2, np.nan])}, a) == ["differs: x"]
    assert golden.compare({}, a) == ["missing: x"]

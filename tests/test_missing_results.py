"""Published results zprime does not implement are listed with their arXiv id, the reason and what is needed."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Results published since 2022 (issue 15 item 4) that have no file with numbers: each must be listed as missing.
PAPER_ONLY = {
    "2401.01708": "na64mu_2024_invisible",
    "2307.02404": "na64e_2023_invisible",
    "2404.06982": "na64e_lmu_ltau_2024",
    "2212.03066": "belle2_2023_mumu_invisible",
    "2403.02841": "belle2_2024_4mu",
    "2209.13893": "besiii_2022_invisible",
    "2311.01076": "besiii_2023_muonphilic",
    "2204.03011": "borexino_phase2",
}


@pytest.fixture(scope="module")
def listing() -> dict:
    r = subprocess.run(
        [sys.executable, "-m", "zprime.app.cli", "data", "list", "--json"], capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_paper_only_results_are_listed_with_reason(listing: dict) -> None:
    statements = {s["name"]: s for s in listing["statements"]}
    for arxiv, name in PAPER_ONLY.items():
        s = statements[name]
        assert s["arxiv"] == arxiv
        assert s["implemented"] is False
        assert "Why it is missing" in s["notes"] and "What would be needed" in s["notes"]


def test_missing_results_are_not_constraints() -> None:
    from zprime.physics.constraints import all_constraints

    assert not set(PAPER_ONLY.values()) & set(all_constraints())


def test_catalogue_lists_them() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[1] / "docs" / "constraints.md").read_text()
    section = text.split("## Listed, not implemented", 1)[1]
    for arxiv in PAPER_ONLY:
        assert arxiv in section

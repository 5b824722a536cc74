"""A user's YAML charge file works wherever a model name does, and user edition files in figures and scans."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from zprime.core.errors import DataFileError, UnknownNameError
from zprime.physics.models import resolve

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "examples" / "my_u1_model.yaml"
CLI = [sys.executable, "-m", "zprime.app.cli"]


def _run(*args, cwd=None):
    return subprocess.run([*CLI, *args], capture_output=True, text=True, cwd=cwd)


def test_resolve_name_path_and_errors(tmp_path):
    assert resolve("b_minus_l").name == "b_minus_l"
    m = resolve(MODEL)
    assert resolve(str(MODEL)).name == m.name
    c = m.couplings(mass_mev=20.0, g_prime=1e-4, eps=0.0)
    assert float(c.c_vmu) != 0.0
    with pytest.raises(UnknownNameError):
        resolve("no_such_model")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nleptons: {e: 1, mu: banana, tau: 0}\n")
    with pytest.raises(DataFileError):
        resolve(bad)


def test_check_with_a_model_matches_the_couplings():
    r = _run(
        "check", "--mass", "20", "--model", str(MODEL), "--set", "g_prime=1e-4", "--set", "eps=0", "--json"
    )
    assert r.returncode == 0, r.stderr
    point = json.loads(r.stdout)["point"]
    c = resolve(MODEL).couplings(mass_mev=20.0, g_prime=1e-4, eps=0.0)
    assert point["c_vmu"] == pytest.approx(float(c.c_vmu), rel=1e-15)
    for bad in (
        ["--set", "g_prime=1e-4"],
        ["--model", "b_minus_l", "--cve", "1e-3", "--set", "g_prime=1e-4"],
    ):
        r = _run("check", "--mass", "20", *bad)
        assert r.returncode == 2 and r.stderr.count("\n") == 1


def test_viability_with_a_yaml_model():
    r = _run("viability", str(MODEL), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["model"] == resolve(MODEL).name and isinstance(d["viable"], bool)


def test_scan_config_with_a_yaml_model_and_edition_file(tmp_path):
    ed = tmp_path / "mine.yaml"
    ed.write_text(
        "edition: mine\nextends: '2025'\ndescription: test\nmeasurements:\n"
        "  - {id: amu_mine, name: delta_a_mu, value: 1.0e-9, uncertainty: 1.0e-10, "
        "reference: 'my own, Phys. Rev. D 1 (2026) 1'}\n"
    )
    cfg = tmp_path / "scan.toml"
    cfg.write_text(
        f'model = "{MODEL}"\nedition = "{ed}"\n[axes.mass_mev]\nvalues = [10.0, 20.0]\n'
        "[axes.g_prime]\nvalues = [1e-4, 3e-4]\n"
    )
    out = tmp_path / "s.nc"
    r = _run("scan", str(cfg), "--out", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    import xarray as xr

    with xr.open_dataset(out) as ds:
        assert ds.attrs["edition"] == "mine"
        m = resolve(MODEL)
        c = m.couplings(mass_mev=20.0, g_prime=3e-4, eps=0.0)
        from zprime.physics.observables.g2 import delta_a

        pull = (float(delta_a(c, "mu")) - 1.0e-9) / 1.0e-10
        got = ds["pull_mu"].sel(mass_mev=20.0, g_prime=3e-4).values
        np.testing.assert_allclose(got, pull, rtol=1e-6)  # stored as float32


def test_figure_accepts_an_edition_file(tmp_path):
    from zprime.app.figures._recipes import check_options
    from zprime.core.errors import InputError

    ed = tmp_path / "mine.yaml"
    ed.write_text("edition: mine\nextends: '2023'\ndescription: test\nmeasurements: []\n")
    check_options(str(ed), "cs", 40, "seed")
    check_options("2023", "rb", 40, "seed")
    with pytest.raises(InputError, match="edition"):
        check_options("1999", "cs", 40, "seed")

"""One self-describing file per published limit: schema, discovery (shipped and user folders), CLI."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml

import zprime
from zprime.core import limit_curves as lc
from zprime.core.constants import E_CHARGE
from zprime.core.couplings import Couplings
from zprime.core.errors import DataFileError
from zprime.core.limits import CurveMeta, load_limit_file
from zprime.physics import recast as rc
from zprime.physics.constraints import Status, get, names

SRC = Path(zprime.__file__).resolve().parents[1]
BASE = "a1"  # prompt e-brem search: a leptophilic Z' with C_Vl = -e eps is exactly the leptonic dark photon
NEW = "a1_strong"
FACTOR = 0.1


@pytest.fixture(autouse=True)
def _no_user_limits(monkeypatch):
    """Every test starts and ends with the shipped limits only."""
    monkeypatch.delenv(lc.ENV_VAR, raising=False)
    lc.set_limits_path(None)
    yield
    monkeypatch.delenv(lc.ENV_VAR, raising=False)
    lc.set_limits_path(None)


def _user_copy(folder: Path, name: str = NEW, factor: float = FACTOR) -> tuple[Path, Path]:
    """Copy the shipped A1 curve into ``folder`` as ``name`` with every measured eps scaled by ``factor``."""
    meta = lc.entry(BASE)
    assert isinstance(meta, CurveMeta)
    raw = yaml.safe_load(meta.path.read_text())
    raw["name"] = name
    raw["numbers"] = f"{name}.csv"
    raw["title"] = f"A1 scaled by {factor} (test)"
    folder.mkdir(parents=True, exist_ok=True)
    ypath = folder / f"{name}.yaml"
    ypath.write_text(yaml.safe_dump(raw, sort_keys=False))
    lines = []
    for line in meta.numbers_path.read_text().splitlines():
        if line.startswith("#") or line.startswith("mass_GeV"):
            lines.append(line)
            continue
        m, *eps = line.split(",")
        keep = [e if float(e) in lc.SENTINEL_AT_ENDS else repr(float(e) * factor) for e in eps]
        lines.append(",".join([m, *keep]))
    cpath = folder / f"{name}.csv"
    cpath.write_text("\n".join(lines) + "\n")
    return ypath, cpath


def _point() -> tuple[float, float]:
    """A grid mass of the A1 curve and eps = eps_lim/3 there: allowed by A1, excluded by A1 × 0.1."""
    c = lc.curve(BASE)
    i = c.mass_mev.size // 2
    return float(c.mass_mev[i]), float(c.eps_lower[i]) / 3.0


def _cli(args: list[str], user: Path | None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.pop(lc.ENV_VAR, None)
    if user is not None:
        env[lc.ENV_VAR] = str(user)
    cmd = [sys.executable, "-m", "zprime.app.cli", *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)


def _check_args(mass: float, eps: float) -> list[str]:
    g = -E_CHARGE * eps
    return ["check", "--mass", repr(mass), "--cve", repr(g), "--cvmu", repr(g), "--cvtau", repr(g), "--json"]


# ================================================================================== shipped files
def test_every_csv_has_one_metadata_file_and_vice_versa():
    root = lc.limits_dir()
    assert not (root / "index.yaml").exists()  # no central index
    csvs = {p.resolve() for p in lc.all_curve_files()}
    curves = lc.entries("curve")
    named = [e.numbers_path.resolve() for e in curves]
    fractions = [p.resolve() for e in curves for p in (e.fractions_path, e.t1_table_path) if p is not None]
    assert len(named) == len(set(named)) and set(named) | set(fractions) == csvs
    for e in curves:
        assert e.path.with_suffix(".csv").resolve() == e.numbers_path.resolve()  # the YAML sits beside it
    files = {p.resolve() for p in lc.limit_files(root)}
    assert files == {e.path.resolve() for e in lc.entries()}


def test_shipped_metadata_is_complete():
    for e in lc.entries("curve"):
        assert isinstance(e, CurveMeta)
        assert e.bibtex and re.match(r"@(article|inproceedings)\{", e.bibtex)
        assert e.source.commit and e.source.path and e.source.repository
        if "DarkCast" in e.source.digitised_by:
            assert e.inspire and re.match(rf"@(article|inproceedings)\{{{re.escape(e.inspire)},", e.bibtex)
            assert e.source.licence == "GPL-2.0-or-later" and e.source.path.endswith(".lmt")
        else:  # results published since 2022, from FORESEE (MIT) and DarkMatterLive (Apache-2.0)
            assert e.source.licence in ("MIT", "Apache-2.0")
        if e.arxiv:
            assert f'eprint        = "{e.arxiv}"' in e.bibtex
        # the recast of the meson decays uses vector quark couplings only
        assert e.couplings.validity.axial is all(m in ("e_e", "e_brem", "mu_brem") for m in e.mechanisms)
    assert lc.entry("babar_2014").inspire == "Lees:2014xha"
    v = lc.entry("babar_2014_envelope")
    assert v.kind == "variant" and v.derived_from == "babar_2014"
    s = lc.entry("belle2_eq17")
    assert s.kind == "statement" and s.upper_limit == 9e-5 and s.mass_range_mev == (20.198, 10200.0)


def test_metadata_errors_name_file_and_field(tmp_path):
    ypath, _ = _user_copy(tmp_path / "u")
    good = ypath.read_text()
    cases = {
        "cl": good.replace("cl: 0.9", "cl: 1.5"),
        "production.0": good.replace("- e_brem", "- e_gamma"),
        "experiment": "\n".join(x for x in good.splitlines() if not x.startswith("experiment:")),
        "lifetime": good.replace("kind: prompt", "kind: sometimes"),
        "numbers": good.replace(f"numbers: {NEW}.csv", "numbers: ../x.txt"),
        "colour": good + "colour: blue\n",
        "bibtex": good.replace("@article{Merkel:2014avp,", "@article{Other:2014avp,"),
        "kind": good.replace("kind: curve", "kind: table"),
    }
    for field, text in cases.items():
        ypath.write_text(text)
        with pytest.raises(DataFileError) as exc:
            load_limit_file(ypath)
        assert exc.value.field is not None and exc.value.field.startswith(field), (field, str(exc.value))
        assert str(ypath) in str(exc.value)


def test_header_mismatch_is_caught(tmp_path):
    """The provenance check: metadata and the CSV's DarkCast header must agree."""
    ypath, _ = _user_copy(tmp_path / "u")
    ypath.write_text(ypath.read_text().replace("- ee", "- mumu"))
    lc.set_limits_path(tmp_path / "u")
    with pytest.raises(DataFileError) as exc:
        lc.curve(NEW)
    assert exc.value.field == "decay channel" and f"{NEW}.csv" in str(exc.value)


# =================================================================================== user folders
def test_python_limits_path_makes_a_constraint(tmp_path):
    mass, eps = _point()
    g = -E_CHARGE * eps
    c = Couplings(mass_mev=mass, c_ve=g, c_vmu=g, c_vtau=g)
    assert get(BASE).evaluate(c).status == Status.ALLOWED
    assert NEW not in names()
    _user_copy(tmp_path / "u" / "sub")  # found recursively
    lc.set_limits_path([tmp_path / "u"])
    assert lc.is_user(NEW) and NEW in rc.search_names(category="current", decay="visible")
    assert lc.curve(NEW).eps_lower == pytest.approx(FACTOR * lc.curve(BASE).eps_lower, rel=1e-12)
    r = get(NEW).evaluate(c)
    assert r.status == Status.EXCLUDED
    assert float(r.value) / float(r.limit) == pytest.approx(1 / (3 * FACTOR), rel=1e-9)
    assert get(BASE).evaluate(c).status == Status.ALLOWED  # the shipped one is untouched
    lc.set_limits_path(None)
    assert NEW not in names()


def test_env_var_is_read_at_discovery(tmp_path, monkeypatch):
    _user_copy(tmp_path / "u")
    monkeypatch.setenv(lc.ENV_VAR, os.pathsep.join([str(tmp_path / "u"), str(tmp_path / "u")]))
    lc.reload()
    assert NEW in names() and NEW in [x["name"] for x in map(lc.curve_info, rc.search_names())]
    monkeypatch.setenv(lc.ENV_VAR, str(tmp_path / "missing"))
    lc.reload()
    with pytest.raises(DataFileError) as exc:
        lc.entries()
    assert exc.value.field == lc.ENV_VAR and "missing" in str(exc.value)


def test_name_clash_names_both_files(tmp_path):
    ypath, _ = _user_copy(tmp_path / "u", name=BASE)
    lc.set_limits_path(tmp_path / "u")
    with pytest.raises(DataFileError) as exc:
        lc.entries()
    msg = str(exc.value)
    assert str(ypath) in msg and "A1_Merkel2014avp.yaml" in msg and exc.value.field == "name"


def test_user_csv_without_header(tmp_path):
    """A user's CSV needs no DarkCast header; the metadata file carries everything."""
    _, cpath = _user_copy(tmp_path / "u")
    cpath.write_text("\n".join(x for x in cpath.read_text().splitlines() if not x.startswith("#")) + "\n")
    lc.set_limits_path(tmp_path / "u")
    assert lc.curve(NEW).mass_range_mev == lc.curve(BASE).mass_range_mev


# ============================================================================================ CLI
def test_cli_lists_and_checks_a_user_curve(tmp_path):
    user = tmp_path / "u"
    _user_copy(user)
    mass, eps = _point()
    r = _cli(["data", "list", "--json"], user)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    curves = {c["name"]: c for c in d["curves"]}
    assert set(curves) >= {NEW, BASE, "babar_2014", "babar_2014_envelope"}
    new = curves[NEW]
    assert new["user"] is True and new["inspire"] == "Merkel:2014avp" and new["arxiv"] == "1404.5502"
    assert new["category"] == "current" and new["experiment"] == curves[BASE]["experiment"]
    assert new["mass_range_mev"] == pytest.approx(curves[BASE]["mass_range_mev"])
    assert new["file"] == str(user / f"{NEW}.yaml")
    shipped = {p.stem for p in (Path(zprime.__file__).parent / "data" / "limits").rglob("*.yaml")}
    assert {"belle2_eq17", "na64_ls2"} <= {s["name"] for s in d["statements"]} <= shipped
    assert "delta_a_mu" in {m["name"] for m in d["measurements"]["2021"]}

    r = _cli(_check_args(mass, eps), user)
    assert r.returncode == 0, r.stderr
    status = {c["name"]: c["status"] for c in json.loads(r.stdout)["constraints"]}
    assert status[NEW] == "excluded" and status[BASE] == "allowed"
    r = _cli(_check_args(mass, eps), None)  # without the user folder: allowed by everything it had
    status = {c["name"]: c["status"] for c in json.loads(r.stdout)["constraints"]}
    assert NEW not in status and status[BASE] == "allowed"


@pytest.mark.parametrize(
    ("what", "field"),
    [("bad field", "cl"), ("missing field", "experiment"), ("non-numeric row", "row 5")],
)
def test_cli_malformed_user_curve_exits_2(tmp_path, what, field):
    ypath, cpath = _user_copy(tmp_path / "u")
    if what == "bad field":
        ypath.write_text(ypath.read_text().replace("cl: 0.9", "cl: ninety"))
    elif what == "missing field":
        ypath.write_text(
            "\n".join(x for x in ypath.read_text().splitlines() if not x.startswith("experiment:"))
        )
    else:
        rows = cpath.read_text().splitlines()
        k = next(i for i, x in enumerate(rows) if x.startswith("mass_GeV"))
        rows[k + 5] = rows[k + 5].split(",")[0] + ",abc"
        cpath.write_text("\n".join(rows) + "\n")
    bad = cpath if what == "non-numeric row" else ypath
    mass, eps = _point()
    for args in (["data", "list"], _check_args(mass, eps), ["data", "validate"]):
        r = _cli(args, tmp_path / "u")
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        err = r.stderr.strip().splitlines()
        assert len(err) == 1 and "Traceback" not in r.stderr
        assert str(bad) in err[0] and f"[{field}]" in err[0]
        if args[:2] == ["data", "list"]:
            assert r.stdout == ""  # nothing half-printed before the error


def test_shipped_lookups_unchanged_after_reload():
    """Rediscovery rebuilds the searches with identical numbers."""
    m = np.geomspace(2.0, 900.0, 40)
    c = Couplings(mass_mev=m, c_ve=3e-4, c_vmu=2e-4, c_vtau=1e-4)
    before = {n: get(n).evaluate(c) for n in ("babar_2014", "na64_2019", "kloe_2015", "babar_2014_envelope")}
    lc.reload()
    for n, r in before.items():
        again = get(n).evaluate(c)
        np.testing.assert_array_equal(again.value, r.value)
        np.testing.assert_array_equal(again.status, r.status)

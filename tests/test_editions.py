"""Measurement editions: the default from the data, user edition files (overlays), a_e choices from the
data, and constraints whose measurement an edition lacks (not applicable, with the reason)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from zprime.analyses.likelihood import anomalies, anomaly_measurements, evaluate
from zprime.core import measurements as M
from zprime.core.couplings import Couplings
from zprime.core.errors import DataFileError, InputError, MissingMeasurementError, UnknownNameError
from zprime.core.yaml_io import read_yaml
from zprime.physics.constraints import EvalOptions, Status, all_constraints

SRC = Path(__file__).resolve().parents[1] / "src"

MY_AMU = (100.0e-11, 50.0e-11)

MINE = f"""\
edition: my-2026
extends: "2025"
description: "2025 inputs with my own a_mu"
measurements:
  - id: delta_a_mu_mine
    name: delta_a_mu
    value: {MY_AMU[0]!r}
    uncertainty: {MY_AMU[1]!r}
    reference: "my own, Phys. Rev. D 1 (2026) 1"
"""

ALONE = f"""\
edition: alone
extends: null
measurements:
  - id: delta_a_mu_alone
    name: delta_a_mu
    value: {MY_AMU[0]!r}
    uncertainty: {MY_AMU[1]!r}
    reference: "my own, Phys. Rev. D 1 (2026) 1"
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


@pytest.fixture()
def mine(tmp_path: Path) -> Path:
    return _write(tmp_path, "mine.yaml", MINE)


@pytest.fixture()
def alone(tmp_path: Path) -> Path:
    return _write(tmp_path, "alone.yaml", ALONE)


def _points() -> Couplings:
    """A few points that switch on every lepton coupling, across the mass ranges of the constraints."""
    m = np.array([0.5, 5.0, 20.0, 80.0, 300.0, 3000.0])
    return Couplings(
        mass_mev=m,
        c_ve=3e-5,
        c_ae=2e-4,
        c_vmu=5e-4,
        c_amu=1e-5,
        c_nue=1e-6,
        c_numu=1e-6,
        c_nutau=1e-7,
        c_vtau=1e-4,
    )


# ------------------------------------------------------------------------------------ default edition
def test_default_edition_comes_from_the_data():
    raw = read_yaml(M._data_dir() / "editions.yaml")
    assert M.default_edition() == raw["default"] == M.DEFAULT_EDITION
    assert raw["default"] in M.editions()
    assert M.load_edition() is M.load_edition(raw["default"])
    assert M.get("delta_a_mu") is M.get("delta_a_mu", raw["default"])
    assert EvalOptions().edition == raw["default"]


def test_unknown_edition_lists_the_shipped_ones():
    with pytest.raises(UnknownNameError, match="2021, 2023, 2025"):
        M.load_edition("1999")
    with pytest.raises(InputError) as exc:
        EvalOptions(edition="no/such/file.yaml")
    assert exc.value.parameter == "edition" and "2025" in str(exc.value)


def test_missing_quantity_is_a_missing_measurement_error():
    with pytest.raises(MissingMeasurementError) as exc:
        M.get("no_such_quantity", "2025")
    assert isinstance(exc.value, UnknownNameError)
    assert exc.value.reason == "no no_such_quantity in edition 2025"


# ------------------------------------------------------------------------------------- user editions
def test_user_edition_overrides_and_inherits(mine: Path):
    ed = M.load_edition(mine)
    assert ed.name == "my-2026" and ed.base == "2025" and ed.source == str(mine.resolve())
    assert (ed["delta_a_mu"].value, ed["delta_a_mu"].uncertainty) == MY_AMU
    e25 = M.load_edition("2025")
    assert set(ed.measurements) == set(e25.measurements)
    for q in e25.measurements:
        if q != "delta_a_mu":
            assert ed[q] is e25[q]
    # str and Path give the same edition; edition= accepts both everywhere
    assert M.load_edition(str(mine)) is ed
    assert M.get("delta_a_mu", mine) is ed["delta_a_mu"]
    assert EvalOptions(edition=mine).edition == str(mine.resolve())


def test_user_edition_adds_keys_and_a_new_ae_choice(tmp_path: Path):
    text = MINE + (
        "  - id: delta_a_e_li_mine\n    name: delta_a_e_li\n    value: 5.0e-13\n    uncertainty: 2.5e-13\n"
        "    reference: 'my own, Phys. Rev. D 1 (2026) 2'\n"
    )
    path = _write(tmp_path, "li.yaml", text)
    assert M.ae_choices(path) == ("cs", "li", "rb")
    assert "li" not in M.ae_choices("2025")
    an = anomalies(Couplings(mass_mev=20.0, c_ve=1e-4), path, "li")
    assert float(an.pull["e"]) == pytest.approx((float(an.delta_a["e"]) - 5.0e-13) / 2.5e-13, rel=1e-12)
    with pytest.raises(InputError, match="cs, rb"):
        EvalOptions(edition="2025", ae="li")


def test_user_edition_extends_another_file(tmp_path: Path, mine: Path):
    sub = tmp_path / "sub"
    sub.mkdir()
    child = _write(
        sub,
        "child.yaml",
        "edition: child\nextends: ../mine.yaml\nmeasurements:\n"
        "  - id: texono_mine\n    name: texono_nuebar_e\n    value: 1.0\n    uncertainty: 0.2\n"
        "    reference: 'my own, Phys. Rev. D 1 (2026) 3'\n",
    )
    ed = M.load_edition(child)
    assert ed["delta_a_mu"].value == MY_AMU[0]  # from mine.yaml
    assert ed["texono_nuebar_e"].value == 1.0
    assert ed["white_dwarf_cooling"] is M.get("white_dwarf_cooling", "2025")
    # a cycle is an error naming the file
    _write(tmp_path, "a.yaml", "edition: a\nextends: b.yaml\n")
    _write(tmp_path, "b.yaml", "edition: b\nextends: a.yaml\n")
    with pytest.raises(DataFileError, match="cycle"):
        M.load_edition(tmp_path / "a.yaml")


def test_user_edition_cache_follows_the_file(tmp_path: Path):
    path = _write(tmp_path, "mine.yaml", MINE)
    first = M.load_edition(path)
    assert M.load_edition(path) is first  # cached
    path.write_text(MINE.replace(repr(MY_AMU[0]), "1.2e-09"))
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))  # a new mtime whatever the clock
    again = M.load_edition(path)
    assert again is not first and again["delta_a_mu"].value == pytest.approx(1.2e-9)
    # bounded
    for i in range(M._USER_CACHE_SIZE + 5):
        M.load_edition(_write(tmp_path, f"e{i}.yaml", MINE.replace("my-2026", f"e{i}")))
    assert len(M._user_cache) <= M._USER_CACHE_SIZE


@pytest.mark.parametrize(
    ("text", "field"),
    [
        (MINE.replace("value: 1e-09", "value: abc"), "delta_a_mu_mine.value"),
        (MINE.replace('reference: "my own, Phys. Rev. D 1 (2026) 1"', 'reference: "x"'), "reference"),
        (MINE.replace('extends: "2025"\n', ""), "extends"),
        (MINE.replace('extends: "2025"', 'extends: "1999"'), "extends"),
        (MINE.replace("edition: my-2026", 'edition: "2025"'), "edition"),
        (MINE + "    editions: ['2025']\n", "delta_a_mu_mine.editions"),
        (MINE + "colour: blue\n", "colour"),
        (MINE.replace("    uncertainty: 5e-10\n", ""), "delta_a_mu_mine.uncertainty"),
        ("- just\n- a list\n", None),
        ("edition: [\n", None),
    ],
)
def test_malformed_user_edition_names_file_and_field(tmp_path: Path, text: str, field: str | None):
    assert text != MINE
    path = _write(tmp_path, "broken.yaml", text)
    with pytest.raises(DataFileError) as exc:
        M.load_edition(path)
    assert "broken.yaml" in str(exc.value)
    if field is not None:
        assert exc.value.field is not None and field in exc.value.field


# ------------------------------------------------------------- every constraint under every edition
@pytest.mark.parametrize("edition", ["2021", "2023", "2025", "mine", "alone"])
@pytest.mark.parametrize("ae", ["cs", "rb"])
def test_every_constraint_evaluates_under_every_edition(edition: str, ae: str, mine: Path, alone: Path):
    ed: str | Path = {"mine": mine, "alone": alone}.get(edition, edition)
    c = _points()
    for name, k in sorted(all_constraints().items()):
        r = k.evaluate(c, edition=ed, ae=ae)
        assert r.status.shape == c.shape, name
        assert np.all(np.isin(r.status, [s.value for s in Status])), name
        if r.reason:
            assert np.all(r.status == Status.NOT_APPLICABLE) and np.all(r.chi2 == 0.0), name
            # only the bare user edition lacks inputs, or a shipped edition that predates the constraint's
            # measurement (e.g. coherent_csi, entries in 2023 and 2025 only), named in the reason
            late = edition in ("2021", "2023", "2025") and any(
                q not in M.load_edition(edition) and q in r.reason for q in k.measurements
            )
            assert edition == "alone" or late, (name, r.reason)


def test_user_edition_matches_its_base_except_the_override(mine: Path):
    """A user edition that overrides only a_mu gives its base's numbers for every constraint."""
    c = _points()
    for name, k in sorted(all_constraints().items()):
        a, b = k.evaluate(c, edition=mine), k.evaluate(c, edition="2025")
        for f in ("value", "limit", "status", "chi2"):
            np.testing.assert_array_equal(getattr(a, f), getattr(b, f), err_msg=f"{name}.{f}")


def test_standalone_edition_reports_missing_keys(alone: Path):
    c = _points()
    for block_size in (None, 2):  # one call, and the result assembled from blocks
        ev = evaluate(c, edition=alone, ae="rb", block_size=block_size, workers=1)
        reasons = ev.reasons
        assert reasons["texono"] == "no texono_nuebar_e in edition alone"
        assert reasons["white_dwarf"] == "no white_dwarf_cooling in edition alone"
        assert reasons["moller_e158"] == "no moller_e158_sin2w_eff in edition alone"
        for name, why in reasons.items():
            assert why.startswith("no ") and why.endswith(" in edition alone"), name
            assert np.all(ev.results[name].status == Status.NOT_APPLICABLE)
        # limit curves (dark-photon searches) do not depend on the edition: they still apply
        assert any(r.applicable.any() for r in ev.results.values())
        assert ev.anomalies.reasons == {"e": "no delta_a_e_rb in edition alone"}
        assert np.all(np.isnan(ev.anomalies.pull["e"]))
        da_mu = np.asarray(ev.anomalies.delta_a["mu"])
        np.testing.assert_allclose(ev.anomalies.pull["mu"], (da_mu - MY_AMU[0]) / MY_AMU[1], rtol=1e-12)
    # analyses that need both anomalies say which one is missing
    with pytest.raises(MissingMeasurementError, match="delta_a_e_cs"):
        anomaly_measurements(alone, "cs", require=True)
    assert set(anomaly_measurements(alone, "cs")) == {"mu"}


def test_shipped_editions_have_no_reasons():
    ev = evaluate(_points(), edition="2025", ae="rb")
    assert ev.reasons == {} and ev.anomalies.reasons == {}


# --------------------------------------------------------------------------------------- a_e choices
def test_ae_choices_come_from_the_data():
    keys = {q for e in M.editions() for q in M.load_edition(e).measurements if q.startswith("delta_a_e_")}
    assert M.ae_choices() == tuple(sorted(q.removeprefix("delta_a_e_") for q in keys)) == ("cs", "rb")
    listed = ", ".join(M.ae_choices())
    for bad in ("xx", "CS", 3):
        with pytest.raises(InputError, match=listed) as exc:
            EvalOptions(ae=bad)  # type: ignore[arg-type]
        assert exc.value.parameter == "ae"


# ----------------------------------------------------------------------------------------------- CLI
def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run(
        [sys.executable, "-m", "zprime.app.cli", *args], capture_output=True, text=True, env=env, timeout=300
    )


def _main(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """The CLI in this process: (exit status, stdout, stderr)."""
    from zprime.app.cli import main

    with pytest.raises(SystemExit) as exc:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(exc.value.code or 0), out.out, out.err


def test_cli_user_edition_changes_the_a_mu_pull(mine: Path):
    point = ["--mass", "20", "--cae", "2e-4", "--cvmu", "5e-4"]
    base = json.loads(_cli("g2", *point, "--edition", "2025", "--json").stdout)
    own = json.loads(_cli("g2", *point, "--edition", str(mine), "--json").stdout)
    assert own["edition"] == "my-2026" and base["edition"] == "2025"
    da_mu = own["delta_a"]["mu"]
    assert da_mu == base["delta_a"]["mu"]
    m25 = M.get("delta_a_mu", "2025")
    assert base["pull"]["mu"] == pytest.approx((da_mu - m25.value) / m25.uncertainty, rel=1e-12)
    assert own["pull"]["mu"] == pytest.approx((da_mu - MY_AMU[0]) / MY_AMU[1], rel=1e-12)
    assert own["pull"]["mu"] != pytest.approx(base["pull"]["mu"])
    assert own["pull"]["e"] == base["pull"]["e"]  # a_e inherited from 2025

    chk = json.loads(_cli("check", *point, "--edition", str(mine), "--json").stdout)
    chk25 = json.loads(_cli("check", *point, "--edition", "2025", "--json").stdout)
    assert chk["edition"] == "my-2026"
    assert chk["anomalies"]["mu"]["pull"] == pytest.approx((da_mu - MY_AMU[0]) / MY_AMU[1], rel=1e-12)
    assert chk25["anomalies"]["mu"]["pull"] == pytest.approx(base["pull"]["mu"], rel=1e-12)
    assert chk["constraints"] == chk25["constraints"]  # only a_mu differs


def test_cli_standalone_edition_gives_reasons(alone: Path):
    r = _cli("check", "--mass", "20", "--cae", "2e-4", "--edition", str(alone), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    rows = {x["name"]: x for x in d["constraints"]}
    assert rows["texono"]["status"] == "not_applicable"
    assert rows["texono"]["reason"] == "no texono_nuebar_e in edition alone"
    assert d["anomalies"]["e"] == {
        "delta_a": d["anomalies"]["e"]["delta_a"],
        "pull": None,
        "reason": "no delta_a_e_cs in edition alone",
    }
    assert all("reason" not in x for x in rows.values() if x["status"] != "not_applicable")


def test_cli_malformed_edition_is_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    bad = _write(tmp_path, "bad.yaml", MINE.replace("value: 1e-09", "value: abc"))
    r = _cli("g2", "--mass", "20", "--edition", str(bad))
    assert r.returncode == 2 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert "bad.yaml" in lines[0] and "delta_a_mu_mine.value" in lines[0]
    for command in ("check --mass 20", "window", "viability sm_u1", "fit darkz", "data list"):
        code, out, err = _main(capsys, *command.split(), "--edition", str(bad))
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1, command
        assert "bad.yaml" in err and "delta_a_mu_mine.value" in err, command


def test_cli_unknown_edition_and_ae(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    code, _, err = _main(capsys, "g2", "--mass", "20", "--edition", str(tmp_path / "missing.yaml"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "missing.yaml" in err and "2021, 2023, 2025" in err
    code, _, err = _main(capsys, "check", "--mass", "20", "--ae", "xx")
    assert code == 2 and "--ae" in err and ", ".join(M.ae_choices()) in err


def test_help_text_mentions_edition_files(capsys: pytest.CaptureFixture[str]):
    for command in ("g2", "check", "window", "viability", "data list", "figure"):
        code, out, _ = _main(capsys, *command.split(), "--help")
        assert code == 0 and "edition file" in " ".join(out.split()), command


def test_cache_sees_a_rewrite_with_the_same_mtime(tmp_path: Path):
    """A rewrite within one clock tick (same mtime) but of another size is still seen."""
    path = _write(tmp_path, "fast.yaml", MINE)
    before = path.stat()
    assert M.load_edition(path)["delta_a_mu"].reference.startswith("my own,")
    path.write_text(MINE.replace("my own,", "my own and longer,"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert M.load_edition(path)["delta_a_mu"].reference.startswith("my own and longer")


def test_recast_widths_per_edition_inherited_and_overridden(tmp_path: Path) -> None:
    """The seeds' edition recasts with leptonic widths, the later ones with DarkCast 2023's hadronic widths;
    a user edition inherits its base's choice unless it sets its own, and anything else is refused."""
    assert M.load_edition("2021").recast_widths == "leptonic"
    assert M.load_edition("2023").recast_widths == "hadronic"
    assert M.load_edition("2025").recast_widths == "hadronic"
    inherit = _write(tmp_path, "inherit.yaml", "edition: a\nextends: '2025'\nmeasurements: []\n")
    assert M.load_edition(str(inherit)).recast_widths == "hadronic"
    override = _write(tmp_path, "lep.yaml", "edition: b\nextends: '2025'\nrecast_widths: leptonic\n")
    assert M.load_edition(str(override)).recast_widths == "leptonic"
    chained = _write(tmp_path, "chained.yaml", "edition: c\nextends: lep.yaml\n")
    assert M.load_edition(str(chained)).recast_widths == "leptonic"
    bad = _write(tmp_path, "bad.yaml", "edition: d\nextends: '2025'\nrecast_widths: partonic\n")
    with pytest.raises(DataFileError, match="recast_widths"):
        M.load_edition(str(bad))

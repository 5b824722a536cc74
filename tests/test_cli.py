"""CLI behaviour: outputs, JSON schema, and one-line errors with exit status 2."""

import json
import subprocess
import sys

import pytest

from zprime.app.cli import main


def run(args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args)
        raise SystemExit(0)
    out = capsys.readouterr()
    return exc.value.code or 0, out.out, out.err


def test_g2_table(capsys):
    code, out, err = run(["g2", "--mass", "20", "--cae", "2e-4", "--cvmu", "5e-4"], capsys)
    assert code == 0, err
    assert "mu" in out and "pull" in out


def test_g2_json_schema(capsys):
    code, out, _ = run(["g2", "--mass", "20", "--cae", "2e-4", "--cvmu", "5e-4", "--json"], capsys)
    assert code == 0
    d = json.loads(out)
    assert set(d) == {"mass_mev", "delta_a", "pull", "edition", "ae"}
    assert set(d["delta_a"]) == {"e", "mu", "tau"} and set(d["pull"]) == {"e", "mu"}
    assert d["edition"] == "2021" and d["ae"] == "cs"
    assert d["delta_a"]["e"] < 0 < d["delta_a"]["mu"]
    # pull = (Delta a - Delta a_exp)/sigma with the 2021 inputs
    assert d["pull"]["mu"] == pytest.approx((d["delta_a"]["mu"] - 251e-11) / 59e-11)


def test_g2_edition_and_ae(capsys):
    args = ["g2", "--mass", "20", "--cae", "2e-4", "--edition", "2025", "--ae", "rb", "--json"]
    _, out, _ = run(args, capsys)
    d = json.loads(out)
    assert d["edition"] == "2025" and d["ae"] == "rb"
    assert d["pull"]["e"] == pytest.approx((d["delta_a"]["e"] - 3.36e-13) / 1.61e-13)


@pytest.mark.parametrize(
    "args, needle",
    [
        (["g2", "--mass", "-5"], "mass_mev"),
        (["g2", "--mass", "0"], "mass_mev"),
        (["g2", "--mass", "nan"], "mass_mev"),
        (["g2", "--mass", "abc"], "--mass"),
        (["g2", "--mass", "10", "--cae", "inf"], "c_ae"),
        (["g2", "--mass", "10", "--edition", "1999"], "edition"),
        (["g2", "--mass", "10", "--ae", "xx"], "--ae"),
        (["check", "--mass", "10", "--only", "no_such_constraint"], "no_such_constraint"),
        (["figure", "no-such-figure"], "no-such-figure"),
        (["nosuchcommand"], "nosuchcommand"),
    ],
)
def test_bad_input_one_line_exit_2(args, needle, capsys):
    code, out, err = run(args, capsys)
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert needle in err


def test_check_json_schema(capsys):
    code, out, err = run(["check", "--mass", "20", "--cae", "2e-4", "--cnue", "1e-3", "--json"], capsys)
    assert code == 0, err
    d = json.loads(out)
    assert set(d) >= {"point", "anomalies", "constraints"}
    assert set(d["anomalies"]["e"]) == {"delta_a", "pull"}
    names = [c["name"] for c in d["constraints"]]
    assert "white_dwarf" in names and "bbn_planck" in names
    for c in d["constraints"]:
        # "reason" only where the edition lacks an input (coherent_csi: entries in 2023 and 2025 only)
        assert set(c) - {"reason"} == {"name", "status", "value", "limit", "reference"}
        assert c["status"] in {"allowed", "excluded", "not_applicable"}
        assert "reason" not in c or c["status"] == "not_applicable"
    wd = next(c for c in d["constraints"] if c["name"] == "white_dwarf")
    assert wd["status"] == "excluded"
    # excluded constraints are listed first
    statuses = [c["status"] for c in d["constraints"]]
    assert statuses == sorted(statuses, key=["excluded", "allowed", "not_applicable"].index)


def test_check_only_and_exclude(capsys):
    _, out, _ = run(["check", "--mass", "20", "--cae", "2e-4", "--only", "white_dwarf", "--json"], capsys)
    assert [c["name"] for c in json.loads(out)["constraints"]] == ["white_dwarf"]
    _, out, _ = run(["check", "--mass", "20", "--cae", "2e-4", "--exclude", "white_dwarf", "--json"], capsys)
    assert "white_dwarf" not in [c["name"] for c in json.loads(out)["constraints"]]


def test_data_commands(capsys):
    code, out, _ = run(["data", "validate"], capsys)
    assert code == 0 and "anomalous_moments.yaml" in out
    code, out, _ = run(["data", "list", "--edition", "2025"], capsys)
    assert code == 0 and "delta_a_mu_2025" in out


def test_console_script_runs():
    cmd = [sys.executable, "-m", "zprime.app.cli", "g2", "--mass", "-1"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.startswith("zprime: error:") and "Traceback" not in r.stderr


def test_window_json(capsys):
    code, out, err = run(["window", "--json"], capsys)
    assert code == 0, err
    d = json.loads(out)
    assert set(d) >= {"mass_mev", "c_ae", "c_ve_max", "c_vmu", "c_amu_max", "c_nue_max", "c_numu_max"}
    assert 16 < d["mass_mev"][0] < 18 and 37 < d["mass_mev"][1] < 39


def test_fit_darkz_json(capsys):
    code, out, err = run(["fit", "darkz", "--json", "--resolution", "40"], capsys)
    assert code == 0, err
    d = json.loads(out)
    assert set(d["best_fit"]) == {"mass_mev", "epsilon", "delta"}
    assert set(d["intervals_1sigma"]) == {"mass_mev", "epsilon", "delta"}
    assert d["chi2_min"] < 0.05
    assert set(d["searches"]) == {"visible", "invisible"}


def test_version(capsys):
    from zprime import __version__

    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == f"zprime {__version__}"


def test_the_console_command_leaves_its_objects_to_the_exit() -> None:
    """``zprime`` (argv from the command line) freezes the heap before the interpreter exits, so that the
    final collections skip it; a call with an argument list (a library user, these tests) leaves it alone."""
    import gc

    before = gc.get_freeze_count()
    main(["g2", "--mass", "20", "--cae", "2e-4"])
    assert gc.get_freeze_count() == before
    code = (
        "import gc, sys; from zprime.app.cli import main; "
        "sys.argv = ['zprime', 'g2', '--mass', '20', '--cae', '2e-4']; main(); "
        "sys.stderr.write(str(gc.get_freeze_count()))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(done.stderr.strip().splitlines()[-1]) > 1000

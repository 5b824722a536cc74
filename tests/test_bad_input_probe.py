"""Probe of bad input and faults (issue 16): every case exits 2 (1 for a bug) with exactly one line on stderr,
no traceback, no NaN/Infinity on stdout and no file left behind; valid extreme points give strict JSON.

The CLI runs in-process (``zprime.app.cli.main``); a few cases run the installed entry point as a subprocess.
"""

from __future__ import annotations

import datetime
import errno
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from zprime import Couplings
from zprime.app import cli
from zprime.core.couplings import ALL_FIELDS, COUPLING_FIELDS, COUPLING_MAX, MASS_RANGE_MEV
from zprime.core.errors import InputError

# --------------------------------------------------------------------------------------------- helpers


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``zprime ARGS`` run in-process."""
    with pytest.raises(SystemExit) as exc:
        cli.main(args)
        raise SystemExit(0)
    out = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 0), out.out, out.err


def assert_one_line_error(code: int, out: str, err: str, expected: int = 2, *needles: str) -> None:
    assert code == expected, (code, err)
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err and "Traceback" not in out
    prefix = "zprime: error: " if expected == 2 else "zprime: internal error: "
    assert err.startswith(prefix), err
    for text in ("NaN", "Infinity"):
        assert text not in out
    for needle in needles:
        assert needle in err, (needle, err)


# ------------------------------------------------------------------------------- Couplings (library)
BAD_VALUES = [
    pytest.param(np.nan, "NaN", id="nan"),
    pytest.param(np.inf, "not finite", id="inf"),
    pytest.param(-np.inf, "not finite", id="-inf"),
    pytest.param(1e200, "out of range", id="1e200"),
    pytest.param(1j, "complex", id="complex"),
    pytest.param(np.array([1.0, 2.0 + 1j]), "complex", id="complex-array"),
    pytest.param(True, "boolean", id="bool"),
    pytest.param(np.array([True, False]), "booleans", id="bool-array"),
    pytest.param(np.array(["2021-01-01"], dtype="datetime64[D]"), "datetimes", id="datetime64"),
    pytest.param(datetime.datetime(2021, 1, 1), "Python objects", id="datetime"),
    pytest.param(np.array([1.0, "x"], dtype=object), "Python objects", id="object-array"),
    pytest.param(np.array(["1.0"]), "strings", id="str-array"),
    pytest.param("1.0", "text", id="str"),
    pytest.param(None, "None", id="none"),
    pytest.param(10**400, "not finite", id="huge-int"),
    pytest.param([1.0, np.nan], "NaN", id="list-with-nan"),
]


@pytest.mark.parametrize("field", ["mass_mev", "c_ve", "c_nutau", "c_ad"])
@pytest.mark.parametrize(("bad", "message"), BAD_VALUES)
def test_couplings_reject_names_the_field(field, bad, message) -> None:
    kw = {"mass_mev": 10.0, field: bad}
    with pytest.raises(InputError) as exc:
        Couplings(**kw)
    assert exc.value.parameter == field and message in str(exc.value)
    assert "allowed" in str(exc.value) or "None" in str(exc.value)


@pytest.mark.parametrize("mass", [0.0, -1.0, 1e-320, 0.99e-6, 1.01e6, 1e300])
def test_couplings_mass_outside_supported_range(mass) -> None:
    with pytest.raises(InputError, match=r"mass_mev: .*allowed: 1e-06 <= mass_mev <= 1e\+06 MeV"):
        Couplings(mass_mev=mass)


@pytest.mark.parametrize("field", COUPLING_FIELDS)
def test_couplings_perturbativity(field) -> None:
    Couplings(mass_mev=1.0, **{field: COUPLING_MAX})  # the edge is allowed
    Couplings(mass_mev=1.0, **{field: -COUPLING_MAX})
    with pytest.raises(InputError, match=rf"{field}: .*4\*pi.*perturbativity"):
        Couplings(mass_mev=1.0, **{field: np.array([0.0, -np.nextafter(COUPLING_MAX, 20.0)])})


def test_couplings_copy_their_inputs() -> None:
    m, c = np.array([1.0, 2.0]), np.array([1e-3, 2e-3])
    k = Couplings(mass_mev=m, c_ve=c, c_ae=c)
    m[0], c[0] = 50.0, 0.5
    assert k.mass_mev.tolist() == [1.0, 2.0] and k.c_ve.tolist() == [1e-3, 2e-3] and k.c_ae[0] == 1e-3
    with pytest.raises(ValueError):
        k.c_ve[0] = 1.0  # fields are read-only
    assert m.flags.writeable  # the caller's array is left alone


def test_couplings_accept_integers_and_narrow_floats_exactly() -> None:
    k = Couplings(
        mass_mev=np.array([1, 2], dtype=np.int64), c_ve=np.float32(0.5), c_ae=np.array([1], np.uint8)
    )
    assert k.mass_mev.dtype == np.float64 and k.c_ve == 0.5 and k.c_ae.tolist() == [1.0]
    lo, hi = MASS_RANGE_MEV
    assert Couplings(mass_mev=[lo, hi]).shape == (2,)


def test_derived_couplings_share_validated_fields() -> None:
    k = Couplings(mass_mev=np.geomspace(1, 10, 5), c_ve=1e-3)
    assert k.replace(c_ae=1e-4).mass_mev is k.mass_mev  # not copied again
    assert k[1:3].mass_mev.tolist() == k.mass_mev[1:3].tolist()
    assert all(getattr(k.broadcast(), f).shape == (5,) for f in ALL_FIELDS)


# ------------------------------------------------------------------------------- results never allowed
def test_non_finite_results_are_not_applicable_with_reason() -> None:
    from zprime.physics.constraints.base import Status, band_result, gaussian_result, upper_bound_result

    v = np.array([np.nan, np.inf, -np.inf, 0.5, 2.0])
    for r in (
        upper_bound_result("x", "ref", v, np.ones(5), 0.9),
        gaussian_result("x", "ref", v, 1.0, 0.1, 0.9),
        band_result("x", "ref", v, np.full(5, 1e-3), np.full(5, 1e3), 0.9),
    ):
        assert (r.status[:3] == Status.NOT_APPLICABLE).all() and np.isfinite(r.chi2).all(), r
        assert "not finite at 3 of 5 points" in r.reason
    r = upper_bound_result("x", "ref", np.array([0.5, np.nan]), np.array([1.0, 1.0]), 0.9)
    assert r.status.tolist() == [Status.ALLOWED, Status.NOT_APPLICABLE]


# --------------------------------------------------------------------------------- CLI: bad numbers
_BAD_NUMBERS = ["nan", "inf", "-inf", "1e200", "-1e200", "13", "-12.6", "abc", "", "1e", "0x10"]
_BAD_MASSES = ["0", "-1", "nan", "inf", "1e-320", "1e-7", "2e6", "1e300", "abc", ""]


@pytest.mark.parametrize("command", ["g2", "check"])
@pytest.mark.parametrize("mass", _BAD_MASSES)
def test_cli_bad_mass(command, mass, capsys) -> None:
    code, out, err = run([command, "--mass", mass, "--json"], capsys)
    assert_one_line_error(code, out, err, 2)
    assert "mass" in err


@pytest.mark.parametrize("command", ["g2", "check"])
@pytest.mark.parametrize("option", ["--cve", "--camu", "--cnutau"])
@pytest.mark.parametrize("value", _BAD_NUMBERS)
def test_cli_bad_coupling(command, option, value, capsys) -> None:
    code, out, err = run([command, "--mass", "20", option, value, "--json"], capsys)
    assert_one_line_error(code, out, err, 2)
    assert option.lstrip("-").replace("c", "", 1) in err.replace("_", "") or option in err


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--mass", "20", "--model", "b_minus_l", "--set", "g_prime=1e300", "--set", "eps=0"],
        ["check", "--mass", "20", "--model", "b_minus_l", "--set", "g_prime=nan", "--set", "eps=0"],
        ["check", "--mass", "20", "--model", "dark_photon", "--set", "eps=inf"],
        ["check", "--mass", "1e7", "--model", "dark_photon", "--set", "eps=1e-3"],
        ["check", "--mass", "20", "--model", "b_minus_l", "--set", "g_prime=abc"],
        ["check", "--mass", "20", "--model", "b_minus_l", "--set", "nope=1"],
        ["check", "--mass", "20", "--model", "b_minus_l", "--set", "g_prime"],
        ["check", "--mass", "20", "--model", "b_minus_l", "--set", "=1"],
        ["check", "--mass", "20", "--model", "nope"],
        ["check", "--mass", "20", "--set", "g_prime=1"],
        ["check", "--mass", "20", "--model", "b_minus_l", "--cve", "1e-3"],
    ],
    ids=lambda a: " ".join(a[3:]),
)
def test_cli_bad_model_point(args, capsys) -> None:
    assert_one_line_error(*run(args, capsys), 2)


# ------------------------------------------------------------------------------ CLI: conflicting flags
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["check", "--mass", "20", "--only", "texono", "--exclude", "texono"], "--exclude"),
        (["check", "--mass", "20", "--only", "texono", "--variant", "babar_2014_envelope"], "--variant"),
        (["check", "--mass", "20", "--only", "texono", "--include-projections"], "--include-projections"),
        (["check", "--mass", "20", "--variant", "texono"], "not a variant"),
        (
            ["check", "--mass", "20", "--variant", "babar_2014_envelope", "--exclude", "babar_2014_envelope"],
            "--exclude",
        ),
        (["figure", "bodas2021-fig3a", "--list"], "--list"),
        (["cite", "--set", "g_prime=1"], "--set"),
        (["cite", "--edition", "2025"], "--edition"),
        (["limits", "b_minus_l", "--only", "white_dwarf", "--exclude", "white_dwarf"], "--exclude"),
        (["limits", "b_minus_l", "--csv", "same.out", "--netcdf", "same.out"], "--netcdf"),
        (["limits", "b_minus_l", "--bibtex", "same.out", "--html", "./same.out"], "--html"),
    ],
    ids=lambda x: " ".join(x) if isinstance(x, list) else x,
)
def test_cli_conflicting_flags(args, needle, capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(args, capsys)
    assert_one_line_error(code, out, err, 2, needle)
    assert list(tmp_path.iterdir()) == []


# -------------------------------------------------------------------------- CLI: names, choices, usage
@pytest.mark.parametrize(
    "args",
    [
        ["g2", "--mass", "20", "--ae", "xx"],
        ["g2", "--mass", "20", "--edition", "nope"],
        ["check", "--mass", "20", "--edition", "1999"],
        ["check", "--mass", "20", "--only", "nope"],
        ["check", "--mass", "20", "--exclude", "nope"],
        ["check", "--mass", "20", "--variant", "nope"],
        ["window", "--rules", "xx"],
        ["viability", "nope"],
        ["viability", "b_minus_l", "--rules", "xx"],
        ["fit", "darkz", "--apv", "xx"],
        ["fit", "darkz", "--resolution", "5"],
        ["fit", "darkz", "--resolution", "1e9"],
        ["figure", "nope"],
        ["figure", "bodas2021-fig3a", "--resolution", "5"],
        ["figure", "bodas2021-fig3a", "--ae", "xx"],
        ["limits", "nope"],
        ["limits", "b_minus_l", "--mass-range", "abc"],
        ["limits", "b_minus_l", "--mass-range", "10:1"],
        ["limits", "b_minus_l", "--mass-range", "nan:1"],
        ["limits", "b_minus_l", "--mass-range", "1:inf"],
        ["limits", "b_minus_l", "--mass-range", "-1:10"],
        ["limits", "b_minus_l", "--points", "0"],
        ["limits", "b_minus_l", "--points", "-5"],
        ["limits", "b_minus_l", "--set", "nope=1"],
        ["limits", "b_minus_l", "--plot", "x.gif"],
        ["limits", "b_minus_l", "--only", "nope"],
        ["data", "list", "--edition", "nope"],
        ["g2"],
        ["g2", "--mass"],
        ["g2", "--mass", "20", "--bogus"],
        ["bogus"],
        ["data", "bogus"],
        ["scan"],
        ["cite", "--model", "nope"],
    ],
    ids=lambda a: " ".join(a),
)
def test_cli_bad_names_and_usage(args, capsys, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert_one_line_error(*run(args, capsys), 2)
    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------------------------------ CLI: bad files
_FILES = {
    "missing.yaml": None,
    "empty.yaml": b"",
    "bad.yaml": b"a: [1, 2\n",
    "list.yaml": b"- 1\n- 2\n",
    "evil.yaml": b'!!python/object/apply:os.system ["echo hacked"]\n',
    "binary.yaml": bytes(range(128, 256)) * 3,
    "folder.yaml": "dir",
    "scalar.yaml": b"42\n",
}


def _make(tmp_path: Path, name: str) -> Path:
    p = tmp_path / name
    content = _FILES[name]
    if content == "dir":
        p.mkdir()
    elif content is not None:
        p.write_bytes(content)
    return p


@pytest.mark.parametrize("name", list(_FILES))
@pytest.mark.parametrize("use", ["edition", "model", "scan"])
def test_cli_bad_input_file(name, use, capsys, tmp_path) -> None:
    p = _make(tmp_path, name)
    if use == "edition":
        args = ["g2", "--mass", "20", "--edition", str(p)]
    elif use == "model":
        args = ["viability", str(p)]
    else:
        p2 = p.with_suffix(".toml")
        if p.exists() and p.is_file():
            p.rename(p2)
        elif p.is_dir():
            p.rename(p2)
        args = ["scan", str(p2), "--out", str(tmp_path / "out.nc")]
    before = sorted(tmp_path.iterdir())
    assert_one_line_error(*run(args, capsys), 2)
    assert sorted(tmp_path.iterdir()) == before
    assert "hacked" not in capsys.readouterr().out


# ---------------------------------------------------------------------------- CLI: output faults
_LIMITS = ["limits", "b_minus_l", "--points", "2", "--only", "white_dwarf"]


@pytest.mark.parametrize("option", ["--csv", "--netcdf", "--bibtex", "--html", "--plot"])
@pytest.mark.parametrize("where", ["missing-folder", "under-a-file", "is-a-folder"])
def test_cli_unwritable_output(option, where, capsys, tmp_path) -> None:
    suffix = ".png" if option == "--plot" else ".out"
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    target = {
        "missing-folder": tmp_path / "no" / f"x{suffix}",
        "under-a-file": a_file / f"x{suffix}",
        "is-a-folder": tmp_path / f"folder{suffix}",
    }[where]
    if where == "is-a-folder":
        target.mkdir()
    before = sorted(p.name for p in tmp_path.rglob("*"))
    code, out, err = run([*_LIMITS, option, str(target)], capsys)
    if option == "--html" and code == 2 and "plotly" in err:
        pytest.skip("plotly not installed")
    assert_one_line_error(code, out, err, 2)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # no temporary file left


@pytest.mark.skipif(
    not Path("/proc/self").exists(), reason="needs Linux /proc (refuses new files, even to root)"
)
@pytest.mark.parametrize("option", ["--csv", "--bibtex"])
def test_cli_output_refused_by_the_system(option, capsys) -> None:
    assert_one_line_error(*run([*_LIMITS, option, "/proc/zprime-probe.out"], capsys), 2, "/proc")


_FAULTS = [
    pytest.param(
        OSError(errno.ENOSPC, "No space left on device", "/x/out.png"), 2, "No space", id="disk-full"
    ),
    pytest.param(PermissionError(errno.EACCES, "Permission denied", "/x"), 2, "Permission denied", id="perm"),
    pytest.param(OSError(errno.EROFS, "Read-only file system", "/x"), 2, "Read-only", id="read-only"),
    pytest.param(OSError(errno.EDQUOT, "Disk quota exceeded", "/x"), 2, "quota", id="quota"),
    pytest.param(IsADirectoryError(errno.EISDIR, "Is a directory", "/x"), 2, "directory", id="is-a-dir"),
    pytest.param(NotADirectoryError(errno.ENOTDIR, "Not a directory", "/x"), 2, "Not a dir", id="not-a-dir"),
    pytest.param(OSError(errno.EMFILE, "Too many open files"), 2, "Too many", id="too-many-files"),
    pytest.param(MemoryError(), 2, "out of memory", id="memory"),
    pytest.param(RecursionError("too deep"), 1, "RecursionError", id="recursion"),
    pytest.param(OSError("no errno"), 1, "OSError", id="oserror-without-errno"),
    pytest.param(RuntimeError("boom"), 1, "boom", id="bug"),
]


@pytest.mark.parametrize(("error", "expected", "needle"), _FAULTS)
@pytest.mark.parametrize("command", ["figure", "reproduce"])
def test_cli_faults_while_writing(error, expected, needle, command, capsys, tmp_path, monkeypatch) -> None:
    import zprime.app.figures as figures
    import zprime.app.reproduce as reproduce

    def broken(*args, **kwargs):
        raise error

    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    if command == "figure":
        monkeypatch.setattr(figures, "save", broken)
        args = ["figure", "bodas2021-fig3a", "--out", str(tmp_path / "o")]
    else:
        monkeypatch.setattr(reproduce, "reproduce", broken)
        args = ["reproduce", "--quick", "--out", str(tmp_path / "o")]
    assert_one_line_error(*run(args, capsys), expected, needle)


@pytest.mark.parametrize(("error", "expected", "needle"), _FAULTS[:3])
def test_cli_faults_in_limits_output(error, expected, needle, capsys, tmp_path, monkeypatch) -> None:
    import pandas as pd

    def broken(self, path, *args, **kwargs):
        Path(path).write_text("partial")  # written part-way, then the fault
        raise error

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    code, out, err = run([*_LIMITS, "--csv", str(tmp_path / "x.csv")], capsys)
    assert_one_line_error(code, out, err, 2)
    assert list(tmp_path.iterdir()) == []  # neither the file nor its temporary


# ----------------------------------------------------------------------------- CLI: strict JSON output
_EXTREMES = [
    ["--mass", "1e-6", "--cve", "12.5", "--cae", "-12.5", "--cvmu", "12.5", "--camu", "12.5"],
    ["--mass", "1e6", "--cve", "12.5", "--cae", "-12.5", "--cvmu", "12.5", "--camu", "-12.5", "--cnue", "12"],
    ["--mass", "1e-6", "--cve", "1e-300", "--cae", "5e-324"],
    ["--mass", "0.511", "--cvtau", "12", "--catau", "-12", "--cnutau", "12"],
    ["--mass", "1.0219978", "--cve", "-12", "--cnumu", "-12"],
]


@pytest.mark.parametrize("command", ["g2", "check"])
@pytest.mark.parametrize("point", _EXTREMES, ids=lambda a: " ".join(a))
def test_cli_json_is_strict_at_extreme_points(command, point, capsys) -> None:
    code, out, err = run([command, *point, "--json"], capsys)
    assert code == 0 and err == "", err
    json.loads(out, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))
    if command == "check":
        for row in json.loads(out)["constraints"]:
            assert row["status"] != "allowed" or (row["value"] is not None or row["limit"] is None)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_cli_json_non_finite_delta_a_is_null_with_reason(bad, capsys, monkeypatch) -> None:
    import zprime.analyses.anomaly as lk

    real = lk.anomalies

    def overflowing(*args, **kwargs):
        an = real(*args, **kwargs)
        return _Patched(an, bad)

    monkeypatch.setattr(lk, "anomalies", overflowing)
    code, out, err = run(["g2", "--mass", "20", "--json"], capsys)
    assert code == 0 and err == "" and "NaN" not in out and "Infinity" not in out
    d = json.loads(out)
    assert d["delta_a"]["e"] is None and d["pull"]["e"] is None and "not finite" in d["reason"]["e"]


class _Patched:
    """An Anomalies whose electron Δa (and so its pull) is ``bad``."""

    def __init__(self, an, bad):
        self.delta_a = {f: an.delta_a[f] for f in ("e", "mu", "tau")}
        self.pull = dict(an.pull)
        self.delta_a["e"] = bad
        self.pull["e"] = np.nan
        self.reasons, self.measurements = an.reasons, an.measurements


# ------------------------------------------------------------------------------ subprocess (real exit)
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["g2", "--mass", "1e-320", "--json"], 2),
        (["check", "--mass", "20", "--cve", "1e200", "--cae", "1e200", "--cnue", "1e200"], 2),
        (["g2", "--mass", "1e-6", "--cve", "12", "--cvmu", "12", "--json"], 0),
    ],
    ids=["tiny-mass", "huge-couplings", "extreme-valid"],
)
def test_subprocess_exit_status_and_stderr(args, expected) -> None:
    p = subprocess.run(
        [sys.executable, "-c", "from zprime.app.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == expected, p.stderr
    assert "Traceback" not in p.stderr and "Warning" not in p.stderr
    assert p.stderr.count("\n") == (1 if expected else 0), p.stderr
    assert "NaN" not in p.stdout and "Infinity" not in p.stdout

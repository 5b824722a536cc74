"""CLI error classes: bad input (ZprimeError, usage) exits 2 in one line; a bug exits 1 as "internal error"."""

from __future__ import annotations

from pathlib import Path

import pytest

from zprime.app import cli
from zprime.app.cli import main


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(args)
        raise SystemExit(0)
    out = capsys.readouterr()
    return exc.value.code or 0, out.out, out.err


@pytest.mark.parametrize(
    "error", [RuntimeError("boom"), ValueError("boom"), KeyError("boom"), OSError("boom")]
)
def test_internal_error_exits_1_not_2(error, monkeypatch, capsys) -> None:
    import zprime.analyses.anomaly as lk

    def broken(*args, **kwargs):
        raise error

    monkeypatch.delenv(cli.DEBUG_ENV, raising=False)
    monkeypatch.setattr(lk, "anomalies", broken)
    code, _, err = run(["g2", "--mass", "20"], capsys)
    assert code == 1
    assert err.startswith(f"zprime: internal error: {type(error).__name__}:") and "boom" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert cli.DEBUG_ENV in err and "report" in err


def test_internal_error_traceback_with_debug_env(monkeypatch, capsys) -> None:
    import zprime.analyses.anomaly as lk

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setenv(cli.DEBUG_ENV, "1")
    monkeypatch.setattr(lk, "anomalies", broken)
    code, _, err = run(["g2", "--mass", "20"], capsys)
    assert code == 1
    assert "Traceback" in err and "RuntimeError: boom" in err and "zprime: internal error" in err


def test_library_input_error_still_exits_2(monkeypatch, capsys) -> None:
    import zprime.analyses.anomaly as lk
    from zprime.core.errors import InputError

    def bad(*args, **kwargs):
        raise InputError("edition", "must be one of 2021, 2025")

    monkeypatch.setattr(lk, "anomalies", bad)
    code, _, err = run(["g2", "--mass", "20"], capsys)
    assert code == 2 and err == "zprime: error: edition: must be one of 2021, 2025\n"


@pytest.mark.parametrize(
    "command", [["figure", "bodas2021-fig3a", "--resolution", "10"], ["reproduce", "--quick"]]
)
def test_bad_out_path_is_bad_input(command, tmp_path: Path, capsys) -> None:
    not_a_folder = tmp_path / "a_file"
    not_a_folder.write_text("x")
    for out in (not_a_folder, not_a_folder / "sub"):
        code, _, err = run([*command, "--out", str(out)], capsys)
        assert code == 2, err
        assert err.startswith("zprime: error: out:") and err.count("\n") == 1 and str(not_a_folder) in err


def test_help_documents_debug_env(capsys) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and cli.DEBUG_ENV in out


def test_cli_uses_public_typer_api_only() -> None:
    text = Path(cli.__file__).read_text(encoding="utf-8")
    assert "typer._" not in text and "_click" not in text


def test_errors_survive_pickling():
    import pickle

    from zprime.core.errors import DataFileError, InputError, UnknownNameError

    for e in (
        InputError("out", "cannot write"),
        DataFileError("a.yaml", "bad", field="x"),
        UnknownNameError("model", "m", ["a", "b"]),
    ):
        back = pickle.loads(pickle.dumps(e))
        assert type(back) is type(e) and str(back) == str(e)

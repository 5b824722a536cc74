"""The command line starts without the heavy libraries (issue 17 item 4): ``import zprime.app.cli``, ``zprime
--help`` and the ``g2`` command import no plotting, array-store, cluster or optimisation library. Checked on
``sys.modules`` in a fresh interpreter; no timing."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = (
    "matplotlib",
    "xarray",
    "pandas",
    "dask",
    "distributed",
    "scipy",
    "h5py",
    "h5netcdf",
    "rich",
    "multiprocessing",
    "concurrent.futures.process",
)

_PROBE = """
import json, sys
from zprime.app.cli import main
args = sys.argv[1:]
if args:
    try:
        main(args)
    except SystemExit as exc:
        assert exc.code in (0, None), exc.code
print(json.dumps(sorted(m for m in {heavy!r} if m in sys.modules)), file=sys.stderr)
"""


#: Not even imported by ``zprime --help`` (a command's options are coerced by typer through pydantic, and
#: the g2 command reads and validates measurement files)
DATA_LIBS = ("pydantic", "yaml")


#: Not imported by the g2 command: the constraint evaluation (its anomalies live in analyses.anomaly)
#: and the constraint registry with its limit curves
EVALUATION = ("zprime.analyses.likelihood", "zprime.core.execution", "zprime.physics.constraints.registry")

#: Not imported for help: the commands that compute import it (and run under its errstate)
NUMPY = ("numpy",)


@pytest.mark.parametrize(
    ("args", "banned"),
    [
        ([], HEAVY + DATA_LIBS + EVALUATION + NUMPY),
        (["--help"], HEAVY + DATA_LIBS + EVALUATION + NUMPY),
        (["g2", "--help"], HEAVY + EVALUATION + NUMPY),
        (["data", "--help"], HEAVY + EVALUATION + NUMPY),
        (["g2", "--mass", "20", "--cae", "2e-4", "--cvmu", "5e-4"], HEAVY + EVALUATION),
        (["g2", "--mass", "20", "--cve", "1e-4", "--json"], HEAVY + EVALUATION),
    ],
)
def test_cli_start_imports_no_heavy_library(args: list[str], banned: tuple[str, ...]) -> None:
    r = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=banned), *args], capture_output=True, text=True, check=True
    )
    imported = json.loads(r.stderr.strip().splitlines()[-1])
    assert imported == [], f"zprime {' '.join(args)} imported {imported}"


def test_the_probe_sees_an_import() -> None:
    """The check above can fail: a command that draws imports matplotlib."""
    code = "import sys, zprime.app.figures.base; print('matplotlib' in sys.modules, 'xarray' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.split() == ["False", "True"]


def test_a_top_level_command_builds_only_itself() -> None:
    """``zprime g2 ...`` runs in a group holding g2 alone (the other commands' options are not built); a
    subgroup, an unknown name or a root option gets the whole group."""
    from zprime.app import cli

    assert list(cli._command(["g2", "--mass", "20"]).commands) == ["g2"]
    full = set(cli._command(["--help"]).commands)
    assert {"g2", "check", "data", "fit"} <= full
    for args in (["data", "list"], ["g2x"], ["--version"]):
        assert set(cli._command(args).commands) == full


def test_commands_run_with_numpy_floating_point_errors_ignored(monkeypatch) -> None:
    import numpy as np

    import zprime.analyses.anomaly as anomaly
    from zprime.app.cli import main

    seen: dict[str, str] = {}
    real = anomaly.anomalies

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.update(np.geterr())
        return real(*args, **kwargs)

    monkeypatch.setattr(anomaly, "anomalies", spy)
    main(["g2", "--mass", "20", "--json"])
    assert seen and set(seen.values()) == {"ignore"}
    assert np.geterr()["divide"] != "ignore"  # only while the command runs

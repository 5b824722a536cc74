"""Packaging (issue 16 item 5): the sdist and the wheel carry the data (with its manifest), the examples the
README uses and both licence texts; licence metadata is the PEP 639 expression; dependencies are ranges.

The build runs ``python -m build`` (sdist, then the wheel from the sdist) on a copy of the project, in an
isolated environment (``setuptools>=77`` from the package index), about 15 s.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

from zprime.core import integrity

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
GPL = "LICENSES/GPL-2.0-or-later.txt"


def test_licence_metadata_and_texts() -> None:
    proj = PYPROJECT["project"]
    assert proj["license"] == "BSD-3-Clause AND GPL-2.0-or-later"
    assert "LICENSE" in proj["license-files"] and any(Path(GPL).match(p) for p in proj["license-files"])
    assert not any(c.startswith("License ::") for c in proj["classifiers"])  # PEP 639: the expression only
    text = (ROOT / GPL).read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in text and "Version 2, June 1991" in text
    assert "END OF TERMS AND CONDITIONS" in text and len(text) > 17000  # the full text
    assert "BSD 3-Clause" in (ROOT / "LICENSE").read_text(encoding="utf-8")


def test_dependencies_are_ranges_not_pins() -> None:
    proj = PYPROJECT["project"]
    reqs = list(proj["dependencies"]) + [r for extra in proj["optional-dependencies"].values() for r in extra]
    pinned = [r for r in reqs if "==" in r or "===" in r]
    assert not pinned, f"exact pins: {pinned}"


def _manifest_files() -> set[str]:
    return set(integrity.read_manifest(integrity.data_dir())) | {integrity.MANIFEST_NAME}


@pytest.fixture(scope="module")
def dists(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if importlib.util.find_spec("build") is None:
        pytest.skip("the 'build' package is not installed (it is in the test extra)")
    src = tmp_path_factory.mktemp("project")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "LICENSES", src / "LICENSES")
    shutil.copytree(ROOT / "src", src / "src", ignore=ignore)
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(src)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (wheel,) = out.glob("zprime-*.whl")
    (sdist,) = out.glob("zprime-*.tar.gz")
    return wheel, sdist


@pytest.mark.slow
def test_wheel_contents(dists: tuple[Path, Path]) -> None:
    wheel, _ = dists
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = z.read(info).decode()
        entry_points = z.read(info.replace("METADATA", "entry_points.txt")).decode()
    data = {n.removeprefix("zprime/data/") for n in names if n.startswith("zprime/data/")}
    assert _manifest_files() <= data, f"data files missing from the wheel: {sorted(_manifest_files() - data)}"
    assert {"zprime/examples/my_u1_model.yaml", "zprime/examples/scan_generic.toml"} <= names
    assert "zprime/py.typed" in names
    dist_info = info.rsplit("/", 1)[0]
    assert {f"{dist_info}/licenses/LICENSE", f"{dist_info}/licenses/{GPL}"} <= names
    assert "License-Expression: BSD-3-Clause AND GPL-2.0-or-later" in meta
    assert f"License-File: {GPL}" in meta
    assert "zprime = zprime.app.cli:main" in entry_points


@pytest.mark.slow
def test_sdist_contents(dists: tuple[Path, Path]) -> None:
    _, sdist = dists
    with tarfile.open(sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    assert {"pyproject.toml", "README.md", "LICENSE", GPL} <= names
    assert {f"src/zprime/data/{f}" for f in _manifest_files()} <= names
    assert {"src/zprime/examples/my_u1_model.yaml", "src/zprime/examples/scan_generic.toml"} <= names

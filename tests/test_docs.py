"""The documentation site: the constraint catalogue is up to date, the tutorial notebook runs (nbmake) and
``mkdocs build --strict`` passes with no warning.

The two builds need the ``docs`` tools (in the ``test`` extra). Without them they are skipped, except in CI
(environment variable ``CI`` set to ``true``/``1``), where they must run.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _need(module: str) -> None:
    if importlib.util.find_spec(module) is None:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"{module} is not installed, and CI must build the docs: pip install -e '.[test]'")
        pytest.skip(f"{module} not installed (it is in the [docs] and [test] extras)")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.setdefault("MPLBACKEND", "Agg")
    return env


def test_constraint_catalogue_is_up_to_date() -> None:
    gen = _load_tool("gen_constraints_doc")
    text = gen.render()
    assert "| [`babar_2014`](#babar_2014) | BaBar | 2014 | [1406.2980]" in text
    assert (ROOT / "docs" / "constraints.md").read_text(encoding="utf-8") == text, (
        "docs/constraints.md is out of date: run python tools/gen_constraints_doc.py"
    )


def test_catalogue_lists_every_constraint() -> None:
    import zprime.physics.constraints as zc

    text = (ROOT / "docs" / "constraints.md").read_text(encoding="utf-8")
    missing = [n for n in zc.names() if f"\n### {n}\n" not in text]
    assert not missing, missing


def test_physics_notes_docstrings_become_markdown() -> None:
    rst = _load_tool("griffe_rst")
    md = rst.rst_to_markdown("See :func:`~a.b` and ``x``::\n\n    y = 1\n\nText\n>>> f(1)\n2\n\nEnd")
    assert md == "See `a.b` and `x`:\n\n    y = 1\n\nText\n\n    >>> f(1)\n    2\n\nEnd"


NOTEBOOK_CMD = ["-m", "pytest", "--nbmake", "-q", "-p", "no:cacheprovider", "docs/tutorial.ipynb"]
MKDOCS_CMD = ["-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir"]


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[subprocess.Popen, Path]]]:
    """Start the notebook run and the site build at once (they overlap on a multi-core machine); each test
    waits for its own. Output goes to files, so neither can block on a full pipe."""
    tmp = tmp_path_factory.mktemp("docs")
    site = tmp / "site"
    wanted = {
        "notebook": ("nbmake",),
        "mkdocs": ("mkdocs", "mkdocstrings_handlers.python", "material"),
    }
    cmds = {"notebook": NOTEBOOK_CMD, "mkdocs": [*MKDOCS_CMD, str(site)]}
    procs: dict[str, tuple[subprocess.Popen, Path]] = {}
    for name, mods in wanted.items():
        if all(importlib.util.find_spec(m) is not None for m in mods):
            log = tmp / f"{name}.log"
            with open(log, "w") as out:
                p = subprocess.Popen(
                    [sys.executable, *cmds[name]], cwd=ROOT, env=_env(), stdout=out, stderr=subprocess.STDOUT
                )
            procs[name] = (p, log)
    yield procs
    for p, _ in procs.values():
        if p.poll() is None:
            p.kill()
            p.wait()


def _wait(builds: dict[str, tuple[subprocess.Popen, Path]], name: str) -> None:
    p, log = builds[name]
    try:
        rc = p.wait(timeout=300)
    except subprocess.TimeoutExpired:
        p.kill()
        raise
    assert rc == 0, log.read_text(errors="replace")[-6000:]


def test_tutorial_notebook_runs(builds: dict[str, tuple[subprocess.Popen, Path]]) -> None:
    _need("nbmake")
    _wait(builds, "notebook")


def test_mkdocs_build_strict(builds: dict[str, tuple[subprocess.Popen, Path]]) -> None:
    _need("mkdocs")
    _need("mkdocstrings_handlers.python")
    _need("material")
    _wait(builds, "mkdocs")
    site = Path(builds["mkdocs"][1]).parent / "site"
    assert (site / "constraints" / "index.html").exists()
    cli = (site / "cli" / "index.html").read_text(encoding="utf-8")
    assert "zprime limits" in cli and "<!-- cli-reference -->" not in cli
    g2 = (site / "physics" / "g2" / "index.html").read_text(encoding="utf-8")
    assert "Cadeddu Eq. (9)" in g2 and "<!-- docstring:" not in g2

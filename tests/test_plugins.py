"""Public extension points: models and constraints from installed plugins (entry points).

The test plugin (tests/plugins/zprime_testplugin) is "installed" without network: a copy of the package and
a ``zprime_testplugin-0.1.dist-info/`` folder (what a wheel install writes) go into a folder on sys.path
(fixture ``plugin_site`` in conftest.py), or on PYTHONPATH for the CLI subprocesses.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import zprime
from conftest import write_dist_info
from zprime.core.errors import PluginError, ZprimeError
from zprime.core.registry import Registry
from zprime.physics import constraints as zc
from zprime.physics import models as zm
from zprime.physics.models import registry as models_registry

PLUGIN_SRC = Path(__file__).parent / "plugins" / "zprime_testplugin"
ENTRY_POINTS = {
    "zprime.models": {"testplugin": "zprime_testplugin.plugin:provide_models"},
    "zprime.constraints": {"testplugin_toy_bound": "zprime_testplugin.plugin:TOY_BOUND"},
}
SRC = str(Path(zprime.__file__).resolve().parents[1])


def install(site: Path, entry_points: dict[str, dict[str, str]], name: str = "zprime_testplugin") -> None:
    if not (site / "zprime_testplugin").exists():
        shutil.copytree(PLUGIN_SRC, site / "zprime_testplugin", ignore=shutil.ignore_patterns("__pycache__"))
    write_dist_info(site, name, "0.1", entry_points)


def run_cli(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), SRC]))
    return subprocess.run(
        [sys.executable, "-c", "from zprime.app.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


# ------------------------------------------------------------------------------------------ in process
def test_plugin_model_and_constraint_registered(plugin_site):
    install(plugin_site, ENTRY_POINTS)
    assert "testplugin_lmu_ltau" in zm.names() and "lmu_ltau" in zm.names()
    model = zm.get("testplugin_lmu_ltau")
    g = np.array([1e-4, 1e-3])
    c = model.couplings(mass_mev=20.0, g_prime=g, eps=0.0)
    np.testing.assert_allclose(c.c_vmu, g, rtol=1e-14)
    np.testing.assert_allclose(c.c_nutau, -g, rtol=1e-14)
    assert np.all(c.c_ve == 0.0) and np.all(c.c_amu == 0.0)
    # the same couplings as the shipped L_mu - L_tau at eps = 0
    ref = zm.get("lmu_ltau").couplings(mass_mev=20.0, g_prime=g, eps=0.0)
    np.testing.assert_allclose(c.c_vmu, ref.c_vmu, rtol=1e-14)

    k = zc.get("testplugin_toy_bound")
    assert k in zc.select() and k.name in zc.names("current")
    r = k.evaluate(c)
    assert r.status.tolist() == [0, 0] and r.value == pytest.approx(g)


def test_registry_lazy_and_reset(plugin_site):
    models_registry.get("lmu_ltau")  # loaded before the plugin exists
    install(plugin_site, ENTRY_POINTS)
    assert "testplugin_lmu_ltau" not in zm.names()  # cached: discovery happens once
    models_registry.reset()
    assert "testplugin_lmu_ltau" in zm.names()


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("zprime_testplugin.no_such_module:provide", "cannot be loaded (ModuleNotFoundError"),
        ("zprime_testplugin.plugin:no_such_attr", "cannot be loaded (AttributeError"),
        ("zprime_testplugin.plugin:NOT_A_MODEL", "gives a str; expected a Model"),
        ("zprime_testplugin.plugin:TOY_BOUND", "gives a Constraint; expected a Model"),
        ("zprime_testplugin.plugin:crashing", "calling it failed (RuntimeError: boom)"),
        ("zprime_testplugin.plugin:shadow_shipped", "model name 'lmu_ltau' is already taken: shipped"),
    ],
)
def test_broken_plugin_names_the_entry_point(plugin_site, target, message):
    install(plugin_site, {"zprime.models": {"bad": target}}, name="zprime-badplugin")
    with pytest.raises(PluginError) as err:
        zm.names()
    text = str(err.value)
    assert isinstance(err.value, ZprimeError)
    assert text.startswith(
        f"plugin zprime-badplugin 0.1: entry point 'bad = {target}' (group zprime.models): "
    )
    assert message in text and "\n" not in text
    with pytest.raises(PluginError):  # not cached: fails again until fixed
        zm.get("lmu_ltau")


def test_two_plugins_with_the_same_name(plugin_site):
    install(plugin_site, ENTRY_POINTS)
    install(
        plugin_site, {"zprime.models": {"again": ENTRY_POINTS["zprime.models"]["testplugin"]}}, "zprime-copy"
    )
    with pytest.raises(PluginError, match="'testplugin_lmu_ltau' is already taken: plugin zprime"):
        zm.names()


def test_registry_accepts_item_list_and_callable(plugin_site):
    install(
        plugin_site,
        {
            "test.zprime.things": {
                "one": "zprime_testplugin.plugin:TOY_BOUND",
                "many": "zprime_testplugin.plugin:provide_models",
            }
        },
    )
    reg: Registry[object] = Registry(
        "zprime.physics.constraints",
        "thing",
        skip=("base", "registry", "rulesets"),
        group="test.zprime.things",
    )
    assert {"testplugin_toy_bound", "testplugin_lmu_ltau", "white_dwarf"} <= set(reg.names())


def test_runtime_register_does_not_override_plugin(plugin_site):
    install(plugin_site, ENTRY_POINTS)
    with pytest.raises(ZprimeError, match="exists"):
        zm.register(zm.get("testplugin_lmu_ltau"))


# -------------------------------------------------------------------------------------------------- CLI
def test_cli_viability_of_plugin_model(tmp_path):
    install(tmp_path, ENTRY_POINTS)
    p = run_cli(tmp_path, "viability", "testplugin_lmu_ltau", "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["model"] == "testplugin_lmu_ltau" and isinstance(out["viable"], bool) and out["reason"]


def test_cli_check_lists_plugin_constraint(tmp_path):
    install(tmp_path, ENTRY_POINTS)
    p = run_cli(tmp_path, "check", "--mass", "20", "--cvmu", "2", "--json")
    assert p.returncode == 0, p.stderr
    rows = {r["name"]: r for r in json.loads(p.stdout)["constraints"]}
    assert rows["testplugin_toy_bound"]["status"] == "excluded"
    assert rows["testplugin_toy_bound"]["limit"] == 1.0


def test_cli_broken_plugin_one_line_exit_2(tmp_path):
    install(
        tmp_path, {"zprime.constraints": {"bad": "zprime_testplugin.no_such_module:X"}}, "zprime-badplugin"
    )
    p = run_cli(tmp_path, "check", "--mass", "20", "--json")
    assert p.returncode == 2 and p.stdout == ""
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in p.stderr
    assert lines[0].startswith("zprime: error: plugin zprime-badplugin 0.1: entry point 'bad = ")
    assert "group zprime.constraints" in lines[0] and "ModuleNotFoundError" in lines[0]

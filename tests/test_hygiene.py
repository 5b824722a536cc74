"""Code hygiene: shipped files cite papers (never the internal notes), and the package has no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import zprime

PKG = Path(zprime.__file__).resolve().parent


def _shipped_files() -> list[Path]:
    return [p for p in PKG.rglob("*") if p.is_file() and "__pycache__" not in p.parts]


def test_no_internal_spec_references_in_shipped_files() -> None:
    files = _shipped_files()
    assert any(p.suffix == ".yaml" for p in files) and any(p.suffix == ".py" for p in files)
    bad = [
        f"{p.relative_to(PKG)}:{i}"
        for p in files
        for i, line in enumerate(p.read_bytes().splitlines(), 1)
        if b"SPEC" in line
    ]
    assert not bad, "cite the paper and equation instead of SPEC: " + ", ".join(bad)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _import_graph() -> dict[str, set[str]]:
    mods = {_module_name(p): p for p in PKG.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {  # imports under `if TYPE_CHECKING:` are for annotations, not run
            id(n)
            for node in ast.walk(tree)
            if isinstance(node, ast.If)
            and isinstance(node.test, ast.Name)
            and node.test.id == "TYPE_CHECKING"
            for stmt in node.body
            for n in ast.walk(stmt)
        }
        for node in ast.walk(tree):  # function-level imports too
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in mods and t != name)
    return graph


def test_no_import_cycles() -> None:
    graph = _import_graph()
    assert "zprime.physics.observables.darkz_mixing" in graph["zprime.physics.observables.running_sin2w"]
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(n) :] + [n]))
            if n not in state:
                visit(n)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)


# ------------------------------------------------------------------------- one source of g-2 coefficients
def test_g2_loop_coefficients_have_one_source() -> None:
    """Every module takes the g−2 loop prefactors from physics.observables.g2 (no π² elsewhere)."""
    import numpy as np

    from zprime.analyses.window import g2_coefficients
    from zprime.app.figures._recipes import g2_kernels
    from zprime.core.constants import LEPTON_MASS_MEV
    from zprime.physics.models import dark_z
    from zprime.physics.observables import g2

    others = [
        str(p.relative_to(PKG))
        for p in PKG.rglob("*.py")
        if p.name != "g2.py" and ("pi**2" in p.read_text(encoding="utf-8"))
    ]
    assert not others, f"loop prefactors outside g2.py: {others}"
    m = np.geomspace(0.01, 2e4, 2001)
    for fl, ml in LEPTON_MASS_MEV.items():
        kv, ka = g2.loop_coefficients(m, ml)
        assert np.array_equal(kv, g2.delta_a_lepton(m, 1.0, 0.0, ml))
        assert np.array_equal(ka, -g2.delta_a_lepton(m, 0.0, 1.0, ml))
        for b, a in (g2_coefficients(m, ml), g2_kernels(m, fl)):
            assert np.array_equal(b, kv) and np.array_equal(a, ka)
    # the dark-Z normalisation (Cadeddu Eqs. (8), (10)) is the same loop: C_V = −e g_V, C_A = e r δ'/(4 s c)
    # (up to s_W² at the lepton mass, which the dark-Z g−2 uses: < 1e-5 relative here)
    mz, eps, delta = 30.0, 2e-3, 1e-3
    c = dark_z.darkz_couplings(mz, eps, delta)
    for fl in ("e", "mu"):
        np.testing.assert_allclose(dark_z.delta_a(mz, eps, delta, fl), g2.delta_a(c, fl), rtol=1e-5)
    dp = dark_z.delta_prime(mz, eps, delta, dark_z.sin2w_lepton("e"))
    axial = -g2.darkz_axial_prefactor(LEPTON_MASS_MEV["e"]) * dp**2 * g2.f_a(mz / LEPTON_MASS_MEV["e"])
    assert float(dark_z.delta_a_axial(mz, eps, delta, "e")) == float(axial)


# ------------------------------------------------------------------------------ registries decide, not lists
def test_figures_accept_every_known_edition() -> None:
    import pytest

    from zprime.app.figures._recipes import check_options
    from zprime.core.errors import InputError
    from zprime.core.measurements import editions

    assert "2023" in editions()
    for ed in editions():
        check_options(ed, "cs", 20, "seed")
    with pytest.raises(InputError, match="edition"):
        check_options("1999", "cs", 20, "seed")


def test_lepton_classes_come_from_model_metadata() -> None:
    from zprime.analyses.viability import lepton_classes
    from zprime.physics.models import get, names

    assert set(lepton_classes()) == {"sm_u1", "nhdm_u1", "froggatt_nielsen", "lmu_ltau", "le_lmu", "le_ltau"}
    assert set(lepton_classes()) == {n for n in names() if get(n).lepton_class}
    assert not get("dark_photon").lepton_class and not get("b_minus_l").lepton_class

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
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):  # function-level imports too
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

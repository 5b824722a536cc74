"""docs/extending.md: the examples of "Adding a model" and "Adding a constraint" are run as written.

Protocol (also stated in the document): the fenced blocks of each ``##`` section run in order in one
namespace, with a fresh folder as working directory and on ``sys.path``; a block whose first line is
``# file: PATH`` is written to PATH there instead (before anything runs), and a ``pyproject.toml`` written
that way is "installed": its ``[project.entry-points]`` go into a ``NAME-VERSION.dist-info`` folder
(fixture ``plugin_site`` in conftest.py), as a wheel install would write them.
"""

from __future__ import annotations

import doctest
import re
import tomllib
from pathlib import Path

import pytest

import zprime.physics.models.u1 as u1
from conftest import write_dist_info

DOC = Path(__file__).resolve().parents[1] / "docs" / "extending.md"
FENCE = re.compile(r"^```(\w+)\n(.*?)^```$", re.S | re.M)
FILE = re.compile(r"^# file: (\S+)\n")
DATA_SECTIONS = ("Adding a limit curve", "Adding a measurement", "Adding an edition")


def sections() -> dict[str, str]:
    parts = re.split(r"^## (.+)$", DOC.read_text(encoding="utf-8"), flags=re.M)
    return {title.strip(): body for title, body in zip(parts[1::2], parts[2::2], strict=True)}


def blocks(section: str) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in FENCE.finditer(sections()[section])]


@pytest.mark.parametrize("section", ["Adding a model", "Adding a constraint", *DATA_SECTIONS])
def test_examples_run(section, plugin_site, monkeypatch):
    monkeypatch.chdir(plugin_site)
    code = []
    for lang, text in blocks(section):
        m = FILE.match(text)
        if m:
            path = plugin_site / m.group(1)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            if path.name == "pyproject.toml":
                project = tomllib.loads(text)["project"]
                write_dist_info(plugin_site, project["name"], project["version"], project["entry-points"])
        else:
            assert lang == "python", f"{section}: a {lang} block without '# file:' cannot run"
            code.append(text)
    assert code
    if section in ("Adding a model", "Adding a constraint"):
        assert (plugin_site / "pyproject.toml").exists()
    namespace: dict[str, object] = {"__name__": "docs_extending"}
    try:
        for i, text in enumerate(code):
            exec(compile(text, f"{DOC.name}[{section}, block {i + 1}]", "exec"), namespace)
    finally:
        from zprime.core import limit_curves

        limit_curves.set_limits_path(None)


def test_sections_and_placeholders():
    s = sections()
    assert {"Adding a model", "Adding a constraint", *DATA_SECTIONS} <= set(s)
    for title in DATA_SECTIONS:
        assert "# file: " in s[title] and "```python" in s[title]
    titles = re.findall(r"^### (.+)$", s["Adding a model"] + s["Adding a constraint"], flags=re.M)
    assert any("YAML" in t for t in titles) and sum("entry point" in t for t in titles) == 2
    assert (
        any("register()" in t for t in titles) and sum("provide()" in t or "module" in t for t in titles) == 2
    )
    assert '[project.entry-points."zprime.models"]' in s["Adding a model"]
    assert '[project.entry-points."zprime.constraints"]' in s["Adding a constraint"]


def test_u1_docstring_examples():
    result = doctest.testmod(u1, raise_on_error=False)
    assert result.attempted > 0 and result.failed == 0

"""MkDocs hooks of the documentation site (``mkdocs.yml``: ``hooks``).

Two pages are filled in at build time, so that they cannot go stale:

- ``<!-- cli-reference -->`` (docs/cli.md): the ``--help`` text of every ``zprime`` command and sub-command, read
  from the Typer app (``zprime.app.cli.app``) in this process;
- ``<!-- tutorial-notebook -->`` (docs/tutorial.md): the cells of ``docs/tutorial.ipynb`` (markdown cells as they
  are, code cells as Python blocks; the notebook itself is executed by the tests with nbmake);
- ``<!-- docstring: MODULE -->`` (the physics notes): the docstring of MODULE (read from its source, not
  imported), with reST roles and literal blocks turned into Markdown (``tools/griffe_rst.py``).

The checkout's ``src`` folder is put first on ``sys.path`` so that the pages describe this checkout.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CLI_MARK = "<!-- cli-reference -->"
NOTEBOOK_MARK = "<!-- tutorial-notebook -->"
NOTEBOOK = ROOT / "docs" / "tutorial.ipynb"
DOCSTRING_MARK = re.compile(r"<!-- docstring: ([A-Za-z0-9_.]+) -->")


def _src_first() -> None:
    src = str(ROOT / "src")
    if src not in sys.path:
        sys.path.insert(0, src)


def command_paths() -> list[list[str]]:
    """Every command of the ``zprime`` app as its path of sub-command names ([] is the root), depth first."""
    _src_first()
    import typer

    from zprime.app.cli import app

    root = typer.main.get_command(app)
    out: list[list[str]] = []

    def walk(cmd: Any, path: list[str]) -> None:
        out.append(path)
        if hasattr(cmd, "list_commands"):  # a group (typer vendors click: no isinstance check)
            ctx = cmd.make_context("zprime", [], resilient_parsing=True)
            for name in cmd.list_commands(ctx):
                sub = cmd.get_command(ctx, name)
                if sub is not None and not getattr(sub, "hidden", False):
                    walk(sub, [*path, name])

    walk(root, [])
    return out


def help_text(path: list[str]) -> str:
    """The ``zprime PATH --help`` text, as the command prints it."""
    _src_first()
    from typer.testing import CliRunner

    from zprime.app.cli import app

    result = CliRunner().invoke(app, [*path, "--help"], prog_name="zprime", terminal_width=100)
    if result.exit_code != 0:
        raise RuntimeError(f"zprime {' '.join(path)} --help exited with {result.exit_code}: {result.output}")
    return result.output.rstrip()


def cli_reference() -> str:
    """Markdown: one section per command with its help text."""
    parts = []
    for path in command_paths():
        title = " ".join(["zprime", *path])
        level = "#" * min(2 + max(len(path) - 1, 0), 4)
        parts.append(f"{level} `{title}`\n\n```text\n{help_text(path)}\n```\n")
    return "\n".join(parts)


def notebook_markdown(path: Path = NOTEBOOK) -> str:
    """Markdown of a notebook's cells: markdown cells verbatim, code cells as Python code blocks."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    parts = []
    for cell in nb.get("cells", []):
        src = "".join(cell.get("source", [])).rstrip()
        if not src:
            continue
        if cell.get("cell_type") == "markdown":
            parts.append(src)
        elif cell.get("cell_type") == "code":
            parts.append(f"```python\n{src}\n```")
    return "\n\n".join(parts) + "\n"


def module_docstring(module: str) -> str:
    """The docstring of ``module`` (a dotted name under ``src/``) as Markdown."""
    parts = module.split(".")
    path = ROOT / "src" / Path(*parts).with_suffix(".py")
    if not path.exists():
        path = ROOT / "src" / Path(*parts) / "__init__.py"
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from griffe_rst import rst_to_markdown
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return rst_to_markdown(doc)


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if CLI_MARK in markdown:
        markdown = markdown.replace(CLI_MARK, cli_reference())
    if NOTEBOOK_MARK in markdown:
        markdown = markdown.replace(NOTEBOOK_MARK, notebook_markdown())
    return DOCSTRING_MARK.sub(lambda m: module_docstring(m.group(1)), markdown)

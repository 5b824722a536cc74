"""Griffe extension of the documentation site (``mkdocs.yml``: mkdocstrings ``extensions``).

zprime's docstrings are plain text with a few reST habits: roles (``:func:`name```), double-backtick literals,
``::`` before an indented literal block, and doctests. :func:`rst_to_markdown` turns those into Markdown, and
:class:`RstToMarkdown` applies it to every docstring that mkdocstrings renders; ``tools/mkdocs_hooks.py`` uses
it for the physics notes. The docstrings themselves are not changed.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_ROLE = re.compile(r":(?:func|mod|class|data|meth|attr|obj|exc):`~?([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")
_BLOCK_MARK = re.compile(r"::$", re.MULTILINE)


def rst_to_markdown(doc: str) -> str:
    """Roles and ``literals`` as code, ``::`` block markers as ``:``, doctests as indented code blocks."""
    doc = _ROLE.sub(r"`\1`", doc)
    doc = _LITERAL.sub(r"`\1`", doc)
    doc = _BLOCK_MARK.sub(":", doc)
    lines, in_doctest = [], False
    for line in doc.splitlines():  # a doctest (prompt and output, up to a blank line) as a code block
        starts = line.startswith(">>> ")
        if starts and not in_doctest and lines and lines[-1].strip():
            lines.append("")  # a code block needs a blank line before it
        in_doctest = (in_doctest or starts) and bool(line.strip())
        lines.append("    " + line if in_doctest else line)
    return "\n".join(lines)


class RstToMarkdown(griffe.Extension):
    """Rewrite every loaded docstring with :func:`rst_to_markdown`."""

    def on_instance(self, *, obj: Any, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = rst_to_markdown(obj.docstring.value)

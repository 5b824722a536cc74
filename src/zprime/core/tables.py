"""Small helpers that give result objects a notebook face: HTML tables (``_repr_html_``) and tidy pandas
tables (``to_dataframe``). pandas is imported only when a table is asked for."""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any


def _cell(v: Any) -> str:
    if isinstance(v, float):
        return "–" if not math.isfinite(v) else f"{v:.4g}"
    if isinstance(v, (list, tuple)):
        return ", ".join(_cell(x) for x in v)
    return html.escape(str(v))


def html_table(rows: Iterable[Sequence[Any]], header: Sequence[str], caption: str = "") -> str:
    """An HTML table of ``rows`` under ``header`` (floats to 4 significant digits, text escaped)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>" for row in rows)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def html_mapping(d: Mapping[str, Any], caption: str = "") -> str:
    """A two-column HTML table (key, value) of ``d``."""
    return html_table(d.items(), ("quantity", "value"), caption)


def dataframe(rows: Iterable[Sequence[Any]] | Mapping[str, Any], columns: Sequence[str] | None = None) -> Any:
    """A pandas DataFrame (rows with ``columns``, or a mapping of columns)."""
    import pandas as pd

    if isinstance(rows, Mapping):
        return pd.DataFrame(dict(rows))
    return pd.DataFrame(list(rows), columns=list(columns) if columns is not None else None)


__all__ = ["html_table", "html_mapping", "dataframe"]

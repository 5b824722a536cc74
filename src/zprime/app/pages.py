"""Interactive pages: the exclusion limits of one model as a self-contained HTML file (plotly, inline JavaScript,
no network needed).

One trace per curve (the excluded region as a closed outline) and per g−2 band; hovering shows the
experiment, arXiv id, confidence level and the bound; clicking a legend entry hides or shows its trace. A
table below lists every curve with a link to its arXiv page. Needs the ``html`` extra (``pip install
zprime[html]``).
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from zprime.analyses.limits import LimitCurve, LimitSet
from zprime.analyses.limits_plot import COUPLING_LABELS, PALETTE
from zprime.core.errors import InputError

#: The id of the plot's <div>, for scripts and tests.
PLOT_ID = "zprime-limits"


def _outline(c: LimitCurve, top: float) -> tuple[list[float | None], list[float | None]]:
    """Closed outlines of the excluded region, one per run of masses with a bound (None separates them)."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    ok = np.isfinite(c.lower)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ok.astype(np.int8), [0]])))
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        m = c.mass_mev[a:b]
        lo = c.lower[a:b]
        hi = np.where(np.isfinite(c.upper[a:b]), c.upper[a:b], top)
        if xs:
            xs.append(None)
            ys.append(None)
        xs += [*m.tolist(), *m[::-1].tolist(), float(m[0])]
        ys += [*lo.tolist(), *hi[::-1].tolist(), float(lo[0])]
    return xs, ys


def _region(go: Any, xs: list, ys: list, name: str, hover: str, meta: dict, **style: Any) -> Any:
    """One closed outline as a filled plotly trace (a curve's excluded region or a g−2 band)."""
    return go.Scatter(x=xs, y=ys, mode="lines", fill="toself", name=name, hovertemplate=hover, meta=meta,
                      **style)  # fmt: skip


def limits_figure(ls: LimitSet) -> Any:
    """The plotly Figure of ``ls``."""
    try:
        import plotly.graph_objects as go
    except ImportError:
        raise InputError("--html", "needs plotly: pip install 'zprime[html]'") from None
    lows = [np.nanmin(c.lower) for c in ls.curves]
    y0 = max(1e-9, 0.3 * min(lows)) if lows else 1e-9
    top = 1.0
    fig = go.Figure()
    for i, c in enumerate(ls.curves):
        xs, ys = _outline(c, top)
        colour = PALETTE[i % len(PALETTE)]
        info = (
            f"{html.escape(c.label)}<br>{html.escape(c.experiment)}, arXiv:{c.arxiv or '–'}"
            f"<br>CL {c.cl:.0%}<br>m = %{{x:.4g}} MeV<br>{ls.coupling} = %{{y:.3g}}<extra></extra>"
        )
        fig.add_trace(
            _region(go, xs, ys, c.label, info, {"name": c.name, "arxiv": c.arxiv, "kind": c.kind},
                    line={"color": colour, "width": 1}, fillcolor=colour, opacity=0.6, legendgroup=c.name)
        )  # fmt: skip
    for b in ls.g2_bands:
        if b.sigma != 2 or not np.any(np.isfinite(b.high)):
            continue
        low = np.where(np.isnan(b.low), y0, b.low)
        ok = np.isfinite(b.high)
        m = b.mass_mev[ok]
        xs = [*m.tolist(), *m[::-1].tolist()]
        ys = [*low[ok].tolist(), *b.high[ok][::-1].tolist()]
        name = f"Δa_{'μ' if b.lepton == 'mu' else 'e'}{' (' + b.ae + ')' if b.ae else ''} within 2σ ({ls.edition})"
        hover = f"{name}<br>m = %{{x:.4g}} MeV<br>{ls.coupling} = %{{y:.3g}}<extra></extra>"
        fig.add_trace(
            _region(go, xs, ys, name, hover, {"name": f"g2_{b.lepton}_{b.ae}", "kind": "g2"},
                    line={"color": "black", "width": 1}, fillcolor="rgba(0,0,0,0)", fillpattern={"shape": "/"})
        )  # fmt: skip
    label = COUPLING_LABELS.get(ls.coupling, ls.coupling).replace("$", "")
    fixed = ls.fixed_text()
    fig.update_layout(
        title=f"{ls.model}{' (' + fixed + ')' if fixed else ''}: excluded regions, inputs {ls.edition}",
        xaxis={"type": "log", "title": "m_Z′ [MeV]"},
        yaxis={
            "type": "log",
            "title": label.replace("\\", "").replace("varepsilon", "ε"),
            "range": [np.log10(y0), 0.0],
        },
        template="simple_white",
        height=650,
        legend={"font": {"size": 11}},
    )
    return fig


def limits_page(ls: LimitSet) -> str:
    """One self-contained HTML page: the interactive plot and a table of the curves."""
    fig = limits_figure(ls)
    body = fig.to_html(full_html=False, include_plotlyjs=True, div_id=PLOT_ID, config={"displaylogo": False})
    rows = "\n".join(
        f"<tr><td>{html.escape(c.label)}</td><td>{html.escape(c.experiment)}</td>"
        f"<td>{_arxiv(c.arxiv)}</td><td>{html.escape(c.inspire)}</td><td>{c.kind}</td>"
        f"<td>{c.mass_mev[0]:.4g}–{c.mass_mev[-1]:.4g}</td><td>{c.cl:.0%}</td></tr>"
        for c in ls.curves
    )
    fixed = ls.fixed_text()
    title = f"zprime limits: {ls.model}"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:1.5em}} table{{border-collapse:collapse;font-size:0.9em}}
td,th{{border-bottom:1px solid #ccc;padding:0.25em 0.7em;text-align:left}}</style></head>
<body><h1>{html.escape(title)}</h1>
<p>Excluded regions of <code>{html.escape(ls.coupling)}</code>{" with " + html.escape(fixed) if fixed else ""};
measurement edition {html.escape(ls.edition)}. Click a legend entry to hide or show its curve.</p>
{"".join(f"<p>{html.escape(n)}</p>" for n in ls.notes)}
{body}
<h2>Curves</h2>
<table id="curves"><thead><tr><th>limit</th><th>experiment</th><th>arXiv</th><th>INSPIRE</th><th>kind</th>
<th>mass range [MeV]</th><th>CL</th></tr></thead><tbody>
{rows}
</tbody></table></body></html>
"""


def _arxiv(arxiv: str | None) -> str:
    if not arxiv:
        return "–"
    a = html.escape(arxiv)
    return f'<a href="https://arxiv.org/abs/{a}">{a}</a>'


__all__ = ["limits_figure", "limits_page", "PLOT_ID"]

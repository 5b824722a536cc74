"""``zprime reproduce``: every seed figure and headline number from one command, with a summary table.

Writes into ``out_dir``: each registered figure (PNG, PDF, netCDF), ``summary.md`` (headline number, paper's
value, zprime's value, difference) and ``summary.json`` (all numbers). The Bodas window is derived with the
seed's rules and with the current rules, for the 2021 and 2025 editions; the dark Z fit for both editions.

Kill safety: every file is written atomically (:func:`zprime.core.outputs.atomic_write`); a stale
``summary.*`` is deleted before anything else and the new one is written last (``summary.json``, then
``summary.md``), so a summary on disk always lists figures that exist complete. A rerun after a kill starts
clean: it recomputes everything and replaces the files in place (temporaries of the killed run are deleted).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from zprime.core.outputs import atomic_write_text, prepare_output_dir

#: Written last, in this order; deleted first when a run starts
SUMMARY_FILES = ("summary.json", "summary.md")


def _paper(name: str) -> dict[str, Any]:
    from zprime.core.settings import reproduction_settings

    return reproduction_settings(name)


class _Progress:
    """Progress lines on stderr (a rich bar in a terminal)."""

    def __init__(self, total: int, quiet: bool = False):
        self.total, self.i, self.quiet, self.t0 = total, 0, quiet, time.perf_counter()

    def step(self, label: str) -> None:
        self.i += 1
        if not self.quiet:
            dt = time.perf_counter() - self.t0
            sys.stderr.write(f"[{self.i:>2}/{self.total}] {dt:6.1f} s  {label}\n")
            sys.stderr.flush()


def _row(
    rows: list[dict[str, Any]], section: str, quantity: str, paper: Any, ours: Any, note: str = ""
) -> None:
    rows.append({"section": section, "quantity": quantity, "paper": paper, "zprime": ours, "note": note})


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, str):
        return v
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    return f"{float(v):.3g}"


def _diff(paper: Any, ours: Any) -> str:
    if isinstance(paper, bool) or isinstance(ours, (bool, np.bool_)):
        return "agrees" if bool(paper) == bool(ours) else "DIFFERS"
    try:
        if isinstance(paper, (list, tuple)) and isinstance(ours, (list, tuple)):
            return ", ".join(_diff(p, o) for p, o in zip(paper, ours, strict=True))
        p, o = float(paper), float(ours)
    except (TypeError, ValueError):
        return "-"
    if p == 0 or not np.isfinite(o):
        return "-"
    return f"{100 * (o - p) / abs(p):+.0f}%"


def _window_rows(rows: list[dict[str, Any]], w: Any, paper: dict[str, Any] | None, section: str) -> None:
    d = w.to_dict()
    bind = d["binding"]
    notes = {
        "mass_mev": (
            f"lower edge: {', '.join(bind.get('mass_lo', []))}; upper: {', '.join(bind.get('mass_hi', []))}"
        ),
        "c_vmu": f"upper edge: {', '.join(bind.get('c_vmu_hi', []))}",
        "c_nue_max": ", ".join(bind.get("c_nue_max", [])),
        "c_numu_max": ", ".join(bind.get("c_numu_max", [])),
    }
    for key in ("mass_mev", "c_ae", "c_ve_max", "c_vmu", "c_amu_max", "c_nue_max", "c_numu_max"):
        _row(rows, section, key, paper.get(key) if paper else None, d[key], notes.get(key, ""))
    if d["mass_islands"]:
        _row(rows, section, "allowed mass islands [MeV]", None, d["mass_islands"])


VERDICTS = (
    ("sm_u1", "cs"),
    ("nhdm_u1", "cs"),
    ("froggatt_nielsen", "cs"),
    ("sm_u1", "rb"),
    ("nhdm_u1", "rb"),
    ("froggatt_nielsen", "rb"),
)


WINDOWS = (
    ("2021", "cs", "seed"),
    ("2021", "cs", "current"),
    ("2021", "rb", "seed"),
    ("2023", "cs", "seed"),
    ("2025", "cs", "seed"),
    ("2025", "cs", "current"),
)
FIT_EDITIONS = ("2021", "2025")
#: The fit confronted with the dark-photon searches (Cadeddu et al.'s, with 2021 inputs)
CONFRONT_EDITION = "2021"

#: Rough CPU seconds of the slow tasks (2-core machine, full grids): the longest are handed out first, so
#: that the worker processes finish together. Only the order of the work depends on them, never a result.
_COST = {
    "verdict": 2.4,
    "figure:cadeddu2021-searches": 2.1,
    "figure:bodas2021-fig2a": 2.0,
    "figure:cadeddu2021-fig2": 1.9,
    "figure:cadeddu2021-fig5": 1.8,
    "figure:bodas2021-fig3b": 1.6,
    "figure:cadeddu2021-fig3": 1.5,
    "figure:bodas2021-fig3a": 1.2,
    "window": 0.8,
    "fit:2021": 1.0,  # with the confrontation of the fit with the dark-photon searches
    "fit": 0.5,
}


def _task_cost(task: tuple[str, str, dict[str, Any]]) -> float:
    kind, key, _ = task
    return _COST.get(f"{kind}:{key}", _COST.get(kind, 1.0))


def _keep_freed_memory() -> None:
    """In each worker process of :func:`reproduce` (its ``worker_init``): glibc keeps freed blocks up to 32 MB
    on the heap and the heap's top up to 1 GB instead of handing them back to the kernel, so a piece reuses
    the pages of the pieces before it instead of faulting them in again (the windows' grids: ~1.5e5 page
    faults a worker, a tenth of its CPU time). The worker's peak memory is unchanged; the process that
    started the workers keeps its own settings. ``ZPRIME_MALLOC_TUNING=0`` opts out."""
    from zprime.core.execution import keep_freed_memory, malloc_tuning_requested

    if malloc_tuning_requested(default=True):
        keep_freed_memory(mmap_threshold=32 << 20, trim_threshold=1 << 30)


def _run_task(task: tuple[str, str, dict[str, Any]]) -> tuple[Any, float, int]:
    """(result, CPU seconds, process id) of :func:`_task_result` (the progress lines show both)."""
    c0 = time.process_time()
    result = _task_result(task)
    return result, time.process_time() - c0, os.getpid()


def _task_result(task: tuple[str, str, dict[str, Any]]) -> Any:
    """One independent piece of the reproduction (a figure, window, fit or verdict); runs in a worker."""
    kind, key, kw = task
    if kind == "figure":
        from zprime.app import figures

        return {k: str(v) for k, v in figures.save(**kw).items()}
    if kind == "window":
        from zprime.analyses.window import derive_window

        return derive_window(**kw)
    if kind == "fit":  # (the fit, its confrontation with the searches where kw["confront"])
        from zprime.analyses.fit_darkz import fit_darkz
        from zprime.analyses.searches_darkz import confront_fit

        fit = fit_darkz(**{k: v for k, v in kw.items() if k != "confront"})
        return fit, confront_fit(fit) if kw.get("confront") else None
    from zprime.analyses.viability import viability

    return viability(**kw)


def _preload_analyses() -> None:
    """Import and load what the windows, fits and verdicts need, once, before the first workers are forked
    (they share it)."""
    import scipy.optimize  # noqa: F401
    import scipy.stats  # noqa: F401

    import zprime.analyses.fit_darkz
    import zprime.analyses.searches_darkz
    import zprime.analyses.viability
    import zprime.analyses.window  # noqa: F401
    from zprime.physics.constraints.registry import all_constraints

    all_constraints()


def _preload_figures() -> None:
    """Import and warm up what the figures need (matplotlib, xarray), once, before the workers that draw them
    are forked; the first workers start on the other tasks meanwhile."""
    import io

    import matplotlib

    matplotlib.use("Agg", force=False)
    import h5netcdf  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import xarray  # noqa: F401

    from zprime.app.figures._style import paper_style

    # draw once: the font list, the math-text grammar and the backends are then set up once, not in each
    # worker (the label layouts are not: a forked worker drops them, see figures.base)
    with paper_style():
        fig, ax = matplotlib.pyplot.subplots()
        ax.set_xscale("log")
        ax.set_xlabel(r"$m_{Z^\prime}$ [MeV]")
        ax.plot([1.0, 10.0], [1.0, 2.0])
        for fmt in ("png", "pdf"):
            fig.savefig(io.BytesIO(), format=fmt, dpi=150 if fmt == "png" else None)
        matplotlib.pyplot.close(fig)


def _preload() -> None:
    """Everything every task needs (:func:`_preload_analyses`, :func:`_preload_figures`)."""
    _preload_analyses()
    _preload_figures()


def reproduce(
    out_dir: str | Path = "zprime-output",
    resolution: int | None = None,
    quick: bool = False,
    quiet: bool = False,
    figures_only: list[str] | None = None,
    verdicts: bool = True,
    jobs: int | None = None,
    cache: str | Path | None = None,
) -> dict[str, Any]:
    """Run the whole reproduction; ``quick`` uses coarse grids (smoke test).

    The figures, windows, fits and verdicts are independent: they run in ``jobs`` worker processes
    (default: the CPUs available, :func:`zprime.core.execution.default_workers`; 1 runs them here, in
    order). The outputs do not depend on ``jobs``. With ``cache`` (a folder), the outputs are also kept
    there under a key of everything they depend on (:mod:`zprime.app.result_cache`); a rerun with the
    same key copies them back, byte for byte, instead of recomputing.
    """
    from zprime.app import figures
    from zprime.core.errors import InputError
    from zprime.core.execution import default_workers

    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1):
        raise InputError("jobs", f"must be an integer >= 1, got {jobs!r}")
    cache_dir = (
        None if cache is None else prepare_output_dir(cache, "cache")
    )  # bad input fails before any change
    out = prepare_output_dir(out_dir)
    _remove_summary(out)
    names = figures_only if figures_only is not None else figures.names()
    for n in names:
        figures.get(n)  # an unknown name fails here, before any work
    recipe = {
        "resolution": resolution,
        "quick": bool(quick),
        "figures": list(names),
        "verdicts": bool(verdicts),
    }
    key = None
    if cache_dir is not None:
        from zprime.app import result_cache

        key = result_cache.cache_key(recipe)
        hit = result_cache.restore(cache_dir, key, out, SUMMARY_FILES)
        if hit is not None:
            if not quiet:
                sys.stderr.write(f"outputs restored from the cache {cache_dir} (key {key[:16]})\n")
            return hit
    summary = _compute(out, resolution, quick, quiet, names, verdicts, jobs or default_workers())
    if cache_dir is not None and key is not None:
        files = [Path(p).name for paths in summary["figures"].values() for p in paths.values()]
        result_cache.store(cache_dir, key, out, [*files, *SUMMARY_FILES])
    return summary


def _compute(
    out: Path,
    resolution: int | None,
    quick: bool,
    quiet: bool,
    names: list[str],
    verdicts: bool,
    jobs: int,
) -> dict[str, Any]:
    from zprime import __version__
    from zprime.analyses.window import bodas_settings
    from zprime.core.execution import process_map
    from zprime.physics.observables.apv_nuclear import cs_weak_charge_exp, k_factor, neutron_skin_chain

    fig_opts: dict[str, Any] = {"out": str(out)}
    if resolution is not None:
        fig_opts["resolution"] = resolution
    elif quick:
        fig_opts["resolution"] = 30
    wkw = dict(n_mass=60, n_coupling=50, n_target=3) if quick else {}
    fit_res = 40 if quick else 200
    vkw: dict[str, Any] = dict(maxiter=40, popsize=8, restarts=1) if quick else {}
    verdict_list = VERDICTS if verdicts else ()

    tasks: list[tuple[str, str, dict[str, Any]]] = [("figure", n, {"name": n, **fig_opts}) for n in names]
    tasks += [
        ("window", f"{ed}/{ae}/{rules}", dict(edition=ed, ae=ae, rules=rules, **wkw))
        for ed, ae, rules in WINDOWS
    ]
    tasks += [
        ("fit", ed, dict(edition=ed, ae="rb", resolution=fit_res, confront=ed == CONFRONT_EDITION))
        for ed in FIT_EDITIONS
    ]
    tasks += [
        ("verdict", f"{model}/{ae}", dict(model=model, edition="2021", ae=ae, **vkw))
        for model, ae in verdict_list
    ]
    order = sorted(range(len(tasks)), key=lambda i: -_task_cost(tasks[i]))  # stable: ties keep their order
    labels = {"figure": "figure {}", "window": "window {}", "fit": "dark Z fit {}", "verdict": "verdict {}"}
    prog = _Progress(len(tasks) + 1, quiet)
    t0 = time.perf_counter()
    parallel = jobs > 1 and len(tasks) > 1
    if parallel:
        _preload_analyses()

    def done(i: int, got: tuple[Any, float, int]) -> None:
        kind, key, _kw = tasks[order[i]]
        prog.step(f"{labels[kind].format(key)}  ({got[1]:.1f} s CPU, process {got[2]})")

    # the first workers start on the windows, fits and verdicts while this process loads matplotlib for the
    # workers forked next, which draw the figures first
    got = process_map(
        _run_task,
        [tasks[i] for i in order],
        jobs,
        on_done=done,
        prepare=_preload_figures if parallel else None,
        early=lambda task: task[0] != "figure",
        worker_init=_keep_freed_memory,
    )
    by_key = {tasks[i][:2]: r[0] for i, r in zip(order, got, strict=True)}
    written: dict[str, dict[str, str]] = {n: by_key["figure", n] for n in names}
    win = {f"{ed}/{ae}/{rules}": by_key["window", f"{ed}/{ae}/{rules}"] for ed, ae, rules in WINDOWS}
    fits = {ed: by_key["fit", ed][0] for ed in FIT_EDITIONS}
    verd = {f"{m}/{ae}": by_key["verdict", f"{m}/{ae}"] for m, ae in verdict_list}
    results: dict[str, Any] = {"windows": win, "darkz": fits, "verdicts": verd}

    rows: list[dict[str, Any]] = []
    seed_w = bodas_settings()["seed_window_cs_2021"]
    _window_rows(
        rows,
        results["windows"]["2021/cs/seed"],
        seed_w,
        "Bodas Sec. 4 window, 2021 inputs, a_e(Cs), seed rules (BaBar envelope, Moller 1e-8)",
    )
    _window_rows(
        rows,
        results["windows"]["2021/cs/current"],
        seed_w,
        "Same window with current rules (published BaBar curve, E158 bound derived from data)",
    )
    _window_rows(
        rows, results["windows"]["2021/rb/seed"], None, "Window for a_e(Rb), 2021 inputs, seed rules"
    )
    _window_rows(
        rows,
        results["windows"]["2023/cs/seed"],
        seed_w,
        "Window with 2023 inputs (a_mu 2023 average vs WP2020, a_e Fan 2023), a_e(Cs), seed rules",
    )
    _window_rows(
        rows,
        results["windows"]["2025/cs/seed"],
        seed_w,
        "Window with 2025 inputs (a_mu consistent with zero), a_e(Cs), seed rules",
    )
    _window_rows(
        rows, results["windows"]["2025/cs/current"], seed_w, "Window with 2025 inputs, a_e(Cs), current rules"
    )

    cad = _paper("cadeddu2021")["headline"]
    sec = "Cadeddu et al.: dark Z_d fit (Qweak, Cs APV, a_mu, a_e(Rb)), 2021 inputs"
    f21 = results["darkz"]["2021"]
    d21 = f21.to_dict()
    _row(rows, sec, "m_Zd [MeV]", cad["mass_mev"]["value"], d21["best_fit"]["mass_mev"])
    _row(
        rows,
        sec,
        "m_Zd 1 sigma [MeV]",
        [cad["mass_mev"]["lo"], cad["mass_mev"]["hi"]],
        d21["intervals_1sigma"]["mass_mev"],
    )
    _row(rows, sec, "epsilon", cad["epsilon"]["value"], d21["best_fit"]["epsilon"])
    _row(
        rows,
        sec,
        "epsilon 1 sigma",
        [cad["epsilon"]["lo"], cad["epsilon"]["hi"]],
        d21["intervals_1sigma"]["epsilon"],
    )
    _row(
        rows,
        sec,
        "delta (upper end of 1 sigma)",
        cad["delta_upper"]["value"],
        d21["intervals_1sigma"]["delta"][1],
    )
    _row(
        rows,
        sec,
        "delta best fit",
        cad["delta_best"]["value"],
        d21["best_fit"]["delta"],
        "chi2 flat in delta",
    )
    _row(rows, sec, "chi2_min", cad["chi2_min"]["value"], d21["chi2_min"])
    chain = neutron_skin_chain()
    apv = cs_weak_charge_exp()
    _row(rows, sec, "Delta R_np(Cs) [fm]", cad["skin_cs_fm"]["value"], chain.skin_cs_fm)
    _row(rows, sec, "R_n(Cs) [fm]", cad["rn_cs_fm"]["value"], chain.rn_fm)
    _row(rows, sec, "Q_W(Cs) exp", cad["qw_cs"]["value"], apv.qw)
    _row(rows, sec, "sigma Q_W(Cs)", cad["qw_cs"]["error"], apv.qw_err)
    for m_str, k_paper in cad["k_factor"].items():
        _row(rows, sec, f"K(m = {m_str} MeV)", k_paper, float(k_factor(float(m_str))))
    conf = by_key["fit", CONFRONT_EDITION][1]  # confront_fit(f21), computed by the fit's task
    for scen, r in conf.items():
        _row(
            rows,
            sec,
            f"best fit vs {scen}-decay searches",
            None,
            r["best_fit"],
            ", ".join(r["best_fit_excluded_by"]) or "beyond the paper",
        )
        _row(
            rows,
            sec,
            f"1 sigma region vs {scen}-decay searches",
            None,
            f"{100 * r['region_1sigma_fraction_excluded']:.0f}% excluded",
            "beyond the paper",
        )
    d25 = results["darkz"]["2025"].to_dict()
    sec25 = "Dark Z_d fit with 2025 inputs (a_mu = 38(64)e-11, a_e Fan 2023)"
    _row(rows, sec25, "m_Zd [MeV]", None, d25["best_fit"]["mass_mev"])
    _row(rows, sec25, "m_Zd 1 sigma [MeV]", None, d25["intervals_1sigma"]["mass_mev"])
    _row(rows, sec25, "epsilon", None, d25["best_fit"]["epsilon"])
    _row(rows, sec25, "chi2_min", None, d25["chi2_min"])

    secv = (
        "Bodas Sec. 4-5: model classes, both anomalies within 1 sigma and every current constraint "
        "(published BaBar curve; quark-produced searches not used)"
    )
    for key, v in results["verdicts"].items():
        model, ae = key.split("/")
        note = v.reason
        if v.viable:
            cpl = v.best_point["couplings"]
            note += (
                f" Point: m = {cpl['mass_mev']:.3g} MeV, C_Ve = {cpl.get('c_ve', 0):.3g}, "
                f"C_Vmu = {cpl.get('c_vmu', 0):.3g}."
            )
        _row(rows, secv, f"{model}, a_e({ae}): viable", False, bool(v.viable), note)

    elapsed = time.perf_counter() - t0
    summary = {
        "zprime_version": __version__,
        "elapsed_s": elapsed,
        "figures": written,
        "rows": rows,
        "windows": {k: w.to_dict() for k, w in results["windows"].items()},
        "darkz": {k: f.to_dict() for k, f in results["darkz"].items()},
        "darkz_searches": conf,
        "verdicts": {k: v.to_dict() for k, v in results["verdicts"].items()},
    }
    atomic_write_text(out / "summary.json", json.dumps(summary, indent=1, default=float))
    atomic_write_text(out / "summary.md", _markdown(summary))
    prog.step("summary.md")
    return summary


def _remove_summary(out: Path) -> None:
    """Delete the summary of an earlier run (a kill must never leave an old summary beside new figures)."""
    from zprime.core.errors import InputError

    for name in reversed(SUMMARY_FILES):
        try:
            (out / name).unlink(missing_ok=True)
        except OSError as exc:
            raise InputError("out", f"cannot remove the old {out / name}: {exc.strerror or exc}") from None


def _markdown(summary: dict[str, Any]) -> str:
    lines = [
        "# zprime reproduction summary",
        "",
        f"zprime {summary['zprime_version']}; run time {summary['elapsed_s']:.0f} s.",
        "Seeds: Bodas, Coy, King, EPJC 81 (2021) 1065 (arXiv:2102.07781); "
        "Cadeddu et al., PRD 104 (2021) L011701 (arXiv:2104.03280).",
        "",
    ]
    section = None
    for r in summary["rows"]:
        if r["section"] != section:
            section = r["section"]
            lines += [
                "",
                f"## {section}",
                "",
                "| quantity | paper | zprime | difference | note |",
                "|---|---|---|---|---|",
            ]
        lines.append(
            f"| {r['quantity']} | {_fmt(r['paper'])} | {_fmt(r['zprime'])} | "
            f"{_diff(r['paper'], r['zprime'])} | {r['note']} |"
        )
    lines += ["", "## Figures", ""]
    for name, paths in summary["figures"].items():
        lines.append(
            f"- `{name}`: {Path(paths['png']).name}, {Path(paths['pdf']).name}, "
            f"{Path(paths['nc']).name} (numbers)"
        )
    return "\n".join(lines) + "\n"


__all__ = ["reproduce"]

"""The ``zprime`` command. Thin: it parses, calls the library, prints.

Every user error (bad number, unknown name, malformed file: a :class:`~zprime.core.errors.ZprimeError` or a
command-line usage error, including conflicting options) and every resource error (a file or folder that
cannot be read or written: permission, disk full, a folder where a file should be; out of memory) prints one
line on stderr and exits with status 2, without a traceback. Anything else is a bug in zprime: one line
"zprime: internal error: ..." and exit status 1; set the environment variable ``ZPRIME_DEBUG=1`` to see its
traceback. JSON output (``--json``) is strict: a number that is not finite is written as null.
"""

from __future__ import annotations

import errno
import functools
import json
import math
import os
import sys
import traceback
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

try:  # typer >= 0.26 vendors click and exports the base of its exceptions
    from typer import TyperException as _CliError
except ImportError:  # pragma: no cover - older typer, built on click
    from click import ClickException as _CliError  # type: ignore[assignment,no-redef]

from zprime.core.errors import InputError, ZprimeError
from zprime.core.outputs import atomic_write

if TYPE_CHECKING:  # numpy (with Couplings) is imported by the commands that compute: help needs neither
    from zprime.core.couplings import Couplings

#: The settings of the ``zprime`` group (and of the one-command groups :func:`_command` makes).
_APP_SETTINGS: dict[str, Any] = {
    "add_completion": False,
    "no_args_is_help": True,
    "pretty_exceptions_enable": False,
    "rich_markup_mode": None,
    "help": "Light Z' phenomenology: g-2, constraints, fits, figures.",
    "epilog": "Bad input, conflicting options and resource errors (a file that cannot be read or written: "
    "permission, disk full; out of memory) exit with status 2 and one line on stderr; an internal error (a "
    "bug) exits with status 1; set ZPRIME_DEBUG=1 to print its traceback.",
}
app = typer.Typer(**_APP_SETTINGS)
data_app = typer.Typer(no_args_is_help=True, help="Shipped measurements and limit curves.")
app.add_typer(data_app, name="data")
fit_app = typer.Typer(no_args_is_help=True, help="Global fits.")


def _version(value: bool) -> None:
    if value:
        from zprime import __version__

        typer.echo(f"zprime {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version and exit")
    ] = False,
) -> None:
    """Light Z' phenomenology: g-2, constraints, fits, figures."""


app.add_typer(fit_app, name="fit")

# ---------------------------------------------------------------------------------- shared options
Mass = Annotated[float, typer.Option("--mass", help="Z' mass in MeV (> 0)")]
CVe = Annotated[float, typer.Option("--cve", help="C_Ve, electron vector coupling")]
CAe = Annotated[float, typer.Option("--cae", help="C_Ae, electron axial coupling")]
CVmu = Annotated[float, typer.Option("--cvmu", help="C_Vmu")]
CAmu = Annotated[float, typer.Option("--camu", help="C_Amu")]
CVtau = Annotated[float, typer.Option("--cvtau", help="C_Vtau")]
CAtau = Annotated[float, typer.Option("--catau", help="C_Atau")]
CNue = Annotated[float, typer.Option("--cnue", help="C_nue")]
CNumu = Annotated[float, typer.Option("--cnumu", help="C_numu")]
CNutau = Annotated[float, typer.Option("--cnutau", help="C_nutau")]
Edition = Annotated[
    str | None,
    typer.Option(
        "--edition",
        help="measurement edition: a shipped name (2021: the seeds' inputs, the default; 2023; 2025; "
        "see `zprime data list`) or the path of a user edition file (YAML: edition, extends, measurements)",
    ),
]
Ae = Annotated[
    str, typer.Option("--ae", help="alpha used for Delta a_e: cs or rb (any delta_a_e_<ae> in the data)")
]
Json = Annotated[bool, typer.Option("--json", help="print one JSON object")]


def _couplings(mass: float, **kw: float) -> Couplings:
    from zprime.core.couplings import Couplings

    return Couplings(mass_mev=mass, **kw)


def _check_choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ZprimeError(f"{name}: must be one of {', '.join(allowed)}, got {value!r}")
    return value


def _check_edition(edition: str | None, ae: str | None = None) -> str:
    """The edition key (a shipped name, default the data's default edition, or an edition file's absolute
    path), after checking ``--edition`` and ``--ae`` (one of the delta_a_e_<ae> choices of the data)."""
    from zprime.core.measurements import ae_choices, edition_key

    key = edition_key(edition)
    if ae is not None:
        _check_choice("--ae", ae, ae_choices(key))
    return key


def _conflict(option: str, other: str, why: str = "") -> InputError:
    """The error for two options that cannot be given together."""
    return InputError(option, f"cannot be combined with {other}" + (f" ({why})" if why else ""))


def _check_selection(
    only: list[str] | None,
    exclude: list[str] | None,
    variants: list[str] | None = None,
    include_projections: bool = False,
) -> None:
    """Refuse contradictory constraint selections: a name both in --only and --exclude; --variant or
    --include-projections with --only (which names every constraint to use); a --variant that is not a
    variant, or that is also excluded."""
    both = sorted(set(only or ()) & set(exclude or ()))
    if both:
        raise _conflict("--exclude", f"--only for the same name {both[0]!r}", "a name is either used or not")
    if only and variants:
        raise _conflict("--variant", "--only", "--only names every constraint to use; add the variant to it")
    if only and include_projections:
        raise _conflict("--include-projections", "--only", "--only names every constraint to use")
    if variants:
        from zprime.physics.constraints import get

        for v in variants:
            if get(v).category != "variant":
                raise InputError("--variant", f"{v!r} is not a variant (see `zprime check --help`)")
            if v in (exclude or ()):
                raise _conflict("--exclude", f"--variant for the same name {v!r}")


def _check_outputs(**paths: Path | None) -> None:
    """Refuse one file given for two outputs (the second would overwrite the first)."""
    seen: dict[Path, str] = {}
    for option, path in paths.items():
        if path is None:
            continue
        key = Path(os.path.abspath(path))
        if key in seen:
            raise _conflict(f"--{option}", f"--{seen[key]}", f"both would write {path}")
        seen[key] = option


def _edition_name(key: str) -> str:
    from zprime.core.measurements import edition_name

    return edition_name(key)


def _num(x: Any) -> float | None:
    x = float(x)
    return None if not math.isfinite(x) else x


def _finite_json(obj: Any) -> Any:
    """``obj`` with every NaN or infinite float (Python or numpy) replaced by None: JSON has neither."""
    import numpy as np

    if isinstance(obj, dict):
        return {k: _finite_json(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite_json(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _finite_json(obj.tolist())
    if isinstance(obj, (float, np.floating)):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    return obj


def _dumps(obj: Any) -> str:
    """Strict JSON (no NaN or Infinity: they become null; the callers add a reason where it matters)."""
    return json.dumps(_finite_json(obj), allow_nan=False)


def _delta_a_json(an: Any, flavours: tuple[str, ...]) -> tuple[dict[str, float | None], dict[str, str]]:
    """(Δa per lepton, null where not finite; reasons for those) of an Anomalies object."""
    values = {f: _num(an.delta_a[f]) for f in flavours}
    why = {f: "Delta a not finite (numerical overflow)" for f, v in values.items() if v is None}
    return values, why


# ------------------------------------------------------------------------------------------- g2
@app.command()
def g2(
    mass: Mass,
    cve: CVe = 0.0,
    cae: CAe = 0.0,
    cvmu: CVmu = 0.0,
    camu: CAmu = 0.0,
    cvtau: CVtau = 0.0,
    catau: CAtau = 0.0,
    cnue: CNue = 0.0,
    cnumu: CNumu = 0.0,
    cnutau: CNutau = 0.0,
    edition: Edition = None,
    ae: Ae = "cs",
    json_out: Json = False,
) -> None:
    """Z' contributions to the lepton anomalous magnetic moments and pulls against the anomalies."""
    from zprime.analyses.anomaly import anomalies

    edition = _check_edition(edition, ae)
    c = _couplings(
        mass,
        c_ve=cve,
        c_ae=cae,
        c_vmu=cvmu,
        c_amu=camu,
        c_vtau=cvtau,
        c_atau=catau,
        c_nue=cnue,
        c_numu=cnumu,
        c_nutau=cnutau,
    )
    an = anomalies(c, edition=edition, ae=ae)  # type: ignore[arg-type]
    name = _edition_name(edition)
    if json_out:
        delta_a, why = _delta_a_json(an, ("e", "mu", "tau"))
        out: dict[str, Any] = {
            "mass_mev": mass,
            "delta_a": delta_a,
            "pull": {f: _num(an.pull[f]) for f in ("e", "mu")},
            "edition": name,
            "ae": ae,
        }
        reasons = {**why, **an.reasons}
        if reasons:
            out["reason"] = reasons
        typer.echo(_dumps(out))
        return
    typer.echo(f"Z' mass {mass:g} MeV; edition {name}; Delta a_e with alpha({ae.capitalize()})")
    typer.echo(f"{'lepton':<7}{'Delta a (Z)':>14} {'Delta a (exp)':>17}{'pull':>8}")
    for f in ("e", "mu", "tau"):
        if f in an.measurements:
            m = an.measurements[f]
            exp = f"{m.value:.3g}({m.uncertainty:.2g})"
            typer.echo(f"{f:<7}{float(an.delta_a[f]):>14.4g} {exp:>17}{float(an.pull[f]):>8.2f}")
        else:
            typer.echo(f"{f:<7}{float(an.delta_a[f]):>14.4g} {'-':>17}{'-':>8}")
    for f, why in an.reasons.items():
        typer.echo(f"no pull for {f}: {why}")
    typer.echo("pull = (Delta a(Z') - Delta a(exp)) / sigma; |pull| <= 1: anomaly explained within 1 sigma")


# ---------------------------------------------------------------------------------------- check
@app.command()
def check(
    mass: Mass,
    cve: CVe = 0.0,
    cae: CAe = 0.0,
    cvmu: CVmu = 0.0,
    camu: CAmu = 0.0,
    cvtau: CVtau = 0.0,
    catau: CAtau = 0.0,
    cnue: CNue = 0.0,
    cnumu: CNumu = 0.0,
    cnutau: CNutau = 0.0,
    only: Annotated[list[str] | None, typer.Option("--only", help="evaluate only NAME (repeatable)")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="skip NAME (repeatable)")] = None,
    include_projections: Annotated[bool, typer.Option("--include-projections")] = False,
    variant: Annotated[
        list[str] | None,
        typer.Option(
            "--variant",
            help="use a named variant instead of the current constraint it replaces "
            "(e.g. babar_2014_envelope, moller_e158_seed)",
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model", help="take the couplings from a model (name or YAML file) and its --set values"
        ),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option("--set", help="a model parameter: NAME=VALUE (repeatable; with --model)"),
    ] = None,
    edition: Edition = None,
    ae: Ae = "cs",
    json_out: Json = False,
) -> None:
    """Evaluate every constraint at one point: value, limit, status and reference."""
    from zprime.analyses.likelihood import evaluate
    from zprime.physics.constraints import STATUS_NAMES, select

    _check_selection(only, exclude, variant, include_projections)
    edition = _check_edition(edition, ae)
    given = {
        "c_ve": cve,
        "c_ae": cae,
        "c_vmu": cvmu,
        "c_amu": camu,
        "c_vtau": cvtau,
        "c_atau": catau,
        "c_nue": cnue,
        "c_numu": cnumu,
        "c_nutau": cnutau,
    }
    if model is not None:
        from zprime.physics.models import resolve

        clash = [k for k, v in given.items() if v != 0.0]
        if clash:
            raise InputError(f"--{clash[0].replace('_', '')}", "cannot be combined with --model (use --set)")
        c = resolve(model).couplings(mass_mev=mass, **_parse_set(set_ or []))
    elif set_:
        raise InputError("--set", "needs --model")
    else:
        c = _couplings(mass, **given)
    chosen = select(
        only=only, exclude=exclude or (), include_projections=include_projections, variants=variant or ()
    )
    ev = evaluate(c, chosen, edition=edition, ae=ae)  # type: ignore[arg-type]
    reasons = ev.reasons
    name = _edition_name(edition)
    rows = []
    for k in chosen:
        r = ev.results[k.name]
        rows.append(
            {
                "name": k.name,
                "status": STATUS_NAMES[int(r.status)],
                "value": _num(r.value),
                "limit": _num(r.limit),
                "reference": k.reference,
                "category": k.category,
                "reason": reasons.get(k.name, ""),
            }
        )
    order = {"excluded": 0, "allowed": 1, "not_applicable": 2}
    rows.sort(key=lambda r: (order[r["status"]], r["name"]))
    an = ev.anomalies
    if json_out:
        delta_a, why = _delta_a_json(an, ("e", "mu"))
        anom: dict[str, dict[str, Any]] = {
            f: {"delta_a": delta_a[f], "pull": _num(an.pull[f])} for f in ("e", "mu")
        }
        for f, text in {**why, **an.reasons}.items():
            anom[f]["reason"] = text
        keys = ("name", "status", "value", "limit", "reference")
        out = {
            "point": c.to_dict(),
            "edition": name,
            "ae": ae,
            "anomalies": anom,
            "constraints": [
                {**{k: r[k] for k in keys}, **({"reason": r["reason"]} if r["reason"] else {})} for r in rows
            ],
        }
        typer.echo(_dumps(out))
        return
    typer.echo(f"{c!r}; edition {name}; a_e({ae})")
    typer.echo(f"anomalies: pull_e = {float(an.pull['e']):+.2f}, pull_mu = {float(an.pull['mu']):+.2f}")
    for f, why in an.reasons.items():
        typer.echo(f"no pull for {f}: {why}")
    typer.echo(f"{'constraint':<24}{'status':<16}{'value':>12}{'limit':>12}  reference")
    for r in rows:
        v = "-" if r["value"] is None else f"{r['value']:.3g}"
        lim = "-" if r["limit"] is None else f"{r['limit']:.3g}"
        tag = " [projection]" if r["category"] == "projection" else ""
        ref = f"({r['reason']})" if r["reason"] else r["reference"][:70]
        typer.echo(f"{r['name']:<24}{r['status']:<16}{v:>12}{lim:>12}  {ref}{tag}")
    n_ex = sum(r["status"] == "excluded" for r in rows)
    typer.echo(f"{n_ex} of {len(rows)} constraints exclude this point.")


# ----------------------------------------------------------------------------------------- data
def _constraint_catalogue() -> list[dict[str, object]]:
    """Name, title, status, experiment, measurements and related papers (arXiv ids) of every constraint."""
    from zprime.physics.constraints import all_constraints

    return [
        {
            "name": k.name,
            "title": k.title,
            "category": k.category,
            "experiment": k.experiment,
            "measurements": list(k.measurements),
            "related": list(k.related),
        }
        for k in all_constraints().values()
    ]


@data_app.command("list")
def data_list(edition: Edition = None, json_out: Json = False) -> None:
    """List measurements (per edition) and every limit curve (shipped and from ZPRIME_LIMITS_PATH)."""
    from zprime.core import limit_curves
    from zprime.core import measurements as M

    eds: list[str] = [edition] if edition else M.editions()
    if json_out:
        limits = [limit_curves.curve_info(e.name) for e in limit_curves.entries()]
        out = {
            "curves": [x for x in limits if x["kind"] != "statement"],
            "statements": [x for x in limits if x["kind"] == "statement"],
            "constraints": _constraint_catalogue(),
            "measurements": {
                M.edition_name(e): [
                    {
                        "name": name,
                        "id": m.id,
                        "value": m.value,
                        "uncertainty": m.uncertainty,
                        "kind": m.kind,
                        "reference": m.reference,
                        "arxiv": m.arxiv,
                    }
                    for name, m in sorted(M.load_edition(e).measurements.items())
                ]
                for e in eds
            },
        }
        typer.echo(_dumps(out))
        return
    lines = limit_curves.list_curves()  # discovery and reading first: a bad file fails before any output
    for e in eds:
        ed = M.load_edition(e)
        src = f" (file {ed.source}; extends {ed.base})" if ed.source else ""
        typer.echo(f"edition {ed.name}{src}: {ed.description.strip()[:100]}")
        for name, m in sorted(ed.measurements.items()):
            typer.echo(f"  {name:<34}{m.value:>12.5g} ± {m.uncertainty:<10.3g} [{m.id}] {m.reference[:60]}")
    typer.echo("limit curves:")
    for info in lines:
        typer.echo(f"  {info}")


@data_app.command("validate")
def data_validate(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            help="check this copy of a data folder instead of the shipped one (user limit folders are skipped)",
        ),
    ] = None,
    json_out: Json = False,
) -> None:
    """Validate every data file: the SHA-256 manifest (every file present and unchanged), each file's content
    (schema, sigma > 0, duplicate keys, truncation, masses, physical ranges, provenance), and every discovered
    user limit file. The first problem exits 2 with one line naming the file."""
    from zprime.core import data_check, integrity, limit_curves
    from zprime.core import measurements as M

    lines = data_check.validate_folder(data_dir)
    if data_dir is None:
        lines += [f"measurements/{fname}: {n} entries" for fname, n in M.validate_all()]
        lines += limit_curves.validate_all()
    if json_out:
        typer.echo(
            json.dumps({"ok": True, "data_dir": str(data_dir or integrity.data_dir()), "checks": lines})
        )
        return
    for line in lines:
        typer.echo(f"ok  {line}")


# ------------------------------------------------------------------------------------- examples
@app.command()
def examples(
    out: Annotated[Path, typer.Option("--out", help="folder to copy the examples into")] = Path("examples"),
    list_: Annotated[bool, typer.Option("--list", help="list the examples, copy nothing")] = False,
    force: Annotated[bool, typer.Option("--force", help="overwrite files that exist")] = False,
    json_out: Json = False,
) -> None:
    """Copy the example files the README uses (a U(1)' charge file, a scan config) into ``--out``."""
    from zprime.app import examples as ex

    if list_:
        rows = ex.list_examples()
        if json_out:
            typer.echo(json.dumps(rows))
        else:
            for r in rows:
                typer.echo(f"{r['name']:<24}{r['description']}")
        return
    written = ex.copy_examples(out, overwrite=force)
    if json_out:
        typer.echo(json.dumps({"written": [str(p) for p in written]}))
    else:
        for p in written:
            typer.echo(str(p))


# --------------------------------------------------------------------------------------- figure
@app.command()
def figure(
    name: Annotated[str | None, typer.Argument(help="figure name (see --list)")] = None,
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("zprime-output"),
    edition: Edition = None,
    ae: Annotated[str | None, typer.Option("--ae", help="alpha used for Delta a_e: cs or rb")] = None,
    resolution: Annotated[int | None, typer.Option("--resolution", min=10, max=2000)] = None,
    list_: Annotated[bool, typer.Option("--list", help="list figure names")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="with --list: print one JSON object")] = False,
) -> None:
    """Write a reproduced paper figure as PNG, PDF and netCDF (the numbers behind it)."""
    from zprime.app import figures

    if list_ and name is not None:
        raise _conflict(
            "--list", f"a figure name ({name!r})", "--list prints the names; give one or the other"
        )
    if json_out and name is not None and not list_:
        raise InputError("--json", "goes with --list (a figure is written as PNG, PDF and netCDF)")
    if list_ or name is None:
        if json_out:
            specs = [figures.get(n) for n in figures.names()]
            typer.echo(
                json.dumps({"figures": [{"name": f.name, "title": f.title, "paper": f.paper} for f in specs]})
            )
            return
        for n in figures.names():
            typer.echo(f"{n:<24}{figures.get(n).title}")
        return
    opts: dict[str, Any] = {}
    key = _check_edition(edition, ae)
    if edition is not None:
        opts["edition"] = key
    if ae is not None:
        opts["ae"] = ae
    if resolution is not None:
        opts["resolution"] = resolution
    paths = figures.save(name, out, **opts)
    for p in paths.values():
        typer.echo(str(p))


# --------------------------------------------------------------------------------------- window
_WINDOW_ROWS = (
    ("mass_mev", "m_Z' [MeV]"),
    ("c_ae", "|C_Ae|"),
    ("c_ve_max", "max |C_Ve|"),
    ("c_vmu", "|C_Vmu|"),
    ("c_amu_max", "max |C_Amu|"),
    ("c_nue_max", "max |C_nue|"),
    ("c_numu_max", "max |C_numu|"),
)


def _fmt_window_value(v: Any) -> str:
    if isinstance(v, list):
        return f"[{v[0]:.3g}, {v[1]:.3g}]"
    return f"{v:.3g}"


@app.command()
def window(
    ae: Ae = "cs",
    edition: Edition = None,
    rules: Annotated[
        str,
        typer.Option(
            "--rules",
            help="seed: the paper's choices (BaBar envelope, Moller 1e-8, Eqs. 13/14); "
            "current: published BaBar curve, derived E158 bound, first-principles nu-e",
        ),
    ] = "seed",
    json_out: Json = False,
) -> None:
    """Derive the Z' window of Bodas et al. Sec. 4 from scans of every constraint."""
    from zprime.analyses.window import bodas_settings, derive_window

    edition = _check_edition(edition, ae)
    _check_choice("--rules", rules, ("seed", "current"))
    w = derive_window(edition=edition, ae=ae, rules=rules)  # type: ignore[arg-type]
    d = w.to_dict()
    if json_out:
        typer.echo(_dumps(d))
        return
    # the paper's own numbers are for its inputs (edition 2021) and a_e(Cs)
    paper = bodas_settings()["seed_window_cs_2021"] if (edition, ae) == ("2021", "cs") else {}
    typer.echo(f"Z' window (Bodas et al. Sec. 4); edition {w.edition}; a_e({ae}); rules {rules}")
    typer.echo(f"{'quantity':<16}{'zprime':>24}{'paper':>24}")
    for key, label in _WINDOW_ROWS:
        p = _fmt_window_value(paper[key]) if key in paper else "-"
        typer.echo(f"{label:<16}{_fmt_window_value(d[key]):>24}{p:>24}")
    if d["mass_islands"]:
        isl = ", ".join(f"{a:.1f}-{b:.1f}" for a, b in d["mass_islands"])
        typer.echo(f"allowed islands outside the window: {isl} MeV")
    for k, v in d["binding"].items():
        typer.echo(f"edge {k:<11} set by {', '.join(v) or '-'}")


# ------------------------------------------------------------------------------------ reproduce
@app.command()
def reproduce(
    out: Annotated[Path, typer.Option("--out", help="output folder")] = Path("zprime-output"),
    quick: Annotated[bool, typer.Option("--quick", help="coarse grids (smoke test)")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress lines")] = False,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", help="worker processes (default: the CPUs available; 1: all in this process)"),
    ] = None,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--cache", help="folder of a cache of the outputs: a rerun of the same inputs copies them"
        ),
    ] = None,
) -> None:
    """Every figure and headline number of both seed papers, with summary.md (paper vs zprime)."""
    import time

    from zprime.app.reproduce import reproduce as run

    t0 = time.perf_counter()
    s = run(out, quick=quick, quiet=quiet, jobs=jobs, cache=cache)
    typer.echo(
        f"wrote {len(s['figures'])} figures and {out / 'summary.md'} in {time.perf_counter() - t0:.0f} s"
    )


# ------------------------------------------------------------------------------------ viability
@app.command()
def viability(
    model: Annotated[
        str,
        typer.Argument(
            help="a registered model (zprime data list shows them) or a path to a YAML charge file"
        ),
    ],
    ae: Ae = "cs",
    edition: Edition = None,
    rules: Annotated[str, typer.Option("--rules", help="current (default) or seed")] = "current",
    seed: Annotated[int, typer.Option("--seed", help="random seed of the global search")] = 1,
    json_out: Json = False,
) -> None:
    """Can MODEL explain both g-2 anomalies within 1 sigma while passing every current constraint?"""
    from zprime.analyses.viability import viability as run
    from zprime.physics.models import resolve

    edition = _check_edition(edition, ae)
    _check_choice("--rules", rules, ("seed", "current"))
    mdl = resolve(model)
    v = run(mdl, edition=edition, ae=ae, rules=rules, seed=seed)  # type: ignore[arg-type]
    d = v.to_dict()
    if json_out:
        keys = (
            "model",
            "edition",
            "ae",
            "viable",
            "best_point",
            "chi2_anomalies",
            "blocking",
            "reason",
            "pulls",
            "rules",
            "envelope_changes_verdict",
            "ignored_model_dependent",
            "model_dependent_excluding",
        )
        typer.echo(_dumps({k: d[k] for k in keys}))
        return
    typer.echo(f"model {mdl.name}; edition {d['edition']}; a_e({ae}); rules {rules}")
    typer.echo(f"viable: {'yes' if d['viable'] else 'no'}")
    typer.echo(f"reason: {d['reason']}")
    typer.echo(
        f"chi2 of the anomalies at the best allowed point: {d['chi2_anomalies']:.3g} "
        f"(pulls e {d['pulls']['e']:+.2f}, mu {d['pulls']['mu']:+.2f})"
    )
    typer.echo(
        "best point (parameters): "
        + ", ".join(f"{k}={v:.3g}" for k, v in d["best_point"]["parameters"].items())
    )
    typer.echo(
        "best point (couplings):  "
        + ", ".join(f"{k}={v:.3g}" for k, v in d["best_point"]["couplings"].items())
    )
    if d["blocking"]:
        typer.echo(f"blocking: {', '.join(d['blocking'])}")
    if d["ignored_model_dependent"]:
        typer.echo(f"not used (quark-produced, model dependent): {', '.join(d['ignored_model_dependent'])}")


# ------------------------------------------------------------------------------------------ fit
@fit_app.command("darkz")
def fit_darkz_cmd(
    edition: Edition = None,
    ae: Annotated[str, typer.Option("--ae", help="alpha used for Delta a_e: rb (the paper) or cs")] = "rb",
    apv: Annotated[
        str, typer.Option("--apv", help="Cs weak charge: chain (PREX-2 skin, -72.94) or pdg")
    ] = "chain",
    resolution: Annotated[int, typer.Option("--resolution", min=20, max=1000)] = 200,
    json_out: Json = False,
) -> None:
    """Fit the dark Z_d (m, epsilon, delta) to Qweak, Cs APV, a_mu and a_e (Cadeddu et al. Eq. (27))."""
    from zprime.analyses.fit_darkz import fit_darkz
    from zprime.analyses.searches_darkz import confront_fit

    edition = _check_edition(edition, ae)
    _check_choice("--apv", apv, ("chain", "pdg"))
    fit = fit_darkz(edition=edition, ae=ae, apv=apv, resolution=resolution)
    d = fit.to_dict()
    d["searches"] = confront_fit(fit)
    if json_out:
        typer.echo(_dumps(d))
        return
    b, iv = d["best_fit"], d["intervals_1sigma"]
    typer.echo(f"dark Z_d fit; edition {d['edition']}; a_e({ae}); APV {apv}")
    typer.echo(f"  chi2_min = {d['chi2_min']:.4f}")
    for k, unit in (("mass_mev", " MeV"), ("epsilon", ""), ("delta", "")):
        typer.echo(f"  {k:<9}= {b[k]:.4g}{unit}   1 sigma: [{iv[k][0]:.4g}, {iv[k][1]:.4g}]")
    if d.get("open_towards_high_mass"):
        typer.echo(
            "  note: the profile chi2 levels off at high mass; the 1 sigma region is open towards high m"
        )
    for scenario, res in d["searches"].items():
        frac = 100 * res["region_1sigma_fraction_excluded"]
        typer.echo(
            f"  Z_d decaying {scenario}: best fit {res['best_fit']}"
            f" (by {', '.join(res['best_fit_excluded_by']) or 'none'}); 1 sigma region "
            f"{res['region_1sigma']} ({frac:.0f}%; by {', '.join(res['excluding']) or 'none'})"
        )


# ----------------------------------------------------------------------------------------- scan
@app.command()
def scan(
    config: Annotated[Path, typer.Argument(help="TOML scan configuration")],
    out: Annotated[Path, typer.Option("--out", help="output file (.nc) or folder")],
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler", help="local:N (LocalCluster on 127.0.0.1 with N workers) or tcp://HOST:PORT"
        ),
    ] = None,
    resume: Annotated[bool, typer.Option("--resume", help="continue an interrupted scan")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="no progress bar")] = False,
) -> None:
    """Scan a model's parameter space on a grid; chunked, resumable, optionally distributed (dask).

    The result is an xarray Dataset in netCDF: open it with ``xarray.open_dataset(PATH)``. It holds one
    chi2 and one status variable per constraint (status: 0 allowed, 1 excluded, 2 not applicable), the
    anomalies (delta_a_e, delta_a_mu, pull_e, pull_mu), chi2_total, and the combined verdicts
    ``allowed`` and ``explains``; attributes record the zprime version, edition, config and date.
    """
    from zprime.core.execution import tune_malloc_if_requested
    from zprime.scan import run_scan_cli

    tune_malloc_if_requested(default=True)  # this program opts in; ZPRIME_MALLOC_TUNING=0 opts out
    run_scan_cli(config, out, scheduler=scheduler, resume=resume, quiet=quiet)


# --------------------------------------------------------------------------------------- limits
def _parse_set(items: list[str]) -> dict[str, Any]:
    """NAME=VALUE pairs: numbers as floats, the exact word ``loop`` (loop-induced kinetic mixing) as is, and
    true/false (also yes/no, on/off) as booleans for model options such as ``nu_r`` (which also take 1/0)."""
    out: dict[str, Any] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError("--set", f"must be NAME=VALUE, got {item!r}")
        if value.strip() == "loop":
            out[name.strip()] = "loop"
            continue
        word = value.strip().lower()
        if word in ("true", "yes", "on", "false", "no", "off"):
            out[name.strip()] = word in ("true", "yes", "on")
            continue
        try:
            out[name.strip()] = float(value)
        except ValueError:
            raise InputError(
                f"--set {name.strip()}",
                f"must be a number or the word 'loop' (true/false for an option), got {value!r}",
            ) from None
    return out


def _parse_range(text: str) -> tuple[float, float]:
    lo, sep, hi = text.partition(":")
    try:
        if not sep:
            raise ValueError
        return float(lo), float(hi)
    except ValueError:
        raise InputError("--mass-range", f"must be LO:HI in MeV, e.g. 1:10000, got {text!r}") from None


def _names(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [n.strip() for v in values for n in v.split(",") if n.strip()]


@app.command()
def limits(
    model: Annotated[str, typer.Argument(help="registered model name, or a path to a YAML charge file")],
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="fix another model parameter: NAME=VALUE (repeatable)")
    ] = None,
    edition: Annotated[
        str | None,
        typer.Option("--edition", help="measurement edition: a name or a YAML file (default: latest)"),
    ] = None,
    mass_range: Annotated[str, typer.Option("--mass-range", help="LO:HI in MeV")] = "1:10000",
    points: Annotated[int, typer.Option("--points", help="log-spaced masses (plus each curve's own)")] = 400,
    only: Annotated[
        list[str] | None, typer.Option("--only", help="constraint names (comma-separated)")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="constraint names to leave out")
    ] = None,
    json_out: Json = False,
    csv: Annotated[Path | None, typer.Option("--csv", help="write the curves as a tidy CSV table")] = None,
    netcdf: Annotated[Path | None, typer.Option("--netcdf", help="write the curves as netCDF")] = None,
    plot: Annotated[
        Path | None, typer.Option("--plot", help="write the exclusion plot (PNG, PDF or SVG)")
    ] = None,
    html: Annotated[
        Path | None, typer.Option("--html", help="write an interactive page (needs plotly)")
    ] = None,
    bibtex: Annotated[
        Path | None, typer.Option("--bibtex", help="write BibTeX for every limit and measurement used")
    ] = None,
) -> None:
    """Excluded regions of MODEL's coupling against the Z' mass, from every applicable constraint."""
    from zprime.analyses.limits import limits as run

    fixed = _parse_set(set_ or [])
    lo, hi = _parse_range(mass_range)
    _check_selection(_names(only), _names(exclude))
    _check_outputs(csv=csv, netcdf=netcdf, plot=plot, html=html, bibtex=bibtex)
    if plot is not None and plot.suffix.lower() not in (".png", ".pdf", ".svg"):
        raise InputError("--plot", f"must end in .png, .pdf or .svg, got {plot.name!r}")
    ls = run(
        model,
        edition=edition,
        mass_range_mev=(lo, hi),
        points=points,
        only=_names(only),
        exclude=_names(exclude) or (),
        **fixed,
    )
    if csv is not None:
        atomic_write(csv, lambda p: ls.to_dataframe().to_csv(p, index=False))
    if netcdf is not None:
        atomic_write(netcdf, lambda p: ls.to_xarray().to_netcdf(p, engine="h5netcdf"))
    if plot is not None:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        ax = ls.plot()
        atomic_write(plot, lambda p: ax.figure.savefig(p, dpi=200, format=plot.suffix[1:].lower()))
        plt.close(ax.figure)
    if bibtex is not None:
        refs = ls.citations()
        atomic_write(bibtex, lambda p: p.write_text(refs, encoding="utf-8"))
    if html is not None:
        from zprime.app.pages import limits_page

        page = limits_page(ls)
        atomic_write(html, lambda p: p.write_text(page, encoding="utf-8"))
    if json_out:
        typer.echo(_dumps(ls.to_dict()))
        return
    fixed_txt = ls.fixed_text()
    typer.echo(
        f"model {ls.model}; limits on {ls.coupling}{'; ' + fixed_txt if fixed_txt else ''}; "
        f"edition {ls.edition}"
    )
    for note in ls.notes:
        typer.echo(note)
    typer.echo(f"{'limit':<34}{'kind':<10}{'masses [MeV]':>22}{'strongest':>12}{'at [MeV]':>10}")
    import numpy as np

    for c in ls.curves:
        k = int(np.nanargmin(c.lower))
        rng = f"{c.mass_mev[0]:.3g}-{c.mass_mev[-1]:.3g}"
        typer.echo(f"{c.label[:33]:<34}{c.kind:<10}{rng:>22}{c.lower[k]:>12.3g}{c.mass_mev[k]:>10.3g}")


@app.command()
def cite(
    model: Annotated[
        str | None,
        typer.Option("--model", help="a model name or YAML file: BibTeX for everything its limits use"),
    ] = None,
    edition: Annotated[
        str | None,
        typer.Option("--edition", help="measurement edition: a name or a YAML file (default: latest)"),
    ] = None,
    set_: Annotated[
        list[str] | None, typer.Option("--set", help="fix another model parameter: NAME=VALUE")
    ] = None,
) -> None:
    """Print BibTeX: for a model, every limit curve, measurement and paper its limits use (as in
    ``zprime limits``); without one, the papers zprime itself rebuilds."""
    from zprime.core import bibliography

    if model is None:
        if set_ or edition is not None:
            raise InputError("--set" if set_ else "--edition", "needs --model")
        typer.echo(bibliography.entries(bibliography.SEED_KEYS), nl=False)
        return
    from zprime.analyses.limits import limits as run

    ls = run(model, edition=edition, points=40, **_parse_set(set_ or []))
    typer.echo(ls.citations(), nl=False)


# ------------------------------------------------------------------------------------- entry point
#: Environment variable that makes an internal error print its traceback.
DEBUG_ENV = "ZPRIME_DEBUG"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _resource_message(exc: OSError) -> str:
    """One line for an operating-system error on a file: the path(s), then what went wrong."""
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    what = exc.strerror or str(exc) or type(exc).__name__
    hint = {
        errno.ENOSPC: "free some space or choose another --out",
        errno.EDQUOT: "free some space or choose another --out",
        errno.EACCES: "choose a folder you may write to",
        errno.EPERM: "choose a folder you may write to",
        errno.EROFS: "choose a writable folder",
        errno.EISDIR: "give a file name, not a folder",
        errno.ENOTDIR: "a part of the path is a file, not a folder",
    }.get(exc.errno or 0, "")
    where = " -> ".join(paths) if paths else "file system"
    return f"{where}: cannot read or write: {what}" + (f" ({hint})" if hint else "")


def _command(args: list[str]) -> Any:
    """The click command that runs ``args``: the ``zprime`` group or, when ``args`` starts with one of its
    top-level commands (e.g. ``g2``), a group of the same settings and root options holding that command
    alone: the same parsing, help and errors, without building the options of every other command (which
    takes longer than ``zprime g2`` computes)."""
    if args:
        for info in app.registered_commands:
            name = info.name or (
                typer.main.get_command_name(info.callback.__name__) if info.callback else None
            )
            if args[0] == name:
                one = typer.Typer(**_APP_SETTINGS)
                one.registered_callback = app.registered_callback
                one.registered_commands = [info]
                return typer.main.get_command(one)
    return typer.main.get_command(app)


def _numpy_quiet(callback: Any) -> Any:
    """``callback`` run under ``numpy.errstate(all="ignore")``, numpy imported then (help needs none)."""

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        import numpy as np

        with np.errstate(all="ignore"):
            return callback(*args, **kwargs)

    return run


def _quiet_commands(command: Any) -> Any:
    """``command`` with every command under it (not the groups: their callbacks run before a subcommand's
    ``--help``) wrapped by :func:`_numpy_quiet`."""
    subs = getattr(command, "commands", None)
    if subs is None:
        if command.callback is not None:
            command.callback = _numpy_quiet(command.callback)
    else:
        for sub in subs.values():
            _quiet_commands(sub)
    return command


def _run_command(command: Any, args: list[str]) -> Any:
    """Run the click command; numpy's floating-point warnings are silenced (non-finite results are handled:
    not applicable with a reason in the results, null in JSON), so stderr carries only zprime's own line:
    each command runs under ``numpy.errstate(all="ignore")`` (:func:`_quiet_commands`)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"(numpy|zprime|scipy)(\.|$)")
        return _quiet_commands(command).main(args=args, prog_name="zprime", standalone_mode=False)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: bad input and resource errors exit 2 with one line; an internal error (a bug)
    exits 1.

    Bad input is a :class:`ZprimeError` (raised by the library, naming the parameter, file or field) or a
    command-line usage error; a resource error is an :class:`OSError` with an error number (permission, disk
    full, a folder where a file should be, ...) or a :class:`MemoryError`. Every other exception is reported
    as "internal error" with a request to report it; its traceback is printed only when the environment
    variable ``ZPRIME_DEBUG`` is set (not "0").
    """
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:
        args = ["--help"]
    command = _command(args)
    try:
        rv = _run_command(command, args)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("zprime: aborted\n")
        sys.exit(130)
    except _CliError as exc:  # usage errors (exit code 2) and other command-line errors
        sys.stderr.write(f"zprime: error: {_one_line(exc.format_message())}\n")
        sys.exit(exc.exit_code if isinstance(exc.exit_code, int) and exc.exit_code else 2)
    except ZprimeError as exc:
        sys.stderr.write(f"zprime: error: {_one_line(str(exc))}\n")
        sys.exit(2)
    except OSError as exc:
        if exc.errno is None:  # not from the operating system: a bug
            _internal_error(exc)
        sys.stderr.write(f"zprime: error: {_one_line(_resource_message(exc))}\n")
        sys.exit(2)
    except UnicodeDecodeError as exc:  # a file that is not text, where the library did not name it
        sys.stderr.write(f"zprime: error: an input file is not UTF-8 text (byte {exc.start}): {exc.reason}\n")
        sys.exit(2)
    except MemoryError:
        sys.stderr.write(
            "zprime: error: out of memory (choose fewer points, a lower --resolution or a smaller scan)\n"
        )
        sys.exit(2)
    except Exception as exc:  # a bug, not bad input
        _internal_error(exc)
    if argv is None:  # the console command: the process ends now
        _leave_objects_to_exit()
    if isinstance(rv, int) and rv:
        sys.exit(rv)


def _leave_objects_to_exit() -> None:
    """Move every object out of the garbage collector's reach (:func:`gc.freeze`) before the interpreter
    exits: its final collections would otherwise walk all the objects of the imported modules (0.3-0.7 s
    after ``zprime reproduce`` has imported matplotlib, xarray and scipy). Objects are still released as the
    modules are torn down; only cyclic garbage is left to the end of the process."""
    import gc

    gc.freeze()


def _internal_error(exc: BaseException) -> None:
    """Report a bug in one line (the traceback too with ZPRIME_DEBUG set) and exit with status 1."""
    if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
        traceback.print_exception(exc)
    sys.stderr.write(
        f"zprime: internal error: {type(exc).__name__}: {_one_line(str(exc))} (a bug in zprime, not in "
        f"your input; please report it with the command line; {DEBUG_ENV}=1 shows the traceback)\n"
    )
    sys.exit(1)


if __name__ == "__main__":  # pragma: no cover
    main()

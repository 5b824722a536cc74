"""Dark-photon searches recast to the Z' (Bodas et al. Sec. 3.1.2 and 3.3; DarkCast, arXiv:1801.04847).

One constraint per limit curve — every metadata file found by :mod:`zprime.core.limit_curves` in
``data/limits/`` and in the user folders (``ZPRIME_LIMITS_PATH``, ``set_limits_path``) — with the recast of
:mod:`zprime.physics.recast`:

- visible, prompt: babar_2014, kloe_2012, kloe_2015, kloe_2014_mumu, kloe_2016_pipi, kloe_2018_combined,
  na48_2, a1, apex — value √(g_prod² BR(F) W/W_A'), limit e ε_lim √BR_A'(F);
- visible, beam dumps: na64_2018, na64_2019, e141, e137, orsay, kek, e774 — value N_model/N_lim, limit 1;
- visible, displaced r-value grids: lhcb_2020_displaced, lhcb_2017_displaced — value 1/r_model, limit 1;
- invisible: babar_2017_invisible, na64_2017_invisible, na64_2019_invisible, na62_2019_invisible;
- projections: belle2_50ab, magix (curves) and belle2_eq17 (Bodas Eq. (17), √((C_Ve²+C_Ae²) BR_ee) ≤ 9e-5,
  BR inside the square root; number and mass range in ``projections/belle2_eq17.yaml``);
- variant: babar_2014_envelope (tags ``replaces:babar_2014``), the seed's smoothed BaBar curve.

NA64 after LS2 (reach to ~20 MeV, Bodas Sec. 3.3) has no curve and is not a constraint: extending the NA64
band in mass would be an extrapolation; the statement is recorded in ``projections/na64_ls2.yaml`` only.

Every constraint is "not applicable" outside its curve's measured mass range and in vetoed windows.
Meson-decay searches give value 0 (allowed) for a Z' without quark couplings.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

from zprime.core import limit_curves
from zprime.core.couplings import Couplings
from zprime.core.limit_curves import entry
from zprime.core.limits import StatementMeta
from zprime.physics import production
from zprime.physics.constraints.base import (
    Constraint,
    EvalOptions,
    Result,
    chi2_threshold,
    upper_bound_result,
)
from zprime.physics.observables.widths import decay_widths
from zprime.physics.recast import (
    BANK_MAX_POINTS,
    bank_arrays,
    bank_rows,
    hadronic_widths_for,
    search,
    search_names,
)

_WIDTH_COUPLINGS = ("c_ve", "c_ae", "c_vmu", "c_amu", "c_vtau", "c_atau", "c_nue", "c_numu", "c_nutau")


#: the ``compute`` of each recast constraint (a constraint replaced by a user keeps its own path)
_COMPUTE: dict[str, Any] = {}


def _recast_compute(name: str):
    def compute(c: Couplings, opts: EvalOptions, cl: float) -> Result:
        h = hadronic_widths_for(opts.edition)
        t = chi2_threshold(cl)
        arrays = bank_arrays(name, c, t, hadronic=h) if c.size <= BANK_MAX_POINTS else None
        if arrays is None:
            arrays = search(name, h).upper_bound_arrays(c, t)
        return Result(name, *arrays, _citation(name), "recast_curve")

    _COMPUTE[name] = compute
    return compute


def _recast_group(ks: Sequence[Constraint], c: Couplings, opts: EvalOptions) -> dict[str, Result]:
    """The Results of the recast searches ``ks`` from one pass of the search bank over every curve
    (:func:`~zprime.physics.recast.bank_rows`): the numbers of their ``evaluate``, bit for bit. Searches
    outside the bank, or asked at another CL than their own, are left to ``evaluate``."""
    rows = bank_rows(c, hadronic=hadronic_widths_for(opts.edition))
    if rows is None:
        return {}
    bk, arrays = rows
    make = Result.row  # row j of the bank's arrays (0-d views for a scalar point), made when read
    return {name: make(name, arrays, j, cite, "recast_curve") for name, j, cite in _group_plan(bk, ks)}


#: {(bank, constraint ids): (bank, constraints, plan)} of :func:`_group_plan` (a few entries)
_PLANS: dict[tuple[int, tuple[int, ...]], tuple[Any, tuple[Constraint, ...], list[tuple[str, int, str]]]] = {}


def _group_plan(bk: Any, ks: Sequence[Constraint]) -> list[tuple[str, int, str]]:
    """(name, bank row, reference) of the constraints of ``ks`` that the bank answers: a search of the bank,
    at its own CL, with the shipped compute (a user's replacement keeps its own path). Kept per bank and
    list of constraint objects (checked by identity)."""
    key = (id(bk), tuple(map(id, ks)))
    kept = _PLANS.get(key)
    if kept is not None and kept[0] is bk and all(map(operator.is_, kept[1], ks)):
        return kept[2]
    index = bk.index
    plan = []
    for k in ks:
        j = index.get(k.name)
        if j is not None and k.cl == bk.searches[j].cl and k.compute is _COMPUTE.get(k.name):
            plan.append((k.name, j, _citation(k.name)))
    if len(_PLANS) >= 16:
        _PLANS.clear()
    _PLANS[key] = (bk, tuple(ks), plan)
    return plan


@lru_cache(maxsize=1024)
def _citation(name: str) -> str:
    """The reference of search ``name`` (the same for either width choice)."""
    return search(name).citation()


limit_curves.on_reload(_citation.cache_clear)  # a user limit file may change a search's reference


def _recast_compute_into(name: str):
    def compute_into(
        c: Couplings, opts: EvalOptions, cl: float, out: dict[str, np.ndarray]
    ) -> tuple[str, str]:
        h = hadronic_widths_for(opts.edition)
        s = search(name, h)
        t = chi2_threshold(cl)
        arrays = bank_arrays(name, c, t, hadronic=h) if c.size <= BANK_MAX_POINTS else None
        if arrays is None:
            s.upper_bound_into(c, t, out.get("value"), out.get("limit"), out["status"], out.get("chi2"))
        else:
            for f, a in zip(("value", "limit", "status", "chi2"), arrays, strict=True):
                if f in out:
                    out[f][...] = a.reshape(-1)
        return _citation(name), "recast_curve"

    # see likelihood._summarise_blocks: value/limit/χ² may be left out of ``out``, and each point's numbers
    # depend on that point only (the recast is elementwise), so any subset of points gives the same numbers
    compute_into.accepts_partial_out = True  # type: ignore[attr-defined]
    compute_into.pointwise = True  # type: ignore[attr-defined]
    return compute_into


def _describe(name: str) -> str:
    s = search(name)
    if s.kind == "beam_dump":
        rule = (
            f"beam dump (DarkCast lifetime window, t1 = {s.r:.4g} t0; t0 solved per mass from the band): "
            "value = N_model/N_limit, limit = 1"
        )
    elif s.kind == "rvalue":
        rule = (
            "r-value grid (DarkCast Eq. (2.21)): r of the dark photon with the same lifetime, scaled by "
            "production x BR(mu mu); value = 1/r_model, limit = 1; not applicable outside the grid's lifetimes"
        )
    elif s.kind == "invisible":
        rule = "invisible: value = sqrt(g_prod^2 BR(Z'->nu nu)), limit = e eps_lim sqrt(0.99)"
    else:
        chans = "+".join(s.channels)
        rule = f"prompt: value = sqrt(g_prod^2 BR({chans}) W/W_A'), limit = e eps_lim sqrt(BR_A')"
    lo, hi = s.mass_range_mev
    return f"{s.title}; production {s.production}; {rule}; {lo:.4g}-{hi:.4g} MeV"


def belle2_eq17_value(c: Couplings) -> np.ndarray:
    """√((C_Ve² + C_Ae²) BR(Z' → e⁺e⁻)), the quantity of Bodas Eq. (17) (BR inside the square root)."""
    br = decay_widths(c).br("ee")
    return np.broadcast_to(np.sqrt((np.square(c.c_ve) + np.square(c.c_ae)) * br), c.shape)


def _eq17() -> StatementMeta:
    e = entry("belle2_eq17")
    assert (
        isinstance(e, StatementMeta)
        and e.upper_limit is not None
        and e.mass_range_mev is not None
        and e.cl is not None
    )
    return e


def _belle2_eq17(c: Couplings, opts: EvalOptions, cl: float) -> Result:
    e = _eq17()
    ref = f"{e.reference}, arXiv:{e.arxiv}"
    v = belle2_eq17_value(c)
    return upper_bound_result("belle2_eq17", ref, v, np.full(c.shape, float(e.upper_limit)), cl)


def provide() -> list[Constraint]:
    out: list[Constraint] = []
    for name in search_names():
        s = search(name)
        used = tuple(dict.fromkeys(production.couplings_used(s.production) + _WIDTH_COUPLINGS))
        out.append(
            Constraint(
                name=name,
                title=s.title,
                reference=s.citation(),
                rule="recast_curve",
                compute=_recast_compute(name),
                compute_into=_recast_compute_into(name),
                mass_range_mev=s.mass_range_mev,
                category=s.category,  # type: ignore[arg-type]
                cl=s.cl,
                couplings_used=used,
                description=_describe(name),
                tags=s.tags,
                range_in_compute=True,
                evaluate_group=_recast_group,
            )
        )
    e = _eq17()
    lo, hi = e.mass_range_mev
    out.append(
        Constraint(
            name="belle2_eq17",
            title=e.title,
            reference=f"{e.reference}, arXiv:{e.arxiv}",
            rule="upper_bound",
            compute=_belle2_eq17,
            mass_range_mev=(float(lo), float(hi)),
            category="projection",
            cl=float(e.cl),
            couplings_used=_WIDTH_COUPLINGS,
            description="sqrt((C_Ve^2 + C_Ae^2) BR(Z'->ee)) <= 9e-5 (Bodas Eq. (17), BR inside the square root)",
        )
    )
    return out
